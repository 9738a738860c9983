// The nightly run: a fixed, documented order of steps (docs/operations.md), each one
// transactional and idempotent, so a run killed at any point and rerun reaches the same
// final state as an uninterrupted one. The driver owns the lock, the run row, per-step
// rows, the summary and the audit events; a step owns only its work.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/json.h"
#include "engine/core/progress.h"
#include "engine/store/store.h"

namespace sunshine {

struct StepContext {
  Store& store;
  const Clock& clock;
  std::string actor;  // "system:nightly"
  Progress::Mode progress_mode;
  std::ostream& err;
  std::int64_t run_id = 0;
};

struct StepOutcome {
  bool ok = true;                       // false: the step found or met a problem
  JsonObject counts = NewJsonObject();  // what it did, for the summary and the run row
  std::vector<std::string> lines;       // human summary lines (what came in, what failed, ...)
  std::vector<std::string> warnings;    // shown prominently (e.g. no virus signatures)
};

struct NightlyStep {
  std::string name;         // "import-mail", "verify-audit-chain", ...
  std::string description;  // one line for docs and --help
  // Returning a non-OK Status is a step failure; the run goes on with the next step.
  std::function<Result<StepOutcome>(StepContext&)> run;
};

// The fixed order (engine/pipeline/nightly_steps.cc).
std::vector<NightlyStep> NightlySteps();

struct NightlyReport {
  std::int64_t run_id = 0;
  bool ok = true;
  std::string text;       // the summary as printed
  JsonObject json;        // the summary as JSON
  std::string text_file;  // where the summary was written
  std::string json_file;
};

// Runs the given steps under the lock. Busy if another run holds it.
Result<NightlyReport> RunNightly(Store& store, const Clock& clock, Progress::Mode progress_mode,
                                 std::ostream& err, const std::vector<NightlyStep>& steps);

}  // namespace sunshine
