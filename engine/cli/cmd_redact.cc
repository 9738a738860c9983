// sunshine redact run | show | add | remove: compute, review and correct the redactions stored
// per record. Redaction never changes the record, so records under a hold can be reviewed.
#include <map>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/redact/redactor.h"
#include "engine/store/database.h"

namespace sunshine {

namespace {

Result<std::int64_t> ParseId(const std::string& text) {
  try {
    std::size_t used = 0;
    long long id = std::stoll(text, &used);
    if (used == text.size() && id > 0) {
      return static_cast<std::int64_t>(id);
    }
  } catch (const std::exception&) {
  }
  return Status::InvalidInput("not a record id: " + text);
}

// "A:B" -> [A, B)
bool ParseSpan(const std::string& text, std::int64_t* start, std::int64_t* end) {
  std::size_t colon = text.find(':');
  if (colon == std::string::npos) {
    return false;
  }
  try {
    std::size_t used = 0;
    *start = std::stoll(text.substr(0, colon), &used);
    if (used != colon) {
      return false;
    }
    std::string rest = text.substr(colon + 1);
    *end = std::stoll(rest, &used);
    return used == rest.size() && *start >= 0 && *end > *start;
  } catch (const std::exception&) {
    return false;
  }
}

int RunRun(CommandContext& context) {
  Database& db = context.store->db();
  auto redactor = Redactor::Create(*context.store);
  if (!redactor.ok()) {
    return context.Fail(redactor.status());
  }
  std::vector<std::int64_t> ids;
  if (context.args.positionals().empty()) {
    Status status = db.Query(
        "SELECT id FROM records WHERE status = 'active' AND id NOT IN "
        "(SELECT record_id FROM redaction_runs) ORDER BY id",
        {}, [&](const Row& row) {
          ids.push_back(row.Int(0));
          return Status();
        });
    if (!status.ok()) {
      return context.Fail(status);
    }
  } else {
    for (const std::string& text : context.args.positionals()) {
      auto id = ParseId(text);
      if (!id.ok()) {
        return context.UsageError(id.status().message());
      }
      ids.push_back(*id);
    }
  }
  std::int64_t computed = 0;
  std::int64_t present = 0;
  std::int64_t failed = 0;
  Progress progress("redact run", static_cast<std::int64_t>(ids.size()), context.progress_mode(),
                    context.Err());
  for (std::int64_t id : ids) {
    // One transaction per record: a kill loses at most the record in hand, and a rerun
    // computes only what is missing.
    auto transaction = Transaction::Begin(db);
    if (!transaction.ok()) {
      return context.Fail(transaction.status());
    }
    auto done = redactor->EnsureResults(*context.store, context.actor, id);
    Status status = done.ok() ? (*transaction)->Commit() : done.status();
    if (!status.ok()) {
      ++failed;
      context.Err() << "sunshine: record " << id << ": " << status.ToString() << '\n';
    } else if (*done) {
      ++computed;
    } else {
      ++present;
    }
    progress.Add();
  }
  progress.Finish();
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("computed", computed);
    out->set("already_present", present);
    out->set("failed", failed);
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "redact run: " << computed << " records computed, " << present
                  << " already had results, " << failed << " failed\n";
  }
  return failed > 0 ? kExitProblems : kExitOk;
}

void ShowOptions(Poco::Util::OptionSet& options) {
  options.addOption(FlagOption("text", "also print the redacted text of every part"));
}

int RunShow(CommandContext& context) {
  if (context.args.positionals().size() != 1) {
    return context.UsageError("give one record ID");
  }
  auto id = ParseId(context.args.positionals()[0]);
  if (!id.ok()) {
    return context.UsageError(id.status().message());
  }
  auto redactor = Redactor::Create(*context.store);
  if (!redactor.ok()) {
    return context.Fail(redactor.status());
  }
  Database& db = context.store->db();
  auto output = redactor->Redact(*context.store, *id);
  if (!output.ok()) {
    return context.Fail(output.status());
  }
  auto stored = Redactor::HasResults(db, *id);
  if (!stored.ok()) {
    return context.Fail(stored.status());
  }
  // Stored rows (with removed ones) when computed; otherwise the preview Redact() made.
  std::vector<Redactor::StoredEntry> rows;
  if (*stored) {
    Status status = Redactor::ListStored(db, *id, &rows);
    if (!status.ok()) {
      return context.Fail(status);
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
  const RedactedRecord& record = output->record;
  auto parts = [&]() {
    std::vector<std::pair<std::string, std::string>> list = {{"title", record.title()},
                                                             {"sender", record.sender()},
                                                             {"sender_name", record.sender_name()},
                                                             {"recipients", record.recipients()},
                                                             {"body", record.body()}};
    for (const auto& field : record.fields()) {
      list.emplace_back("field:" + field.name, field.value);
    }
    for (const auto& attachment : record.attachments()) {
      list.emplace_back("attachment-name:" + std::to_string(attachment.ordinal),
                        attachment.filename);
      if (attachment.text) {
        list.emplace_back("attachment:" + std::to_string(attachment.ordinal), *attachment.text);
      }
    }
    return list;
  };
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("record", *id);
    out->set("stored", *stored);
    JsonArray list = NewJsonArray();
    for (const auto& row : rows) {
      JsonObject item = NewJsonObject();
      item->set("id", row.entry.id);
      item->set("part", row.entry.part);
      item->set("start", row.entry.start);
      item->set("end", row.entry.end);
      item->set("category", row.entry.category);
      item->set("rule", row.entry.rule);
      item->set("reason", row.entry.reason);
      item->set("citation", row.entry.citation);
      item->set("description", row.entry.description);
      item->set("origin", row.entry.origin);
      item->set("state", row.state);
      std::string marker = row.state == "preview" ? row.entry.marker : markers[row.entry.id];
      if (!marker.empty()) {
        item->set("marker", marker);
      }
      if (!row.change_note.empty()) {
        item->set("changed_by", row.changed_by);
        item->set("change_note", row.change_note);
      }
      list->add(item);
    }
    out->set("redactions", list);
    if (context.args.Has("text")) {
      JsonObject texts = NewJsonObject();
      for (const auto& [name, text] : parts()) {
        texts->set(name, text);
      }
      out->set("parts", texts);
    }
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  context.Out() << "record " << *id << ": " << rows.size() << " redactions"
                << (*stored ? "" : " (preview: not stored yet; `sunshine redact run` stores them)")
                << '\n';
  for (const auto& row : rows) {
    std::string marker = row.state == "preview" ? row.entry.marker : markers[row.entry.id];
    context.Out() << "  " << (row.entry.id > 0 ? "#" + std::to_string(row.entry.id) : "-") << "  "
                  << row.entry.part << " " << row.entry.start << ":" << row.entry.end << "  "
                  << row.entry.category << "  " << row.entry.rule << "  " << row.entry.reason
                  << "  " << row.entry.citation << "  " << row.entry.origin << "  " << row.state;
    if (!marker.empty()) {
      context.Out() << "  " << marker;
    }
    if (!row.change_note.empty()) {
      context.Out() << "  (" << row.changed_by << ": " << row.change_note << ")";
    }
    context.Out() << '\n';
  }
  if (context.args.Has("text")) {
    for (const auto& [name, text] : parts()) {
      if (!text.empty()) {
        context.Out() << "--- " << name << '\n' << text << '\n';
      }
    }
  }
  return kExitOk;
}

void EditOptions(Poco::Util::OptionSet& options) {
  options.addOption(
      ValueOption("span", "A:B", "byte range in the part's original text, end exclusive"));
  options.addOption(ValueOption("part", "PART",
                                "body (default), title, sender, sender_name, recipients, "
                                "field:NAME, attachment:N, attachment-name:N"));
  options.addOption(ValueOption(
      "reason", "CODE", "add: a reason code of the policy; remove: why the span is released"));
}

int RunEdit(CommandContext& context, bool add) {
  if (context.args.positionals().size() != 1) {
    return context.UsageError("give one record ID");
  }
  auto id = ParseId(context.args.positionals()[0]);
  if (!id.ok()) {
    return context.UsageError(id.status().message());
  }
  std::int64_t start = 0;
  std::int64_t end = 0;
  if (!ParseSpan(context.args.Get("span"), &start, &end)) {
    return context.UsageError("--span A:B is required (byte offsets, A < B)");
  }
  std::string reason = context.args.Get("reason");
  if (reason.empty()) {
    return context.UsageError("--reason CODE is required");
  }
  std::string part = context.args.Get("part", "body");
  auto redactor = Redactor::Create(*context.store);
  if (!redactor.ok()) {
    return context.Fail(redactor.status());
  }
  auto transaction = Transaction::Begin(context.store->db());
  if (!transaction.ok()) {
    return context.Fail(transaction.status());
  }
  std::string message;
  if (add) {
    auto row = redactor->AddManual(*context.store, context.actor, *id, part, start, end, reason);
    if (!row.ok()) {
      return context.Fail(row.status());
    }
    message = "added redaction #" + std::to_string(*row);
  } else {
    auto count = redactor->RemoveSpan(*context.store, context.actor, *id, part, start, end, reason);
    if (!count.ok()) {
      return context.Fail(count.status());
    }
    message = "released " + std::to_string(*count) + " redaction(s)";
  }
  Status status = (*transaction)->Commit();
  if (!status.ok()) {
    return context.Fail(status);
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("record", *id);
    out->set("part", part);
    out->set("start", start);
    out->set("end", end);
    out->set("result", message);
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "record " << *id << " " << part << " " << start << ":" << end << ": "
                  << message << '\n';
  }
  return kExitOk;
}

int RunAdd(CommandContext& context) { return RunEdit(context, true); }
int RunRemove(CommandContext& context) { return RunEdit(context, false); }

}  // namespace

std::vector<CommandSpec> RedactCommands() {
  return {
      {"redact run", "compute and store redactions for records that have none", "[ID...] [--json]",
       "Runs the PII detectors and the redaction policy (configuration key redaction.policy,\n"
       "docs/formats/redaction-policy.md) over each record lacking stored results: every active\n"
       "record without IDs, else the records named. Each record is one transaction with a\n"
       "`redact.compute` audit event; rerunning computes only what is missing. The record itself\n"
       "is never changed, so records under a legal hold are included. Exit 1 if any failed.",
       StoreAccess::kReadWrite, nullptr, RunRun},
      {"redact show", "list a record's redactions (and its redacted text)", "ID [--text] [--json]",
       "Lists each withheld span: id, part, byte range in the original part, category, rule,\n"
       "reason code, statute cited, origin (auto|manual), state (active|removed) and the marker\n"
       "that replaces it. --text also prints the redacted text of every part. Never prints a\n"
       "withheld value. Before `redact run`, shows a preview computed on the fly.",
       StoreAccess::kReadOnly, ShowOptions, RunShow},
      {"redact add", "withhold a span the detectors missed",
       "ID --span A:B [--part PART] --reason CODE",
       "Adds a manual redaction of bytes A..B (end exclusive) of PART (default body) for the\n"
       "policy's reason CODE (e.g. ssn, card, private-personal-data). Audited as `redact.add`\n"
       "with the actor and reason.",
       StoreAccess::kReadWrite, EditOptions, RunAdd},
      {"redact remove", "release redactions a reviewer found wrong",
       "ID --span A:B [--part PART] --reason CODE",
       "Releases every active redaction of PART (default body) lying within bytes A..B; CODE says\n"
       "why (e.g. false-positive, public-official). The row stays, marked removed, and the change\n"
       "is audited as `redact.remove` with the actor and reason.",
       StoreAccess::kReadWrite, EditOptions, RunRemove},
  };
}

}  // namespace sunshine
