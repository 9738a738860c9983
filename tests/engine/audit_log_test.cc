#include "engine/audit/audit_log.h"

#include <gtest/gtest.h>

#include <sstream>

#include "engine/store/migrations.h"
#include "engine/store/sqlite_database.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenSqliteDatabase(dir_.path() / "t.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(MigrateToLatest(*db_).ok());
  }

  void AppendEvents(int n) {
    for (int i = 0; i < n; ++i) {
      auto txn = Transaction::Begin(*db_);
      ASSERT_TRUE(txn.ok());
      auto seq = AuditLog::Append(*db_, "tester", "test.event", "record:" + std::to_string(i),
                                  R"({"i":)" + std::to_string(i) + "}");
      ASSERT_TRUE(seq.ok()) << seq.status().ToString();
      ASSERT_TRUE((*txn)->Commit().ok());
    }
  }

  // Tampering needs the append-only triggers out of the way, as an attacker with file
  // access would do.
  void DropTriggers() {
    ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_events_no_update").ok());
    ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_events_no_delete").ok());
  }

  AuditChainReport VerifyNow() {
    auto report = AuditLog::Verify(*db_);
    EXPECT_TRUE(report.ok());
    return *report;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(AuditLogTest, IntactChainVerifies) {
  AppendEvents(10);
  AuditChainReport report = VerifyNow();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.events, 10);
  EXPECT_EQ(report.head_hash.size(), 64u);
}

TEST_F(AuditLogTest, EmptyChainVerifies) {
  AuditChainReport report = VerifyNow();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.events, 0);
}

TEST_F(AuditLogTest, AppendOutsideTransactionIsRefused) {
  auto seq = AuditLog::Append(*db_, "tester", "test.event", "x", "{}");
  EXPECT_FALSE(seq.ok());
}

TEST_F(AuditLogTest, TriggersRefuseUpdateAndDelete) {
  AppendEvents(2);
  EXPECT_FALSE(db_->Exec("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1").ok());
  EXPECT_FALSE(db_->Exec("DELETE FROM audit_events WHERE seq = 1").ok());
}

TEST_F(AuditLogTest, EditedFieldIsDetectedAtItsSequence) {
  AppendEvents(8);
  DropTriggers();
  ASSERT_TRUE(db_->Exec("UPDATE audit_events SET details = '{\"i\":99}' WHERE seq = 5").ok());
  AuditChainReport report = VerifyNow();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(*report.first_broken_seq, 5);
}

TEST_F(AuditLogTest, EditedActorIsDetected) {
  AppendEvents(4);
  DropTriggers();
  ASSERT_TRUE(db_->Exec("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2").ok());
  AuditChainReport report = VerifyNow();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(*report.first_broken_seq, 2);
}

TEST_F(AuditLogTest, DeletedEventIsDetected) {
  AppendEvents(8);
  DropTriggers();
  ASSERT_TRUE(db_->Exec("DELETE FROM audit_events WHERE seq = 4").ok());
  AuditChainReport report = VerifyNow();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(*report.first_broken_seq, 4);
}

TEST_F(AuditLogTest, DeletedAndRenumberedEventIsDetected) {
  AppendEvents(8);
  DropTriggers();
  ASSERT_TRUE(db_->Exec("DELETE FROM audit_events WHERE seq = 4").ok());
  ASSERT_TRUE(db_->Exec("UPDATE audit_events SET seq = seq - 1 WHERE seq > 4").ok());
  AuditChainReport report = VerifyNow();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(*report.first_broken_seq, 4);
}

TEST_F(AuditLogTest, SwappedEventsAreDetected) {
  AppendEvents(8);
  DropTriggers();
  ASSERT_TRUE(db_->Exec("UPDATE audit_events SET seq = -1 WHERE seq = 3").ok());
  ASSERT_TRUE(db_->Exec("UPDATE audit_events SET seq = 3 WHERE seq = 6").ok());
  ASSERT_TRUE(db_->Exec("UPDATE audit_events SET seq = 6 WHERE seq = -1").ok());
  AuditChainReport report = VerifyNow();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(*report.first_broken_seq, 3);
}

TEST_F(AuditLogTest, InsertedEventIsDetected) {
  AppendEvents(6);
  DropTriggers();
  // Make room after event 2 and insert a forged event whose own hash is self-consistent.
  ASSERT_TRUE(db_->Exec("UPDATE audit_events SET seq = seq + 100 WHERE seq > 2").ok());
  ASSERT_TRUE(db_->Exec("UPDATE audit_events SET seq = seq - 99 WHERE seq > 100").ok());
  AuditEvent forged;
  forged.seq = 3;
  forged.at = "2026-01-01T00:00:00Z";
  forged.actor = "mallory";
  forged.action = "test.event";
  forged.object = "record:x";
  forged.details = "{}";
  auto prev = db_->QueryText("SELECT hash FROM audit_events WHERE seq = 2");
  ASSERT_TRUE(prev.ok());
  forged.prev_hash = **prev;
  forged.hash = AuditEventHash(forged);
  ASSERT_TRUE(db_->Exec("INSERT INTO audit_events VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                        {forged.seq, forged.at, forged.actor, forged.action, forged.object,
                         forged.details, forged.prev_hash, forged.hash})
                  .ok());
  AuditChainReport report = VerifyNow();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(*report.first_broken_seq, 4);  // the first genuine event after the forgery
}

TEST_F(AuditLogTest, ExportRoundTripsAndVerifiesIndependently) {
  AppendEvents(5);
  std::ostringstream out;
  std::int64_t written = 0;
  ASSERT_TRUE(AuditLog::Export(*db_, out, &written).ok());
  EXPECT_EQ(written, 5);
  std::istringstream in(out.str());
  std::string line;
  std::vector<AuditEvent> events;
  while (std::getline(in, line)) {
    auto event = AuditEventFromJson(line);
    ASSERT_TRUE(event.ok()) << event.status().ToString();
    events.push_back(*event);
  }
  std::size_t i = 0;
  AuditChainReport report = AuditLog::VerifyEvents([&](AuditEvent& e) {
    if (i >= events.size()) return false;
    e = events[i++];
    return true;
  });
  EXPECT_TRUE(report.ok());
  events[2].object = "record:forged";
  i = 0;
  report = AuditLog::VerifyEvents([&](AuditEvent& e) {
    if (i >= events.size()) return false;
    e = events[i++];
    return true;
  });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(*report.first_broken_seq, 3);
}

TEST_F(AuditLogTest, HashFormulaIsTheDocumentedOne) {
  // docs/formats/audit-chain.md: "<len>:<bytes>\n" per field, SHA-256 hex.
  AuditEvent event;
  event.seq = 1;
  event.at = "2026-11-29T10:00:00Z";
  event.actor = "alice";
  event.action = "store.init";
  event.object = "store";
  event.details = "{}";
  event.prev_hash = std::string(kAuditGenesisHash);
  // Computed independently: printf the fields as "<len>:<bytes>\n" and pipe to sha256sum.
  EXPECT_EQ(AuditEventHash(event),
            "2f1d0053eb3f59674cedb4cea7d867f0e1f316e0fdf1d2013d9d8b501f170dd9");
}

TEST_F(AuditLogTest, ListFiltersByActionPrefix) {
  AppendEvents(3);
  auto txn = Transaction::Begin(*db_);
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE(AuditLog::Append(*db_, "bob", "hold.create", "hold:1", "{}").ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  AuditFilter filter;
  filter.action = "hold.";
  int count = 0;
  ASSERT_TRUE(AuditLog::List(*db_, filter, [&](const AuditEvent& e) {
                EXPECT_EQ(e.action, "hold.create");
                ++count;
                return Status();
              }).ok());
  EXPECT_EQ(count, 1);
}

}  // namespace
}  // namespace sunshine
