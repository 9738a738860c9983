// One request: its file, search and add records, remove, extend, status, fee estimate,
// export and download of the package, sharing with an agency. The same engine calls as
// `sunshine request ...` and `sunshine share` (cmd_request.cc, cmd_share.cc).
#include <algorithm>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/requests/request_estimate.h"
#include "engine/requests/request_export.h"
#include "engine/requests/request_fees.h"
#include "engine/requests/request_repository.h"
#include "engine/web/console_page.h"
#include "engine/web/html.h"
#include "engine/web/officer_common.h"

namespace sunshine::web {

namespace {

constexpr std::int64_t kSearchLimit = 200;

std::string RequestPath(std::string_view id) { return "/requests/" + UrlEncode(id); }

// "2026-0001/add" -> {"2026-0001", "add"}. Ids are digits and dashes; anything else finds nothing.
bool SplitTail(std::string_view tail, std::string* id, std::string* action) {
  std::size_t slash = tail.find('/');
  *id = std::string(tail.substr(0, slash));
  *action = slash == std::string_view::npos ? "" : std::string(tail.substr(slash + 1));
  return !id->empty() && id->size() <= 32 && std::all_of(id->begin(), id->end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
  });
}

std::string Row2(std::string_view label, std::string_view html_value) {
  return "<tr><th>" + HtmlEscape(label) + "</th><td>" + std::string(html_value) + "</td></tr>";
}

std::string RecordRowCells(const Record& record) {
  return "<td class=\"num\">" + std::to_string(record.id) + "</td><td>" +
         HtmlEscape(RecordKindName(record.kind)) + "</td><td>" +
         HtmlEscape(FormatEpoch(record.received_at)) + "</td><td>" + HtmlEscape(record.sender) +
         "</td><td>" + HtmlEscape(record.title) + "</td>";
}

std::string PackageLink(const std::string& package_path) {
  std::string name = Path(package_path).filename().string();
  return "<a href=\"/packages/" + HtmlEscape(UrlEncode(name)) + "\" class=\"download\">" +
         HtmlEscape(name) + "</a>";
}

// Search results; RequestRepository::Search audits the query as `request search` does.
std::string SearchSection(ConsoleRequest& request, const SunshineRequest& item) {
  std::string query = request.Param("q");
  std::string html =
      "<h2>Search records</h2><section class=\"card\"><form method=\"get\" action=\"" +
      HtmlEscape(RequestPath(item.id)) +
      "\" class=\"filters\"><div><label for=\"q\">Words "
      "(FTS5: \"phrase\", OR, NOT, prefix*)</label><input type=\"text\" id=\"q\" name=\"q\" "
      "size=\"30\" value=\"" +
      HtmlEscape(query) +
      "\"></div><div><label for=\"from\">Received from</label><input type=\"text\" id=\"from\" "
      "name=\"from\" size=\"11\" placeholder=\"YYYY-MM-DD\" value=\"" +
      HtmlEscape(request.Param("from")) +
      "\"></div><div><label for=\"to\">before</label><input type=\"text\" id=\"to\" name=\"to\" "
      "size=\"11\" placeholder=\"YYYY-MM-DD\" value=\"" +
      HtmlEscape(request.Param("to")) +
      "\"></div><div><label for=\"sender\">Sender</label><input type=\"text\" id=\"sender\" "
      "name=\"sender\" value=\"" +
      HtmlEscape(request.Param("sender")) +
      "\"></div><div><button type=\"submit\" id=\"search\">Search</button></div></form>";
  if (query.empty()) {
    return html + "</section>";
  }
  RecordFilter filter;
  filter.limit = kSearchLimit;
  for (const char* key : {"from", "to"}) {
    if (auto text = request.OptionalParam(key)) {
      auto t = ParseDateTime(*text);
      if (!t.ok()) {
        return html + Notice("bad", std::string(key) + ": " + t.status().message()) + "</section>";
      }
      (std::string(key) == "from" ? filter.received_from : filter.received_to) = ToEpoch(*t);
    }
  }
  filter.sender = request.OptionalParam("sender");
  auto searched =
      RequestRepository::Search(*request.store, request.actor(), item.id, query, filter, false);
  if (!searched.ok()) {
    return html + Notice("bad", searched.status().message()) + "</section>";
  }
  const std::vector<Record>& hits = searched->hits;
  html += "<p class=\"muted\">" + std::to_string(hits.size()) + " hit(s)" +
          (static_cast<std::int64_t>(hits.size()) >= kSearchLimit
               ? " (first " + std::to_string(kSearchLimit) + ")"
               : "") +
          ".</p>";
  if (hits.empty()) {
    return html + "</section>";
  }
  html += "<form method=\"post\" action=\"" + HtmlEscape(RequestPath(item.id)) + "/add\">" +
          CsrfField(request) +
          "<table id=\"hits\"><thead><tr><th>Add</th><th>#</th><th>Kind</th><th>Received</th>"
          "<th>Sender</th><th>Subject / title</th></tr></thead><tbody>";
  for (const Record& record : hits) {
    bool in = std::find(item.records.begin(), item.records.end(), record.id) != item.records.end();
    html += "<tr><td>" +
            (in ? std::string("<span class=\"badge good\">in request</span>")
                : "<input type=\"checkbox\" name=\"record\" value=\"" + std::to_string(record.id) +
                      "\" aria-label=\"add record " + std::to_string(record.id) + "\">") +
            "</td>" + RecordRowCells(record) + "</tr>";
  }
  html +=
      "</tbody></table><p><button type=\"submit\" id=\"add-selected\">Add selected records"
      "</button> <span class=\"small muted\">Each is put under the request's automatic hold "
      "at once.</span></p></form>";
  return html + "</section>";
}

std::string RequestBody(ConsoleRequest& request, const SunshineRequest& item,
                        std::string_view notice_html) {
  SysDays today = request.clock->Today();
  std::string body(notice_html);
  if (request.OptionalParam("opened")) {
    body += Notice("good", "Request " + item.id + " opened; due by the end of " + item.due_date +
                               " (third business day after " + item.received_day +
                               ", RSMo 610.023.3).");
  }
  body += "<section class=\"card\"><table class=\"facts\">";
  body += Row2("Status", StatusBadgeHtml(item, today));
  body +=
      Row2("Requester", HtmlEscape(item.requester) +
                            (item.contact.empty() ? "" : " (" + HtmlEscape(item.contact) + ")"));
  body += Row2("Received", HtmlEscape(item.received_day) + " (" +
                               HtmlEscape(FormatEpoch(item.received_at)) + ")");
  body += Row2("Description", HtmlEscape(item.description));
  body += Row2("Format", HtmlEscape(item.format));
  body += Row2("Due", HtmlEscape(item.due_date) +
                          " <span class=\"small muted\">end of the third business day after "
                          "receipt, RSMo 610.023.3</span>");
  for (const RequestExtension& extension : item.extensions) {
    body += Row2("Extension " + std::to_string(extension.ordinal),
                 "available on " + HtmlEscape(extension.available_on) + ": " +
                     HtmlEscape(extension.reason) + " (" + HtmlEscape(extension.actor) + ")");
  }
  if (!item.status_reason.empty()) {
    body += Row2(
        "Status note",
        HtmlEscape(item.status_reason) +
            (item.status_provision.empty() ? "" : " [" + HtmlEscape(item.status_provision) + "]"));
  }
  if (item.withdraw_after) {
    body += Row2("Notice", "given " + HtmlEscape(item.notice_on.value_or("?")) +
                               "; may be treated as withdrawn after " +
                               HtmlEscape(*item.withdraw_after));
  }
  if (item.closed_on) {
    body += Row2("Closed", HtmlEscape(*item.closed_on) + "; holds released " +
                               (item.holds_released ? "" : "on ") +
                               HtmlEscape(item.hold_release_on.value_or("?")));
  }
  body += "</table></section>";

  // The responsive set.
  body += "<h2>Responsive records (" + std::to_string(item.records.size()) + ")</h2>";
  if (item.records.empty()) {
    body += "<p class=\"muted\">None yet: search below and add the responsive ones.</p>";
  } else {
    body +=
        "<table id=\"responsive\"><thead><tr><th>#</th><th>Kind</th><th>Received</th>"
        "<th>Sender</th><th>Subject / title</th><th>Review</th><th>Remove</th></tr></thead>"
        "<tbody>";
    for (std::int64_t id : item.records) {
      auto record = RecordRepository::Get(request.store->db(), id);
      body += "<tr>";
      if (record.ok()) {
        body += RecordRowCells(*record);
      } else {
        body += "<td class=\"num\">" + std::to_string(id) + "</td><td colspan=\"4\">" +
                HtmlEscape(record.status().message()) + "</td>";
      }
      body += "<td><a href=\"/records/" + std::to_string(id) +
              "/redactions?request=" + HtmlEscape(UrlEncode(item.id)) +
              "\">redactions</a></td><td><form method=\"post\" "
              "class=\"inline\" action=\"" +
              HtmlEscape(RequestPath(item.id)) + "/remove\">" + CsrfField(request) +
              "<input type=\"hidden\" name=\"record\" value=\"" + std::to_string(id) +
              "\"><input type=\"text\" name=\"reason\" placeholder=\"why not responsive\" "
              "required size=\"16\" aria-label=\"reason\"> <button type=\"submit\" "
              "class=\"secondary\">Remove</button></form></td></tr>";
    }
    body += "</tbody></table>";
  }

  if (!item.closed()) {
    body += SearchSection(request, item);
  }

  // Packages published for this request (the disclosure accounting).
  std::string packages;
  Status status = ListDisclosures(
      request.store->db(), std::nullopt, std::nullopt, [&](const DisclosureEntry& entry) {
        if (entry.request_id == item.id) {
          packages += "<li>" + PackageLink(entry.package) + " - " + HtmlEscape(entry.kind) +
                      " to " + HtmlEscape(entry.recipient) + ", " +
                      HtmlEscape(FormatEpoch(entry.at)) + "</li>";
        }
        return Status();
      });
  body += "<h2>Disclosure package</h2><section class=\"card\">";
  if (!status.ok()) {
    body += Notice("bad", status.message());
  } else if (!packages.empty()) {
    body += "<ul id=\"packages\">" + packages + "</ul>";
  }
  body += "<form method=\"post\" action=\"" + HtmlEscape(RequestPath(item.id)) + "/export\">" +
          CsrfField(request) +
          "<button type=\"submit\" id=\"export\">Export disclosure package</button> <span "
          "class=\"small muted\">Renders every responsive record redacted, as a BagIt ZIP; "
          "nothing is published if a redacted value can still be found in it.</span></form>"
          "<p><a href=\"" +
          HtmlEscape(RequestPath(item.id)) +
          "/estimate\">Fee estimate</a>"
          "</p></section>";

  // Delay, status, sharing.
  body += "<h2>Delay, status and sharing</h2><div class=\"cards\">";
  body +=
      "<section class=\"card\"><h3>Explain a delay (RSMo 610.023.3)</h3><form "
      "method=\"post\" action=\"" +
      HtmlEscape(RequestPath(item.id)) + "/extend\">" + CsrfField(request) +
      "<div class=\"field\"><label for=\"ext-reason\">Cause of the delay</label><textarea "
      "id=\"ext-reason\" name=\"reason\" required></textarea></div><div class=\"field\">"
      "<label for=\"available-on\">Records available on</label><input type=\"text\" "
      "id=\"available-on\" name=\"available_on\" placeholder=\"YYYY-MM-DD\" required></div>"
      "<button type=\"submit\">Record delay</button></form></section>";
  body += "<section class=\"card\"><h3>Status</h3><form method=\"post\" action=\"" +
          HtmlEscape(RequestPath(item.id)) + "/status\">" + CsrfField(request) +
          "<div class=\"field\"><label for=\"status\">New status</label><select id=\"status\" "
          "name=\"status\">";
  for (std::string_view status_name : RequestStatuses()) {
    body += "<option value=\"" + HtmlEscape(status_name) + "\"" +
            (status_name == item.status ? " selected" : "") + ">" + HtmlEscape(status_name) +
            "</option>";
  }
  body +=
      "</select></div><div class=\"field\"><label for=\"st-reason\">Reason</label><input "
      "type=\"text\" id=\"st-reason\" name=\"reason\" required size=\"30\"></div><div "
      "class=\"field\"><label for=\"provision\">Provision of law (for denied, RSMo "
      "610.023.4)</label><input type=\"text\" id=\"provision\" name=\"provision\" "
      "size=\"20\"></div><div class=\"field\"><label><input type=\"checkbox\" "
      "name=\"by_requester\" value=\"1\"> withdrawn by the requester</label></div>"
      "<button type=\"submit\">Change status</button></form></section>";
  body +=
      "<section class=\"card\"><h3>Share with an agency</h3><form method=\"post\" "
      "action=\"/share\">" +
      CsrfField(request) +
      "<input type=\"hidden\" name=\"request\" "
      "value=\"" +
      HtmlEscape(item.id) +
      "\"><div class=\"field\"><label for=\"agency\">Agency</label><input type=\"text\" "
      "id=\"agency\" name=\"agency\" required size=\"30\"></div><div class=\"field\"><label "
      "for=\"share-reason\">Why it receives them</label><input type=\"text\" "
      "id=\"share-reason\" name=\"reason\" required size=\"30\"></div><button "
      "type=\"submit\">Share allowed records</button><p class=\"small muted\">Only records "
      "whose form lists the agency, or with a recorded determination, are shared.</p>"
      "</form></section></div>";
  return body;
}

ConsoleResponse RenderRequest(ConsoleRequest& request, const SunshineRequest& item,
                              std::string_view notice_html, int status = 200) {
  return ConsoleResponse::Page(
      RenderPage(request, "Request " + item.id, RequestBody(request, item, notice_html)), status);
}

// Re-reads the request and shows it with the outcome of an action.
ConsoleResponse AfterAction(ConsoleRequest& request, const std::string& id, const Status& status,
                            const std::string& done) {
  auto item = RequestRepository::Get(request.store->db(), id);
  if (!item.ok()) {
    return ErrorPage(request, 404, item.status().message());
  }
  if (!status.ok()) {
    int code =
        status.code() == StatusCode::kInternal || status.code() == StatusCode::kIoError ? 500 : 400;
    return RenderRequest(request, *item, Notice("bad", status.message()), code);
  }
  return RenderRequest(request, *item, Notice("good", done));
}

std::string EstimateForm(const ConsoleRequest& request, const SunshineRequest& item) {
  // Empty quantities are derived from the records, as `request estimate` does.
  auto field = [&](const char* name, const char* label, const char* placeholder) {
    return "<div><label for=\"" + std::string(name) + "\">" + label +
           "</label><input type=\"text\" size=\"8\" id=\"" + name + "\" name=\"" + name +
           "\" placeholder=\"" + placeholder + "\" value=\"" + HtmlEscape(request.Param(name)) +
           "\"></div>";
  };
  return "<section class=\"card\"><form method=\"post\" action=\"" +
         HtmlEscape(RequestPath(item.id)) + "/estimate\" class=\"filters\">" + CsrfField(request) +
         field("pages", "Pages to copy", "from records") +
         field("clerical_hours", "Duplication hours", "per record") +
         field("research_hours", "Research hours", "0") +
         field("ssn_redactions", "SSNs to redact", "counted") +
         "<div><label for=\"waive\">Waiver reason (public interest)</label><input type=\"text\" "
         "id=\"waive\" name=\"waive\" value=\"" +
         HtmlEscape(request.Param("waive")) + "\"></div>" +
         field("waive_percent", "Waived %", "100") +
         "<div><button type=\"submit\" id=\"estimate\">Estimate and record</button></div></form>"
         "</section>";
}

ConsoleResponse EstimatePage(ConsoleRequest& request, const SunshineRequest& item, bool compute) {
  std::string body = "<p><a href=\"" + HtmlEscape(RequestPath(item.id)) + "\">Back to request " +
                     HtmlEscape(item.id) + "</a> &middot; format: " + HtmlEscape(item.format) +
                     " &middot; " + std::to_string(item.records.size()) +
                     " responsive record(s)</p>" + EstimateForm(request, item);
  if (!compute) {
    return ConsoleResponse::Page(RenderPage(request, "Fee estimate " + item.id, body));
  }
  auto refuse = [&](const Status& status) {
    return ConsoleResponse::Page(
        RenderPage(request, "Fee estimate " + item.id, Notice("bad", status.message()) + body),
        400);
  };
  EstimateOverrides overrides;
  for (auto [name, field] : {std::pair{"pages", &overrides.pages},
                             std::pair{"clerical_hours", &overrides.clerical_hours},
                             std::pair{"research_hours", &overrides.research_hours},
                             std::pair{"ssn_redactions", &overrides.ssn_redactions},
                             std::pair{"waive_percent", &overrides.waiver_percent}}) {
    std::string text = request.Param(name);
    if (text.empty()) {
      continue;
    }
    auto value = ParseEstimateQuantity(name, text);
    if (!value.ok()) {
      return refuse(value.status());
    }
    *field = *value;
  }
  overrides.waiver_reason = request.OptionalParam("waive");
  auto rates = FeeRates::FromConfig(request.store->config());
  if (!rates.ok()) {
    return refuse(rates.status());
  }
  auto inputs = RequestFeeInputs(*request.store, item, overrides);
  if (!inputs.ok()) {
    return refuse(inputs.status());
  }
  auto estimate = EstimateFees(*rates, *inputs);
  if (!estimate.ok()) {
    return refuse(estimate.status());
  }
  auto recorded = InWriteTransaction<JsonObject>(request.store->db(), [&]() {
    return RecordRequestEstimate(*request.store, request.actor(), item, *estimate);
  });
  if (!recorded.ok()) {
    return refuse(recorded.status());
  }
  std::string table =
      "<table id=\"fees\"><thead><tr><th>Item</th><th>Basis</th><th>Quantity</th>"
      "<th>Amount</th></tr></thead><tbody>";
  for (const FeeLine& line : estimate->lines) {
    table += "<tr><td>" + HtmlEscape(line.item) + "</td><td class=\"small\">" +
             HtmlEscape(line.basis) + "</td><td>" + HtmlEscape(line.quantity) +
             "</td><td class=\"num\">" + HtmlEscape(FormatCents(line.amount_cents)) + "</td></tr>";
  }
  if (estimate->lines.empty()) {
    table += "<tr><td colspan=\"4\" class=\"muted\">No chargeable items.</td></tr>";
  }
  table += "<tr><th colspan=\"3\">Subtotal</th><td class=\"num\">" +
           HtmlEscape(FormatCents(estimate->subtotal_cents)) + "</td></tr>";
  if (estimate->waiver_reason) {
    table += "<tr><th colspan=\"3\">Waived: " + HtmlEscape(*estimate->waiver_reason) +
             "</th><td class=\"num\">" + HtmlEscape(FormatCents(-estimate->waived_cents)) +
             "</td></tr>";
  }
  table += "<tr><th colspan=\"3\">Total</th><td class=\"num\"><strong>" +
           HtmlEscape(FormatCents(estimate->total_cents)) + "</strong></td></tr></tbody></table>";
  body += "<h2>Estimate (RSMo 610.026)</h2>" + table +
          "<p class=\"small muted\">Recorded and audited (request.estimate); the cover letter "
          "quotes the latest recorded estimate.</p>";
  return ConsoleResponse::Page(RenderPage(request, "Fee estimate " + item.id, body));
}

ConsoleResponse ExportPackage(ConsoleRequest& request, const std::string& id) {
  auto outcome = ExportRequest(*request.store, *request.clock, request.actor(), id,
                               DefaultPackageDir(*request.store));
  if (!outcome.ok()) {
    return AfterAction(request, id, outcome.status(), "");
  }
  const PublishedPackage& package = outcome->package;
  if (!package.published) {
    std::string list =
        "The package was NOT published: the leak gate found redacted values in "
        "it. Fix the redactions and export again.";
    for (const LeakHit& hit : package.leaks) {
      list.append(" ").append(hit.Describe()).append(".");  // not `" " + string&&`: GCC 12
                                                            // -O3 -Wrestrict false positive
    }
    return AfterAction(request, id, Status::FailedPrecondition(list), "");
  }
  auto item = RequestRepository::Get(request.store->db(), id);
  if (!item.ok()) {
    return ErrorPage(request, 404, item.status().message());
  }
  std::string notice =
      "<div class=\"notice good\" role=\"status\" id=\"export-result\">Published " +
      PackageLink(package.zip.string()) + ": " + std::to_string(package.productions.size()) +
      " record(s), " + std::to_string(package.pages) + " page(s), " +
      std::to_string(package.withheld.size()) + " item(s) withheld. SHA-256 <span class=\"mono\">" +
      HtmlEscape(package.sha256) + "</span>. Leak gate: no redacted value found.</div>";
  return RenderRequest(request, *item, notice);
}

ConsoleResponse RequestGet(ConsoleRequest& request) {
  std::string id;
  std::string action;
  if (!SplitTail(request.Tail("/requests/"), &id, &action) ||
      (!action.empty() && action != "estimate")) {
    return ErrorPage(request, 404, "There is no such request page.");
  }
  auto item = RequestRepository::Get(request.store->db(), id);
  if (!item.ok()) {
    return ErrorPage(request, 404, item.status().message());
  }
  if (action == "estimate") {
    return EstimatePage(request, *item, false);
  }
  return RenderRequest(request, *item, "");
}

ConsoleResponse RequestPost(ConsoleRequest& request) {
  std::string id;
  std::string action;
  if (!SplitTail(request.Tail("/requests/"), &id, &action)) {
    return ErrorPage(request, 404, "There is no such request.");
  }
  Store& store = *request.store;
  if (action == "add" || action == "remove") {
    std::vector<std::int64_t> ids;
    for (const std::string& text : request.Params("record")) {
      auto record_id = ParseRecordId(text);
      if (!record_id.ok()) {
        return AfterAction(request, id, record_id.status(), "");
      }
      ids.push_back(*record_id);
    }
    if (ids.empty()) {
      return AfterAction(request, id, Status::InvalidInput("select at least one record"), "");
    }
    if (action == "add") {
      auto added = InWriteTransaction<int>(store.db(), [&]() {
        return RequestRepository::AddRecords(store, request.actor(), id, ids);
      });
      return AfterAction(
          request, id, added.ok() ? Status() : added.status(),
          added.ok() ? std::to_string(*added) + " record(s) added and put under the request's hold."
                     : "");
    }
    auto removed = InWriteTransaction<int>(store.db(), [&]() {
      return RequestRepository::RemoveRecords(store, request.actor(), id, ids,
                                              request.Param("reason"));
    });
    return AfterAction(request, id, removed.ok() ? Status() : removed.status(),
                       removed.ok() ? std::to_string(*removed) + " record(s) removed." : "");
  }
  if (action == "extend") {
    auto day = ParseDate(request.Param("available_on"));
    if (!day.ok()) {
      return AfterAction(request, id, day.status(), "");
    }
    auto extended = InWriteTransaction<SunshineRequest>(store.db(), [&]() {
      return RequestRepository::Extend(store, request.actor(), id, request.Param("reason"), *day,
                                       *request.clock);
    });
    return AfterAction(
        request, id, extended.ok() ? Status() : extended.status(),
        "Delay recorded; records available on " + request.Param("available_on") + ".");
  }
  if (action == "status") {
    auto settings = RequestSettings::FromConfig(store.config());
    if (!settings.ok()) {
      return AfterAction(request, id, settings.status(), "");
    }
    StatusChange change;
    change.status = request.Param("status");
    change.reason = request.Param("reason");
    change.provision = request.Param("provision");
    change.by_requester = request.OptionalParam("by_requester").has_value();
    auto changed = InWriteTransaction<SunshineRequest>(store.db(), [&]() {
      return RequestRepository::SetStatus(store, request.actor(), id, change, *settings,
                                          *request.clock);
    });
    return AfterAction(request, id, changed.ok() ? Status() : changed.status(),
                       "Status is now " + change.status + ".");
  }
  if (action == "estimate") {
    auto item = RequestRepository::Get(store.db(), id);
    if (!item.ok()) {
      return ErrorPage(request, 404, item.status().message());
    }
    return EstimatePage(request, *item, true);
  }
  if (action == "export") {
    return ExportPackage(request, id);
  }
  return ErrorPage(request, 404, "There is no such request action.");
}

// Packages are published in HOME/output/packages; only a plain file name directly inside it
// is served (no "..", no sub-folders, no symlinks out).
ConsoleResponse PackageDownload(ConsoleRequest& request) {
  std::string name(request.Tail("/packages/"));
  auto file = FileInside(DefaultPackageDir(*request.store), name);
  if (!file || file->extension() != ".zip") {
    return ErrorPage(request, 404, "No such package.");
  }
  ConsoleResponse response;
  response.file = *file;
  response.download_name = name;
  response.content_type = "application/zip";
  return response;
}

std::string ShareForm(const ConsoleRequest& request) {
  return "<section class=\"card\"><form method=\"post\" action=\"/share\">" + CsrfField(request) +
         "<div class=\"field\"><label for=\"agency\">Agency</label><input type=\"text\" "
         "id=\"agency\" name=\"agency\" required size=\"40\" value=\"" +
         HtmlEscape(request.Param("agency")) +
         "\"></div><div class=\"field\"><label for=\"reason\">Why the agency receives them"
         "</label><input type=\"text\" id=\"reason\" name=\"reason\" required size=\"40\" "
         "value=\"" +
         HtmlEscape(request.Param("reason")) +
         "\"></div><div class=\"field\"><label for=\"request\">Request (its records)</label>"
         "<input type=\"text\" id=\"request\" name=\"request\" size=\"12\" value=\"" +
         HtmlEscape(request.Param("request")) +
         "\"></div><div class=\"field\"><label for=\"records\">or record ids (space separated)"
         "</label><input type=\"text\" id=\"records\" name=\"records\" size=\"40\" value=\"" +
         HtmlEscape(request.Param("records")) +
         "\"></div><button type=\"submit\" id=\"share\">Share allowed records</button><p "
         "class=\"small muted\">Only records whose form definition lists the agency, or for "
         "which an officer recorded a determination ('sunshine share determine'), are shared; "
         "the rest are refused with the reason. Closed personal data stays redacted.</p></form>"
         "</section>";
}

ConsoleResponse SharePage(ConsoleRequest& request) {
  return ConsoleResponse::Page(RenderPage(request, "Share with an agency", ShareForm(request)));
}

ConsoleResponse ShareSubmit(ConsoleRequest& request) {
  auto fail = [&](const std::string& message, int code) {
    return ConsoleResponse::Page(
        RenderPage(request, "Share with an agency", Notice("bad", message) + ShareForm(request)),
        code);
  };
  std::vector<std::int64_t> ids;
  std::string words = request.Param("records");
  for (std::size_t at = 0; at < words.size();) {
    std::size_t end = words.find_first_of(" ,", at);
    std::string word = words.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (!word.empty()) {
      auto id = ParseRecordId(word);
      if (!id.ok()) {
        return fail(id.status().message(), 400);
      }
      ids.push_back(*id);
    }
    if (end == std::string::npos) {
      break;
    }
    at = end + 1;
  }
  auto request_id = request.OptionalParam("request");
  if (!request_id && ids.empty()) {
    return fail("Give a request or record ids.", 400);
  }
  std::vector<ShareDecision> decisions;
  auto outcome = ShareWithAgency(*request.store, *request.clock, request.actor(),
                                 request.Param("agency"), request.Param("reason"), request_id, ids,
                                 DefaultPackageDir(*request.store), &decisions);
  std::string refused;
  for (const ShareDecision& decision : decisions) {
    if (!decision.allowed) {
      refused += "<li>record " + std::to_string(decision.record_id) + ": " +
                 HtmlEscape(decision.basis) + "</li>";
    }
  }
  std::string refused_html =
      refused.empty() ? "" : "<h2>Refused</h2><ul id=\"refused\">" + refused + "</ul>";
  if (!outcome.ok()) {
    return ConsoleResponse::Page(
        RenderPage(request, "Share with an agency",
                   Notice("bad", outcome.status().message()) + refused_html + ShareForm(request)),
        400);
  }
  if (!outcome->package.published) {
    return fail("The package was NOT published: the leak gate found a redacted value in it.", 409);
  }
  std::string body = "<div class=\"notice good\" role=\"status\">Shared with " +
                     HtmlEscape(request.Param("agency")) + ": " +
                     PackageLink(outcome->package.zip.string()) + " (" +
                     std::to_string(outcome->package.productions.size()) +
                     " record(s)). Recorded in the disclosure accounting.</div>" + refused_html;
  return ConsoleResponse::Page(RenderPage(request, "Share with an agency", body));
}

}  // namespace

std::string StatusBadgeHtml(const SunshineRequest& request, SysDays today) {
  std::string html = "<span class=\"badge\">" + HtmlEscape(request.status) + "</span>";
  if (request.Overdue(today)) {
    html += " <span class=\"badge bad\">overdue</span>";
  }
  return html;
}

std::vector<ConsoleRoute> RequestPages() {
  return {
      {"GET", "/requests/", true, kOfficer, RequestGet, ""},
      {"POST", "/requests/", true, kOfficer, RequestPost, ""},
      {"GET", "/share", false, kOfficer, SharePage, "Share"},
      {"POST", "/share", false, kOfficer, ShareSubmit, ""},
      {"GET", "/packages/", true, kOfficer | kCompliance, PackageDownload, ""},
  };
}

}  // namespace sunshine::web
