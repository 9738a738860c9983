#include "engine/retention/retention_steps.h"

#include "engine/core/time_format.h"
#include "engine/retention/classification.h"
#include "engine/retention/disposition.h"
#include "engine/retention/holds.h"
#include "engine/retention/retention_config.h"

namespace sunshine {

Result<StepOutcome> RetentionClassifyStep(StepContext& context) {
  StepOutcome outcome;
  SUNSHINE_ASSIGN_OR_RETURN(RetentionContext retention, LoadRetentionContext(context.store));
  Database& db = context.store.db();
  std::int64_t now = ToEpoch(context.clock.Now());
  SUNSHINE_ASSIGN_OR_RETURN(ClassifyRunSummary summary,
                            ClassifyUnclassified(db, retention.schedules, context.actor, now));
  SUNSHINE_ASSIGN_OR_RETURN(
      std::int64_t refiled,
      ApplyTransfersToFile(db, retention, context.clock.Today(), context.actor, now));
  outcome.counts->set("classified", summary.classified);
  outcome.counts->set("unclassified", summary.unmatched);
  outcome.counts->set("transferred_to_file", refiled);
  JsonObject by_item = NewJsonObject();
  std::string items;
  for (const auto& [item, n] : summary.by_item) {
    by_item->set(item, n);
    items += (items.empty() ? "" : ", ") + item + ": " + std::to_string(n);
  }
  outcome.counts->set("by_item", by_item);
  outcome.lines.push_back("classified " + std::to_string(summary.classified) + " record(s)" +
                          (items.empty() ? "" : " (" + items + ")"));
  if (refiled > 0) {
    outcome.lines.push_back("re-filed " + std::to_string(refiled) +
                            " record(s) into the file they join (transfer-to-file)");
  }
  if (summary.unmatched > 0) {
    outcome.warnings.push_back(std::to_string(summary.unmatched) +
                               " record(s) match no schedule rule and wait in the review queue "
                               "('sunshine classify queue', then 'sunshine classify set')");
  }
  return outcome;
}

Result<StepOutcome> RetentionDisposeStep(StepContext& context) {
  StepOutcome outcome;
  SUNSHINE_ASSIGN_OR_RETURN(RetentionContext retention, LoadRetentionContext(context.store));
  Database& db = context.store.db();
  std::int64_t now = ToEpoch(context.clock.Now());
  if (!retention.settings.require_approval) {
    SUNSHINE_ASSIGN_OR_RETURN(
        ProposeResult proposed,
        ProposeList(db, retention, context.clock.Today(), context.actor, now));
    if (proposed.list_id != 0) {
      auto txn = Transaction::Begin(db);
      if (!txn.ok()) {
        return txn.status();
      }
      SUNSHINE_RETURN_IF_ERROR(ApproveList(db, context.actor, proposed.list_id,
                                           "automatic (retention.require_approval = false)", now));
      SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
      outcome.warnings.push_back("disposition list " + std::to_string(proposed.list_id) +
                                 " approved automatically: retention.require_approval is false");
    }
  }
  SUNSHINE_ASSIGN_OR_RETURN(
      ExecuteReport report,
      ExecuteApprovedLists(context.store, retention, context.actor, context.clock));
  outcome.counts->set("lists", static_cast<std::int64_t>(report.lists.size()));
  outcome.counts->set("destroyed", report.destroyed);
  outcome.counts->set("transferred", report.transferred);
  outcome.counts->set("skipped_held", report.skipped_held);
  outcome.counts->set("skipped_changed", report.skipped_changed);
  outcome.counts->set("failed", report.failed);
  if (report.lists.empty()) {
    outcome.lines.push_back("no approved disposition list to carry out");
  } else {
    outcome.lines.push_back("destroyed " + std::to_string(report.destroyed) +
                            " record(s), transferred " + std::to_string(report.transferred) +
                            ", skipped " +
                            std::to_string(report.skipped_held + report.skipped_changed));
  }
  for (const std::string& line : report.lines) {
    outcome.lines.push_back(line);
  }
  outcome.ok = report.failed == 0;
  return outcome;
}

Result<StepOutcome> RetentionHoldsReviewStep(StepContext& context) {
  StepOutcome outcome;
  SUNSHINE_ASSIGN_OR_RETURN(RetentionSettings settings, LoadRetentionSettings(context.store));
  SysDays today = context.clock.Today();
  SysDays cutoff = AddPeriod(today, 0, -static_cast<int>(settings.hold_review_months), 0);
  std::int64_t cutoff_epoch = ToEpoch(SysSeconds(cutoff));
  SUNSHINE_ASSIGN_OR_RETURN(auto stale, HoldsNeedingReview(context.store.db(), cutoff_epoch));
  SUNSHINE_ASSIGN_OR_RETURN(auto active, ListHolds(context.store.db(), false));
  outcome.counts->set("active_holds", static_cast<std::int64_t>(active.size()));
  outcome.counts->set("review_overdue", static_cast<std::int64_t>(stale.size()));
  outcome.lines.push_back(std::to_string(active.size()) + " active hold(s), " +
                          std::to_string(stale.size()) + " overdue for review");
  for (const Hold& hold : stale) {
    outcome.warnings.push_back("hold " + std::to_string(hold.id) + " (" + hold.name +
                               ") not reviewed since " +
                               FormatDate(DayOf(FromEpoch(hold.last_reviewed_at))) + ", over " +
                               std::to_string(settings.hold_review_months) +
                               " months: confirm it with 'sunshine hold review " +
                               std::to_string(hold.id) + " --note TEXT' or release it");
  }
  return outcome;
}

}  // namespace sunshine
