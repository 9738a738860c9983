#include "engine/retention/classification.h"

#include <cctype>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/retention/holds.h"

namespace sunshine {

namespace {

constexpr std::int64_t kBatch = 200;

std::string VersionsOf(const ScheduleSet& schedules) {
  std::string out;
  for (const Schedule& schedule : schedules.schedules()) {
    out += (out.empty() ? "" : ",") + schedule.id + "@" + schedule.version;
  }
  return out;
}

Status WriteClassification(Database& db, std::string_view actor, std::int64_t record_id,
                           const ScheduleItem& item, std::string_view method,
                           std::string_view reason, std::int64_t now, std::string_view action,
                           const std::optional<Classification>& previous) {
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      "INSERT INTO classifications (record_id, item_id, schedule_id, schedule_version, method, "
      "reason, classified_at, classified_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
      "ON CONFLICT (record_id) DO UPDATE SET item_id = excluded.item_id, "
      "schedule_id = excluded.schedule_id, schedule_version = excluded.schedule_version, "
      "method = excluded.method, reason = excluded.reason, "
      "classified_at = excluded.classified_at, classified_by = excluded.classified_by",
      {record_id, item.id, item.schedule_id, item.schedule_version, std::string(method),
       std::string(reason), now, std::string(actor)}));
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("DELETE FROM classification_queue WHERE record_id = $1", {record_id}));
  JsonObject details = NewJsonObject();
  details->set("item", item.id);
  details->set("schedule", item.schedule_id);
  details->set("schedule_version", item.schedule_version);
  details->set("method", std::string(method));
  details->set("reason", std::string(reason));
  if (previous) {
    details->set("previous_item", previous->item_id);
    details->set("previous_version", previous->schedule_version);
  }
  auto seq =
      AuditLog::Append(db, actor, action, "record:" + std::to_string(record_id), ToJson(details));
  return seq.ok() ? Status() : seq.status();
}

}  // namespace

Result<ClassifyInput> LoadClassifyInput(Database& db, std::int64_t record_id) {
  std::optional<ClassifyInput> input;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT kind, COALESCE(form_id, ''), folder, sender, recipients, title, body "
               "FROM records WHERE id = $1",
               {record_id}, [&](const Row& row) {
                 ClassifyInput in;
                 in.kind = row.Text(0);
                 in.form_id = row.Text(1);
                 in.folder = row.Text(2);
                 in.sender = row.Text(3);
                 in.recipients = SplitStoredRecipients(row.Text(4));
                 in.subject = row.Text(5);
                 in.body = row.Text(6);
                 input = std::move(in);
                 return Status();
               }));
  if (!input) {
    return Status::NotFound("no record " + std::to_string(record_id));
  }
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT media_type, filename FROM attachments WHERE record_id = $1 ORDER BY ordinal",
               {record_id}, [&](const Row& row) {
                 input->attachment_media_types.push_back(row.Text(0));
                 input->attachment_filenames.push_back(row.Text(1));
                 return Status();
               }));
  return *input;
}

Result<std::optional<Classification>> GetClassification(Database& db, std::int64_t record_id) {
  std::optional<Classification> out;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT record_id, item_id, schedule_id, schedule_version, method, reason, classified_at, "
      "classified_by FROM classifications WHERE record_id = $1",
      {record_id}, [&](const Row& row) {
        Classification c;
        c.record_id = row.Int(0);
        c.item_id = row.Text(1);
        c.schedule_id = row.Text(2);
        c.schedule_version = row.Text(3);
        c.method = row.Text(4);
        c.reason = row.Text(5);
        c.classified_at = row.Int(6);
        c.classified_by = row.Text(7);
        out = std::move(c);
        return Status();
      }));
  return out;
}

Result<ClassifyRunSummary> ClassifyUnclassified(Database& db, const ScheduleSet& schedules,
                                                std::string_view actor, std::int64_t now_epoch) {
  ClassifyRunSummary summary;
  std::string versions = VersionsOf(schedules);
  std::int64_t after = 0;
  while (true) {
    std::vector<std::int64_t> ids;
    SUNSHINE_RETURN_IF_ERROR(db.Query(
        "SELECT r.id FROM records r LEFT JOIN classifications c ON c.record_id = r.id "
        "WHERE c.record_id IS NULL AND r.status = 'active' AND r.id > $1 ORDER BY r.id LIMIT $2",
        {after, kBatch}, [&](const Row& row) {
          ids.push_back(row.Int(0));
          return Status();
        }));
    if (ids.empty()) {
      break;
    }
    after = ids.back();
    SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
    for (std::int64_t id : ids) {
      ++summary.examined;
      SUNSHINE_ASSIGN_OR_RETURN(ClassifyInput input, LoadClassifyInput(db, id));
      ClassifyOutcome outcome = Classify(schedules, input);
      if (!outcome.chosen) {
        SUNSHINE_RETURN_IF_ERROR(db.Exec(
            "INSERT INTO classification_queue (record_id, schedule_version, checked_at) "
            "VALUES ($1, $2, $3) ON CONFLICT (record_id) DO UPDATE SET "
            "schedule_version = excluded.schedule_version, checked_at = excluded.checked_at",
            {id, versions, now_epoch}));
        continue;
      }
      const ScheduleItem& item = *outcome.chosen->item;
      std::string reason = outcome.chosen->reason;
      if (outcome.candidates.size() > 1) {
        reason += " [won over " + std::to_string(outcome.candidates.size() - 1) +
                  " other matching rule(s), first " + outcome.candidates[1].item->id + "]";
      }
      SUNSHINE_RETURN_IF_ERROR(WriteClassification(db, actor, id, item, "rule", reason, now_epoch,
                                                   "classify.record", std::nullopt));
      ++summary.classified;
      ++summary.by_item[item.id];
    }
    SUNSHINE_RETURN_IF_ERROR(txn->Commit());
  }
  SUNSHINE_ASSIGN_OR_RETURN(
      auto queued,
      db.QueryInt("SELECT count(*) FROM records r LEFT JOIN classifications c ON "
                  "c.record_id = r.id WHERE c.record_id IS NULL AND r.status = 'active'"));
  summary.unmatched = queued.value_or(0);
  return summary;
}

Result<std::vector<RecheckChange>> RecheckClassifications(Database& db,
                                                          const ScheduleSet& schedules,
                                                          std::string_view actor,
                                                          std::int64_t now_epoch, bool dry_run) {
  std::vector<RecheckChange> changes;
  std::int64_t after = 0;
  while (true) {
    std::vector<Classification> batch;
    SUNSHINE_RETURN_IF_ERROR(
        db.Query("SELECT c.record_id, c.item_id, c.schedule_id, c.schedule_version, c.method "
                 "FROM classifications c JOIN records r ON r.id = c.record_id "
                 "WHERE r.status = 'active' AND c.record_id > $1 ORDER BY c.record_id LIMIT $2",
                 {after, kBatch}, [&](const Row& row) {
                   Classification c;
                   c.record_id = row.Int(0);
                   c.item_id = row.Text(1);
                   c.schedule_id = row.Text(2);
                   c.schedule_version = row.Text(3);
                   c.method = row.Text(4);
                   batch.push_back(std::move(c));
                   return Status();
                 }));
    if (batch.empty()) {
      break;
    }
    after = batch.back().record_id;
    SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
    for (const Classification& current : batch) {
      SUNSHINE_ASSIGN_OR_RETURN(ClassifyInput input, LoadClassifyInput(db, current.record_id));
      ClassifyOutcome outcome = Classify(schedules, input);
      RecheckChange change;
      change.record_id = current.record_id;
      change.from_item = current.item_id;
      change.from_version = current.schedule_version;
      if (outcome.chosen) {
        change.to_item = outcome.chosen->item->id;
        change.to_version = outcome.chosen->item->schedule_version;
        change.reason = outcome.chosen->reason;
      }
      const ScheduleItem* still = schedules.FindItem(current.item_id);
      if (current.method != "rule") {
        // Manual filings stand; reported only if their item disappeared.
        if (still != nullptr) {
          continue;
        }
        change.outcome = "kept-manual";
        change.reason = "item " + current.item_id + " is no longer in any schedule";
        changes.push_back(std::move(change));
        continue;
      }
      if (change.to_item == current.item_id && change.to_version == current.schedule_version) {
        continue;
      }
      if (!outcome.chosen) {
        change.outcome = "unmatched";
        change.reason = "no rule matches any more; classification kept for review";
        changes.push_back(std::move(change));
        continue;
      }
      SUNSHINE_ASSIGN_OR_RETURN(auto holds, HoldsOnRecord(db, current.record_id));
      if (!holds.empty() && change.to_item != current.item_id) {
        change.outcome = "kept-held";
        change.reason =
            "under hold " + std::to_string(holds.front()) + "; would move to " + change.to_item;
        changes.push_back(std::move(change));
        continue;
      }
      change.outcome = change.to_item == current.item_id ? "version-updated" : "moved";
      if (!dry_run) {
        SUNSHINE_RETURN_IF_ERROR(WriteClassification(db, actor, current.record_id,
                                                     *outcome.chosen->item, "rule", change.reason,
                                                     now_epoch, "classify.recheck", current));
      }
      changes.push_back(std::move(change));
    }
    if (dry_run) {
      SUNSHINE_RETURN_IF_ERROR(db.Rollback());
    } else {
      SUNSHINE_RETURN_IF_ERROR(txn->Commit());
    }
  }
  return changes;
}

Status SetClassification(Database& db, const ScheduleSet& schedules, std::string_view actor,
                         std::int64_t record_id, std::string_view item_id, std::string_view reason,
                         std::int64_t now_epoch) {
  if (reason.empty()) {
    return Status::InvalidInput("filing a record by hand needs --reason");
  }
  const ScheduleItem* item = schedules.FindItem(item_id);
  if (item == nullptr) {
    return Status::InvalidInput("no schedule item '" + std::string(item_id) +
                                "' (see 'sunshine schedules list')");
  }
  SUNSHINE_ASSIGN_OR_RETURN(auto status_text,
                            db.QueryText("SELECT status FROM records WHERE id = $1", {record_id}));
  if (!status_text) {
    return Status::NotFound("no record " + std::to_string(record_id));
  }
  if (*status_text != "active") {
    return Status::FailedPrecondition("record " + std::to_string(record_id) + " is " +
                                      *status_text + "; it can no longer be classified");
  }
  SUNSHINE_ASSIGN_OR_RETURN(auto previous, GetClassification(db, record_id));
  if (previous) {
    SUNSHINE_RETURN_IF_ERROR(CheckNotHeld(db, record_id));
  }
  return WriteClassification(db, actor, record_id, *item, "manual", reason, now_epoch,
                             "classify.manual", previous);
}

Result<std::vector<QueueEntry>> UnclassifiedRecords(Database& db, std::int64_t limit) {
  std::vector<QueueEntry> out;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT r.id, r.kind, r.title, r.sender, r.folder, r.received_at FROM records r "
               "LEFT JOIN classifications c ON c.record_id = r.id "
               "WHERE c.record_id IS NULL AND r.status = 'active' ORDER BY r.id LIMIT $1",
               {limit > 0 ? limit : INT64_MAX}, [&](const Row& row) {
                 QueueEntry e;
                 e.record_id = row.Int(0);
                 e.kind = row.Text(1);
                 e.title = row.Text(2);
                 e.sender = row.Text(3);
                 e.folder = row.Text(4);
                 e.received_at = row.OptInt(5);
                 out.push_back(std::move(e));
                 return Status();
               }));
  return out;
}

Status RecordEvent(Database& db, std::string_view actor, std::int64_t record_id,
                   std::string_view type, SysDays date, std::string_view note,
                   std::int64_t now_epoch) {
  if (type.empty()) {
    return Status::InvalidInput("an event needs a type, e.g. request-closed");
  }
  for (char c : type) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return Status::InvalidInput("event type '" + std::string(type) +
                                  "' must be lower-case letters, digits and '-'");
    }
  }
  SUNSHINE_ASSIGN_OR_RETURN(auto status_text,
                            db.QueryText("SELECT status FROM records WHERE id = $1", {record_id}));
  if (!status_text) {
    return Status::NotFound("no record " + std::to_string(record_id));
  }
  std::string day = FormatDate(date);
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      "INSERT INTO record_events (record_id, type, event_date, recorded_at, recorded_by, note) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (record_id, type, event_date) DO NOTHING",
      {record_id, std::string(type), day, now_epoch, std::string(actor), std::string(note)}));
  if (db.ChangedRows() == 0) {
    return {};
  }
  JsonObject details = NewJsonObject();
  details->set("type", std::string(type));
  details->set("date", day);
  details->set("note", std::string(note));
  auto seq = AuditLog::Append(db, actor, "event.record", "record:" + std::to_string(record_id),
                              ToJson(details));
  return seq.ok() ? Status() : seq.status();
}

Result<std::optional<SysDays>> LatestEvent(Database& db, std::int64_t record_id,
                                           std::string_view type) {
  SUNSHINE_ASSIGN_OR_RETURN(
      auto text, db.QueryText("SELECT max(event_date) FROM record_events WHERE record_id = $1 AND "
                              "type = $2",
                              {record_id, std::string(type)}));
  if (!text || text->empty()) {
    return std::optional<SysDays>();
  }
  SUNSHINE_ASSIGN_OR_RETURN(SysDays day, ParseDate(*text));
  return std::optional<SysDays>(day);
}

}  // namespace sunshine
