// The nightly step "import-mail": mail from the configured drop folders (`import.mail_drop`,
// default ["drop/mail"]), each file imported once (same path and bytes: skipped).
#pragma once

#include "engine/pipeline/nightly_run.h"

namespace sunshine {

Result<StepOutcome> ImportMailStep(StepContext& context);

}  // namespace sunshine
