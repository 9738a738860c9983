#include "importers/forms/form_import.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/sha256.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/store/quarantine.h"

namespace sunshine {

namespace {

std::string_view Trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    return {};
  }
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

bool Blank(std::string_view text) { return Trim(text).empty(); }

bool HasWord(const std::string& normalised, std::string_view word) {
  // Whole '_'-separated words only, so "address" does not match "email_address" as a
  // postal address when "email" is tested first, and "dob" does not match "adobe".
  std::size_t pos = 0;
  while ((pos = normalised.find(word, pos)) != std::string::npos) {
    bool starts = pos == 0 || normalised[pos - 1] == '_';
    std::size_t end = pos + word.size();
    bool ends = end == normalised.size() || normalised[end] == '_';
    if (starts && ends) {
      return true;
    }
    pos = end;
  }
  return false;
}

// "3/14/2026 2:05 PM" -> "2026-03-14 14:05:00": spreadsheets and many form builders export
// US dates like this.
std::optional<std::string> UsDateTimeToIso(std::string_view text) {
  int month = 0;
  int day = 0;
  int year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  char ampm[3] = {0, 0, 0};
  int consumed = 0;
  std::string input(text);
  int fields = std::sscanf(input.c_str(), "%d/%d/%d%n", &month, &day, &year, &consumed);
  if (fields != 3 || year < 1900 || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  std::string rest(Trim(std::string_view(input).substr(static_cast<std::size_t>(consumed))));
  if (!rest.empty()) {
    int time_consumed = 0;
    int time_fields = std::sscanf(rest.c_str(), "%d:%d%n", &hour, &minute, &time_consumed);
    if (time_fields != 2) {
      return std::nullopt;
    }
    std::string tail(Trim(std::string_view(rest).substr(static_cast<std::size_t>(time_consumed))));
    if (!tail.empty() && tail.front() == ':') {
      int seconds_consumed = 0;
      if (std::sscanf(tail.c_str(), ":%d%n", &second, &seconds_consumed) != 1) {
        return std::nullopt;
      }
      tail = std::string(
          Trim(std::string_view(tail).substr(static_cast<std::size_t>(seconds_consumed))));
    }
    if (!tail.empty()) {
      if (tail.size() != 2) {
        return std::nullopt;
      }
      ampm[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(tail[0])));
      ampm[1] = static_cast<char>(std::toupper(static_cast<unsigned char>(tail[1])));
      if ((ampm[0] != 'A' && ampm[0] != 'P') || ampm[1] != 'M' || hour < 1 || hour > 12) {
        return std::nullopt;
      }
      hour = (hour % 12) + (ampm[0] == 'P' ? 12 : 0);
    }
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour,
                minute, second);
  return std::string(buffer);
}

JsonArray ToJsonArray(const std::vector<std::string>& values) {
  JsonArray array = NewJsonArray();
  for (const std::string& value : values) {
    array->add(value);
  }
  return array;
}

JsonObject CountsJson(const FormImportCounts& counts) {
  JsonObject object = NewJsonObject();
  object->set("seen", counts.seen);
  object->set("imported", counts.imported);
  object->set("duplicates", counts.duplicates);
  object->set("quarantined", counts.quarantined);
  object->set("missing_required", counts.missing_required);
  object->set("unrequested", counts.unrequested);
  return object;
}

bool IsInputName(const std::string& name) {
  if (name.empty() || name.front() == '.') {
    return false;
  }
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view extension : {".json", ".jsonl", ".ndjson", ".csv"}) {
    if (lower.size() > extension.size() &&
        lower.compare(lower.size() - extension.size(), extension.size(), extension) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

void FormImportCounts::Add(const FormImportCounts& other) {
  seen += other.seen;
  imported += other.imported;
  duplicates += other.duplicates;
  quarantined += other.quarantined;
  missing_required += other.missing_required;
  unrequested += other.unrequested;
}

std::optional<std::int64_t> ParseSubmissionTime(std::string_view text) {
  std::string value(Trim(text));
  // Fractional seconds ("...:09.123Z") carry nothing the record needs.
  if (value.size() > 19 && value[10] == 'T' && value[19] == '.') {
    std::size_t end = 20;
    while (end < value.size() && value[end] >= '0' && value[end] <= '9') {
      ++end;
    }
    value.erase(19, end - 19);
  }
  if (auto parsed = ParseDateTime(value); parsed.ok()) {
    return ToEpoch(*parsed);
  }
  if (auto iso = UsDateTimeToIso(value)) {
    if (auto parsed = ParseDateTime(*iso); parsed.ok()) {
      return ToEpoch(*parsed);
    }
  }
  return std::nullopt;
}

std::string DeriveSubmissionId(std::string_view form_id, const RawSubmission& submission) {
  std::vector<std::pair<std::string, std::string>> values;
  for (const SubmittedValue& value : submission.values) {
    if (!Blank(value.value)) {
      values.emplace_back(NormaliseFieldName(value.name), std::string(Trim(value.value)));
    }
  }
  std::sort(values.begin(), values.end());
  Sha256 hasher;
  hasher.Update(form_id);
  hasher.Update(std::string_view("\0", 1));
  hasher.Update(submission.submitted_at.value_or(""));
  for (const auto& [name, value] : values) {
    hasher.Update(std::string_view("\0", 1));
    hasher.Update(name);
    hasher.Update("=");
    hasher.Update(value);
  }
  return "derived-" + hasher.HexDigest().substr(0, 24);
}

std::string GuessCategory(std::string_view field_name) {
  std::string name = NormaliseFieldName(field_name);
  auto any = [&](std::initializer_list<std::string_view> words) {
    return std::any_of(words.begin(), words.end(),
                       [&](std::string_view w) { return HasWord(name, w); });
  };
  if (any({"ssn", "social", "itin", "taxpayer"})) {
    return "ssn";
  }
  if (any({"email", "e_mail"})) {
    return "email";
  }
  if (any({"phone", "telephone", "tel", "mobile", "cell", "fax"})) {
    return "phone";
  }
  if (any({"dob", "birth", "birthday", "birthdate"})) {
    return "date-of-birth";
  }
  if (any({"account", "acct", "routing", "card", "iban", "license", "licence"})) {
    return "account-number";
  }
  if (any({"address", "street", "city", "zip", "zipcode", "postal"})) {
    return "postal-address";
  }
  if (any({"name", "firstname", "lastname", "surname"})) {
    return "name";
  }
  return "free-text";
}

NewRecord BuildFormRecord(const FormDefinition& form, const RawSubmission& submission,
                          const SubmissionOrigin& origin, std::string_view original_bytes) {
  NewRecord record;
  record.kind = RecordKind::kForm;
  record.original_bytes = std::string(original_bytes);
  record.form_id = form.id;
  record.title = form.title;
  record.source = {"forms-" + std::string(SubmissionFormatName(origin.format)), origin.file,
                   "line " + std::to_string(origin.line)};

  bool derived = !submission.submission_id.has_value();
  std::string submission_id =
      derived ? DeriveSubmissionId(form.id, submission) : *submission.submission_id;
  record.dedup_key = "form:" + form.id + ":" + submission_id;

  if (submission.submitted_at) {
    if (auto at = ParseSubmissionTime(*submission.submitted_at)) {
      record.received_at = *at;
      record.received_source = "submission";
    } else {
      record.flags.emplace_back(kFlagDateUnparseable);
    }
  } else {
    record.flags.emplace_back(kFlagSubmissionTimeMissing);
  }
  if (!record.received_at && origin.file_mtime) {
    record.received_at = origin.file_mtime;
    record.received_source = "file-mtime";
  }

  // Requested values in the form's order, then what the person added, in their order.
  std::vector<const SubmittedValue*> by_field(form.fields.size(), nullptr);
  std::vector<const SubmittedValue*> unrequested;
  for (const SubmittedValue& value : submission.values) {
    const FormFieldDefinition* field = form.FindField(value.name);
    if (field != nullptr) {
      auto index = static_cast<std::size_t>(field - form.fields.data());
      if (by_field[index] == nullptr) {
        by_field[index] = &value;
        continue;
      }
      // A second value for the same field was not asked for: keep it, but as unrequested
      // so it is closed rather than disclosed by mistake.
    }
    if (!Blank(value.value)) {  // an empty column of another form's export is no data
      unrequested.push_back(&value);
    }
  }
  std::vector<std::string> missing;
  std::vector<std::string> unrequested_names;
  // The body is what the person wrote in the form's own words: its requested free-text
  // values. Other values stay out of it: they are fields, shown and redacted as fields (an
  // unrequested value is withheld whole), and a copy in the body would be a second place for
  // the redactor to find them, or to miss them.
  std::string body;
  for (std::size_t i = 0; i < form.fields.size(); ++i) {
    const FormFieldDefinition& field = form.fields[i];
    const SubmittedValue* value = by_field[i];
    if (field.required && (value == nullptr || Blank(value->value))) {
      missing.push_back(field.name);
    }
    if (value == nullptr) {
      continue;
    }
    record.fields.push_back(
        {field.name, field.label, value->value, true, field.required, field.category});
    if (field.category == "free-text" && !Blank(value->value)) {
      body += (body.empty() ? "" : "\n\n") + value->value;
    }
  }
  for (const SubmittedValue* value : unrequested) {
    record.fields.push_back(
        {value->name, value->name, value->value, false, false, GuessCategory(value->name)});
    unrequested_names.push_back(value->name);
  }
  if (!missing.empty()) {
    record.flags.emplace_back(kFlagMissingRequiredField);
  }
  if (!unrequested.empty()) {
    record.flags.emplace_back(kFlagUnrequestedFields);
  }
  record.body = std::move(body);

  // The correspondent, for listings and `records search --sender`.
  std::vector<std::string> names;
  for (const FormFieldValue& field : record.fields) {
    if (!field.requested || Blank(field.value)) {
      continue;
    }
    if (field.category == "email" && record.sender.empty()) {
      record.sender = std::string(Trim(field.value));
    } else if (field.category == "name") {
      names.emplace_back(Trim(field.value));
    }
  }
  for (const std::string& name : names) {
    record.sender_name += (record.sender_name.empty() ? "" : " ") + name;
  }

  JsonObject metadata = NewJsonObject();
  metadata->set("form_id", form.id);
  metadata->set("form_title", form.title);
  metadata->set("form_version", form.version);
  metadata->set("submission_id", submission_id);
  metadata->set("submission_id_derived", derived);
  metadata->set("submitted_at", submission.submitted_at.value_or(""));
  metadata->set("input_format", std::string(SubmissionFormatName(origin.format)));
  metadata->set("purposes", ToJsonArray(form.purposes));
  metadata->set("agencies", ToJsonArray(form.agencies));
  metadata->set("missing_required_fields", ToJsonArray(missing));
  metadata->set("unrequested_fields", ToJsonArray(unrequested_names));
  record.metadata_json = ToJson(metadata);
  return record;
}

Result<FormFileReport> ImportFormFile(Store& store, std::string_view actor,
                                      const FormCatalog& catalog, const Path& file,
                                      const FormImportOptions& options) {
  FormFileReport report;
  boost::system::error_code ec;
  Path absolute = boost::filesystem::absolute(file, ec).lexically_normal();
  report.file = absolute.string();
  std::string bytes;
  {
    std::ifstream in(file.string(), std::ios::binary);
    if (!in) {
      return Status::IoError("cannot read " + file.string());
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
      return Status::IoError("cannot read " + file.string());
    }
    bytes = buffer.str();
  }
  SubmissionFormat format =
      options.format.value_or(DetectSubmissionFormat(file.filename().string(), bytes));
  report.format = std::string(SubmissionFormatName(format));
  std::string sha = Sha256Hex(bytes);

  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  SUNSHINE_ASSIGN_OR_RETURN(bool done, SourceFileCompleted(db, kFormsImporterName, sha));
  if (done) {
    report.skipped = true;
    return report;
  }
  std::optional<std::int64_t> mtime;
  std::time_t modified = boost::filesystem::last_write_time(file, ec);
  if (!ec) {
    mtime = static_cast<std::int64_t>(modified);
  }
  std::string importer = "forms-" + report.format;
  FormImportCounts& counts = report.counts;
  for (const SubmissionItem& item : ParseSubmissions(format, bytes)) {
    ++counts.seen;
    std::string problem = item.problem;
    const FormDefinition* form = nullptr;
    if (item.submission) {
      std::optional<std::string> form_id = item.submission->form_id;
      if (!form_id) {
        form_id = options.default_form;
      }
      if (!form_id) {
        problem = "the submission names no form (no form_id, and no --form given)";
      } else if ((form = catalog.Find(*form_id)) == nullptr) {
        problem = "unknown form id '" + *form_id + "' (no definition with that id)";
      }
    }
    if (form == nullptr) {
      std::string position = "line " + std::to_string(item.line);
      SUNSHINE_RETURN_IF_ERROR(
          QuarantineItemBytes(store, actor,
                              {importer, report.file, position, problem, item.original_bytes})
              .status());
      ++counts.quarantined;
      report.problems.push_back(position + ": " + problem);
      continue;
    }
    NewRecord record = BuildFormRecord(
        *form, *item.submission, {report.file, format, item.line, mtime}, item.original_bytes);
    SUNSHINE_ASSIGN_OR_RETURN(PutResult put, RecordRepository::Put(store, actor, record));
    if (put.outcome == PutOutcome::kInserted) {
      ++counts.imported;
      bool missing = std::find(record.flags.begin(), record.flags.end(),
                               kFlagMissingRequiredField) != record.flags.end();
      counts.missing_required += missing ? 1 : 0;
      counts.unrequested += std::any_of(record.fields.begin(), record.fields.end(),
                                        [](const FormFieldValue& f) { return !f.requested; })
                                ? 1
                                : 0;
    } else {
      ++counts.duplicates;
    }
  }
  JsonObject counts_json = CountsJson(counts);
  SUNSHINE_RETURN_IF_ERROR(MarkSourceFileCompleted(
      db,
      {std::string(kFormsImporterName), report.file, sha, static_cast<std::int64_t>(bytes.size())},
      ToJson(counts_json)));
  JsonObject details = NewJsonObject();
  details->set("path", report.file);
  details->set("sha256", sha);
  details->set("format", report.format);
  details->set("counts", counts_json);
  SUNSHINE_RETURN_IF_ERROR(
      AuditLog::Append(db, actor, "import.file", "file:" + sha, ToJson(details)).status());
  SUNSHINE_RETURN_IF_ERROR(txn->Commit());
  return report;
}

Result<std::vector<Path>> ExpandFormInputs(const std::vector<Path>& paths) {
  std::vector<Path> files;
  for (const Path& path : paths) {
    boost::system::error_code ec;
    if (boost::filesystem::is_regular_file(path, ec)) {
      files.push_back(path);
      continue;
    }
    if (!boost::filesystem::is_directory(path, ec)) {
      return Status::NotFound(path.string() + ": no such file or folder");
    }
    std::vector<Path> found;
    for (boost::filesystem::recursive_directory_iterator it(path, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (boost::filesystem::is_directory(it->path(), ec) && !name.empty() && name.front() == '.') {
        it.disable_recursion_pending();
        continue;
      }
      if (IsInputName(name) && boost::filesystem::is_regular_file(it->path(), ec)) {
        found.push_back(it->path());
      }
    }
    if (ec) {
      return Status::IoError("cannot list " + path.string() + ": " + ec.message());
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace sunshine
