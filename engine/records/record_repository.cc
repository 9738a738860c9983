#include "engine/records/record_repository.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>

#include "engine/audit/audit_log.h"
#include "engine/core/clock.h"
#include "engine/core/json.h"
#include "engine/core/sha256.h"
#include "engine/core/time_format.h"

namespace sunshine {

std::vector<std::string> SplitStoredRecipients(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view part = text.substr(start, end - start);
    auto first = part.find_first_not_of(' ');
    if (first != std::string_view::npos) {
      auto last = part.find_last_not_of(' ');
      out.emplace_back(part.substr(first, last - first + 1));
    }
    start = end + 1;
  }
  return out;
}

std::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kMail:
      return "mail";
    case RecordKind::kForm:
      return "form";
  }
  return "mail";
}

std::optional<RecordKind> ParseRecordKind(std::string_view name) {
  if (name == "mail") {
    return RecordKind::kMail;
  }
  if (name == "form") {
    return RecordKind::kForm;
  }
  return std::nullopt;
}

namespace {

std::string FlagsJson(const std::vector<std::string>& flags) {
  JsonArray array = NewJsonArray();
  std::vector<std::string> sorted = flags;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const std::string& flag : sorted) {
    array->add(flag);
  }
  return ToJson(array);
}

std::vector<std::string> ParseFlags(const std::string& text) {
  std::vector<std::string> flags;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var value = parser.parse(text);
    if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
      auto array = value.extract<Poco::JSON::Array::Ptr>();
      for (std::size_t i = 0; i < array->size(); ++i) {
        flags.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
      }
    }
  } catch (const Poco::Exception&) {
    // A hand-edited or damaged flags column reads as "no flags"; the record stays readable.
  }
  return flags;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) {
      continue;
    }
    if (!out.empty()) {
      out += separator;
    }
    out += part;
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Status AddSource(Database& db, std::int64_t record_id, const SourceLocation& source) {
  return db.Exec(
      "INSERT INTO record_sources (record_id, importer, source_file, position, seen_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (record_id, source_file, position) DO NOTHING",
      {record_id, source.importer, source.file, source.position, ToEpoch(Clock::WallNow())});
}

// The FTS row's columns: title, addresses, body, attachments, fields.
Status IndexRecord(Database& db, std::int64_t id, const NewRecord& record) {
  std::vector<std::string> addresses = {record.sender_name, record.sender};
  addresses.insert(addresses.end(), record.recipients.begin(), record.recipients.end());
  std::string attachment_text;
  for (const AttachmentData& attachment : record.attachments) {
    attachment_text += attachment.filename;
    attachment_text += '\n';
    if (attachment.text) {
      attachment_text += *attachment.text;
      attachment_text += '\n';
    }
  }
  std::string fields;
  for (const FormFieldValue& field : record.fields) {
    fields += field.value;
    fields += '\n';
  }
  return db.Exec(
      "INSERT INTO records_fts (rowid, title, addresses, body, attachments, fields) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {id, record.title, Join(addresses, " "), record.body, attachment_text, fields});
}

Status StoreAttachments(Store& store, std::int64_t id, const NewRecord& record) {
  Database& db = store.db();
  int ordinal = 0;
  for (const AttachmentData& attachment : record.attachments) {
    ++ordinal;
    std::string sha;
    if (attachment.scan_status == "infected") {
      // Withheld: the importer quarantined the bytes; only their fingerprint is kept here.
      sha = Sha256Hex(attachment.bytes);
    } else {
      SUNSHINE_ASSIGN_OR_RETURN(sha, store.blobs().Put(db, attachment.bytes));
    }
    SqlValue text;
    if (attachment.text) {
      text = *attachment.text;
    }
    SUNSHINE_RETURN_IF_ERROR(db.Exec(
        "INSERT INTO attachments (record_id, ordinal, filename, media_type, size, sha256, text, "
        "scan_status, scan_detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {id, static_cast<std::int64_t>(ordinal), attachment.filename, attachment.media_type,
         static_cast<std::int64_t>(attachment.bytes.size()), sha, text, attachment.scan_status,
         attachment.scan_detail}));
  }
  return {};
}

Status StoreFields(Database& db, std::int64_t id, const NewRecord& record) {
  int ordinal = 0;
  for (const FormFieldValue& field : record.fields) {
    ++ordinal;
    SUNSHINE_RETURN_IF_ERROR(db.Exec(
        "INSERT INTO form_fields (record_id, ordinal, name, label, value, requested, required, "
        "category) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {id, static_cast<std::int64_t>(ordinal), field.name, field.label, field.value,
         static_cast<std::int64_t>(field.requested ? 1 : 0),
         static_cast<std::int64_t>(field.required ? 1 : 0), field.category}));
  }
  return {};
}

JsonObject SourceJson(const SourceLocation& source) {
  JsonObject out = NewJsonObject();
  out->set("importer", source.importer);
  out->set("file", source.file);
  out->set("position", source.position);
  return out;
}

constexpr std::string_view kRecordColumns =
    "id, kind, content_sha256, dedup_key, duplicate_of, received_at, received_source, "
    "imported_at, title, sender, sender_name, recipients, folder, form_id, body, metadata, flags, "
    "status";

Record RecordFromRow(const Row& row) {
  Record record;
  record.id = row.Int(0);
  record.kind = ParseRecordKind(row.Text(1)).value_or(RecordKind::kMail);
  record.content_sha256 = row.Text(2);
  record.dedup_key = row.Text(3);
  record.duplicate_of = row.OptInt(4);
  record.received_at = row.OptInt(5);
  record.received_source = row.Text(6);
  record.imported_at = row.Int(7);
  record.title = row.Text(8);
  record.sender = row.Text(9);
  record.sender_name = row.Text(10);
  record.recipients = SplitStoredRecipients(row.Text(11));
  record.folder = row.Text(12);
  record.form_id = row.OptText(13);
  record.body = row.Text(14);
  record.metadata_json = row.Text(15);
  record.flags = ParseFlags(row.Text(16));
  record.status = row.Text(17);
  return record;
}

// WHERE conditions (on table alias r) and parameters for a filter; parameters are numbered
// after `first_param - 1` existing ones.
std::string FilterSql(const RecordFilter& filter, SqlParams& params) {
  std::string sql;
  auto add = [&](const std::string& condition, SqlValue value) {
    params.push_back(std::move(value));
    std::string placeholder = "$" + std::to_string(params.size());
    std::string text = condition;
    text.replace(text.find('?'), 1, placeholder);
    sql += " AND " + text;
  };
  if (filter.kind) {
    add("r.kind = ?", std::string(RecordKindName(*filter.kind)));
  }
  if (filter.received_from) {
    add("r.received_at >= ?", *filter.received_from);
  }
  if (filter.received_to) {
    add("r.received_at < ?", *filter.received_to);
  }
  if (filter.sender) {
    add("lower(r.sender) = ?", Lower(*filter.sender));
  }
  if (!filter.include_inactive) {
    sql += " AND r.status = 'active'";
  }
  return sql;
}

Status VisitIds(Database& db, const std::vector<std::int64_t>& ids,
                const std::function<Status(const Record&)>& visit) {
  // Ids are collected first: the store caches one statement per SQL text, so running Get
  // inside the listing query's callback would reset that query.
  for (std::int64_t id : ids) {
    auto record = RecordRepository::Get(db, id);
    if (!record.ok()) {
      return record.status();
    }
    SUNSHINE_RETURN_IF_ERROR(visit(*record));
  }
  return {};
}

}  // namespace

Result<PutResult> RecordRepository::Put(Store& store, std::string_view actor,
                                        const NewRecord& record) {
  Database& db = store.db();
  if (!db.InTransaction()) {
    return Status::FailedPrecondition("RecordRepository::Put needs a write transaction");
  }
  const std::string sha = Sha256Hex(record.original_bytes);
  const std::string kind(RecordKindName(record.kind));

  // Identical bytes: the same record seen again. Only the new location is added.
  SUNSHINE_ASSIGN_OR_RETURN(auto existing,
                            db.QueryInt("SELECT id FROM records WHERE content_sha256 = $1", {sha}));
  if (existing) {
    SUNSHINE_RETURN_IF_ERROR(AddSource(db, *existing, record.source));
    if (db.ChangedRows() == 0) {
      // Same bytes from the same place again (a rerun): nothing changed, nothing to audit.
      return PutResult{*existing, PutOutcome::kAlreadyPresent};
    }
    JsonObject details = NewJsonObject();
    details->set("sha256", sha);
    details->set("source", SourceJson(record.source));
    SUNSHINE_ASSIGN_OR_RETURN(
        auto seq, AuditLog::Append(db, actor, "import.seen-again",
                                   "record:" + std::to_string(*existing), ToJson(details)));
    (void)seq;
    return PutResult{*existing, PutOutcome::kAlreadyPresent};
  }

  std::optional<std::int64_t> duplicate_of;
  if (!record.dedup_key.empty()) {
    SUNSHINE_ASSIGN_OR_RETURN(
        duplicate_of, db.QueryInt("SELECT min(id) FROM records WHERE kind = $1 AND dedup_key = $2",
                                  {kind, record.dedup_key}));
  }

  SUNSHINE_ASSIGN_OR_RETURN(std::string blob_sha,
                            store.blobs().Put(db, record.original_bytes, sha));
  (void)blob_sha;

  SqlValue dedup_key;
  if (!record.dedup_key.empty()) {
    dedup_key = record.dedup_key;
  }
  SqlValue duplicate_value;
  if (duplicate_of) {
    duplicate_value = *duplicate_of;
  }
  SqlValue received_at;
  if (record.received_at) {
    received_at = *record.received_at;
  }
  SqlValue form_id;
  if (record.form_id) {
    form_id = *record.form_id;
  }
  SUNSHINE_ASSIGN_OR_RETURN(
      auto inserted,
      db.QueryInt(
          "INSERT INTO records (kind, content_sha256, dedup_key, duplicate_of, received_at, "
          "received_source, imported_at, title, sender, sender_name, recipients, folder, form_id, "
          "body, metadata, flags) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
          "$14, $15, $16) RETURNING id",
          {kind, sha, dedup_key, duplicate_value, received_at, record.received_source,
           ToEpoch(Clock::WallNow()), record.title, record.sender, record.sender_name,
           Join(record.recipients, ","), record.folder, form_id, record.body,
           record.metadata_json.empty() ? std::string("{}") : record.metadata_json,
           FlagsJson(record.flags)}));
  if (!inserted) {
    return Status::Internal("record row not found after insert");
  }
  const std::int64_t id = *inserted;

  SUNSHINE_RETURN_IF_ERROR(AddSource(db, id, record.source));
  SUNSHINE_RETURN_IF_ERROR(StoreAttachments(store, id, record));
  SUNSHINE_RETURN_IF_ERROR(StoreFields(db, id, record));
  SUNSHINE_RETURN_IF_ERROR(IndexRecord(db, id, record));

  JsonObject details = NewJsonObject();
  details->set("kind", kind);
  details->set("sha256", sha);
  details->set("size", static_cast<std::int64_t>(record.original_bytes.size()));
  if (!record.dedup_key.empty()) {
    details->set("dedup_key", record.dedup_key);
  }
  if (duplicate_of) {
    details->set("duplicate_of", *duplicate_of);
  }
  details->set("attachments", static_cast<std::int64_t>(record.attachments.size()));
  if (!record.flags.empty()) {
    JsonArray flags = NewJsonArray();
    for (const std::string& flag : record.flags) {
      flags->add(flag);
    }
    details->set("flags", flags);
  }
  details->set("source", SourceJson(record.source));
  SUNSHINE_ASSIGN_OR_RETURN(
      auto seq, AuditLog::Append(db, actor, duplicate_of ? "import.duplicate" : "import.record",
                                 "record:" + std::to_string(id), ToJson(details)));
  (void)seq;
  return PutResult{id, duplicate_of ? PutOutcome::kDuplicate : PutOutcome::kInserted};
}

Result<Record> RecordRepository::Get(Database& db, std::int64_t id) {
  std::optional<Record> found;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT " + std::string(kRecordColumns) + " FROM records WHERE id = $1", {id},
               [&](const Row& row) {
                 found = RecordFromRow(row);
                 return Status();
               }));
  if (!found) {
    return Status::NotFound("no record " + std::to_string(id));
  }
  Record& record = *found;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT id, ordinal, filename, media_type, size, sha256, text, scan_status, scan_detail "
      "FROM attachments WHERE record_id = $1 ORDER BY ordinal",
      {id}, [&](const Row& row) {
        StoredAttachment attachment;
        attachment.id = row.Int(0);
        attachment.ordinal = static_cast<int>(row.Int(1));
        attachment.filename = row.Text(2);
        attachment.media_type = row.Text(3);
        attachment.size = row.Int(4);
        attachment.sha256 = row.Text(5);
        attachment.text = row.OptText(6);
        attachment.scan_status = row.Text(7);
        attachment.scan_detail = row.Text(8);
        record.attachments.push_back(std::move(attachment));
        return Status();
      }));
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT name, label, value, requested, required, category FROM form_fields "
               "WHERE record_id = $1 ORDER BY ordinal",
               {id}, [&](const Row& row) {
                 FormFieldValue field;
                 field.name = row.Text(0);
                 field.label = row.Text(1);
                 field.value = row.Text(2);
                 field.requested = row.Int(3) != 0;
                 field.required = row.Int(4) != 0;
                 field.category = row.Text(5);
                 record.fields.push_back(std::move(field));
                 return Status();
               }));
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT importer, source_file, position FROM record_sources WHERE record_id = $1 "
               "ORDER BY seen_at, source_file, position",
               {id}, [&](const Row& row) {
                 record.sources.push_back({row.Text(0), row.Text(1), row.Text(2)});
                 return Status();
               }));
  return std::move(record);
}

Status RecordRepository::List(Database& db, const RecordFilter& filter,
                              const std::function<Status(const Record&)>& visit) {
  SqlParams params;
  std::string sql = "SELECT r.id FROM records r WHERE 1 = 1" + FilterSql(filter, params) +
                    " ORDER BY coalesce(r.received_at, r.imported_at) DESC, r.id DESC";
  if (filter.limit > 0) {
    params.push_back(filter.limit);
    sql += " LIMIT $" + std::to_string(params.size());
  }
  std::vector<std::int64_t> ids;
  SUNSHINE_RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& row) {
    ids.push_back(row.Int(0));
    return Status();
  }));
  return VisitIds(db, ids, visit);
}

Status RecordRepository::Search(Database& db, std::string_view query, const RecordFilter& filter,
                                const std::function<Status(const Record&)>& visit) {
  if (query.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidInput("empty search query");
  }
  SqlParams params = {std::string(query)};
  std::string sql =
      "SELECT r.id FROM records_fts JOIN records r ON r.id = records_fts.rowid "
      "WHERE records_fts MATCH $1" +
      FilterSql(filter, params) + " ORDER BY bm25(records_fts), r.id DESC";
  if (filter.limit > 0) {
    params.push_back(filter.limit);
    sql += " LIMIT $" + std::to_string(params.size());
  }
  std::vector<std::int64_t> ids;
  Status status = db.Query(sql, params, [&](const Row& row) {
    ids.push_back(row.Int(0));
    return Status();
  });
  if (!status.ok()) {
    const std::string& message = status.message();
    if (message.find("fts5") != std::string::npos || message.find("syntax") != std::string::npos ||
        message.find("no such column") != std::string::npos ||
        message.find("unterminated") != std::string::npos) {
      return Status::InvalidInput("search query '" + std::string(query) +
                                  "' does not parse (FTS5 syntax: words, \"phrases\", AND, OR, "
                                  "NOT, prefix*): " +
                                  message);
    }
    return status;
  }
  return VisitIds(db, ids, visit);
}

Status RecordRepository::AuditAccess(Database& db, std::string_view actor, std::int64_t id,
                                     std::string_view purpose) {
  SUNSHINE_ASSIGN_OR_RETURN(auto exists, db.QueryInt("SELECT id FROM records WHERE id = $1", {id}));
  if (!exists) {
    return Status::NotFound("no record " + std::to_string(id));
  }
  JsonObject details = NewJsonObject();
  details->set("purpose", std::string(purpose));
  SUNSHINE_ASSIGN_OR_RETURN(
      auto seq, AuditLog::Append(db, actor, "access.record", "record:" + std::to_string(id),
                                 ToJson(details)));
  (void)seq;
  return {};
}

}  // namespace sunshine
