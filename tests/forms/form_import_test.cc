// The record built for a submission, and the importer conformance suite every importer
// passes: empty input, a broken item quarantined with its exact bytes, re-import is a
// no-op, and the balance seen = imported + duplicates + quarantined holds.
#include "importers/forms/form_import.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/core/sha256.h"
#include "engine/records/record_repository.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

constexpr std::string_view kDefinition = R"toml(
id = "general-inquiry"
title = "Contact Us"
version = 4
purposes = ["answer the question"]
agencies = []

[[fields]]
name = "first_name"
label = "First name"
required = true
category = "name"

[[fields]]
name = "last_name"
label = "Last name"
required = true
category = "name"

[[fields]]
name = "email"
label = "E-mail address"
required = true
category = "email"

[[fields]]
name = "message"
label = "Message"
required = true
category = "free-text"
)toml";

FormDefinition Definition() {
  auto form = ParseFormDefinition(kDefinition, "general-inquiry.toml");
  EXPECT_TRUE(form.ok()) << form.status().ToString();
  return *form;
}

RawSubmission Submission(std::vector<SubmittedValue> values) {
  RawSubmission submission;
  submission.form_id = "general-inquiry";
  submission.submitted_at = "2026-03-02T15:15:00Z";
  submission.values = std::move(values);
  return submission;
}

const FormFieldValue* FieldNamed(const NewRecord& record, std::string_view name) {
  for (const FormFieldValue& field : record.fields) {
    if (field.name == name) {
      return &field;
    }
  }
  return nullptr;
}

bool HasFlag(const std::vector<std::string>& flags, std::string_view flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

TEST(BuildFormRecordTest, RequestedAndUnrequestedValues) {
  FormDefinition form = Definition();
  RawSubmission submission = Submission({{"Message", "Where do I file?"},
                                         {"First Name", "Jane"},
                                         {"last_name", "Doe"},
                                         {"email", "jane.doe@example.com"},
                                         {"home_phone", "573-555-0142"},
                                         {"ssn", "123-45-6789"},
                                         {"fax", ""}});
  NewRecord record =
      BuildFormRecord(form, submission, {"in.csv", SubmissionFormat::kCsv, 7, 99}, "the,bytes");
  EXPECT_EQ(record.kind, RecordKind::kForm);
  EXPECT_EQ(record.original_bytes, "the,bytes");
  EXPECT_EQ(record.form_id, "general-inquiry");
  EXPECT_EQ(record.title, "Contact Us");
  EXPECT_EQ(record.received_at, 1772464500);
  EXPECT_EQ(record.received_source, "submission");
  EXPECT_EQ(record.source.importer, "forms-csv");
  EXPECT_EQ(record.source.file, "in.csv");
  EXPECT_EQ(record.source.position, "line 7");
  EXPECT_EQ(record.sender, "jane.doe@example.com");
  EXPECT_EQ(record.sender_name, "Jane Doe");
  // The form's order first, then what the person added; the empty extra is no data.
  ASSERT_EQ(record.fields.size(), 6u);
  EXPECT_EQ(record.fields[0].name, "first_name");
  EXPECT_EQ(record.fields[0].label, "First name");
  EXPECT_EQ(record.fields[0].value, "Jane");
  EXPECT_TRUE(record.fields[0].requested);
  EXPECT_TRUE(record.fields[0].required);
  EXPECT_EQ(record.fields[3].name, "message");
  const FormFieldValue* phone = FieldNamed(record, "home_phone");
  ASSERT_NE(phone, nullptr);
  EXPECT_FALSE(phone->requested);
  EXPECT_FALSE(phone->required);
  EXPECT_EQ(phone->category, "phone");
  const FormFieldValue* ssn = FieldNamed(record, "ssn");
  ASSERT_NE(ssn, nullptr);
  EXPECT_FALSE(ssn->requested);
  EXPECT_EQ(ssn->category, "ssn");
  EXPECT_EQ(FieldNamed(record, "fax"), nullptr);
  EXPECT_TRUE(HasFlag(record.flags, kFlagUnrequestedFields));
  EXPECT_FALSE(HasFlag(record.flags, kFlagMissingRequiredField));
  // The body is the free text the form asked for, nothing else.
  EXPECT_EQ(record.body, "Where do I file?");
  EXPECT_NE(record.metadata_json.find("\"unrequested_fields\":[\"home_phone\",\"ssn\"]"),
            std::string::npos)
      << record.metadata_json;
}

TEST(BuildFormRecordTest, MissingRequiredFieldIsFlaggedNotRefused) {
  FormDefinition form = Definition();
  RawSubmission submission =
      Submission({{"first_name", "Jane"}, {"last_name", "  "}, {"message", "Hello"}});
  NewRecord record =
      BuildFormRecord(form, submission, {"in.json", SubmissionFormat::kJson, 1, {}}, "{}");
  EXPECT_TRUE(HasFlag(record.flags, kFlagMissingRequiredField));
  EXPECT_FALSE(HasFlag(record.flags, kFlagUnrequestedFields));
  EXPECT_NE(record.metadata_json.find("\"missing_required_fields\":[\"last_name\",\"email\"]"),
            std::string::npos)
      << record.metadata_json;
  ASSERT_NE(FieldNamed(record, "last_name"), nullptr);  // an empty answer is still an answer
  EXPECT_EQ(FieldNamed(record, "email"), nullptr);
}

TEST(BuildFormRecordTest, SubmissionIdsAndTimes) {
  FormDefinition form = Definition();
  RawSubmission a = Submission({{"first_name", "Jane"}, {"message", "Hi"}});
  RawSubmission b = Submission({{"Message", " Hi "}, {"First Name", "Jane"}, {"extra", ""}});
  EXPECT_EQ(DeriveSubmissionId("general-inquiry", a), DeriveSubmissionId("general-inquiry", b));
  EXPECT_EQ(DeriveSubmissionId("general-inquiry", a).substr(0, 8), "derived-");
  EXPECT_EQ(DeriveSubmissionId("general-inquiry", a).size(), 32u);
  RawSubmission c = a;
  c.values[1].value = "Hello";
  EXPECT_NE(DeriveSubmissionId("general-inquiry", a), DeriveSubmissionId("general-inquiry", c));

  RawSubmission with_id = a;
  with_id.submission_id = "GI-2026-000123";
  NewRecord record = BuildFormRecord(form, with_id, {"f", SubmissionFormat::kJson, 1, {}}, "{}");
  EXPECT_EQ(record.dedup_key, "form:general-inquiry:GI-2026-000123");

  RawSubmission no_time = a;
  no_time.submitted_at.reset();
  record = BuildFormRecord(form, no_time, {"f", SubmissionFormat::kJson, 1, 1700000000}, "{}");
  EXPECT_TRUE(HasFlag(record.flags, kFlagSubmissionTimeMissing));
  EXPECT_EQ(record.received_at, 1700000000);
  EXPECT_EQ(record.received_source, "file-mtime");

  RawSubmission bad_time = a;
  bad_time.submitted_at = "yesterday";
  record = BuildFormRecord(form, bad_time, {"f", SubmissionFormat::kJson, 1, {}}, "{}");
  EXPECT_TRUE(HasFlag(record.flags, kFlagDateUnparseable));
  EXPECT_FALSE(record.received_at.has_value());

  EXPECT_EQ(ParseSubmissionTime("2026-03-02T15:15:00.250Z"), 1772464500);
  EXPECT_EQ(ParseSubmissionTime("2026-03-02T09:15:00-06:00"), 1772464500);
  EXPECT_EQ(ParseSubmissionTime("3/2/2026 2:05 PM"), ParseSubmissionTime("2026-03-02 14:05"));
  EXPECT_EQ(ParseSubmissionTime("3/2/2026 12:05 AM"), ParseSubmissionTime("2026-03-02 00:05"));
  EXPECT_EQ(ParseSubmissionTime("03/02/2026"), ParseSubmissionTime("2026-03-02"));
  EXPECT_FALSE(ParseSubmissionTime("13/2/2026").has_value());
  EXPECT_FALSE(ParseSubmissionTime("3/2/2026 14:05 PM").has_value());
}

TEST(BuildFormRecordTest, GuessesCategoriesOfUnrequestedValues) {
  EXPECT_EQ(GuessCategory("Home Phone"), "phone");
  EXPECT_EQ(GuessCategory("SSN"), "ssn");
  EXPECT_EQ(GuessCategory("social_security_number"), "ssn");
  EXPECT_EQ(GuessCategory("email_address"), "email");
  EXPECT_EQ(GuessCategory("DOB"), "date-of-birth");
  EXPECT_EQ(GuessCategory("bank_account"), "account-number");
  EXPECT_EQ(GuessCategory("street_address"), "postal-address");
  EXPECT_EQ(GuessCategory("maiden_name"), "name");
  EXPECT_EQ(GuessCategory("adobe_version"), "free-text");
  EXPECT_EQ(GuessCategory("comments"), "free-text");
}

// The importer conformance suite, run against a real store in a temporary home.
class FormImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Init(Home(dir_.path() / "home"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    catalog_.Add(Definition());
  }

  Path Write(const std::string& name, const std::string& bytes) {
    Path file = dir_.path() / "in" / name;
    testing::WriteTextFile(file, bytes);
    return file;
  }

  FormFileReport Import(const Path& file, FormImportOptions options = {}) {
    auto report = ImportFormFile(*store_, "test", catalog_, file, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : FormFileReport{};
  }

  std::int64_t Count(const std::string& sql) {
    auto value = store_->db().QueryInt(sql);
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    return value.ok() ? value->value_or(-1) : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  FormCatalog catalog_;
};

TEST_F(FormImportTest, EmptyInputsImportNothingAndBalance) {
  for (const char* name : {"empty.json", "empty.jsonl", "empty.csv", "header-only.csv"}) {
    std::string bytes = std::string(name) == "header-only.csv" ? "form_id,first_name\n" : "";
    FormFileReport report = Import(Write(name, bytes));
    // Empty files all have the same bytes: only the first one is read.
    EXPECT_EQ(report.skipped,
              std::string(name) == "empty.jsonl" || std::string(name) == "empty.csv")
        << name;
    EXPECT_EQ(report.counts.seen, 0) << name;
    EXPECT_TRUE(report.counts.Balanced()) << name;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM records"), 0);
  // The empty file's bytes are remembered: the second empty file is the same input.
  EXPECT_EQ(Count("SELECT count(*) FROM source_files"), 2);
}

TEST_F(FormImportTest, BrokenRowIsQuarantinedWithExactBytes) {
  std::string header = "form_id,submitted_at,first_name,last_name,email,message\r\n";
  std::string bad_row = "general-inquiry,2026-03-02 10:00,\"Jane\"x,Doe,j@example.com,Hi";
  std::string text =
      header + "general-inquiry,2026-03-02 09:00,Ann,Lee,ann@example.com,\"Two\nlines\"\r\n" +
      bad_row + "\r\n" + "no-such-form,2026-03-02 11:00,Bo,Ng,bo@example.com,Hey\r\n";
  Path file = Write("export.csv", text);
  FormFileReport report = Import(file);
  EXPECT_EQ(report.counts.seen, 3);
  EXPECT_EQ(report.counts.imported, 1);
  EXPECT_EQ(report.counts.quarantined, 2);
  EXPECT_TRUE(report.counts.Balanced());
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_EQ(report.problems[0], "line 4: malformed CSV row: unexpected text after a closing quote");
  EXPECT_EQ(report.problems[1],
            "line 5: unknown form id 'no-such-form' (no definition with that id)");

  std::string sha = Sha256Hex(header + bad_row);
  EXPECT_EQ(Count("SELECT count(*) FROM quarantine WHERE position = 'line 4' AND sha256 = '" + sha +
                  "' AND importer = 'forms-csv'"),
            1);
  EXPECT_EQ(testing::ReadTextFile(store_->home().quarantine_dir() / (sha + ".bin")),
            header + bad_row);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'import.quarantine'"), 2);

  // The imported record keeps its exact bytes and the embedded line break.
  auto id = store_->db().QueryInt("SELECT id FROM records");
  ASSERT_TRUE(id.ok() && id->has_value());
  auto record = RecordRepository::Get(store_->db(), **id);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->content_sha256,
            Sha256Hex(header +
                      "general-inquiry,2026-03-02 09:00,Ann,Lee,ann@example.com,\"Two\nlines\""));
  ASSERT_EQ(record->fields.size(), 4u);
  EXPECT_EQ(record->fields[3].value, "Two\nlines");
  ASSERT_EQ(record->sources.size(), 1u);
  EXPECT_EQ(record->sources[0].position, "line 2");
}

TEST_F(FormImportTest, ReimportIsANoOp) {
  std::string text =
      "{\"form_id\":\"general-inquiry\",\"submission_id\":\"S1\",\"first_name\":\"Jane\","
      "\"last_name\":\"Doe\",\"email\":\"jd@example.com\",\"message\":\"Hi\"}\n"
      "{broken\n";
  Path file = Write("a.jsonl", text);
  FormFileReport first = Import(file);
  EXPECT_EQ(first.counts.imported, 1);
  EXPECT_EQ(first.counts.quarantined, 1);
  std::int64_t events = Count("SELECT count(*) FROM audit_events");

  FormFileReport again = Import(file);
  EXPECT_TRUE(again.skipped);
  EXPECT_EQ(again.counts.seen, 0);
  FormFileReport copy = Import(Write("copy-of-a.jsonl", text));  // same bytes, other name
  EXPECT_TRUE(copy.skipped);
  EXPECT_EQ(Count("SELECT count(*) FROM records"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM quarantine"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events"), events);
}

TEST_F(FormImportTest, SameSubmissionInAnotherFileIsADuplicate) {
  Import(Write(
      "a.jsonl",
      "{\"form_id\":\"general-inquiry\",\"submission_id\":\"S1\",\"first_name\":\"Jane\"}\n"));
  FormFileReport report = Import(Write(
      "b.json",
      "[{\"form_id\": \"general-inquiry\", \"submission_id\": \"S1\", \"first_name\": \"Jane\"},\n"
      " {\"form_id\": \"general-inquiry\", \"submission_id\": \"S2\", \"first_name\": \"Bo\"}]"));
  EXPECT_EQ(report.counts.seen, 2);
  EXPECT_EQ(report.counts.imported, 1);
  EXPECT_EQ(report.counts.duplicates, 1);
  EXPECT_EQ(report.counts.missing_required, 1);
  EXPECT_TRUE(report.counts.Balanced());
}

TEST_F(FormImportTest, UnrequestedAndMissingAreStored) {
  FormFileReport report = Import(
      Write("c.csv",
            "Form ID,First Name,Last Name,Message,Home Phone\n"
            "general-inquiry,Jane,Doe,\"Please call, my home number is below\",573-555-0142\n"));
  ASSERT_EQ(report.counts.imported, 1);
  EXPECT_EQ(report.counts.missing_required, 1);  // no e-mail
  EXPECT_EQ(report.counts.unrequested, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM form_fields WHERE requested = 0 AND name = 'Home Phone' "
                  "AND category = 'phone'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM form_fields WHERE requested = 1 AND required = 1"), 3);
  auto id = store_->db().QueryInt("SELECT id FROM records");
  ASSERT_TRUE(id.ok() && id->has_value());
  auto record = RecordRepository::Get(store_->db(), **id);
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(HasFlag(record->flags, kFlagMissingRequiredField));
  EXPECT_TRUE(HasFlag(record->flags, kFlagSubmissionTimeMissing));
  EXPECT_EQ(record->form_id, "general-inquiry");
  int found = 0;
  Status status =
      RecordRepository::Search(store_->db(), "\"573-555-0142\"", {}, [&](const Record&) {
        ++found;
        return Status();
      });
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(found, 1);
}

TEST_F(FormImportTest, DefaultFormForExportsWithoutFormId) {
  Path file = Write("one-form.csv", "First Name,Last Name\nJane,Doe\n");
  FormFileReport without = Import(file);
  EXPECT_EQ(without.counts.quarantined, 1);
  ASSERT_EQ(without.problems.size(), 1u);
  EXPECT_EQ(without.problems[0],
            "line 2: the submission names no form (no form_id, and no --form given)");
  FormImportOptions options;
  options.default_form = "general-inquiry";
  FormFileReport with =
      Import(Write("one-form-again.csv", "First Name,Last Name\nAnn,Lee\n"), options);
  EXPECT_EQ(with.counts.imported, 1);
}

TEST(ExpandFormInputsTest, WalksFoldersForSubmissionFiles) {
  testing::TempDir dir;
  testing::WriteTextFile(dir.path() / "b.csv", "");
  testing::WriteTextFile(dir.path() / "sub" / "a.json", "");
  testing::WriteTextFile(dir.path() / "c.jsonl", "");
  testing::WriteTextFile(dir.path() / "notes.txt", "");
  testing::WriteTextFile(dir.path() / ".hidden.csv", "");
  testing::WriteTextFile(dir.path() / "upload.csv.partial", "");
  auto files = ExpandFormInputs({dir.path()});
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].filename(), "b.csv");
  EXPECT_EQ((*files)[1].filename(), "c.jsonl");
  EXPECT_EQ((*files)[2].filename(), "a.json");
  auto missing = ExpandFormInputs({dir.path() / "nope"});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sunshine
