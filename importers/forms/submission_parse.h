// Pure parsers for web-form submissions (docs/formats/form-submissions.md): JSON (an array
// of submission objects, or one or more objects), JSON Lines, and CSV with a header row.
// Each function takes the file's bytes and returns one item per submission, in file order,
// each with its exact original bytes and starting line; an item that cannot be read says
// why instead, so the importer can quarantine it and go on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sunshine {

enum class SubmissionFormat : std::uint8_t { kJson, kJsonLines, kCsv };
std::string_view SubmissionFormatName(SubmissionFormat format);  // "json", "jsonl", "csv"
std::optional<SubmissionFormat> ParseSubmissionFormat(std::string_view name);
// By extension (.json, .jsonl/.ndjson, .csv), else by the first bytes: '[' is JSON; '{' is
// JSON Lines if every non-blank line starts with '{', else JSON; anything else is CSV.
SubmissionFormat DetectSubmissionFormat(std::string_view file_name, std::string_view bytes);

struct SubmittedValue {
  std::string name;  // as submitted (JSON key or CSV column heading)
  std::string value;
};

struct RawSubmission {
  std::optional<std::string> form_id;
  std::optional<std::string> submission_id;
  std::optional<std::string> submitted_at;  // as written
  std::vector<SubmittedValue> values;       // in submission order
};

struct SubmissionItem {
  std::int64_t line = 0;                    // 1-based line where the item starts
  std::string original_bytes;               // exactly as in the file (CSV: header line + row)
  std::optional<RawSubmission> submission;  // set when the item could be read
  std::string problem;                      // why not, otherwise
};

std::vector<SubmissionItem> ParseJsonSubmissions(std::string_view bytes);
std::vector<SubmissionItem> ParseJsonLinesSubmissions(std::string_view bytes);
std::vector<SubmissionItem> ParseCsvSubmissions(std::string_view bytes);
std::vector<SubmissionItem> ParseSubmissions(SubmissionFormat format, std::string_view bytes);

// One JSON object's text as a submission: reserved keys form_id, submission_id and
// submitted_at; the members of a "fields" object and every other key are field values.
// InvalidInput-style message in `problem` if the text is not a JSON object.
bool ParseSubmissionObject(std::string_view text, RawSubmission* out, std::string* problem);

// RFC 4180 CSV, as rows with their byte ranges (terminator excluded) and starting lines.
struct CsvRow {
  std::int64_t line = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::vector<std::string> fields;
  std::string error;  // non-empty: the row is malformed and `fields` is incomplete
};
std::vector<CsvRow> ReadCsvRows(std::string_view bytes);

}  // namespace sunshine
