#include "engine/redact/context_words.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>

namespace sunshine::pii {

namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsLetter(char c) { return IsAsciiAlpha(c) || static_cast<unsigned char>(c) >= 0x80; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Bit k: text[base + k] is an ASCII letter (alpha) or a letter (letters), for k < count <= 64.
void LetterMasks(std::string_view text, std::size_t base, std::size_t count, std::uint64_t* alpha,
                 std::uint64_t* letters) {
  *alpha = 0;
  *letters = 0;
  std::size_t k = 0;
#if defined(__SSE2__)
  for (; k + 16 <= count; k += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + base + k));
    // Set bit 5 folds ASCII capitals onto small letters (and maps no other byte there).
    __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i shifted = _mm_sub_epi8(folded, _mm_set1_epi8(static_cast<char>('a' ^ 0x80)));
    auto is_alpha = static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(
        _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>('z' - 'a' - 127))))));
    auto high = static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v)));
    *alpha |= is_alpha << k;
    *letters |= (is_alpha | high) << k;
  }
#endif
  for (; k < count; ++k) {
    char c = text[base + k];
    *alpha |= static_cast<std::uint64_t>(IsAsciiAlpha(c)) << k;
    *letters |= static_cast<std::uint64_t>(IsLetter(c)) << k;
  }
}

}  // namespace

ContextWords::ContextWords(std::initializer_list<std::string_view> words) {
  auto set = [&](unsigned a, unsigned b) {
    pairs_[(a << 8 | b) >> 6] |= std::uint64_t{1} << (b & 63);
  };
  for (std::string_view word : words) {
    std::size_t bucket = static_cast<std::size_t>(word[0] - 'a');
    by_first_[bucket].push_back(word);
    for (unsigned a :
         {static_cast<unsigned>(word[0]), static_cast<unsigned>(word[0] - 'a' + 'A')}) {
      if (word.size() == 1) {
        one_letter_ |= std::uint32_t{1} << bucket;
        for (unsigned b = 0; b < 256; ++b) {
          set(a, b);
        }
      } else {
        auto b = static_cast<unsigned char>(word[1]);
        set(a, b);
        if (b >= 'a' && b <= 'z') {
          set(a, b - 'a' + 'A');
        }
      }
    }
  }
}

bool ContextWords::StartsAt(std::string_view text, std::size_t pos, std::size_t to) const {
  char c = Lower(text[pos]);
  for (std::string_view word : by_first_[static_cast<std::size_t>(c - 'a')]) {
    if (word.size() > to - pos) {
      continue;
    }
    bool same = true;
    for (std::size_t j = 1; j < word.size() && same; ++j) {
      same = Lower(text[pos + j]) == word[j];
    }
    if (!same) {
      continue;
    }
    std::size_t after = pos + word.size();
    if (after >= to || !IsLetter(text[after]) || word.back() == ' ') {  // "ss" in "ss#"
      return true;
    }
  }
  return false;
}

bool ContextWords::In(std::string_view text, std::size_t from, std::size_t to) const {
  from = std::min(from, text.size());
  to = std::min(to, text.size());
  // The words start with a letter after a non-letter: those places are found 16 bytes at a
  // time (a branch per byte mispredicted at every word edge), 64 bytes per round.
  for (std::size_t base = from; base < to; base += 64) {
    std::size_t count = std::min<std::size_t>(64, to - base);
    std::uint64_t letters = 0;
    std::uint64_t alpha = 0;
    LetterMasks(text, base, count, &alpha, &letters);
    std::uint64_t after_letter = letters << 1;
    if (base > from && IsLetter(text[base - 1])) {
      after_letter |= 1;
    }
    std::uint64_t starts = alpha & ~after_letter;
    while (starts != 0) {
      std::size_t pos = base + static_cast<std::size_t>(__builtin_ctzll(starts));
      starts &= starts - 1;
      bool may = false;
      if (pos + 1 < to) {
        unsigned pair = static_cast<unsigned>(static_cast<unsigned char>(text[pos])) << 8 |
                        static_cast<unsigned char>(text[pos + 1]);
        may = (pairs_[pair >> 6] >> (pair & 63) & 1) != 0;
      } else {
        may = (one_letter_ >> (Lower(text[pos]) - 'a') & 1) != 0;
      }
      if (may && StartsAt(text, pos, to)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace sunshine::pii
