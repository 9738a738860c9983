// Rendering visit statistics (`sunshine visits stats`): text, CSV, JSON and one
// self-contained HTML file with inline SVG charts (no scripts, no network). The input is
// already-aggregated counts; nothing here ever sees an address.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace sunshine {

using VisitCounts = std::map<std::string, std::int64_t>;

struct VisitDayStats {
  std::string date;    // site-local YYYY-MM-DD
  bool final = false;  // aggregated (true) or still open (provisional counts)
  std::int64_t requests = 0;
  std::int64_t page_views = 0;
  std::int64_t unique_visitors = 0;
  std::int64_t bytes = 0;
  std::int64_t bot_requests = 0;
  // Per unique (human) visitor.
  VisitCounts browsers;          // "Chrome"
  VisitCounts browser_versions;  // "Chrome 32"
  VisitCounts operating_systems;
  VisitCounts device_classes;
  VisitCounts visitor_tlds;
  VisitCounts visitor_domains;
  // Per page view.
  VisitCounts pages;
  VisitCounts referring_sites;
  // Per request.
  VisitCounts status_classes;
  VisitCounts bots;
};

struct VisitReportMeta {
  std::string timezone;
  std::string generated_at;  // UTC ISO 8601
  std::string from;          // requested range, may be ""
  std::string to;
  std::int64_t top = 10;  // rows in "top" lists (text and HTML)
};

enum class VisitReportFormat { kText, kCsv, kJson, kHtml };
// "text" | "csv" | "json" | "html"; InvalidInput otherwise.
Result<VisitReportFormat> ParseVisitReportFormat(std::string_view name);

// Totals over days (sums; unique_visitors summed per day, so a person on two days counts
// twice: days cannot be linked, by design).
VisitDayStats SumVisitDays(const std::vector<VisitDayStats>& days);

void RenderVisitReport(const std::vector<VisitDayStats>& days, const VisitReportMeta& meta,
                       VisitReportFormat format, std::ostream& out);

}  // namespace sunshine
