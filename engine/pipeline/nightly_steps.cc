// The nightly run's steps, in their fixed order (documented in docs/operations.md). Each
// step is idempotent; the order matters: recover first, import before classify, classify
// before dispose, aggregate visits before purging them, verify the audit chain last so it
// covers everything this run wrote.
#include "engine/audit/audit_log.h"
#include "engine/core/time_format.h"
#include "engine/pipeline/import_forms_step.h"
#include "engine/pipeline/import_mail_step.h"
#include "engine/pipeline/nightly_run.h"
#include "engine/requests/request_steps.h"
#include "engine/retention/retention_steps.h"
#include "engine/visits/visit_steps.h"

namespace sunshine {

namespace {

Result<StepOutcome> FinishPendingDeletions(StepContext& context) {
  StepOutcome outcome;
  auto removed = context.store.blobs().ProcessPendingDeletions(context.store.db());
  if (!removed.ok()) {
    return removed.status();
  }
  outcome.counts->set("blob_files_removed", *removed);
  if (*removed > 0) {
    outcome.lines.push_back("finished removing " + std::to_string(*removed) +
                            " blob file(s) queued by an earlier destruction");
  }
  return outcome;
}

Result<StepOutcome> CheckFixity(StepContext& context) {
  StepOutcome outcome;
  auto cycle = context.store.config().Int("fixity.cycle_days", 30);
  if (!cycle.ok()) {
    return cycle.status();
  }
  Database& db = context.store.db();
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return txn.status();
  }
  auto report = context.store.blobs().CheckFixity(db, *cycle, ToEpoch(context.clock.Now()));
  if (!report.ok()) {
    return report.status();
  }
  for (const std::string& sha : report->bad) {
    JsonObject details = NewJsonObject();
    details->set("sha256", sha);
    details->set("problem", "content no longer matches its SHA-256, or the file is missing");
    auto seq = AuditLog::Append(db, context.actor, "fixity.failed", "blob:" + sha, ToJson(details));
    if (!seq.ok()) {
      return seq.status();
    }
    outcome.lines.push_back("FIXITY FAILURE: blob " + sha);
  }
  JsonObject details = NewJsonObject();
  details->set("checked", report->checked);
  details->set("bytes", report->bytes);
  details->set("mismatched", report->mismatched);
  details->set("missing", report->missing);
  details->set("cycle_days", *cycle);
  auto seq = AuditLog::Append(db, context.actor, "fixity.check",
                              "run:" + std::to_string(context.run_id), ToJson(details));
  if (!seq.ok()) {
    return seq.status();
  }
  SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
  outcome.counts = details;
  outcome.ok = report->mismatched == 0 && report->missing == 0;
  outcome.lines.push_back("re-hashed " + std::to_string(report->checked) + " blob(s), " +
                          std::to_string(report->mismatched + report->missing) + " failed");
  return outcome;
}

Result<StepOutcome> VerifyAuditChain(StepContext& context) {
  StepOutcome outcome;
  auto report = AuditLog::Verify(context.store.db());
  if (!report.ok()) {
    return report.status();
  }
  outcome.counts->set("events", report->events);
  outcome.counts->set("head_hash", report->head_hash);
  if (report->ok()) {
    outcome.lines.push_back("audit chain intact: " + std::to_string(report->events) +
                            " events, head " + report->head_hash.substr(0, 16));
  } else {
    outcome.ok = false;
    outcome.counts->set("first_broken_seq", *report->first_broken_seq);
    outcome.lines.push_back("AUDIT CHAIN BROKEN at event " +
                            std::to_string(*report->first_broken_seq) + ": " + report->problem);
  }
  return outcome;
}

}  // namespace

std::vector<NightlyStep> NightlySteps() {
  return {
      {"finish-pending-deletions", "remove blob files queued by an interrupted destruction",
       FinishPendingDeletions},
      {"import-mail", "import e-mail from the drop folders (import.mail_drop)", ImportMailStep},
      {"import-forms", "import web-form submissions from the drop folders (import.forms_drop)",
       ImportFormsStep},
      {"import-visits", "import web access logs from the drop folders (import.visits_drop)",
       ImportVisitsStep},
      {"classify", "give every new record one retention schedule item (or queue it for review)",
       RetentionClassifyStep},
      {"dispose-approved",
       "carry out approved disposition lists (destroy, transfer), write certificates",
       RetentionDisposeStep},
      {"holds-review", "flag holds not reviewed within retention.hold_review_months",
       RetentionHoldsReviewStep},
      {"requests",
       "release holds of requests closed requests.hold_release_days ago; report "
       "overdue requests and those due soon",
       RequestsNightlyStep},
      {"aggregate-visits", "finish visit statistics of past days and destroy their visitor keys",
       AggregateVisitsStep},
      {"purge-visits", "purge raw visit-log lines past retention (held days kept)",
       PurgeVisitsStep},
      {"fixity-check", "re-hash a rotating share of stored blobs (each once per cycle)",
       CheckFixity},
      {"verify-audit-chain", "recompute the audit hash chain", VerifyAuditChain},
  };
}

}  // namespace sunshine
