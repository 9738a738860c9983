// The leak gate: before a disclosure package is published, the finished ZIP is reopened and
// every entry name, every entry's bytes, every decompressed PDF stream and the text pdftotext
// extracts from every PDF are searched for every redacted value and its normalised forms
// (other case, digits only, other separators). Any hit fails the export. Hits name the entry,
// the record and the category, never the value (feature-anchors 4.A: redaction that leaks).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"

namespace sunshine {

struct LeakProbe {
  std::int64_t record_id = 0;
  std::string category;  // what kind of value it is, for the message ("ssn", "card")
  std::string value;     // never printed
};

struct LeakHit {
  std::string entry;  // ZIP entry name
  std::string where;  // "file name", "content", "PDF stream 4", "pdftotext"
  std::int64_t record_id = 0;
  std::string category;
  std::string Describe() const;  // "data/x.pdf (pdftotext): redacted ssn value of record 12"
};

// How a value may appear. Pure; exposed for tests.
//  - `text_like`: the haystack is text, so separators between characters are ignored too
//    ("123 45 6789" for "123-45-6789"); binary haystacks get the case-insensitive and
//    digits-only forms.
bool ContainsRedactedValue(std::string_view haystack, std::string_view value, bool text_like);

// Scans the ZIP. `scratch_dir` receives temporary files for pdftotext (removed again).
// Internal if pdftotext cannot be run: the gate fails closed.
Result<std::vector<LeakHit>> ScanZipForLeaks(const Path& zip_file,
                                             const std::vector<LeakProbe>& probes,
                                             const Path& scratch_dir);

// The pieces, exposed for tests.
std::vector<std::string> InflatedPdfStreams(std::string_view pdf);
Result<std::string> PdfToText(std::string_view pdf, const Path& scratch_dir);

}  // namespace sunshine
