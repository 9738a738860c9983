#include "exporters/visits/visit_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "engine/core/json.h"

namespace sunshine {

namespace {

void AddAll(VisitCounts& into, const VisitCounts& from) {
  for (const auto& [name, count] : from) {
    into[name] += count;
  }
}

// Largest first, then by name, at most `limit` (0 = all).
std::vector<std::pair<std::string, std::int64_t>> Top(const VisitCounts& counts,
                                                      std::int64_t limit) {
  std::vector<std::pair<std::string, std::int64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (limit > 0 && static_cast<std::int64_t>(out.size()) > limit) {
    out.resize(static_cast<std::size_t>(limit));
  }
  return out;
}

JsonObject CountsJson(const VisitCounts& counts) {
  JsonObject out = NewJsonObject();
  for (const auto& [name, count] : Top(counts, 0)) {
    out->set(name, count);
  }
  return out;
}

struct Dimension {
  const char* json_name;
  const char* csv_name;
  VisitCounts VisitDayStats::*member;
};
constexpr Dimension kDimensions[] = {
    {"browsers", "browser", &VisitDayStats::browsers},
    {"browser_versions", "browser_version", &VisitDayStats::browser_versions},
    {"operating_systems", "os", &VisitDayStats::operating_systems},
    {"device_classes", "device_class", &VisitDayStats::device_classes},
    {"top_pages", "page", &VisitDayStats::pages},
    {"referring_sites", "referrer_site", &VisitDayStats::referring_sites},
    {"status_classes", "status_class", &VisitDayStats::status_classes},
    {"bots", "bot", &VisitDayStats::bots},
    {"visitor_tlds", "visitor_tld", &VisitDayStats::visitor_tlds},
    {"visitor_domains", "visitor_domain", &VisitDayStats::visitor_domains},
};

void RenderJson(const std::vector<VisitDayStats>& days, std::ostream& out) {
  JsonArray array = NewJsonArray();
  for (const VisitDayStats& day : days) {
    JsonObject object = NewJsonObject();
    object->set("date", day.date);
    object->set("final", day.final);
    object->set("requests", day.requests);
    object->set("page_views", day.page_views);
    object->set("unique_visitors", day.unique_visitors);
    object->set("human_requests", day.requests - day.bot_requests);
    object->set("bot_requests", day.bot_requests);
    object->set("bytes", day.bytes);
    for (const Dimension& dimension : kDimensions) {
      object->set(dimension.json_name, CountsJson(day.*dimension.member));
    }
    array->add(object);
  }
  out << ToJson(array, 2) << '\n';
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') {
      out += "\"\"";
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

void RenderCsv(const std::vector<VisitDayStats>& days, std::ostream& out) {
  out << "date,dimension,name,count\n";
  for (const VisitDayStats& day : days) {
    auto total = [&](const char* name, std::int64_t value) {
      out << day.date << ",total," << name << ',' << value << '\n';
    };
    total("final", day.final ? 1 : 0);
    total("requests", day.requests);
    total("page_views", day.page_views);
    total("unique_visitors", day.unique_visitors);
    total("human_requests", day.requests - day.bot_requests);
    total("bot_requests", day.bot_requests);
    total("bytes", day.bytes);
    for (const Dimension& dimension : kDimensions) {
      for (const auto& [name, count] : Top(day.*dimension.member, 0)) {
        out << day.date << ',' << dimension.csv_name << ',' << CsvField(name) << ',' << count
            << '\n';
      }
    }
  }
}

std::string Percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) {
    return "0%";
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f%%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buffer;
}

std::int64_t Sum(const VisitCounts& counts) {
  std::int64_t total = 0;
  for (const auto& [name, count] : counts) {
    total += count;
  }
  return total;
}

void RenderText(const std::vector<VisitDayStats>& days, const VisitReportMeta& meta,
                std::ostream& out) {
  out << "Visit statistics (" << (meta.timezone.empty() ? "site time" : meta.timezone)
      << "), generated " << meta.generated_at << "\n\n";
  if (days.empty()) {
    out << "No visit statistics in this range.\n";
    return;
  }
  char line[160];
  std::snprintf(line, sizeof(line), "%-12s %10s %10s %10s %10s %14s\n", "date", "requests",
                "page views", "visitors", "bots", "bytes");
  out << line;
  for (const VisitDayStats& day : days) {
    std::snprintf(
        line, sizeof(line), "%-12s %10lld %10lld %10lld %10lld %14lld%s\n", day.date.c_str(),
        static_cast<long long>(day.requests), static_cast<long long>(day.page_views),
        static_cast<long long>(day.unique_visitors), static_cast<long long>(day.bot_requests),
        static_cast<long long>(day.bytes), day.final ? "" : "  (open)");
    out << line;
  }
  VisitDayStats total = SumVisitDays(days);
  std::snprintf(line, sizeof(line), "%-12s %10lld %10lld %10lld %10lld %14lld\n", "total",
                static_cast<long long>(total.requests), static_cast<long long>(total.page_views),
                static_cast<long long>(total.unique_visitors),
                static_cast<long long>(total.bot_requests), static_cast<long long>(total.bytes));
  out << line;
  auto section = [&](const char* title, const VisitCounts& counts) {
    if (counts.empty()) {
      return;
    }
    out << '\n' << title << ":\n";
    std::int64_t whole = Sum(counts);
    for (const auto& [name, count] : Top(counts, meta.top)) {
      out << "  " << name << "  " << count << " (" << Percent(count, whole) << ")\n";
    }
  };
  section("Browsers (visitors)", total.browsers);
  section("Operating systems (visitors)", total.operating_systems);
  section("Devices (visitors)", total.device_classes);
  section("Top pages (page views)", total.pages);
  section("Top referring sites (page views)", total.referring_sites);
  section("Status classes (requests)", total.status_classes);
  section("Bots (requests)", total.bots);
  section("Visitor top-level domains (visitors)", total.visitor_tlds);
  section("Visitor organisations (visitors)", total.visitor_domains);
}

std::string Html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

constexpr const char* kPalette[] = {"#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280",
                                    "#2c7a7b", "#975a16", "#4a5568", "#9b2c2c", "#276749"};

// Vertical bars, one per day, for a daily series.
void DailyChart(const std::vector<VisitDayStats>& days, std::ostream& out) {
  std::int64_t max = 1;
  for (const VisitDayStats& day : days) {
    max = std::max({max, day.unique_visitors, day.page_views});
  }
  const int width = std::max(320, static_cast<int>(days.size()) * 48 + 60);
  const int height = 220;
  const int plot = 160;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" role=\"img\" aria-label=\"Daily visitors and page views\">\n";
  out << "<line x1=\"40\" y1=\"" << 20 + plot << "\" x2=\"" << width - 10 << "\" y2=\"" << 20 + plot
      << "\" stroke=\"#888\"/>\n";
  out << "<text x=\"4\" y=\"24\" font-size=\"10\">" << max << "</text>\n";
  int x = 50;
  for (const VisitDayStats& day : days) {
    int visitors = static_cast<int>(plot * day.unique_visitors / max);
    int views = static_cast<int>(plot * day.page_views / max);
    out << "<rect x=\"" << x << "\" y=\"" << 20 + plot - views << "\" width=\"18\" height=\""
        << views << "\" fill=\"#a3bffa\"><title>" << day.date << ": " << day.page_views
        << " page views</title></rect>\n";
    out << "<rect x=\"" << x + 18 << "\" y=\"" << 20 + plot - visitors
        << "\" width=\"18\" height=\"" << visitors << "\" fill=\"#2b6cb0\"><title>" << day.date
        << ": " << day.unique_visitors << " visitors</title></rect>\n";
    out << "<text x=\"" << x << "\" y=\"" << 20 + plot + 14 << "\" font-size=\"9\">"
        << day.date.substr(5) << "</text>\n";
    x += 48;
  }
  out << "<rect x=\"50\" y=\"" << height - 16 << "\" width=\"10\" height=\"10\" "
      << "fill=\"#2b6cb0\"/><text x=\"64\" y=\"" << height - 7
      << "\" font-size=\"10\">unique visitors</text>\n";
  out << "<rect x=\"170\" y=\"" << height - 16 << "\" width=\"10\" height=\"10\" "
      << "fill=\"#a3bffa\"/><text x=\"184\" y=\"" << height - 7
      << "\" font-size=\"10\">page views</text>\n";
  out << "</svg>\n";
}

// Horizontal bars with counts and shares.
void ShareChart(const char* label, const VisitCounts& counts, std::int64_t top, std::ostream& out) {
  auto rows = Top(counts, top);
  std::int64_t whole = Sum(counts);
  if (rows.empty()) {
    out << "<p>No data.</p>\n";
    return;
  }
  std::int64_t max = std::max<std::int64_t>(1, rows.front().second);
  const int height = static_cast<int>(rows.size()) * 22 + 10;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"" << height
      << "\" role=\"img\" aria-label=\"" << Html(label) << "\">\n";
  int y = 5;
  int index = 0;
  for (const auto& [name, count] : rows) {
    int bar = static_cast<int>(300 * count / max);
    std::string shown = name.size() > 40 ? name.substr(0, 39) + "\xE2\x80\xA6" : name;
    out << "<text x=\"0\" y=\"" << y + 14 << "\" font-size=\"11\">" << Html(shown) << "</text>\n";
    out << "<rect x=\"250\" y=\"" << y + 3 << "\" width=\"" << std::max(bar, 1)
        << "\" height=\"14\" fill=\"" << kPalette[index % 10] << "\"><title>" << Html(name) << ": "
        << count << "</title></rect>\n";
    out << "<text x=\"" << 256 + bar << "\" y=\"" << y + 14 << "\" font-size=\"11\">" << count
        << " (" << Percent(count, whole) << ")</text>\n";
    y += 22;
    ++index;
  }
  out << "</svg>\n";
}

void RenderHtml(const std::vector<VisitDayStats>& days, const VisitReportMeta& meta,
                std::ostream& out) {
  VisitDayStats total = SumVisitDays(days);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<title>Visit statistics</title>\n<style>\n"
         "body{font-family:sans-serif;margin:2em;max-width:60em;color:#1a202c}\n"
         "table{border-collapse:collapse}td,th{border:1px solid #cbd5e0;padding:2px 8px;"
         "text-align:right}th{background:#edf2f7}td:first-child{text-align:left}\n"
         "h2{margin-top:1.5em}.note{color:#4a5568;font-size:90%}\n</style>\n</head>\n<body>\n";
  out << "<h1>Visit statistics</h1>\n<p class=\"note\">Days in the site's time zone ("
      << Html(meta.timezone) << "). Generated " << Html(meta.generated_at)
      << ". Anonymous counts only: no address is stored in these statistics; visitors are "
         "counted per day and cannot be followed across days.</p>\n";
  if (days.empty()) {
    out << "<p>No visit statistics in this range.</p>\n</body>\n</html>\n";
    return;
  }
  out << "<h2>Daily visitors</h2>\n";
  DailyChart(days, out);
  out << "<table>\n<tr><th>date</th><th>requests</th><th>page views</th><th>visitors</th>"
         "<th>bot requests</th><th>bytes</th></tr>\n";
  for (const VisitDayStats& day : days) {
    out << "<tr><td>" << day.date << (day.final ? "" : " (open)") << "</td><td>" << day.requests
        << "</td><td>" << day.page_views << "</td><td>" << day.unique_visitors << "</td><td>"
        << day.bot_requests << "</td><td>" << day.bytes << "</td></tr>\n";
  }
  out << "<tr><th>total</th><th>" << total.requests << "</th><th>" << total.page_views
      << "</th><th>" << total.unique_visitors << "</th><th>" << total.bot_requests << "</th><th>"
      << total.bytes << "</th></tr>\n</table>\n";
  out << "<h2>Browsers</h2>\n";
  ShareChart("Browser shares", total.browsers, meta.top, out);
  out << "<h2>Operating systems</h2>\n";
  ShareChart("Operating system shares", total.operating_systems, meta.top, out);
  out << "<h2>Devices</h2>\n";
  ShareChart("Device classes", total.device_classes, meta.top, out);
  out << "<h2>Top pages</h2>\n";
  ShareChart("Top pages", total.pages, meta.top, out);
  out << "<h2>Top referring sites</h2>\n";
  ShareChart("Top referring sites", total.referring_sites, meta.top, out);
  out << "<h2>Responses</h2>\n";
  ShareChart("Status classes", total.status_classes, meta.top, out);
  out << "<h2>Known bots</h2>\n";
  ShareChart("Bots", total.bots, meta.top, out);
  if (!total.visitor_domains.empty()) {
    out << "<h2>Visitor organisations</h2>\n";
    ShareChart("Visitor organisation domains", total.visitor_domains, meta.top, out);
    out << "<h2>Visitor top-level domains</h2>\n";
    ShareChart("Visitor top-level domains", total.visitor_tlds, meta.top, out);
  }
  out << "</body>\n</html>\n";
}

}  // namespace

Result<VisitReportFormat> ParseVisitReportFormat(std::string_view name) {
  if (name == "text") return VisitReportFormat::kText;
  if (name == "csv") return VisitReportFormat::kCsv;
  if (name == "json") return VisitReportFormat::kJson;
  if (name == "html") return VisitReportFormat::kHtml;
  return Status::InvalidInput("--format must be text, csv, json or html, not '" +
                              std::string(name) + "'");
}

VisitDayStats SumVisitDays(const std::vector<VisitDayStats>& days) {
  VisitDayStats total;
  total.date = "total";
  total.final = true;
  for (const VisitDayStats& day : days) {
    total.final = total.final && day.final;
    total.requests += day.requests;
    total.page_views += day.page_views;
    total.unique_visitors += day.unique_visitors;
    total.bytes += day.bytes;
    total.bot_requests += day.bot_requests;
    for (const Dimension& dimension : kDimensions) {
      AddAll(total.*dimension.member, day.*dimension.member);
    }
  }
  return total;
}

void RenderVisitReport(const std::vector<VisitDayStats>& days, const VisitReportMeta& meta,
                       VisitReportFormat format, std::ostream& out) {
  switch (format) {
    case VisitReportFormat::kText:
      RenderText(days, meta, out);
      return;
    case VisitReportFormat::kCsv:
      RenderCsv(days, out);
      return;
    case VisitReportFormat::kJson:
      RenderJson(days, out);
      return;
    case VisitReportFormat::kHtml:
      RenderHtml(days, meta, out);
      return;
  }
}

}  // namespace sunshine
