#include "engine/store/blob_store.h"

#include <gtest/gtest.h>

#include "engine/core/sha256.h"
#include "engine/core/time_format.h"
#include "engine/store/quarantine.h"
#include "engine/store/store.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Init(Home(dir_.path() / "home"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  std::string Put(const std::string& bytes) {
    auto txn = Transaction::Begin(store_->db());
    EXPECT_TRUE(txn.ok());
    auto sha = store_->blobs().Put(store_->db(), bytes);
    EXPECT_TRUE(sha.ok());
    EXPECT_TRUE((*txn)->Commit().ok());
    return *sha;
  }
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(BlobStoreTest, NamedBySha256AndDeduplicated) {
  std::string sha = Put("hello");
  EXPECT_EQ(sha, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(Put("hello"), sha);
  EXPECT_EQ(*store_->blobs().Read(sha), "hello");
  EXPECT_EQ(store_->db().QueryInt("SELECT count(*) FROM blobs")->value_or(0), 1);
  EXPECT_EQ(store_->blobs().PathOf(sha).parent_path().filename().string(), "2c");
}

TEST_F(BlobStoreTest, SmallBlobsLiveInTheDatabaseLargeOnesInFiles) {
  std::string small(BlobStore::kInlineLimit - 2, 's');
  small += '\0';  // binary bytes survive
  std::string large(BlobStore::kInlineLimit, 'L');
  std::string small_sha = Put(small);
  std::string large_sha = Put(large);
  EXPECT_FALSE(boost::filesystem::exists(store_->blobs().PathOf(small_sha)));
  EXPECT_TRUE(boost::filesystem::exists(store_->blobs().PathOf(large_sha)));
  EXPECT_EQ(store_->db().QueryInt("SELECT count(*) FROM blob_content")->value_or(0), 1);
  EXPECT_EQ(*store_->blobs().Read(small_sha), small);
  EXPECT_EQ(*store_->blobs().Read(large_sha), large);
  EXPECT_TRUE(store_->blobs().Exists(small_sha));
  EXPECT_TRUE(store_->blobs().Exists(large_sha));
}

TEST_F(BlobStoreTest, InlineBytesCannotBeEdited) {
  std::string sha = Put("original letter");
  EXPECT_FALSE(store_->db().Exec("UPDATE blob_content SET bytes = CAST('forged' AS BLOB)").ok());
  EXPECT_EQ(*store_->blobs().Read(sha), "original letter");
}

TEST_F(BlobStoreTest, InlineBytesRollBackWithTheirTransaction) {
  std::string sha = Sha256Hex("never committed");
  {
    auto txn = Transaction::Begin(store_->db());
    ASSERT_TRUE(store_->blobs().Put(store_->db(), "never committed").ok());
  }
  EXPECT_FALSE(store_->blobs().Exists(sha));
  EXPECT_EQ(store_->blobs().Read(sha).status().code(), StatusCode::kNotFound);
}

TEST_F(BlobStoreTest, ReadRejectsPathsThatAreNotHashes) {
  EXPECT_EQ(store_->blobs().Read("../../etc/passwd").status().code(), StatusCode::kInvalidInput);
}

TEST_F(BlobStoreTest, InlineBytesAreDeletedWithTheDestroyingTransaction) {
  std::string sha = Put("secret letter");
  {
    auto txn = Transaction::Begin(store_->db());
    ASSERT_TRUE(store_->blobs().QueueDeletion(store_->db(), sha).ok());
    // Rolled back: nothing happens.
  }
  EXPECT_TRUE(store_->blobs().Exists(sha));
  {
    auto txn = Transaction::Begin(store_->db());
    ASSERT_TRUE(store_->blobs().QueueDeletion(store_->db(), sha).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_FALSE(store_->blobs().Exists(sha));
  EXPECT_EQ(*store_->blobs().ProcessPendingDeletions(store_->db()), 0);  // no file to remove
  EXPECT_EQ(store_->db().QueryInt("SELECT count(*) FROM blob_deletions")->value_or(-1), 0);
  // Stored again later: live again.
  EXPECT_EQ(Put("secret letter"), sha);
  EXPECT_EQ(*store_->blobs().Read(sha), "secret letter");
}

TEST_F(BlobStoreTest, QueuedDeletionRemovesTheFileOnlyAfterCommit) {
  std::string sha = Put(std::string(BlobStore::kInlineLimit + 10, 'x'));
  {
    auto txn = Transaction::Begin(store_->db());
    ASSERT_TRUE(store_->blobs().QueueDeletion(store_->db(), sha).ok());
    // Rolled back: nothing happens.
  }
  EXPECT_TRUE(store_->blobs().Exists(sha));
  EXPECT_EQ(*store_->blobs().ProcessPendingDeletions(store_->db()), 0);
  {
    auto txn = Transaction::Begin(store_->db());
    ASSERT_TRUE(store_->blobs().QueueDeletion(store_->db(), sha).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_TRUE(store_->blobs().Exists(sha));  // until processed (a crash here is recovered)
  EXPECT_EQ(*store_->blobs().ProcessPendingDeletions(store_->db()), 1);
  EXPECT_FALSE(store_->blobs().Exists(sha));
  EXPECT_EQ(store_->db().QueryInt("SELECT count(*) FROM blob_deletions")->value_or(-1), 0);
}

TEST_F(BlobStoreTest, FixityFindsCorruptedAndMissingBlobs) {
  std::vector<std::string> shas;
  for (int i = 0; i < 6; ++i) {
    // Even ones are files, odd ones inline.
    std::string bytes = "blob " + std::to_string(i);
    if (i % 2 == 0) {
      bytes.resize(BlobStore::kInlineLimit + 1, '.');
    }
    shas.push_back(Put(bytes));
  }
  testing::WriteTextFile(store_->blobs().PathOf(shas[2]), "tampered");
  boost::filesystem::remove(store_->blobs().PathOf(shas[4]));
  // Bit rot inside the database: the immutability trigger has to go first.
  ASSERT_TRUE(store_->db().Exec("DROP TRIGGER blob_content_immutable").ok());
  ASSERT_TRUE(
      store_->db()
          .Exec("UPDATE blob_content SET bytes = CAST('rot' AS BLOB) WHERE sha256 = $1", {shas[3]})
          .ok());
  auto txn = Transaction::Begin(store_->db());
  // A cycle of 1 day checks everything at once.
  auto report = store_->blobs().CheckFixity(store_->db(), 1, 1000);
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(report->checked, 6);
  EXPECT_EQ(report->mismatched, 2);
  EXPECT_EQ(report->missing, 1);
  EXPECT_EQ(store_->db()
                .QueryInt("SELECT count(*) FROM blobs WHERE fixity_failed IS NOT NULL")
                ->value_or(0),
            3);
}

TEST_F(BlobStoreTest, FixityChecksARotatingShare) {
  for (int i = 0; i < 30; ++i) {
    Put("item " + std::to_string(i));
  }
  // 30 blobs over a 10-day cycle: 3 a day, each blob once in 10 days.
  std::int64_t first_night = ToEpoch(Clock::WallNow()) + 60;
  for (int night = 0; night < 10; ++night) {
    auto txn = Transaction::Begin(store_->db());
    std::int64_t now = first_night + night * 86400;
    auto report = store_->blobs().CheckFixity(store_->db(), 10, now);
    ASSERT_TRUE(report.ok());
    ASSERT_TRUE((*txn)->Commit().ok());
    EXPECT_EQ(report->checked, 3) << "night " << night;
  }
  EXPECT_EQ(store_->db()
                .QueryInt("SELECT count(*) FROM blobs WHERE fixity_checked < $1", {first_night})
                ->value_or(-1),
            0);
}

TEST_F(BlobStoreTest, QuarantineKeepsOriginalBytesAndIsIdempotent) {
  std::string bytes = std::string("From broken\r\n\x01\x02", 16);
  for (int i = 0; i < 2; ++i) {
    auto txn = Transaction::Begin(store_->db());
    auto id = QuarantineItemBytes(*store_, "tester",
                                  {"mbox", "inbox.mbox", "byte 120", "no header block", bytes});
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_EQ(store_->db().QueryInt("SELECT count(*) FROM quarantine")->value_or(0), 1);
  EXPECT_EQ(store_->db()
                .QueryInt("SELECT count(*) FROM audit_events WHERE action = "
                          "'import.quarantine'")
                ->value_or(0),
            1);
  Path file = store_->home().quarantine_dir() / (Sha256Hex(bytes) + ".bin");
  EXPECT_EQ(testing::ReadTextFile(file), bytes);
}

}  // namespace
}  // namespace sunshine
