// Read-only pages for compliance staff: the audit trail (AuditLog::List, the same filters as
// `sunshine audit log`), chain verification (AuditLog::Verify, as `sunshine audit verify`),
// and the destruction certificates the disposition job writes to HOME/output/certificates.
#include <algorithm>
#include <deque>
#include <fstream>
#include <iterator>
#include <sstream>

#include "engine/audit/audit_log.h"
#include "engine/core/time_format.h"
#include "engine/requests/request_export.h"
#include "engine/visits/visit_days.h"
#include "engine/visits/visit_settings.h"
#include "engine/web/console_page.h"
#include "engine/web/html.h"
#include "exporters/visits/visit_report.h"

namespace sunshine::web {

namespace {

constexpr std::int64_t kDefaultAuditRows = 200;
constexpr std::int64_t kMaxAuditRows = 5000;

std::string FilterInput(const ConsoleRequest& request, std::string_view name,
                        std::string_view label, std::string_view type,
                        std::string_view placeholder) {
  std::string id = "f-" + std::string(name);
  return "<div><label for=\"" + id + "\">" + HtmlEscape(label) + "</label><input type=\"" +
         std::string(type) + "\" id=\"" + id + "\" name=\"" + std::string(name) + "\" value=\"" +
         HtmlEscape(request.Param(name)) + "\" placeholder=\"" + HtmlEscape(placeholder) +
         "\"></div>";
}

// The verification result, or "" when not asked for.
std::string VerifyNotice(ConsoleRequest& request, bool run) {
  if (!run) {
    return "";
  }
  auto report = AuditLog::Verify(request.store->db());
  if (!report.ok()) {
    return Notice("bad", "Verification could not run: " + report.status().message());
  }
  if (report->ok()) {
    return "<div class=\"notice good\" role=\"status\" id=\"verify-result\">Audit chain OK: " +
           std::to_string(report->events) + " events verified. Head hash <span class=\"mono\">" +
           HtmlEscape(report->head_hash) + "</span></div>";
  }
  return "<div class=\"notice bad\" role=\"status\" id=\"verify-result\">Audit chain BROKEN at "
         "event " +
         std::to_string(*report->first_broken_seq) + ": " + HtmlEscape(report->problem) + " (" +
         std::to_string(report->events) + " events read)</div>";
}

ConsoleResponse AuditPageImpl(ConsoleRequest& request, bool verify) {
  std::string body = VerifyNotice(request, verify);
  body += "<section class=\"card\"><form method=\"post\" action=\"/audit/verify\">" +
          CsrfField(request) +
          "<button type=\"submit\" id=\"verify\">Verify chain</button> <span class=\"muted "
          "small\">Recomputes every event's SHA-256 and its link to the previous one "
          "(docs/formats/audit-chain.md).</span></form></section>";

  AuditFilter filter;
  std::string problem;
  for (const char* key : {"since", "until"}) {
    if (auto value = request.OptionalParam(key)) {
      if (!ParseDateTime(*value).ok()) {
        problem = std::string(key) + ": '" + *value + "' is not a date (YYYY-MM-DD) or time";
        continue;
      }
      (std::string(key) == "since" ? filter.since : filter.until) = *value;
    }
  }
  filter.action = request.OptionalParam("action");
  filter.object = request.OptionalParam("object");
  filter.actor = request.OptionalParam("by");
  std::int64_t limit = kDefaultAuditRows;
  if (auto text = request.OptionalParam("limit")) {
    try {
      limit = std::clamp<std::int64_t>(std::stoll(*text), 1, kMaxAuditRows);
    } catch (const std::exception&) {
      problem = "limit: '" + *text + "' is not a number";
    }
  }

  body += "<section class=\"card\"><form method=\"get\" action=\"/audit\" class=\"filters\">" +
          FilterInput(request, "since", "Since", "text", "YYYY-MM-DD") +
          FilterInput(request, "until", "Until", "text", "YYYY-MM-DD") +
          FilterInput(request, "action", "Action (or prefix ending in .)", "text", "login.") +
          FilterInput(request, "object", "Object", "text", "record:42") +
          FilterInput(request, "by", "Actor", "text", "console:alice") +
          FilterInput(request, "limit", "Show at most", "number", std::to_string(limit)) +
          "<div><button type=\"submit\">Filter</button></div></form></section>";
  if (!problem.empty()) {
    body += Notice("bad", problem);
  }

  // The newest `limit` matching events, newest first: reading the trail is what this page is
  // for, and recent events are what people look for first.
  std::deque<AuditEvent> shown;
  std::int64_t matched = 0;
  Status status = AuditLog::List(request.store->db(), filter, [&](const AuditEvent& event) {
    ++matched;
    shown.push_back(event);
    if (static_cast<std::int64_t>(shown.size()) > limit) {
      shown.pop_front();
    }
    return Status();
  });
  if (!status.ok()) {
    body += Notice("bad", status.message());
    return ConsoleResponse::Page(RenderPage(request, "Audit trail", body), 400);
  }
  body += "<p class=\"muted\">" + std::to_string(matched) + " matching events";
  if (matched > static_cast<std::int64_t>(shown.size())) {
    body += "; the newest " + std::to_string(shown.size()) + " are shown";
  }
  body +=
      ".</p><table id=\"audit\"><thead><tr><th>#</th><th>When (UTC)</th><th>Actor</th>"
      "<th>Action</th><th>Object</th><th>Details</th></tr></thead><tbody>";
  for (auto it = shown.rbegin(); it != shown.rend(); ++it) {
    body += "<tr><td class=\"num\">" + std::to_string(it->seq) + "</td><td class=\"when\">" +
            HtmlEscape(it->at) + "</td><td>" + HtmlEscape(it->actor) + "</td><td>" +
            HtmlEscape(it->action) + "</td><td>" + HtmlEscape(it->object) +
            "</td><td class=\"mono\">" + HtmlEscape(it->details) + "</td></tr>";
  }
  body += "</tbody></table>";
  return ConsoleResponse::Page(RenderPage(request, "Audit trail", body));
}

ConsoleResponse AuditPage(ConsoleRequest& request) { return AuditPageImpl(request, false); }
ConsoleResponse VerifyChain(ConsoleRequest& request) { return AuditPageImpl(request, true); }

Path CertificatesDir(const ConsoleRequest& request) {
  return request.store->home().output_dir() / "certificates";
}

bool IsTextFile(const Path& file) {
  std::string ext = file.extension().string();
  return ext == ".txt" || ext == ".json" || ext == ".csv" || ext == ".md" || ext == ".jsonl";
}

ConsoleResponse CertificatesPage(ConsoleRequest& request) {
  Path dir = CertificatesDir(request);
  std::vector<std::pair<std::string, std::pair<std::uintmax_t, std::time_t>>> files;
  boost::system::error_code ec;
  if (boost::filesystem::is_directory(dir, ec)) {
    for (boost::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (boost::filesystem::is_regular_file(it->path(), ec)) {
        std::string name = it->path().filename().string();
        if (!name.empty() && name[0] != '.') {
          files.push_back({name,
                           {boost::filesystem::file_size(it->path(), ec),
                            boost::filesystem::last_write_time(it->path(), ec)}});
        }
      }
    }
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string body =
      "<p class=\"muted\">Certificates of destruction written by the disposition job (RSMo "
      "109.230 approved schedules), newest name first.</p>";
  if (files.empty()) {
    body += Notice("info", "No destruction certificates yet.");
  } else {
    body +=
        "<table><thead><tr><th>Certificate</th><th>Size</th><th>Written</th></tr></thead><tbody>";
    for (const auto& [name, info] : files) {
      body += "<tr><td><a href=\"/certificates/" + HtmlEscape(UrlEncode(name)) + "\">" +
              HtmlEscape(name) + "</a></td><td class=\"num\">" + std::to_string(info.first) +
              "</td><td>" + HtmlEscape(FormatEpoch(static_cast<std::int64_t>(info.second))) +
              "</td></tr>";
    }
    body += "</tbody></table>";
  }
  return ConsoleResponse::Page(RenderPage(request, "Destruction certificates", body));
}

ConsoleResponse CertificateFile(ConsoleRequest& request) {
  std::string name(request.Tail("/certificates/"));
  auto file = FileInside(CertificatesDir(request), name);
  if (!file) {
    return ErrorPage(request, 404, "No such certificate.");
  }
  if (IsTextFile(*file) && !request.OptionalParam("download")) {
    std::ifstream in(file->string(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string body =
        "<p><a href=\"/certificates\">All certificates</a> &middot; <a href=\"/certificates/" +
        HtmlEscape(UrlEncode(name)) + "?download=1\">Download</a></p><pre class=\"text\">" +
        HtmlEscape(text) + "</pre>";
    return ConsoleResponse::Page(RenderPage(request, name, body));
  }
  ConsoleResponse response;
  response.file = *file;
  response.download_name = name;
  response.content_type =
      file->extension() == ".pdf" ? "application/pdf" : "application/octet-stream";
  return response;
}

// The disclosure accounting (`sunshine share log`): who received which record, when and why.
ConsoleResponse AccountingPage(ConsoleRequest& request) {
  std::optional<std::int64_t> record;
  std::string problem;
  if (auto text = request.OptionalParam("record")) {
    try {
      std::size_t used = 0;
      long long value = std::stoll(*text, &used);
      if (used != text->size() || value <= 0) {
        throw std::invalid_argument("record");
      }
      record = value;
    } catch (const std::exception&) {
      problem = "record: '" + *text + "' is not a record id";
    }
  }
  std::string body =
      "<section class=\"card\"><form method=\"get\" action=\"/accounting\" class=\"filters\">" +
      FilterInput(request, "record", "Record", "text", "42") +
      FilterInput(request, "agency", "Recipient", "text", "Department of Revenue") +
      "<div><button type=\"submit\">Filter</button></div></form></section>";
  if (!problem.empty()) {
    body += Notice("bad", problem);
  }
  std::string rows;
  int count = 0;
  Status status = ListDisclosures(
      request.store->db(), record, request.OptionalParam("agency"),
      [&](const DisclosureEntry& entry) {
        ++count;
        std::string records;
        for (const auto& [id, detail] : entry.records) {
          records += "<li>record " + std::to_string(id) + ": " + HtmlEscape(detail) + "</li>";
        }
        std::string package = Path(entry.package).filename().string();
        rows += "<tr><td class=\"num\">" + std::to_string(entry.id) + "</td><td>" +
                HtmlEscape(FormatEpoch(entry.at)) + "</td><td>" + HtmlEscape(entry.kind) +
                (entry.request_id.empty() ? "" : "<br>request " + HtmlEscape(entry.request_id)) +
                "</td><td>" + HtmlEscape(entry.recipient) + "</td><td>" + HtmlEscape(entry.reason) +
                "</td><td>" + HtmlEscape(entry.actor) + "</td><td><a href=\"/packages/" +
                HtmlEscape(UrlEncode(package)) + "\">" + HtmlEscape(package) +
                "</a><br><span class=\"mono small\">" + HtmlEscape(entry.package_sha256) +
                "</span></td><td><ul class=\"small\">" + records + "</ul></td></tr>";
        return Status();
      });
  if (!status.ok()) {
    body += Notice("bad", status.message());
  } else if (count == 0) {
    body += Notice("info", "No disclosures recorded.");
  } else {
    body +=
        "<table id=\"accounting\"><thead><tr><th>#</th><th>When</th><th>Kind</th>"
        "<th>Recipient</th><th>Why</th><th>By</th><th>Package</th><th>Records</th></tr>"
        "</thead><tbody>" +
        rows + "</tbody></table>";
  }
  return ConsoleResponse::Page(RenderPage(request, "Disclosure accounting", body));
}

// Visit statistics: the visits engineer's own HTML report (inline SVG charts, inline style,
// no script), rendered by RenderVisitReport exactly as `sunshine visits stats --format html`
// writes it, and shown in a sandboxed frame on the console page.
Result<std::string> VisitReportHtml(ConsoleRequest& request, std::string* problem) {
  std::string from = request.Param("from");
  std::string to = request.Param("to");
  for (std::string* value : {&from, &to}) {
    if (!value->empty() && !ParseDate(*value).ok()) {
      *problem = "'" + *value + "' is not a date (YYYY-MM-DD)";
      value->clear();
    }
  }
  auto settings = LoadVisitSettings(request.store->config());
  if (!settings.ok()) {
    return settings.status();
  }
  auto days = LoadVisitStats(request.store->db(), from, to);
  if (!days.ok()) {
    return days.status();
  }
  VisitReportMeta meta;
  meta.timezone = settings->timezone;
  meta.generated_at = FormatUtc(Clock::WallNow());
  meta.from = from;
  meta.to = to;
  std::ostringstream out;
  RenderVisitReport(*days, meta, VisitReportFormat::kHtml, out);
  return out.str();
}

ConsoleResponse VisitsPage(ConsoleRequest& request) {
  std::string problem;
  std::string body =
      "<section class=\"card\"><form method=\"get\" action=\"/visits\" class=\"filters\">" +
      FilterInput(request, "from", "From", "text", "YYYY-MM-DD") +
      FilterInput(request, "to", "To", "text", "YYYY-MM-DD") +
      "<div><button type=\"submit\">Show</button></div></form><p class=\"small muted\">Counts "
      "per day; no IP address is kept or shown.</p></section>";
  auto report = VisitReportHtml(request, &problem);
  if (!problem.empty()) {
    body += Notice("bad", problem);
  }
  if (!report.ok()) {
    body += Notice("bad", report.status().message());
  } else {
    std::string query =
        "?from=" + UrlEncode(request.Param("from")) + "&to=" + UrlEncode(request.Param("to"));
    body +=
        "<div class=\"chart\"><iframe id=\"visit-report\" title=\"visit statistics\" "
        "sandbox src=\"/visits/report" +
        HtmlEscape(query) + "\"></iframe></div><p><a href=\"/visits/report" + HtmlEscape(query) +
        "&amp;download=1\">Download the report (HTML)</a></p>";
  }
  return ConsoleResponse::Page(RenderPage(request, "Visit statistics", body));
}

ConsoleResponse VisitReport(ConsoleRequest& request) {
  std::string problem;
  auto report = VisitReportHtml(request, &problem);
  if (!report.ok()) {
    return ErrorPage(request, 500, report.status().message());
  }
  ConsoleResponse response;
  response.body = std::move(*report);
  // The report carries its own <style> and inline SVG; it has no script and loads nothing.
  response.content_security_policy =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";
  response.frame_same_origin = true;
  if (request.OptionalParam("download")) {
    response.content_type = "text/html; charset=utf-8";
    response.download_name = "visit-statistics.html";
  }
  return response;
}

}  // namespace

std::vector<ConsoleRoute> CompliancePages() {
  return {
      {"GET", "/audit", false, kCompliance, AuditPage, "Audit trail"},
      {"POST", "/audit/verify", false, kCompliance, VerifyChain, ""},
      {"GET", "/certificates", false, kCompliance, CertificatesPage, "Certificates"},
      {"GET", "/certificates/", true, kCompliance, CertificateFile, ""},
      {"GET", "/accounting", false, kCompliance, AccountingPage, "Disclosures"},
      {"GET", "/visits", false, kCompliance, VisitsPage, "Visit statistics"},
      {"GET", "/visits/report", false, kCompliance, VisitReport, ""},
  };
}

}  // namespace sunshine::web
