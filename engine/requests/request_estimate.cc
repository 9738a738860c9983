#include "engine/requests/request_estimate.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/audit/audit_log.h"
#include "engine/core/clock.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/redact/redactor.h"

namespace sunshine {

Result<double> ParseEstimateQuantity(std::string_view label, const std::string& text) {
  try {
    std::size_t used = 0;
    double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) {
      return value;
    }
  } catch (const std::exception&) {
  }
  return Status::InvalidInput(std::string(label) + " needs a number, not '" + text + "'");
}

std::int64_t EstimatePrintedPages(const Record& record) {
  std::int64_t lines = 8;  // header block
  auto count = [&](const std::string& text) {
    std::int64_t line = 0;
    for (char c : text) {
      ++line;
      if (c == '\n' || line >= 90) {
        ++lines;
        line = 0;
      }
    }
    ++lines;
  };
  count(record.body);
  for (const FormFieldValue& field : record.fields) {
    count(field.label + ": " + field.value);
  }
  for (const StoredAttachment& attachment : record.attachments) {
    count(attachment.text.value_or(""));
  }
  return std::max<std::int64_t>(1, (lines + 49) / 50);
}

Result<FeeInputs> RequestFeeInputs(Store& store, const SunshineRequest& request,
                                   const EstimateOverrides& overrides) {
  std::int64_t estimated_pages = 0;
  std::int64_t counted_ssn = 0;
  if (!overrides.pages || !overrides.ssn_redactions) {
    SUNSHINE_ASSIGN_OR_RETURN(Redactor redactor, Redactor::Create(store));
    for (std::int64_t record_id : request.records) {
      SUNSHINE_ASSIGN_OR_RETURN(Record record, RecordRepository::Get(store.db(), record_id));
      estimated_pages += EstimatePrintedPages(record);
      if (overrides.ssn_redactions) {
        continue;
      }
      SUNSHINE_ASSIGN_OR_RETURN(auto output, redactor.Redact(store, record_id));
      // One SSN repeated in a record carries one numbered marker: count each once.
      std::set<std::string> markers;
      for (const RedactionLogEntry& entry : output.record.log()) {
        if (entry.category == "ssn") {
          markers.insert(entry.marker);
        }
      }
      counted_ssn += static_cast<std::int64_t>(markers.size());
    }
  }
  SUNSHINE_ASSIGN_OR_RETURN(double minutes_per_record,
                            store.config().Real("requests.clerical_minutes_per_record", 5.0));
  FeeInputs inputs;
  inputs.format = request.format;
  inputs.pages = std::llround(overrides.pages.value_or(static_cast<double>(estimated_pages)));
  inputs.clerical_hours = overrides.clerical_hours.value_or(
      minutes_per_record * static_cast<double>(request.records.size()) / 60.0);
  inputs.research_hours = overrides.research_hours.value_or(0);
  inputs.ssn_redactions =
      std::llround(overrides.ssn_redactions.value_or(static_cast<double>(counted_ssn)));
  inputs.waiver_reason = overrides.waiver_reason;
  inputs.waiver_percent = overrides.waiver_percent.value_or(100);
  return inputs;
}

Result<JsonObject> RecordRequestEstimate(Store& store, std::string_view actor,
                                         const SunshineRequest& request,
                                         const FeeEstimate& estimate) {
  JsonObject json = FeeEstimateToJson(estimate);
  json->set("request", request.id);
  json->set("format", request.format);
  std::string text = ToJson(json);
  SUNSHINE_RETURN_IF_ERROR(store.db().Exec(
      "INSERT INTO request_estimates (request_id, at, actor, total_cents, waived, details) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {request.id, ToEpoch(Clock::WallNow()), std::string(actor), estimate.total_cents,
       std::int64_t{estimate.waiver_reason ? 1 : 0}, text}));
  SUNSHINE_ASSIGN_OR_RETURN(
      std::int64_t seq,
      AuditLog::Append(store.db(), actor, "request.estimate", RequestObject(request.id), text));
  (void)seq;
  return json;
}

}  // namespace sunshine
