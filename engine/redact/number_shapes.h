// Hand-written matchers for the fixed number shapes the PII scanner confirms in its number
// windows: SSN, card and digit-run shapes, NANP and international phone numbers. Windows are
// small and many, and for these shapes the fixed cost of an RE2 call was most of the work
// (bench/redact/run-pii-bench.sh). Each matcher returns exactly the leftmost-first match RE2
// finds for its specification pattern below in text[from, to), with the bytes around as
// context for \b, as RE2::Match(text, from, to, UNANCHORED) does with Latin-1 encoding;
// tests/redact/number_shapes_test.cc compares the two on random inputs.
#pragma once

#include <cstddef>
#include <string_view>

namespace sunshine::pii {

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

// RE2's \b knows only ASCII word characters (a byte >= 0x80 is not one).
inline bool IsRe2WordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
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

}  // namespace sunshine::pii
