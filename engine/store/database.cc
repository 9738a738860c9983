#include "engine/store/database.h"

namespace sunshine {

Result<std::optional<std::int64_t>> Database::QueryInt(std::string_view sql,
                                                       const SqlParams& params) {
  std::optional<std::int64_t> value;
  bool first = true;
  Status status = Query(sql, params, [&](const Row& row) {
    if (first) {
      value = row.OptInt(0);
      first = false;
    }
    return Status();
  });
  if (!status.ok()) {
    return status;
  }
  return value;
}

Result<std::optional<std::string>> Database::QueryText(std::string_view sql,
                                                       const SqlParams& params) {
  std::optional<std::string> value;
  bool first = true;
  Status status = Query(sql, params, [&](const Row& row) {
    if (first) {
      value = row.OptText(0);
      first = false;
    }
    return Status();
  });
  if (!status.ok()) {
    return status;
  }
  return value;
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(Database& db, Mode mode) {
  Status status = mode == Mode::kWrite ? db.BeginWrite() : db.BeginRead();
  if (!status.ok()) {
    return status;
  }
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Transaction::~Transaction() {
  if (!done_) {
    (void)db_.Rollback();
  }
}

Status Transaction::Commit() {
  Status status = db_.Commit();
  done_ = true;
  if (!status.ok()) {
    (void)db_.Rollback();
  }
  return status;
}

Status WithWriteTransaction(Database& db, const std::function<Status()>& body) {
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return txn.status();
  }
  SUNSHINE_RETURN_IF_ERROR(body());
  return (*txn)->Commit();
}

}  // namespace sunshine
