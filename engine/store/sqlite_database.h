// The embedded backend: SQLite with WAL, foreign keys, secure_delete and FTS5.
//
// We call the SQLite C API directly rather than through Poco::Data because (a) Poco 1.11's
// SQLite binder binds parameters by order of appearance, so `$2 ... $1` would bind wrongly,
// (b) destruction needs wal_checkpoint(TRUNCATE), VACUUM and FTS5 maintenance on the raw
// handle anyway, and (c) import speed depends on cached prepared statements. Callers only
// see the Database interface, so the PostgreSQL backend can use Poco::Data::PostgreSQL.
#pragma once

#include <memory>

#include "engine/core/path.h"
#include "engine/store/database.h"

namespace sunshine {

struct SqliteOptions {
  bool read_only = false;
  int busy_timeout_ms = 10000;
};

// Opens (creating if missing and not read-only) the database file and applies the pragmas.
Result<std::unique_ptr<Database>> OpenSqliteDatabase(const Path& file,
                                                     const SqliteOptions& options = {});

}  // namespace sunshine
