// PII detection over UTF-8 text: byte spans of personal data with a type, the rule that found
// it and a confidence.
//
// How it stays fast: one Hyperscan database (compiled once per process) holds the birth-date
// and passport words and is run once over the text without start-of-match tracking; given
// names are whole tokens looked up in the gazetteer in one pass over the word starts, which
// also finds the short trigger words (street types, units, honorifics, salutations,
// introductions) that were costly in Hyperscan; the line-final postal code, the house-number
// shape, the licence words, the number and IPv4 triggers (over the digit chains) and the e-mail
// and IPv6 triggers are found by hand in one more pass (number_shapes.h FindTriggerShapes), with
// the same hits Hyperscan reported. Each
// trigger marks a small window; only those windows are confirmed with the family's RE2 patterns
// (after a cheap test of which could match at all; the fixed SSN, card, digit-run, phone, IBAN,
// IPv4 and e-mail shapes are matched by hand, without RE2), then validated (Luhn, SSA rules,
// mod-97, checksums, libphonenumber) and scored with context words. No regex engine runs per
// pattern per byte of the input. Overlapping detections are merged (higher confidence wins, then
// the longer span, then the more specific type).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace sunshine {

enum class PiiType : std::uint8_t {
  kSsn,
  kItin,
  kCard,
  kRoutingNumber,
  kBankAccount,
  kIban,
  kPhone,
  kEmail,
  kIpAddress,
  kDateOfBirth,
  kStreetAddress,  // street lines, PO boxes, unit lines and city-state-ZIP lines
  kDriverLicense,
  kPassport,
  kPerson,
};
inline constexpr int kPiiTypeCount = 14;

// "ssn", "itin", "card", "routing-number", "bank-account", "iban", "phone", "email",
// "ip-address", "date-of-birth", "street-address", "driver-license", "passport", "person".
std::string_view PiiTypeName(PiiType type);
bool ParsePiiType(std::string_view name, PiiType* type);

struct PiiSpan {
  std::size_t start = 0;  // byte offsets, end exclusive
  std::size_t end = 0;
  PiiType type = PiiType::kPerson;
  std::string_view rule;  // static string naming the rule ("ssn-dashed", "given-surname")
  double confidence = 0;
};

// Per-document extras.
struct ScanHints {
  // Names the record itself knows (sender and recipient display names, form name fields):
  // found wherever they recur, as a whole or by their parts.
  std::vector<std::string> known_names;
};

class PiiScanner {
 public:
  // The process-wide scanner, compiled on first use (about a tenth of a second).
  // Internal if the embedded patterns fail to compile (a bug).
  static Result<const PiiScanner*> Default();

  ~PiiScanner();
  PiiScanner(const PiiScanner&) = delete;
  PiiScanner& operator=(const PiiScanner&) = delete;

  // Spans sorted by start, non-overlapping. Thread-safe (scratch space is per thread).
  std::vector<PiiSpan> Scan(std::string_view text, const ScanHints& hints = {}) const;

 private:
  struct Impl;
  explicit PiiScanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

namespace pii {

// For tests: the end offsets at which the scanner's word pass reports the trigger words of
// `family` in `text` ("unit" or "intro"; none for anything else). They must be where the
// Hyperscan patterns they replaced (quoted in pii_scanner.cc) reported matches.
std::vector<std::size_t> WordTriggerEndsForTest(std::string_view text, std::string_view family);

// For tests: the given-name and trigger-word hits of the word pass over `text`, printed
// ("names Ann@3 ...; triggers 5@9 ..."); with `reference`, of the plain version it must equal
// (two prefix tables, each looked up on its own, a call and a byte loop per word). With `sse2`,
// the pass runs its SSE2 blocks even where the CPU has AVX2 (the tests compare the two).
std::string WordPassForTest(std::string_view text, bool reference, bool sse2 = false);

// For tests: the surname rules' spans over `text` ("start-end rule" lines); with `reference`,
// every word taken by the byte loops that the block path must agree with.
std::string SurnamesForTest(std::string_view text, bool reference);

// For tests: where the surname rules look for capitalised words in `text` (ASCII capitals and
// UTF-8 lead bytes after no word byte, "@", "." or "/"): by blocks of 32 bytes, or with
// `reference`, by testing every byte (they must be the same); `sse2` takes the SSE2 blocks
// even where the CPU has AVX2.
std::vector<std::size_t> CapitalStartsForTest(std::string_view text, bool reference,
                                              bool sse2 = false);

// For tests: the scanner's trigger hits over `text` after coalescing, printed ("1@12 ..."); with
// `reference`, as they were when Hyperscan matched the number, IPv4, e-mail and IPv6 triggers
// too (they must be the same).
std::string TriggerHitsForTest(std::string_view text, bool reference);

// For tests: `spans` sorted by (start, end) the way the scan sorts them before merging (an
// LSD radix sort for large sets).
std::vector<PiiSpan> SortedSpansForTest(std::vector<PiiSpan> spans);

}  // namespace pii

}  // namespace sunshine
