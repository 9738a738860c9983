// Classification, holds and disposition against a real store in a temporary home.
#include <gtest/gtest.h>

#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/retention/classification.h"
#include "engine/retention/disposition.h"
#include "engine/retention/holds.h"
#include "engine/retention/retention_config.h"
#include "engine/retention/transfer_bag.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

constexpr const char* kSchedule = R"(format_version = 1
[schedule]
id = "unit"
title = "Unit test schedule"
version = "3"
effective = 2020-01-01

[[item]]
id = "GEN"
title = "General"
citation = "test"
authority = "Test Commission"
retention = "1 year"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]

[[item]]
id = "REQ"
title = "Requests"
citation = "test"
retention = "1 year after request-closed"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  subject = ["sunshine request"]

[[item]]
id = "EXEC"
title = "Executive"
citation = "test"
retention = "2 years"
cutoff = "calendar-year"
disposition = "transfer-to-archives"
  [[item.rule]]
  kind = ["mail"]
  from = ["boss@example.gov"]

[[item]]
id = "CMPL"
title = "Complaints awaiting a case file"
citation = "test"
retention = "0 days"
disposition = "transfer-to-file"
transfer_to = "CASE"
  [[item.rule]]
  kind = ["mail"]
  subject = ["complaint"]

[[item]]
id = "CASE"
title = "Complaint case files"
citation = "test"
retention = "5 years after case-closed"
disposition = "destroy"

[[item]]
id = "VISITS"
title = "Visit logs"
citation = "test"
retention = "90 days"
disposition = "destroy"
  [[item.rule]]
  kind = ["visit-log"]
)";

class RetentionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTextFile(dir_.path() / "schedules" / "unit.toml", kSchedule);
    auto store = Store::Init(Home(dir_.path()));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto retention = LoadRetentionContext(*store_);
    ASSERT_TRUE(retention.ok()) << retention.status().ToString();
    retention_ = std::make_unique<RetentionContext>(std::move(*retention));
  }

  std::int64_t AddMail(const std::string& subject, const std::string& from, const std::string& body,
                       const std::string& date) {
    NewRecord r;
    r.kind = RecordKind::kMail;
    r.original_bytes = "From: " + from + "\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n";
    r.dedup_key = "<" + subject + "@test>";
    r.received_at = ToEpoch(SysSeconds(*ParseDate(date)));
    r.received_source = "header";
    r.title = subject;
    r.sender = from;
    r.recipients = {"clerk@sos.example.gov"};
    r.folder = "Inbox";
    r.body = body;
    AttachmentData a;
    a.filename = "note-" + subject + ".txt";
    a.media_type = "text/plain";
    a.bytes = "attachment of " + body;
    a.text = a.bytes;
    r.attachments.push_back(a);
    r.source = {"eml", subject + ".eml", "file"};
    auto txn = Transaction::Begin(store_->db());
    EXPECT_TRUE(txn.ok());
    auto put = RecordRepository::Put(*store_, "test", r);
    EXPECT_TRUE(put.ok()) << put.status().ToString();
    EXPECT_TRUE((*txn)->Commit().ok());
    return put->record_id;
  }

  std::int64_t Now(const char* day) { return ToEpoch(SysSeconds(*ParseDate(day))); }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<RetentionContext> retention_;
};

TEST_F(RetentionStoreTest, ClassifiesRecordsAndRecordsWhy) {
  std::int64_t a = AddMail("Hello", "jane@example.org", "plain letter", "2024-01-10");
  std::int64_t b = AddMail("Re: sunshine request 17", "joe@example.org", "request", "2024-01-11");
  Database& db = store_->db();
  auto summary = ClassifyUnclassified(db, retention_->schedules, "test", Now("2024-02-01"));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->classified, 2);
  EXPECT_EQ(summary->unmatched, 0);
  auto ca = GetClassification(db, a);
  ASSERT_TRUE(ca.ok() && ca->has_value());
  EXPECT_EQ((*ca)->item_id, "GEN");
  EXPECT_EQ((*ca)->schedule_version, "3");
  auto cb = GetClassification(db, b);
  EXPECT_EQ((*cb)->item_id, "REQ");
  EXPECT_NE((*cb)->reason.find("subject matched 'sunshine request'"), std::string::npos);
  // Idempotent: nothing left to classify.
  EXPECT_EQ(ClassifyUnclassified(db, retention_->schedules, "test", 0)->classified, 0);
  auto events = db.QueryInt("SELECT count(*) FROM audit_events WHERE action = 'classify.record'");
  EXPECT_EQ(events->value_or(0), 2);
}

TEST_F(RetentionStoreTest, EventBasedItemIsDueOnlyAfterTheEvent) {
  std::int64_t b = AddMail("sunshine request 9", "joe@example.org", "req", "2020-01-11");
  Database& db = store_->db();
  ASSERT_TRUE(ClassifyUnclassified(db, retention_->schedules, "test", 0).ok());
  auto due = ComputeDue(db, *retention_, *ParseDate("2030-01-01"));
  ASSERT_TRUE(due.ok());
  EXPECT_TRUE(due->empty());
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(RecordEvent(db, "test", b, "request-closed", *ParseDate("2025-03-01"), "", 0).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_TRUE(ComputeDue(db, *retention_, *ParseDate("2026-02-28"))->empty());
  due = ComputeDue(db, *retention_, *ParseDate("2026-03-01"));
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].due_date, "2026-03-01");
  EXPECT_EQ((*due)[0].trigger_date, "2025-03-01");
}

TEST_F(RetentionStoreTest, HoldsBlockChangesAndCanBeStacked) {
  std::int64_t a = AddMail("Hello", "jane@example.org", "alpha letter", "2024-01-10");
  std::int64_t b = AddMail("Other", "jane@example.org", "bravo letter", "2024-01-10");
  Database& db = store_->db();
  ASSERT_TRUE(ClassifyUnclassified(db, retention_->schedules, "test", 0).ok());
  auto txn = Transaction::Begin(db);
  HoldSpec request;
  request.name = "Request 2026-0001";
  request.reason = "records responsive to a pending Sunshine request";
  request.kind = "request";
  request.source = "request:2026-0001";
  request.record_ids = {a};
  auto h1 = CreateHold(db, "requests", request, Now("2026-01-01"));
  ASSERT_TRUE(h1.ok()) << h1.status().ToString();
  HoldSpec query;
  query.name = "Alpha litigation";
  query.reason = "suit served";
  query.query = "alpha";
  auto h2 = CreateHold(db, "counsel", query, Now("2026-01-02"));
  ASSERT_TRUE(h2.ok()) << h2.status().ToString();
  ASSERT_TRUE((*txn)->Commit().ok());

  EXPECT_EQ(*HoldsOnRecord(db, a), (std::vector<std::int64_t>{*h1, *h2}));
  EXPECT_FALSE(*IsRecordHeld(db, b));
  Status blocked = CheckNotHeld(db, a);
  EXPECT_EQ(blocked.code(), StatusCode::kOnLegalHold);
  EXPECT_NE(blocked.message().find("Request 2026-0001"), std::string::npos);

  // Manual refiling of a held, classified record is refused.
  auto t2 = Transaction::Begin(db);
  EXPECT_EQ(SetClassification(db, retention_->schedules, "x", a, "REQ", "misfiled", 0).code(),
            StatusCode::kOnLegalHold);
  EXPECT_TRUE(SetClassification(db, retention_->schedules, "x", b, "REQ", "misfiled", 0).ok());
  ASSERT_TRUE((*t2)->Commit().ok());

  // Releasing one hold leaves the other in force.
  auto t3 = Transaction::Begin(db);
  ASSERT_TRUE(ReleaseHold(db, "requests", *h1, "request closed", Now("2026-02-01")).ok());
  EXPECT_EQ(ReleaseHold(db, "requests", *h1, "again", 0).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE((*t3)->Commit().ok());
  EXPECT_EQ(*HoldsOnRecord(db, a), (std::vector<std::int64_t>{*h2}));

  // A series hold covers every record of the item, including later ones.
  auto t4 = Transaction::Begin(db);
  HoldSpec series;
  series.name = "Audit of requests";
  series.reason = "State Auditor";
  series.kind = "audit";
  series.series = "REQ";
  auto h3 = CreateHold(db, "auditor", series, Now("2026-01-01"));
  ASSERT_TRUE(h3.ok());
  ASSERT_TRUE((*t4)->Commit().ok());
  EXPECT_TRUE(*IsRecordHeld(db, b));

  // Review flag: created 2026-01-01, reviewed never; six months later it is overdue.
  auto stale = HoldsNeedingReview(db, Now("2026-07-02"));
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->size(), 2u);
}

TEST_F(RetentionStoreTest, DestroyRemovesContentKeepsTombstoneAndSkipsHeld) {
  std::int64_t a = AddMail("First", "jane@example.org", "zebracontent one", "2024-01-10");
  std::int64_t b = AddMail("Second", "jane@example.org", "yakcontent two", "2024-01-11");
  Database& db = store_->db();
  ASSERT_TRUE(ClassifyUnclassified(db, retention_->schedules, "test", 0).ok());
  SysDays today = *ParseDate("2025-06-01");
  auto due = ComputeDue(db, *retention_, today);
  ASSERT_EQ(due->size(), 2u);
  auto proposed = ProposeList(db, *retention_, today, "clerk", Now("2025-06-01"));
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  EXPECT_EQ(proposed->records, 2);
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(ApproveList(db, "clerk", proposed->list_id, "Records Officer", 0).ok());
    // Put on hold after approval: must be skipped.
    HoldSpec hold;
    hold.name = "late hold";
    hold.reason = "subpoena";
    hold.record_ids = {b};
    ASSERT_TRUE(CreateHold(db, "counsel", hold, 0).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  std::string content_sha =
      *db.QueryText("SELECT content_sha256 FROM records WHERE id = $1", {a}).value();
  Clock clock(today);
  auto report = ExecuteApprovedLists(*store_, *retention_, "system:nightly", clock);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->destroyed, 1);
  EXPECT_EQ(report->skipped_held, 1);
  ASSERT_EQ(report->certificates.size(), 1u);
  std::string certificate = testing::ReadTextFile(report->certificates[0]);
  EXPECT_NE(certificate.find("Records Officer"), std::string::npos);
  EXPECT_NE(certificate.find(content_sha), std::string::npos);

  EXPECT_EQ(*db.QueryText("SELECT status FROM records WHERE id = $1", {a}).value(), "destroyed");
  EXPECT_EQ(*db.QueryText("SELECT body FROM records WHERE id = $1", {a}).value(), "");
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM attachments WHERE record_id = $1", {a})->value_or(-1),
            0);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM records_fts WHERE records_fts MATCH 'zebracontent'")
                ->value_or(-1),
            0);
  EXPECT_EQ(*db.QueryText("SELECT approved_by FROM tombstones WHERE record_id = $1", {a}).value(),
            "Records Officer");
  EXPECT_FALSE(store_->blobs().Exists(content_sha));
  EXPECT_EQ(*db.QueryText("SELECT status FROM records WHERE id = $1", {b}).value(), "active");
  EXPECT_EQ(*db.QueryText("SELECT status FROM disposition_items WHERE record_id = $1", {b}).value(),
            "skipped-held");
  // Rerun: nothing left to do.
  auto again = ExecuteApprovedLists(*store_, *retention_, "system:nightly", clock);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->lists.empty());
}

TEST_F(RetentionStoreTest, TransferToArchivesWritesAVerifiedBag) {
  std::int64_t e = AddMail("Policy", "boss@example.gov", "executive memo", "2023-05-05");
  Database& db = store_->db();
  ASSERT_TRUE(ClassifyUnclassified(db, retention_->schedules, "test", 0).ok());
  // Calendar-year cutoff 2024-01-01 + 2 years.
  EXPECT_TRUE(ComputeDue(db, *retention_, *ParseDate("2025-12-31"))->empty());
  SysDays today = *ParseDate("2026-01-01");
  auto proposed = ProposeList(db, *retention_, today, "clerk", 0);
  ASSERT_EQ(proposed->records, 1);
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(ApproveList(db, "clerk", proposed->list_id, "Archivist", 0).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto report = ExecuteApprovedLists(*store_, *retention_, "test", Clock(today));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->transferred, 1);
  auto bag = db.QueryText("SELECT bag_path FROM archive_transfers WHERE record_id = $1", {e});
  ASSERT_TRUE(bag.ok() && bag->has_value());
  EXPECT_TRUE(VerifyBag(Path(**bag)).ok());
  EXPECT_NE(testing::ReadTextFile(Path(**bag) / "data" / "original.eml").find("executive memo"),
            std::string::npos);
  EXPECT_NE(testing::ReadTextFile(Path(**bag) / "bag-info.txt").find("Payload-Oxum: "),
            std::string::npos);
  EXPECT_EQ(*db.QueryText("SELECT status FROM records WHERE id = $1", {e}).value(), "transferred");
  // Tampering is detected.
  testing::WriteTextFile(Path(**bag) / "data" / "original.eml", "changed");
  EXPECT_EQ(VerifyBag(Path(**bag)).code(), StatusCode::kCorruption);
}

TEST_F(RetentionStoreTest, TransferToFileJoinsTheTargetItem) {
  std::int64_t c =
      AddMail("Complaint about parking", "jane@example.org", "complaint", "2024-01-10");
  Database& db = store_->db();
  ASSERT_TRUE(ClassifyUnclassified(db, retention_->schedules, "test", 0).ok());
  EXPECT_EQ((*GetClassification(db, c))->item_id, "CMPL");
  auto moved = ApplyTransfersToFile(db, *retention_, *ParseDate("2024-01-10"), "system:nightly", 0);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(*moved, 1);
  auto now = GetClassification(db, c);
  EXPECT_EQ((*now)->item_id, "CASE");
  EXPECT_EQ((*now)->method, "transfer-to-file");
  // Now event-based: not due until the case closes.
  EXPECT_TRUE(ComputeDue(db, *retention_, *ParseDate("2040-01-01"))->empty());
  EXPECT_EQ(*ApplyTransfersToFile(db, *retention_, *ParseDate("2030-01-01"), "x", 0), 0);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM audit_events WHERE action = "
                        "'dispose.transfer-to-file'")
                ->value_or(0),
            1);
}

TEST_F(RetentionStoreTest, RecheckReportsWhatMovedAfterAScheduleChange) {
  std::int64_t a = AddMail("Quarterly budget", "jane@example.org", "numbers", "2024-01-10");
  std::int64_t b = AddMail("Hello", "jane@example.org", "hi", "2024-01-10");
  Database& db = store_->db();
  ASSERT_TRUE(ClassifyUnclassified(db, retention_->schedules, "test", 0).ok());
  std::string changed = std::string(kSchedule);
  changed.replace(changed.find("version = \"3\""), 13, "version = \"4\"");
  changed += R"(
[[item]]
id = "BUDGET"
title = "Budget"
citation = "test"
retention = "10 years"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  subject = ["budget"]
)";
  testing::WriteTextFile(dir_.path() / "schedules" / "unit.toml", changed);
  auto reloaded = LoadRetentionContext(*store_);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  auto dry = RecheckClassifications(db, reloaded->schedules, "test", 0, true);
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  ASSERT_EQ(dry->size(), 2u);
  EXPECT_EQ((*dry)[0].record_id, a);
  EXPECT_EQ((*dry)[0].outcome, "moved");
  EXPECT_EQ((*dry)[0].to_item, "BUDGET");
  EXPECT_EQ((*dry)[1].record_id, b);
  EXPECT_EQ((*dry)[1].outcome, "version-updated");
  EXPECT_EQ((*GetClassification(db, a))->item_id, "GEN") << "a dry run changes nothing";
  auto real = RecheckClassifications(db, reloaded->schedules, "test", 0, false);
  ASSERT_TRUE(real.ok());
  EXPECT_EQ((*GetClassification(db, a))->item_id, "BUDGET");
  EXPECT_EQ((*GetClassification(db, b))->schedule_version, "4");
  EXPECT_TRUE(RecheckClassifications(db, reloaded->schedules, "test", 0, false)->empty());
}

TEST_F(RetentionStoreTest, VisitLogRetentionForTheVisitsFeature) {
  auto visits = RetentionForRecordKind(*store_, "visit-log");
  ASSERT_TRUE(visits.ok()) << visits.status().ToString();
  EXPECT_EQ(visits->item_id, "VISITS");
  EXPECT_EQ(visits->period_text, "90 days");
  EXPECT_FALSE(visits->IsDue(*ParseDate("2026-01-01"), *ParseDate("2026-03-31")));
  EXPECT_TRUE(visits->IsDue(*ParseDate("2026-01-01"), *ParseDate("2026-04-01")));
  EXPECT_EQ(RetentionForRecordKind(*store_, "fax").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sunshine
