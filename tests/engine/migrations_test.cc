#include "engine/store/migrations.h"

#include <gtest/gtest.h>

#include "engine/store/sqlite_database.h"
#include "engine/store/store.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

TEST(MigrationsTest, VersionsAreStrictlyAscendingAndStartAtOne) {
  // Numbers are assigned per feature, so a gap is allowed; a repeat or disorder is not.
  const auto& all = AllMigrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().version, 1);
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_GT(all[i].version, all[i - 1].version) << all[i].name;
  }
}

TEST(MigrationsTest, MigratesEmptyDatabaseAndRecordsEveryVersion) {
  testing::TempDir dir;
  auto db = OpenSqliteDatabase(dir.path() / "t.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(MigrateToLatest(**db).ok());
  EXPECT_EQ(*CurrentSchemaVersion(**db), LatestSchemaVersion());
  EXPECT_EQ((*db)->QueryInt("SELECT count(*) FROM schema_version")->value_or(0),
            static_cast<std::int64_t>(AllMigrations().size()));
  // Idempotent.
  ASSERT_TRUE(MigrateToLatest(**db).ok());
  EXPECT_EQ((*db)->QueryInt("SELECT count(*) FROM schema_version")->value_or(0),
            static_cast<std::int64_t>(AllMigrations().size()));
}

TEST(MigrationsTest, NewerStoreIsRefusedWithAClearMessage) {
  testing::TempDir dir;
  Home home(dir.path() / "home");
  ASSERT_TRUE(Store::Init(home).ok());
  {
    auto db = OpenSqliteDatabase(home.database_file());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO schema_version VALUES ($1, 'future', 'x')",
                           {std::int64_t{LatestSchemaVersion() + 1}})
                    .ok());
  }
  auto store = Store::Open(home, StoreAccess::kReadWrite);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("upgrade sunshine"), std::string::npos);
  auto read_only = Store::Open(home, StoreAccess::kReadOnly);
  EXPECT_FALSE(read_only.ok());
}

TEST(MigrationsTest, OpeningAMissingHomeSaysToRunInit) {
  testing::TempDir dir;
  auto store = Store::Open(Home(dir.path() / "nothing"), StoreAccess::kReadOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
  EXPECT_NE(store.status().message().find("sunshine init"), std::string::npos);
}

TEST(MigrationsTest, InitIsIdempotentAndKeepsTheConfiguration) {
  testing::TempDir dir;
  Home home(dir.path() / "home");
  bool created = false;
  ASSERT_TRUE(Store::Init(home, &created).ok());
  EXPECT_TRUE(created);
  testing::WriteTextFile(home.config_file(), "[fixity]\ncycle_days = 7\n");
  ASSERT_TRUE(Store::Init(home, &created).ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(testing::ReadTextFile(home.config_file()), "[fixity]\ncycle_days = 7\n");
  for (const Path& p : {home.blobs_dir(), home.quarantine_dir(), home.output_dir()}) {
    EXPECT_TRUE(boost::filesystem::is_directory(p)) << p;
  }
}

}  // namespace
}  // namespace sunshine

namespace sunshine {
namespace {

TEST(MigrationsTest, AStoreMissingAnEarlierMigrationIsNotTakenAsCurrent) {
  testing::TempDir dir;
  auto db = OpenSqliteDatabase(dir.path() / "t.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(MigrateToLatest(**db).ok());
  ASSERT_TRUE(CheckSchemaVersion(**db).ok());
  if (AllMigrations().size() < 2) {
    GTEST_SKIP() << "only one migration";
  }
  const Migration& first = AllMigrations().front();
  ASSERT_TRUE(
      (*db)
          ->Exec("DELETE FROM schema_version WHERE version = $1", {std::int64_t{first.version}})
          .ok());
  Status status = CheckSchemaVersion(**db);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("lacks schema migration 1"), std::string::npos);
}

}  // namespace
}  // namespace sunshine
