// The postal-code, house, driver-licence, number, IPv4, e-mail and IPv6 triggers are matched by
// hand, in one pass (number_shapes.h); they must report the end offsets Hyperscan reports for
// their patterns, in Hyperscan's order (one block scan of the whole text). Random strings from the
// shapes' alphabets and tokens, fixed seed, compared with Hyperscan itself.
#include <gtest/gtest.h>
#include <hs/hs.h>

#include <functional>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/redact/byte_masks.h"
#include "engine/redact/number_shapes.h"
#include "engine/redact/pii_scanner.h"

namespace sunshine::pii {
namespace {

// One Hyperscan database of `patterns`, pattern k with id k (as in the scanner's database).
class HyperscanPattern {
 public:
  HyperscanPattern(std::string_view pattern, unsigned flags) : HyperscanPattern({pattern}, flags) {}
  HyperscanPattern(std::initializer_list<std::string_view> patterns, unsigned flags) {
    std::vector<std::string> expressions(patterns.begin(), patterns.end());
    std::vector<const char*> c_strings;
    std::vector<unsigned> all_flags;
    std::vector<unsigned> ids;
    for (const std::string& expression : expressions) {
      ids.push_back(static_cast<unsigned>(c_strings.size()));
      c_strings.push_back(expression.c_str());
      all_flags.push_back(flags);
    }
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(c_strings.data(), all_flags.data(), ids.data(),
                         static_cast<unsigned>(ids.size()), HS_MODE_BLOCK, nullptr, &database_,
                         &error) != HS_SUCCESS) {
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

  // Each match's pattern id and end, in the order Hyperscan reports them.
  std::vector<std::pair<unsigned, std::size_t>> IdsAndEnds(std::string_view text) const {
    std::vector<std::pair<unsigned, std::size_t>> found;
    if (database_ == nullptr) {
      return found;
    }
    hs_scan(
        database_, text.data(), static_cast<unsigned>(text.size()), 0, scratch_,
        [](unsigned id, unsigned long long, unsigned long long to, unsigned, void* context) {
          static_cast<std::vector<std::pair<unsigned, std::size_t>>*>(context)->emplace_back(
              id, static_cast<std::size_t>(to));
          return 0;
        },
        &found);
    return found;
  }
  std::vector<std::size_t> Ends(std::string_view text) const {
    std::vector<std::size_t> ends;
    for (const auto& [id, end] : IdsAndEnds(text)) {
      ends.push_back(end);
    }
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

// All that FindTriggerShapes found, as text.
std::string Describe(const TriggerShapes& shapes) {
  std::string out = "runs";
  for (const DigitTriggerRun& run : shapes.digit_runs) {
    out += std::string(run.ipv4 ? " ipv4 " : " ") + std::to_string(run.first) + ".." +
           std::to_string(run.last);
  }
  auto list = [&](const char* name, const std::vector<std::size_t>& ends) {
    out += std::string("; ") + name;
    for (std::size_t end : ends) {
      out += ' ' + std::to_string(end);
    }
  };
  list("house", shapes.house_ends);
  list("zip", shapes.zip_ends);
  out += "; zip in order " + std::to_string(shapes.zip_in_order);
  list("dl", shapes.dl_ends);
  out += "; email/ipv6";
  for (const EmailIpv6End& end : shapes.email_ipv6) {
    out += std::string(end.ipv6 ? " ipv6 " : " ") + std::to_string(end.end);
  }
  return out;
}

// The vector paths FindTriggerShapes can take on this CPU.
std::vector<VectorPath> Paths() {
  std::vector<VectorPath> paths = {VectorPath::kSse2};
#if defined(__SSE2__)
  if (Avx2Supported()) {
    paths.push_back(VectorPath::kAvx2);
  }
#endif
  return paths;
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
        TriggerShapes shapes;
        FindTriggerShapes(text, shapes);
        for (std::size_t i = 1; i < shapes.zip_in_order; ++i) {
          EXPECT_LT(shapes.zip_ends[i - 1], shapes.zip_ends[i]);
        }
        return shapes.zip_ends;
      },
      {"City",     " ",     "  ", "\t",         "12345",    "1234",       "123", "123456",
       "-",        "-6789", "\n", "\r\n",       "\r",       ",",          ".",   "MO",
       "\xc3\xa9", "x1",    "_",  "65101-1234", " 65101\n", "St. Louis,", "\v",  "9"});
}

TEST(TriggerShapesTest, HouseMatchesHyperscan) {
  ExpectSameAsHyperscan(
      kHouseTriggerPattern, 0,
      [](std::string_view text) {
        TriggerShapes shapes;
        FindTriggerShapes(text, shapes);
        return shapes.house_ends;
      },
      {"12 ", "123456 ", "7",    "Main ", "Oak ", "St ",  "main ", "\xc3\x89mile ", "A-b ",
       "A1 ", "( ",      "Dr. ", "\n",    "\t",   "_",    "x",     "99999",         "5th ",
       ". ",  "B/C ",    "\v",   " ",     "12",   "Main", "1 ",    "Oak",           "\xc3"});
}

// The number and IPv4 triggers are found together: their runs of ends must be exactly what one
// Hyperscan database of both reports, in its order, each run within one digit chain.
TEST(TriggerShapesTest, DigitTriggersMatchHyperscan) {
  // As in the scanner's database: the number trigger first (id 0), IPv4 second (id 1).
  HyperscanPattern database({kNumberTriggerPattern, kIpv4TriggerPattern}, 0);
  struct Reported {
    bool ipv4;
    std::size_t end;
  };
  const std::vector<std::string> tokens = {
      "1",  "23",  "456", "7890", "123456",     "0123456789012345678",
      " ",  "  ",  "   ", "-",    ".",          ".",
      ".",  "(",   ")",   "/",    "- ",         ").",
      "a",  "x1",  ":",   "\n",   "+",          "_",
      "\t", "1.2", "..",  "\xc3", "9/",         "5",
      "10", ".1",  "1.",  "255.", "192.168.1.1"};
  std::mt19937 random(20261129);
  int differences = 0;
  int with_number = 0;
  int with_ipv4 = 0;
  constexpr int kCases = 200000;
  for (int i = 0; i < kCases && differences < 5; ++i) {
    // Longer than RandomText's: chains are measured 32 bytes at a time, walked near the end.
    std::string text;
    for (std::size_t n = random() % 40 + 1; n > 0; --n) {
      text += tokens[random() % tokens.size()];
    }
    // A heap buffer that ends where the text does, so that under ASan a read past the text's
    // end fails (the block path once read up to 15 bytes past it).
    text.shrink_to_fit();
    std::vector<Reported> expected;
    for (const auto& [id, end] : database.IdsAndEnds(text)) {
      expected.push_back({id == 1, end});
    }
    TriggerShapes shapes;
    FindTriggerShapes(text, shapes);
    const std::vector<DigitTriggerRun>& runs = shapes.digit_runs;
    // Expand each run over the reported ends it stands for.
    std::string problem;
    std::size_t j = 0;
    for (const DigitTriggerRun& run : runs) {
      if (j >= expected.size() || expected[j].ipv4 != run.ipv4 || expected[j].end != run.first) {
        problem = "a run starts at no reported end";
        break;
      }
      std::size_t end = expected[j++].end;
      while (end != run.last && j < expected.size() && expected[j].ipv4 == run.ipv4 &&
             expected[j].end - end < 16) {
        end = expected[j++].end;
      }
      if (end != run.last) {
        problem = "a run does not end at a reported end in a row";
        break;
      }
      for (std::size_t k = run.first - 1; k < run.last; ++k) {
        if (std::string_view("0123456789 -.()/").find(text[k]) == std::string_view::npos) {
          problem = "a run crosses a byte outside digit chains";
        }
      }
    }
    if (problem.empty() && j != expected.size()) {
      problem = "reported ends left without runs";
    }
    for (const Reported& reported : expected) {
      (reported.ipv4 ? with_ipv4 : with_number) += 1;
    }
    if (!problem.empty()) {
      ++differences;
      std::string reported;
      for (const Reported& r : expected) {
        reported += (r.ipv4 ? " ipv4@" : " number@") + std::to_string(r.end);
      }
      std::string found;
      for (const DigitTriggerRun& run : runs) {
        found += (run.ipv4 ? " ipv4@" : " number@") + std::to_string(run.first) + ".." +
                 std::to_string(run.last);
      }
      ADD_FAILURE() << "'" << text << "': " << problem << "; Hyperscan" << reported << ", by hand"
                    << found;
    }
  }
  EXPECT_GT(with_number, kCases / 10) << "the generator must produce matches to compare";
  EXPECT_GT(with_ipv4, kCases / 100) << "the generator must produce matches to compare";
}

// The e-mail and IPv6 triggers are listed together: their ends must be what one Hyperscan
// database of both reports, in its order.
TEST(TriggerShapesTest, EmailAndIpv6MatchHyperscan) {
  HyperscanPattern database({kEmailTriggerPattern, kIpv6TriggerPattern}, 0);
  const std::vector<std::string> tokens = {
      "@",    "@",    "a",   "x1",   "-",     ".",     "..",   "com",   ":",     "::",
      ":",    "fe80", "12",  "abcd", "ABCDE", "Ff",    "g",    "G",     " ",     "\n",
      "_",    "%",    "+",   "0",    "\xc3",  "\xa9",  "1.2",  "@mail", ".org",  "ab:cd",
      ":12:", "34:",  "::1", "a-b",  "@x.y",  "user@", "9:00", "De:ad", ":beef", "1:2:3:4"};
  std::mt19937 random(20261129);
  int differences = 0;
  int with_email = 0;
  int with_ipv6 = 0;
  constexpr int kCases = 200000;
  for (int i = 0; i < kCases && differences < 5; ++i) {
    // Long enough for the 16-byte blocks, whose candidates are taken one block at a time.
    std::string text;
    for (std::size_t n = random() % 40 + 1; n > 0; --n) {
      text += tokens[random() % tokens.size()];
    }
    std::vector<EmailIpv6End> expected;
    for (const auto& [id, end] : database.IdsAndEnds(text)) {
      expected.push_back({id == 1, end});
    }
    TriggerShapes shapes;
    FindTriggerShapes(text, shapes);
    auto print = [](const std::vector<EmailIpv6End>& ends) {
      std::string out;
      for (const EmailIpv6End& end : ends) {
        out += (end.ipv6 ? " ipv6@" : " email@") + std::to_string(end.end);
      }
      return out;
    };
    for (const EmailIpv6End& end : expected) {
      (end.ipv6 ? with_ipv6 : with_email) += 1;
    }
    if (print(expected) != print(shapes.email_ipv6)) {
      ++differences;
      ADD_FAILURE() << "'" << text << "': Hyperscan" << print(expected) << ", by hand"
                    << print(shapes.email_ipv6);
    }
  }
  EXPECT_GT(with_email, kCases / 10) << "the generator must produce matches to compare";
  EXPECT_GT(with_ipv6, kCases / 10) << "the generator must produce matches to compare";
}

// The pass reads 16 and 32 bytes at a time, but what lies after the text must not change what
// it finds there (the scanner's texts are views into larger buffers): a view finds what a copy
// of it finds, with digits, "@" and letters after its end.
TEST(TriggerShapesTest, NothingPastTheEndOfTheText) {
  const std::string afters[] = {"1234567890123456789 Main 12 x@y.z a:b:c:d driver dl 65101\n",
                                "12 Main 34 x",
                                "5.6.7 ",
                                "@a.b",
                                ":1:2:3",
                                "iver",
                                "l"};
  for (VectorPath path : Paths()) {
    for (const std::string& after : afters) {
      for (std::size_t size = 1; size <= 80; ++size) {
        for (std::size_t digits = 0; digits <= size; ++digits) {
          std::string copy = std::string(size - digits, 'x') + std::string(digits, '7');
          std::string buffer = copy + after;
          TriggerShapes in_view;
          FindTriggerShapes(std::string_view(buffer).substr(0, size), in_view, path);
          TriggerShapes in_copy;
          FindTriggerShapes(copy, in_copy, path);
          ASSERT_EQ(Describe(in_view), Describe(in_copy))
              << size << " bytes, " << digits << " digits, then '" << after << "'"
              << (path == VectorPath::kAvx2 ? " (AVX2)" : " (SSE2)");
        }
      }
    }
  }
}

// The scanner slots the runs in among its other triggers' hits (word pass, hand-matched shapes,
// Hyperscan) and coalesces them: its hits must be those it had when Hyperscan matched the number
// and IPv4 triggers too. Texts of all triggers' tokens, so that their hits interleave.
TEST(TriggerShapesTest, ScannerTriggerHitsAsWithHyperscan) {
  const std::vector<std::string> tokens = {
      "1",         "23",        "456",     "7890",   "123456",      "0123456789012",
      " ",         "  ",        "-",       ".",      "(",           ")",
      "/",         "\n",        "\r\n",    "\t",     ":",           "1.2",
      "10.0.0.1",  "255.",      "Mr ",     "Dr. ",   "dear ",       "Main ",
      "Oak St ",   "St",        "apt ",    "Suite ", "P.O. Box ",   "my name is ",
      "Ann ",      "@mail.com", "x@y.org", "born ",  "DOB: ",       "d.o.b",
      "passport ", "driver ",   "licence", "DL ",    "ab:cd:12:34", "::1",
      "fe80::",    "City ",     "MO ",     "65101",  "-1234",       "5út",
      "\xc3\xa9",  "x",         "_",       "a1",     "Date: "};
  std::mt19937 random(20261129);
  int differences = 0;
  constexpr int kCases = 40000;
  for (int i = 0; i < kCases && differences < 5; ++i) {
    std::string text;
    std::size_t n = random() % 48 + 1;
    for (std::size_t k = 0; k < n; ++k) {
      text += tokens[random() % tokens.size()];
    }
    std::string expected = TriggerHitsForTest(text, true);
    std::string actual = TriggerHitsForTest(text, false);
    if (expected != actual) {
      ++differences;
      ADD_FAILURE() << "'" << text << "': with Hyperscan " << expected << ", now " << actual;
    }
  }
}

// The pass runs its blocks on AVX2 where the CPU has it (the tests above then check that path
// against Hyperscan), else on SSE2: both must find the same, on texts of all triggers' tokens
// long enough for many blocks of 16 and 32 bytes.
TEST(TriggerShapesTest, Avx2PathFindsWhatSse2PathFinds) {
#if defined(__SSE2__)
  if (!Avx2Supported()) {
    GTEST_SKIP() << "this CPU has no AVX2";
  }
  const std::vector<std::string> tokens = {"1",
                                           "23",
                                           "456",
                                           "7890",
                                           "123456",
                                           "0123456789012",
                                           " ",
                                           "  ",
                                           "-",
                                           ".",
                                           "(",
                                           ")",
                                           "/",
                                           "\n",
                                           "\r\n",
                                           "\t",
                                           ":",
                                           "1.2",
                                           "10.0.0.1",
                                           "255.",
                                           "1.2.3.",
                                           "Main ",
                                           "Oak St ",
                                           "12 Main St 34",
                                           "@mail.com",
                                           "x@y.org",
                                           "@",
                                           "driver ",
                                           "licence",
                                           "license",
                                           "DL ",
                                           "dln",
                                           "riv",
                                           "lic",
                                           "ab:cd:12:34",
                                           "::1",
                                           "fe80::",
                                           "City ",
                                           "MO ",
                                           "65101",
                                           "-1234",
                                           " 65101\n",
                                           "\xc3\xa9",
                                           "x",
                                           "_",
                                           "a1",
                                           "Date: ",
                                           "9:00",
                                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                           "                                "};
  std::mt19937 random(20261129);
  int differences = 0;
  constexpr int kCases = 100000;
  for (int i = 0; i < kCases && differences < 5; ++i) {
    std::string text;
    for (std::size_t n = random() % 80 + 1; n > 0; --n) {
      text += tokens[random() % tokens.size()];
    }
    text.shrink_to_fit();  // under ASan, a read past the text's end fails
    TriggerShapes sse2;
    FindTriggerShapes(text, sse2, VectorPath::kSse2);
    TriggerShapes avx2;
    FindTriggerShapes(text, avx2, VectorPath::kAvx2);
    if (Describe(sse2) != Describe(avx2)) {
      ++differences;
      ADD_FAILURE() << "'" << text << "': SSE2 " << Describe(sse2) << "\nAVX2 " << Describe(avx2);
    }
  }
#else
  GTEST_SKIP() << "no vector paths on this target";
#endif
}

TEST(TriggerShapesTest, DriverLicenceMatchesHyperscan) {
  ExpectSameAsHyperscan(
      kDlTriggerPattern.substr(4),  // without "(?i)": Hyperscan takes it as a flag
      HS_FLAG_CASELESS,
      [](std::string_view text) {
        TriggerShapes shapes;
        FindTriggerShapes(text, shapes);
        return shapes.dl_ends;
      },
      {"driver",  "DRIVER", "Drivers", "river", "d",  "dr", "licence",  "License",
       "LICENSE", "licen",  "ce",      "se",    "dl", "DL", "dln",      "Dln",
       "dlx",     "x",      " ",       "_",     "1",  "#",  "\xc3\xa9", "l",
       "i",       "c",      "e",       "n",     "v",  "r"});
}

}  // namespace
}  // namespace sunshine::pii
