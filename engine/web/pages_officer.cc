// Pages for records officers. Each calls the engine function its CLI command calls
// (cmd_request.cc, cmd_share.cc): RequestRepository, RecordRepository::Search, ExportRequest,
// ShareWithAgency, UnclassifiedRecords, HoldsNeedingReview.
#include <algorithm>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/requests/business_calendar.h"
#include "engine/requests/request_export.h"
#include "engine/requests/request_repository.h"
#include "engine/retention/classification.h"
#include "engine/retention/holds.h"
#include "engine/retention/retention_config.h"
#include "engine/web/console_page.h"
#include "engine/web/html.h"
#include "engine/web/officer_common.h"
#include "schedules/period.h"

namespace sunshine::web {

namespace {

constexpr std::int64_t kUnclassifiedShown = 1000;

std::string RequestLink(const std::string& id) {
  return "<a href=\"/requests/" + HtmlEscape(UrlEncode(id)) + "\">" + HtmlEscape(id) + "</a>";
}

// Requests as `sunshine request list` orders them: overdue first, then by due date.
std::string RequestsTable(ConsoleRequest& request, bool only_open, int* count) {
  SysDays today = request.clock->Today();
  std::string rows;
  *count = 0;
  Status status =
      RequestRepository::List(request.store->db(), today, [&](const SunshineRequest& item) {
        if (only_open && item.closed()) {
          return Status();
        }
        ++*count;
        rows += std::string("<tr") + (item.Overdue(today) ? " class=\"overdue\"" : "") + "><td>" +
                RequestLink(item.id) + "</td><td>" + StatusBadgeHtml(item, today) + "</td><td>" +
                HtmlEscape(item.effective_due()) + (item.available_on ? " (extended)" : "") +
                "</td><td>" + HtmlEscape(item.requester) + "</td><td>" +
                HtmlEscape(item.description.substr(0, 120)) + "</td><td class=\"num\">" +
                std::to_string(item.records.size()) + "</td></tr>";
        return Status();
      });
  if (!status.ok()) {
    return Notice("bad", status.message());
  }
  if (*count == 0) {
    return "<p class=\"muted\">No " + std::string(only_open ? "open " : "") + "requests.</p>";
  }
  return "<table id=\"requests\"><thead><tr><th>Request</th><th>Status</th><th>Due</th>"
         "<th>Requester</th><th>Description</th><th>Records</th></tr></thead><tbody>" +
         rows + "</tbody></table>";
}

// The last nightly run, as `sunshine nightly` recorded it in the runs table.
std::string NightlyCard(ConsoleRequest& request) {
  std::string card = "<section class=\"card\" id=\"nightly\"><h2>Last nightly run</h2>";
  bool found = false;
  Status status = request.store->db().Query(
      "SELECT id, started_at, finished_at, outcome, as_of FROM runs WHERE kind = 'nightly' "
      "ORDER BY id DESC LIMIT 1",
      {}, [&](const Row& row) {
        found = true;
        std::string outcome = row.IsNull(3) ? "running (or interrupted)" : row.Text(3);
        std::string badge = outcome == "ok" ? "good" : outcome == "problems" ? "warn" : "bad";
        card += "<p><span class=\"badge " + badge + "\">" + HtmlEscape(outcome) + "</span> run " +
                std::to_string(row.Int(0)) + "</p><p class=\"small\">started " +
                HtmlEscape(FormatEpoch(row.Int(1))) +
                (row.IsNull(2) ? "" : "<br>finished " + HtmlEscape(FormatEpoch(row.Int(2)))) +
                "<br>as of " + HtmlEscape(row.Text(4)) + "</p>";
        return Status();
      });
  if (!status.ok()) {
    card += Notice("bad", status.message());
  } else if (!found) {
    card += "<p class=\"muted\">No nightly run yet.</p>";
  }
  return card + "</section>";
}

std::string UnclassifiedCard(ConsoleRequest& request) {
  std::string card = "<section class=\"card\" id=\"unclassified\"><h2>Unclassified records</h2>";
  auto queue = UnclassifiedRecords(request.store->db(), kUnclassifiedShown);
  if (!queue.ok()) {
    return card + Notice("bad", queue.status().message()) + "</section>";
  }
  std::string figure = std::to_string(queue->size()) +
                       (static_cast<std::int64_t>(queue->size()) >= kUnclassifiedShown ? "+" : "");
  return card + "<p class=\"figure\">" + figure +
         "</p><p class=\"small muted\">waiting in the review queue (sunshine classify "
         "queue)</p></section>";
}

std::string HoldsCard(ConsoleRequest& request) {
  std::string card = "<section class=\"card\" id=\"holds\"><h2>Holds needing review</h2>";
  auto settings = LoadRetentionSettings(*request.store);
  if (!settings.ok()) {
    return card + Notice("bad", settings.status().message()) + "</section>";
  }
  SysDays cutoff =
      AddPeriod(request.clock->Today(), 0, -static_cast<int>(settings->hold_review_months), 0);
  auto holds = HoldsNeedingReview(request.store->db(), ToEpoch(SysSeconds(cutoff)));
  if (!holds.ok()) {
    return card + Notice("bad", holds.status().message()) + "</section>";
  }
  card += "<p class=\"figure\">" + std::to_string(holds->size()) +
          "</p><p class=\"small muted\">not reviewed for " +
          std::to_string(settings->hold_review_months) + " months</p>";
  if (!holds->empty()) {
    card += "<ul class=\"small\">";
    for (const Hold& hold : *holds) {
      card += "<li>#" + std::to_string(hold.id) + " " + HtmlEscape(hold.name) + " (" +
              HtmlEscape(hold.kind) + ", last reviewed " +
              HtmlEscape(FormatDate(DayOf(FromEpoch(hold.last_reviewed_at)))) + ")</li>";
    }
    card += "</ul>";
  }
  return card + "</section>";
}

ConsoleResponse Dashboard(ConsoleRequest& request) {
  int count = 0;
  std::string table = RequestsTable(request, /*only_open=*/true, &count);
  std::string body = "<div class=\"cards\">" + NightlyCard(request) + UnclassifiedCard(request) +
                     HoldsCard(request) + "</div>";
  body +=
      "<h2>Open requests by due date, overdue first</h2><p><a href=\"/requests/new\">Open a "
      "request</a> &middot; <a href=\"/requests\">All requests</a></p>" +
      table;
  return ConsoleResponse::Page(RenderPage(request, "Dashboard", body));
}

ConsoleResponse AllRequests(ConsoleRequest& request) {
  int count = 0;
  std::string body = "<p><a href=\"/requests/new\">Open a request</a></p>" +
                     RequestsTable(request, /*only_open=*/false, &count);
  return ConsoleResponse::Page(RenderPage(request, "Requests", body));
}

std::string NewRequestForm(const ConsoleRequest& request) {
  auto value = [&](const char* name) { return HtmlEscape(request.Param(name)); };
  return "<section class=\"card\"><form method=\"post\" action=\"/requests/new\">" +
         CsrfField(request) +
         "<div class=\"field\"><label for=\"requester\">Requester</label><input type=\"text\" "
         "id=\"requester\" name=\"requester\" required size=\"40\" value=\"" +
         value("requester") +
         "\"></div><div class=\"field\"><label for=\"contact\">Contact (address, e-mail or "
         "phone)</label><input type=\"text\" id=\"contact\" name=\"contact\" size=\"40\" "
         "value=\"" +
         value("contact") +
         "\"></div><div class=\"field\"><label for=\"received\">Received (YYYY-MM-DD HH:MM, "
         "office time)</label><input type=\"text\" id=\"received\" name=\"received\" required "
         "placeholder=\"2026-11-30 10:00\" value=\"" +
         value("received") +
         "\"></div><div class=\"field\"><label for=\"description\">Records asked for</label>"
         "<textarea id=\"description\" name=\"description\" required>" +
         value("description") +
         "</textarea></div><div class=\"field\"><label for=\"format\">Format</label><select "
         "id=\"format\" name=\"format\"><option value=\"electronic\">electronic</option>"
         "<option value=\"paper\"" +
         (request.Param("format") == "paper" ? " selected" : "") +
         ">paper</option></select></div><button type=\"submit\">Open request</button>"
         "<p class=\"small muted\">The due date is the end of the third business day after "
         "receipt (RSMo 610.023.3).</p></form></section>";
}

ConsoleResponse NewRequestPage(ConsoleRequest& request) {
  return ConsoleResponse::Page(RenderPage(request, "Open a request", NewRequestForm(request)));
}

ConsoleResponse OpenRequest(ConsoleRequest& request) {
  auto fail = [&](const Status& status) {
    return ConsoleResponse::Page(
        RenderPage(request, "Open a request",
                   Notice("bad", status.message()) + NewRequestForm(request)),
        400);
  };
  auto received = ParseDateTime(request.Param("received"));
  if (!received.ok()) {
    return fail(Status::InvalidInput("received: " + received.status().message()));
  }
  auto calendar = BusinessCalendar::FromConfig(request.store->config());
  if (!calendar.ok()) {
    return fail(calendar.status());
  }
  NewRequest input;
  input.requester = request.Param("requester");
  input.contact = request.Param("contact");
  input.received_at = *received;
  input.description = request.Param("description");
  input.format = request.OptionalParam("format").value_or("electronic");
  auto opened = InWriteTransaction<SunshineRequest>(request.store->db(), [&]() {
    return RequestRepository::Open(*request.store, request.actor(), input, *calendar,
                                   *request.clock);
  });
  if (!opened.ok()) {
    return fail(opened.status());
  }
  return ConsoleResponse::Redirect("/requests/" + UrlEncode(opened->id) + "?opened=1");
}

}  // namespace

std::vector<ConsoleRoute> OfficerPages() {
  return {
      {"GET", "/officer", false, kOfficer, Dashboard, "Dashboard"},
      {"GET", "/requests", false, kOfficer, AllRequests, "Requests"},
      {"GET", "/requests/new", false, kOfficer, NewRequestPage, "Open a request"},
      {"POST", "/requests/new", false, kOfficer, OpenRequest, ""},
  };
}

}  // namespace sunshine::web
