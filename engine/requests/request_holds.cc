#include "engine/requests/request_holds.h"

#include <algorithm>
#include <optional>

#include "engine/core/time_format.h"
#include "engine/retention/holds.h"

namespace sunshine {

namespace {

std::string Source(std::string_view request_id) { return "request:" + std::string(request_id); }

// The request's active automatic hold, if any.
Result<std::optional<Hold>> ActiveRequestHold(Database& db, std::string_view request_id) {
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<Hold> holds, ListHolds(db, false));
  std::string source = Source(request_id);
  for (Hold& hold : holds) {
    if (hold.active() && hold.kind == "request" && hold.source == source) {
      return std::optional<Hold>(std::move(hold));
    }
  }
  return std::optional<Hold>();
}

HoldSpec Spec(std::string_view request_id, std::vector<std::int64_t> record_ids) {
  HoldSpec spec;
  spec.name = "Sunshine request " + std::string(request_id);
  spec.reason = "records responsive to Sunshine request " + std::string(request_id) +
                ": no destruction once a request is received (AG guidance on RSMo 610.023; "
                "610.027.1 once a suit is served)";
  spec.kind = "request";
  spec.source = Source(request_id);
  spec.record_ids = std::move(record_ids);
  return spec;
}

}  // namespace

Status PlaceRequestHold(Store& store, std::string_view actor, std::string_view request_id,
                        const std::vector<std::int64_t>& record_ids) {
  if (record_ids.empty()) {
    return Status();
  }
  Database& db = store.db();
  std::int64_t now = ToEpoch(Clock::WallNow());
  SUNSHINE_ASSIGN_OR_RETURN(std::optional<Hold> hold, ActiveRequestHold(db, request_id));
  if (!hold) {
    auto created = CreateHold(db, actor, Spec(request_id, record_ids), now);
    return created.ok() ? Status() : created.status();
  }
  return AddRecordsToHold(db, actor, hold->id, record_ids, now);
}

Status ReleaseRequestHold(Store& store, std::string_view actor, std::string_view request_id,
                          const std::vector<std::int64_t>& record_ids, std::string_view reason) {
  Database& db = store.db();
  std::int64_t now = ToEpoch(Clock::WallNow());
  SUNSHINE_ASSIGN_OR_RETURN(std::optional<Hold> hold, ActiveRequestHold(db, request_id));
  if (!hold) {
    return Status();
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<std::int64_t> covered, HoldRecordIds(db, *hold));
  std::vector<std::int64_t> remaining;
  for (std::int64_t id : covered) {
    if (std::find(record_ids.begin(), record_ids.end(), id) == record_ids.end()) {
      remaining.push_back(id);
    }
  }
  SUNSHINE_RETURN_IF_ERROR(ReleaseHold(db, actor, hold->id, reason, now));
  // The hold API has no "take one record out": release it and hold the rest again, so the
  // trail shows exactly when each record stopped being held.
  if (!remaining.empty()) {
    auto created = CreateHold(db, actor, Spec(request_id, remaining), now);
    if (!created.ok()) {
      return created.status();
    }
  }
  return Status();
}

}  // namespace sunshine
