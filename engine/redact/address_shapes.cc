#include "engine/redact/address_shapes.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "engine/redact/byte_masks.h"

namespace sunshine::pii {

namespace {

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// A byte a us_street match can hold: [A-Za-z0-9\x80-\xff'.,\- ] (a table: the forward walk
// tests every byte it passes).
constexpr std::array<bool, 256> kInUsStreet = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                         (c >= '0' && c <= '9') || c >= 0x80 || c == ' ' ||
                                         c == '\'' || c == '.' || c == ',' || c == '-';
  }
  return table;
}();
bool InUsStreet(char c) { return kInUsStreet[static_cast<unsigned char>(c)]; }

// A letter of kNamedStreetPattern's word: [A-Za-z\x80-\xff].
bool IsPatternLetter(char c) { return IsAsciiAlpha(c) || static_cast<unsigned char>(c) >= 0x80; }

// The end of the ASCII word (\w in RE2) starting at i.
std::size_t WordEnd(std::string_view text, std::size_t i) {
  while (i < text.size() && IsRe2WordChar(text[i])) {
    ++i;
  }
  return i;
}

// kUsStreetPattern's street types; matched caseless (Latin-1 folds no other byte onto an ASCII
// letter).
constexpr std::array<std::string_view, 33> kUsStreetTypes = {
    "street", "st",      "avenue", "ave",    "road",     "rd",      "boulevard", "blvd",  "drive",
    "dr",     "lane",    "ln",     "court",  "ct",       "place",   "pl",        "way",   "parkway",
    "pkwy",   "highway", "hwy",    "circle", "cir",      "terrace", "ter",       "trail", "trl",
    "square", "sq",      "plaza",  "alley",  "crescent", "row"};

bool IsUsStreetType(std::string_view word) {
  if (word.size() < 2 || word.size() > 9) {
    return false;
  }
  char lower[9];
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (!IsAsciiAlpha(word[i])) {
      return false;
    }
    lower[i] = Lower(word[i]);
  }
  std::string_view key(lower, word.size());
  return std::find(kUsStreetTypes.begin(), kUsStreetTypes.end(), key) != kUsStreetTypes.end();
}

// Whether a word beginning with bytes a, b can be one of the street types: one table probe
// rejects most words of prose.
bool MayBeginUsStreetType(char a, char b) {
  static constexpr std::array<std::uint32_t, 26> kSecond = [] {
    std::array<std::uint32_t, 26> table{};
    for (std::string_view type : kUsStreetTypes) {
      table[static_cast<std::size_t>(type[0] - 'a')] |= 1u << (type[1] - 'a');
    }
    return table;
  }();
  unsigned first = static_cast<unsigned char>(a | 0x20) - 'a';
  unsigned second = static_cast<unsigned char>(b | 0x20) - 'a';
  // | 0x20 folds ASCII capitals onto small letters and moves no other byte into a-z.
  return first < 26 && second < 26 && (kSecond[first] >> second & 1u) != 0;
}

bool IsNamedStreetType(std::string_view word) {
  return word == "Street" || word == "Avenue" || word == "Road" || word == "Lane" ||
         word == "Boulevard" || word == "Drive";
}

// Calls f(j) for each j in [from, to) with text[j] == ' ', in order, until f returns true.
// Most bytes of prose are not spaces: 16 are tested at a time.
template <typename F>
void ForEachSpace(std::string_view text, std::size_t from, std::size_t to, F f) {
  std::size_t j = from;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  for (; j + 16 <= to; j += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + j));
    auto spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)));
    while (spaces != 0) {
      if (f(j + static_cast<std::size_t>(__builtin_ctz(spaces)))) {
        return;
      }
      spaces &= spaces - 1;
    }
  }
#endif
  for (; j < to; ++j) {
    if (text[j] == ' ' && f(j)) {
      return;
    }
  }
}

// Calls f(d) for each digit d in [from, to) at \b (after a byte that is not an ASCII word byte),
// in order, until f returns true. Digits are rare in prose: 16 bytes are tested at a time.
template <typename F>
void ForEachBoundedDigit(std::string_view text, std::size_t from, std::size_t to, F f) {
  std::size_t d = from;
#if defined(__SSE2__)
  for (; d + 16 <= to; d += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + d));
    unsigned digits = InRangeBits(v, '0', '9');
    if (digits == 0) {
      continue;
    }
    unsigned word = digits | InRangeBits(v, 'A', 'Z') | InRangeBits(v, 'a', 'z') |
                    static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
    unsigned previous_word = d > 0 && IsRe2WordChar(text[d - 1]) ? 1u : 0u;
    unsigned starts = digits & ~((word << 1) | previous_word);
    while (starts != 0) {
      if (f(d + static_cast<std::size_t>(__builtin_ctz(starts)))) {
        return;
      }
      starts &= starts - 1;
    }
  }
#endif
  for (; d < to; ++d) {
    if (IsDigit(text[d]) && Re2BoundaryBefore(text, d) && f(d)) {
      return;
    }
  }
}

// The end of the run of digits starting at i (at most `to`).
std::size_t DigitsEnd(std::string_view text, std::size_t i, std::size_t to) {
  while (i < to && IsDigit(text[i])) {
    ++i;
  }
  return i;
}

std::size_t LineEndIn(std::string_view text, std::size_t pos, std::size_t to) {
  const void* newline = std::memchr(text.data() + pos, '\n', to - pos);
  return newline == nullptr
             ? to
             : static_cast<std::size_t>(static_cast<const char*>(newline) - text.data());
}

}  // namespace

bool MayBeStrongAddressLine(std::string_view line) {
  // RE2's \s, and \v (more than \s is fine in a necessary condition: no match has \v there).
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  };
  auto digits_before = [&](std::size_t end, std::size_t floor) {
    std::size_t start = end;
    while (start > floor && IsDigit(line[start - 1])) {
      --start;
    }
    return end - start;
  };
  std::size_t i = 0;
  while (i < line.size() && (space(line[i]) || line[i] == '>' || line[i] == '?')) {
    ++i;
  }
  if (i == line.size()) {
    return false;
  }
  // unit_line: a unit word first (any case; "ap" for apt and apartment).
  for (std::string_view unit : {"ap", "suite", "ste", "unit", "room", "floor"}) {
    std::size_t k = 0;
    while (k < unit.size() && i + k < line.size() &&
           static_cast<char>(line[i + k] | 0x20) == unit[k]) {
      ++k;
    }
    if (k == unit.size()) {
      return true;
    }
  }
  // Every other pattern needs a digit (most short lines of mail have none).
  if (std::none_of(line.begin() + static_cast<std::ptrdiff_t>(i), line.end(), IsDigit)) {
    return false;
  }
  // number_words_line: \d{1,5}[A-Za-z]?\s first.
  if (IsDigit(line[i])) {
    std::size_t j = DigitsEnd(line, i, line.size());
    if (j - i <= 5) {
      if (j < line.size() && IsAsciiAlpha(line[j])) {
        ++j;
      }
      if (j < line.size() && space(line[j])) {
        return true;
      }
    }
  }
  // Last, before \s*: postal_line's \d{4,5}(?:-\d{4})? (a whole run of four or five digits:
  // no digit can come before), or words_number_line's \s\d{1,5}[A-Za-z]?\.?.
  std::size_t end = line.size();
  while (end > i && space(line[end - 1])) {
    --end;
  }
  std::size_t run = digits_before(end, i);
  if (run == 4 || run == 5) {
    return true;
  }
  if (end > i && line[end - 1] == '.') {
    --end;
  }
  if (end > i && IsAsciiAlpha(line[end - 1])) {
    --end;
  }
  run = digits_before(end, i);
  if (run >= 1 && run <= 5 && end - run > i && space(line[end - run - 1])) {
    return true;
  }
  // A street line: a house number with a street type in reach; a P.O. box: "box" and a space
  // before its number (any case).
  TextRange window{};
  if (NextUsStreetWindow(line, 0, line.size(), &window)) {
    return true;
  }
  for (std::size_t p = 0; p + 5 <= line.size(); ++p) {
    if ((line[p] | 0x20) == 'b' && (line[p + 1] | 0x20) == 'o' && (line[p + 2] | 0x20) == 'x' &&
        line[p + 3] == ' ' && IsDigit(line[p + 4])) {
      return true;
    }
  }
  return false;
}

bool NextUsStreetWindow(std::string_view text, std::size_t from, std::size_t to,
                        TextRange* window) {
  to = std::min(to, text.size());
  bool found = false;
  ForEachBoundedDigit(text, from, to, [&](std::size_t d) {
    // The house number, \d{1,6}[A-Za-z]?(?:-\d{1,5})?,? and a space: each part is taken
    // whole or not at all (no shorter choice lets the rest match), so this rejects the dates,
    // times, addresses and long numbers of prose at once.
    std::size_t j = DigitsEnd(text, d, to);
    if (j - d > 6) {
      return false;
    }
    if (j < to && IsAsciiAlpha(text[j])) {
      ++j;
    }
    if (j + 1 < to && text[j] == '-' && IsDigit(text[j + 1])) {
      std::size_t end = DigitsEnd(text, j + 1, to);
      if (end - (j + 1) > 5) {
        return false;
      }
      j = end;
    }
    if (j < to && text[j] == ',') {
      ++j;
    }
    if (j >= to || text[j] != ' ') {
      return false;
    }
    // Forward over the bytes a match can hold, through six spaces at most (this one the
    // first), for a street type right after one of them.
    int spaces = 0;
    for (; j + 2 <= to && InUsStreet(text[j]); ++j) {
      if (text[j] != ' ') {
        continue;
      }
      if (++spaces > 6) {
        break;
      }
      if (!MayBeginUsStreetType(text[j + 1], text[j + 2])) {
        continue;
      }
      std::size_t end = WordEnd(text, j + 1);
      if (end <= to && IsUsStreetType(text.substr(j + 1, end - j - 1))) {
        window->start = d;
        window->end = LineEndIn(text, d, to);
        found = true;
        return true;
      }
    }
    return false;
  });
  return found;
}

bool NextNamedStreetWindow(std::string_view text, std::size_t from, std::size_t to,
                           TextRange* window) {
  to = std::min(to, text.size());
  bool found = false;
  // The space before a street type, with a capital and one more letter before it and four
  // bytes of type after it.
  if (from + 6 > to) {
    return false;
  }
  ForEachSpace(text, from + 2, to - 4, [&](std::size_t space) {
    char c = text[space + 1];
    if (c != 'S' && c != 'A' && c != 'R' && c != 'L' && c != 'B' && c != 'D') {
      return false;
    }
    std::size_t end = WordEnd(text, space + 1);
    if (end > to || !IsNamedStreetType(text.substr(space + 1, end - space - 1))) {
      return false;
    }
    std::size_t begin = space;
    while (begin > from && IsPatternLetter(text[begin - 1])) {
      --begin;
    }
    for (std::size_t s = begin; s + 1 < space; ++s) {
      unsigned char u = static_cast<unsigned char>(text[s]);
      bool capital = (u >= 'A' && u <= 'Z') || (u >= 0xC0 && u <= 0xDF);
      bool boundary = (s == 0 ? false : IsRe2WordChar(text[s - 1])) != IsRe2WordChar(text[s]);
      if (capital && boundary) {
        window->start = s;
        window->end = end;
        found = true;
        return true;
      }
    }
    return false;
  });
  return found;
}

}  // namespace sunshine::pii
