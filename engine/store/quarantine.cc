#include "engine/store/quarantine.h"

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/sha256.h"
#include "engine/core/time_format.h"

namespace sunshine {

Result<std::int64_t> QuarantineItemBytes(Store& store, std::string_view actor,
                                         const QuarantineItem& item) {
  Database& db = store.db();
  std::string sha = Sha256Hex(item.original_bytes);
  auto existing = db.QueryInt(
      "SELECT id FROM quarantine WHERE importer = $1 AND source_file = $2 AND position = $3 AND "
      "sha256 = $4",
      {item.importer, item.source_file, item.position, sha});
  if (!existing.ok()) {
    return existing.status();
  }
  if (existing->has_value()) {
    return **existing;
  }
  Path file = store.home().quarantine_dir() / (sha + ".bin");
  boost::system::error_code ec;
  if (!boost::filesystem::exists(file, ec)) {
    SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(file, item.original_bytes));
  }
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("INSERT INTO quarantine (at, importer, source_file, position, reason, sha256, size) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7)",
              {ToEpoch(Clock::WallNow()), item.importer, item.source_file, item.position,
               item.reason, sha, static_cast<std::int64_t>(item.original_bytes.size())}));
  auto id = db.QueryInt(
      "SELECT id FROM quarantine WHERE importer = $1 AND source_file = $2 AND position = $3 AND "
      "sha256 = $4",
      {item.importer, item.source_file, item.position, sha});
  if (!id.ok()) {
    return id.status();
  }
  JsonObject details = NewJsonObject();
  details->set("importer", item.importer);
  details->set("source_file", item.source_file);
  details->set("position", item.position);
  details->set("reason", item.reason);
  details->set("sha256", sha);
  details->set("size", static_cast<std::int64_t>(item.original_bytes.size()));
  auto seq = AuditLog::Append(db, actor, "import.quarantine",
                              "quarantine:" + std::to_string(id->value_or(0)), ToJson(details));
  if (!seq.ok()) {
    return seq.status();
  }
  return id->value_or(0);
}

Result<bool> SourceFileCompleted(Database& db, std::string_view importer, std::string_view sha256) {
  auto found = db.QueryInt(
      "SELECT count(*) FROM source_files WHERE importer = $1 AND sha256 = $2 AND "
      "completed_at IS NOT NULL",
      {std::string(importer), std::string(sha256)});
  if (!found.ok()) {
    return found.status();
  }
  return found->value_or(0) > 0;
}

Status MarkSourceFileCompleted(Database& db, const SourceFile& file, std::string_view counts_json) {
  return db.Exec(
      "INSERT INTO source_files (importer, path, sha256, size, completed_at, counts) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (importer, sha256) DO UPDATE SET "
      "completed_at = excluded.completed_at, counts = excluded.counts, path = excluded.path",
      {file.importer, file.path, file.sha256, file.size, ToEpoch(Clock::WallNow()),
       std::string(counts_json)});
}

}  // namespace sunshine
