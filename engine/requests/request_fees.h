// Fee estimates under RSMo 610.026 (and 610.035 for the cost of redacting Social Security
// numbers). Pure: rates come from configuration, quantities from the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/json.h"
#include "engine/core/result.h"
#include "engine/store/config.h"

namespace sunshine {

struct FeeRates {
  // 610.026: paper copies up to 9 x 14 inches "shall not exceed ten cents per page".
  std::int64_t copy_cents_per_page = 10;
  // 610.026: duplicating time at no more than the average hourly rate of clerical staff.
  std::int64_t clerical_hourly_cents = 0;
  // 610.026: research time "at the actual cost of research time".
  std::int64_t research_hourly_cents = 0;
  // Minutes of clerical time per SSN redacted; 610.035 lets that cost be charged.
  double ssn_redaction_minutes_each = 1.0;

  // requests.copy_cents_per_page (at most 10), requests.clerical_hourly_rate and
  // requests.research_hourly_rate (dollars), requests.ssn_redaction_minutes.
  static Result<FeeRates> FromConfig(const Config& config);
};

struct FeeInputs {
  std::string format = "electronic";  // paper: per-page copies are charged
  std::int64_t pages = 0;
  double clerical_hours = 0;  // duplication / production time
  double research_hours = 0;  // search and review time
  std::int64_t ssn_redactions = 0;
  std::optional<std::string> waiver_reason;  // public-interest waiver or reduction
  double waiver_percent = 100;               // share of the subtotal waived
};

struct FeeLine {
  std::string item;      // "Paper copies"
  std::string basis;     // "RSMo 610.026.1(1): at most $0.10 per page"
  std::string quantity;  // "37 pages", "1.50 hours"
  std::int64_t unit_cents = 0;
  std::int64_t amount_cents = 0;
};

struct FeeEstimate {
  std::vector<FeeLine> lines;
  std::int64_t subtotal_cents = 0;
  std::int64_t waived_cents = 0;
  std::int64_t total_cents = 0;
  std::optional<std::string> waiver_reason;
};

// InvalidInput for negative quantities, a waiver percent outside 0-100, or a waiver percent
// without a reason.
Result<FeeEstimate> EstimateFees(const FeeRates& rates, const FeeInputs& inputs);
std::string FormatCents(std::int64_t cents);  // "$12.34", "-$1.00"
JsonObject FeeEstimateToJson(const FeeEstimate& estimate);

}  // namespace sunshine
