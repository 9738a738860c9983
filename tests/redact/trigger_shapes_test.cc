// The postal-code, house and driver-licence triggers are matched by hand (number_shapes.h);
// they must report the end offsets Hyperscan reports for their patterns, in Hyperscan's
// order (one block scan of the whole text). Random strings from the shapes' alphabets and
// tokens, fixed seed, compared with Hyperscan itself.
#include <gtest/gtest.h>
#include <hs/hs.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "engine/redact/number_shapes.h"

namespace sunshine::pii {
namespace {

class HyperscanPattern {
 public:
  HyperscanPattern(std::string_view pattern, unsigned flags) {
    std::string expression(pattern);
    hs_compile_error_t* error = nullptr;
    if (hs_compile(expression.c_str(), flags, HS_MODE_BLOCK, nullptr, &database_, &error) !=
        HS_SUCCESS) {
      ADD_FAILURE() << (error != nullptr ? error->message : "compile failed");
      hs_free_compile_error(error);
      return;
    }
    hs_alloc_scratch(database_, &scratch_);
  }
  ~HyperscanPattern() {
    hs_free_scratch(scratch_);
    hs_free_database(database_);
  }
  HyperscanPattern(const HyperscanPattern&) = delete;
  HyperscanPattern& operator=(const HyperscanPattern&) = delete;

  std::vector<std::size_t> Ends(std::string_view text) const {
    std::vector<std::size_t> ends;
    if (database_ == nullptr) {
      return ends;
    }
    hs_scan(
        database_, text.data(), static_cast<unsigned>(text.size()), 0, scratch_,
        [](unsigned, unsigned long long, unsigned long long to, unsigned, void* context) {
          static_cast<std::vector<std::size_t>*>(context)->push_back(static_cast<std::size_t>(to));
          return 0;
        },
        &ends);
    return ends;
  }

 private:
  hs_database_t* database_ = nullptr;
  hs_scratch_t* scratch_ = nullptr;
};

std::string RandomText(std::mt19937& random, const std::vector<std::string>& tokens) {
  std::string text;
  std::size_t n = random() % 16 + 1;
  for (std::size_t i = 0; i < n; ++i) {
    text += tokens[random() % tokens.size()];
  }
  return text;
}

using Finder = std::function<std::vector<std::size_t>(std::string_view)>;

void ExpectSameAsHyperscan(std::string_view pattern, unsigned flags, const Finder& find,
                           const std::vector<std::string>& tokens) {
  HyperscanPattern hyperscan(pattern, flags);
  std::mt19937 random(20261129);
  int differences = 0;
  int with_ends = 0;
  constexpr int kCases = 200000;
  for (int i = 0; i < kCases && differences < 5; ++i) {
    std::string text = RandomText(random, tokens);
    std::vector<std::size_t> expected = hyperscan.Ends(text);
    std::vector<std::size_t> actual = find(text);
    with_ends += expected.empty() ? 0 : 1;
    if (expected != actual) {
      ++differences;
      ADD_FAILURE() << "'" << text << "': Hyperscan " << testing::PrintToString(expected)
                    << ", by hand " << testing::PrintToString(actual);
    }
  }
  EXPECT_GT(with_ends, kCases / 100) << "the generator must produce matches to compare";
}

TEST(TriggerShapesTest, ZipMatchesHyperscan) {
  ExpectSameAsHyperscan(
      kZipTriggerPattern, 0,
      [](std::string_view text) {
        std::vector<std::size_t> ends;
        std::size_t in_order = 0;
        FindZipTriggerEnds(text, ends, &in_order);
        for (std::size_t i = 1; i < in_order; ++i) {
          EXPECT_LT(ends[i - 1], ends[i]);
        }
        return ends;
      },
      {"City",     " ",     "  ", "\t",         "12345",    "1234",       "123", "123456",
       "-",        "-6789", "\n", "\r\n",       "\r",       ",",          ".",   "MO",
       "\xc3\xa9", "x1",    "_",  "65101-1234", " 65101\n", "St. Louis,", "\v",  "9"});
}

TEST(TriggerShapesTest, HouseMatchesHyperscan) {
  ExpectSameAsHyperscan(
      kHouseTriggerPattern, 0,
      [](std::string_view text) {
        std::vector<std::size_t> ends;
        FindHouseTriggerEnds(text, ends);
        return ends;
      },
      {"12 ", "123456 ", "7",    "Main ", "Oak ", "St ",  "main ", "\xc3\x89mile ", "A-b ",
       "A1 ", "( ",      "Dr. ", "\n",    "\t",   "_",    "x",     "99999",         "5th ",
       ". ",  "B/C ",    "\v",   " ",     "12",   "Main", "1 ",    "Oak",           "\xc3"});
}

TEST(TriggerShapesTest, DriverLicenceMatchesHyperscan) {
  ExpectSameAsHyperscan(
      kDlTriggerPattern.substr(4),  // without "(?i)": Hyperscan takes it as a flag
      HS_FLAG_CASELESS,
      [](std::string_view text) {
        std::vector<std::size_t> ends;
        FindDlTriggerEnds(text, ends);
        return ends;
      },
      {"driver",  "DRIVER", "Drivers", "river", "d",  "dr", "licence",  "License",
       "LICENSE", "licen",  "ce",      "se",    "dl", "DL", "dln",      "Dln",
       "dlx",     "x",      " ",       "_",     "1",  "#",  "\xc3\xa9", "l",
       "i",       "c",      "e",       "n",     "v",  "r"});
}

}  // namespace
}  // namespace sunshine::pii
