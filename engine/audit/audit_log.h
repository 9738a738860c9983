// The tamper-evident audit trail. Every state change appends one event in the same
// transaction as the change, so an event exists exactly when its change committed.
//
// Each event's hash is SHA-256 over its fields and the previous event's hash
// (docs/formats/audit-chain.md gives the formula a third party can re-compute). Editing,
// deleting, reordering or inserting an event breaks the chain at that sequence number.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/store/database.h"

namespace sunshine {

struct AuditEvent {
  std::int64_t seq = 0;
  std::string at;       // UTC ISO 8601 (wall clock, never --as-of)
  std::string actor;    // OS user, --actor NAME, or system:nightly
  std::string action;   // dotted verb: "import.mail", "hold.create", "access.record", ...
  std::string object;   // "record:42", "request:2026-0001", "run:7", ...
  std::string details;  // compact JSON object
  std::string prev_hash;
  std::string hash;
};

// The hash of `event` given its fields and prev_hash (the documented formula).
std::string AuditEventHash(const AuditEvent& event);
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditChainReport {
  std::int64_t events = 0;
  std::optional<std::int64_t> first_broken_seq;  // empty when the chain verifies
  std::string problem;                           // what is wrong at first_broken_seq
  std::string head_hash;                         // hash of the last event
  bool ok() const { return !first_broken_seq.has_value(); }
};

struct AuditFilter {
  std::optional<std::string> since;   // ISO date or date-time; events at or after
  std::optional<std::string> until;   // events before
  std::optional<std::string> action;  // exact, or a prefix ending in '.' ("hold.")
  std::optional<std::string> actor;
  std::optional<std::string> object;
  std::int64_t limit = 0;  // 0 = all
};

class AuditLog {
 public:
  // REQUIRES: `db` is inside a write transaction (the one making the change).
  // `details_json` must be a JSON object ("{}" if nothing to say). Returns the new seq.
  static Result<std::int64_t> Append(Database& db, std::string_view actor, std::string_view action,
                                     std::string_view object, std::string_view details_json);

  // Recomputes the whole chain, streaming. Never modifies anything.
  static Result<AuditChainReport> Verify(Database& db);
  // Checks a sequence of events (e.g. read back from an export) the same way.
  static AuditChainReport VerifyEvents(const std::function<bool(AuditEvent&)>& next);

  static Status List(Database& db, const AuditFilter& filter,
                     const std::function<Status(const AuditEvent&)>& visit);

  // JSON Lines, one event per line with every field, in sequence order.
  static Status Export(Database& db, std::ostream& out, std::int64_t* written = nullptr);
};

std::string AuditEventToJson(const AuditEvent& event);
// Parses one exported line; InvalidInput if a field is missing.
Result<AuditEvent> AuditEventFromJson(std::string_view line);

}  // namespace sunshine
