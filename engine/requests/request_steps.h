// The nightly run's request step: releases the automatic holds of requests closed more than
// requests.hold_release_days ago, and reports overdue requests and those due within the next
// two business days (journeys.md: "requests due soon" in the summary).
#pragma once

#include "engine/pipeline/nightly_run.h"

namespace sunshine {

Result<StepOutcome> RequestsNightlyStep(StepContext& context);

}  // namespace sunshine
