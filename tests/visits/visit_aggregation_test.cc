// Import and aggregation of tests/data/visits/small.log against hand-computed counts
// (the expectations are derived line by line in tests/data/visits/README.md's terms).
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

#include "engine/core/time_format.h"
#include "engine/store/store.h"
#include "engine/visits/visit_days.h"
#include "engine/visits/visit_import.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using testing::ReadTextFile;
using testing::TempDir;
using testing::WriteTextFile;

Path SmallLog() { return Path(SUNSHINE_SOURCE_DIR) / "tests/data/visits/small.log"; }

bool HaveUapCore() {
  boost::system::error_code ec;
  return boost::filesystem::exists("/usr/share/uap-core/regexes.yaml", ec);
}

std::string FileBytes(const Path& file) {
  boost::system::error_code ec;
  if (!boost::filesystem::exists(file, ec)) {
    return {};
  }
  return ReadTextFile(file);
}

class VisitAggregationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveUapCore()) {
      GTEST_SKIP() << "uap-core regexes not installed";
    }
    WriteTextFile(dir_.path() / "home/sunshine.toml",
                  "[visits]\ntimezone = \"America/Chicago\"\n"
                  "site_hosts = [\"sos.example.gov\"]\nraw_retention_days = 30\n");
    auto store = Store::Init(Home(dir_.path() / "home"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto settings = LoadVisitSettings(store_->config());
    ASSERT_TRUE(settings.ok()) << settings.status().ToString();
    settings_ = *settings;
  }

  VisitImportCounts Import(const Path& file, std::int64_t batch_lines = 0) {
    auto importer = VisitImporter::Create(*store_, settings_, "test");
    EXPECT_TRUE(importer.ok()) << importer.status().ToString();
    if (batch_lines > 0) {
      (*importer)->set_batch_lines(batch_lines);
    }
    auto counts = (*importer)->ImportFile(file);
    EXPECT_TRUE(counts.ok()) << counts.status().ToString();
    return counts.ok() ? *counts : VisitImportCounts();
  }

  std::vector<VisitDayStats> Stats() {
    auto days = LoadVisitStats(store_->db(), "", "");
    EXPECT_TRUE(days.ok());
    return days.ok() ? *days : std::vector<VisitDayStats>{};
  }

  std::int64_t Count(const std::string& sql) {
    auto value = store_->db().QueryInt(sql);
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    return value.ok() ? value->value_or(-1) : -1;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  VisitSettings settings_;
};

TEST_F(VisitAggregationTest, CountsMatchHandComputedExpectations) {
  VisitImportCounts counts = Import(SmallLog(), 3);  // small batches: merging across batches
  EXPECT_EQ(counts.seen, 11);
  EXPECT_EQ(counts.imported, 10);
  EXPECT_EQ(counts.quarantined, 1);
  EXPECT_EQ(counts.already_seen, 0);
  EXPECT_TRUE(counts.balanced());
  EXPECT_EQ(Count("SELECT count(*) FROM quarantine WHERE importer = 'visits' AND "
                  "position = 'line 9'"),
            1);

  auto aggregated = AggregateVisitDays(*store_, settings_, "test", *ParseDate("2026-03-10"));
  ASSERT_TRUE(aggregated.ok()) << aggregated.status().ToString();
  EXPECT_EQ(aggregated->days.size(), 3u);

  std::vector<VisitDayStats> days = Stats();
  ASSERT_EQ(days.size(), 3u);
  // 05:30 UTC on 2 March is 23:30 on 1 March in Chicago (CST, UTC-6).
  const VisitDayStats& first = days[0];
  EXPECT_EQ(first.date, "2026-03-01");
  EXPECT_TRUE(first.final);
  EXPECT_EQ(first.requests, 1);
  EXPECT_EQ(first.page_views, 1);
  EXPECT_EQ(first.unique_visitors, 1);
  EXPECT_EQ(first.bytes, 1000);
  EXPECT_EQ(first.browsers, (VisitCounts{{"Chrome", 1}}));
  EXPECT_EQ(first.operating_systems, (VisitCounts{{"Windows", 1}}));

  const VisitDayStats& day = days[1];
  EXPECT_EQ(day.date, "2026-03-02");
  EXPECT_EQ(day.requests, 8);
  EXPECT_EQ(day.bytes, 8200);
  EXPECT_EQ(day.bot_requests, 1);
  // Page views: /elections/ (x2), /contact (POST, 302), /about (x2). Not: the stylesheet,
  // the 404, the bot.
  EXPECT_EQ(day.page_views, 5);
  // (IP, agent) pairs of humans: 10.0.0.1+Chrome, 10.0.0.2+iPhone, 2001:db8::1+Firefox,
  // dsl-1-2-3-4.example.net+Firefox, 10.0.0.4+no agent.
  EXPECT_EQ(day.unique_visitors, 5);
  EXPECT_EQ(day.browsers,
            (VisitCounts{{"Chrome", 1}, {"Mobile Safari", 1}, {"Firefox", 2}, {"Other", 1}}));
  EXPECT_EQ(
      day.browser_versions,
      (VisitCounts{{"Chrome 120", 1}, {"Mobile Safari 17", 1}, {"Firefox 121", 2}, {"Other", 1}}));
  EXPECT_EQ(day.operating_systems,
            (VisitCounts{{"Windows", 1}, {"iOS", 1}, {"Linux", 2}, {"Other", 1}}));
  EXPECT_EQ(day.device_classes, (VisitCounts{{"desktop", 3}, {"mobile", 1}, {"unknown", 1}}));
  EXPECT_EQ(day.pages, (VisitCounts{{"/elections/", 2}, {"/contact", 1}, {"/about", 2}}));
  EXPECT_EQ(day.referring_sites, (VisitCounts{{"www.google.com", 1}, {"news.example.co.uk", 1}}));
  EXPECT_EQ(day.status_classes, (VisitCounts{{"2xx", 6}, {"3xx", 1}, {"4xx", 1}}));
  EXPECT_EQ(day.bots, (VisitCounts{{"Googlebot", 1}}));
  EXPECT_EQ(day.visitor_tlds, (VisitCounts{{"net", 1}}));
  EXPECT_EQ(day.visitor_domains, (VisitCounts{{"example.net", 1}}));

  const VisitDayStats& last = days[2];
  EXPECT_EQ(last.date, "2026-03-03");
  EXPECT_EQ(last.requests, 1);
  EXPECT_EQ(last.page_views, 1);  // 304 counts; the vhost's own referrer is internal
  EXPECT_TRUE(last.referring_sites.empty());
}

TEST_F(VisitAggregationTest, NoAddressOutsideRawLines) {
  Import(SmallLog());
  ASSERT_TRUE(AggregateVisitDays(*store_, settings_, "test", *ParseDate("2026-03-10")).ok());
  for (const char* table : {"visit_days", "visit_day_counts", "visit_checkpoints",
                            "visit_day_visitors", "visit_day_keys", "audit_events", "quarantine"}) {
    std::string dump;
    ASSERT_TRUE(store_->db()
                    .Query(std::string("SELECT * FROM ") + table, {},
                           [&](const Row& row) {
                             for (int i = 0; i < row.size(); ++i) {
                               dump += row.Text(i) + "|";
                             }
                             return Status();
                           })
                    .ok());
    for (const char* ip : {"10.0.0.1", "10.0.0.2", "2001:db8::1", "66.249.66.1", "dsl-1-2-3-4"}) {
      EXPECT_EQ(dump.find(ip), std::string::npos) << ip << " found in " << table;
    }
  }
}

TEST_F(VisitAggregationTest, DailyKeyIsGoneAfterAggregation) {
  Import(SmallLog());
  auto key = store_->db().QueryText("SELECT key FROM visit_day_keys WHERE day = '2026-03-02'");
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(key->has_value());
  std::string key_hex = **key;
  EXPECT_EQ(key_hex.size(), 32u);  // 128-bit SipHash key
  EXPECT_GT(Count("SELECT count(*) FROM visit_day_visitors WHERE day = '2026-03-02'"), 0);

  // Aggregating up to (not including) 3 March finishes 1 and 2 March only.
  auto report = AggregateVisitDays(*store_, settings_, "test", *ParseDate("2026-03-03"));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->days, (std::vector<std::string>{"2026-03-01", "2026-03-02"}));
  EXPECT_EQ(report->keys_destroyed, 2);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_day_keys WHERE day <= '2026-03-02'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_day_visitors WHERE day <= '2026-03-02'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_day_keys WHERE day = '2026-03-03'"), 1);
  // Not in the bytes either: secure_delete zeroed the row, the checkpoint emptied the log.
  Path db_file = dir_.path() / "home/sunshine.db";
  EXPECT_EQ(FileBytes(db_file).find(key_hex), std::string::npos);
  EXPECT_EQ(FileBytes(Path(db_file.string() + "-wal")).find(key_hex), std::string::npos);
  // Late lines for a finished day get a new key: the old one is never recreated.
  WriteTextFile(dir_.path() / "late.log",
                "192.0.2.50 - - [02/Mar/2026:23:00:00 +0000] \"GET /late HTTP/1.1\" 200 1 \"-\" "
                "\"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0\"\n");
  VisitImportCounts late = Import(dir_.path() / "late.log");
  EXPECT_EQ(late.imported, 1);
  auto new_key = store_->db().QueryText("SELECT key FROM visit_day_keys WHERE day = '2026-03-02'");
  ASSERT_TRUE(new_key.ok() && new_key->has_value());
  EXPECT_NE(**new_key, key_hex);
  ASSERT_TRUE(AggregateVisitDays(*store_, settings_, "test", *ParseDate("2026-03-03")).ok());
  std::vector<VisitDayStats> days = Stats();
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[1].requests, 9);
  EXPECT_EQ(days[1].unique_visitors, 6);
}

TEST_F(VisitAggregationTest, SameFileOrRotatedCopyIsNeverCountedTwice) {
  VisitImportCounts first = Import(SmallLog(), 4);
  EXPECT_EQ(first.imported, 10);
  VisitImportCounts again = Import(SmallLog());
  EXPECT_EQ(again.seen, 11);
  EXPECT_EQ(again.already_seen, 11);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.quarantined, 0);

  // logrotate: the file grew by two lines, then was renamed and gzipped.
  std::string grown = ReadTextFile(SmallLog()) +
                      "192.0.2.60 - - [03/Mar/2026:15:00:00 +0000] \"GET /x HTTP/1.1\" 200 1\n"
                      "192.0.2.61 - - [03/Mar/2026:15:00:01 +0000] \"GET /y HTTP/1.1\" 200 1\n";
  Path gz = dir_.path() / "access.log.1.gz";
  gzFile out = gzopen(gz.string().c_str(), "wb");
  ASSERT_NE(out, nullptr);
  gzwrite(out, grown.data(), static_cast<unsigned>(grown.size()));
  gzclose(out);
  VisitImportCounts rotated = Import(gz);
  EXPECT_EQ(rotated.seen, 13);
  EXPECT_EQ(rotated.already_seen, 11);
  EXPECT_EQ(rotated.imported, 2);
  EXPECT_TRUE(rotated.balanced());
  // And the older, shorter copy is still recognised after the longer one.
  VisitImportCounts old_copy = Import(SmallLog());
  EXPECT_EQ(old_copy.already_seen, 11);
  EXPECT_EQ(Count("SELECT sum(requests) FROM visit_days"), 12);
  EXPECT_EQ(Count("SELECT sum(raw_lines) FROM visit_days"), 12);
}

TEST_F(VisitAggregationTest, PurgeKeepsHeldDaysAndRemovesAddressesFromFiles) {
  Import(SmallLog());
  ASSERT_TRUE(HoldVisitDay(*store_, "2026-03-03", "litigation hold L-1", "test").ok());
  EXPECT_FALSE(HoldVisitDay(*store_, "2026-03-03", "again", "test").ok());
  // The shipped example schedule keeps raw visit lines 1 year (item EX-MO-009).
  Clock clock(*ParseDate("2027-03-15"));
  auto dry = PurgeVisits(*store_, settings_, clock, "test", true);
  ASSERT_TRUE(dry.ok());
  EXPECT_EQ(dry->days.size(), 2u);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_days WHERE state = 'open'"), 3);

  auto purge = PurgeVisits(*store_, settings_, clock, "test", false);
  ASSERT_TRUE(purge.ok()) << purge.status().ToString();
  EXPECT_EQ(purge->aggregated.days.size(), 3u);  // aggregated first: nothing lost
  EXPECT_EQ(purge->days, (std::vector<std::string>{"2026-03-01", "2026-03-02"}));
  EXPECT_EQ(purge->held_days, (std::vector<std::string>{"2026-03-03"}));
  EXPECT_EQ(purge->lines, 9);
  EXPECT_EQ(purge->quarantine_items, 0);  // quarantined today (wall clock): not yet due
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'visits.purge' AND details "
                  "LIKE '%\"lines\":9%' AND details LIKE '%\"from\":\"2026-03-01\"%'"),
            1);
  // Statistics survive the purge.
  EXPECT_EQ(Stats()[1].unique_visitors, 5);

  Path db_file = dir_.path() / "home/sunshine.db";
  std::string bytes = FileBytes(db_file) + FileBytes(Path(db_file.string() + "-wal"));
  for (const char* ip : {"10.0.0.1", "10.0.0.2", "2001:db8::1", "66.249.66.1", "dsl-1-2-3-4",
                         "10.0.0.3", "10.0.0.4"}) {
    EXPECT_EQ(bytes.find(ip), std::string::npos) << ip;
  }
  EXPECT_NE(bytes.find("10.0.0.5"), std::string::npos);  // the held day's line stays

  ASSERT_TRUE(ReleaseVisitDay(*store_, "2026-03-03", "hold lifted", "test").ok());
  auto after = PurgeVisits(*store_, settings_, clock, "test", false);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->lines, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks"), 0);
}

}  // namespace
}  // namespace sunshine
