// Numbered schema migrations (engine/store/schema/NNNN_name.sql, embedded at build time).
// Each runs in its own transaction and is recorded in schema_version, so a crash mid-way
// leaves the store at the previous version, never between two.
#pragma once

#include <string_view>
#include <vector>

#include "engine/store/database.h"

namespace sunshine {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// All migrations this build knows, in ascending version order.
const std::vector<Migration>& AllMigrations();
int LatestSchemaVersion();

// Version recorded in the store, 0 for an empty database.
Result<int> CurrentSchemaVersion(Database& db);

// Brings the store to LatestSchemaVersion(). FailedPrecondition if the store is newer than
// this build (an older sunshine must not write to it).
Status MigrateToLatest(Database& db);
// Fails the same way without changing anything; used when opening read-only.
Status CheckSchemaVersion(Database& db);

}  // namespace sunshine
