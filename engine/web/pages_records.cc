// Reviewing a record's redactions: the spans with their reasons and statutes, the redacted
// text, and adding or removing a redaction with a reason. The same Redactor calls as
// `sunshine redact show|add|remove` (cmd_redact.cc).
#include <map>

#include "engine/records/record_repository.h"
#include "engine/redact/policy.h"
#include "engine/redact/redactor.h"
#include "engine/web/console_page.h"
#include "engine/web/html.h"
#include "engine/web/officer_common.h"

namespace sunshine::web {

namespace {

std::string RedactionsPath(std::int64_t id) {
  return "/records/" + std::to_string(id) + "/redactions";
}

bool SplitTail(std::string_view tail, std::int64_t* id, std::string* action) {
  std::size_t slash = tail.find('/');
  if (slash == std::string_view::npos) {
    return false;
  }
  auto parsed = ParseRecordId(tail.substr(0, slash));
  if (!parsed.ok()) {
    return false;
  }
  *id = *parsed;
  *action = std::string(tail.substr(slash + 1));
  return true;
}

// The text of a part in the ORIGINAL record, for turning "withhold this text" into the byte
// range the Redactor takes. Never shown.
std::optional<std::string> OriginalPart(const Record& record, std::string_view part) {
  if (part == "title") return record.title;
  if (part == "sender") return record.sender;
  if (part == "sender_name") return record.sender_name;
  if (part == "body") return record.body;
  if (part == "recipients") {
    std::string joined;
    for (const std::string& address : record.recipients) {
      joined += (joined.empty() ? "" : ", ") + address;
    }
    return joined;
  }
  if (part.rfind("field:", 0) == 0) {
    for (const FormFieldValue& field : record.fields) {
      if (field.name == part.substr(6)) return field.value;
    }
  }
  for (const StoredAttachment& attachment : record.attachments) {
    if (part == "attachment:" + std::to_string(attachment.ordinal)) return attachment.text;
    if (part == "attachment-name:" + std::to_string(attachment.ordinal)) return attachment.filename;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> RedactedParts(const RedactedRecord& record) {
  std::vector<std::pair<std::string, std::string>> list = {{"title", record.title()},
                                                           {"sender", record.sender()},
                                                           {"sender_name", record.sender_name()},
                                                           {"recipients", record.recipients()},
                                                           {"body", record.body()}};
  for (const auto& field : record.fields()) {
    list.emplace_back("field:" + field.name, field.value);
  }
  for (const auto& attachment : record.attachments()) {
    list.emplace_back("attachment-name:" + std::to_string(attachment.ordinal), attachment.filename);
    if (attachment.text) {
      list.emplace_back("attachment:" + std::to_string(attachment.ordinal), *attachment.text);
    }
  }
  return list;
}

ConsoleResponse ReviewPage(ConsoleRequest& request, std::int64_t id, std::string_view notice_html,
                           int code = 200) {
  std::string title = "Redactions of record " + std::to_string(id);
  auto redactor = Redactor::Create(*request.store);
  if (!redactor.ok()) {
    return ErrorPage(request, 500, redactor.status().message());
  }
  auto output = redactor->Redact(*request.store, id);
  if (!output.ok()) {
    return ErrorPage(request, output.status().code() == StatusCode::kNotFound ? 404 : 400,
                     output.status().message());
  }
  auto stored = Redactor::HasResults(request.store->db(), id);
  if (!stored.ok()) {
    return ErrorPage(request, 500, stored.status().message());
  }
  std::vector<Redactor::StoredEntry> rows;
  if (*stored) {
    Status status = Redactor::ListStored(request.store->db(), id, &rows);
    if (!status.ok()) {
      return ErrorPage(request, 500, status.message());
    }
  } else {
    for (const RedactionLogEntry& entry : output->record.log()) {
      Redactor::StoredEntry row;
      row.entry = entry;
      row.state = "preview";
      rows.push_back(row);
    }
  }
  std::map<std::int64_t, std::string> markers;
  for (const RedactionLogEntry& entry : output->record.log()) {
    markers[entry.id] = entry.marker;
  }
  std::string back;
  if (auto from = request.OptionalParam("request")) {
    back = "<a href=\"/requests/" + HtmlEscape(UrlEncode(*from)) + "\">Back to request " +
           HtmlEscape(*from) + "</a> &middot; ";
  }
  std::string keep_request = request.OptionalParam("request")
                                 ? "<input type=\"hidden\" name=\"request\" value=\"" +
                                       HtmlEscape(request.Param("request")) + "\">"
                                 : "";
  std::string action_query =
      request.OptionalParam("request") ? "?request=" + UrlEncode(request.Param("request")) : "";
  std::string body(notice_html);
  body += "<p>" + back + HtmlEscape(output->record.title()) + "</p>";
  if (!*stored) {
    body += Notice("info",
                   "Preview: these redactions are computed on the fly and not stored yet. "
                   "'sunshine redact run' (or the nightly run) stores them; so does the button "
                   "below, or adding a redaction here. Stored ones can be removed one by one.");
    body += "<form method=\"post\" action=\"" + RedactionsPath(id) + "/compute" +
            HtmlEscape(action_query) + "\">" + CsrfField(request) +
            "<p><button type=\"submit\" id=\"compute\">Store the automatic redactions</button>"
            "</p></form>";
  }
  body +=
      "<table id=\"redactions\"><thead><tr><th>#</th><th>Part</th><th>Bytes</th>"
      "<th>Category</th><th>Reason</th><th>Statute</th><th>Origin</th><th>State</th>"
      "<th>Marker / note</th><th>Remove</th></tr></thead><tbody>";
  for (const Redactor::StoredEntry& row : rows) {
    const RedactionLogEntry& entry = row.entry;
    std::string marker = row.state == "preview" ? entry.marker : markers[entry.id];
    std::string note = HtmlEscape(marker);
    if (!row.change_note.empty()) {
      note += "<br><span class=\"small muted\">" + HtmlEscape(row.changed_by) + ": " +
              HtmlEscape(row.change_note) + "</span>";
    }
    std::string remove;
    if (row.state == "active") {
      remove = "<form method=\"post\" class=\"inline\" action=\"" + RedactionsPath(id) + "/remove" +
               HtmlEscape(action_query) + "\">" + CsrfField(request) +
               "<input type=\"hidden\" name=\"part\" value=\"" + HtmlEscape(entry.part) +
               "\"><input type=\"hidden\" name=\"span\" value=\"" + std::to_string(entry.start) +
               ":" + std::to_string(entry.end) +
               "\"><input type=\"text\" name=\"reason\" required size=\"12\" "
               "placeholder=\"false-positive\" aria-label=\"why release\"> <button "
               "type=\"submit\" class=\"secondary\">Remove</button></form>";
    }
    body += "<tr><td class=\"num\">" + (entry.id > 0 ? std::to_string(entry.id) : "-") +
            "</td><td>" + HtmlEscape(entry.part) + "</td><td class=\"mono\">" +
            std::to_string(entry.start) + ":" + std::to_string(entry.end) + "</td><td>" +
            HtmlEscape(entry.category) + "</td><td>" + HtmlEscape(entry.reason) +
            "<br><span class=\"small muted\">" + HtmlEscape(entry.description) +
            "</span></td><td>" + HtmlEscape(entry.citation) + "</td><td>" +
            HtmlEscape(entry.origin) + "</td><td>" + HtmlEscape(row.state) +
            "</td><td class=\"small\">" + note + "</td><td>" + remove + "</td></tr>";
  }
  if (rows.empty()) {
    body += "<tr><td colspan=\"10\" class=\"muted\">Nothing is withheld in this record.</td></tr>";
  }
  body += "</tbody></table>";

  // Adding a redaction the detectors missed.
  std::string parts_options;
  std::string redacted_text;
  for (const auto& [name, text] : RedactedParts(output->record)) {
    parts_options += "<option value=\"" + HtmlEscape(name) + "\"" +
                     (name == "body" ? " selected" : "") + ">" + HtmlEscape(name) + "</option>";
    if (!text.empty()) {
      redacted_text +=
          "<h3>" + HtmlEscape(name) + "</h3><pre class=\"text\">" + HtmlEscape(text) + "</pre>";
    }
  }
  std::string reasons;
  if (auto policy = ParseRedactionPolicy(DefaultRedactionPolicyText(), "default policy");
      policy.ok()) {
    for (const auto& [code, reason] : policy->reasons) {
      reasons += "<option value=\"" + HtmlEscape(code) + "\">" + HtmlEscape(reason.description) +
                 " (" + HtmlEscape(reason.citation) + ")</option>";
    }
  }
  body +=
      "<h2>Withhold something the detectors missed</h2><section class=\"card\"><form "
      "method=\"post\" action=\"" +
      RedactionsPath(id) + "/add" + HtmlEscape(action_query) + "\" class=\"filters\">" +
      CsrfField(request) + keep_request +
      "<div><label for=\"part\">Part</label><select id=\"part\" name=\"part\">" + parts_options +
      "</select></div><div><label for=\"text\">Exact text to withhold</label><input "
      "type=\"text\" id=\"text\" name=\"text\" size=\"24\"></div><div><label "
      "for=\"span\">or bytes A:B</label><input type=\"text\" id=\"span\" name=\"span\" "
      "size=\"9\"></div><div><label for=\"reason\">Reason code</label><input type=\"text\" "
      "id=\"reason\" name=\"reason\" required list=\"reason-codes\" size=\"22\"><datalist "
      "id=\"reason-codes\">" +
      reasons +
      "</datalist></div><div><button type=\"submit\" id=\"add-redaction\">Withhold</button>"
      "</div></form></section>";
  body += "<h2>Redacted text</h2>" + redacted_text;
  return ConsoleResponse::Page(RenderPage(request, title, body), code);
}

bool ParseSpan(std::string_view text, std::int64_t* start, std::int64_t* end) {
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return false;
  }
  auto a = ParseRecordId(text.substr(0, colon));
  auto b = ParseRecordId(text.substr(colon + 1));
  *start = text.substr(0, colon) == "0" ? 0 : (a.ok() ? *a : -1);
  *end = b.ok() ? *b : -1;
  return *start >= 0 && *end > *start;
}

ConsoleResponse RecordGet(ConsoleRequest& request) {
  std::int64_t id = 0;
  std::string action;
  if (!SplitTail(request.Tail("/records/"), &id, &action) || action != "redactions") {
    return ErrorPage(request, 404, "There is no such record page.");
  }
  return ReviewPage(request, id, "");
}

ConsoleResponse RecordPost(ConsoleRequest& request) {
  std::int64_t id = 0;
  std::string action;
  if (!SplitTail(request.Tail("/records/"), &id, &action) ||
      (action != "redactions/add" && action != "redactions/remove" &&
       action != "redactions/compute")) {
    return ErrorPage(request, 404, "There is no such record action.");
  }
  if (action == "redactions/compute") {
    auto redactor = Redactor::Create(*request.store);
    if (!redactor.ok()) {
      return ErrorPage(request, 500, redactor.status().message());
    }
    auto computed = InWriteTransaction<bool>(request.store->db(), [&]() {
      return redactor->EnsureResults(*request.store, request.actor(), id);
    });
    if (!computed.ok()) {
      return ReviewPage(request, id, Notice("bad", computed.status().message()), 400);
    }
    return ReviewPage(request, id,
                      Notice("good", *computed ? "Automatic redactions stored."
                                               : "The redactions were already stored."));
  }
  bool add = action == "redactions/add";
  std::string part = request.OptionalParam("part").value_or("body");
  std::string reason = request.Param("reason");
  if (reason.empty()) {
    return ReviewPage(request, id, Notice("bad", "A reason is required."), 400);
  }
  std::int64_t start = 0;
  std::int64_t end = 0;
  if (auto text = request.OptionalParam("text"); add && text && !request.OptionalParam("span")) {
    auto record = RecordRepository::Get(request.store->db(), id);
    if (!record.ok()) {
      return ErrorPage(request, 404, record.status().message());
    }
    auto original = OriginalPart(*record, part);
    std::size_t at = original ? original->find(*text) : std::string::npos;
    if (at == std::string::npos) {
      return ReviewPage(request, id,
                        Notice("bad", "That text does not occur in the part '" + part + "'."), 400);
    }
    start = static_cast<std::int64_t>(at);
    end = start + static_cast<std::int64_t>(text->size());
  } else if (!ParseSpan(request.Param("span"), &start, &end)) {
    return ReviewPage(request, id,
                      Notice("bad", "Give the exact text, or bytes as A:B with A < B."), 400);
  }
  auto redactor = Redactor::Create(*request.store);
  if (!redactor.ok()) {
    return ErrorPage(request, 500, redactor.status().message());
  }
  Store& store = *request.store;
  std::string done;
  auto result = InWriteTransaction<int>(store.db(), [&]() -> Result<int> {
    if (add) {
      auto ensured = redactor->EnsureResults(store, request.actor(), id);
      if (!ensured.ok()) {
        return ensured.status();
      }
      auto row = redactor->AddManual(store, request.actor(), id, part, start, end, reason);
      if (!row.ok()) {
        return row.status();
      }
      done = "Added redaction #" + std::to_string(*row) + ".";
      return 1;
    }
    auto count = redactor->RemoveSpan(store, request.actor(), id, part, start, end, reason);
    if (!count.ok()) {
      return count.status();
    }
    done = "Released " + std::to_string(*count) + " redaction(s).";
    return *count;
  });
  if (!result.ok()) {
    return ReviewPage(request, id, Notice("bad", result.status().message()), 400);
  }
  return ReviewPage(request, id, Notice("good", done));
}

}  // namespace

std::vector<ConsoleRoute> RecordPages() {
  return {
      {"GET", "/records/", true, kOfficer, RecordGet, ""},
      {"POST", "/records/", true, kOfficer, RecordPost, ""},
  };
}

}  // namespace sunshine::web
