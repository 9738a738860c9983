// Disposition: what is due (dry run), freezing it into a proposed list, approval, and
// carrying out approved lists: destroy (content removed everywhere, tombstone and
// certificate kept), transfer to the State Archives (verified BagIt bag), transfer to
// another file (re-filing). RSMo 109.270: records "shall not be ... destroyed ... except as
// provided by law", so nothing is destroyed without an approved list (unless the office
// sets retention.require_approval = false) and never while a hold covers the record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/result.h"
#include "engine/retention/retention_config.h"
#include "engine/store/store.h"

namespace sunshine {

struct DueEntry {
  std::int64_t record_id = 0;
  std::string kind;
  std::string item_id;
  std::string action;        // destroy | transfer-to-archives | transfer-to-file
  std::string trigger_date;  // YYYY-MM-DD
  std::string due_date;
  std::vector<std::int64_t> holds;
  std::optional<std::int64_t> list_id;  // already in an open (proposed/approved) list
};

// Classified active records whose due date is on or before `today`, oldest due first.
// Permanent items and event-based items without their event never appear.
Result<std::vector<DueEntry>> ComputeDue(Database& db, const RetentionContext& retention,
                                         SysDays today);

// The trigger date the record's retention counts from under `item` (received date, or the
// recorded event for event-based items); nullopt when the event has not happened.
Result<std::optional<SysDays>> TriggerDate(Database& db, std::int64_t record_id,
                                           const ScheduleItem& item);

struct ProposeResult {
  std::int64_t list_id = 0;  // 0: nothing was due, no list made
  std::int64_t records = 0;
  std::int64_t skipped_held = 0;
  std::int64_t already_listed = 0;
};
// Freezes the due destroy / transfer-to-archives entries not held and not already in an
// open list into a new "proposed" list (audited "dispose.propose").
Result<ProposeResult> ProposeList(Database& db, const RetentionContext& retention, SysDays today,
                                  std::string_view actor, std::int64_t now_epoch);

// Audited "dispose.approve". The list must be proposed; the approver's name is kept in every
// tombstone and the certificate.
Status ApproveList(Database& db, std::string_view actor, std::int64_t list_id,
                   std::string_view approver, std::int64_t now_epoch);

struct ListSummary {
  std::int64_t id = 0;
  std::string status;
  std::string as_of;
  std::int64_t proposed_at = 0;
  std::string proposed_by;
  std::optional<std::int64_t> approved_at;
  std::string approved_by;
  std::optional<std::int64_t> executed_at;
  std::string certificate;
  std::int64_t records = 0;
  std::int64_t done = 0;
  std::int64_t skipped = 0;
};
Result<std::vector<ListSummary>> ListDispositionLists(Database& db);

struct ListItem {
  std::int64_t record_id = 0;
  std::string item_id;
  std::string action;
  std::string trigger_date;
  std::string due_date;
  std::string status;
  std::string detail;
};
Result<std::vector<ListItem>> DispositionListItems(Database& db, std::int64_t list_id);

struct ExecuteReport {
  std::vector<std::int64_t> lists;
  std::int64_t destroyed = 0;
  std::int64_t transferred = 0;
  std::int64_t skipped_held = 0;
  std::int64_t skipped_changed = 0;
  std::int64_t failed = 0;
  std::vector<std::string> certificates;  // text files written
  std::vector<std::string> lines;         // human summary
};

// Carries out every approved list (or only `only_list`). Each record is one transaction
// (hold check inside it), so a SIGKILL leaves each record whole or fully destroyed, and a
// rerun finishes the rest. Then removes queued blob files, optimizes the full-text index,
// checkpoints (and compacts) the database, writes the certificate and marks the list executed.
Result<ExecuteReport> ExecuteApprovedLists(Store& store, const RetentionContext& retention,
                                           std::string_view actor, const Clock& clock,
                                           std::optional<std::int64_t> only_list = std::nullopt);

// Re-files records of transfer-to-file items that are due into the item they join
// (audited "dispose.transfer-to-file"); returns how many moved.
Result<std::int64_t> ApplyTransfersToFile(Database& db, const RetentionContext& retention,
                                          SysDays today, std::string_view actor,
                                          std::int64_t now_epoch);

}  // namespace sunshine
