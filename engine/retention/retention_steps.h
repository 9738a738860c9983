// The retention steps of the nightly run (registered in engine/pipeline/nightly_steps.cc,
// after the imports and before fixity-check): classify, dispose-approved, holds-review.
#pragma once

#include "engine/pipeline/nightly_run.h"

namespace sunshine {

// Classifies new records, re-files due transfer-to-file records, reports the review queue.
Result<StepOutcome> RetentionClassifyStep(StepContext& context);
// Carries out approved disposition lists (with retention.require_approval = false it first
// proposes and approves the due list itself, recording that no person approved it).
Result<StepOutcome> RetentionDisposeStep(StepContext& context);
// Flags active holds whose last review is older than retention.hold_review_months (SOS
// practice: status updates at least every six months).
Result<StepOutcome> RetentionHoldsReviewStep(StepContext& context);

}  // namespace sunshine
