// PDF rendering of already-redacted text with cairo + pango (dependencies.md 7: real
// selectable text, subset fonts, byte-identical output once CREATE_DATE is fixed). Redaction
// markers in the text are drawn as black boxes carrying the marker's label in white: the box
// is drawn around the label, never over withheld text, because withheld text never reaches
// this renderer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/result.h"

namespace sunshine {

struct PdfSection {
  std::string heading;  // bold line above the text; empty for none
  std::string text;     // UTF-8 (invalid bytes and control characters are replaced)
  bool monospace = false;
};

struct PdfDocumentSpec {
  std::string title;    // /Title metadata; must not hold redacted values
  std::string created;  // CREATE_DATE metadata, "YYYY-MM-DDTHH:MM:SS" (reproducible output)
  std::vector<PdfSection> sections;
  std::vector<std::string> redaction_markers;    // exact marker strings to draw as black boxes
  std::optional<std::string> production_prefix;  // stamp "SOS-000001" on every page when set
  std::int64_t first_production = 1;
  std::string footer;  // left footer on every page ("Request 2026-0001, record 12")
};

struct RenderedPdf {
  std::string bytes;
  int pages = 0;
  // For each occurrence of a redaction marker: the marker and its page (0-based).
  std::vector<std::pair<std::string, int>> marker_pages;
};

// Internal on a cairo or pango failure.
Result<RenderedPdf> RenderPdf(const PdfDocumentSpec& spec);

// "SOS-000001": prefix, dash, six-digit zero-padded counter (e-discovery Bates convention).
std::string ProductionNumber(std::string_view prefix, std::int64_t number);

}  // namespace sunshine
