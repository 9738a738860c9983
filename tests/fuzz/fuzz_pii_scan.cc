// libFuzzer target: the PII scanner. Its matchers are hand-written over raw bytes (SIMD loads
// of 16 bytes, backtracking shape matchers), so any input must give spans inside the text,
// sorted by start and non-overlapping (the contract in pii_scanner.h), and the same spans
// when scanned again after another text (the per-thread scratch space is reused).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/redact/pii_scanner.h"

namespace {

bool SameSpans(const std::vector<sunshine::PiiSpan>& a, const std::vector<sunshine::PiiSpan>& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].start != b[i].start || a[i].end != b[i].end || a[i].type != b[i].type ||
        a[i].rule != b[i].rule || a[i].confidence != b[i].confidence) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sunshine::PiiScanner* scanner = [] {
    auto made = sunshine::PiiScanner::Default();
    if (!made.ok()) {
      std::abort();
    }
    return *made;
  }();
  // The input's own copy, exactly its size: a read past the end is an ASan report.
  std::string text(reinterpret_cast<const char*>(data), size);
  sunshine::ScanHints hints;
  std::size_t line_end = text.find('\n');
  if (line_end != std::string::npos && line_end > 0 && line_end < 40) {
    hints.known_names.push_back(text.substr(0, line_end));  // a "sender" the record knows
  }
  std::vector<sunshine::PiiSpan> first = scanner->Scan(text, hints);
  std::size_t previous_end = 0;
  for (const sunshine::PiiSpan& span : first) {
    if (span.start >= span.end || span.end > text.size() || span.start < previous_end) {
      std::abort();
    }
    previous_end = span.end;
  }
  (void)scanner->Scan("Call John Smith at (314) 555-0123 or john@example.com, SSN 536-32-3065.");
  if (!SameSpans(first, scanner->Scan(text, hints))) {
    std::abort();
  }
  return 0;
}
