#include "importers/forms/submission_parse.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <sstream>

#include "importers/forms/form_definition.h"

namespace sunshine {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    return {};
  }
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// Counts lines incrementally while a scanner moves forward through the text.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  std::int64_t LineAt(std::size_t pos) {
    for (; pos_ < pos && pos_ < text_.size(); ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
      }
    }
    return line_;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::int64_t line_ = 1;
};

// The end of the JSON value starting at `pos` found by bracket matching outside strings, or
// npos if it is never closed. The value itself is validated later by the real parser: this
// only finds where each submission's bytes begin and end, which Poco's parser cannot say.
std::size_t ScanJsonValue(std::string_view text, std::size_t pos) {
  char first = text[pos];
  if (first != '{' && first != '[' && first != '"') {
    while (pos < text.size() && text[pos] != ',' && text[pos] != ']' && text[pos] != '}' &&
           !IsJsonSpace(text[pos])) {
      ++pos;
    }
    return pos;
  }
  int depth = 0;
  bool in_string = false;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (in_string) {
      if (c == '\\') {
        ++pos;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) {
          return pos + 1;
        }
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) {
        return pos + 1;
      }
    }
  }
  return std::string_view::npos;
}

std::string VarText(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) {
    return "";
  }
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value.extract<Poco::JSON::Object::Ptr>(), out);
    return out.str();
  }
  if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    // A multiple-choice field ("interests": ["a", "b"]) reads best as a list; anything
    // nested deeper keeps its JSON text.
    auto array = value.extract<Poco::JSON::Array::Ptr>();
    std::string joined;
    for (std::size_t i = 0; i < array->size(); ++i) {
      Poco::Dynamic::Var element = array->get(static_cast<unsigned>(i));
      if (element.type() == typeid(Poco::JSON::Object::Ptr) ||
          element.type() == typeid(Poco::JSON::Array::Ptr)) {
        std::ostringstream out;
        Poco::JSON::Stringifier::condense(array, out);
        return out.str();
      }
      joined += (i == 0 ? "" : "; ") + VarText(element);
    }
    return joined;
  }
  if (value.isString()) {
    return value.extract<std::string>();
  }
  return value.convert<std::string>();
}

std::optional<std::string> NonEmpty(std::string text) {
  if (Trim(text).empty()) {
    return std::nullopt;
  }
  return std::string(Trim(text));
}

// Reserved names are matched in their normalised spelling, so a CSV heading "Form ID" or
// "Submitted At" works too.
enum class Reserved : std::uint8_t { kNone, kFormId, kSubmissionId, kSubmittedAt };
Reserved ReservedName(std::string_view name) {
  std::string normalised = NormaliseFieldName(name);
  if (normalised == "form_id") {
    return Reserved::kFormId;
  }
  if (normalised == "submission_id") {
    return Reserved::kSubmissionId;
  }
  if (normalised == "submitted_at") {
    return Reserved::kSubmittedAt;
  }
  return Reserved::kNone;
}

void AddValue(RawSubmission* out, std::string_view name, std::string value) {
  switch (ReservedName(name)) {
    case Reserved::kFormId:
      out->form_id = NonEmpty(std::move(value));
      break;
    case Reserved::kSubmissionId:
      out->submission_id = NonEmpty(std::move(value));
      break;
    case Reserved::kSubmittedAt:
      out->submitted_at = NonEmpty(std::move(value));
      break;
    case Reserved::kNone:
      out->values.push_back({std::string(name), std::move(value)});
      break;
  }
}

SubmissionItem ObjectItem(std::string_view text, std::int64_t line) {
  SubmissionItem item;
  item.line = line;
  item.original_bytes = std::string(text);
  RawSubmission submission;
  if (ParseSubmissionObject(text, &submission, &item.problem)) {
    item.submission = std::move(submission);
  }
  return item;
}

SubmissionItem ProblemItem(std::string_view bytes, std::int64_t line, std::string problem) {
  SubmissionItem item;
  item.line = line;
  item.original_bytes = std::string(bytes);
  item.problem = std::move(problem);
  return item;
}

}  // namespace

std::string_view SubmissionFormatName(SubmissionFormat format) {
  switch (format) {
    case SubmissionFormat::kJson:
      return "json";
    case SubmissionFormat::kJsonLines:
      return "jsonl";
    case SubmissionFormat::kCsv:
      return "csv";
  }
  return "csv";
}

std::optional<SubmissionFormat> ParseSubmissionFormat(std::string_view name) {
  if (name == "json") {
    return SubmissionFormat::kJson;
  }
  if (name == "jsonl" || name == "ndjson") {
    return SubmissionFormat::kJsonLines;
  }
  if (name == "csv") {
    return SubmissionFormat::kCsv;
  }
  return std::nullopt;
}

SubmissionFormat DetectSubmissionFormat(std::string_view file_name, std::string_view bytes) {
  std::string lower = Lower(file_name);
  if (EndsWith(lower, ".jsonl") || EndsWith(lower, ".ndjson")) {
    return SubmissionFormat::kJsonLines;
  }
  if (EndsWith(lower, ".json")) {
    return SubmissionFormat::kJson;
  }
  if (EndsWith(lower, ".csv")) {
    return SubmissionFormat::kCsv;
  }
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    bytes.remove_prefix(kUtf8Bom.size());
  }
  std::string_view trimmed = Trim(bytes);
  if (trimmed.empty() || trimmed.front() == '[') {
    return SubmissionFormat::kJson;
  }
  if (trimmed.front() != '{') {
    return SubmissionFormat::kCsv;
  }
  std::istringstream lines{std::string(trimmed)};
  for (std::string line; std::getline(lines, line);) {
    std::string_view content = Trim(line);
    if (!content.empty() && content.front() != '{') {
      return SubmissionFormat::kJson;
    }
  }
  return SubmissionFormat::kJsonLines;
}

bool ParseSubmissionObject(std::string_view text, RawSubmission* out, std::string* problem) {
  std::string_view trimmed = Trim(text);
  if (trimmed.empty() || trimmed.front() != '{') {
    *problem = "not a JSON object (a submission is an object of field names and values)";
    return false;
  }
  Poco::JSON::Object::Ptr object;
  try {
    // Key order is kept so unrequested values are listed as the person gave them.
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    Poco::Dynamic::Var value = parser.parse(std::string(text));
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
      *problem = "not a JSON object (a submission is an object of field names and values)";
      return false;
    }
    object = value.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& error) {
    *problem = "invalid JSON: " + error.displayText();
    return false;
  }
  std::vector<std::string> names;
  object->getNames(names);
  for (const std::string& name : names) {
    Poco::Dynamic::Var value = object->get(name);
    if (name == "fields") {
      if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
        *problem = "'fields' must be a JSON object of field names and values";
        return false;
      }
      auto fields = value.extract<Poco::JSON::Object::Ptr>();
      std::vector<std::string> field_names;
      fields->getNames(field_names);
      for (const std::string& field_name : field_names) {
        AddValue(out, field_name, VarText(fields->get(field_name)));
      }
      continue;
    }
    AddValue(out, name, VarText(value));
  }
  return true;
}

std::vector<SubmissionItem> ParseJsonSubmissions(std::string_view bytes) {
  std::vector<SubmissionItem> items;
  LineCounter lines(bytes);
  std::size_t pos = bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
  auto skip_space = [&] {
    while (pos < bytes.size() && IsJsonSpace(bytes[pos])) {
      ++pos;
    }
  };
  skip_space();
  if (pos == bytes.size()) {
    return items;
  }
  bool array = bytes[pos] == '[';
  if (!array && bytes[pos] != '{') {
    items.push_back(ProblemItem(bytes.substr(pos), lines.LineAt(pos),
                                "not JSON submissions: expected '[' or '{'"));
    return items;
  }
  if (array) {
    ++pos;
  }
  while (true) {
    skip_space();
    if (pos >= bytes.size()) {
      break;  // a missing final ']' loses nothing
    }
    char c = bytes[pos];
    if (c == ',') {
      ++pos;
      continue;
    }
    if (array && c == ']') {
      ++pos;
      skip_space();
      if (pos < bytes.size()) {
        items.push_back(ProblemItem(bytes.substr(pos), lines.LineAt(pos),
                                    "text after the end of the JSON array"));
      }
      break;
    }
    std::size_t end = ScanJsonValue(bytes, pos);
    if (end == std::string_view::npos) {
      items.push_back(ProblemItem(bytes.substr(pos), lines.LineAt(pos),
                                  "JSON value is never closed (missing '}' or '\"')"));
      break;
    }
    if (end == pos) {  // a stray '}' or ']'
      end = pos + 1;
    }
    items.push_back(ObjectItem(bytes.substr(pos, end - pos), lines.LineAt(pos)));
    pos = end;
  }
  return items;
}

std::vector<SubmissionItem> ParseJsonLinesSubmissions(std::string_view bytes) {
  std::vector<SubmissionItem> items;
  std::size_t pos = bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
  std::int64_t line = 1;
  while (pos < bytes.size()) {
    std::size_t newline = bytes.find('\n', pos);
    std::size_t end = newline == std::string_view::npos ? bytes.size() : newline;
    std::string_view text = bytes.substr(pos, end - pos);
    if (!text.empty() && text.back() == '\r') {
      text.remove_suffix(1);
    }
    if (!Trim(text).empty()) {
      items.push_back(ObjectItem(text, line));
    }
    pos = end + 1;
    ++line;
  }
  return items;
}

// Hand-written rather than libcsv (Debian libcsv-dev): the importer must keep each row's
// exact bytes and starting line for the record and for quarantine, and must resynchronise
// after a malformed row; libcsv reports neither row offsets nor lines and stops at the
// first error in strict mode. libfccp-dev (fast-cpp-csv-parser) fixes the column count at
// compile time. RFC 4180 plus what real exports do: LF, CRLF or bare-CR line ends, a UTF-8
// byte-order mark, blank lines between rows.
std::vector<CsvRow> ReadCsvRows(std::string_view s) {
  std::vector<CsvRow> rows;
  const std::size_t n = s.size();
  std::size_t pos = s.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
  std::int64_t line = 1;
  auto is_line_end = [&](std::size_t p) { return p >= n || s[p] == '\n' || s[p] == '\r'; };
  auto physical_line_end = [&](std::size_t p) {
    while (p < n && s[p] != '\n' && s[p] != '\r') {
      ++p;
    }
    return p;
  };
  auto skip_terminator = [&](std::size_t p) {
    if (p < n && s[p] == '\r') {
      ++p;
      if (p < n && s[p] == '\n') {
        ++p;
      }
    } else if (p < n && s[p] == '\n') {
      ++p;
    }
    ++line;
    return p;
  };
  while (pos < n) {
    if (s[pos] == '\n' || s[pos] == '\r') {
      pos = skip_terminator(pos);
      continue;
    }
    CsvRow row;
    row.line = line;
    row.begin = pos;
    const std::size_t first_line_end = physical_line_end(pos);
    std::string field;
    while (true) {
      if (pos < n && s[pos] == '"') {
        ++pos;
        bool closed = false;
        while (pos < n) {
          char c = s[pos];
          if (c == '"') {
            if (pos + 1 < n && s[pos + 1] == '"') {
              field += '"';
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\n' || (c == '\r' && !(pos + 1 < n && s[pos + 1] == '\n'))) {
            ++line;
          }
          field += c;
          ++pos;
        }
        if (!closed) {
          // Nothing says where the field should have ended: keep only the first line as
          // the broken row and read on from the next one.
          row.error = "quoted field is never closed";
          pos = first_line_end;
          line = row.line;
          break;
        }
        if (!is_line_end(pos) && s[pos] != ',') {
          row.error = "unexpected text after a closing quote";
          pos = physical_line_end(pos);
          break;
        }
      } else {
        while (pos < n && s[pos] != ',' && s[pos] != '\n' && s[pos] != '\r') {
          if (s[pos] == '"') {
            row.error = "quote inside an unquoted field";
            break;
          }
          field += s[pos];
          ++pos;
        }
        if (!row.error.empty()) {
          pos = physical_line_end(pos);
          break;
        }
      }
      row.fields.push_back(std::move(field));
      field.clear();
      if (pos < n && s[pos] == ',') {
        ++pos;
        continue;
      }
      break;
    }
    row.end = pos;
    rows.push_back(std::move(row));
    if (pos < n) {
      pos = skip_terminator(pos);
    }
  }
  return rows;
}

std::vector<SubmissionItem> ParseCsvSubmissions(std::string_view bytes) {
  std::vector<SubmissionItem> items;
  std::vector<CsvRow> rows = ReadCsvRows(bytes);
  if (rows.empty()) {
    return items;
  }
  const CsvRow& header = rows.front();
  if (!header.error.empty()) {
    items.push_back(ProblemItem(bytes.substr(header.begin), header.line,
                                "CSV header row is malformed: " + header.error));
    return items;
  }
  // Every submission's bytes carry the header line (with its line ending) so that the
  // stored original is a CSV file of its own that says what each value was.
  std::size_t header_end = header.end;
  if (header_end < bytes.size() && bytes[header_end] == '\r') {
    ++header_end;
  }
  if (header_end < bytes.size() && bytes[header_end] == '\n') {
    ++header_end;
  }
  std::string header_bytes(bytes.substr(header.begin, header_end - header.begin));
  if (header_end == header.end) {
    header_bytes += '\n';
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string name(Trim(header.fields[i]));
    names.push_back(name.empty() ? "column_" + std::to_string(i + 1) : name);
  }
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    SubmissionItem item;
    item.line = row.line;
    item.original_bytes = header_bytes + std::string(bytes.substr(row.begin, row.end - row.begin));
    if (!row.error.empty()) {
      item.problem = "malformed CSV row: " + row.error;
    } else if (row.fields.size() != names.size()) {
      item.problem = "CSV row has " + std::to_string(row.fields.size()) +
                     " field(s), the header has " + std::to_string(names.size());
    } else {
      RawSubmission submission;
      for (std::size_t i = 0; i < names.size(); ++i) {
        AddValue(&submission, names[i], row.fields[i]);
      }
      item.submission = std::move(submission);
    }
    items.push_back(std::move(item));
  }
  return items;
}

std::vector<SubmissionItem> ParseSubmissions(SubmissionFormat format, std::string_view bytes) {
  switch (format) {
    case SubmissionFormat::kJson:
      return ParseJsonSubmissions(bytes);
    case SubmissionFormat::kJsonLines:
      return ParseJsonLinesSubmissions(bytes);
    case SubmissionFormat::kCsv:
      return ParseCsvSubmissions(bytes);
  }
  return {};
}

}  // namespace sunshine
