#include "engine/retention/holds.h"

#include <algorithm>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"

namespace sunshine {

namespace {

constexpr std::string_view kHoldColumns =
    "id, name, reason, kind, source, scope, query, series, created_at, created_by, "
    "last_reviewed_at, released_at, released_by, release_reason";

Hold HoldFromRow(const Row& row) {
  Hold hold;
  hold.id = row.Int(0);
  hold.name = row.Text(1);
  hold.reason = row.Text(2);
  hold.kind = row.Text(3);
  hold.source = row.Text(4);
  hold.scope = row.Text(5);
  hold.query = row.OptText(6);
  hold.series = row.OptText(7);
  hold.created_at = row.Int(8);
  hold.created_by = row.Text(9);
  hold.last_reviewed_at = row.Int(10);
  hold.released_at = row.OptInt(11);
  hold.released_by = row.Text(12);
  hold.release_reason = row.Text(13);
  return hold;
}

Status InsertHoldRecords(Database& db, std::int64_t hold_id, const std::vector<std::int64_t>& ids,
                         std::int64_t now, std::int64_t* added) {
  for (std::int64_t id : ids) {
    auto exists = db.QueryInt("SELECT count(*) FROM records WHERE id = $1", {id});
    if (!exists.ok()) {
      return exists.status();
    }
    if (exists->value_or(0) == 0) {
      return Status::NotFound("no record " + std::to_string(id));
    }
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("INSERT INTO hold_records (hold_id, record_id, added_at) VALUES ($1, $2, $3) "
                "ON CONFLICT (hold_id, record_id) DO NOTHING",
                {hold_id, id, now}));
    *added += db.ChangedRows();
  }
  return {};
}

Result<std::vector<std::int64_t>> ResolveQuery(Database& db, const std::string& query) {
  std::vector<std::int64_t> ids;
  Status status = db.Query(
      "SELECT f.rowid FROM records_fts f JOIN records r ON r.id = f.rowid "
      "WHERE records_fts MATCH $1 AND r.status = 'active' ORDER BY f.rowid",
      {query}, [&](const Row& row) {
        ids.push_back(row.Int(0));
        return Status();
      });
  if (!status.ok()) {
    return Status::InvalidInput("hold query '" + query + "' is not a valid full-text query (" +
                                status.message() + ")");
  }
  return ids;
}

}  // namespace

Result<std::int64_t> CreateHold(Database& db, std::string_view actor, const HoldSpec& spec,
                                std::int64_t now_epoch) {
  if (spec.name.empty()) {
    return Status::InvalidInput("a hold needs a name");
  }
  if (spec.reason.empty()) {
    return Status::InvalidInput("a hold needs a reason stating its subject matter");
  }
  if (std::find(std::begin(kHoldKinds), std::end(kHoldKinds), spec.kind) == std::end(kHoldKinds)) {
    return Status::InvalidInput("unknown hold kind '" + spec.kind +
                                "' (legal, audit, request or litigation)");
  }
  int scopes = (spec.record_ids.empty() ? 0 : 1) + (spec.query ? 1 : 0) + (spec.series ? 1 : 0);
  if (scopes != 1) {
    return Status::InvalidInput("a hold covers exactly one of: records, a query, a series");
  }
  std::string scope = spec.query ? "query" : spec.series ? "series" : "records";
  std::vector<std::int64_t> ids = spec.record_ids;
  if (spec.query) {
    SUNSHINE_ASSIGN_OR_RETURN(ids, ResolveQuery(db, *spec.query));
  }
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("INSERT INTO holds (name, reason, kind, source, scope, query, series, created_at, "
              "created_by, last_reviewed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)",
              {spec.name, spec.reason, spec.kind, spec.source, scope,
               spec.query ? SqlValue(*spec.query) : SqlValue(),
               spec.series ? SqlValue(*spec.series) : SqlValue(), now_epoch, std::string(actor)}));
  SUNSHINE_ASSIGN_OR_RETURN(auto id, db.QueryInt("SELECT max(id) FROM holds"));
  std::int64_t hold_id = id.value_or(0);
  std::int64_t added = 0;
  SUNSHINE_RETURN_IF_ERROR(InsertHoldRecords(db, hold_id, ids, now_epoch, &added));
  JsonObject details = NewJsonObject();
  details->set("name", spec.name);
  details->set("reason", spec.reason);
  details->set("kind", spec.kind);
  details->set("source", spec.source);
  details->set("scope", scope);
  if (spec.query) {
    details->set("query", *spec.query);
  }
  if (spec.series) {
    details->set("series", *spec.series);
  }
  JsonArray records = NewJsonArray();
  for (std::int64_t r : ids) {
    records->add(r);
  }
  details->set("records", records);
  auto seq = AuditLog::Append(db, actor, "hold.create", "hold:" + std::to_string(hold_id),
                              ToJson(details));
  if (!seq.ok()) {
    return seq.status();
  }
  return hold_id;
}

Status AddRecordsToHold(Database& db, std::string_view actor, std::int64_t hold_id,
                        const std::vector<std::int64_t>& record_ids, std::int64_t now_epoch) {
  SUNSHINE_ASSIGN_OR_RETURN(Hold hold, GetHold(db, hold_id));
  if (!hold.active()) {
    return Status::FailedPrecondition("hold " + std::to_string(hold_id) + " is released");
  }
  if (hold.scope == "series") {
    return Status::InvalidInput("hold " + std::to_string(hold_id) +
                                " covers a series; records cannot be added to it");
  }
  std::int64_t added = 0;
  SUNSHINE_RETURN_IF_ERROR(InsertHoldRecords(db, hold_id, record_ids, now_epoch, &added));
  if (added == 0) {
    return {};
  }
  JsonObject details = NewJsonObject();
  JsonArray records = NewJsonArray();
  for (std::int64_t r : record_ids) {
    records->add(r);
  }
  details->set("records", records);
  details->set("added", added);
  auto seq =
      AuditLog::Append(db, actor, "hold.add", "hold:" + std::to_string(hold_id), ToJson(details));
  return seq.ok() ? Status() : seq.status();
}

Status ReleaseHold(Database& db, std::string_view actor, std::int64_t hold_id,
                   std::string_view reason, std::int64_t now_epoch) {
  if (reason.empty()) {
    return Status::InvalidInput("releasing a hold needs a reason");
  }
  SUNSHINE_ASSIGN_OR_RETURN(Hold hold, GetHold(db, hold_id));
  if (!hold.active()) {
    return Status::FailedPrecondition("hold " + std::to_string(hold_id) + " was already released");
  }
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      "UPDATE holds SET released_at = $2, released_by = $3, release_reason = $4 WHERE id = $1",
      {hold_id, now_epoch, std::string(actor), std::string(reason)}));
  JsonObject details = NewJsonObject();
  details->set("name", hold.name);
  details->set("reason", std::string(reason));
  auto seq = AuditLog::Append(db, actor, "hold.release", "hold:" + std::to_string(hold_id),
                              ToJson(details));
  return seq.ok() ? Status() : seq.status();
}

Status ReviewHold(Database& db, std::string_view actor, std::int64_t hold_id, std::string_view note,
                  std::int64_t now_epoch) {
  SUNSHINE_ASSIGN_OR_RETURN(Hold hold, GetHold(db, hold_id));
  if (!hold.active()) {
    return Status::FailedPrecondition("hold " + std::to_string(hold_id) + " is released");
  }
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE holds SET last_reviewed_at = $2 WHERE id = $1", {hold_id, now_epoch}));
  JsonObject details = NewJsonObject();
  details->set("note", std::string(note));
  auto seq = AuditLog::Append(db, actor, "hold.review", "hold:" + std::to_string(hold_id),
                              ToJson(details));
  return seq.ok() ? Status() : seq.status();
}

Result<std::vector<std::int64_t>> HoldsOnRecord(Database& db, std::int64_t record_id) {
  std::vector<std::int64_t> ids;
  Status status = db.Query(
      "SELECT h.id FROM holds h WHERE h.released_at IS NULL AND ("
      " (h.scope IN ('records', 'query') AND EXISTS (SELECT 1 FROM hold_records hr"
      "   WHERE hr.hold_id = h.id AND hr.record_id = $1))"
      " OR (h.scope = 'series' AND h.series = (SELECT c.item_id FROM classifications c"
      "   WHERE c.record_id = $1))) ORDER BY h.id",
      {record_id}, [&](const Row& row) {
        ids.push_back(row.Int(0));
        return Status();
      });
  if (!status.ok()) {
    return status;
  }
  return ids;
}

Result<bool> IsRecordHeld(Database& db, std::int64_t record_id) {
  SUNSHINE_ASSIGN_OR_RETURN(auto holds, HoldsOnRecord(db, record_id));
  return !holds.empty();
}

Status CheckNotHeld(Database& db, std::int64_t record_id) {
  SUNSHINE_ASSIGN_OR_RETURN(auto holds, HoldsOnRecord(db, record_id));
  if (holds.empty()) {
    return {};
  }
  std::string message = "record " + std::to_string(record_id) + " is under ";
  for (std::size_t i = 0; i < holds.size(); ++i) {
    auto hold = GetHold(db, holds[i]);
    message += (i == 0 ? "" : ", ") + std::string("hold ") + std::to_string(holds[i]);
    if (hold.ok()) {
      message += " (" + hold->name + ")";
    }
  }
  return Status::OnLegalHold(message + "; no change is allowed until released");
}

Result<Hold> GetHold(Database& db, std::int64_t hold_id) {
  std::optional<Hold> hold;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT " + std::string(kHoldColumns) + " FROM holds WHERE id = $1", {hold_id},
               [&](const Row& row) {
                 hold = HoldFromRow(row);
                 return Status();
               }));
  if (!hold) {
    return Status::NotFound("no hold " + std::to_string(hold_id));
  }
  SUNSHINE_ASSIGN_OR_RETURN(auto ids, HoldRecordIds(db, *hold));
  hold->record_count = static_cast<std::int64_t>(ids.size());
  return *hold;
}

Result<std::vector<Hold>> ListHolds(Database& db, bool include_released) {
  std::vector<Hold> holds;
  SUNSHINE_RETURN_IF_ERROR(db.Query("SELECT " + std::string(kHoldColumns) + " FROM holds" +
                                        (include_released ? "" : " WHERE released_at IS NULL") +
                                        " ORDER BY id",
                                    {}, [&](const Row& row) {
                                      holds.push_back(HoldFromRow(row));
                                      return Status();
                                    }));
  for (Hold& hold : holds) {
    SUNSHINE_ASSIGN_OR_RETURN(auto ids, HoldRecordIds(db, hold));
    hold.record_count = static_cast<std::int64_t>(ids.size());
  }
  return holds;
}

Result<std::vector<std::int64_t>> HoldRecordIds(Database& db, const Hold& hold) {
  std::vector<std::int64_t> ids;
  auto collect = [&](const Row& row) {
    ids.push_back(row.Int(0));
    return Status();
  };
  if (hold.scope == "series") {
    SUNSHINE_RETURN_IF_ERROR(
        db.Query("SELECT c.record_id FROM classifications c JOIN records r ON r.id = c.record_id "
                 "WHERE c.item_id = $1 AND r.status = 'active' ORDER BY c.record_id",
                 {hold.series.value_or("")}, collect));
  } else {
    SUNSHINE_RETURN_IF_ERROR(
        db.Query("SELECT record_id FROM hold_records WHERE hold_id = $1 ORDER BY record_id",
                 {hold.id}, collect));
  }
  return ids;
}

Result<std::vector<Hold>> HoldsNeedingReview(Database& db, std::int64_t cutoff_epoch) {
  std::vector<Hold> holds;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT " + std::string(kHoldColumns) +
                   " FROM holds WHERE released_at IS NULL AND last_reviewed_at < $1 ORDER BY id",
               {cutoff_epoch}, [&](const Row& row) {
                 holds.push_back(HoldFromRow(row));
                 return Status();
               }));
  return holds;
}

}  // namespace sunshine
