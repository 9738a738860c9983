#include "engine/pipeline/nightly_run.h"

#include <sstream>

#include "engine/audit/audit_log.h"
#include "engine/core/time_format.h"
#include "engine/pipeline/run_lock.h"

namespace sunshine {

namespace {

constexpr const char* kActor = "system:nightly";

// Marks runs left unfinished by a killed process, so the history says what happened.
Status CloseAbandonedRuns(Database& db, std::vector<std::int64_t>& closed) {
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT id FROM runs WHERE kind = 'nightly' AND outcome IS NULL", {}, [&](const Row& row) {
        closed.push_back(row.Int(0));
        return Status();
      }));
  for (std::int64_t id : closed) {
    auto txn = Transaction::Begin(db);
    if (!txn.ok()) {
      return txn.status();
    }
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("UPDATE runs SET outcome = 'interrupted', finished_at = $1 WHERE id = $2 AND "
                "outcome IS NULL",
                {ToEpoch(Clock::WallNow()), id}));
    SUNSHINE_RETURN_IF_ERROR(db.Exec(
        "UPDATE run_steps SET outcome = 'interrupted' WHERE run_id = $1 AND outcome IS NULL",
        {id}));
    auto seq =
        AuditLog::Append(db, kActor, "nightly.interrupted", "run:" + std::to_string(id),
                         R"({"note":"run did not finish; steps are rerun by the next run"})");
    if (!seq.ok()) {
      return seq.status();
    }
    SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
  }
  return {};
}

}  // namespace

Result<NightlyReport> RunNightly(Store& store, const Clock& clock, Progress::Mode progress_mode,
                                 std::ostream& err, const std::vector<NightlyStep>& steps) {
  auto lock = RunLock::Acquire(store.home().lock_file());
  if (!lock.ok()) {
    return lock.status();
  }
  Database& db = store.db();
  std::vector<std::int64_t> abandoned;
  SUNSHINE_RETURN_IF_ERROR(CloseAbandonedRuns(db, abandoned));

  NightlyReport report;
  std::string as_of = FormatDate(clock.Today());
  {
    auto txn = Transaction::Begin(db);
    if (!txn.ok()) {
      return txn.status();
    }
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("INSERT INTO runs (kind, actor, as_of, started_at) VALUES ('nightly', $1, $2, $3)",
                {std::string(kActor), as_of, ToEpoch(Clock::WallNow())}));
    auto id = db.QueryInt("SELECT max(id) FROM runs");
    if (!id.ok()) {
      return id.status();
    }
    report.run_id = id->value_or(0);
    JsonObject details = NewJsonObject();
    details->set("as_of", as_of);
    details->set("steps", static_cast<int>(steps.size()));
    if ((*lock)->recovered_from()) {
      details->set("recovered_stale_lock", *(*lock)->recovered_from());
    }
    auto seq = AuditLog::Append(db, kActor, "nightly.start", "run:" + std::to_string(report.run_id),
                                ToJson(details));
    if (!seq.ok()) {
      return seq.status();
    }
    SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
  }

  std::ostringstream text;
  text << "Sunshine nightly run " << report.run_id << " (as of " << as_of << ")\n";
  if ((*lock)->recovered_from()) {
    text << "  note: recovered a stale lock left by a run that did not finish ("
         << *(*lock)->recovered_from() << ")\n";
  }
  for (std::int64_t id : abandoned) {
    text << "  note: run " << id << " was interrupted; its steps are redone by this run\n";
  }
  JsonObject json = NewJsonObject();
  json->set("run_id", report.run_id);
  json->set("as_of", as_of);
  JsonArray step_array = NewJsonArray();
  JsonArray warning_array = NewJsonArray();

  int ordinal = 0;
  for (const NightlyStep& step : steps) {
    ++ordinal;
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("INSERT INTO run_steps (run_id, ordinal, step, started_at) VALUES ($1, $2, $3, $4)",
                {report.run_id, std::int64_t{ordinal}, step.name, ToEpoch(Clock::WallNow())}));
    StepContext context{store, clock, kActor, progress_mode, err, report.run_id};
    Result<StepOutcome> outcome = Status::Internal("step did not run");
    try {
      outcome = step.run(context);
    } catch (const std::exception& error) {
      outcome = Status::Internal(std::string("unexpected exception: ") + error.what());
    }
    if (db.InTransaction()) {
      (void)db.Rollback();  // a step that failed mid-transaction leaves nothing half done
    }
    JsonObject step_json = NewJsonObject();
    step_json->set("step", step.name);
    std::string outcome_text;
    std::string message;
    if (outcome.ok()) {
      outcome_text = outcome->ok ? "ok" : "problems";
      step_json->set("outcome", outcome_text);
      step_json->set("counts", outcome->counts);
      text << "  [" << outcome_text << "] " << step.name << '\n';
      for (const std::string& line : outcome->lines) {
        text << "      " << line << '\n';
      }
      for (const std::string& warning : outcome->warnings) {
        text << "      WARNING: " << warning << '\n';
        warning_array->add(step.name + ": " + warning);
      }
      if (!outcome->ok) {
        report.ok = false;
      }
    } else {
      outcome_text = "failed";
      message = outcome.status().ToString();
      step_json->set("outcome", outcome_text);
      step_json->set("error", message);
      text << "  [FAILED] " << step.name << ": " << message << '\n';
      report.ok = false;
    }
    step_array->add(step_json);
    auto txn = Transaction::Begin(db);
    if (!txn.ok()) {
      return txn.status();
    }
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("UPDATE run_steps SET finished_at = $1, outcome = $2, counts = $3, message = $4 "
                "WHERE run_id = $5 AND ordinal = $6",
                {ToEpoch(Clock::WallNow()), outcome_text,
                 outcome.ok() ? ToJson(outcome->counts) : std::string("{}"), message, report.run_id,
                 std::int64_t{ordinal}}));
    auto seq = AuditLog::Append(db, kActor, "nightly.step", "run:" + std::to_string(report.run_id),
                                ToJson(step_json));
    if (!seq.ok()) {
      return seq.status();
    }
    SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
  }

  json->set("outcome", report.ok ? "ok" : "problems");
  json->set("steps", step_array);
  json->set("warnings", warning_array);
  text << "Outcome: " << (report.ok ? "ok" : "PROBLEMS (see above; exit status 1)") << '\n';

  Path dir = store.home().output_dir() / "nightly";
  std::string base = as_of + "-run" + std::to_string(report.run_id);
  report.text_file = (dir / (base + ".txt")).string();
  report.json_file = (dir / (base + ".json")).string();
  json->set("summary_file", report.text_file);
  SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(report.text_file, text.str()));
  SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(report.json_file, ToJson(json, 2) + "\n"));

  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return txn.status();
  }
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE runs SET finished_at = $1, outcome = $2, summary = $3 WHERE id = $4",
              {ToEpoch(Clock::WallNow()), std::string(report.ok ? "ok" : "problems"), ToJson(json),
               report.run_id}));
  JsonObject finish = NewJsonObject();
  finish->set("outcome", report.ok ? "ok" : "problems");
  finish->set("summary_file", report.text_file);
  auto seq = AuditLog::Append(db, kActor, "nightly.finish", "run:" + std::to_string(report.run_id),
                              ToJson(finish));
  if (!seq.ok()) {
    return seq.status();
  }
  SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
  report.text = text.str();
  report.json = json;
  return report;
}

}  // namespace sunshine
