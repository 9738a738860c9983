// Hand-written matchers for the fixed shapes the PII scanner confirms in its windows: SSN,
// card and digit-run shapes, NANP and international phone numbers, IPv4 and e-mail
// addresses. Windows are small and many, and for these shapes the fixed cost of an RE2 call
// was most of the work (bench/redact/run-pii-bench.sh). Each matcher returns exactly the
// leftmost-first match RE2 finds for its specification pattern below in text[from, to), with
// the bytes around as context for \b, as RE2::Match(text, from, to, UNANCHORED) does with
// Latin-1 encoding; tests/redact/number_shapes_test.cc compares the two on random inputs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/redact/byte_masks.h"

namespace sunshine::pii {

// The set bits of x, inline. Without -mpopcnt (the x86-64 baseline Debian builds for),
// __builtin_popcountll is a call into libgcc, where 2% of a scan's samples were.
inline std::size_t PopCount64(std::uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<std::size_t>((x * 0x0101010101010101ull) >> 56);
}

struct TextRange {
  std::size_t start;
  std::size_t end;
};

// The specifications.
inline constexpr std::string_view kSsnShapePattern =
    R"(\b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b|\b\d{3}\.\d{2}\.\d{4}\b|\b\d{9}\b)";
inline constexpr std::string_view kCardShapePattern =
    R"(\b(?:\d[ \-]?){12,18}\d\b)";                                                  // 13-19 digits
inline constexpr std::string_view kDigitRunPattern = R"(\b\d(?:[ \-]?\d){5,16}\b)";  // 6-17 digits
inline constexpr std::string_view kNanpPhonePattern =
    R"((?:\+?1[ .\-]?)?(?:\(\d{3}\)[ ]?|\b\d{3}[ .\-]?)\d{3}[ .\-]?\d{4}(?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?\b)";
inline constexpr std::string_view kIntlPhonePattern =
    R"((?:\+|\b00|\B\(|\b)\(?\d{1,5}\)?(?:[ .\-]{1,2}\(?\d{1,8}\)?){1,6}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?\b)";

// RE2's \b knows only ASCII word characters (a byte >= 0x80 is not one). A table: the four
// range tests were 1.4% of a scan's instructions (every \b of the hand matchers asks).
inline constexpr std::array<bool, 256> kRe2WordBytes = [] {
  std::array<bool, 256> word{};
  for (int c = 0; c < 256; ++c) {
    word[static_cast<std::size_t>(c)] =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  return word;
}();
inline bool IsRe2WordChar(char c) { return kRe2WordBytes[static_cast<unsigned char>(c)]; }
inline bool Re2BoundaryBefore(std::string_view text, std::size_t pos) {
  return pos == 0 || !IsRe2WordChar(text[pos - 1]);
}
inline bool Re2BoundaryAfter(std::string_view text, std::size_t end) {
  return end >= text.size() || !IsRe2WordChar(text[end]);
}

// kSsnShapePattern.
bool FindSsnShape(std::string_view text, std::size_t from, std::size_t to, TextRange* match);
// min_digits to max_digits digits, each after at most one space or dash: kCardShapePattern
// with 13 and 19, kDigitRunPattern with 6 and 17.
bool FindDigitGroups(std::string_view text, std::size_t from, std::size_t to,
                     std::size_t min_digits, std::size_t max_digits, TextRange* match);
// kNanpPhonePattern.
bool FindNanpPhone(std::string_view text, std::size_t from, std::size_t to, TextRange* match);
// kIntlPhonePattern.
bool FindIntlPhone(std::string_view text, std::size_t from, std::size_t to, TextRange* match);

// The places where the matchers above may start in one window text[from, to), found once
// for all of them. The scanner runs five matchers over every number window, and each looked
// for its starts 16 bytes at a time on its own, again after every candidate (6% of a scan).
// The matchers below that take a NumberStarts give the same answers as those above with the
// window's `to` (tests/redact/number_shapes_test.cc).
class NumberStarts {
 public:
  void Reset(std::string_view text, std::size_t from, std::size_t to);

  std::size_t to() const { return to_; }
  // How many ASCII digits the window holds (a shape with more digits cannot be in it).
  std::size_t digits() const { return digits_; }
  // Does the window hold an IBAN's start (kIban)? Most do not.
  bool any_iban() const { return any_iban_; }
  // May the window hold a chain (see ChainDigits) of kLongChain digits or more, as a card
  // number does? Phone numbers, SSNs, dates and prices do not.
  static constexpr std::size_t kLongChain = 13;
  bool may_hold_long_chain() const { return long_chain_; }

  enum Kind : unsigned {
    kBoundedDigit = 1,  // a digit at \b (after a byte that is not an ASCII word byte)
    kIntl = 3,          // or "+" or "("
    kNanp = 7,          // or a "1" that no ASCII word byte follows
    kIban = 8,          // two ASCII letters and two ASCII digits (all before `to`)
  };
  // The first start of `kind` at or after s (from <= s), or to().
  std::size_t Next(std::size_t s, Kind kind) const {
    if (s >= to_) {
      return to_;
    }
    std::size_t word = (s - from_) / 64;
    std::uint64_t mask = Mask(word, kind) & (~std::uint64_t{0} << ((s - from_) % 64));
    while (mask == 0) {
      if (++word >= masks_.size()) {
        return to_;
      }
      mask = Mask(word, kind);
    }
    return from_ + word * 64 + static_cast<std::size_t>(__builtin_ctzll(mask));
  }

  // How many digits text[s, s + n) holds inside the window (from <= s < to, n <= 64).
  std::size_t DigitsAhead(std::size_t s, std::size_t n) const {
    std::size_t first = s - from_;
    std::size_t word = first / 64;
    std::size_t shift = first % 64;
    std::uint64_t digits = masks_[word].digits >> shift;
    if (shift != 0 && word + 1 < masks_.size()) {
      digits |= masks_[word + 1].digits << (64 - shift);
    }
    if (n < 64) {
      digits &= (std::uint64_t{1} << n) - 1;
    }
    return PopCount64(digits);
  }

  // The digits in the chain of digits, each after at most one space or dash, that begins with
  // the digit at s (from <= s < to): the most digits a digit-group shape starting at s can
  // have. Most starts in prose begin short chains, and this turns them away without a walk.
  // *chain_end: where the next chain begins (or to): no start before it has more digits.
  std::size_t ChainDigits(std::size_t s, std::size_t* chain_end) const {
    std::size_t first = s - from_;
    // The chain ends before the next digit that does not continue one (or at `to`).
    std::size_t word = first / 64;
    std::uint64_t heads = masks_[word].heads & (~std::uint64_t{1} << (first % 64));
    std::size_t count = 0;
    std::uint64_t digits = masks_[word].digits & (~std::uint64_t{0} << (first % 64));
    while (heads == 0) {
      count += PopCount64(digits);
      if (++word >= masks_.size()) {
        *chain_end = to_;
        return count;
      }
      heads = masks_[word].heads;
      digits = masks_[word].digits;
    }
    *chain_end = from_ + word * 64 + static_cast<std::size_t>(__builtin_ctzll(heads));
    std::uint64_t before_head = (heads & -heads) - 1;
    return count + PopCount64(digits & before_head);
  }

 private:
  // Bit k of each: the byte at from + 64 w + k, for the w-th; bits at or after `to` are clear.
  struct Masks {
    std::uint64_t bounded;  // bounded digits
    std::uint64_t signs;    // "+" and "("
    std::uint64_t ones;     // "1" before a byte that is not an ASCII word byte
    std::uint64_t digits;
    std::uint64_t heads;  // digits that do not continue a chain (after a digit, or a digit and
                          // one space or dash)
    std::uint64_t iban;   // kIban starts
  };

  std::uint64_t Mask(std::size_t word, Kind kind) const {
    const Masks& masks = masks_[word];
    if (kind == kIban) {
      return masks.iban;
    }
    std::uint64_t mask = masks.bounded;
    if ((kind & 2) != 0) {
      mask |= masks.signs;
    }
    if ((kind & 4) != 0) {
      mask |= masks.ones;
    }
    return mask;
  }

  std::size_t from_ = 0;
  std::size_t to_ = 0;
  std::size_t digits_ = 0;
  bool any_iban_ = false;
  bool long_chain_ = false;
  std::vector<Masks> masks_;
};

// As above in text[from, starts.to()); starts was Reset for this text and a window that
// holds `from`.
bool FindSsnShapeIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                    TextRange* match);
bool FindDigitGroupsIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                       std::size_t min_digits, std::size_t max_digits, TextRange* match);
bool FindNanpPhoneIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                     TextRange* match);
bool FindIntlPhoneIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                     TextRange* match);
bool FindIbanIn(std::string_view text, const NumberStarts& starts, std::size_t from,
                TextRange* match);

// IPv4 shapes (validated by the scanner afterwards).
inline constexpr std::string_view kIpv4Pattern = R"(\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)";
bool FindIpv4(std::string_view text, std::size_t from, std::size_t to, TextRange* match);

// E-mail addresses (the scanner ran this RE2 pattern in every window around an "@"; they
// are many in mail).
inline constexpr std::string_view kEmailPattern =
    R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}\b)";
bool FindEmail(std::string_view text, std::size_t from, std::size_t to, TextRange* match);

// IBANs, the scanner's patterns.iban. RE2 (a set over each window with an IBAN start, then the
// pattern) took 2% of a scan; the pattern is greedy and has no tail, so its match from a start
// is one forward walk.
inline constexpr std::string_view kIbanPattern = R"(\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,32})";
bool FindIban(std::string_view text, std::size_t from, std::size_t to, TextRange* match);

// The scanner's trigger patterns that are matched by hand over a whole text, in one pass
// (FindTriggerShapes): each reports the end offsets Hyperscan reported for its pattern (it
// reports ends only, each once), in Hyperscan's order. In the scanner's Hyperscan database they
// took most of its time. Hyperscan's classes: \s is [\t\n\v\f\r ], \b and \d are ASCII; `$`
// also matches before a final line break, and Hyperscan reports that match after all others.
// tests/redact/trigger_shapes_test.cc compares each with Hyperscan.
//
// The line-final postal code, the "number Words number" house shape and the driver-licence
// words (without these three the database scanned in 47% of the time).
inline constexpr std::string_view kZipTriggerPattern =
    R"([A-Za-z\x80-\xff][A-Za-z\x80-\xff.,]*[ \t]+\d{4,5}(?:-\d{4})?[ \t]*(?:\r?\n|$))";
inline constexpr std::string_view kHouseTriggerPattern =
    R"(\b\d{1,5} [A-Z\x80-\xff][^\s\d]* (?:[A-Z\x80-\xff][^\s\d]* ){0,3}\d{1,5}\b)";
// The driver-licence trigger (caseless; its words may be parts of longer words).
inline constexpr std::string_view kDlTriggerPattern = R"((?i)driver|licen[cs]e|\bdln?\b)";
// The number and IPv4 triggers, matched along the digit chains (digits each after at most two
// of " -.()/"; every match of either lies in one). Without them the database scanned in 30% of
// the time, and the number trigger ends at every digit from the sixth of a chain on, a
// callback each (a digit run every ~60 bytes of mail).
inline constexpr std::string_view kNumberTriggerPattern = R"(\d(?:[ \-.()/]{0,2}\d){5})";
inline constexpr std::string_view kIpv4TriggerPattern = R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})";
// The e-mail and IPv6 triggers: with them the database scanned the bench corpus in about four
// times the time it takes for its word triggers alone.
inline constexpr std::string_view kEmailTriggerPattern = R"(@[A-Za-z0-9\-]+\.[A-Za-z])";
inline constexpr std::string_view kIpv6TriggerPattern =
    R"([0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4})";

// Ends `first` to `last` of the number or IPv4 trigger that Hyperscan, scanning for both,
// reports in a row (each less than 16 after the one before), all in one digit chain
// (text[first - 1, last) holds only digits and separators). In order, the runs stand for all the
// ends Hyperscan reports for the two; at an offset where both end, it reports the number
// trigger's first. (The scanner keeps one hit per run: it coalesces a trigger's ends closer than
// 16.)
struct DigitTriggerRun {
  bool ipv4;  // else the number trigger
  std::size_t first;
  std::size_t last;
};
// An end of the e-mail or the IPv6 trigger. The two never end at the same offset.
struct EmailIpv6End {
  bool ipv6;  // else the e-mail trigger
  std::size_t end;
};
struct TriggerShapes {
  // The number and IPv4 triggers' runs of ends, and the house trigger's ends: a house number's
  // first digit run ends a digit chain, so the same walk finds them.
  std::vector<DigitTriggerRun> digit_runs;
  std::vector<std::size_t> house_ends;
  std::vector<std::size_t> zip_ends;
  // How many of zip_ends are in increasing order (all, or all but the last: the match before
  // a final line break).
  std::size_t zip_in_order = 0;
  std::vector<std::size_t> dl_ends;
  std::vector<EmailIpv6End> email_ipv6;  // both in one list, by end
};
// The triggers' ends in `text`, into `shapes` (its vectors empty before). Its block loop runs
// on AVX2 where the CPU has it, else on SSE2; tests name the `path` to compare the two (kAvx2
// only where Avx2Supported(), byte_masks.h).
void FindTriggerShapes(std::string_view text, TriggerShapes& shapes);
void FindTriggerShapes(std::string_view text, TriggerShapes& shapes, VectorPath path);

}  // namespace sunshine::pii
