// The Redactor over records in a real (temporary) store: policy decisions per record kind,
// numbered markers, stored results, reviewer corrections and their audit events.
#include "engine/redact/redactor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/audit/audit_log.h"
#include "engine/records/record_repository.h"
#include "engine/redact/policy.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Letter() {
  return testing::ReadTextFile(Path(SUNSHINE_SOURCE_DIR) / "tests/data/redact/citizen-letter.txt");
}

class RedactorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Init(Home(dir_.path() / "home"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  std::int64_t Put(const NewRecord& record) {
    auto txn = Transaction::Begin(store_->db());
    EXPECT_TRUE(txn.ok());
    auto put = RecordRepository::Put(*store_, "test", record);
    EXPECT_TRUE(put.ok()) << put.status().ToString();
    EXPECT_TRUE((*txn)->Commit().ok());
    return put.ok() ? put->record_id : 0;
  }

  std::int64_t PutMail(const std::string& sender, const std::string& body) {
    NewRecord r;
    r.kind = RecordKind::kMail;
    r.original_bytes = "From: " + sender + "\n\n" + body;
    r.dedup_key = "<" + std::to_string(++counter_) + "@test>";
    r.title = "Renewal question";
    r.sender = sender;
    r.sender_name =
        sender.find("sos.mo.gov") != std::string::npos ? "Karen Kessler" : "Harold Finchley";
    r.recipients = {"karen.kessler@sos.mo.gov", "someone.private@example.org"};
    r.body = body;
    r.source = {"eml", "test.eml", "file"};
    return Put(r);
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  int counter_ = 0;
};

TEST_F(RedactorTest, PrivateLetterIsRedactedWithNumberedMarkers) {
  std::int64_t id = PutMail("harold.finchley@example.net", Letter());
  auto redactor = Redactor::Create(*store_);
  ASSERT_TRUE(redactor.ok()) << redactor.status().ToString();
  auto out = redactor->Redact(*store_, id);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string& body = out->record.body();
  for (const char* secret : {"536-32-3065", "4929 5785 6933 9117", "555-0142",
                             "harold.finchley@example.net", "Finchley", "1234 Elm Ave"}) {
    EXPECT_THAT(body, Not(HasSubstr(secret))) << body;
  }
  EXPECT_THAT(body, HasSubstr("[REDACTED: SSN #1, RSMo 610.035]"));
  EXPECT_THAT(body, HasSubstr("[REDACTED: card number #1, RSMo 610.021(22)]"));
  // The same name twice gets the same number.
  std::size_t first = body.find("[REDACTED: name #1");
  ASSERT_NE(first, std::string::npos) << body;
  EXPECT_NE(body.find("[REDACTED: name #1", first + 1), std::string::npos) << body;
  // Staff correspondent stays; the private one is withheld; the sender (private) too.
  EXPECT_THAT(out->record.recipients(), HasSubstr("karen.kessler@sos.mo.gov"));
  EXPECT_THAT(out->record.recipients(), Not(HasSubstr("someone.private")));
  EXPECT_THAT(out->record.sender(), Not(HasSubstr("finchley")));
  // The staff member named in the salutation is not redacted.
  EXPECT_THAT(body, HasSubstr("Kessler"));
  // Leak list holds the values; log holds none of them.
  EXPECT_TRUE(out->leak_check.FoundIn("xx 536-32-3065 yy"));
  EXPECT_FALSE(out->leak_check.FoundIn(body));
  for (const RedactionLogEntry& entry : out->record.log()) {
    EXPECT_FALSE(entry.citation.empty());
    EXPECT_FALSE(out->leak_check.FoundIn(entry.description + entry.marker + entry.rule));
  }
}

TEST_F(RedactorTest, StaffMailKeepsStaffNames) {
  std::int64_t id = PutMail("karen.kessler@sos.mo.gov",
                            "Karen Kessler here. Please call 573-751-4936 about SSN 536-32-3065.");
  auto redactor = Redactor::Create(*store_);
  ASSERT_TRUE(redactor.ok());
  auto out = redactor->Redact(*store_, id);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->record.sender(), "karen.kessler@sos.mo.gov");
  EXPECT_EQ(out->record.sender_name(), "Karen Kessler");
  EXPECT_THAT(out->record.body(), HasSubstr("Karen Kessler here."));
  EXPECT_THAT(out->record.body(), Not(HasSubstr("536-32-3065")));
}

TEST_F(RedactorTest, FormsDiscloseRequestedFieldsOnly) {
  NewRecord form;
  form.kind = RecordKind::kForm;
  form.original_bytes = "{\"id\":\"f1\"}";
  form.dedup_key = "f1";
  form.title = "Contact us";
  form.form_id = "contact-us";
  form.fields = {
      {"name", "Name", "Sam Public", true, true, "name"},
      {"phone", "Phone", "573-751-4936", true, false, "phone"},
      {"message", "Message", "Call my cell 573-555-0199, SSN 536-32-3065.", true, true,
       "free-text"},
      {"dob", "Birthday", "1970-01-02", false, false, "date-of-birth"},
  };
  form.source = {"forms-json", "f.json", "line 1"};
  std::int64_t id = Put(form);
  auto redactor = Redactor::Create(*store_);
  ASSERT_TRUE(redactor.ok());
  auto out = redactor->Redact(*store_, id);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  std::map<std::string, std::string> values;
  for (const auto& field : out->record.fields()) {
    values[field.name] = field.value;
  }
  EXPECT_EQ(values["name"], "Sam Public");                         // requested: disclosable
  EXPECT_EQ(values["phone"], "573-751-4936");                      // requested: disclosable
  EXPECT_THAT(values["message"], Not(HasSubstr("573-555-0199")));  // free text
  bool unrequested = false;
  for (const RedactionLogEntry& entry : out->record.log()) {
    unrequested = unrequested || (entry.part == "field:message" && entry.category == "phone" &&
                                  entry.reason == "unrequested-personal-data");
  }
  EXPECT_TRUE(unrequested);
  EXPECT_THAT(values["message"], HasSubstr("[REDACTED: SSN #1, RSMo 610.035]"));
  EXPECT_THAT(values["dob"], HasSubstr("[REDACTED: "));  // not requested: withheld whole
  EXPECT_THAT(values["dob"], Not(HasSubstr("1970")));
}

TEST_F(RedactorTest, StoredResultsAndReviewerCorrectionsAreAudited) {
  std::int64_t id = PutMail("harold.finchley@example.net", Letter());
  auto redactor = Redactor::Create(*store_);
  ASSERT_TRUE(redactor.ok());
  {
    auto txn = Transaction::Begin(store_->db());
    auto computed = redactor->EnsureResults(*store_, "tester", id);
    ASSERT_TRUE(computed.ok()) << computed.status().ToString();
    EXPECT_TRUE(*computed);
    auto again = redactor->EnsureResults(*store_, "tester", id);
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(*again);  // idempotent
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  std::string body = Letter();
  std::size_t renewal = body.find("renewal");
  std::size_t ssn = body.find("536-32-3065");
  {
    auto txn = Transaction::Begin(store_->db());
    auto added =
        redactor->AddManual(*store_, "reviewer", id, "body", static_cast<std::int64_t>(renewal),
                            static_cast<std::int64_t>(renewal + 7), "private-personal-data");
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    auto bad = redactor->AddManual(*store_, "reviewer", id, "body", 0, 3, "no-such-reason");
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
    auto removed =
        redactor->RemoveSpan(*store_, "reviewer", id, "body", static_cast<std::int64_t>(ssn),
                             static_cast<std::int64_t>(ssn + 11), "false-positive");
    ASSERT_TRUE(removed.ok()) << removed.status().ToString();
    EXPECT_EQ(*removed, 1);
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto out = redactor->Redact(*store_, id);
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->record.body(), Not(HasSubstr("renewal")));
  EXPECT_THAT(out->record.body(), HasSubstr("536-32-3065"));  // released by the reviewer
  std::vector<std::string> actions;
  AuditFilter filter;
  filter.action = "redact.";
  ASSERT_TRUE(AuditLog::List(store_->db(), filter, [&](const AuditEvent& event) {
                actions.push_back(event.action + " " + event.actor);
                EXPECT_THAT(event.details, Not(HasSubstr("536-32-3065")));
                return Status();
              }).ok());
  EXPECT_THAT(actions, ::testing::ElementsAre("redact.compute tester", "redact.add reviewer",
                                              "redact.remove reviewer"));
}

TEST(RedactionPolicyTest, DefaultParsesAndBadPoliciesSayWhere) {
  auto policy = ParseRedactionPolicy(DefaultRedactionPolicyText(), "default");
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  EXPECT_EQ(policy->FindReason("ssn")->citation, "RSMo 610.035");
  EXPECT_EQ(policy->FindReason("card")->citation, "RSMo 610.021(22)");
  EXPECT_TRUE(policy->FindCategory("ssn")->always);
  EXPECT_FALSE(policy->FindReason("private-personal-data")->verified);
  auto bad = ParseRedactionPolicy("version = 1\nname = \"x\"\n[reasons.a]\nlabel = 3\n", "p.toml");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
  EXPECT_THAT(bad.status().message(), HasSubstr("p.toml"));
  auto syntax = ParseRedactionPolicy("version = = 1", "q.toml");
  EXPECT_THAT(syntax.status().message(), HasSubstr("q.toml:1:"));
  auto unknown = ParseRedactionPolicy(
      "version = 1\nname = \"x\"\n[reasons.a]\nlabel = \"a\"\ndescription = \"a\"\n"
      "citation = \"c\"\n[categories.socks]\nreason = \"a\"\n",
      "r.toml");
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown category socks"));
}

}  // namespace
}  // namespace sunshine
