// The nightly step "import-forms": web-form submissions from the configured drop folders
// (`import.forms_drop`, default ["drop/forms"]), each file imported once.
#pragma once

#include "engine/pipeline/nightly_run.h"

namespace sunshine {

Result<StepOutcome> ImportFormsStep(StepContext& context);

}  // namespace sunshine
