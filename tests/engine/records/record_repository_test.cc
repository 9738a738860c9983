#include "engine/records/record_repository.h"

#include <gtest/gtest.h>

#include "engine/audit/audit_log.h"
#include "engine/core/sha256.h"
#include "engine/store/store.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

class RecordRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Init(Home(dir_.path() / "home"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  Result<PutResult> PutOne(const NewRecord& record) {
    auto txn = Transaction::Begin(store_->db());
    if (!txn.ok()) {
      return txn.status();
    }
    auto result = RecordRepository::Put(*store_, "tester", record);
    if (!result.ok()) {
      return result;
    }
    Status status = (*txn)->Commit();
    if (!status.ok()) {
      return status;
    }
    return result;
  }

  std::int64_t Count(const std::string& sql) {
    auto n = store_->db().QueryInt(sql);
    EXPECT_TRUE(n.ok());
    return n.ok() ? n->value_or(-1) : -1;
  }

  static NewRecord Mail(std::string bytes, std::string message_id) {
    NewRecord record;
    record.kind = RecordKind::kMail;
    record.original_bytes = std::move(bytes);
    record.dedup_key = std::move(message_id);
    record.received_at = 1764400000;
    record.received_source = "header";
    record.title = "Budget hearing minutes";
    record.sender = "Clerk@Example.gov";
    record.sender_name = "County Clerk";
    record.recipients = {"a@example.gov", "b@example.gov"};
    record.folder = "inbox";
    record.body = "The hearing on the turnpike budget was adjourned.";
    record.metadata_json = R"({"subject":"Budget hearing minutes"})";
    record.flags = {"charset-fallback"};
    record.source = {"mbox", "inbox.mbox", "byte 0"};
    AttachmentData attachment;
    attachment.filename = "minutes.txt";
    attachment.media_type = "text/plain";
    attachment.bytes = "quorum present; motion carried";
    attachment.text = attachment.bytes;
    attachment.scan_status = "clean";
    record.attachments.push_back(attachment);
    return record;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(RecordRepositoryTest, KindNamesRoundTrip) {
  EXPECT_EQ(RecordKindName(RecordKind::kMail), "mail");
  EXPECT_EQ(RecordKindName(RecordKind::kForm), "form");
  EXPECT_EQ(ParseRecordKind("form"), RecordKind::kForm);
  EXPECT_EQ(ParseRecordKind("visit"), std::nullopt);
}

TEST_F(RecordRepositoryTest, PutNeedsTransaction) {
  auto result = RecordRepository::Put(*store_, "tester", Mail("x", "<a@b>"));
  EXPECT_FALSE(result.ok());
}

TEST_F(RecordRepositoryTest, PutStoresEverythingAndGetReadsItBack) {
  NewRecord in = Mail("From: clerk\r\n\r\nbody\r\n", "<1@example.gov>");
  auto put = PutOne(in);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->outcome, PutOutcome::kInserted);

  auto got = RecordRepository::Get(store_->db(), put->record_id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->kind, RecordKind::kMail);
  EXPECT_EQ(got->content_sha256, Sha256Hex(in.original_bytes));
  EXPECT_EQ(got->dedup_key, "<1@example.gov>");
  EXPECT_FALSE(got->duplicate_of.has_value());
  EXPECT_EQ(got->received_at, 1764400000);
  EXPECT_EQ(got->title, in.title);
  EXPECT_EQ(got->sender_name, "County Clerk");
  EXPECT_EQ(got->recipients, in.recipients);
  EXPECT_EQ(got->body, in.body);
  EXPECT_EQ(got->metadata_json, in.metadata_json);
  EXPECT_EQ(got->flags, std::vector<std::string>{"charset-fallback"});
  EXPECT_EQ(got->status, "active");
  ASSERT_EQ(got->attachments.size(), 1U);
  EXPECT_EQ(got->attachments[0].filename, "minutes.txt");
  EXPECT_EQ(got->attachments[0].size, 30);
  EXPECT_EQ(got->attachments[0].scan_status, "clean");
  ASSERT_EQ(got->sources.size(), 1U);
  EXPECT_EQ(got->sources[0].file, "inbox.mbox");

  // Original and attachment bytes are blobs, unchanged.
  auto original = store_->blobs().Read(got->content_sha256);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(*original, in.original_bytes);
  auto attachment = store_->blobs().Read(got->attachments[0].sha256);
  ASSERT_TRUE(attachment.ok());
  EXPECT_EQ(*attachment, "quorum present; motion carried");

  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'import.record'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM records_fts WHERE records_fts MATCH 'turnpike'"), 1);
}

TEST_F(RecordRepositoryTest, IdenticalBytesAreANoOpThatAddsTheSource) {
  NewRecord in = Mail("same bytes", "<1@example.gov>");
  auto first = PutOne(in);
  ASSERT_TRUE(first.ok());
  in.source = {"maildir", "Maildir/cur/1", "file"};
  auto second = PutOne(in);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->outcome, PutOutcome::kAlreadyPresent);
  EXPECT_EQ(second->record_id, first->record_id);
  EXPECT_EQ(Count("SELECT count(*) FROM records"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM attachments"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM records_fts"), 1);
  auto got = RecordRepository::Get(store_->db(), first->record_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->sources.size(), 2U);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'import.seen-again'"), 1);
  // The very same location again adds nothing, not even an audit event.
  std::int64_t events = Count("SELECT count(*) FROM audit_events");
  ASSERT_TRUE(PutOne(in).ok());
  got = RecordRepository::Get(store_->db(), first->record_id);
  EXPECT_EQ(got->sources.size(), 2U);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events"), events);
}

TEST_F(RecordRepositoryTest, SameMessageIdOtherBytesIsALinkedDuplicate) {
  auto first = PutOne(Mail("copy one", "<dup@example.gov>"));
  auto second = PutOne(Mail("copy two", "<dup@example.gov>"));
  auto third = PutOne(Mail("copy three", "<dup@example.gov>"));
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  EXPECT_EQ(second->outcome, PutOutcome::kDuplicate);
  auto got = RecordRepository::Get(store_->db(), third->record_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->duplicate_of, first->record_id);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'import.duplicate'"), 2);
  // A form with the same key is not a duplicate of a mail.
  NewRecord form = Mail("form bytes", "<dup@example.gov>");
  form.kind = RecordKind::kForm;
  auto form_put = PutOne(form);
  ASSERT_TRUE(form_put.ok());
  EXPECT_EQ(form_put->outcome, PutOutcome::kInserted);
}

TEST_F(RecordRepositoryTest, InfectedAttachmentIsWithheld) {
  NewRecord in = Mail("infected carrier", "<v@example.gov>");
  in.attachments[0].bytes = "pretend virus";
  in.attachments[0].text.reset();
  in.attachments[0].scan_status = "infected";
  in.attachments[0].scan_detail = "Eicar-Test-Signature";
  auto put = PutOne(in);
  ASSERT_TRUE(put.ok());
  auto got = RecordRepository::Get(store_->db(), put->record_id);
  ASSERT_EQ(got->attachments.size(), 1U);
  EXPECT_EQ(got->attachments[0].sha256, Sha256Hex("pretend virus"));
  EXPECT_FALSE(store_->blobs().Exists(got->attachments[0].sha256));
}

TEST_F(RecordRepositoryTest, FormFieldsAreStoredAndIndexed) {
  NewRecord form;
  form.kind = RecordKind::kForm;
  form.original_bytes = R"({"form":"foia","name":"Ada"})";
  form.dedup_key = "foia-17";
  form.form_id = "foia";
  form.title = "Records request";
  form.fields = {{"name", "Your name", "Ada Lovelace", true, true, "name"},
                 {"pet", "", "Zanzibar the cat", false, false, "free-text"}};
  form.source = {"forms-json", "forms.jsonl", "line 1"};
  auto put = PutOne(form);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  auto got = RecordRepository::Get(store_->db(), put->record_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->form_id, "foia");
  ASSERT_EQ(got->fields.size(), 2U);
  EXPECT_EQ(got->fields[0].label, "Your name");
  EXPECT_TRUE(got->fields[0].required);
  EXPECT_FALSE(got->fields[1].requested);
  EXPECT_EQ(got->fields[1].category, "free-text");

  int hits = 0;
  ASSERT_TRUE(RecordRepository::Search(store_->db(), "zanzibar", {}, [&](const Record& r) {
                EXPECT_EQ(r.id, put->record_id);
                ++hits;
                return Status();
              }).ok());
  EXPECT_EQ(hits, 1);
}

TEST_F(RecordRepositoryTest, ListAndSearchApplyFilters) {
  NewRecord a = Mail("a", "<a@x>");
  a.received_at = 1000;
  a.sender = "alice@example.gov";
  NewRecord b = Mail("b", "<b@x>");
  b.received_at = 2000;
  b.sender = "bob@example.gov";
  b.body = "the turnpike toll schedule";
  NewRecord c = Mail("c", "<c@x>");
  c.kind = RecordKind::kForm;
  c.received_at = 3000;
  ASSERT_TRUE(PutOne(a).ok() && PutOne(b).ok() && PutOne(c).ok());

  auto ids = [&](const RecordFilter& filter, std::optional<std::string> query = {}) {
    std::vector<std::string> titles;
    auto visit = [&](const Record& r) {
      titles.push_back(r.sender + "@" + std::to_string(r.received_at.value_or(0)));
      return Status();
    };
    Status status = query ? RecordRepository::Search(store_->db(), *query, filter, visit)
                          : RecordRepository::List(store_->db(), filter, visit);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return titles.size();
  };
  EXPECT_EQ(ids({}), 3U);
  RecordFilter mail_only;
  mail_only.kind = RecordKind::kMail;
  EXPECT_EQ(ids(mail_only), 2U);
  RecordFilter by_sender;
  by_sender.sender = "BOB@example.gov";
  EXPECT_EQ(ids(by_sender), 1U);
  RecordFilter window;
  window.received_from = 1500;
  window.received_to = 3000;
  EXPECT_EQ(ids(window), 1U);
  RecordFilter limited;
  limited.limit = 2;
  EXPECT_EQ(ids(limited), 2U);
  EXPECT_EQ(ids({}, std::string("toll")), 1U);
  EXPECT_EQ(ids(mail_only, std::string("turnpike")), 2U);
  EXPECT_EQ(ids(by_sender, std::string("turnpike")), 1U);

  // Newest first.
  std::vector<std::int64_t> order;
  ASSERT_TRUE(RecordRepository::List(store_->db(), {}, [&](const Record& r) {
                order.push_back(r.received_at.value_or(0));
                return Status();
              }).ok());
  EXPECT_EQ(order, (std::vector<std::int64_t>{3000, 2000, 1000}));

  Status bad = RecordRepository::Search(store_->db(), "\"unterminated", {},
                                        [](const Record&) { return Status(); });
  EXPECT_EQ(bad.code(), StatusCode::kInvalidInput) << bad.ToString();
}

TEST_F(RecordRepositoryTest, GetUnknownIsNotFoundAndAccessIsAudited) {
  EXPECT_EQ(RecordRepository::Get(store_->db(), 99).status().code(), StatusCode::kNotFound);
  auto put = PutOne(Mail("x", "<x@y>"));
  ASSERT_TRUE(put.ok());
  auto txn = Transaction::Begin(store_->db());
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ(RecordRepository::AuditAccess(store_->db(), "tester", 99, "show").code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(RecordRepository::AuditAccess(store_->db(), "tester", put->record_id, "show").ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'access.record'"), 1);
  auto verify = AuditLog::Verify(store_->db());
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok());
}

}  // namespace
}  // namespace sunshine
