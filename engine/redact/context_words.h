// Context words of the PII scanner ("ssn", "routing", "phone", ...): is one of a family's words,
// as a whole word, near a candidate? Asked for nearly every number candidate (4% of a scan).
// tests/redact/context_words_test.cc holds In to a byte-by-byte specification.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace sunshine::pii {

// Context words (lower case, each starting with a letter): is one of them, as a whole word, in
// text[from, to)? The places a word may start (a letter not after a letter) are found 16 bytes
// at a time; each is compared, ASCII case folded, only with the words that begin with its
// first two letters. A letter is an ASCII letter or any byte >= 0x80; the window's ends count
// as word boundaries.
class ContextWords {
 public:
  // Every word starts with a lower-case ASCII letter.
  ContextWords(std::initializer_list<std::string_view> words);

  bool In(std::string_view text, std::size_t from, std::size_t to) const;

 private:
  // Does one of the words begin at pos (an ASCII letter, pos < to <= text.size()) and end by
  // `to` at a word boundary (or at `to`)? In asks only where pairs_ lets a word begin.
  bool StartsAt(std::string_view text, std::size_t pos, std::size_t to) const;

  // Bit (a << 8 | b) of pairs_: a word may begin with the bytes a, b (ASCII case folded; a
  // one-letter word with any b). Most word starts in prose are no word's first two letters, and
  // this turns them away with one look-up of the two bytes as they are (looking through the
  // words of the first letter mispredicted a branch per word; folding both bytes and a table by
  // the second took 0.4% more of a scan's instructions).
  std::array<std::uint64_t, 1024> pairs_{};
  std::uint32_t one_letter_ = 0;                            // bit c: the word "a" + c
  std::array<std::vector<std::string_view>, 26> by_first_;  // by first letter
};

}  // namespace sunshine::pii
