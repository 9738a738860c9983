#include "engine/store/database.h"

#include <gtest/gtest.h>

#include "engine/store/sqlite_database.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenSqliteDatabase(dir_.path() / "t.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)").ok());
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(DatabaseTest, PragmasAreApplied) {
  EXPECT_EQ(db_->QueryText("PRAGMA journal_mode")->value_or(""), "wal");
  EXPECT_EQ(db_->QueryInt("PRAGMA foreign_keys")->value_or(0), 1);
  EXPECT_EQ(db_->QueryInt("PRAGMA secure_delete")->value_or(0), 1);
}

TEST_F(DatabaseTest, DollarPlaceholdersBindByNumberNotByOrder) {
  ASSERT_TRUE(
      db_->Exec("INSERT INTO t (b, a) VALUES ($2, $1)", {std::string("text"), std::int64_t{7}})
          .ok());
  std::string a;
  std::int64_t b = 0;
  ASSERT_TRUE(db_->Query("SELECT a, b FROM t", {},
                         [&](const Row& row) {
                           a = row.Text(0);
                           b = row.Int(1);
                           return Status();
                         })
                  .ok());
  EXPECT_EQ(a, "text");
  EXPECT_EQ(b, 7);
}

TEST_F(DatabaseTest, RepeatedPlaceholderBindsOnce) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t (a, b) VALUES ($1, length($1))", {std::string("abc")}).ok());
  EXPECT_EQ(db_->QueryInt("SELECT b FROM t")->value_or(0), 3);
}

TEST_F(DatabaseTest, NullsAndBinaryTextRoundTrip) {
  std::string binary("a\0b", 3);
  ASSERT_TRUE(db_->Exec("INSERT INTO t (a, b) VALUES ($1, $2)", {binary, std::monostate{}}).ok());
  ASSERT_TRUE(db_->Query("SELECT a, b FROM t", {},
                         [&](const Row& row) {
                           EXPECT_EQ(row.Text(0), binary);
                           EXPECT_TRUE(row.IsNull(1));
                           EXPECT_FALSE(row.OptInt(1).has_value());
                           return Status();
                         })
                  .ok());
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  {
    auto txn = Transaction::Begin(*db_);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db_->Exec("INSERT INTO t (a) VALUES ('lost')").ok());
  }
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM t")->value_or(-1), 0);
  {
    auto txn = Transaction::Begin(*db_);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db_->Exec("INSERT INTO t (a) VALUES ('kept')").ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM t")->value_or(-1), 1);
}

TEST_F(DatabaseTest, ConstraintViolationIsAlreadyExists) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t (id, a) VALUES (1, 'x')").ok());
  Status status = db_->Exec("INSERT INTO t (id, a) VALUES (1, 'y')");
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists);
}

TEST_F(DatabaseTest, BadSqlNamesTheStatement) {
  Status status = db_->Exec("SELEKT nothing");
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("SELEKT"), std::string::npos);
}

TEST_F(DatabaseTest, CallbackErrorStopsTheQuery) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(db_->Exec("INSERT INTO t (b) VALUES ($1)", {std::int64_t{i}}).ok());
  }
  int seen = 0;
  Status status = db_->Query("SELECT b FROM t", {}, [&](const Row&) {
    ++seen;
    return seen == 2 ? Status::Internal("stop") : Status();
  });
  EXPECT_EQ(status.message(), "stop");
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace sunshine
