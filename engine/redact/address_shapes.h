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

// More of the patterns the scanner tries in each address window (kUsStreetPattern,
// kNamedStreetPattern and kPoBoxPattern are above).
//
// Military mail: "PSC 7004, Box 8380", "Unit 1783 Box 3210", "USNS Comfort".
inline constexpr std::string_view kMilitaryPattern =
    R"((?i)\b(?:psc|unit|cmr) \d{3,5},? box \d{3,5}\b|\bUSN?S [A-Z\xc0-\xdf][A-Za-z\x80-\xff]+\b)";
// House number, capitalised words, number: "92 Eusebio Dávila 57", "39 Laugarvegur 77".
inline constexpr std::string_view kNumberWordsNumberPattern =
    R"(\b\d{1,5} (?:[A-Z\xc0-\xdf][A-Za-z\x80-\xff'\-]*\.? ){1,4}\d{1,5}[A-Za-z]?\b(?:,? (?:Apt|Suite|Unit)\.? \d{1,5})?)";
inline constexpr std::string_view kUnitInlinePattern =
    R"(\b(?:Apt|Apartment|Suite|Ste|Unit)\.? ?#?\d{1,5}[A-Za-z]?\b)";
// The tail every city_state_zip match ("Springfield, IL 62704") contains.
inline constexpr std::string_view kCityStateZipTailPattern =
    R"(,\s*(?:[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\.?\s+\d{5})";
// European street words: the gate for the scanner's eu_street pattern.
inline constexpr std::string_view kStreetWordPattern =
    R"((?i)(?:street|avenue|road|lane|drive|rue|via|calle|avenida|str\.|strasse|straße|weg|gasse|vej|vegen|veien|gata|gatan|laan|utca|út|ulica|ul\.|plads|plein|platz|torget|vägen|väg|bakken|baan|allee|kuja|katu|tie|corner of))";
// Street written with the house number after the name ("Vesturgata 66", "Rue X 12"); the
// scanner keeps a match only if it holds a kStreetWordPattern word.
inline constexpr std::string_view kEuStreetPattern =
    R"((?i)\b(?:\d{1,5} )?(?:(?:rue|via|calle|avenida|avenue|av\.|ul\.|ulica|piazza|plaza|place|the corner of) )?[A-Za-z\x80-\xff][A-Za-z\x80-\xff'.\-]*(?: [A-Za-z\x80-\xff][A-Za-z\x80-\xff'.\-]*){0,3} \d{1,5}[A-Za-z]?\b)";
// A short line of a postal address block that is neither street, unit nor postal code.
inline constexpr std::string_view kShortLinePattern =
    R"(^[\s>?]*[A-Za-z\x80-\xff][A-Za-z\x80-\xff .'\-,]{0,40}\s*$)";

// Which of the small address patterns can match somewhere in `piece` (searched unanchored in
// `piece` alone, as an RE2::Set over the window would): one cheap hand check per pattern in
// place of a set DFA over every window (the set cost 2.4% of the scan's instructions). Each
// check is a necessary condition read off its pattern (tests/redact/address_shapes_test.cc
// compares them with RE2 on random text); RE2 still finds the matches where one passes.
//
// kPoBoxPattern: "box", a space and a digit (any case).
bool MayHoldPoBox(std::string_view piece);
// kMilitaryPattern: that, or MayHoldShipName: "us" at \b, "s" or "ns", a space and a letter or
// byte >= 0x80 (any case).
bool MayHoldShipName(std::string_view piece);
inline bool MayHoldMilitary(std::string_view piece) {
  return MayHoldPoBox(piece) || MayHoldShipName(piece);
}
// kNumberWordsNumberPattern, exactly (all its parts are taken whole or not at all).
bool MayHoldNumberWordsNumber(std::string_view piece);
// kUnitInlinePattern: one of its words, then ".", " ", "#" (each optional, in this order) and
// a digit.
bool MayHoldUnitInline(std::string_view piece);
// kCityStateZipTailPattern: a comma, white space, a capital, bytes of [A-Za-z.] and white space,
// then white space and five digits.
bool MayHoldCityStateZipTail(std::string_view piece);
// kStreetWordPattern, exactly: one of its words (any case; Latin-1 folds \xc3 and \xe3).
bool HoldsStreetWord(std::string_view piece);
// Can a kEuStreetPattern match that holds a kStreetWordPattern word lie in `piece`? Such a
// match ends in a space and a digit, and its street word (no digit in it) lies in its prefix
// word or its words: from there to that space no byte is outside [A-Za-z\x80-\xff'.\- ], and
// at most five are spaces ("the corner of A B C D 5"). So a street word must lie in the run of
// those bytes before some " \d", no further back than its sixth space. The plain check for a
// street word anywhere passed two in three windows; with this one, the RE2 searches of the
// address scan fell from 2.1% to 0.5% of the scan's instructions (pii-20m, callgrind).
bool MayHoldEuStreetWithWord(std::string_view piece);
// kShortLinePattern, exactly.
bool IsShortAddressLine(std::string_view line);

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

// The kUsStreetPattern match starting at `start` (RE2::Match anchored there, leftmost-first),
// within text[start, end) and with the text around as context for \b: false if none, else
// its end in *match_end. Every part of the pattern but the city's counted run is taken whole
// or not at all (no shorter choice lets the rest match), so the match is found without
// backtracking but for that run and the number of words before the street type (the most
// that leave a street type next wins). Matched by hand because RE2 cost 2.1% of the scan's
// instructions here (DFA set-up per window, and reading on while the greedy word loop could
// go on); tests/redact/address_shapes_test.cc compares it with RE2 on random text.
bool MatchUsStreetAt(std::string_view text, std::size_t start, std::size_t end,
                     std::size_t* match_end);

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

// The leftmost kUsStreetPattern match in text[from, to) (text around it as context), as
// RE2::Match unanchored would find it: false if none. Matches begin with a digit at \b, so
// this is MatchUsStreetAt from each such digit in turn (cheaper than a window search first:
// both read the house number and the words after it, and half the windows hold a match).
bool NextUsStreetMatch(std::string_view text, std::size_t from, std::size_t to, TextRange* match);

// ForEachWindowedMatch for kUsStreetPattern, by NextUsStreetMatch: the same matches.
template <typename F>
void ForEachUsStreetMatch(std::string_view text, TextRange region, F found) {
  std::size_t pos = region.start;
  TextRange match{};
  while (pos < region.end && NextUsStreetMatch(text, pos, region.end, &match)) {
    found(match.start, match.end);
    pos = match.end;  // a match holds a digit at least
  }
}

}  // namespace sunshine::pii
