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

// A byte of a us_street word: [A-Za-z\x80-\xff\d'.\-] (a table: MatchUsStreetAt walks every
// byte of the words after each house number).
constexpr std::array<bool, 256> kInUsStreetWord = [] {
  std::array<bool, 256> table = kInUsStreet;
  table[static_cast<std::size_t>(' ')] = false;
  table[static_cast<std::size_t>(',')] = false;
  return table;
}();

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

// Whether c is the first letter of a kNamedStreetPattern street type.
bool BeginsNamedStreetType(char c) {
  return c == 'S' || c == 'A' || c == 'R' || c == 'L' || c == 'B' || c == 'D';
}

// Calls f(j) for each j in [from, to) with text[j] == ' ' and text[j + 1] the first letter of a
// named street type, in order, until f returns true. 16 bytes are tested at a time: spaces are
// frequent in prose, spaces before those capitals are not (testing each space cost 1.4% of the
// scan's CPU samples on pii-200m, now that the region check runs it too; this 0.3%).
template <typename F>
void ForEachSpaceBeforeType(std::string_view text, std::size_t from, std::size_t to, F f) {
  std::size_t j = from;
#if defined(__SSE2__)
  auto equal = [](__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
  for (; j + 16 <= to && j + 17 <= text.size(); j += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + j));
    __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + j + 1));
    __m128i types = _mm_or_si128(_mm_or_si128(_mm_or_si128(equal(next, 'S'), equal(next, 'A')),
                                              _mm_or_si128(equal(next, 'R'), equal(next, 'L'))),
                                 _mm_or_si128(equal(next, 'B'), equal(next, 'D')));
    auto spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(equal(v, ' '), types)));
    while (spaces != 0) {
      if (f(j + static_cast<std::size_t>(__builtin_ctz(spaces)))) {
        return;
      }
      spaces &= spaces - 1;
    }
  }
#endif
  for (; j < to; ++j) {
    if (text[j] == ' ' && j + 1 < text.size() && BeginsNamedStreetType(text[j + 1]) && f(j)) {
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

// RE2's \s: [\t\n\f\r ] (ASCII only; no \v).
bool IsRe2Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// A letter of the address patterns' classes [A-Za-z\x80-\xff].
bool IsLetterOrHigh(char c) { return IsAsciiAlpha(c) || static_cast<unsigned char>(c) >= 0x80; }

// Calls f(i) for each i with piece[i] one of a, b, c (which may repeat), in order, until f
// returns true; returns whether one did. The anchor bytes are rare in prose: 16 bytes are
// tested at a time.
template <typename F>
bool AnyAt(std::string_view piece, char a, char b, char c, F f) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  const __m128i vc = _mm_set1_epi8(c);
  for (; i + 16 <= piece.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(piece.data() + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                               _mm_cmpeq_epi8(v, vc));
    auto bits = static_cast<unsigned>(_mm_movemask_epi8(hit));
    while (bits != 0) {
      if (f(i + static_cast<std::size_t>(__builtin_ctz(bits)))) {
        return true;
      }
      bits &= bits - 1;
    }
  }
#endif
  for (; i < piece.size(); ++i) {
    if ((piece[i] == a || piece[i] == b || piece[i] == c) && f(i)) {
      return true;
    }
  }
  return false;
}

// piece[i] caseless equals the small letter `lower` (| 0x20 moves no other byte onto a-z).
bool IsCaseless(std::string_view piece, std::size_t i, char lower) {
  return i < piece.size() && static_cast<char>(piece[i] | 0x20) == lower;
}

bool IsAt(std::string_view piece, std::size_t i, char c) {
  return i < piece.size() && piece[i] == c;
}

bool DigitAt(std::string_view piece, std::size_t i) {
  return i < piece.size() && IsDigit(piece[i]);
}

// kStreetWordPattern's words as bytes (UTF-8 source: "stra\xc3\x9fe", "\xc3\xbat", "v\xc3\xa4g").
constexpr std::array<std::string_view, 37> kStreetWords = {
    "street",  "avenue", "road",    "lane",   "drive",    "rue",   "via",    "calle",
    "avenida", "str.",   "strasse", "straße", "weg",      "gasse", "vej",    "vegen",
    "veien",   "gata",   "gatan",   "laan",   "utca",     "út",    "ulica",  "ul.",
    "plads",   "plein",  "platz",   "torget", "vägen",    "väg",   "bakken", "baan",
    "allee",   "kuja",   "katu",    "tie",    "corner of"};

// The caseless fold of kStreetWordPattern in Latin-1: ASCII capitals to small letters, and
// \xe3 onto \xc3 (the lead byte of the three words with UTF-8 letters); no other byte of
// the words has a case partner.
constexpr unsigned char FoldStreetByte(unsigned char c) {
  if (c >= 'A' && c <= 'Z') {
    return static_cast<unsigned char>(c + ('a' - 'A'));
  }
  return c == 0xe3 ? 0xc3 : c;
}

// For the first two bytes of a street word: the first byte's index among the words' distinct
// first bytes (31: none), per second byte the set of first-byte indexes it follows, and per
// first byte its words. One probe per byte of the window rejects most of prose.
struct StreetWordTables {
  std::array<unsigned char, 256> first{};
  std::array<std::uint32_t, 256> second{};
  std::array<std::array<unsigned char, 8>, 32> words{};
  std::array<unsigned char, 32> count{};
  int firsts = 0;
};

constexpr StreetWordTables kStreetWordTables = [] {
  StreetWordTables t{};
  for (auto& f : t.first) {
    f = 31;
  }
  for (std::size_t w = 0; w < kStreetWords.size(); ++w) {
    std::string_view word = kStreetWords[w];
    auto lead = static_cast<unsigned char>(word[0]);
    int index = 0;
    while (index < t.firsts &&
           static_cast<unsigned char>(
               kStreetWords[t.words[static_cast<std::size_t>(index)][0]][0]) != lead) {
      ++index;
    }
    if (index == t.firsts) {
      ++t.firsts;
    }
    auto slot = static_cast<std::size_t>(index);
    t.words[slot][t.count[slot]++] = static_cast<unsigned char>(w);
    for (int c = 0; c < 256; ++c) {
      if (FoldStreetByte(static_cast<unsigned char>(c)) == lead) {
        t.first[static_cast<std::size_t>(c)] = static_cast<unsigned char>(index);
      }
      if (FoldStreetByte(static_cast<unsigned char>(c)) == static_cast<unsigned char>(word[1])) {
        t.second[static_cast<std::size_t>(c)] |= 1u << index;
      }
    }
  }
  return t;
}();

// One of the street words starting with first byte `first` (an index) at piece[i].
bool StreetWordAt(std::string_view piece, std::size_t i, unsigned first) {
  const StreetWordTables& t = kStreetWordTables;
  for (std::size_t n = 0; n < t.count[first]; ++n) {
    std::string_view word = kStreetWords[t.words[first][n]];
    if (i + word.size() > piece.size()) {
      continue;
    }
    std::size_t k = 1;  // the first byte is the index's
    while (k < word.size() && FoldStreetByte(static_cast<unsigned char>(piece[i + k])) ==
                                  static_cast<unsigned char>(word[k])) {
      ++k;
    }
    if (k == word.size()) {
      return true;
    }
  }
  return false;
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
  return MayHoldPoBox(line);
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

bool MatchUsStreetAt(std::string_view text, std::size_t start, std::size_t end,
                     std::size_t* match_end) {
  end = std::min(end, text.size());
  // The byte at p if the match may take it, else 0 (no byte the pattern takes).
  auto at = [&](std::size_t p) { return p < end ? text[p] : '\0'; };
  auto lower_at = [&](std::size_t p) { return static_cast<char>(at(p) | 0x20); };
  auto digit_at = [&](std::size_t p) { return IsDigit(at(p)); };
  auto alpha_at = [&](std::size_t p) { return IsAsciiAlpha(at(p)); };
  // Caseless `word` (small letters, or '#') at p.
  auto word_at = [&](std::size_t p, std::string_view word) {
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (p + k >= end || (word[k] == '#' ? text[p + k] != '#' : lower_at(p + k) != word[k])) {
        return false;
      }
    }
    return true;
  };
  // \b\d{1,6}[A-Za-z]?(?:-\d{1,5})?,? and a space.
  if (start >= end || !IsDigit(text[start]) || !Re2BoundaryBefore(text, start)) {
    return false;
  }
  std::size_t j = DigitsEnd(text, start, end);
  if (j - start > 6) {
    return false;
  }
  if (alpha_at(j)) {
    ++j;
  }
  if (at(j) == '-' && digit_at(j + 1)) {
    std::size_t digits_end = DigitsEnd(text, j + 1, end);
    if (digits_end - (j + 1) > 5) {
      return false;
    }
    j = digits_end;
  }
  if (at(j) == ',') {
    ++j;
  }
  if (at(j) != ' ') {
    return false;
  }
  const std::size_t after_number = j + 1;
  // After the words (up to four, greedy) a street type, \b, then \.?: the end so far, or 0.
  auto street_end = [&](std::size_t p) -> std::size_t {
    std::size_t word_starts[5] = {p, 0, 0, 0, 0};
    int words = 0;
    while (words < 4) {
      std::size_t q = word_starts[words];
      char first = at(q);
      if (!(IsLetterOrHigh(first) || IsDigit(first))) {
        break;
      }
      ++q;
      while (q < end && kInUsStreetWord[static_cast<unsigned char>(text[q])]) {
        ++q;
      }
      if (at(q) != ' ') {
        break;
      }
      word_starts[++words] = q + 1;
    }
    for (int k = words; k >= 0; --k) {
      std::size_t q = word_starts[k];
      if (!MayBeginUsStreetType(at(q), at(q + 1))) {
        continue;
      }
      std::size_t type_end = WordEnd(text, q);
      if (type_end > end || !IsUsStreetType(text.substr(q, type_end - q))) {
        continue;
      }
      return at(type_end) == '.' ? type_end + 1 : type_end;
    }
    return 0;
  };
  // (?:(?:[NSEW]\.?|north|south|east|west) )? first, as the greedy ? tries it first.
  std::size_t t = 0;
  {
    std::size_t direction_end = 0;
    char d = lower_at(after_number);
    if (d == 'n' || d == 's' || d == 'e' || d == 'w') {
      std::size_t q = after_number + 1;
      if (at(q) == '.') {
        ++q;
      }
      if (at(q) == ' ') {
        direction_end = q + 1;
      }
      for (std::string_view word : {"north", "south", "east", "west"}) {
        if (direction_end == 0 && word[0] == d && word_at(after_number, word) &&
            at(after_number + word.size()) == ' ') {
          direction_end = after_number + word.size() + 1;
        }
      }
    }
    if (direction_end != 0) {
      t = street_end(direction_end);
    }
    if (t == 0) {
      t = street_end(after_number);
    }
  }
  if (t == 0) {
    return false;
  }
  // (?:,? (?:apt|apartment|suite|ste|unit|room|rm|#)\.? ?#?[A-Za-z0-9\-]+)?
  {
    std::size_t u = at(t) == ',' ? t + 1 : t;
    if (at(u) == ' ') {
      ++u;
      std::size_t unit_end = 0;
      for (std::string_view word :
           {"apt", "apartment", "suite", "ste", "unit", "room", "rm", "#"}) {
        if (word_at(u, word)) {
          unit_end = u + word.size();
          break;
        }
      }
      if (unit_end != 0) {
        for (char optional : {'.', ' ', '#'}) {
          if (at(unit_end) == optional) {
            ++unit_end;
          }
        }
        std::size_t id_end = unit_end;
        while (alpha_at(id_end) || digit_at(id_end) || at(id_end) == '-') {
          ++id_end;
        }
        if (id_end > unit_end) {
          t = id_end;
        }
      }
    }
  }
  // (?:,? [A-Za-z\x80-\xff][A-Za-z\x80-\xff .'\-]{1,30},? (?:[A-Z]{2}|[A-Z][a-z]+)\.?
  // \d{5}(?:-\d{4})?)?, caseless: the counted run from its longest down.
  {
    // " " state \.? " " \d{5}(?:-\d{4})? at w: its end, or 0.
    auto state_zip_end = [&](std::size_t w) -> std::size_t {
      if (at(w) != ' ') {
        return 0;
      }
      ++w;
      std::size_t letters = w;
      while (alpha_at(letters)) {
        ++letters;
      }
      if (letters - w < 2) {
        return 0;
      }
      // [A-Z]{2} first, then [A-Z][a-z]+ (all the letters): the same when there are two.
      std::size_t x = letters;
      if (at(x) == '.') {
        ++x;
      }
      if (at(x) != ' ') {
        return 0;
      }
      ++x;
      for (std::size_t k = x; k < x + 5; ++k) {
        if (!digit_at(k)) {
          return 0;
        }
      }
      x += 5;
      if (at(x) == '-' && digit_at(x + 1) && digit_at(x + 2) && digit_at(x + 3) &&
          digit_at(x + 4)) {
        x += 5;
      }
      return x;
    };
    std::size_t u = at(t) == ',' ? t + 1 : t;
    if (at(u) == ' ' && IsLetterOrHigh(at(u + 1))) {
      std::size_t run_start = u + 2;
      std::size_t run_end = run_start;
      auto in_city = [](char c) {
        return IsLetterOrHigh(c) || c == ' ' || c == '.' || c == '\'' || c == '-';
      };
      while (run_end < end && run_end - run_start < 30 && in_city(text[run_end])) {
        ++run_end;
      }
      for (std::size_t v = run_end; v > run_start; --v) {
        if (at(v) != ' ' && at(v) != ',') {  // the state comes after a space (most bytes fail)
          continue;
        }
        std::size_t zip_end = at(v) == ',' ? state_zip_end(v + 1) : 0;
        if (zip_end == 0) {
          zip_end = state_zip_end(v);
        }
        if (zip_end != 0) {
          t = zip_end;
          break;
        }
      }
    }
  }
  *match_end = t;
  return true;
}

bool NextUsStreetMatch(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  to = std::min(to, text.size());
  bool found = false;
  ForEachBoundedDigit(text, from, to, [&](std::size_t d) {
    std::size_t end = 0;
    if (!MatchUsStreetAt(text, d, to, &end)) {
      return false;
    }
    match->start = d;
    match->end = end;
    found = true;
    return true;
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
  ForEachSpaceBeforeType(text, from + 2, to - 4, [&](std::size_t space) {
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

bool MayHoldPoBox(std::string_view piece) {
  // "box \d": the x, rare in prose, first.
  return AnyAt(piece, 'x', 'X', 'x', [&](std::size_t x) {
    return x >= 2 && IsCaseless(piece, x - 2, 'b') && IsCaseless(piece, x - 1, 'o') &&
           IsAt(piece, x + 1, ' ') && DigitAt(piece, x + 2);
  });
}

bool MayHoldShipName(std::string_view piece) {
  // \bUSN?S [A-Z\xc0-\xdf]: caseless, the class is [A-Za-z\xc0-\xff] (a superset is fine).
  // (Without the \b, "discuss" passed, and RE2 confirmed in vain.)
  auto ship = [&](std::size_t u) {
    if ((u > 0 && IsRe2WordChar(piece[u - 1])) || !IsCaseless(piece, u + 1, 's')) {
      return false;
    }
    std::size_t s = u + 2;
    if (IsCaseless(piece, s, 'n')) {
      ++s;
    }
    return IsCaseless(piece, s, 's') && IsAt(piece, s + 1, ' ') && s + 2 < piece.size() &&
           IsLetterOrHigh(piece[s + 2]);
  };
  // "us" (any case) first, 16 starts at a time: "u" alone is frequent in prose.
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i fold = _mm_set1_epi8(0x20);
  for (; i + 17 <= piece.size(); i += 16) {
    __m128i v =
        _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(piece.data() + i)), fold);
    __m128i next =
        _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(piece.data() + i + 1)), fold);
    auto starts = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(
        _mm_cmpeq_epi8(v, _mm_set1_epi8('u')), _mm_cmpeq_epi8(next, _mm_set1_epi8('s')))));
    while (starts != 0) {
      if (ship(i + static_cast<std::size_t>(__builtin_ctz(starts)))) {
        return true;
      }
      starts &= starts - 1;
    }
  }
#endif
  for (; i < piece.size(); ++i) {
    if (IsCaseless(piece, i, 'u') && ship(i)) {
      return true;
    }
  }
  return false;
}

bool MayHoldNumberWordsNumber(std::string_view piece) {
  // From a digit, a space and a capital: \d{1,5} at \b before them, then one to four words
  // (a capital, [A-Za-z\x80-\xff'\-]*, \.?, a space) and \d{1,5}[A-Za-z]?\b. Every part is
  // taken whole or not at all, so this is the pattern's own test (its tail is optional).
  auto capital = [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u >= 'A' && u <= 'Z') || (u >= 0xc0 && u <= 0xdf);
  };
  auto word_char = [](std::string_view p, std::size_t k) { return IsRe2WordChar(p[k]); };
  auto number_then_words = [&](std::size_t i) {
    std::size_t start = i + 1;
    while (start > 0 && IsDigit(piece[start - 1])) {
      --start;
    }
    if (i + 1 - start > 5 || (start > 0 && word_char(piece, start - 1))) {
      return false;
    }
    std::size_t p = i + 2;
    for (int words = 0; words < 4 && p < piece.size() && capital(piece[p]); ++words) {
      std::size_t q = p + 1;
      while (q < piece.size() &&
             (IsLetterOrHigh(piece[q]) || piece[q] == '\'' || piece[q] == '-')) {
        ++q;
      }
      if (IsAt(piece, q, '.')) {
        ++q;
      }
      if (!IsAt(piece, q, ' ')) {
        return false;
      }
      p = q + 1;
      if (DigitAt(piece, p)) {
        std::size_t e = DigitsEnd(piece, p, piece.size());
        if (e - p > 5) {
          return false;
        }
        if (e < piece.size() && IsAsciiAlpha(piece[e])) {
          ++e;
        }
        return e == piece.size() || !word_char(piece, e);
      }
    }
    return false;
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 18 <= piece.size(); i += 16) {
    const char* at = piece.data() + i;
    __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + 1));
    __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + 2));
    unsigned starts =
        InRangeBits(v0, '0', '9') &
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v1, _mm_set1_epi8(' ')))) &
        (InRangeBits(v2, 'A', 'Z') | InRangeBits(v2, 0xc0, 0xdf));
    while (starts != 0) {
      if (number_then_words(i + static_cast<std::size_t>(__builtin_ctz(starts)))) {
        return true;
      }
      starts &= starts - 1;
    }
  }
#endif
  for (; i + 2 < piece.size(); ++i) {
    if (IsDigit(piece[i]) && piece[i + 1] == ' ' && capital(piece[i + 2]) && number_then_words(i)) {
      return true;
    }
  }
  return false;
}

bool MayHoldUnitInline(std::string_view piece) {
  return AnyAt(piece, 'A', 'S', 'U', [&](std::size_t w) {
    std::size_t end = w;
    for (std::string_view word : {"Apt", "Apartment", "Suite", "Ste", "Unit"}) {
      if (piece.substr(w, word.size()) == word) {
        end = w + word.size();
        break;
      }
    }
    if (end == w) {
      return false;
    }
    for (char optional : {'.', ' ', '#'}) {
      if (IsAt(piece, end, optional)) {
        ++end;
      }
    }
    return DigitAt(piece, end);
  });
}

bool MayHoldCityStateZipTail(std::string_view piece) {
  return AnyAt(piece, ',', ',', ',', [&](std::size_t comma) {
    std::size_t j = comma + 1;
    while (j < piece.size() && IsRe2Space(piece[j])) {
      ++j;
    }
    if (j >= piece.size() || piece[j] < 'A' || piece[j] > 'Z') {
      return false;
    }
    // The state's letters, "." and white space run up to the five digits: the first byte
    // after the capital outside [A-Za-z.\s] is where they must begin.
    ++j;
    while (j < piece.size() &&
           (IsAsciiAlpha(piece[j]) || piece[j] == '.' || IsRe2Space(piece[j]))) {
      ++j;
    }
    if (!IsRe2Space(piece[j - 1]) || j + 5 > piece.size()) {
      return false;
    }
    for (std::size_t k = j; k < j + 5; ++k) {
      if (!IsDigit(piece[k])) {
        return false;
      }
    }
    return true;
  });
}

bool HoldsStreetWord(std::string_view piece) {
  const StreetWordTables& t = kStreetWordTables;
  for (std::size_t i = 0; i + 1 < piece.size(); ++i) {
    unsigned first = t.first[static_cast<unsigned char>(piece[i])];
    if ((t.second[static_cast<unsigned char>(piece[i + 1])] >> first & 1u) != 0 &&
        StreetWordAt(piece, i, first)) {
      return true;
    }
  }
  return false;
}

bool MayHoldEuStreetWithWord(std::string_view piece) {
  // The bytes from a match's street word to its last space: its words' and spaces (the digits
  // of a match are its first and last number only).
  auto in_words = [](char c) {
    return IsLetterOrHigh(c) || c == '\'' || c == '.' || c == '-' || c == ' ';
  };
  // Each space before a digit (most bytes are neither: 16 tested at a time).
  std::size_t checked_to = 0;  // the runs before here hold no street word
  const StreetWordTables& t = kStreetWordTables;
  auto space_then_digit = [&](std::size_t f) {
    // No street word holds a space before a digit, so none lies across f: a later run
    // need only be checked after it.
    std::size_t floor = checked_to;
    checked_to = f + 1;
    // Back from f over the run, a street word at each byte (HoldsStreetWord on the run, in
    // the same pass).
    std::string_view run = piece.substr(0, f);
    int spaces = 0;
    for (std::size_t b = f; b > floor && in_words(piece[b - 1]); --b) {
      if (piece[b - 1] == ' ' && ++spaces > 5) {
        break;
      }
      unsigned first = t.first[static_cast<unsigned char>(piece[b - 1])];
      if ((t.second[static_cast<unsigned char>(piece[b])] >> first & 1u) != 0 &&
          StreetWordAt(run, b - 1, first)) {
        return true;
      }
    }
    return false;
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 17 <= piece.size(); i += 16) {
    __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(piece.data() + i));
    __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(piece.data() + i + 1));
    unsigned spaces =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v0, _mm_set1_epi8(' ')))) &
        InRangeBits(v1, '0', '9');
    while (spaces != 0) {
      if (space_then_digit(i + static_cast<std::size_t>(__builtin_ctz(spaces)))) {
        return true;
      }
      spaces &= spaces - 1;
    }
  }
#endif
  for (; i + 1 < piece.size(); ++i) {
    if (piece[i] == ' ' && IsDigit(piece[i + 1]) && space_then_digit(i)) {
      return true;
    }
  }
  return false;
}

bool IsShortAddressLine(std::string_view line) {
  // ^[\s>?]*: the run is whole, as the letter after it is none of its bytes.
  std::size_t i = 0;
  while (i < line.size() && (IsRe2Space(line[i]) || line[i] == '>' || line[i] == '?')) {
    ++i;
  }
  if (i == line.size() || !IsLetterOrHigh(line[i])) {
    return false;
  }
  // [A-Za-z\x80-\xff .'\-,]{0,40}\s*$: the bytes after the letter, but trailing white
  // space, are at most 40 of the class.
  std::size_t end = line.size();
  while (end > i + 1 && IsRe2Space(line[end - 1])) {
    --end;
  }
  if (end - (i + 1) > 40) {
    return false;
  }
  for (std::size_t k = i + 1; k < end; ++k) {
    char c = line[k];
    if (!(IsLetterOrHigh(c) || c == ' ' || c == '.' || c == '\'' || c == '-' || c == ',')) {
      return false;
    }
  }
  return true;
}

}  // namespace sunshine::pii
