// Sunshine Law requests: intake, the 610.023 clock, statuses, the responsive set.
// Every writer runs inside the caller's write transaction and appends its audit event there,
// so a change and its event commit together or not at all.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/json.h"
#include "engine/core/result.h"
#include "engine/records/record_repository.h"
#include "engine/requests/business_calendar.h"
#include "engine/store/store.h"

namespace sunshine {

// Statuses, as stored and printed.
inline constexpr std::string_view kRequestOpen = "open";
inline constexpr std::string_view kRequestAwaitingClarification = "awaiting-clarification";
inline constexpr std::string_view kRequestAwaitingPayment = "awaiting-payment";
inline constexpr std::string_view kRequestFulfilled = "fulfilled";
inline constexpr std::string_view kRequestPartiallyFulfilled = "partially-fulfilled";
inline constexpr std::string_view kRequestDenied = "denied";
inline constexpr std::string_view kRequestWithdrawn = "withdrawn";

const std::vector<std::string_view>& RequestStatuses();
bool IsRequestStatus(std::string_view status);
// fulfilled, partially-fulfilled, denied and withdrawn close a request.
bool IsClosedRequestStatus(std::string_view status);

struct RequestExtension {
  int ordinal = 0;
  std::string reason;
  std::string available_on;  // YYYY-MM-DD
  std::int64_t recorded_at = 0;
  std::string actor;
};

struct SunshineRequest {
  std::string id;  // "2026-0001"
  std::string requester;
  std::string contact;
  std::int64_t received_at = 0;
  std::string received_day;
  std::string description;
  std::string format;  // electronic | paper
  std::string status;
  std::string due_date;
  std::optional<std::string> available_on;
  std::string status_reason;
  std::string status_provision;
  std::optional<std::string> notice_on;
  std::optional<std::string> withdraw_after;
  std::optional<std::string> closed_on;
  std::optional<std::string> hold_release_on;
  bool holds_released = false;
  std::int64_t created_at = 0;
  std::vector<RequestExtension> extensions;
  std::vector<std::int64_t> records;  // responsive set, ascending

  bool closed() const { return IsClosedRequestStatus(status); }
  // The date the office must act by: the latest extension's date, else the statutory due date.
  const std::string& effective_due() const { return available_on ? *available_on : due_date; }
  // Open (not waiting on the requester, not closed) and past its effective due date.
  bool Overdue(SysDays today) const;
};

JsonObject RequestToJson(const SunshineRequest& request, SysDays today);

struct NewRequest {
  std::string requester;
  std::string contact;
  SysSeconds received_at;
  std::string description;
  std::string format = "electronic";
};

struct StatusChange {
  std::string status;
  std::string reason;
  std::string provision;      // required for denied (610.023.4)
  bool by_requester = false;  // withdrawn: the requester withdrew it themselves
};

// How requests read configuration (sunshine.toml [requests]).
struct RequestSettings {
  std::int64_t hold_release_days = 90;
  std::int64_t withdraw_days = 90;             // 610.026 as amended in 2025 [S]
  std::int64_t withdraw_days_large_fee = 150;  // when fees exceed $1,000
  std::int64_t large_fee_cents = 100000;
  static Result<RequestSettings> FromConfig(const Config& config);
};

class RequestRepository {
 public:
  // REQUIRES: write transaction. InvalidInput for an empty requester or description, an
  // unknown format, or a receipt time in the future (RecordTrac #72). Audits "request.open".
  static Result<SunshineRequest> Open(Store& store, std::string_view actor,
                                      const NewRequest& request, const BusinessCalendar& calendar,
                                      const Clock& clock);
  // NotFound naming the id.
  static Result<SunshineRequest> Get(Database& db, std::string_view id);
  // Overdue first, then by effective due date, then id.
  static Status List(Database& db, SysDays today,
                     const std::function<Status(const SunshineRequest&)>& visit);

  // 610.023.3: records the cause of delay and the earliest date available. InvalidInput if
  // the date is before today or the reason is empty; FailedPrecondition if closed.
  static Result<SunshineRequest> Extend(Store& store, std::string_view actor, std::string_view id,
                                        std::string_view reason, SysDays available_on,
                                        const Clock& clock);
  // Changes the status with its reason; audited as "request.status". Closing sets the hold
  // release date (requests.hold_release_days after today).
  static Result<SunshineRequest> SetStatus(Store& store, std::string_view actor,
                                           std::string_view id, const StatusChange& change,
                                           const RequestSettings& settings, const Clock& clock);

  // Adds records to the responsive set and puts each under the request's automatic hold.
  // NotFound for an unknown record; records already in the set are skipped. Returns how many
  // were added. FailedPrecondition on a closed request.
  static Result<int> AddRecords(Store& store, std::string_view actor, std::string_view id,
                                const std::vector<std::int64_t>& record_ids);
  // Full-text search on behalf of a request (CLI and console alike). Searching is part of the
  // request's file, so the query and hit count are audited ("request.search"); with `add`,
  // every hit joins the responsive set in the same transaction. Opens its own transaction.
  struct SearchOutcome {
    SunshineRequest request;  // as it was before any hit was added
    std::vector<Record> hits;
    int added = 0;
  };
  static Result<SearchOutcome> Search(Store& store, std::string_view actor, std::string_view id,
                                      const std::string& query, const RecordFilter& filter,
                                      bool add);
  // Removes records from the set (with a reason) and releases the request's hold on them.
  static Result<int> RemoveRecords(Store& store, std::string_view actor, std::string_view id,
                                   const std::vector<std::int64_t>& record_ids,
                                   std::string_view reason);

  // Releases the automatic holds of closed requests whose release date is on or before
  // `today`. Returns the request ids released.
  static Result<std::vector<std::string>> ReleaseDueHolds(Store& store, std::string_view actor,
                                                          SysDays today);
};

// "request:2026-0001": the hold source and audit object of a request.
std::string RequestObject(std::string_view id);

}  // namespace sunshine
