// Legal, audit and request holds (RSMo 610.027.1: no destruction once a Sunshine suit is
// served; AG guidance: none after a request is received; SOS practice, missouri-law.md 2.3).
// A record may be under several holds; ANY active hold blocks its disposition and every
// change to it.
//
// FOR OTHER FEATURES (redaction, requests, anything that changes a record):
//   * Call CheckNotHeld(db, record_id) inside the SAME write transaction as the change and
//     return its Status: OnLegalHold (exit code 1) naming the holds when the record is held.
//   * Requests: open an automatic hold with CreateHold(db, actor, spec, now) where
//     spec.kind = "request" and spec.source = "request:2026-0001", then add records as they
//     are found with AddRecordsToHold; release it with ReleaseHold when the request closes.
// All of these run inside the caller's write transaction and append their audit event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/store/database.h"

namespace sunshine {

struct HoldSpec {
  std::string name;
  std::string reason;                    // the subject matter (SOS requires it)
  std::string kind = "legal";            // legal | audit | request | litigation
  std::string source;                    // who asked: "request:2026-0001", "AG letter 2026-11-02"
  std::vector<std::int64_t> record_ids;  // scope "records"
  std::optional<std::string> query;      // scope "query": full-text query, resolved now
  std::optional<std::string> series;     // scope "series": every record classified to this item,
                                         // now and later
};

struct Hold {
  std::int64_t id = 0;
  std::string name;
  std::string reason;
  std::string kind;
  std::string source;
  std::string scope;  // records | query | series
  std::optional<std::string> query;
  std::optional<std::string> series;
  std::int64_t created_at = 0;
  std::string created_by;
  std::int64_t last_reviewed_at = 0;
  std::optional<std::int64_t> released_at;
  std::string released_by;
  std::string release_reason;
  std::int64_t record_count = 0;  // records it covers now
  bool active() const { return !released_at.has_value(); }
};

inline constexpr std::string_view kHoldKinds[] = {"legal", "audit", "request", "litigation"};

// REQUIRES: inside a write transaction. Exactly one of record_ids / query / series.
// Audits "hold.create". Returns the hold id.
Result<std::int64_t> CreateHold(Database& db, std::string_view actor, const HoldSpec& spec,
                                std::int64_t now_epoch);
// Adds records to a records- or query-scoped hold (audits "hold.add"). Idempotent.
Status AddRecordsToHold(Database& db, std::string_view actor, std::int64_t hold_id,
                        const std::vector<std::int64_t>& record_ids, std::int64_t now_epoch);
// Audits "hold.release". FailedPrecondition if already released.
Status ReleaseHold(Database& db, std::string_view actor, std::int64_t hold_id,
                   std::string_view reason, std::int64_t now_epoch);
// The six-monthly status update (SOS practice): audits "hold.review".
Status ReviewHold(Database& db, std::string_view actor, std::int64_t hold_id, std::string_view note,
                  std::int64_t now_epoch);

// Active holds covering the record (ids, ascending).
Result<std::vector<std::int64_t>> HoldsOnRecord(Database& db, std::int64_t record_id);
Result<bool> IsRecordHeld(Database& db, std::int64_t record_id);
// OnLegalHold "record 42 is under hold 3 (name), hold 5 (name)" when held; OK otherwise.
Status CheckNotHeld(Database& db, std::int64_t record_id);

Result<Hold> GetHold(Database& db, std::int64_t hold_id);
Result<std::vector<Hold>> ListHolds(Database& db, bool include_released);
// The records a hold covers now.
Result<std::vector<std::int64_t>> HoldRecordIds(Database& db, const Hold& hold);
// Active holds whose last review is before `cutoff_epoch`.
Result<std::vector<Hold>> HoldsNeedingReview(Database& db, std::int64_t cutoff_epoch);

}  // namespace sunshine
