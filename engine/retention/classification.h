// Classification of stored records against the schedules in force, the review queue of
// records no rule matches, manual filing, re-checking after a schedule change, and the event
// register that starts event-based retention. Every change appends its audit event in the
// same transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/result.h"
#include "engine/store/store.h"
#include "schedules/classifier.h"
#include "schedules/schedule.h"

namespace sunshine {

struct Classification {
  std::int64_t record_id = 0;
  std::string item_id;
  std::string schedule_id;
  std::string schedule_version;
  std::string method;  // rule | manual | transfer-to-file
  std::string reason;
  std::int64_t classified_at = 0;
  std::string classified_by;
};

struct ClassifyRunSummary {
  std::int64_t examined = 0;
  std::int64_t classified = 0;
  std::int64_t unmatched = 0;  // in the review queue after this run
  std::map<std::string, std::int64_t> by_item;
};

// The fields rules look at, read from the store.
Result<ClassifyInput> LoadClassifyInput(Database& db, std::int64_t record_id);

// Gives every active record without a classification exactly one item (or queues it).
// Commits in batches; safe to interrupt and rerun.
Result<ClassifyRunSummary> ClassifyUnclassified(Database& db, const ScheduleSet& schedules,
                                                std::string_view actor, std::int64_t now_epoch);

struct RecheckChange {
  std::int64_t record_id = 0;
  std::string from_item;
  std::string to_item;  // empty: no rule matches any more (kept, reported)
  std::string from_version;
  std::string to_version;
  std::string reason;
  std::string outcome;  // moved | version-updated | kept-manual | kept-held | unmatched
};

// Re-applies the rules to every classified active record. Moves those whose item changed
// (audited "classify.recheck"), updates the schedule version where only that changed, and
// never touches manual classifications or held records (reported instead).
Result<std::vector<RecheckChange>> RecheckClassifications(Database& db,
                                                          const ScheduleSet& schedules,
                                                          std::string_view actor,
                                                          std::int64_t now_epoch, bool dry_run);

// Files one record by hand (audited "classify.manual"). A held record cannot be refiled.
// REQUIRES: inside a write transaction.
Status SetClassification(Database& db, const ScheduleSet& schedules, std::string_view actor,
                         std::int64_t record_id, std::string_view item_id, std::string_view reason,
                         std::int64_t now_epoch);

Result<std::optional<Classification>> GetClassification(Database& db, std::int64_t record_id);

// Active records with no classification, oldest first.
struct QueueEntry {
  std::int64_t record_id = 0;
  std::string kind;
  std::string title;
  std::string sender;
  std::string folder;
  std::optional<std::int64_t> received_at;
};
Result<std::vector<QueueEntry>> UnclassifiedRecords(Database& db, std::int64_t limit);

// Records an event ("request-closed" on 2026-03-01) for a record: audited "event.record".
// Idempotent for the same record, type and date. REQUIRES: inside a write transaction.
Status RecordEvent(Database& db, std::string_view actor, std::int64_t record_id,
                   std::string_view type, SysDays date, std::string_view note,
                   std::int64_t now_epoch);
// The latest recorded date of that event for the record.
Result<std::optional<SysDays>> LatestEvent(Database& db, std::int64_t record_id,
                                           std::string_view type);

}  // namespace sunshine
