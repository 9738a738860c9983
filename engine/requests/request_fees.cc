#include "engine/requests/request_fees.h"

#include <cmath>
#include <cstdio>

namespace sunshine {

namespace {

std::int64_t DollarsToCents(double dollars) {
  return static_cast<std::int64_t>(std::llround(dollars * 100.0));
}

std::string Hours(double hours) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f hours", hours);
  return text;
}

}  // namespace

Result<FeeRates> FeeRates::FromConfig(const Config& config) {
  FeeRates rates;
  SUNSHINE_ASSIGN_OR_RETURN(rates.copy_cents_per_page,
                            config.Int("requests.copy_cents_per_page", 10));
  if (rates.copy_cents_per_page < 0 || rates.copy_cents_per_page > 10) {
    return Status::InvalidInput(config.source() +
                                ": requests.copy_cents_per_page must be 0 to 10: RSMo 610.026 "
                                "caps paper copies at ten cents per page");
  }
  SUNSHINE_ASSIGN_OR_RETURN(double clerical, config.Real("requests.clerical_hourly_rate", 0.0));
  SUNSHINE_ASSIGN_OR_RETURN(double research, config.Real("requests.research_hourly_rate", 0.0));
  SUNSHINE_ASSIGN_OR_RETURN(rates.ssn_redaction_minutes_each,
                            config.Real("requests.ssn_redaction_minutes", 1.0));
  if (clerical < 0 || research < 0 || rates.ssn_redaction_minutes_each < 0) {
    return Status::InvalidInput(config.source() + ": requests rates must not be negative");
  }
  rates.clerical_hourly_cents = DollarsToCents(clerical);
  rates.research_hourly_cents = DollarsToCents(research);
  return rates;
}

Result<FeeEstimate> EstimateFees(const FeeRates& rates, const FeeInputs& inputs) {
  if (inputs.pages < 0 || inputs.clerical_hours < 0 || inputs.research_hours < 0 ||
      inputs.ssn_redactions < 0) {
    return Status::InvalidInput("fee quantities must not be negative");
  }
  if (inputs.waiver_percent < 0 || inputs.waiver_percent > 100) {
    return Status::InvalidInput("--waive-percent must be between 0 and 100");
  }
  FeeEstimate estimate;
  if (inputs.format == "paper" && inputs.pages > 0) {
    estimate.lines.push_back({"Paper copies", "RSMo 610.026: at most $0.10 per page",
                              std::to_string(inputs.pages) + " pages", rates.copy_cents_per_page,
                              inputs.pages * rates.copy_cents_per_page});
  }
  if (inputs.clerical_hours > 0) {
    estimate.lines.push_back(
        {"Duplication and production time",
         "RSMo 610.026: at most the average hourly rate of clerical staff",
         Hours(inputs.clerical_hours), rates.clerical_hourly_cents,
         std::llround(inputs.clerical_hours * static_cast<double>(rates.clerical_hourly_cents))});
  }
  if (inputs.research_hours > 0) {
    estimate.lines.push_back(
        {"Research time", "RSMo 610.026: actual cost of research time",
         Hours(inputs.research_hours), rates.research_hourly_cents,
         std::llround(inputs.research_hours * static_cast<double>(rates.research_hourly_cents))});
  }
  if (inputs.ssn_redactions > 0) {
    double hours =
        static_cast<double>(inputs.ssn_redactions) * rates.ssn_redaction_minutes_each / 60.0;
    estimate.lines.push_back(
        {"Redaction of Social Security numbers",
         "RSMo 610.035: the cost of complying may be charged to the requester",
         std::to_string(inputs.ssn_redactions) + " SSNs, " + Hours(hours),
         rates.clerical_hourly_cents,
         std::llround(hours * static_cast<double>(rates.clerical_hourly_cents))});
  }
  for (const FeeLine& line : estimate.lines) {
    estimate.subtotal_cents += line.amount_cents;
  }
  if (inputs.waiver_reason) {
    if (inputs.waiver_reason->find_first_not_of(" \t") == std::string::npos) {
      return Status::InvalidInput("a fee waiver needs a reason (RSMo 610.026: public interest)");
    }
    estimate.waiver_reason = inputs.waiver_reason;
    estimate.waived_cents =
        std::llround(static_cast<double>(estimate.subtotal_cents) * inputs.waiver_percent / 100.0);
  } else if (inputs.waiver_percent != 100) {
    return Status::InvalidInput("--waive-percent needs --waive REASON");
  }
  estimate.total_cents = estimate.subtotal_cents - estimate.waived_cents;
  return estimate;
}

std::string FormatCents(std::int64_t cents) {
  char text[48];
  std::int64_t magnitude = cents < 0 ? -cents : cents;
  std::snprintf(text, sizeof text, "%s$%lld.%02lld", cents < 0 ? "-" : "",
                static_cast<long long>(magnitude / 100), static_cast<long long>(magnitude % 100));
  return text;
}

JsonObject FeeEstimateToJson(const FeeEstimate& estimate) {
  JsonObject out = NewJsonObject();
  JsonArray lines = NewJsonArray();
  for (const FeeLine& line : estimate.lines) {
    JsonObject item = NewJsonObject();
    item->set("item", line.item);
    item->set("basis", line.basis);
    item->set("quantity", line.quantity);
    item->set("unit_cents", line.unit_cents);
    item->set("amount_cents", line.amount_cents);
    item->set("amount", FormatCents(line.amount_cents));
    lines->add(item);
  }
  out->set("lines", lines);
  out->set("subtotal_cents", estimate.subtotal_cents);
  out->set("waived_cents", estimate.waived_cents);
  out->set("total_cents", estimate.total_cents);
  out->set("total", FormatCents(estimate.total_cents));
  if (estimate.waiver_reason) {
    out->set("waiver_reason", *estimate.waiver_reason);
  }
  return out;
}

}  // namespace sunshine
