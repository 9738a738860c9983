// The real binary on real logs: tests/data/visits/small.log and, when present, the shared
// corpus ../shared/corpora/weblogs/elastic-apache_logs (10,000 Apache combined lines, one
// truncated inside the user agent at line 8,899).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "engine/core/json.h"
#include "tests/testutil/run_binary.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using testing::ReadTextFile;
using testing::RunSunshine;
using testing::SharedCorpora;
using testing::TempDir;
using testing::WriteTextFile;

bool HaveUapCore() {
  boost::system::error_code ec;
  return boost::filesystem::exists("/usr/share/uap-core/regexes.yaml", ec);
}

std::string FileBytes(const Path& file) {
  boost::system::error_code ec;
  return boost::filesystem::exists(file, ec) ? ReadTextFile(file) : std::string();
}

// True if `address` occurs in `bytes` not as part of a longer number ("1.2.3.4" is not
// found inside "11.2.3.45").
bool ContainsAddress(const std::string& bytes, const std::string& address) {
  auto part = [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == ':'; };
  for (std::size_t at = bytes.find(address); at != std::string::npos;
       at = bytes.find(address, at + 1)) {
    bool left = at == 0 || !part(bytes[at - 1]);
    std::size_t end = at + address.size();
    bool right = end >= bytes.size() || !part(bytes[end]);
    if (left && right) {
      return true;
    }
  }
  return false;
}

class VisitsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveUapCore()) {
      GTEST_SKIP() << "uap-core regexes not installed";
    }
    home_ = (dir_.path() / "home").string();
    auto init = RunSunshine({"--home", home_, "init"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
  }
  testing::RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--home", home_});
    return RunSunshine(args);
  }
  TempDir dir_;
  std::string home_;
};

TEST_F(VisitsE2eTest, SmallLogImportStatsHoldAndPurge) {
  Path log = Path(SUNSHINE_SOURCE_DIR) / "tests/data/visits/small.log";
  auto import = Run({"import", "visits", log.string()});
  EXPECT_EQ(import.exit_code, 1) << import.err;  // one line quarantined
  EXPECT_NE(import.out.find("11 lines seen = 10 imported + 1 quarantined + 0 already imported"),
            std::string::npos)
      << import.out;
  auto again = Run({"import", "visits", log.string(), "--json"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  auto counts = ParseJsonObject(again.out);
  ASSERT_TRUE(counts.ok()) << again.out;
  EXPECT_EQ((*counts)->getValue<int>("already_seen"), 11);

  auto hold = Run({"visits", "hold", "2026-03-02", "--reason", "records request 2026-0007"});
  EXPECT_EQ(hold.exit_code, 0) << hold.err;
  auto no_reason = Run({"visits", "hold", "2026-03-01"});
  EXPECT_EQ(no_reason.exit_code, 2);
  auto purge = Run({"--as-of", "2030-01-01", "visits", "purge", "--json"});
  ASSERT_EQ(purge.exit_code, 0) << purge.err;
  auto report = ParseJsonObject(purge.out);
  ASSERT_TRUE(report.ok()) << purge.out;
  EXPECT_EQ((*report)->getValue<int>("lines"), 2);  // 1 and 3 March; 2 March is held
  EXPECT_EQ((*report)->getArray("held_days")->size(), 1u);

  auto html_file = dir_.path() / "stats.html";
  auto html = Run({"visits", "stats", "--format", "html", "--out", html_file.string()});
  EXPECT_EQ(html.exit_code, 0) << html.err;
  std::string page = FileBytes(html_file);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_EQ(page.find("10.0.0."), std::string::npos);

  auto log_events = Run({"audit", "log", "--action", "visits.", "--json"});
  EXPECT_NE(log_events.out.find("visits.hold"), std::string::npos);
  EXPECT_NE(log_events.out.find("visits.purge"), std::string::npos);
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

// `import visits --aggregate`: the import and then the aggregation of every finished day in
// one process, with the same statistics as the two commands one after the other.
TEST_F(VisitsE2eTest, ImportWithAggregateEqualsImportThenAggregate) {
  Path log = Path(SUNSHINE_SOURCE_DIR) / "examples/visits/access.log";
  auto both =
      Run({"--as-of", "2100-01-01", "import", "visits", log.string(), "--aggregate", "--json"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  auto counts = ParseJsonObject(both.out);
  ASSERT_TRUE(counts.ok()) << both.out;
  EXPECT_TRUE((*counts)->getValue<bool>("balanced"));
  auto aggregate = (*counts)->getObject("aggregate");
  ASSERT_TRUE(aggregate) << both.out;
  EXPECT_GT(aggregate->getArray("days")->size(), 0u);
  EXPECT_EQ(aggregate->getValue<std::int64_t>("keys_destroyed"),
            static_cast<std::int64_t>(aggregate->getArray("days")->size()));
  auto one_process = Run({"visits", "stats", "--format", "csv"});

  std::string other = (dir_.path() / "other").string();
  ASSERT_EQ(RunSunshine({"--home", other, "init"}).exit_code, 0);
  ASSERT_EQ(RunSunshine({"--home", other, "import", "visits", log.string()}).exit_code, 0);
  ASSERT_EQ(
      RunSunshine({"--home", other, "--as-of", "2100-01-01", "visits", "aggregate"}).exit_code, 0);
  auto two_processes = RunSunshine({"--home", other, "visits", "stats", "--format", "csv"});
  EXPECT_EQ(one_process.out, two_processes.out);
  EXPECT_NE(one_process.out.find(",total,final,1"), std::string::npos);
  EXPECT_EQ(one_process.out.find(",total,final,0"), std::string::npos);  // every day final

  auto text = Run({"--as-of", "2100-01-01", "import", "visits", log.string(), "--aggregate"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("no open day before 2100-01-01 to aggregate"), std::string::npos)
      << text.out;
}

TEST_F(VisitsE2eTest, RetentionComesFromTheScheduleItemElseTheConfiguration) {
  Path log = Path(SUNSHINE_SOURCE_DIR) / "tests/data/visits/small.log";
  Run({"import", "visits", log.string()});
  // The shipped example schedule names kind "visit-log" (EX-MO-009, 1 year).
  auto by_item = Run({"--as-of", "2026-12-01", "visits", "purge", "--dry-run", "--json"});
  ASSERT_EQ(by_item.exit_code, 0) << by_item.err;
  auto item = ParseJsonObject(by_item.out);
  ASSERT_TRUE(item.ok()) << by_item.out;
  EXPECT_NE((*item)->getValue<std::string>("retention_source").find("EX-MO-009"),
            std::string::npos);
  EXPECT_EQ((*item)->getArray("purged_days")->size(), 0u);
  // A schedule without such an item: visits.raw_retention_days (90 days) applies.
  std::string schedule =
      ReadTextFile(Path(SUNSHINE_SOURCE_DIR) / "schedules/data/mo-model-office.toml");
  std::size_t start = schedule.find("[[item]]\nid = \"EX-MO-009\"");
  ASSERT_NE(start, std::string::npos);
  std::size_t end = schedule.find("[[item]]", start + 8);
  schedule.erase(start, end == std::string::npos ? std::string::npos : end - start);
  WriteTextFile(Path(home_) / "schedules/office.toml", schedule);
  auto by_config = Run({"--as-of", "2026-12-01", "visits", "purge", "--dry-run", "--json"});
  ASSERT_EQ(by_config.exit_code, 0) << by_config.err;
  auto config = ParseJsonObject(by_config.out);
  ASSERT_TRUE(config.ok()) << by_config.out;
  EXPECT_EQ((*config)->getValue<std::string>("retention"), "90 days");
  EXPECT_EQ((*config)->getArray("purged_days")->size(), 3u);
}

// A kill at any moment, then a rerun, ends in the same statistics as one clean import:
// batches commit with their checkpoint, so nothing is lost or counted twice.
TEST_F(VisitsE2eTest, KilledImportRerunsWithoutLossOrDoubleCounting) {
  Path log = Path(SUNSHINE_SOURCE_DIR) / "examples/visits/access.log";
  // Several kills at different moments (start-up takes a few hundred milliseconds), each
  // run resuming the one before, so some kill lands between two batch commits.
  for (int ms : {500, 700, 850, 1000}) {
    testing::RunOptions kill;
    kill.kill_after_ms = ms;
    RunSunshine({"--home", home_, "import", "visits", log.string(), "--batch-lines", "3"}, kill);
  }
  auto rerun = Run({"import", "visits", log.string(), "--batch-lines", "7", "--json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  auto counts = ParseJsonObject(rerun.out);
  ASSERT_TRUE(counts.ok()) << rerun.out;
  EXPECT_EQ((*counts)->getValue<int>("lines_seen"), 400);
  EXPECT_TRUE((*counts)->getValue<bool>("balanced"));
  auto killed_stats = Run({"visits", "stats", "--format", "csv"});

  std::string clean_home = (dir_.path() / "clean").string();
  ASSERT_EQ(RunSunshine({"--home", clean_home, "init"}).exit_code, 0);
  ASSERT_EQ(RunSunshine({"--home", clean_home, "import", "visits", log.string()}).exit_code, 0);
  auto clean_stats = RunSunshine({"--home", clean_home, "visits", "stats", "--format", "csv"});
  EXPECT_EQ(killed_stats.out, clean_stats.out);
  EXPECT_NE(clean_stats.out.find(",total,requests,"), std::string::npos);
}

TEST_F(VisitsE2eTest, NightlyImportsFromTheDropFolder) {
  WriteTextFile(Path(home_) / "drop/visits/access.log",
                ReadTextFile(Path(SUNSHINE_SOURCE_DIR) / "tests/data/visits/small.log"));
  auto nightly = Run({"--as-of", "2026-03-05", "nightly", "--json"});
  EXPECT_NE(nightly.out.find("import-visits"), std::string::npos) << nightly.out << nightly.err;
  auto stats = Run({"visits", "stats", "--json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  auto parsed = ParseJsonObject("{\"days\":" + stats.out + "}");
  ASSERT_TRUE(parsed.ok()) << stats.out;
  auto days = (*parsed)->getArray("days");
  ASSERT_EQ(days->size(), 3u);
  EXPECT_TRUE(days->getObject(1)->getValue<bool>("final"));  // aggregate-visits ran
  EXPECT_EQ(days->getObject(1)->getValue<int>("unique_visitors"), 5);
  auto rerun = Run({"--as-of", "2026-03-05", "nightly", "--json"});
  auto stats_again = Run({"visits", "stats", "--json"});
  EXPECT_EQ(stats_again.out, stats.out);  // nothing counted twice
}

TEST_F(VisitsE2eTest, CorpusBalanceStatsAndPurgeLeaveNoAddress) {
  Path corpus = SharedCorpora() / "weblogs/elastic-apache_logs/apache_logs";
  boost::system::error_code ec;
  if (SharedCorpora().empty() || !boost::filesystem::exists(corpus, ec)) {
    GTEST_SKIP() << "shared corpora absent";
  }
  auto import = Run({"import", "visits", corpus.string(), "--json"});
  EXPECT_EQ(import.exit_code, 1) << import.err;
  auto counts = ParseJsonObject(import.out);
  ASSERT_TRUE(counts.ok()) << import.out;
  EXPECT_EQ((*counts)->getValue<int>("lines_seen"), 10000);
  EXPECT_EQ((*counts)->getValue<int>("imported"), 9999);
  EXPECT_EQ((*counts)->getValue<int>("quarantined"), 1);
  EXPECT_TRUE((*counts)->getValue<bool>("balanced"));

  auto stats = Run({"visits", "stats", "--format", "json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  auto parsed = ParseJsonObject("{\"days\":" + stats.out + "}");
  ASSERT_TRUE(parsed.ok());
  auto days = (*parsed)->getArray("days");
  ASSERT_GE(days->size(), 4u);
  std::int64_t requests = 0;
  std::int64_t visitors = 0;
  for (std::size_t i = 0; i < days->size(); ++i) {
    requests += days->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("requests");
    visitors +=
        days->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("unique_visitors");
    EXPECT_GT(days->getObject(static_cast<unsigned>(i))->getObject("browsers")->size(), 0u);
  }
  EXPECT_EQ(requests, 9999);
  EXPECT_GT(visitors, 1000);

  auto purge = Run({"--as-of", "2100-01-01", "visits", "purge", "--json"});
  ASSERT_EQ(purge.exit_code, 0) << purge.err;
  auto report = ParseJsonObject(purge.out);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ((*report)->getValue<int>("lines"), 9999);

  // Every client address of the corpus: none may remain in the database or its log.
  std::set<std::string> addresses;
  std::istringstream lines(ReadTextFile(corpus));
  for (std::string line; std::getline(lines, line);) {
    addresses.insert(line.substr(0, line.find(' ')));
  }
  ASSERT_GT(addresses.size(), 1700u);
  // The database, its log and every other file left in the home (raw-block files of
  // migration 10 are destroyed by the purge: none may remain).
  std::string bytes =
      FileBytes(Path(home_) / "sunshine.db") + FileBytes(Path(home_ + "/sunshine.db-wal"));
  ASSERT_FALSE(bytes.empty());
  for (const auto& entry : boost::filesystem::recursive_directory_iterator(home_)) {
    if (boost::filesystem::is_regular_file(entry.path())) {
      EXPECT_NE(entry.path().parent_path().filename(), "visits-raw") << entry.path();
      std::string name = entry.path().filename().string();
      if (name != "sunshine.db" && name != "sunshine.db-wal") {
        bytes += FileBytes(entry.path());
      }
    }
  }
  std::size_t found = 0;
  for (const std::string& address : addresses) {
    if (ContainsAddress(bytes, address)) {
      ++found;
      ADD_FAILURE() << "address still in the store's files: " << address;
      if (found > 5) break;
    }
  }
  // Statistics remain after the purge.
  auto after = Run({"visits", "stats", "--format", "csv"});
  EXPECT_NE(after.out.find(",total,unique_visitors,"), std::string::npos);
}

}  // namespace
}  // namespace sunshine
