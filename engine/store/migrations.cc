#include "engine/store/migrations.h"

#include <set>

#include "engine/core/clock.h"
#include "engine/core/time_format.h"
#include "engine/store/schema_embedded.h"

namespace sunshine {

const std::vector<Migration>& AllMigrations() { return EmbeddedMigrations(); }

int LatestSchemaVersion() {
  const auto& all = AllMigrations();
  return all.empty() ? 0 : all.back().version;
}

Result<int> CurrentSchemaVersion(Database& db) {
  auto exists = db.QueryInt(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!exists.ok()) {
    return exists.status();
  }
  if (exists->value_or(0) == 0) {
    return 0;
  }
  auto version = db.QueryInt("SELECT max(version) FROM schema_version");
  if (!version.ok()) {
    return version.status();
  }
  return static_cast<int>(version->value_or(0));
}

Status CheckSchemaVersion(Database& db) {
  auto current = CurrentSchemaVersion(db);
  if (!current.ok()) {
    return current.status();
  }
  if (*current > LatestSchemaVersion()) {
    return Status::FailedPrecondition("the store has schema version " + std::to_string(*current) +
                                      " but this sunshine knows only up to version " +
                                      std::to_string(LatestSchemaVersion()) +
                                      "; upgrade sunshine before using this store");
  }
  std::set<std::int64_t> applied;
  if (*current > 0) {
    SUNSHINE_RETURN_IF_ERROR(
        db.Query("SELECT version FROM schema_version", {}, [&](const Row& row) {
          applied.insert(row.Int(0));
          return Status();
        }));
  }
  for (const Migration& migration : AllMigrations()) {
    if (applied.count(migration.version) == 0) {
      return Status::FailedPrecondition(
          "the store lacks schema migration " + std::to_string(migration.version) + " (" +
          std::string(migration.name) + "); run any writing command (e.g. sunshine init) first");
    }
  }
  return {};
}

Status MigrateToLatest(Database& db) {
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
              "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
  auto current = CurrentSchemaVersion(db);
  if (!current.ok()) {
    return current.status();
  }
  if (*current > LatestSchemaVersion()) {
    return CheckSchemaVersion(db);
  }
  // Apply every known migration not yet recorded (not only those above the maximum): feature
  // migrations are numbered in advance, so a store may have met 7 before 3 existed.
  std::set<std::int64_t> applied;
  SUNSHINE_RETURN_IF_ERROR(db.Query("SELECT version FROM schema_version", {}, [&](const Row& row) {
    applied.insert(row.Int(0));
    return Status();
  }));
  for (const Migration& migration : AllMigrations()) {
    if (applied.count(migration.version) != 0) {
      continue;
    }
    auto txn = Transaction::Begin(db);
    if (!txn.ok()) {
      return txn.status();
    }
    Status status = db.Exec(migration.sql);
    if (!status.ok()) {
      return status.WithContext("migration " + std::to_string(migration.version) + " (" +
                                std::string(migration.name) + ")");
    }
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                {std::int64_t{migration.version}, std::string(migration.name),
                 FormatUtc(Clock::WallNow())}));
    SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
  }
  return {};
}

}  // namespace sunshine
