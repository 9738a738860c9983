// sunshine records search | show | list: finding and reading stored records.
#include <Poco/JSON/Parser.h>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/retention/classification.h"

namespace sunshine {

namespace {

void FilterOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("kind", "mail|form", "only records of this kind"));
  options.addOption(ValueOption("from", "DATE", "received on or after DATE (YYYY-MM-DD or time)"));
  options.addOption(
      ValueOption("to", "DATE", "received on or before DATE (a date: the whole day)"));
  options.addOption(ValueOption("sender", "ADDR", "only records from this address (any case)"));
  options.addOption(ValueOption("limit", "N", "at most N records"));
  options.addOption(FlagOption("include-inactive", "also destroyed and transferred records"));
  options.addOption(FlagOption("unclassified",
                               "only active records with no retention schedule item (the review "
                               "queue; see also 'sunshine classify queue')"));
}

// Fills `filter` from the options; a usage problem comes back as a message.
std::optional<std::string> ReadFilter(const CommandContext& context, RecordFilter& filter) {
  if (auto kind = context.args.Optional("kind")) {
    filter.kind = ParseRecordKind(*kind);
    if (!filter.kind) {
      return "--kind must be mail or form, not '" + *kind + "'";
    }
  }
  for (const char* key : {"from", "to"}) {
    auto value = context.args.Optional(key);
    if (!value) {
      continue;
    }
    auto parsed = ParseDateTime(*value);
    if (!parsed.ok()) {
      return std::string("--") + key + ": " + parsed.status().message();
    }
    std::int64_t epoch = ToEpoch(*parsed);
    if (std::string(key) == "from") {
      filter.received_from = epoch;
    } else {
      // --to is inclusive: a bare date covers that whole day.
      filter.received_to = value->size() == 10 ? epoch + 86400 : epoch + 1;
    }
  }
  filter.sender = context.args.Optional("sender");
  filter.include_inactive = context.args.Has("include-inactive");
  if (auto limit = context.args.Optional("limit")) {
    try {
      filter.limit = std::stoll(*limit);
    } catch (const std::exception&) {
      return "--limit needs a number";
    }
    if (filter.limit < 0) {
      return "--limit needs a positive number";
    }
  }
  return std::nullopt;
}

std::string DateText(const std::optional<std::int64_t>& epoch) {
  return epoch ? FormatUtc(FromEpoch(*epoch)) : std::string("(no date)");
}

JsonArray StringsJson(const std::vector<std::string>& values) {
  JsonArray array = NewJsonArray();
  for (const std::string& value : values) {
    array->add(value);
  }
  return array;
}

JsonObject SummaryJson(const Record& record) {
  JsonObject out = NewJsonObject();
  out->set("id", record.id);
  out->set("kind", std::string(RecordKindName(record.kind)));
  if (record.received_at) {
    out->set("received_at", FormatUtc(FromEpoch(*record.received_at)));
  } else {
    out->set("received_at", Poco::Dynamic::Var());
  }
  out->set("received_source", record.received_source);
  out->set("title", record.title);
  out->set("sender", record.sender);
  out->set("sender_name", record.sender_name);
  out->set("folder", record.folder);
  if (record.form_id) {
    out->set("form_id", *record.form_id);
  }
  out->set("flags", StringsJson(record.flags));
  out->set("status", record.status);
  out->set("attachments", static_cast<std::int64_t>(record.attachments.size()));
  if (record.duplicate_of) {
    out->set("duplicate_of", *record.duplicate_of);
  }
  return out;
}

std::string SummaryLine(const Record& record) {
  std::string line = std::to_string(record.id) + "  " + DateText(record.received_at) + "  " +
                     std::string(RecordKindName(record.kind)) + "  " +
                     (record.sender.empty() ? std::string("-") : record.sender) + "  " +
                     (record.title.empty() ? std::string("(no subject)") : record.title);
  if (!record.attachments.empty()) {
    line += "  [" + std::to_string(record.attachments.size()) + " attachment(s)]";
  }
  if (!record.flags.empty()) {
    line += "  {";
    for (std::size_t i = 0; i < record.flags.size(); ++i) {
      line += (i > 0 ? "," : "") + record.flags[i];
    }
    line += "}";
  }
  if (record.status != "active") {
    line += "  (" + record.status + ")";
  }
  return line;
}

int ListOrSearch(CommandContext& context, const std::optional<std::string>& query) {
  RecordFilter filter;
  if (auto problem = ReadFilter(context, filter)) {
    return context.UsageError(*problem);
  }
  std::int64_t count = 0;
  bool unclassified = context.args.Has("unclassified");
  auto visit = [&](const Record& record) {
    if (unclassified) {  // the retention review queue (engine/retention/classification.h)
      auto classification = GetClassification(context.store->db(), record.id);
      if (!classification.ok()) {
        return classification.status();
      }
      if (classification->has_value() || record.status != "active") {
        return Status();
      }
    }
    ++count;
    if (context.global.json) {
      context.Out() << ToJson(SummaryJson(record)) << '\n';
    } else {
      context.Out() << SummaryLine(record) << '\n';
    }
    return Status();
  };
  Status status = query ? RecordRepository::Search(context.store->db(), *query, filter, visit)
                        : RecordRepository::List(context.store->db(), filter, visit);
  if (!status.ok()) {
    if (status.code() == StatusCode::kInvalidInput) {
      return context.UsageError(status.message());
    }
    return context.Fail(status);
  }
  if (!context.global.json) {
    context.Note(std::to_string(count) + " record(s)");
  }
  return kExitOk;
}

int RunSearch(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.empty()) {
    return context.UsageError("records search needs a QUERY");
  }
  std::string query;
  for (const std::string& word : words) {
    query += (query.empty() ? "" : " ") + word;
  }
  return ListOrSearch(context, query);
}

int RunList(CommandContext& context) {
  if (!context.args.positionals().empty()) {
    return context.UsageError("records list takes no arguments (use records search QUERY)");
  }
  return ListOrSearch(context, std::nullopt);
}

void ShowOptions(Poco::Util::OptionSet& options) {
  options.addOption(
      ValueOption("purpose", "TEXT", "why the record is read (recorded in the audit trail)"));
}

Poco::Dynamic::Var ParsedMetadata(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text);
  } catch (const Poco::Exception&) {
    return text;
  }
}

int RunShow(CommandContext& context) {
  const auto& args = context.args.positionals();
  if (args.size() != 1) {
    return context.UsageError("records show needs exactly one record ID");
  }
  std::int64_t id = 0;
  try {
    std::size_t used = 0;
    id = std::stoll(args[0], &used);
    if (used != args[0].size()) {
      throw std::invalid_argument(args[0]);
    }
  } catch (const std::exception&) {
    return context.UsageError("record ID must be a number, not '" + args[0] + "'");
  }
  Database& db = context.store->db();
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return context.Fail(txn.status());
  }
  auto record = RecordRepository::Get(db, id);
  if (!record.ok()) {
    return context.Fail(record.status());
  }
  // A person reads the content: that is an access event in the trail.
  Status audited = RecordRepository::AuditAccess(db, context.actor, id,
                                                 context.args.Get("purpose", "records show"));
  if (!audited.ok()) {
    return context.Fail(audited);
  }
  Status committed = (*txn)->Commit();
  if (!committed.ok()) {
    return context.Fail(committed);
  }

  const Record& r = *record;
  if (context.global.json) {
    JsonObject out = SummaryJson(r);
    out->set("content_sha256", r.content_sha256);
    out->set("dedup_key", r.dedup_key);
    out->set("imported_at", FormatUtc(FromEpoch(r.imported_at)));
    out->set("recipients", StringsJson(r.recipients));
    out->set("metadata", ParsedMetadata(r.metadata_json));
    out->set("body", r.body);
    JsonArray attachments = NewJsonArray();
    for (const StoredAttachment& a : r.attachments) {
      JsonObject item = NewJsonObject();
      item->set("ordinal", a.ordinal);
      item->set("filename", a.filename);
      item->set("media_type", a.media_type);
      item->set("size", a.size);
      item->set("sha256", a.sha256);
      item->set("scan_status", a.scan_status);
      item->set("scan_detail", a.scan_detail);
      item->set("has_text", a.text.has_value());
      attachments->add(item);
    }
    out->set("attachments", attachments);
    JsonArray fields = NewJsonArray();
    for (const FormFieldValue& f : r.fields) {
      JsonObject item = NewJsonObject();
      item->set("name", f.name);
      item->set("label", f.label);
      item->set("value", f.value);
      item->set("requested", f.requested);
      item->set("required", f.required);
      item->set("category", f.category);
      fields->add(item);
    }
    out->set("fields", fields);
    JsonArray sources = NewJsonArray();
    for (const SourceLocation& s : r.sources) {
      JsonObject item = NewJsonObject();
      item->set("importer", s.importer);
      item->set("file", s.file);
      item->set("position", s.position);
      sources->add(item);
    }
    out->set("sources", sources);
    context.Out() << ToJson(out, 2) << '\n';
    return kExitOk;
  }
  std::ostream& out = context.Out();
  out << "Record " << r.id << " (" << RecordKindName(r.kind) << ", " << r.status << ")\n";
  out << "Received:  " << DateText(r.received_at) << " (from " << r.received_source << ")\n";
  if (r.kind == RecordKind::kMail) {
    out << "From:      "
        << (r.sender_name.empty() ? r.sender : r.sender_name + " <" + r.sender + ">") << '\n';
    std::string to;
    for (const std::string& recipient : r.recipients) {
      to += (to.empty() ? "" : ", ") + recipient;
    }
    out << "To/Cc/Bcc: " << to << '\n';
    out << "Subject:   " << r.title << '\n';
    out << "Message-ID: " << r.dedup_key << '\n';
  } else {
    out << "Form:      " << r.form_id.value_or("") << "  " << r.title << '\n';
  }
  if (r.duplicate_of) {
    out << "Duplicate of record " << *r.duplicate_of << " (same key, other bytes)\n";
  }
  if (!r.flags.empty()) {
    out << "Flags:     ";
    for (std::size_t i = 0; i < r.flags.size(); ++i) {
      out << (i > 0 ? ", " : "") << r.flags[i];
    }
    out << '\n';
  }
  out << "Content:   sha256 " << r.content_sha256 << '\n';
  out << "Metadata:  " << r.metadata_json << '\n';
  for (const SourceLocation& s : r.sources) {
    out << "Source:    " << s.importer << " " << s.file << " (" << s.position << ")\n";
  }
  for (const StoredAttachment& a : r.attachments) {
    out << "Attachment " << a.ordinal << ": " << a.filename << " (" << a.media_type << ", "
        << a.size << " bytes, sha256 " << a.sha256.substr(0, 16) << "..., scan " << a.scan_status
        << (a.scan_detail.empty() ? "" : ": " + a.scan_detail) << ")\n";
  }
  for (const FormFieldValue& f : r.fields) {
    out << "Field " << f.name << (f.label.empty() ? "" : " (" + f.label + ")") << ": " << f.value
        << (f.requested ? "" : "  [unrequested]") << '\n';
  }
  out << "\n" << r.body;
  if (!r.body.empty() && r.body.back() != '\n') {
    out << '\n';
  }
  return kExitOk;
}

constexpr std::string_view kFilterUsage =
    "[--kind mail|form] [--from DATE] [--to DATE] [--sender ADDR] [--limit N] "
    "[--include-inactive] [--json]";

}  // namespace

std::vector<CommandSpec> RecordsCommands() {
  static const std::string search_usage = "QUERY " + std::string(kFilterUsage);
  return {
      {"records search", "full-text search over subjects, addresses, bodies, attachments, forms",
       search_usage,
       "QUERY uses SQLite FTS5 syntax: words (all must match), \"exact phrases\", OR, NOT,\n"
       "prefix* and column filters (title:, addresses:, body:, attachments:, fields:). Best\n"
       "matches first. --json prints one JSON object per line. Does not audit: the listing\n"
       "shows titles only; `records show` records the access.",
       StoreAccess::kReadOnly, FilterOptions, RunSearch},
      {"records show", "show one record: headers, body, attachments, flags, sources",
       "ID [--purpose TEXT] [--json]",
       "Prints the record's header fields, body, attachments (with scan results), form\n"
       "fields, flags and every place a copy was seen. Reading a record's content is\n"
       "audited (action access.record).",
       StoreAccess::kReadWrite, ShowOptions, RunShow},
      {"records list", "list records, newest first", std::string_view(kFilterUsage),
       "Lists records matching the filters, newest first. --json prints one JSON object per\n"
       "line.",
       StoreAccess::kReadOnly, FilterOptions, RunList},
  };
}

}  // namespace sunshine
