// The unit and introduction trigger words are found by hand in the scanner's word pass; they
// must be reported where the Hyperscan patterns they replaced reported matches. Hyperscan
// reports every end offset of every match; for these patterns each start has at most one end,
// so the specification is: RE2, anchored at every offset, with Hyperscan's character classes
// (\s is [\t\n\v\f\r ]: Hyperscan's includes \v, RE2's does not; \b and \w are ASCII),
// distinct ends in order. Random strings of the words and their look-alikes, fixed seed.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/redact/byte_masks.h"
#include "engine/redact/pii_scanner.h"

namespace sunshine::pii {
namespace {

// The patterns as they were in the Hyperscan database (caseless), \s spelled out.
constexpr std::string_view kUnitSpec =
    R"((?i)\b(?:apt|apartment|suite|ste|unit|psc|usn?s|p\.?[\t\n\v\f\r ]?o\.?[\t\n\v\f\r ]*box)\b)";
constexpr std::string_view kIntroSpec =
    R"((?i)\b(?:name is|call me|calls me|named|this is|signed by|contact person|says|said|asked|told|wrote)[\t\n\v\f\r ]+\w)";

std::vector<std::size_t> SpecEnds(const RE2& re, std::string_view text) {
  std::set<std::size_t> ends;
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece match;
  for (std::size_t start = 0; start <= text.size(); ++start) {
    if (re.Match(input, start, text.size(), RE2::ANCHOR_START, &match, 1)) {
      ends.insert(static_cast<std::size_t>(match.data() - text.data()) + match.size());
    }
  }
  return {ends.begin(), ends.end()};
}

std::string RandomText(std::mt19937& random) {
  static const char* kTokens[] = {
      "apt",      "Apt",      "APARTMENT", "apartments", "suite",      "Suite",
      "ste",      "unit",     "units",     "psc",        "uss",        "USNS",
      "usnss",    "p",        "P",         "o",          "O",          ".",
      "box",      "BOX",      "Box",       "boxes",      "po",         "pobox",
      "name",     "Name",     "is",        "IS",         "isle",       "call",
      "calls",    "me",       "Me",        "named",      "this",       "This",
      "signed",   "by",       "contact",   "person",     "says",       "said",
      "SAID",     "asked",    "told",      "wrote",      "rewrote",    " ",
      " ",        "  ",       "\t",        "\n",         "\v",         "\r\n",
      ",",        ":",        "_",         "1",          "x",          "\xc3\xa9",
      "-",        "St",       "Dr",        "Mr.",        "Hi,",        "contact person ",
      "name is ", "call me ", "calls me ", "this is ",   "signed by ", "p.o. box ",
      "P O Box",  "PO BOX ",  "usns "};
  std::string text;
  std::size_t n = random() % 12 + 1;
  for (std::size_t i = 0; i < n; ++i) {
    text += kTokens[random() % (sizeof(kTokens) / sizeof(*kTokens))];
  }
  return text;
}

void ExpectSameEnds(std::string_view spec, std::string_view family) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  RE2 re(re2::StringPiece(spec.data(), spec.size()), options);
  ASSERT_TRUE(re.ok()) << re.error();
  std::mt19937 random(20261129);
  int differences = 0;
  int with_hits = 0;
  for (int i = 0; i < 100000 && differences < 5; ++i) {
    std::string text = RandomText(random);
    std::vector<std::size_t> expected = SpecEnds(re, text);
    std::vector<std::size_t> actual = WordTriggerEndsForTest(text, family);
    with_hits += expected.empty() ? 0 : 1;
    if (expected != actual) {
      ++differences;
      ADD_FAILURE() << family << " '" << text << "': spec " << testing::PrintToString(expected)
                    << ", word pass " << testing::PrintToString(actual);
    }
  }
  EXPECT_GT(with_hits, 1000) << "the generator must produce matches to compare";
}

TEST(TriggerWordsTest, UnitWordsMatchTheirPattern) { ExpectSameEnds(kUnitSpec, "unit"); }

TEST(TriggerWordsTest, IntroductionsMatchTheirPattern) { ExpectSameEnds(kIntroSpec, "intro"); }

TEST(TriggerWordsTest, Examples) {
  EXPECT_EQ(WordTriggerEndsForTest("P.O. Box 12", "unit"), std::vector<std::size_t>{8});
  EXPECT_EQ(WordTriggerEndsForTest("Apt 4, apts", "unit"), std::vector<std::size_t>{3});
  EXPECT_EQ(WordTriggerEndsForTest("my name is  Ann", "intro"), std::vector<std::size_t>{13});
  EXPECT_TRUE(WordTriggerEndsForTest("renamed x", "intro").empty());
}

// The word pass answers its prefix questions (trigger word? given name?) from one fused table
// by blocks of 32 bytes and matches given names by 16-byte blocks; it must find exactly what
// the plain pass (two separate tables, a call and a byte loop per word) finds. Random strings
// of names in every case, trigger words, random letter runs (random four-letter prefixes),
// digits, UTF-8 and separators; fixed seed. Some texts are long: the pass works by blocks of
// 32 bytes, with the last 16 to 47 bytes of a text apart, and words must cross both kinds of
// seam.
std::string RandomWordPassText(std::mt19937& random) {
  static const char* kTokens[] = {
      "mary",      "Mary",     "MARY",     "mAry",     "john",     "John",     "JOHNSON", "james",
      "robert",    "Robert",   "linda",    "Linda",    "patricia", "jennifer", "michael", "william",
      "Elizabeth", "ann",      "Ann",      "al",       "Ed",       "marybeth", "johnny",  "apt",
      "Apt",       "st",       "St",       "Dr.",      "mr",       "Mrs.",     "dear",    "Hi,",
      "name is ",  "this is ", "p.o. box", "PO Box",   "street",   "straße",   "út",      "said",
      "wrote",     " ",        " ",        "  ",       "\n",       "\t",       ",",       ".",
      "_",         "1",        "42",       "\xc3\xa9", "-",        "'",        "@",       "[",
      "`",         "{",        "\x7f",     "\xff",     "p",        "P"};
  std::string text;
  std::size_t n = random() % 8 == 0 ? random() % 100 + 1 : random() % 14 + 1;
  for (std::size_t i = 0; i < n; ++i) {
    if (random() % 4 == 0) {
      // A random run of letters, often of both cases.
      std::size_t length = random() % 7 + 1;
      for (std::size_t k = 0; k < length; ++k) {
        char base = random() % 5 == 0 ? 'A' : 'a';
        text += static_cast<char>(base + random() % 26);
      }
    } else {
      text += kTokens[random() % (sizeof(kTokens) / sizeof(*kTokens))];
    }
  }
  return text;
}

TEST(TriggerWordsTest, FusedWordPassMatchesPlainPass) {
  std::mt19937 random(20261129);
  int differences = 0;
  int with_names = 0;
  int with_lower_names = 0;
  for (int i = 0; i < 100000 && differences < 5; ++i) {
    std::string text = RandomWordPassText(random);
    std::string expected = WordPassForTest(text, /*reference=*/true);
    std::string actual = WordPassForTest(text, /*reference=*/false);
    std::string sse2 = WordPassForTest(text, /*reference=*/false, /*sse2=*/true);
    with_names += expected.rfind("names;", 0) == 0 ? 0 : 1;
    with_lower_names += expected.find(" mary@") != std::string::npos ? 1 : 0;
    if (expected != actual) {
      ++differences;
      ADD_FAILURE() << "'" << text << "': plain pass " << expected << ", fused " << actual;
    }
    if (expected != sse2) {
      ++differences;
      ADD_FAILURE() << "'" << text << "': plain pass " << expected << ", fused on SSE2 " << sse2;
    }
  }
  EXPECT_GT(with_names, 10000) << "the generator must produce names to compare";
  EXPECT_GT(with_lower_names, 1000) << "and lower-case ones";
}

// The fused pass runs its blocks on AVX2 where the CPU has it (the test above then checks
// both paths against the plain pass), else on SSE2: both must find the same, on texts long
// enough for many blocks and for the seams between AVX2's blocks, SSE2's and the tail.
TEST(TriggerWordsTest, FusedWordPassAvx2PathFindsWhatSse2PathFinds) {
#if defined(__SSE2__)
  if (!Avx2Supported()) {
    GTEST_SKIP() << "this CPU has no AVX2";
  }
  std::mt19937 random(20261130);
  int differences = 0;
  for (int i = 0; i < 20000 && differences < 5; ++i) {
    std::string text;
    for (std::size_t pieces = random() % 6 + 1; pieces > 0; --pieces) {
      text += RandomWordPassText(random);
    }
    std::string avx2 = WordPassForTest(text, /*reference=*/false);
    std::string sse2 = WordPassForTest(text, /*reference=*/false, /*sse2=*/true);
    if (avx2 != sse2) {
      ++differences;
      ADD_FAILURE() << "'" << text << "': SSE2 " << sse2 << ", AVX2 " << avx2;
    }
  }
#else
  GTEST_SKIP() << "no vector paths on this target";
#endif
}

// The surname rules' block path (16 bytes at a time for short ASCII words) against the byte
// loops, on random texts of surnames, given names, words of every case, possessives,
// hyphens, apostrophes, " and ", digits, "@" and UTF-8 letters, often 16 bytes or longer.
TEST(TriggerWordsTest, SurnameBlockPathMatchesByteLoops) {
  static const char* kTokens[] = {"Nakamura",
                                  "Kowalczyk",
                                  "Thibodeaux",
                                  "Whitfield",
                                  "Brennan",
                                  "Delacroix",
                                  "Sousa",
                                  "Ball",
                                  "Smith",
                                  "SMITH",
                                  "smith",
                                  "Jessica",
                                  "Mary",
                                  "Houston",
                                  "O'Neil",
                                  "Jean-Luc",
                                  "McDonald",
                                  "Nakamura's",
                                  "Sousa's",
                                  " and ",
                                  " and ",
                                  " ",
                                  " ",
                                  "\n",
                                  ",",
                                  ".",
                                  "@",
                                  "/",
                                  "_",
                                  "1",
                                  "-",
                                  "'",
                                  "'s",
                                  "\xc3\x89mile",
                                  "\xc3\xa9",
                                  "Zo\xc3\xab",
                                  "Abcdefghijklmnopq",
                                  "Vonderhaarington"};
  std::mt19937 random(20261129);
  int differences = 0;
  int with_surnames = 0;
  int with_pairs = 0;
  for (int i = 0; i < 100000 && differences < 5; ++i) {
    std::string text;
    std::size_t n = random() % 30 + 1;
    for (std::size_t k = 0; k < n; ++k) {
      if (random() % 5 == 0) {
        std::size_t length = random() % 20 + 1;  // a random word, sometimes past 16 bytes
        text += static_cast<char>('A' + random() % 26);
        for (std::size_t j = 1; j < length; ++j) {
          text += static_cast<char>((random() % 4 == 0 ? 'A' : 'a') + random() % 26);
        }
      } else {
        text += kTokens[random() % (sizeof(kTokens) / sizeof(*kTokens))];
      }
    }
    std::string expected = SurnamesForTest(text, /*reference=*/true);
    std::string actual = SurnamesForTest(text, /*reference=*/false);
    with_surnames += expected.find(" surname\n") != std::string::npos ? 1 : 0;
    with_pairs += expected.find(" name-pair\n") != std::string::npos ? 1 : 0;
    if (expected != actual) {
      ++differences;
      ADD_FAILURE() << "'" << text << "': byte loops\n" << expected << "block path\n" << actual;
    }
  }
  EXPECT_GT(with_surnames, 5000) << "the generator must produce surnames to compare";
  EXPECT_GT(with_pairs, 200) << "and name pairs";
}

// The surname rules' word starts by blocks of 32 bytes (on both vector paths) against the byte
// loop, on random bytes
// of every class the blocks tell apart (capitals, small letters, digits, "_", "@", ".", "/",
// their neighbours in the byte order, UTF-8 continuation and lead bytes, NUL), some texts
// longer than the blocks' queue (1 KB) and all lengths of tail.
TEST(TriggerWordsTest, CapitalStartsMatchByteLoop) {
  static const unsigned char kBytes[] = {'A',  'M',  'Z',  'a',  'q',  'z',  '0',  '9',  '_',  '@',
                                         '.',  '/',  ' ',  '\n', '-',  '\'', '?',  '[',  '`',  '{',
                                         ':',  '+',  0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC3,
                                         0xDA, 0xE2, 0xF0, 0xFF, 'A',  'B',  'C',  ' ',  ' '};
  std::mt19937 random(20261130);
  int differences = 0;
  std::size_t starts = 0;
  for (int i = 0; i < 20000 && differences < 5; ++i) {
    std::size_t length = random() % 8 == 0 ? random() % 2200 : random() % 100;
    std::string text;
    for (std::size_t k = 0; k < length; ++k) {
      text +=
          static_cast<char>(random() % 4 == 0 ? random() % 256 : kBytes[random() % sizeof(kBytes)]);
    }
    std::vector<std::size_t> expected = CapitalStartsForTest(text, /*reference=*/true);
    std::vector<std::size_t> actual = CapitalStartsForTest(text, /*reference=*/false);
    std::vector<std::size_t> actual_sse2 =
        CapitalStartsForTest(text, /*reference=*/false, /*sse2=*/true);
    starts += expected.size();
    if (expected != actual || expected != actual_sse2) {
      ++differences;
      ADD_FAILURE() << "text of " << text.size() << " bytes: " << expected.size()
                    << " starts by bytes, " << actual.size() << " by blocks, " << actual_sse2.size()
                    << " by SSE2 blocks";
    }
  }
  EXPECT_GT(starts, 100000u) << "the generator must produce word starts to compare";
}

TEST(TriggerWordsTest, WordPassExamples) {
  // A salutation (10) reported after the next word byte, a unit (6) at the word end.
  EXPECT_EQ(WordPassForTest("Dear mary, Apt 4", false), "names mary@9; triggers 10@6 6@14");
  EXPECT_EQ(WordPassForTest("Dear mary, Apt 4", true), "names mary@9; triggers 10@6 6@14");
}

}  // namespace
}  // namespace sunshine::pii
