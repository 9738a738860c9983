// The one store interface. Everything above it speaks portable SQL with `$1`-style
// placeholders (accepted by SQLite and required by PostgreSQL), times as epoch integers or
// ISO text, so a PostgreSQL backend can implement this interface later without touching
// callers. SqliteDatabase (sqlite_database.h) is the embedded implementation.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/core/result.h"

namespace sunshine {

// A bound parameter or a column value. std::monostate is SQL NULL.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

// One result row. Valid only inside the callback that receives it.
class Row {
 public:
  virtual ~Row() = default;
  virtual int size() const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual std::int64_t Int(int column) const = 0;  // 0 for NULL
  virtual double Real(int column) const = 0;
  virtual std::string Text(int column) const = 0;  // "" for NULL; also reads BLOBs as bytes
  std::optional<std::int64_t> OptInt(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<std::int64_t>(Int(column));
  }
  std::optional<std::string> OptText(int column) const {
    return IsNull(column) ? std::nullopt : std::optional<std::string>(Text(column));
  }
};

using RowCallback = std::function<Status(const Row&)>;

// Not thread-safe: one Database per thread. Errors carry the SQL's first words.
class Database {
 public:
  virtual ~Database() = default;

  // Runs one statement (or, without params, a script of several).
  virtual Status Exec(std::string_view sql, const SqlParams& params = {}) = 0;
  // Calls `on_row` for each row; a non-OK status from the callback stops and is returned.
  virtual Status Query(std::string_view sql, const SqlParams& params,
                       const RowCallback& on_row) = 0;
  // Rows changed by the last Exec.
  virtual std::int64_t ChangedRows() const = 0;

  // Write transactions take the write lock at BEGIN so two writers never deadlock midway.
  virtual Status BeginWrite() = 0;
  virtual Status BeginRead() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual bool InTransaction() const = 0;

  // Backend maintenance used by destruction and purge: flush the write-ahead log into the
  // main file and truncate it, so deleted bytes do not survive in the log.
  virtual Status Checkpoint() = 0;
  // Rewrites the file so freed pages holding deleted content are gone (SQLite VACUUM).
  virtual Status Compact() = 0;

  // Runs before every COMMIT; a non-OK status aborts the commit (the caller rolls back).
  // The store uses it to make blob files durable before the rows naming them commit.
  void SetBeforeCommit(std::function<Status()> hook) { before_commit_ = std::move(hook); }

  // Convenience: first column of the first row.
  Result<std::optional<std::int64_t>> QueryInt(std::string_view sql, const SqlParams& params = {});
  Result<std::optional<std::string>> QueryText(std::string_view sql, const SqlParams& params = {});

 protected:
  Status RunBeforeCommit() { return before_commit_ ? before_commit_() : Status(); }

 private:
  std::function<Status()> before_commit_;
};

// RAII transaction: rolls back in the destructor unless Commit() succeeded. Use one per
// batch step so that the change and its audit event commit together or not at all.
class Transaction {
 public:
  enum class Mode { kWrite, kRead };
  static Result<std::unique_ptr<Transaction>> Begin(Database& db, Mode mode = Mode::kWrite);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Commit();
  Database& db() { return db_; }

 private:
  explicit Transaction(Database& db) : db_(db) {}
  Database& db_;
  bool done_ = false;
};

// Runs `body` in a write transaction: commits if it returns OK, rolls back otherwise. For the
// common "one engine call, one transaction" command.
Status WithWriteTransaction(Database& db, const std::function<Status()>& body);

// The same for a body that returns a value (the engine's writers require the caller's
// transaction, exactly as the CLI commands and console pages provide it).
template <typename T>
Result<T> InWriteTransaction(Database& db, const std::function<Result<T>()>& body) {
  SUNSHINE_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(db));
  auto result = body();
  if (!result.ok()) {
    return result.status();
  }
  SUNSHINE_RETURN_IF_ERROR(transaction->Commit());
  return result;
}

}  // namespace sunshine
