#include "engine/requests/request_repository.h"

#include <algorithm>
#include <cstdio>

#include "engine/audit/audit_log.h"
#include "engine/core/time_format.h"
#include "engine/requests/request_holds.h"

namespace sunshine {

namespace {

constexpr std::string_view kColumns =
    "id, requester, contact, received_at, received_day, description, format, status, due_date, "
    "available_on, status_reason, status_provision, notice_on, withdraw_after, closed_on, "
    "hold_release_on, holds_released, created_at";

SunshineRequest FromRow(const Row& row) {
  SunshineRequest request;
  request.id = row.Text(0);
  request.requester = row.Text(1);
  request.contact = row.Text(2);
  request.received_at = row.Int(3);
  request.received_day = row.Text(4);
  request.description = row.Text(5);
  request.format = row.Text(6);
  request.status = row.Text(7);
  request.due_date = row.Text(8);
  request.available_on = row.OptText(9);
  request.status_reason = row.Text(10);
  request.status_provision = row.Text(11);
  request.notice_on = row.OptText(12);
  request.withdraw_after = row.OptText(13);
  request.closed_on = row.OptText(14);
  request.hold_release_on = row.OptText(15);
  request.holds_released = row.Int(16) != 0;
  request.created_at = row.Int(17);
  return request;
}

Status LoadDetails(Database& db, SunshineRequest& request) {
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT ordinal, reason, available_on, recorded_at, actor FROM request_extensions "
               "WHERE request_id = $1 ORDER BY ordinal",
               {request.id}, [&](const Row& row) {
                 request.extensions.push_back({static_cast<int>(row.Int(0)), row.Text(1),
                                               row.Text(2), row.Int(3), row.Text(4)});
                 return Status();
               }));
  return db.Query("SELECT record_id FROM request_records WHERE request_id = $1 ORDER BY record_id",
                  {request.id}, [&](const Row& row) {
                    request.records.push_back(row.Int(0));
                    return Status();
                  });
}

SqlValue OptValue(const std::optional<std::string>& value) {
  return value ? SqlValue(*value) : SqlValue(std::monostate{});
}

Status Audit(Database& db, std::string_view actor, std::string_view action, std::string_view id,
             const JsonObject& details) {
  auto seq = AuditLog::Append(db, actor, action, RequestObject(id), ToJson(details));
  return seq.ok() ? Status() : seq.status();
}

std::string Trimmed(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    return "";
  }
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

Status RequireOpen(const SunshineRequest& request) {
  if (request.closed()) {
    return Status::FailedPrecondition("request " + request.id + " is closed (" + request.status +
                                      " on " + request.closed_on.value_or("?") + ")");
  }
  return Status();
}

}  // namespace

const std::vector<std::string_view>& RequestStatuses() {
  static const std::vector<std::string_view> kAll = {
      kRequestOpen,      kRequestAwaitingClarification, kRequestAwaitingPayment,
      kRequestFulfilled, kRequestPartiallyFulfilled,    kRequestDenied,
      kRequestWithdrawn};
  return kAll;
}

bool IsRequestStatus(std::string_view status) {
  const auto& all = RequestStatuses();
  return std::find(all.begin(), all.end(), status) != all.end();
}

bool IsClosedRequestStatus(std::string_view status) {
  return status == kRequestFulfilled || status == kRequestPartiallyFulfilled ||
         status == kRequestDenied || status == kRequestWithdrawn;
}

std::string RequestObject(std::string_view id) { return "request:" + std::string(id); }

bool SunshineRequest::Overdue(SysDays today) const {
  if (status != kRequestOpen) {
    return false;  // closed, or the clock waits on the requester
  }
  return FormatDate(today) > effective_due();
}

JsonObject RequestToJson(const SunshineRequest& request, SysDays today) {
  JsonObject out = NewJsonObject();
  out->set("id", request.id);
  out->set("requester", request.requester);
  out->set("contact", request.contact);
  out->set("received_at", FormatUtc(FromEpoch(request.received_at)));
  out->set("received_day", request.received_day);
  out->set("description", request.description);
  out->set("format", request.format);
  out->set("status", request.status);
  out->set("due_date", request.due_date);
  out->set("effective_due", request.effective_due());
  out->set("overdue", request.Overdue(today));
  out->set("status_reason", request.status_reason);
  out->set("status_provision", request.status_provision);
  auto opt = [&](const char* key, const std::optional<std::string>& value) {
    if (value) {
      out->set(key, *value);
    } else {
      out->set(key, Poco::Dynamic::Var());
    }
  };
  opt("available_on", request.available_on);
  opt("notice_on", request.notice_on);
  opt("withdraw_after", request.withdraw_after);
  opt("closed_on", request.closed_on);
  opt("hold_release_on", request.hold_release_on);
  out->set("holds_released", request.holds_released);
  JsonArray extensions = NewJsonArray();
  for (const RequestExtension& extension : request.extensions) {
    JsonObject item = NewJsonObject();
    item->set("ordinal", extension.ordinal);
    item->set("reason", extension.reason);
    item->set("available_on", extension.available_on);
    item->set("recorded_at", FormatUtc(FromEpoch(extension.recorded_at)));
    item->set("actor", extension.actor);
    extensions->add(item);
  }
  out->set("extensions", extensions);
  JsonArray records = NewJsonArray();
  for (std::int64_t id : request.records) {
    records->add(id);
  }
  out->set("records", records);
  return out;
}

Result<RequestSettings> RequestSettings::FromConfig(const Config& config) {
  RequestSettings settings;
  SUNSHINE_ASSIGN_OR_RETURN(settings.hold_release_days,
                            config.Int("requests.hold_release_days", settings.hold_release_days));
  if (settings.hold_release_days < 0) {
    return Status::InvalidInput(config.source() + ": requests.hold_release_days must be >= 0");
  }
  return settings;
}

Result<SunshineRequest> RequestRepository::Open(Store& store, std::string_view actor,
                                                const NewRequest& input,
                                                const BusinessCalendar& calendar,
                                                const Clock& clock) {
  std::string requester = Trimmed(input.requester);
  std::string description = Trimmed(input.description);
  if (requester.empty()) {
    return Status::InvalidInput("--requester must name who asked (a name, or 'anonymous')");
  }
  if (description.empty()) {
    return Status::InvalidInput("--description must say what records were asked for");
  }
  if (input.format != "electronic" && input.format != "paper") {
    return Status::InvalidInput("--format must be electronic or paper, not '" + input.format + "'");
  }
  SysDays received_day = LocalDay(input.received_at);
  if (received_day > clock.Today()) {
    return Status::InvalidInput("the received time " + FormatUtc(input.received_at) +
                                " is after today (" + FormatDate(clock.Today()) + ")");
  }
  int year = static_cast<int>(std::chrono::year_month_day(received_day).year());
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(
      std::optional<std::int64_t> last,
      db.QueryInt("SELECT max(seq) FROM requests WHERE year = $1", {std::int64_t{year}}));
  std::int64_t seq = last.value_or(0) + 1;
  char id[32];
  std::snprintf(id, sizeof id, "%d-%04lld", year, static_cast<long long>(seq));
  SunshineRequest request;
  request.id = id;
  request.requester = requester;
  request.contact = Trimmed(input.contact);
  request.received_at = ToEpoch(input.received_at);
  request.received_day = FormatDate(received_day);
  request.description = description;
  request.format = input.format;
  request.status = std::string(kRequestOpen);
  request.due_date = FormatDate(calendar.ResponseDue(received_day));
  request.created_at = ToEpoch(Clock::WallNow());
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("INSERT INTO requests (id, year, seq, requester, contact, received_at, received_day, "
              "description, format, status, due_date, created_at) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
              {request.id, std::int64_t{year}, seq, request.requester, request.contact,
               request.received_at, request.received_day, request.description, request.format,
               request.status, request.due_date, request.created_at}));
  JsonObject details = NewJsonObject();
  details->set("requester", request.requester);
  details->set("received_at", FormatUtc(input.received_at));
  details->set("format", request.format);
  details->set("due_date", request.due_date);
  details->set("rule", "RSMo 610.023.3: end of the third business day after receipt");
  SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "request.open", request.id, details));
  return request;
}

Result<SunshineRequest> RequestRepository::Get(Database& db, std::string_view id) {
  std::optional<SunshineRequest> found;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT " + std::string(kColumns) + " FROM requests WHERE id = $1",
               {std::string(id)}, [&](const Row& row) {
                 found = FromRow(row);
                 return Status();
               }));
  if (!found) {
    return Status::NotFound("no request " + std::string(id) + " (see 'sunshine request list')");
  }
  SUNSHINE_RETURN_IF_ERROR(LoadDetails(db, *found));
  return *found;
}

Status RequestRepository::List(Database& db, SysDays today,
                               const std::function<Status(const SunshineRequest&)>& visit) {
  std::vector<SunshineRequest> all;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT " + std::string(kColumns) + " FROM requests", {}, [&](const Row& row) {
        all.push_back(FromRow(row));
        return Status();
      }));
  for (SunshineRequest& request : all) {
    SUNSHINE_RETURN_IF_ERROR(LoadDetails(db, request));
  }
  std::stable_sort(all.begin(), all.end(), [&](const SunshineRequest& a, const SunshineRequest& b) {
    bool a_over = a.Overdue(today);
    bool b_over = b.Overdue(today);
    if (a_over != b_over) {
      return a_over;
    }
    if (a.closed() != b.closed()) {
      return !a.closed();
    }
    if (a.effective_due() != b.effective_due()) {
      return a.effective_due() < b.effective_due();
    }
    return a.id < b.id;
  });
  for (const SunshineRequest& request : all) {
    SUNSHINE_RETURN_IF_ERROR(visit(request));
  }
  return Status();
}

Result<SunshineRequest> RequestRepository::Extend(Store& store, std::string_view actor,
                                                  std::string_view id, std::string_view reason,
                                                  SysDays available_on, const Clock& clock) {
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(SunshineRequest request, Get(db, id));
  SUNSHINE_RETURN_IF_ERROR(RequireOpen(request));
  std::string why = Trimmed(reason);
  if (why.empty()) {
    return Status::InvalidInput(
        "--reason must give the detailed explanation of the cause for further delay "
        "(RSMo 610.023.3)");
  }
  if (available_on < clock.Today()) {
    return Status::InvalidInput("--available-on " + FormatDate(available_on) +
                                " is before today (" + FormatDate(clock.Today()) + ")");
  }
  int ordinal = static_cast<int>(request.extensions.size()) + 1;
  std::string date = FormatDate(available_on);
  std::int64_t now = ToEpoch(Clock::WallNow());
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      "INSERT INTO request_extensions (request_id, ordinal, reason, available_on, recorded_at, "
      "actor) VALUES ($1, $2, $3, $4, $5, $6)",
      {request.id, std::int64_t{ordinal}, why, date, now, std::string(actor)}));
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE requests SET available_on = $1 WHERE id = $2", {date, request.id}));
  JsonObject details = NewJsonObject();
  details->set("reason", why);
  details->set("available_on", date);
  details->set("previous_due", request.effective_due());
  details->set("rule", "RSMo 610.023.3: detailed explanation and earliest date available");
  SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "request.extend", request.id, details));
  return Get(db, id);
}

Result<SunshineRequest> RequestRepository::SetStatus(Store& store, std::string_view actor,
                                                     std::string_view id,
                                                     const StatusChange& change,
                                                     const RequestSettings& settings,
                                                     const Clock& clock) {
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(SunshineRequest request, Get(db, id));
  if (!IsRequestStatus(change.status)) {
    std::string all;
    for (std::string_view status : RequestStatuses()) {
      all += (all.empty() ? "" : ", ") + std::string(status);
    }
    return Status::InvalidInput("unknown status '" + change.status + "' (one of: " + all + ")");
  }
  std::string reason = Trimmed(change.reason);
  std::string provision = Trimmed(change.provision);
  if (reason.empty()) {
    return Status::InvalidInput("--reason is required for every status change");
  }
  if (change.status == kRequestDenied && provision.empty()) {
    return Status::InvalidInput(
        "a denial needs --provision citing the specific provision of law relied on "
        "(RSMo 610.023.4), e.g. --provision \"RSMo 610.021(14)\"");
  }
  if (request.closed() && IsClosedRequestStatus(change.status)) {
    return Status::FailedPrecondition("request " + request.id + " is already closed (" +
                                      request.status + ")");
  }
  SysDays today = clock.Today();
  std::string today_text = FormatDate(today);
  std::optional<std::string> notice_on = request.notice_on;
  std::optional<std::string> withdraw_after = request.withdraw_after;
  std::optional<std::string> closed_on = request.closed_on;
  std::optional<std::string> hold_release_on = request.hold_release_on;
  std::int64_t fee_cents = 0;
  if (change.status == kRequestAwaitingPayment || change.status == kRequestAwaitingClarification) {
    // RSMo 610.026 as amended in 2025 [S]: withdrawn after 90 days without payment or
    // clarification, 150 when fees exceed $1,000; the notice must say so.
    SUNSHINE_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> latest,
        db.QueryInt("SELECT total_cents FROM request_estimates WHERE request_id = $1 "
                    "ORDER BY id DESC LIMIT 1",
                    {request.id}));
    fee_cents = latest.value_or(0);
    std::int64_t days = fee_cents > settings.large_fee_cents ? settings.withdraw_days_large_fee
                                                             : settings.withdraw_days;
    notice_on = today_text;
    withdraw_after = FormatDate(today + std::chrono::days{days});
  }
  if (change.status == kRequestOpen) {
    notice_on.reset();  // the requester answered: the withdrawal clock stops
    withdraw_after.reset();
  }
  if (change.status == kRequestWithdrawn && !change.by_requester) {
    bool waiting = request.status == kRequestAwaitingPayment ||
                   request.status == kRequestAwaitingClarification;
    if (!waiting || !withdraw_after || today_text <= *withdraw_after) {
      return Status::FailedPrecondition(
          "request " + request.id +
          (waiting && withdraw_after
               ? " may be treated as withdrawn only after " + *withdraw_after
               : " is not waiting on a payment or clarification request with notice") +
          "; use --by-requester if the requester withdrew it");
    }
  }
  if (IsClosedRequestStatus(change.status)) {
    closed_on = today_text;
    hold_release_on = FormatDate(today + std::chrono::days{settings.hold_release_days});
  } else {
    closed_on.reset();
    hold_release_on.reset();
  }
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      "UPDATE requests SET status = $1, status_reason = $2, status_provision = $3, "
      "notice_on = $4, withdraw_after = $5, closed_on = $6, hold_release_on = $7 WHERE id = $8",
      {change.status, reason, provision, OptValue(notice_on), OptValue(withdraw_after),
       OptValue(closed_on), OptValue(hold_release_on), request.id}));
  if (!IsClosedRequestStatus(change.status) && request.holds_released) {
    // Reopened after its holds were released: the responsive set is held again.
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("UPDATE requests SET holds_released = 0 WHERE id = $1", {request.id}));
    SUNSHINE_RETURN_IF_ERROR(PlaceRequestHold(store, actor, request.id, request.records));
  }
  JsonObject details = NewJsonObject();
  details->set("from", request.status);
  details->set("to", change.status);
  details->set("reason", reason);
  if (!provision.empty()) {
    details->set("provision", provision);
  }
  if (change.by_requester) {
    details->set("by_requester", true);
  }
  if (withdraw_after && notice_on == today_text) {
    details->set("withdraw_after", *withdraw_after);
    details->set("fee_cents", fee_cents);
  }
  if (hold_release_on) {
    details->set("hold_release_on", *hold_release_on);
  }
  SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "request.status", request.id, details));
  return Get(db, id);
}

Result<RequestRepository::SearchOutcome> RequestRepository::Search(
    Store& store, std::string_view actor, std::string_view id, const std::string& query,
    const RecordFilter& filter, bool add) {
  Database& db = store.db();
  return InWriteTransaction<SearchOutcome>(db, [&]() -> Result<SearchOutcome> {
    SearchOutcome outcome;
    SUNSHINE_ASSIGN_OR_RETURN(outcome.request, Get(db, id));
    const SunshineRequest& request = outcome.request;
    SUNSHINE_RETURN_IF_ERROR(RecordRepository::Search(db, query, filter, [&](const Record& record) {
      outcome.hits.push_back(record);
      return Status();
    }));
    JsonObject details = NewJsonObject();
    details->set("query", query);
    details->set("hits", static_cast<std::int64_t>(outcome.hits.size()));
    SUNSHINE_ASSIGN_OR_RETURN(
        std::int64_t seq,
        AuditLog::Append(db, actor, "request.search", RequestObject(request.id), ToJson(details)));
    (void)seq;
    if (add && !outcome.hits.empty()) {
      std::vector<std::int64_t> ids;
      for (const Record& record : outcome.hits) {
        ids.push_back(record.id);
      }
      SUNSHINE_ASSIGN_OR_RETURN(outcome.added, AddRecords(store, actor, request.id, ids));
    }
    return outcome;
  });
}

Result<int> RequestRepository::AddRecords(Store& store, std::string_view actor, std::string_view id,
                                          const std::vector<std::int64_t>& record_ids) {
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(SunshineRequest request, Get(db, id));
  SUNSHINE_RETURN_IF_ERROR(RequireOpen(request));
  std::vector<std::int64_t> added;
  std::int64_t now = ToEpoch(Clock::WallNow());
  for (std::int64_t record_id : record_ids) {
    SUNSHINE_ASSIGN_OR_RETURN(
        std::optional<std::string> status,
        db.QueryText("SELECT status FROM records WHERE id = $1", {record_id}));
    if (!status) {
      return Status::NotFound("no record " + std::to_string(record_id));
    }
    if (*status != "active") {
      return Status::FailedPrecondition("record " + std::to_string(record_id) + " is " + *status +
                                        "; only active records can be added");
    }
    if (std::find(request.records.begin(), request.records.end(), record_id) !=
            request.records.end() ||
        std::find(added.begin(), added.end(), record_id) != added.end()) {
      continue;
    }
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("INSERT INTO request_records (request_id, record_id, added_at, actor) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                {request.id, record_id, now, std::string(actor)}));
    added.push_back(record_id);
  }
  if (added.empty()) {
    return 0;
  }
  // From the moment a record is responsive it may not be destroyed (AG guidance on 610.023;
  // 610.027.1 once a suit is served): the request's automatic hold covers it.
  SUNSHINE_RETURN_IF_ERROR(PlaceRequestHold(store, actor, request.id, added));
  JsonObject details = NewJsonObject();
  JsonArray ids = NewJsonArray();
  for (std::int64_t record_id : added) {
    ids->add(record_id);
  }
  details->set("records", ids);
  details->set("hold", RequestObject(request.id));
  SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "request.add", request.id, details));
  return static_cast<int>(added.size());
}

Result<int> RequestRepository::RemoveRecords(Store& store, std::string_view actor,
                                             std::string_view id,
                                             const std::vector<std::int64_t>& record_ids,
                                             std::string_view reason) {
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(SunshineRequest request, Get(db, id));
  SUNSHINE_RETURN_IF_ERROR(RequireOpen(request));
  std::string why = Trimmed(reason);
  if (why.empty()) {
    return Status::InvalidInput("--reason is required to remove a record from a request");
  }
  std::vector<std::int64_t> removed;
  for (std::int64_t record_id : record_ids) {
    if (std::find(request.records.begin(), request.records.end(), record_id) ==
        request.records.end()) {
      return Status::NotFound("record " + std::to_string(record_id) + " is not in request " +
                              request.id);
    }
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("DELETE FROM request_records WHERE request_id = $1 AND record_id = $2",
                {request.id, record_id}));
    removed.push_back(record_id);
  }
  if (removed.empty()) {
    return 0;
  }
  SUNSHINE_RETURN_IF_ERROR(ReleaseRequestHold(store, actor, request.id, removed,
                                              "removed from the responsive set: " + why));
  JsonObject details = NewJsonObject();
  JsonArray ids = NewJsonArray();
  for (std::int64_t record_id : removed) {
    ids->add(record_id);
  }
  details->set("records", ids);
  details->set("reason", why);
  SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "request.remove", request.id, details));
  return static_cast<int>(removed.size());
}

Result<std::vector<std::string>> RequestRepository::ReleaseDueHolds(Store& store,
                                                                    std::string_view actor,
                                                                    SysDays today) {
  Database& db = store.db();
  std::vector<std::string> due;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT id FROM requests WHERE holds_released = 0 AND hold_release_on IS NOT NULL "
               "AND hold_release_on <= $1 ORDER BY id",
               {FormatDate(today)}, [&](const Row& row) {
                 due.push_back(row.Text(0));
                 return Status();
               }));
  for (const std::string& id : due) {
    SUNSHINE_ASSIGN_OR_RETURN(SunshineRequest request, Get(db, id));
    SUNSHINE_RETURN_IF_ERROR(ReleaseRequestHold(store, actor, id, request.records,
                                                "request " + id + " closed " +
                                                    request.closed_on.value_or("?") +
                                                    "; requests.hold_release_days elapsed"));
    SUNSHINE_RETURN_IF_ERROR(db.Exec("UPDATE requests SET holds_released = 1 WHERE id = $1", {id}));
    JsonObject details = NewJsonObject();
    details->set("records", static_cast<std::int64_t>(request.records.size()));
    details->set("closed_on", request.closed_on.value_or(""));
    SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "request.release-holds", id, details));
  }
  return due;
}

}  // namespace sunshine
