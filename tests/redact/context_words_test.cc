#include "engine/redact/context_words.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

namespace sunshine::pii {
namespace {

// The specification of ContextWords::In: every word, at every place, compared byte by byte.
// A word counts where it starts at `from` or after a non-letter, ends at `to` or before a
// non-letter (or ends in a space), and lies inside [from, to); letters are ASCII letters and
// bytes >= 0x80, and only ASCII capitals fold.
bool SpecIn(std::initializer_list<std::string_view> words, std::string_view text, std::size_t from,
            std::size_t to) {
  auto letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  from = std::min(from, text.size());
  to = std::min(to, text.size());
  for (std::size_t pos = from; pos < to; ++pos) {
    if (pos > from && letter(text[pos - 1])) {
      continue;
    }
    for (std::string_view word : words) {
      if (word.size() > to - pos) {
        continue;
      }
      bool same = true;
      for (std::size_t j = 0; j < word.size() && same; ++j) {
        same = lower(text[pos + j]) == word[j];
      }
      std::size_t after = pos + word.size();
      if (same && (after >= to || !letter(text[after]) || word.back() == ' ')) {
        return true;
      }
    }
  }
  return false;
}

// Families sharing words ("bank", "office"), words with spaces and signs, one-letter-apart
// words ("dl", "dln", "dl#"), and a word of one letter ("v").
#define FAMILY_A "account", "acct", "a/c", "acc no", "acc. no", "acc #", "bank", "ss no", "ss#"
#define FAMILY_B "routing", "aba", "bank", "office", "at", "dl", "dln", "dl#", "tel"
#define FAMILY_C "v", "ver", "version", "office", "telephone", "tin", "itin", "answering at"

// Texts of the families' words (cased at random, cut short at times), letters, UTF-8 bytes,
// spaces and signs, so that windows begin and end inside words as well as between them.
std::string RandomContextText(std::mt19937& random) {
  static const std::string_view kTokens[] = {"account",   "ACCT",
                                             "a/c",       "acc no",
                                             "Acc. No",   "acc #",
                                             "bank",      "Bank",
                                             "ss no",     "ss#",
                                             "routing",   "aba",
                                             "office",    "at",
                                             "dl",        "DLN",
                                             "dl#",       "tel",
                                             "telephone", "tin",
                                             "itin",      "answering at",
                                             "v",         "V",
                                             "ver",       "Version",
                                             "x",         "ab",
                                             "the",       "1",
                                             "42",        " ",
                                             "  ",        ".",
                                             "#",         "/",
                                             "-",         "\n",
                                             "\xc3\xa9",  "\xe2\x80\x94",
                                             "_",         "s",
                                             "n",         "o",
                                             "at",        "ITIN",
                                             "Telephone"};
  std::string text;
  std::size_t n = random() % 40 + 1;
  for (std::size_t k = 0; k < n; ++k) {
    std::string_view token = kTokens[random() % (sizeof(kTokens) / sizeof(*kTokens))];
    if (random() % 8 == 0 && token.size() > 1) {
      token = token.substr(0, 1 + random() % (token.size() - 1));
    }
    text += token;
    if (random() % 3 == 0) {
      text += ' ';
    }
  }
  return text;
}

TEST(ContextWordsTest, InMatchesItsSpecification) {
  const ContextWords family_a = {FAMILY_A};
  const ContextWords family_b = {FAMILY_B};
  const ContextWords family_c = {FAMILY_C};
  std::mt19937 random(20261129);
  int found = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string text = RandomContextText(random);
    std::size_t from = random() % (text.size() + 2);
    std::size_t to = from + random() % (text.size() + 2 - from);
    bool a = family_a.In(text, from, to);
    bool b = family_b.In(text, from, to);
    bool c = family_c.In(text, from, to);
    found += a ? 1 : 0;
    ASSERT_EQ(a, SpecIn({FAMILY_A}, text, from, to)) << text << " [" << from << ", " << to << ")";
    ASSERT_EQ(b, SpecIn({FAMILY_B}, text, from, to)) << text << " [" << from << ", " << to << ")";
    ASSERT_EQ(c, SpecIn({FAMILY_C}, text, from, to)) << text << " [" << from << ", " << to << ")";
  }
  EXPECT_GT(found, 5000);
}

}  // namespace
}  // namespace sunshine::pii
