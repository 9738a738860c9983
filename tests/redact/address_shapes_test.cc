#include "engine/redact/address_shapes.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace sunshine::pii {
namespace {

// The windowed search loop (ForEachWindowedMatch with a window function) must find exactly the
// matches the plain loop finds: RE2::Match over the whole range, on from each match's end. The
// scanner's options: Latin-1, so every byte is a character and \b is ASCII-only. Random token
// strings, random sub-ranges, fixed seed.
RE2::Options SpecOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  return options;
}

using Matches = std::vector<std::pair<std::size_t, std::size_t>>;

Matches PlainMatches(const RE2& re, std::string_view text, TextRange range) {
  Matches out;
  std::size_t pos = range.start;
  re2::StringPiece match;
  re2::StringPiece input(text.data(), text.size());
  while (pos < range.end && re.Match(input, pos, range.end, RE2::UNANCHORED, &match, 1)) {
    std::size_t start = static_cast<std::size_t>(match.data() - text.data());
    std::size_t end = start + match.size();
    out.emplace_back(start, end);
    pos = end > start ? end : start + 1;
  }
  return out;
}

// Tokens mostly one space apart, as in prose; sometimes run together or split by other
// separators.
std::string RandomText(std::mt19937& random, const std::vector<std::string>& tokens) {
  static const char* kSeparators[] = {" ", " ", " ", " ", " ", " ", "", "", "  ", "\n", ", ", ". "};
  std::string text;
  std::size_t n = random() % 16 + 1;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0) {
      text += kSeparators[random() % (sizeof(kSeparators) / sizeof(*kSeparators))];
    }
    text += tokens[random() % tokens.size()];
  }
  return text;
}

template <typename Next>
void ExpectSameMatches(std::string_view pattern, Next next, const std::vector<std::string>& tokens,
                       int cases, int min_matches) {
  RE2 re(re2::StringPiece(pattern.data(), pattern.size()), SpecOptions());
  ASSERT_TRUE(re.ok()) << re.error();
  std::mt19937 random(20261129);
  int differences = 0;
  int matches = 0;
  for (int i = 0; i < cases && differences < 5; ++i) {
    std::string text = RandomText(random, tokens);
    TextRange range{0, text.size()};
    if (random() % 2 == 0) {
      range.start = random() % (text.size() + 1);
      range.end = range.start + random() % (text.size() - range.start + 1);
    }
    Matches expected = PlainMatches(re, text, range);
    Matches actual;
    ForEachWindowedMatch(re, text, range, next,
                         [&](std::size_t s, std::size_t e) { actual.emplace_back(s, e); });
    matches += static_cast<int>(expected.size());
    if (expected != actual) {
      ++differences;
      std::string got;
      for (const auto& [s, e] : actual) {
        got += " " + std::to_string(s) + "-" + std::to_string(e);
      }
      std::string want;
      for (const auto& [s, e] : expected) {
        want += " " + std::to_string(s) + "-" + std::to_string(e);
      }
      ADD_FAILURE() << "'" << text << "' [" << range.start << ", " << range.end << "): plain"
                    << want << ", windowed" << got;
    }
  }
  EXPECT_GT(matches, min_matches) << "the generator must produce matches to compare";
}

constexpr int kCases = 300000;

TEST(AddressShapesTest, UsStreetWindowsKeepEveryMatch) {
  std::vector<std::string> tokens = {
      "12",        "5",           "1234567",  "12B",     "7-9",      "3,",         " ",
      " ",         " ",           " ",        "  ",      "\n",       "\t",         "N",
      "S.",        "north",       "Elm",      "elm",     "Maple",    "O'Hara",     "St.",
      "x-y",       "a.b",         "\xc3\xa9", "\xe9",    "_",        "9_",         "b9",
      "(",         ")",           "/",        ",",       ".",        "-",          "'",
      "#",         "street",      "Street",   "STREET",  "Streets",  "st",         "St",
      "ST",        "sts",         "ave",      "Ave.",    "road",     "Rd",         "boulevard",
      "Boulevard", "blvd",        "drive",    "Dr",      "lane",     "ln",         "court",
      "ct",        "place",       "pl",       "way",     "Way",      "parkway",    "pkwy",
      "highway",   "hwy",         "circle",   "cir",     "terrace",  "ter",        "trail",
      "trl",       "square",      "sq",       "plaza",   "alley",    "crescent",   "row",
      "rows",      "wayne",       "apt",      "Apt",     "suite",    "Unit",       "#4",
      "rm",        "Springfield", ", IL",     " IL",     "62704",    "62704-1234", "-1234",
      "Mr",        "X",           "the",      "at",      "and",      "7 ",         "12 Elm ",
      " St",       " Ave",        " Street",  ", Apt 5", " Main St",
  };
  ExpectSameMatches(kUsStreetPattern, NextUsStreetWindow, tokens, kCases, kCases / 20);
}

TEST(AddressShapesTest, NamedStreetWindowsKeepEveryMatch) {
  std::vector<std::string> tokens = {
      "Elm",    "elm",     "E",      "Oak",   "\xc9lan", "\xe9t\xe9", "\xc3",      "\xdf",
      "a",      "9",       "_",      "Q_",    "1st",     " ",         " ",         " ",
      "  ",     "\n",      "-",      ".",     ",",       "'",         "Street",    "Streets",
      "street", "Street_", "Avenue", "Road",  "Roads",   "Lane",      "Boulevard", "Drive",
      "Drive9", "Dr",      "Ave",    " Road", " Lane",   " Street",   "Main",      "MAIN",
      "O",      "St",      "Av\xe9", "Rd",
  };
  ExpectSameMatches(kNamedStreetPattern, NextNamedStreetWindow, tokens, kCases, kCases / 20);
}

// A line that one of the strong line patterns matches (RE2 runs them unanchored, as the
// scanner's set does) must pass MayBeStrongAddressLine.
TEST(AddressShapesTest, StrongLinesMayBeStrong) {
  std::vector<std::unique_ptr<RE2>> owned;
  for (std::string_view pattern : {kUnitLinePattern, kPostalLinePattern, kNumberWordsLinePattern,
                                   kWordsNumberLinePattern, kUsStreetPattern, kPoBoxPattern}) {
    owned.push_back(
        std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), SpecOptions()));
    ASSERT_TRUE(owned.back()->ok()) << owned.back()->error();
  }
  std::vector<std::string> tokens = {
      " ",     "\t",         ">",           "?",        "> ",
      "\r",    "\f",         "\v",          "12",       "5",
      "62704", "-1234",      "5B",          "#",        "#4",
      "Apt",   "apt",        "APARTMENT",   "Suite",    "ste",
      "UNIT",  "Room",       "floor",       "FLOOR",    "Elm",
      "St",    "Street",     "Springfield", "IL",       ",",
      ".",     "(",          ")",           "'",        "-",
      "\xc9",  "\xe9t\xe9",  "PO Box",      "p.o. box", "Box",
      "x",     "Oslo",       "N",           "Maple",    "Ave",
      "the",   "of",         "12a.",        "7B",       "3.",
      "BOX 9", "a",          "Rd",          "court",    "713-853-5432",
      "10:32", "05/01/2001", "123456",      "4321",     "-12",
      "12.",   "a1234",      "apa",         "aptx",     "Ste.",
      "1 "};
  std::mt19937 random(20261129);
  int strong_lines = 0;
  int differences = 0;
  for (int i = 0; i < kCases && differences < 5; ++i) {
    std::string line = RandomText(random, tokens);
    line.erase(std::remove(line.begin(), line.end(), '\n'), line.end());
    re2::StringPiece input(line.data(), line.size());
    bool matched = false;
    for (const auto& re : owned) {
      matched = matched || RE2::PartialMatch(input, *re);
    }
    strong_lines += matched ? 1 : 0;
    if (matched && !MayBeStrongAddressLine(line)) {
      ++differences;
      ADD_FAILURE() << "'" << line << "' matches a strong line pattern";
    }
  }
  EXPECT_GT(strong_lines, kCases / 20) << "the generator must produce strong lines";
}

// The gates are not vacuous: most of a prose window is skipped, the matches are still found.
TEST(AddressShapesTest, WindowsSkipProse) {
  std::string text =
      "Please review the budget before friday at 10 . The meeting moved to 3801 Maple Street "
      "near the office, and 2 of us then walked along to Elm Road . Call 555 about it";
  TextRange window{};
  ASSERT_TRUE(NextUsStreetWindow(text, 0, text.size(), &window));
  EXPECT_EQ(text.substr(window.start, 4), "3801");
  EXPECT_FALSE(NextUsStreetWindow(text, text.find("Street") + 6, text.size(), &window));
  ASSERT_TRUE(NextNamedStreetWindow(text, 0, text.size(), &window));
  EXPECT_EQ(text.substr(window.start, window.end - window.start), "Maple Street");
  ASSERT_TRUE(NextNamedStreetWindow(text, window.end, text.size(), &window));
  EXPECT_EQ(text.substr(window.start, window.end - window.start), "Elm Road");
}

}  // namespace
}  // namespace sunshine::pii
