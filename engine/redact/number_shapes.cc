#include "engine/redact/number_shapes.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "engine/redact/byte_masks.h"

namespace sunshine::pii {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Which bytes may begin a match of the matchers below.
enum class Starts {
  kBoundedDigit,  // a digit at \b (after a byte that is not an ASCII word byte)
  kIntl,          // a bounded digit, "+" or "("
  kNanp,          // a bounded digit, any "1", "+" or "("
};

bool MayStart(std::string_view text, std::size_t s, Starts starts) {
  char c = text[s];
  if (IsDigit(c)) {
    return Re2BoundaryBefore(text, s) || (starts == Starts::kNanp && c == '1');
  }
  return starts != Starts::kBoundedDigit && (c == '+' || c == '(');
}

// The first s in [from, to) where MayStart holds, or `to`. Every matcher runs over every
// number window, and most bytes of a window are prose: testing 16 bytes at a time skips them
// without a branch per byte (the candidates it returns are then tried one by one, as before).
std::size_t NextStart(std::string_view text, std::size_t from, std::size_t to, Starts starts) {
  std::size_t s = from;
#if defined(__SSE2__)
  if (s == 0 && s < to) {
    if (MayStart(text, 0, starts)) {
      return 0;
    }
    s = 1;
  }
  // Blocks may reach past `to` (not past the text): windows are short, and a byte loop for
  // their last bytes cost as much as the blocks. Candidates at or after `to` are cut below.
  for (; s < to && s + 16 <= text.size(); s += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + s));
    __m128i before = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + s - 1));
    __m128i digit = BytesInRange(v, '0', '9');
    __m128i word_before = _mm_or_si128(
        _mm_or_si128(BytesInRange(before, '0', '9'), BytesInRange(before, 'a', 'z')),
        _mm_or_si128(BytesInRange(before, 'A', 'Z'), _mm_cmpeq_epi8(before, _mm_set1_epi8('_'))));
    __m128i candidates = _mm_andnot_si128(word_before, digit);
    if (starts != Starts::kBoundedDigit) {
      candidates = _mm_or_si128(candidates, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')),
                                                         _mm_cmpeq_epi8(v, _mm_set1_epi8('('))));
      if (starts == Starts::kNanp) {
        candidates = _mm_or_si128(candidates, _mm_cmpeq_epi8(v, _mm_set1_epi8('1')));
      }
    }
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(candidates));
    if (mask != 0) {
      return std::min(to, s + static_cast<std::size_t>(__builtin_ctz(mask)));
    }
  }
#endif
  for (; s < to; ++s) {
    if (MayStart(text, s, starts)) {
      return s;
    }
  }
  return to;
}

}  // namespace

void NumberStarts::Reset(std::string_view text, std::size_t from, std::size_t to) {
  to = std::min(to, text.size());
  from = std::min(from, to);
  from_ = from;
  to_ = to;
  digits_ = 0;
  long_chain_ = false;
  std::size_t words = (to - from + 63) / 64;
  masks_.resize(words);
  std::uint64_t previous_digit = 0;      // the last word's masks (none before the window: chains
  std::uint64_t previous_separator = 0;  // are walked forwards from a start in it)
  for (std::size_t w = 0; w < words; ++w) {
    std::size_t base = from + w * 64;
    std::size_t count = std::min<std::size_t>(64, to - base);
    std::uint64_t digit = 0;
    std::uint64_t word = 0;  // IsRe2WordChar
    std::uint64_t sign = 0;
    std::uint64_t one = 0;
    std::uint64_t separator = 0;  // space or dash
    std::uint64_t letter = 0;     // ASCII letters
    std::size_t k = 0;
#if defined(__SSE2__)
    auto bits = [](__m128i v) {
      return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v)));
    };
    // The last block may reach past `to` (not past the text); those bits are cut below.
    for (; k < count && base + k + 16 <= text.size(); k += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + base + k));
      __m128i is_digit = BytesInRange(v, '0', '9');
      __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));  // capitals onto small letters
      __m128i is_letter = BytesInRange(folded, 'a', 'z');
      digit |= bits(is_digit) << k;
      letter |= bits(is_letter) << k;
      word |= bits(_mm_or_si128(_mm_or_si128(is_digit, is_letter),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))))
              << k;
      sign |= bits(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('('))))
              << k;
      one |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('1'))) << k;
      separator |= bits(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))))
                   << k;
    }
#endif
    for (; k < count; ++k) {
      char c = text[base + k];
      digit |= static_cast<std::uint64_t>(IsDigit(c)) << k;
      word |= static_cast<std::uint64_t>(IsRe2WordChar(c)) << k;
      sign |= static_cast<std::uint64_t>(c == '+' || c == '(') << k;
      one |= static_cast<std::uint64_t>(c == '1') << k;
      separator |= static_cast<std::uint64_t>(c == ' ' || c == '-') << k;
      letter |= static_cast<std::uint64_t>(IsRe2WordChar(c) && c != '_' && !IsDigit(c)) << k;
    }
    std::uint64_t valid = count == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
    std::uint64_t word_before = word << 1 | (base > 0 && IsRe2WordChar(text[base - 1]) ? 1 : 0);
    digit &= valid;
    separator &= valid;
    // A digit continues a chain after a digit, or after a digit and one space or dash.
    std::uint64_t digit_before = digit << 1 | previous_digit >> 63;
    std::uint64_t two_before = digit << 2 | previous_digit >> 62;
    std::uint64_t separator_before = separator << 1 | previous_separator >> 63;
    std::uint64_t continues = digit_before | (separator_before & two_before);
    // A chain of kLongChain digits covers at least as many bytes in a row, each a digit or a
    // space or dash after one: is there such a row (or one that goes on into the next word)?
    std::uint64_t chained = digit | (separator & digit_before);
    std::uint64_t rows = chained & chained >> 1;  // rows of 2 bytes
    rows &= rows >> 2;                            // 4
    rows &= rows >> 4;                            // 8
    rows &= rows >> (NumberStarts::kLongChain - 8);
    long_chain_ = long_chain_ || rows != 0 || (chained >> 63 != 0 && w + 1 < words);
    // A "1" after a word byte begins a NANP match only as its "1" prefix, and then a separator
    // or "(" follows: a "1" before a word byte (in a number: "2011", "4111") cannot.
    std::uint64_t word_after =
        word >> 1 |
        (base + 64 < text.size() && IsRe2WordChar(text[base + 64]) ? std::uint64_t{1} << 63 : 0);
    // (iban holds the letters until the next word's are known, below.)
    masks_[w] = {digit & ~word_before, sign & valid,  one & ~word_after & valid, digit,
                 digit & ~continues,   letter & valid};
    previous_digit = digit;
    previous_separator = separator;
    digits_ += PopCount64(digit);
  }
  // IBAN starts: a letter, a letter, a digit and a digit (the windows' IBAN test read every
  // window four times over, 16 bytes at a time: 1.4% of a scan's instructions).
  std::uint64_t any = 0;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t letters = masks_[w].iban;
    std::uint64_t digits = masks_[w].digits;
    std::uint64_t next_letters = w + 1 < words ? masks_[w + 1].iban : 0;
    std::uint64_t next_digits = w + 1 < words ? masks_[w + 1].digits : 0;
    std::uint64_t starts = letters & (letters >> 1 | next_letters << 63) &
                           (digits >> 2 | next_digits << 62) & (digits >> 3 | next_digits << 61);
    masks_[w].iban = starts;
    any |= starts;
  }
  any_iban_ = any != 0;
}

// The longest digit group a digit-group shape is matched for.
constexpr std::size_t kMaxDigits = 24;

// Hand-written matchers for the fixed digit shapes. Number windows are small and many, and
// for these shapes the fixed cost of an RE2 call was most of the work. Each returns the same
// leftmost(-first) match as the RE2 pattern it replaces would in text[from, to), with the
// bytes around as context for \b, as RE2::Match(text, from, to) does.

// \b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b|\b\d{3}\.\d{2}\.\d{4}\b|\b\d{9}\b
namespace {

// The matchers, each over its starts: next(s) is the first start at or after s, or `to`.
template <typename Next>
bool SsnShapeFrom(std::string_view text, std::size_t from, std::size_t to, Next next,
                  TextRange* match) {
  auto digits = [&](std::size_t at, std::size_t count) {
    for (std::size_t k = at; k < at + count; ++k) {
      if (!IsDigit(text[k])) {
        return false;
      }
    }
    return true;
  };
  // (next gives only digits at \b, as do the other matchers' next their starts.)
  for (std::size_t s = next(from); s + 9 <= to; s = next(s + 1)) {
    if (!digits(s + 1, 2)) {
      continue;
    }
    char separator = text[s + 3];
    if (separator == '-' || separator == ' ' || separator == '.') {
      if (s + 11 <= to && digits(s + 4, 2) && text[s + 6] == separator && digits(s + 7, 4) &&
          Re2BoundaryAfter(text, s + 11)) {
        *match = {s, s + 11};
        return true;
      }
    } else if (digits(s + 3, 6) && Re2BoundaryAfter(text, s + 9)) {
      *match = {s, s + 9};
      return true;
    }
  }
  return false;
}

// \b\d(?:[ \-]?\d){min-1,max-1}\b (digit runs) and \b(?:\d[ \-]?){min-1,max-1}\d\b (cards):
// both are min to max digits, each after at most one space or dash; greedy, so the most
// digits that end on a word boundary.
// chain(s, &end): at least as many digits as the chain starting at s holds; starts before end
// (> s) have no more.
template <typename Next, typename Chain>
bool DigitGroupsFrom(std::string_view text, std::size_t from, std::size_t to,
                     std::size_t min_digits, std::size_t max_digits, Next next, Chain chain,
                     TextRange* match) {
  std::size_t ends[kMaxDigits];
  max_digits = std::min(max_digits, kMaxDigits);
  for (std::size_t s = next(from); s < to; s = next(s + 1)) {
    if (std::size_t end = s + 1; chain(s, &end) < min_digits) {
      // (The later starts of a short chain, after its separators, are shorter still: for
      // cards most chains are, and their starts cost as much as the first.)
      s = end - 1;
      continue;
    }
    std::size_t count = 0;
    std::size_t p = s;
    while (true) {
      ends[count++] = p + 1;
      if (count == max_digits) {
        break;
      }
      std::size_t next = p + 1;
      if (next < to && (text[next] == ' ' || text[next] == '-')) {
        ++next;
      }
      if (next >= to || !IsDigit(text[next])) {
        break;
      }
      p = next;
    }
    for (std::size_t n = count; n >= min_digits && n > 0; --n) {
      if (Re2BoundaryAfter(text, ends[n - 1])) {
        *match = {s, ends[n - 1]};
        return true;
      }
    }
    // No later start inside this run can follow a word boundary except after a separator:
    // the loop visits those.
  }
  return false;
}

}  // namespace

bool FindSsnShape(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  return SsnShapeFrom(
      text, from, to, [&](std::size_t s) { return NextStart(text, s, to, Starts::kBoundedDigit); },
      match);
}
bool FindSsnShapeIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                    TextRange* match) {
  return SsnShapeFrom(
      text, from, starts.to(),
      [&](std::size_t s) { return starts.Next(s, NumberStarts::kBoundedDigit); }, match);
}

bool FindDigitGroups(std::string_view text, std::size_t from, std::size_t to,
                     std::size_t min_digits, std::size_t max_digits, TextRange* match) {
  return DigitGroupsFrom(
      text, from, to, min_digits, max_digits,
      [&](std::size_t s) { return NextStart(text, s, to, Starts::kBoundedDigit); },
      [](std::size_t, std::size_t*) { return kMaxDigits; }, match);
}
bool FindDigitGroupsIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                       std::size_t min_digits, std::size_t max_digits, TextRange* match) {
  return DigitGroupsFrom(
      text, from, starts.to(), min_digits, max_digits,
      [&](std::size_t s) { return starts.Next(s, NumberStarts::kBoundedDigit); },
      [&](std::size_t s, std::size_t* end) { return starts.ChainDigits(s, end); }, match);
}

namespace {

// What the two phone matchers share: the window, RE2's \b, and the extension tail.
class PhoneCursor {
 public:
  static constexpr std::size_t kNone = std::string_view::npos;

 protected:
  PhoneCursor(std::string_view text, std::size_t to) : text_(text), to_(to) {}

  bool At(std::size_t p, char c) const { return p < to_ && text_[p] == c; }
  std::size_t Run(std::size_t p, std::size_t max) const {  // digits at p, at most max
    std::size_t n = 0;
    while (n < max && p + n < to_ && IsDigit(text_[p + n])) {
      ++n;
    }
    return n;
  }
  bool Separator(std::size_t p) const {
    return p < to_ && (text_[p] == ' ' || text_[p] == '.' || text_[p] == '-');
  }
  // RE2's \b at p, with the whole text as context (p may be at or after to_).
  bool Boundary(std::size_t p) const {
    bool before = p > 0 && IsRe2WordChar(text_[p - 1]);
    bool after = p < text_.size() && IsRe2WordChar(text_[p]);
    return before != after;
  }

  // (?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?\b; the international shape has no
  // "extension" word.
  std::size_t Tail(std::size_t p, bool extension_word) const {
    for (int space = At(p, ' ') ? 1 : 0; space >= 0; --space) {
      std::size_t q = p + static_cast<std::size_t>(space);
      std::size_t words[3];
      int word_count = 0;
      if (At(q, 'x')) {
        words[word_count++] = q + 1;
      } else if (At(q, 'e') && At(q + 1, 'x') && At(q + 2, 't')) {
        if (At(q + 3, '.')) {
          words[word_count++] = q + 4;
        }
        words[word_count++] = q + 3;
        if (extension_word && At(q + 3, 'e') && At(q + 4, 'n') && At(q + 5, 's') &&
            At(q + 6, 'i') && At(q + 7, 'o') && At(q + 8, 'n')) {
          words[word_count++] = q + 9;
        }
      }
      for (int w = 0; w < word_count; ++w) {
        for (int space2 = At(words[w], ' ') ? 1 : 0; space2 >= 0; --space2) {
          std::size_t d = words[w] + static_cast<std::size_t>(space2);
          // Only the longest run: \b cannot fall between two digits.
          if (std::size_t n = Run(d, 6); n >= 1 && Boundary(d + n)) {
            return d + n;
          }
        }
      }
    }
    return Boundary(p) ? p : kNone;
  }

  std::string_view text_;
  std::size_t to_;
};

// The international phone shape, patterns.intl:
//   (?:\+|\b00|\B\(|\b)\(?\d{1,5}\)?(?:[ .\-]{1,2}\(?\d{1,8}\)?){1,6}
//   (?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?\b
// It runs in most number windows, and an RE2 call per window cost more than the matching.
// This is a backtracking matcher for exactly that pattern that tries the alternatives in
// RE2's (Perl's) priority order, so it returns RE2's leftmost-first match.
class IntlPhoneMatcher : public PhoneCursor {
 public:
  IntlPhoneMatcher(std::string_view text, std::size_t to) : PhoneCursor(text, to) {}

  // The end of the match starting at `s`, or npos.
  std::size_t MatchAt(std::size_t s) const {
    if (s >= to_) {
      return kNone;
    }
    std::size_t end = kNone;
    char c = text_[s];
    if (c == '+' && (end = Body(s + 1)) != kNone) {
      return end;
    }
    bool boundary = Boundary(s);
    if (boundary && c == '0' && s + 2 <= to_ && text_[s + 1] == '0' &&
        (end = Body(s + 2)) != kNone) {
      return end;
    }
    if (!boundary && c == '(' && (end = Body(s + 1)) != kNone) {
      return end;
    }
    if (boundary) {
      return Body(s);
    }
    return kNone;
  }

 private:
  // \(?\d{1,5}\)? then the groups.
  std::size_t Body(std::size_t p) const {
    for (int open = At(p, '(') ? 1 : 0; open >= 0; --open) {
      std::size_t q = p + static_cast<std::size_t>(open);
      // Only the longest run: after a shorter one comes a digit, where neither ")", a
      // separator, an extension nor \b can follow (so fewer digits never match).
      if (std::size_t n = Run(q, 5); n >= 1) {
        std::size_t r = q + n;
        for (int close = At(r, ')') ? 1 : 0; close >= 0; --close) {
          std::size_t end = Groups(r + static_cast<std::size_t>(close), 0);
          if (end != kNone) {
            return end;
          }
        }
      }
    }
    return kNone;
  }

  // (?:[ .\-]{1,2}\(?\d{1,8}\)?){1,6} after `done` repetitions, then the tail.
  std::size_t Groups(std::size_t p, int done) const {
    if (done < 6) {
      int separators = Separator(p) ? (Separator(p + 1) ? 2 : 1) : 0;
      for (int k = separators; k >= 1; --k) {
        std::size_t q0 = p + static_cast<std::size_t>(k);
        for (int open = At(q0, '(') ? 1 : 0; open >= 0; --open) {
          std::size_t q = q0 + static_cast<std::size_t>(open);
          if (std::size_t n = Run(q, 8); n >= 1) {  // only the longest, as in Body
            std::size_t r = q + n;
            for (int close = At(r, ')') ? 1 : 0; close >= 0; --close) {
              std::size_t end = Groups(r + static_cast<std::size_t>(close), done + 1);
              if (end != kNone) {
                return end;
              }
            }
          }
        }
      }
    }
    if (done == 0) {
      return kNone;
    }
    return Tail(p, /*extension_word=*/false);
  }
};

// The NANP phone shape, patterns.nanp:
//   (?:\+?1[ .\-]?)?(?:\(\d{3}\)[ ]?|\b\d{3}[ .\-]?)\d{3}[ .\-]?\d{4}
//   (?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?\b
// Matched by hand for the same reason and in the same way as IntlPhoneMatcher.
class NanpPhoneMatcher : public PhoneCursor {
 public:
  NanpPhoneMatcher(std::string_view text, std::size_t to) : PhoneCursor(text, to) {}

  std::size_t MatchAt(std::size_t s) const {
    // (?:\+?1[ .\-]?)? : taking the prefix comes first.
    for (int plus = At(s, '+') ? 1 : 0; plus >= 0; --plus) {
      std::size_t q = s + static_cast<std::size_t>(plus);
      if (!At(q, '1')) {
        continue;
      }
      ++q;
      for (int separator = Separator(q) ? 1 : 0; separator >= 0; --separator) {
        std::size_t end = Main(q + static_cast<std::size_t>(separator));
        if (end != kNone) {
          return end;
        }
      }
    }
    return Main(s);
  }

 private:
  bool Digits(std::size_t p, std::size_t count) const {
    if (p + count > to_) {
      return false;
    }
    for (std::size_t k = p; k < p + count; ++k) {
      if (!IsDigit(text_[k])) {
        return false;
      }
    }
    return true;
  }

  // (?:\(\d{3}\)[ ]?|\b\d{3}[ .\-]?) then the rest.
  std::size_t Main(std::size_t p) const {
    if (At(p, '(') && Digits(p + 1, 3) && At(p + 4, ')')) {
      for (int space = At(p + 5, ' ') ? 1 : 0; space >= 0; --space) {
        std::size_t end = Rest(p + 5 + static_cast<std::size_t>(space));
        if (end != kNone) {
          return end;
        }
      }
    }
    if (Boundary(p) && Digits(p, 3)) {
      for (int separator = Separator(p + 3) ? 1 : 0; separator >= 0; --separator) {
        std::size_t end = Rest(p + 3 + static_cast<std::size_t>(separator));
        if (end != kNone) {
          return end;
        }
      }
    }
    return kNone;
  }

  // \d{3}[ .\-]?\d{4} then the extension and \b.
  std::size_t Rest(std::size_t p) const {
    if (!Digits(p, 3)) {
      return kNone;
    }
    for (int separator = Separator(p + 3) ? 1 : 0; separator >= 0; --separator) {
      std::size_t q = p + 3 + static_cast<std::size_t>(separator);
      if (Digits(q, 4)) {
        std::size_t end = Tail(q + 4, /*extension_word=*/true);
        if (end != kNone) {
          return end;
        }
      }
    }
    return kNone;
  }
};

// A NANP number's ten digits lie in its first 17 bytes: "+1-(555) 555-5555".
constexpr std::size_t kNanpSpan = 17;

// ten_digits(s): are there ten digits in text[s, s + kNanpSpan) (or may there be)?
template <typename Next, typename TenDigits>
bool NanpPhoneFrom(std::string_view text, std::size_t from, std::size_t to, Next next,
                   TenDigits ten_digits, TextRange* match) {
  NanpPhoneMatcher matcher(text, to);
  for (std::size_t s = next(from); s < to; s = next(s + 1)) {
    // (After a word character only the "1" of the optional prefix can begin a match: next
    // gives no other digit there.)
    if (!ten_digits(s)) {
      continue;
    }
    std::size_t end = matcher.MatchAt(s);
    if (end != NanpPhoneMatcher::kNone) {
      *match = {s, end};
      return true;
    }
  }
  return false;
}

template <typename Next>
bool IntlPhoneFrom(std::string_view text, std::size_t from, std::size_t to, Next next,
                   TextRange* match) {
  IntlPhoneMatcher matcher(text, to);
  for (std::size_t s = next(from); s < to; s = next(s + 1)) {
    // (A digit after a word character can begin no alternative of the pattern: next gives
    // none.)
    std::size_t end = matcher.MatchAt(s);
    if (end != IntlPhoneMatcher::kNone) {
      *match = {s, end};
      return true;
    }
  }
  return false;
}

}  // namespace

bool FindNanpPhone(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  return NanpPhoneFrom(
      text, from, to, [&](std::size_t s) { return NextStart(text, s, to, Starts::kNanp); },
      [](std::size_t) { return true; }, match);
}
bool FindNanpPhoneIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                     TextRange* match) {
  // Most candidates (every "1", dates, times, prices) have fewer digits ahead than a number.
  return NanpPhoneFrom(
      text, from, starts.to(), [&](std::size_t s) { return starts.Next(s, NumberStarts::kNanp); },
      [&](std::size_t s) { return starts.DigitsAhead(s, kNanpSpan) >= 10; }, match);
}

bool FindIntlPhone(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  return IntlPhoneFrom(
      text, from, to, [&](std::size_t s) { return NextStart(text, s, to, Starts::kIntl); }, match);
}
bool FindIntlPhoneIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                     TextRange* match) {
  return IntlPhoneFrom(
      text, from, starts.to(), [&](std::size_t s) { return starts.Next(s, NumberStarts::kIntl); },
      match);
}

namespace {

// Hyperscan's \s.
bool IsHsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }
// [A-Za-z\x80-\xff]
bool IsLetterOrHigh(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}

// Does a match of kZipTriggerPattern without its line break end at `end` (the end of its
// [ \t]*)? Read backwards: blanks, then \d{4,5} or \d{4,5}-\d{4} (whole digit runs: blanks or
// a dash must come before them), blanks, and a run of [L.,] with a letter L in it, that is,
// a letter before any dots and commas ([L][L.,]* has the same ends as [L][.,]*).
bool ZipTailEndsAt(std::string_view text, std::size_t end) {
  std::size_t q = end;
  while (q > 0 && IsBlank(text[q - 1])) {
    --q;
  }
  auto run_start = [&](std::size_t run_end) {
    std::size_t a = run_end;
    while (a > 0 && IsDigit(text[a - 1])) {
      --a;
    }
    return a;
  };
  auto word_before = [&](std::size_t digits) {
    std::size_t t = digits;
    if (t == 0 || !IsBlank(text[t - 1])) {
      return false;
    }
    while (t > 0 && IsBlank(text[t - 1])) {
      --t;
    }
    while (t > 0 && (text[t - 1] == '.' || text[t - 1] == ',')) {
      --t;
    }
    return t > 0 && IsLetterOrHigh(text[t - 1]);
  };
  std::size_t a = run_start(q);
  std::size_t run = q - a;
  if ((run == 4 || run == 5) && word_before(a)) {
    return true;
  }
  if (run == 4 && a > 0 && text[a - 1] == '-') {
    std::size_t c = run_start(a - 1);
    std::size_t before = a - 1 - c;
    return (before == 4 || before == 5) && word_before(c);
  }
  return false;
}

}  // namespace

// kIpv4Pattern: each \d{1,3} must be a whole digit run (a shorter one is followed by a
// digit where a dot or \b is needed), so a start either matches in one way or not at all.
bool FindIpv4(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  to = std::min(to, text.size());
  for (std::size_t s = NextStart(text, from, to, Starts::kBoundedDigit); s < to;
       s = NextStart(text, s + 1, to, Starts::kBoundedDigit)) {
    std::size_t p = s;
    bool ok = true;
    for (int group = 0; group < 4 && ok; ++group) {
      if (group > 0) {
        ok = p < to && text[p] == '.';
        ++p;
      }
      std::size_t digits = p;
      while (ok && p < to && IsDigit(text[p]) && p - digits < 4) {
        ++p;
      }
      ok = ok && p > digits && p - digits <= 3 && (p >= to || !IsDigit(text[p]));
    }
    if (ok && Re2BoundaryAfter(text, p)) {
      *match = {s, p};
      return true;
    }
  }
  return false;
}

// kEmailPattern. The local part is a run of [A-Za-z0-9._%+-] right before an "@" (the "@" is
// not in the class, so the leftmost start is where that run begins, or `from`). The domain is
// a chain of labels (runs of [A-Za-z0-9-]) joined by single dots; the greedy repetition takes
// whole labels, so the match ends in the last label after the first that begins with 2 to 24
// letters followed by \b (the letters may end at a "-" inside the label). Only text[from, to)
// can be matched; \b looks past `to`, as RE2 does.
bool FindEmail(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  auto local = [](char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
           c == '%' || c == '+' || c == '-';
  };
  auto label = [](char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  };
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  to = std::min(to, text.size());
  std::size_t at = from;
  while (at < to) {
    const void* found = std::memchr(text.data() + at, '@', to - at);
    if (found == nullptr) {
      return false;
    }
    std::size_t a = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    at = a + 1;
    if (a == from || !local(text[a - 1])) {
      continue;
    }
    std::size_t start = a - 1;
    while (start > from && local(text[start - 1])) {
      --start;
    }
    // The first label, whole, then ".label" links; remember the last label that can end it.
    std::size_t p = a + 1;
    std::size_t q = p;
    while (q < to && label(text[q])) {
      ++q;
    }
    if (q == p) {
      continue;
    }
    std::size_t end = 0;
    while (q < to && text[q] == '.') {
      std::size_t s = q + 1;
      std::size_t e = s;
      while (e < to && label(text[e])) {
        ++e;
      }
      if (e == s) {
        break;
      }
      std::size_t letters = s;
      while (letters < e && letter(text[letters])) {
        ++letters;
      }
      std::size_t n = letters - s;
      if (n >= 2 && n <= 24 && Re2BoundaryAfter(text, letters)) {
        end = letters;
      }
      q = e;
    }
    if (end != 0) {
      *match = {start, end};
      return true;
    }
  }
  return false;
}

namespace {

// The house trigger's end for the start whose first digit run ends at `last` (a digit followed
// by a space and [A-Z\x80-\xff]), if it has one. Each start (a digit run at \b) has at most one
// end, and later starts end later.
void AddHouseEnd(std::string_view text, std::size_t last, std::vector<std::size_t>& ends) {
  const std::size_t size = text.size();
  std::size_t r = last + 1;
  std::size_t s = last;
  while (s > 0 && IsDigit(text[s - 1]) && r - s <= 5) {
    --s;
  }
  if (r - s > 5 || !Re2BoundaryBefore(text, s)) {
    return;
  }
  // One to four words [A-Z\x80-\xff][^\s\d]*, each followed by one space, then a digit run
  // of at most five digits at \b.
  std::size_t p = r + 1;
  int words = 0;
  while (p < size) {
    char c = text[p];
    if ((c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80) {
      std::size_t q = p + 1;
      while (q < size && !IsHsSpace(text[q]) && !IsDigit(text[q])) {
        ++q;
      }
      if (q >= size || text[q] != ' ' || ++words > 4) {
        return;
      }
      p = q + 1;
      continue;
    }
    if (words > 0 && IsDigit(c)) {
      std::size_t d = p;
      while (d < size && IsDigit(text[d])) {
        ++d;
      }
      if (d - p <= 5 && Re2BoundaryAfter(text, d)) {
        ends.push_back(d);
      }
    }
    return;
  }
}

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsHexDigit(char c) {
  char folded = static_cast<char>(c | 0x20);  // folds ASCII capitals, maps no other byte to a-f
  return IsDigit(c) || (folded >= 'a' && folded <= 'f');
}

// FindTriggerShapes's work at its candidates (digit chains, line ends, "@", ":", the licence
// words' letters), shared by the block loops of both vector paths (trigger_blocks.inc).
class TriggerScan {
 public:
  TriggerScan(std::string_view text, TriggerShapes& shapes)
      : text_(text), size_(text.size()), shapes_(shapes), runs_(shapes.digit_runs) {}

  std::string_view Text() const { return text_; }
  std::vector<DigitTriggerRun>& Runs() { return runs_; }

  // --- The number and IPv4 triggers (and the house trigger) along the digit chains.
  static bool Separator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
  }
  // A match's digits are consecutive digits of the text, each after at most two separators
  // (the bytes between two of its digits are separators): they lie in a chain of such digits.
  // Each chain is taken from its first digit to where it breaks; the next digit after the
  // break starts the next chain.
  // The number trigger ends at every digit from the sixth of a chain on. The IPv4 trigger ends
  // at the first three digits of a digit run R4 when R1.R2.R3.R4 are runs of the chain, each
  // after one "." (R2 and R3 whole and of one to three digits; R1 any run).

  // A house number's first digit run ends a chain: a space and a capital follow its last digit.
  // `end` is just after the chain's last digit.
  void House(std::size_t end) {
    if (end + 1 < size_) {
      // One branch for the two tests: after half of all chains comes a space.
      unsigned char c = static_cast<unsigned char>(text_[end + 1]);
      if (static_cast<int>(text_[end] == ' ') &
          static_cast<int>((c >= 'A' && c <= 'Z') || c >= 0x80)) {
        AddHouseEnd(text_, end - 1, shapes_.house_ends);
      }
    }
  }

  // The chain from `start` (a digit), digit run by digit run; returns where it ends.
  std::size_t Walk(std::size_t start) {
    const std::size_t runs_before = runs_.size();  // runs extend only within the chain
    auto add = [&](bool ipv4, std::size_t end) {
      if (runs_.size() > runs_before && runs_.back().ipv4 == ipv4 && end - runs_.back().last < 16) {
        runs_.back().last = end;
      } else {
        runs_.push_back({ipv4, end, end});
      }
    };
    std::size_t count = 0;  // digits of the chain before `start`
    int dots = 0;           // 3 when the run at `start` can be R4 (2: R3, 1: R2), capped at 3
    while (true) {
      std::size_t end = RunEnd(start);
      std::size_t digit = start;
      if (dots == 3) {  // IPv4 ends at its first three digits, each after the number's
        for (; digit < end && digit < start + 3; ++digit) {
          if (++count >= 6) {
            add(false, digit + 1);
          }
          add(true, digit + 1);
        }
      }
      // The number trigger ends at each digit from the sixth on.
      if (digit < end && count + (end - digit) >= 6) {
        add(false, digit + 1 + (count >= 5 ? 0 : 5 - count));
        runs_.back().last = end;
      }
      count += end - digit;
      if (end + 1 < size_ && Separator(text_[end])) {
        if (IsDigit(text_[end + 1])) {
          if (text_[end] == '.') {
            dots = dots >= 1 && end - start <= 3 ? std::min(dots + 1, 3) : 1;
          } else {
            dots = 0;
          }
          start = end + 1;
          continue;
        }
        if (end + 2 < size_ && Separator(text_[end + 1]) && IsDigit(text_[end + 2])) {
          dots = 0;
          start = end + 2;
          continue;
        }
      }
      House(end);
      return end;  // the chain breaks: no digit at `end` to `end + 2`
    }
  }

  // --- The postal-code trigger, tried at each line's end (the newline at `newline`).
  void LineEnd(std::size_t newline) {
    // \r?\n: before a \r only the \r can be taken (it is neither blank nor digit).
    std::size_t end = newline > 0 && text_[newline - 1] == '\r' ? newline - 1 : newline;
    if (ZipTailEndsAt(text_, end)) {
      shapes_.zip_ends.push_back(newline + 1);
    }
  }

  // --- The driver-licence trigger, tried at the candidates "riv" (driver), "lic" (licence,
  // license) and "dl" (set bit 5 folds ASCII capitals and maps no other byte onto a small
  // letter). `i + 1 < size`.
  void Licence(std::size_t i) {
    char first = Lower(i);
    char second = Lower(i + 1);
    if (first == 'r') {
      if (i >= 1 && Is(i - 1, "driver")) {
        shapes_.dl_ends.push_back(i + 5);
      }
    } else if (first == 'l') {
      if (Is(i, "licence") || Is(i, "license")) {
        shapes_.dl_ends.push_back(i + 7);
      }
    } else if (first == 'd' && second == 'l' && Re2BoundaryBefore(text_, i)) {
      if (Re2BoundaryAfter(text_, i + 2)) {
        shapes_.dl_ends.push_back(i + 2);
      } else if (i + 2 < size_ && Lower(i + 2) == 'n' && Re2BoundaryAfter(text_, i + 3)) {
        shapes_.dl_ends.push_back(i + 3);
      }
    }
  }

  // --- The e-mail trigger at an "@" and the IPv6 trigger at a ":" (`at` holds one of them).
  // An e-mail trigger's bytes after its "@" are no ":" and no IPv6 trigger ends among them (it
  // holds no "@"), so the ends come in order when the "@"s and ":"s are taken in order.
  void EmailOrIpv6(std::size_t at) {
    if (text_[at] == '@') {
      // The label run is maximal: "." is not in it, so no shorter run is followed by one.
      // Measured 16 bytes at a time (a byte loop cost a mispredicted branch per "@").
      std::size_t q = at + 1;
#if defined(__SSE2__)
      if (q + 16 <= size_) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text_.data() + q));
        __m128i letter = BytesInRange(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
        __m128i label = _mm_or_si128(_mm_or_si128(BytesInRange(v, '0', '9'), letter),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
        unsigned outside = ~static_cast<unsigned>(_mm_movemask_epi8(label)) & 0xFFFF;
        q += outside != 0 ? static_cast<std::size_t>(__builtin_ctz(outside)) : 16;
      }
#endif
      while (q < size_ && (IsDigit(text_[q]) || IsLetter(text_[q]) || text_[q] == '-')) {
        ++q;
      }
      if (q > at + 1 && q + 1 < size_ && text_[q] == '.' && IsLetter(text_[q + 1])) {
        shapes_.email_ipv6.push_back({false, q + 2});
      }
      return;
    }
    // The ":" before `colon` with at most four hex digits between them, if any.
    auto colon_before = [&](std::size_t colon) -> std::size_t {
      for (std::size_t d = 1; d <= 5 && d <= colon; ++d) {
        char c = text_[colon - d];
        if (c == ':') {
          return colon - d;
        }
        if (!IsHexDigit(c)) {
          break;
        }
      }
      return size_;
    };
    // `at` is a third ":" when two more come before it so; the matches end after it and after
    // each of up to four hex digits that follow (each end once).
    std::size_t second = colon_before(at);
    if (second == size_ || colon_before(second) == size_) {
      return;
    }
    std::size_t end = at + 1;
    shapes_.email_ipv6.push_back({true, end});
    for (; end < size_ && end < at + 5 && IsHexDigit(text_[end]); ++end) {
      shapes_.email_ipv6.push_back({true, end + 1});
    }
  }

 private:
  // The end of the digit run from `at` (a digit): 16 bytes at a time, without a branch per
  // digit.
  std::size_t RunEnd(std::size_t at) const {
#if defined(__SSE2__)
    if (at + 16 <= size_) {
      unsigned digits = InRangeBits(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(text_.data() + at)), '0', '9');
      if (digits != 0xFFFF) {
        return at + static_cast<std::size_t>(__builtin_ctz(~digits));
      }
      at += 16;
    }
#endif
    while (at < size_ && IsDigit(text_[at])) {
      ++at;
    }
    return at;
  }
  char Lower(std::size_t i) const { return static_cast<char>(text_[i] | 0x20); }  // letters only
  bool Is(std::size_t at, std::string_view word) const {
    if (at + word.size() > size_) {
      return false;
    }
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (Lower(at + k) != word[k]) {
        return false;
      }
    }
    return true;
  }

  std::string_view text_;
  std::size_t size_;
  TriggerShapes& shapes_;
  std::vector<DigitTriggerRun>& runs_;
};

}  // namespace

#if defined(__SSE2__)
// The block loop, once per vector path (trigger_blocks.inc).
namespace {
namespace sse2 {
#include "engine/redact/trigger_blocks.inc"
}  // namespace sse2
SUNSHINE_AVX2_BEGIN
namespace avx2 {
#include "engine/redact/trigger_blocks.inc"
}  // namespace avx2
SUNSHINE_AVX2_END

[[gnu::target("avx2")]] std::size_t TriggerBlocksAvx2(TriggerScan& scan, std::size_t& digits_from) {
  return avx2::TriggerBlocks<Avx2Bytes>(scan, 0, digits_from);
}
}  // namespace
#endif

void FindTriggerShapes(std::string_view text, TriggerShapes& shapes, VectorPath path) {
  const std::size_t size = text.size();
  TriggerScan scan(text, shapes);
  // One pass over the text: each block of 16 or 32 bytes is loaded once for all the triggers,
  // and each trigger's candidates in it are taken in order (each appends to its own vector).
  std::size_t i = 0;
  std::size_t digits_from = 0;  // digits before this are in chains already taken
#if defined(__SSE2__)
  if (UseAvx2(path)) {
    i = TriggerBlocksAvx2(scan, digits_from);
  }
  // (After AVX2's, its last 16 to 33 bytes.)
  i = sse2::TriggerBlocks<Sse2Bytes>(scan, i, digits_from);
#else
  (void)path;
#endif
  // The last bytes, one at a time.
  for (std::size_t k = std::max(i, digits_from); k < size;) {
    k = IsDigit(text[k]) ? scan.Walk(k) : k + 1;
  }
  for (std::size_t k = i; k < size; ++k) {
    char c = text[k];
    if (c == '\n') {
      scan.LineEnd(k);
    }
    if (k + 1 < size) {
      scan.Licence(k);
    }
    if (c == '@' || c == ':') {
      scan.EmailOrIpv6(k);
    }
  }
  // The postal code's `$`: at the end, or before a final line break (reported last).
  shapes.zip_in_order = shapes.zip_ends.size();
  if (size == 0) {
    return;
  }
  if (text[size - 1] != '\n') {
    if (ZipTailEndsAt(text, size)) {
      shapes.zip_ends.push_back(size);
      shapes.zip_in_order = shapes.zip_ends.size();
    }
  } else if (ZipTailEndsAt(text, size - 1)) {
    shapes.zip_ends.push_back(size - 1);
  }
}

void FindTriggerShapes(std::string_view text, TriggerShapes& shapes) {
  FindTriggerShapes(text, shapes, VectorPath::kBest);
}

namespace {

// The first i >= from with two ASCII letters and two ASCII digits at text[i, i + 4), i + 4 <= to
// (to <= text.size()), or npos. (Byte by byte: only FindIban, the reference FindIbanIn is
// tested against, uses it; the scan finds IBAN starts with the others in NumberStarts::Reset.)
std::size_t NextIbanStart(std::string_view text, std::size_t from, std::size_t to) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  for (std::size_t i = from; i + 4 <= to; ++i) {
    if (letter(text[i]) && letter(text[i + 1]) && IsDigit(text[i + 2]) && IsDigit(text[i + 3])) {
      return i;
    }
  }
  return std::string_view::npos;
}

// patterns.iban over its starts: next(s) is the first at or after s, or `to`.
template <typename Next>
bool IbanFrom(std::string_view text, std::size_t to, std::size_t first, Next next,
              TextRange* match) {
  auto alnum = [&](std::size_t p) { return IsRe2WordChar(text[p]) && text[p] != '_'; };
  for (std::size_t s = first; s < to; s = next(s + 1)) {
    if (!Re2BoundaryBefore(text, s)) {
      continue;
    }
    // (?:[ ]?[A-Za-z0-9]){11,32}: a space and an alphanumeric, or an alphanumeric (never both
    // at one place), as often as they come; nothing follows, so the most, if at least 11.
    std::size_t p = s + 4;
    std::size_t repeats = 0;
    for (; repeats < 32; ++repeats) {
      if (p + 1 < to && text[p] == ' ' && alnum(p + 1)) {
        p += 2;
      } else if (p < to && alnum(p)) {
        ++p;
      } else {
        break;
      }
    }
    if (repeats >= 11) {
      *match = {s, p};
      return true;
    }
  }
  return false;
}

}  // namespace

bool FindIban(std::string_view text, std::size_t from, std::size_t to, TextRange* match) {
  to = std::min(to, text.size());
  auto next = [&](std::size_t s) {
    std::size_t start = NextIbanStart(text, s, to);
    return start == std::string_view::npos ? to : start;
  };
  return IbanFrom(text, to, next(from), next, match);
}
bool FindIbanIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                TextRange* match) {
  auto next = [&](std::size_t s) { return starts.Next(s, NumberStarts::kIban); };
  return IbanFrom(text, starts.to(), next(from), next, match);
}

}  // namespace sunshine::pii
