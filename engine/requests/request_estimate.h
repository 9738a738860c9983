// A request's fee estimate from its responsive records (RSMo 610.026; 610.035 for SSN
// redaction). The CLI (`request estimate`) and the console compute and record estimates
// through these two calls, so both quote the same figures and the cover letter quotes the
// latest recorded one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/core/json.h"
#include "engine/core/result.h"
#include "engine/requests/request_fees.h"
#include "engine/requests/request_repository.h"
#include "engine/store/store.h"

namespace sunshine {

// What the officer states; anything unset is derived from the records.
struct EstimateOverrides {
  std::optional<double> pages;           // default: the records' printed length
  std::optional<double> clerical_hours;  // default: requests.clerical_minutes_per_record each
  std::optional<double> research_hours;  // default: 0
  std::optional<double> ssn_redactions;  // default: distinct SSNs the redactor marks
  std::optional<std::string> waiver_reason;
  std::optional<double> waiver_percent;  // default: 100 with a reason
};

// One stated quantity as typed by the officer: a finite decimal number (fractions allowed),
// nothing after it. `label` names it in the error ("--pages" on the command line, "pages" in the
// console).
Result<double> ParseEstimateQuantity(std::string_view label, const std::string& text);

// Pages a record prints to, roughly: 50 lines of about 90 characters per page.
std::int64_t EstimatePrintedPages(const Record& record);

// The quantities to price: the overrides, the rest derived from the records (runs the
// redactor when it needs the SSN count). Errors here are the store's or the configuration's;
// bad quantities are caught by EstimateFees, so callers can tell the officer apart from the
// installation.
Result<FeeInputs> RequestFeeInputs(Store& store, const SunshineRequest& request,
                                   const EstimateOverrides& overrides);

// Stores the estimate in request_estimates and audits "request.estimate". REQUIRES: write
// transaction. Returns the estimate as recorded (JSON with the request and its format).
Result<JsonObject> RecordRequestEstimate(Store& store, std::string_view actor,
                                         const SunshineRequest& request,
                                         const FeeEstimate& estimate);

}  // namespace sunshine
