// Where the scanner's street patterns can match inside an address window. The windows are
// ~300 bytes of prose around a trigger, and RE2 read all of them for each pattern, again after
// every match; these functions narrow each search to the bytes that can hold the next match.
// RE2 still does the matching: each window function only proves where the next match cannot
// be. tests/redact/address_shapes_test.cc runs the narrowed and the plain search loops over
// random text and compares the matches.
#pragma once

#include <re2/re2.h>

#include <cstddef>
#include <string_view>

#include "engine/redact/number_shapes.h"

namespace sunshine::pii {

// A US street line: house number, optional direction, up to four words, a street type, then an
// optional unit and an optional "City, ST 12345" tail.
inline constexpr std::string_view kUsStreetPattern =
    R"((?i)\b\d{1,6}[A-Za-z]?(?:-\d{1,5})?,? (?:(?:[NSEW]\.?|north|south|east|west) )?(?:[A-Za-z\x80-\xff\d][A-Za-z\x80-\xff\d'.\-]* ){0,4}(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|place|pl|way|parkway|pkwy|highway|hwy|circle|cir|terrace|ter|trail|trl|square|sq|plaza|alley|crescent|row)\b\.?(?:,? (?:apt|apartment|suite|ste|unit|room|rm|#)\.? ?#?[A-Za-z0-9\-]+)?(?:,? [A-Za-z\x80-\xff][A-Za-z\x80-\xff .'\-]{1,30},? (?:[A-Z]{2}|[A-Z][a-z]+)\.? \d{5}(?:-\d{4})?)?)";

// "Elm Street": a capitalised word and a street type (case-sensitive).
inline constexpr std::string_view kNamedStreetPattern =
    R"(\b[A-Z\xc0-\xdf][A-Za-z\x80-\xff]+ (?:Street|Avenue|Road|Lane|Boulevard|Drive)\b)";

// A P.O. box, and the lines of a postal address block: a unit line, a postal-code line, a
// street line with the number first or last (kUsStreetPattern is one more).
inline constexpr std::string_view kPoBoxPattern = R"((?i)\bp\.? ?o\.? ?box \d{1,6}\b)";
inline constexpr std::string_view kUnitLinePattern =
    R"((?i)^[\s>?]*(?:apt|apartment|suite|ste|unit|room|floor)\.? ?#?[A-Za-z0-9\-]+\s*$)";
inline constexpr std::string_view kPostalLinePattern =
    R"(^[\s>?]*(?:[A-Za-z\x80-\xff][A-Za-z\x80-\xff .'\-()]*?,?\s*(?:[A-Z]{2}\s+)?)?\d{4,5}(?:-\d{4})?\s*$)";
inline constexpr std::string_view kNumberWordsLinePattern =
    R"(^[\s>?]*(?:\d{1,5}[A-Za-z]?\s+)+[A-Za-z\x80-\xff][A-Za-z\x80-\xff'.\-]*(?:\s+[A-Za-z\x80-\xff\d][A-Za-z\x80-\xff\d'.\-]*){0,5}\s*$)";
inline constexpr std::string_view kWordsNumberLinePattern =
    R"(^[\s>?]*(?:\d{1,5}\s+)?[A-Za-z\x80-\xff][A-Za-z\x80-\xff'.\-]*(?:\s+[A-Za-z\x80-\xff][A-Za-z\x80-\xff'.\-]*){0,4}\s+\d{1,5}[A-Za-z]?\.?\s*$)";

// Can `line` match one of the strong line patterns (kUnitLinePattern, kPostalLinePattern,
// kNumberWordsLinePattern, kWordsNumberLinePattern, kUsStreetPattern, kPoBoxPattern), searched
// unanchored in the line alone? After [\s>?]*, the unit line begins with a unit word and
// number_words_line with \d{1,5}[A-Za-z]?\s; the postal-code line ends in a run of four or
// five digits and words_number_line in a number after white space; a street line has a
// NextUsStreetWindow, a P.O. box "box" and a space before a digit.
bool MayBeStrongAddressLine(std::string_view line);

// Where the leftmost kUsStreetPattern match in text[from, to) (text around it as context) can
// start: false if nowhere. Otherwise no match in text[from, to) starts before window->start, and
// a match starting there ends by window->end.
//
// Why: a match begins with a digit at \b, holds no byte outside [A-Za-z0-9\x80-\xff'.,\- ]
// (so no newline), and its street type, a whole ASCII word (\b after it), comes right after the
// first to sixth space of the match. So the window starts at the first digit from which such a
// street type is in reach, and ends at the end of its line.
bool NextUsStreetWindow(std::string_view text, std::size_t from, std::size_t to, TextRange* window);

// The same for kNamedStreetPattern, whose matches are a capital at \b, more letters (ASCII or
// bytes >= 0x80), one space and a street type followed by \b: the window runs from the first
// such capital before the first such street type to the end of the type.
bool NextNamedStreetWindow(std::string_view text, std::size_t from, std::size_t to,
                           TextRange* window);

// Calls found(start, end) for each successive match of `re` in text[region) (text around it
// as context), as a loop of unanchored RE2::Match calls from each match's end would. But RE2
// only tries the starts `next` (one of the functions above, for re's pattern) leaves, anchored
// there, and reads on only while a match can go on: no reverse pass to find where a match
// began, no reading to the end of the region when there is none.
template <typename Next, typename F>
void ForEachWindowedMatch(const RE2& re, std::string_view text, TextRange region, Next next,
                          F found) {
  std::size_t pos = region.start;
  TextRange window{};
  re2::StringPiece match;
  re2::StringPiece input(text.data(), text.size());
  while (pos < region.end && next(text, pos, region.end, &window)) {
    // The leftmost-first match starting at window.start, if any, is the leftmost-first match
    // from pos: none starts before it.
    if (!re.Match(input, window.start, window.end, RE2::ANCHOR_START, &match, 1)) {
      pos = window.start + 1;
      continue;
    }
    std::size_t start = window.start;
    std::size_t end = start + match.size();
    found(start, end);
    pos = end > start ? end : start + 1;
  }
}

}  // namespace sunshine::pii
