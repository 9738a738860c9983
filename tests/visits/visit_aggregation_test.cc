// Import and aggregation of tests/data/visits/small.log against hand-computed counts
// (the expectations are derived line by line in tests/data/visits/README.md's terms).
#include <gtest/gtest.h>
#include <lz4frame.h>
#include <sodium.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "engine/core/time_format.h"
#include "engine/store/store.h"
#include "engine/visits/visit_days.h"
#include "engine/visits/visit_import.h"
#include "importers/visits/access_log_parser.h"
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

// The lines of one raw block: an LZ4 frame (codec 'lz4'; or several one after the other, as
// in a raw-block file) or, for rows written before migration 8, the text itself (codec
// 'plain').
std::string RawBlockLines(const std::string& codec, const std::string& bytes) {
  if (codec == "plain") {
    return bytes;
  }
  EXPECT_EQ(codec, "lz4");
  LZ4F_dctx* dctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) {
    ADD_FAILURE() << "no LZ4 context";
    return {};
  }
  std::string out;
  char chunk[1 << 16];
  std::size_t at = 0;
  std::size_t hint = 1;
  while (at < bytes.size()) {  // a finished frame (hint 0) may be followed by another
    std::size_t out_size = sizeof(chunk);
    std::size_t in_size = bytes.size() - at;
    hint = LZ4F_decompress(dctx, chunk, &out_size, bytes.data() + at, &in_size, nullptr);
    if (LZ4F_isError(hint)) {
      ADD_FAILURE() << "bad LZ4 frame: " << LZ4F_getErrorName(hint);
      break;
    }
    at += in_size;
    out.append(chunk, out_size);
  }
  EXPECT_EQ(hint, 0u) << "truncated LZ4 frame";
  LZ4F_freeDecompressionContext(dctx);
  return out;
}

// `count` well-formed lines of 1 March 2026 (about 206 bytes each), distinct addresses.
std::string ManyLinesOfOneDay(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    text += "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250) +
            " - - [01/Mar/2026:10:00:00 -0600] \"GET /page/" + std::to_string(i) +
            " HTTP/1.1\" 200 5120 \"https://www.example.org/\" \"Mozilla/5.0 (X11; Linux "
            "x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\"\n";
  }
  return text;
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
    if (raw_file_min_bytes_) {
      (*importer)->set_raw_file_min_bytes(*raw_file_min_bytes_);
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

  Path RawDir() { return dir_.path() / "home/visits-raw"; }

  // The raw-block files in the store (names).
  std::set<std::string> RawFiles() {
    std::set<std::string> names;
    boost::system::error_code ec;
    if (boost::filesystem::exists(RawDir(), ec)) {
      for (const auto& entry : boost::filesystem::directory_iterator(RawDir())) {
        names.insert(entry.path().filename().string());
      }
    }
    return names;
  }

  // Every stored raw line, block by block in line order (from the row, or the file it
  // names).
  std::string RawLines() {
    std::string out;
    EXPECT_TRUE(store_->db()
                    .Query("SELECT codec, bytes, raw_size, file, file_offset, file_size FROM "
                           "visit_raw_blocks ORDER BY source_path, first_line",
                           {},
                           [&](const Row& row) {
                             std::string frame =
                                 row.IsNull(3) ? row.Text(1)
                                               : FileBytes(RawDir() / row.Text(3))
                                                     .substr(static_cast<std::size_t>(row.Int(4)),
                                                             static_cast<std::size_t>(row.Int(5)));
                             if (!row.IsNull(3)) {
                               EXPECT_EQ(row.Text(1), "");  // the bytes are in the file only
                               EXPECT_FALSE(frame.empty()) << row.Text(3);
                             }
                             std::string lines = RawBlockLines(row.Text(0), frame);
                             if (!row.IsNull(2)) {
                               EXPECT_EQ(row.Int(2), static_cast<std::int64_t>(lines.size()));
                             }
                             out += lines;
                             return Status();
                           })
                    .ok());
    return out;
  }

  std::int64_t Count(const std::string& sql) {
    auto value = store_->db().QueryInt(sql);
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    return value.ok() ? value->value_or(-1) : -1;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  VisitSettings settings_;
  std::optional<std::size_t> raw_file_min_bytes_;  // unset: the importer's default
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
  for (const char* table :
       {"visit_days", "visit_day_counts", "visit_checkpoints", "visit_day_visitors",
        "visit_day_visitor_blocks", "visit_day_keys", "audit_events", "quarantine"}) {
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
  EXPECT_EQ(Count("SELECT sum(visitors) FROM visit_day_visitor_blocks WHERE day = '2026-03-02'"),
            5);
  EXPECT_EQ(Count("SELECT sum(length(hashes)) FROM visit_day_visitor_blocks WHERE day = "
                  "'2026-03-02'"),
            5 * 16);

  // Aggregating up to (not including) 3 March finishes 1 and 2 March only.
  auto report = AggregateVisitDays(*store_, settings_, "test", *ParseDate("2026-03-03"));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->days, (std::vector<std::string>{"2026-03-01", "2026-03-02"}));
  EXPECT_EQ(report->keys_destroyed, 2);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_day_keys WHERE day <= '2026-03-02'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_day_visitors WHERE day <= '2026-03-02'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_day_visitor_blocks WHERE day <= '2026-03-02'"), 0);
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
  EXPECT_NE(RawLines().find("10.0.0.5"), std::string::npos);  // the held day's line stays

  ASSERT_TRUE(ReleaseVisitDay(*store_, "2026-03-03", "hold lifted", "test").ok());
  auto after = PurgeVisits(*store_, settings_, clock, "test", false);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->lines, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks"), 0);
}

TEST_F(VisitAggregationTest, RawBlocksHoldTheImportedLinesVerbatim) {
  Import(SmallLog(), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks WHERE codec <> 'lz4'"), 0);
  // The parsed lines of small.log, byte for byte (the quarantined line is not among them).
  std::istringstream lines(ReadTextFile(SmallLog()));
  std::string all_raw = RawLines();
  std::int64_t found = 0;
  for (std::string line; std::getline(lines, line);) {
    if (all_raw.find(line + "\n") != std::string::npos) {
      ++found;
    }
  }
  EXPECT_EQ(found, 10);
  EXPECT_EQ(Count("SELECT sum(lines) FROM visit_raw_blocks"), 10);
  EXPECT_EQ(static_cast<std::int64_t>(std::count(all_raw.begin(), all_raw.end(), '\n')), 10);
}

// Large blocks are files (migration 10): every byte of the lines is in them, the purge
// destroys the purged days' files (none of their addresses stays in any file of the home),
// a held day's file stays, and a file no row names (a crash before the commit) is destroyed
// by the next purge.
TEST_F(VisitAggregationTest, RawBlockFilesHoldTheLinesAndPurgeDestroysThem) {
  raw_file_min_bytes_ = 0;  // every block a file
  Import(SmallLog(), 3);
  EXPECT_GT(Count("SELECT count(*) FROM visit_raw_blocks"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks WHERE file IS NULL"), 0);
  // One file per day and batch, its blocks' frames one after the other.
  EXPECT_EQ(static_cast<std::int64_t>(RawFiles().size()),
            Count("SELECT count(DISTINCT file) FROM visit_raw_blocks"));
  EXPECT_EQ(Count("SELECT count(*) FROM (SELECT file FROM visit_raw_blocks GROUP BY file "
                  "HAVING count(DISTINCT day) > 1)"),
            0);
  std::string all_raw = RawLines();
  std::istringstream lines(ReadTextFile(SmallLog()));
  std::int64_t found = 0;
  for (std::string line; std::getline(lines, line);) {
    found += all_raw.find(line + "\n") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(found, 10);

  // A crash after a block file was written, before its rows committed, leaves this.
  std::string frame = FileBytes(RawDir() / *RawFiles().begin());
  std::string orphan = std::string(32, 'a') + ".lz4";
  WriteTextFile(RawDir() / orphan, frame);
  ASSERT_TRUE(HoldVisitDay(*store_, "2026-03-03", "litigation hold L-2", "test").ok());
  Clock clock(*ParseDate("2027-03-15"));
  auto purge = PurgeVisits(*store_, settings_, clock, "test", false);
  ASSERT_TRUE(purge.ok()) << purge.status().ToString();
  EXPECT_EQ(purge->lines, 9);
  EXPECT_EQ(purge->orphan_raw_files, 1);
  EXPECT_FALSE(RawFiles().contains(orphan));
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'visits.raw-orphans-destroy'"),
            1);
  // What is left: the held day's blocks and their files, nothing else.
  EXPECT_EQ(static_cast<std::int64_t>(RawFiles().size()),
            Count("SELECT count(DISTINCT file) FROM visit_raw_blocks WHERE day = '2026-03-03'"));
  EXPECT_NE(RawLines().find("10.0.0.5"), std::string::npos);
  std::string bytes;
  for (const auto& entry : boost::filesystem::recursive_directory_iterator(dir_.path() / "home")) {
    // Quarantined lines follow their own retention (from the day they were quarantined).
    if (boost::filesystem::is_regular_file(entry.path()) &&
        entry.path().parent_path().filename() != "quarantine") {
      std::string content = FileBytes(entry.path());
      // LZ4 keeps short literals: decompress block files before looking for addresses.
      bytes += entry.path().extension() == ".lz4" ? RawBlockLines("lz4", content) : content;
    }
  }
  for (const char* ip : {"10.0.0.1", "10.0.0.2", "2001:db8::1", "66.249.66.1", "dsl-1-2-3-4",
                         "10.0.0.3", "10.0.0.4"}) {
    EXPECT_EQ(bytes.find(ip), std::string::npos) << ip;
  }

  ASSERT_TRUE(ReleaseVisitDay(*store_, "2026-03-03", "hold lifted", "test").ok());
  ASSERT_TRUE(PurgeVisits(*store_, settings_, clock, "test", false).ok());
  EXPECT_TRUE(RawFiles().empty());
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks"), 0);
}

// A day's blocks of one batch share one file, frame after frame: the rows' offsets and sizes
// find each block, and the whole file decodes to the lines in order.
TEST_F(VisitAggregationTest, BlocksOfADayInABatchShareOneFile) {
  std::string text = ManyLinesOfOneDay(12000);  // 2.4 MiB: three blocks
  Path log = dir_.path() / "one-day.log";
  WriteTextFile(log, text);
  raw_file_min_bytes_ = 0;
  VisitImportCounts counts = Import(log);
  EXPECT_EQ(counts.imported, 12000);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks"), 3);
  EXPECT_EQ(Count("SELECT count(DISTINCT file) FROM visit_raw_blocks"), 1);
  EXPECT_EQ(Count("SELECT min(file_offset) FROM visit_raw_blocks"), 0);
  EXPECT_EQ(RawLines(), text);  // block by block, from offset and size
  ASSERT_EQ(RawFiles().size(), 1u);
  EXPECT_EQ(RawBlockLines("lz4", FileBytes(RawDir() / *RawFiles().begin())), text);
}

// An import that fails before its batch commits leaves neither rows nor block files.
TEST_F(VisitAggregationTest, FailedBatchLeavesNoRawBlockFiles) {
  raw_file_min_bytes_ = 0;
  // Over 2 MiB of one day's lines (a block is written mid-batch; the importer reads 1 MiB
  // at a time and the read that meets the damage fails), gzipped, with the gzip trailer's
  // CRC damaged so that reading fails at the end, after that block.
  std::string text = ManyLinesOfOneDay(12000);
  ASSERT_GT(text.size(), std::size_t{2} << 20);
  Path gz = dir_.path() / "damaged.log.gz";
  gzFile out = gzopen(gz.string().c_str(), "wb");
  gzwrite(out, text.data(), static_cast<unsigned>(text.size()));
  gzclose(out);
  std::string packed = FileBytes(gz);
  for (std::size_t i = packed.size() - 8; i < packed.size() - 4; ++i) {
    packed[i] = static_cast<char>(packed[i] ^ 0x5a);
  }
  WriteTextFile(gz, packed);

  auto importer = VisitImporter::Create(*store_, settings_, "test");
  ASSERT_TRUE(importer.ok());
  (*importer)->set_raw_file_min_bytes(0);
  auto counts = (*importer)->ImportFile(gz);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks"), 0);
  EXPECT_TRUE(RawFiles().empty());
}

// A store created before migration 8 holds uncompressed rows (codec 'plain'); they purge
// by day like the new ones.
TEST_F(VisitAggregationTest, RowsFromBeforeCompressionStillPurge) {
  Import(SmallLog());
  ASSERT_TRUE(store_->db()
                  .Exec("INSERT INTO visit_raw_blocks (day, source_path, first_line, last_line, "
                        "lines, bytes) VALUES ('2026-03-01', 'old.log', 1, 1, 1, $1)",
                        {std::string("198.51.100.77 - - [01/Mar/2026:10:00:00 -0600] \"GET / "
                                     "HTTP/1.1\" 200 5 \"-\" \"curl/8.0\"\n")})
                  .ok());
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks WHERE codec = 'plain'"), 1);
  EXPECT_NE(RawLines().find("198.51.100.77"), std::string::npos);
  Clock clock(*ParseDate("2030-01-01"));
  auto purge = PurgeVisits(*store_, settings_, clock, "test", false);
  ASSERT_TRUE(purge.ok()) << purge.status().ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM visit_raw_blocks"), 0);
  Path db_file = dir_.path() / "home/sunshine.db";
  std::string bytes = FileBytes(db_file) + FileBytes(Path(db_file.string() + "-wal"));
  EXPECT_EQ(bytes.find("198.51.100.77"), std::string::npos);
}

// Visitor hashes stored one hex row each by a store from before migration 8 (SipHash over
// address, 0x00 and the whole user-agent string) still count, and that day keeps hashing
// the same way, so a later import of the open day does not count those visitors again.
TEST_F(VisitAggregationTest, VisitorRowsFromBeforeBlocksStillCountOnce) {
  Import(SmallLog());
  Database& db = store_->db();
  ASSERT_TRUE(db.Exec("DELETE FROM visit_day_visitor_blocks WHERE day = '2026-03-02'").ok());
  auto key_hex = db.QueryText("SELECT key FROM visit_day_keys WHERE day = '2026-03-02'");
  ASSERT_TRUE(key_hex.ok() && key_hex->has_value());
  std::array<unsigned char, crypto_shorthash_siphashx24_KEYBYTES> key{};
  ASSERT_EQ(sodium_hex2bin(key.data(), key.size(), (*key_hex)->data(), (*key_hex)->size(), nullptr,
                           nullptr, nullptr),
            0);
  // The human visitors of 2 March (Chicago time) in small.log, hashed the old way.
  std::set<std::string> legacy;
  std::istringstream lines(ReadTextFile(SmallLog()));
  for (std::string text; std::getline(lines, text);) {
    ParsedAccessLine line;
    if (!ParseAccessLine(text, line).ok() || line.time_utc < 1772431200 ||  // 2 Mar 06:00Z
        line.time_utc >= 1772517600 || line.user_agent.find("Googlebot") != std::string::npos) {
      continue;
    }
    std::string input = std::string(line.remote_host) + '\0' + std::string(line.user_agent);
    std::array<unsigned char, crypto_shorthash_siphashx24_BYTES> hash{};
    crypto_shorthash_siphashx24(hash.data(), reinterpret_cast<const unsigned char*>(input.data()),
                                input.size(), key.data());
    std::string hex(hash.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    hex.pop_back();
    legacy.insert(hex);
  }
  ASSERT_EQ(legacy.size(), 5u);
  for (const std::string& hex : legacy) {
    ASSERT_TRUE(
        db.Exec("INSERT INTO visit_day_visitors (day, visitor) VALUES ('2026-03-02', $1)", {hex})
            .ok());
  }
  EXPECT_EQ(Stats()[1].unique_visitors, 5);
  // The same visitor as small.log's 15:00Z lines, later that day, from a new file; then a
  // new visitor.
  std::string chrome =
      "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/120.0.0.0 Safari/537.36\"";
  WriteTextFile(dir_.path() / "more.log",
                "10.0.0.1 - - [02/Mar/2026:23:00:00 +0000] \"GET /about HTTP/1.1\" 200 7 \"-\" " +
                    chrome + "\n");
  EXPECT_EQ(Import(dir_.path() / "more.log").imported, 1);
  EXPECT_EQ(Stats()[1].unique_visitors, 5);
  WriteTextFile(dir_.path() / "new.log",
                "10.0.0.9 - - [02/Mar/2026:23:30:00 +0000] \"GET /about HTTP/1.1\" 200 7 \"-\" " +
                    chrome + "\n");
  EXPECT_EQ(Import(dir_.path() / "new.log").imported, 1);
  EXPECT_EQ(Stats()[1].unique_visitors, 6);
  ASSERT_TRUE(AggregateVisitDays(*store_, settings_, "test", *ParseDate("2026-03-10")).ok());
  EXPECT_EQ(Stats()[1].unique_visitors, 6);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_day_visitors"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM visit_day_visitor_blocks"), 0);
}

}  // namespace
}  // namespace sunshine
