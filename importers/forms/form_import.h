// Importing web-form submissions: each submission becomes one record of kind form, with
// its exact bytes as the original, its values as form fields marked requested or not from
// the form's definition, and flags for what is wrong with it; items that cannot be read,
// or name no known form, are quarantined. Every import ends with a balance that must
// hold: seen = imported + duplicates + quarantined.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"
#include "engine/records/record.h"
#include "engine/store/store.h"
#include "importers/forms/form_definition.h"
#include "importers/forms/submission_parse.h"

namespace sunshine {

// Flags this importer sets on records (record.flags).
inline constexpr std::string_view kFlagMissingRequiredField = "missing-required-field";
inline constexpr std::string_view kFlagSubmissionTimeMissing = "submission-time-missing";
inline constexpr std::string_view kFlagDateUnparseable = "date-unparseable";
inline constexpr std::string_view kFlagUnrequestedFields = "unrequested-fields";

// The name under which completed input files are remembered (source_files.importer).
inline constexpr std::string_view kFormsImporterName = "forms";

// Where a submission came from, for the record's source location and time fallback.
struct SubmissionOrigin {
  std::string file;  // as recorded in the record's sources
  SubmissionFormat format = SubmissionFormat::kCsv;
  std::int64_t line = 0;
  std::optional<std::int64_t> file_mtime;  // epoch; the fallback received time
};

// "M/D/YYYY[ H:MM[:SS][ AM|PM]]" and ISO 8601 (fractional seconds ignored) through
// ParseDateTime; nullopt if neither reads.
std::optional<std::int64_t> ParseSubmissionTime(std::string_view text);

// "derived-" + 24 hex digits of SHA-256 over form id, time and the non-empty values sorted
// by normalised name, so the same submission exported as JSON or as CSV gets the same id.
std::string DeriveSubmissionId(std::string_view form_id, const RawSubmission& submission);

// Guesses the personal-data category of a value the form did not ask for from its name
// ("home_phone" -> phone); "free-text" when the name says nothing, so it is scanned.
std::string GuessCategory(std::string_view field_name);

// Pure: the record for one readable submission of a known form.
NewRecord BuildFormRecord(const FormDefinition& form, const RawSubmission& submission,
                          const SubmissionOrigin& origin, std::string_view original_bytes);

struct FormImportOptions {
  std::optional<SubmissionFormat> format;   // else detected per file
  std::optional<std::string> default_form;  // for submissions that name no form
};

struct FormImportCounts {
  std::int64_t seen = 0;
  std::int64_t imported = 0;
  std::int64_t duplicates = 0;  // same submission already stored (identical or linked)
  std::int64_t quarantined = 0;
  std::int64_t missing_required = 0;  // imported, flagged missing-required-field
  std::int64_t unrequested = 0;       // imported with at least one unrequested value

  void Add(const FormImportCounts& other);
  bool Balanced() const { return seen == imported + duplicates + quarantined; }
};

struct FormFileReport {
  std::string file;
  std::string format;
  bool skipped = false;  // already imported earlier (same bytes)
  FormImportCounts counts;
  std::vector<std::string> problems;  // "line 7: reason" for every quarantined item
};

// Imports one file in one write transaction (records, quarantine, the completed-file row
// and their audit events commit together), unless its bytes were imported before.
Result<FormFileReport> ImportFormFile(Store& store, std::string_view actor,
                                      const FormCatalog& catalog, const Path& file,
                                      const FormImportOptions& options);

// The input files under PATHs: files as given; folders walked recursively for *.json,
// *.jsonl, *.ndjson and *.csv, skipping hidden names and *.tmp / *.partial (still being
// written). Sorted, so runs are repeatable. NotFound naming a path that does not exist.
Result<std::vector<Path>> ExpandFormInputs(const std::vector<Path>& paths);

}  // namespace sunshine
