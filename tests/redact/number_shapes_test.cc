#include "engine/redact/number_shapes.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

namespace sunshine::pii {
namespace {

// The hand matchers must find exactly what RE2 finds with their specification patterns (the
// scanner's options: Latin-1, so every byte is a character and \b is ASCII-only). Random
// strings from number-like alphabets and tokens, random sub-ranges, fixed seed.
using Finder = std::function<bool(std::string_view, std::size_t, std::size_t, TextRange*)>;

RE2::Options SpecOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  return options;
}

std::string RandomNumberText(std::mt19937& random) {
  static const char* kAlphabets[] = {
      "0123456789012345678901234567890123456789 - . ()+x",
      "0123456789 -.()+xet_a\xc3\n",
      "00000111+ ( ) . - x ext. extension a",
      "0123456789012345678901234567890123456789 ext.xe( )-+",
  };
  static const char* kTokens[] = {"1",
                                  "+1",
                                  "(123)",
                                  "123",
                                  "-",
                                  ".",
                                  " ",
                                  "x",
                                  "ext",
                                  "ext.",
                                  "extension",
                                  "4567",
                                  "9",
                                  "a",
                                  "_",
                                  "(",
                                  ")",
                                  "+",
                                  "00",
                                  "12",
                                  "\xc3",
                                  "\n",
                                  "e",
                                  "  ",
                                  "555",
                                  "0123",
                                  "12345",
                                  "123-",
                                  "555.",
                                  "123 ",
                                  "(800) ",
                                  "1-",
                                  "+1 ",
                                  "4567 x12",
                                  "456",
                                  "555-",
                                  " x",
                                  " ext. 5",
                                  "078-05-1120",
                                  "4111 1111 1111 1111",
                                  "4111-1111-1111-1111"};
  std::string text;
  if (random() % 2 == 0) {
    const char* alphabet = kAlphabets[random() % 4];
    std::size_t size = std::char_traits<char>::length(alphabet);
    std::size_t n = random() % 60 + 1;
    for (std::size_t i = 0; i < n; ++i) {
      text += alphabet[random() % size];
    }
  } else {
    std::size_t n = random() % 10 + 1;
    for (std::size_t i = 0; i < n; ++i) {
      text += kTokens[random() % (sizeof(kTokens) / sizeof(*kTokens))];
    }
  }
  return text;
}

// Runs `find` and RE2 on `cases` texts from `make_text` (random sub-ranges half of the time)
// and expects the same first match, or none, from both.
void ExpectSameAsRe2On(std::string_view pattern, const Finder& find, int cases, int min_matches,
                       const std::function<std::string(std::mt19937&)>& make_text) {
  RE2 re(re2::StringPiece(pattern.data(), pattern.size()), SpecOptions());
  ASSERT_TRUE(re.ok()) << re.error();
  std::mt19937 random(20261129);
  int differences = 0;
  int matches = 0;
  for (int i = 0; i < cases && differences < 5; ++i) {
    std::string text = make_text(random);
    std::size_t from = random() % (text.size() + 1);
    std::size_t to = from + random() % (text.size() - from + 1);
    if (random() % 2 == 0) {
      from = 0;
      to = text.size();
    }
    re2::StringPiece input(text.data(), text.size());
    re2::StringPiece found;
    bool expected = re.Match(input, from, to, RE2::UNANCHORED, &found, 1);
    TextRange got{};
    bool actual = find(text, from, to, &got);
    std::size_t start = expected ? static_cast<std::size_t>(found.data() - text.data()) : 0;
    std::size_t end = expected ? start + found.size() : 0;
    matches += expected ? 1 : 0;
    if (expected != actual || (expected && (start != got.start || end != got.end))) {
      ++differences;
      ADD_FAILURE() << "'" << text << "' [" << from << ", " << to << "): RE2 " << expected << " "
                    << start << "-" << end << ", hand " << actual << " " << got.start << "-"
                    << got.end;
    }
  }
  EXPECT_GT(matches, min_matches) << "the generator must produce matches to compare";
}

void ExpectSameAsRe2(std::string_view pattern, const Finder& find, int cases) {
  ExpectSameAsRe2On(pattern, find, cases, cases / 50, RandomNumberText);
}

constexpr int kCases = 100000;

TEST(NumberShapesTest, SsnShapeMatchesItsPattern) {
  ExpectSameAsRe2(kSsnShapePattern, FindSsnShape, kCases);
}

TEST(NumberShapesTest, CardShapeMatchesItsPattern) {
  ExpectSameAsRe2(
      kCardShapePattern,
      [](std::string_view t, std::size_t f, std::size_t e, TextRange* m) {
        return FindDigitGroups(t, f, e, 13, 19, m);
      },
      kCases);
}

TEST(NumberShapesTest, DigitRunMatchesItsPattern) {
  ExpectSameAsRe2(
      kDigitRunPattern,
      [](std::string_view t, std::size_t f, std::size_t e, TextRange* m) {
        return FindDigitGroups(t, f, e, 6, 17, m);
      },
      kCases);
}

TEST(NumberShapesTest, NanpPhoneMatchesItsPattern) {
  ExpectSameAsRe2(kNanpPhonePattern, FindNanpPhone, kCases);
}

TEST(NumberShapesTest, IntlPhoneMatchesItsPattern) {
  ExpectSameAsRe2(kIntlPhonePattern, FindIntlPhone, kCases);
}

// As ExpectSameAsRe2, on random strings of 1 to 12 `tokens`.
void ExpectSameAsRe2OnTokens(std::string_view pattern, const Finder& find,
                             const std::vector<std::string>& tokens) {
  ExpectSameAsRe2On(pattern, find, kCases, kCases / 20, [&](std::mt19937& random) {
    std::string text;
    std::size_t n = random() % 12 + 1;
    for (std::size_t k = 0; k < n; ++k) {
      text += tokens[random() % tokens.size()];
    }
    return text;
  });
}

TEST(NumberShapesTest, Ipv4MatchesItsPattern) {
  ExpectSameAsRe2OnTokens(kIpv4Pattern, FindIpv4,
                          {"1", "12", "123", "1234", ".", ".", "..", "255", "0", "a", "_", " ", "-",
                           "192.168.", "10.0.0.1", "1.2.3", "x", "\xc3", "9.9"});
}

// E-mail addresses: address pieces, look-alikes and long letter runs.
TEST(NumberShapesTest, EmailMatchesItsPattern) {
  ExpectSameAsRe2OnTokens(kEmailPattern, FindEmail,
                          {"a",
                           "Bob",
                           "x.y",
                           "@",
                           "@@",
                           ".",
                           "..",
                           "-",
                           "_",
                           "%",
                           "+",
                           "1",
                           "42",
                           "com",
                           "co",
                           "uk",
                           "c",
                           "org1",
                           "co-uk",
                           "-x",
                           " ",
                           "\n",
                           "\xc3\xa9",
                           "example",
                           ".com",
                           "@b.c",
                           "@mail.",
                           "abcdefghijklmnopqrstuvwxyz",
                           "ABCDEFGHIJKLMNOPQRSTUVWX",
                           ">",
                           "a@b.com",
                           "ab.cd@ef.gh.ij"});
}

// IBANs: country codes, check digits, groups of four with and without spaces, look-alikes,
// and what may stop the walk (spaces, punctuation, "_", UTF-8 bytes).
TEST(NumberShapesTest, IbanMatchesItsPattern) {
  ExpectSameAsRe2OnTokens(kIbanPattern, FindIban,
                          {"GB82",
                           "de89",
                           "WEST",
                           "1234",
                           "5678",
                           " ",
                           " ",
                           "  ",
                           "Z",
                           "9",
                           "NL91ABNA0417164300",
                           "xGB82",
                           "_",
                           "-",
                           ".",
                           "\xc3\xa9",
                           "\n",
                           "GB",
                           "82",
                           "AB1",
                           "0000 0000 0000"});
}

// Phone numbers of every NANP form, the longest ("+1-(555) 555-5555") among them, at times
// with a digit missing or one too many.
std::string RandomPhone(std::mt19937& random) {
  auto pick = [&](std::initializer_list<const char*> choices) {
    return std::string(choices.begin()[random() % choices.size()]);
  };
  std::string phone = pick({"", "", "1", "+1", "+", "00"}) + pick({"", " ", "-", "."}) +
                      pick({"(555)", "(555) ", "555", "555-", "555.", "555 ", "55"}) +
                      pick({"123", "1234", "12"}) + pick({"", "-", ".", " ", "  "}) +
                      pick({"4567", "456", "45678"}) + pick({"", "", " x12", "ext.5", "a"});
  return phone;
}

// IBANs of 9 to 40 characters after the country and check digits, grouped by four or not.
std::string RandomIban(std::mt19937& random) {
  static const char* kCountries[] = {"GB82", "de89", "NL91", "x1", "AB", "Zz0"};
  static const std::string_view kBody =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string iban = kCountries[random() % std::size(kCountries)];
  bool grouped = random() % 2 == 0;
  for (std::size_t k = 0, n = random() % 32 + 9; k < n; ++k) {
    if (grouped && k % 4 == 0) {
      iban += ' ';
    }
    iban += kBody[random() % kBody.size()];
  }
  return iban;
}

// The matchers over a window's NumberStarts against the same matchers with the window's end
// (which RE2 checks above): the same match, or none, from every position of random windows
// in random texts of one to four number texts (so windows span several 64-byte words), with
// prose and UTF-8 bytes between them.
TEST(NumberShapesTest, SharedStartsFindWhatEachMatcherFinds) {
  using WithEnd = std::function<bool(std::string_view, std::size_t, std::size_t, TextRange*)>;
  using WithStarts =
      std::function<bool(std::string_view, const NumberStarts&, std::size_t, TextRange*)>;
  struct Matcher {
    const char* name;
    WithEnd with_end;
    WithStarts with_starts;
  };
  const Matcher kMatchers[] = {
      {"ssn", [](auto t, auto f, auto e, auto m) { return FindSsnShape(t, f, e, m); },
       [](auto t, const NumberStarts& s, auto f, auto m) { return FindSsnShapeIn(t, s, f, m); }},
      {"card", [](auto t, auto f, auto e, auto m) { return FindDigitGroups(t, f, e, 13, 19, m); },
       [](auto t, const NumberStarts& s, auto f, auto m) {
         return FindDigitGroupsIn(t, s, f, 13, 19, m);
       }},
      {"run", [](auto t, auto f, auto e, auto m) { return FindDigitGroups(t, f, e, 6, 17, m); },
       [](auto t, const NumberStarts& s, auto f, auto m) {
         return FindDigitGroupsIn(t, s, f, 6, 17, m);
       }},
      {"nanp", [](auto t, auto f, auto e, auto m) { return FindNanpPhone(t, f, e, m); },
       [](auto t, const NumberStarts& s, auto f, auto m) { return FindNanpPhoneIn(t, s, f, m); }},
      {"intl", [](auto t, auto f, auto e, auto m) { return FindIntlPhone(t, f, e, m); },
       [](auto t, const NumberStarts& s, auto f, auto m) { return FindIntlPhoneIn(t, s, f, m); }},
      {"iban", [](auto t, auto f, auto e, auto m) { return FindIban(t, f, e, m); },
       [](auto t, const NumberStarts& s, auto f, auto m) { return FindIbanIn(t, s, f, m); }},
  };
  static const char* kBetween[] = {" ", "a", "call 1", "x_", "\xc3\xa9", "\n", "(", "+", "1"};
  std::mt19937 random(20261129);
  int differences = 0;
  int matches[std::size(kMatchers)] = {};
  for (int i = 0; i < 20000 && differences < 5; ++i) {
    std::string text;
    for (std::size_t n = random() % 4 + 1; n > 0; --n) {
      std::size_t kind = random() % 4;
      text += kind == 0 ? RandomPhone(random)
                        : (kind == 1 ? RandomIban(random) : RandomNumberText(random));
      text += kBetween[random() % (sizeof(kBetween) / sizeof(*kBetween))];
    }
    std::size_t to = random() % (text.size() + 1);
    std::size_t from = random() % (to + 1);
    if (random() % 4 == 0) {
      from = 0;
      to = text.size();
    }
    NumberStarts starts;
    starts.Reset(text, from, to);
    std::size_t digits = 0;
    for (std::size_t k = from; k < to; ++k) {
      digits += text[k] >= '0' && text[k] <= '9' ? 1 : 0;
    }
    ASSERT_EQ(starts.digits(), digits) << text << " [" << from << ", " << to << ")";
    ASSERT_EQ(starts.to(), to);
    for (std::size_t m = 0; m < std::size(kMatchers); ++m) {
      for (std::size_t pos = from; pos <= to; ++pos) {
        TextRange expected{};
        TextRange got{};
        bool expect = kMatchers[m].with_end(text, pos, to, &expected);
        bool actual = kMatchers[m].with_starts(text, starts, pos, &got);
        matches[m] += expect ? 1 : 0;
        if (m == 1 && expect) {  // a card shape: the scanner looks for one only if this holds
          ASSERT_TRUE(starts.may_hold_long_chain()) << text << " [" << from << ", " << to << ")";
        }
        if (expect != actual ||
            (expect && (expected.start != got.start || expected.end != got.end))) {
          ++differences;
          ADD_FAILURE() << kMatchers[m].name << " '" << text << "' [" << from << ", " << to
                        << ") from " << pos << ": " << expect << " " << expected.start << "-"
                        << expected.end << ", with starts " << actual << " " << got.start << "-"
                        << got.end;
          break;
        }
      }
    }
  }
  for (int count : matches) {
    EXPECT_GT(count, 1000) << "the generator must produce matches to compare";
  }
}

}  // namespace
}  // namespace sunshine::pii
