#include "engine/visits/visit_days.h"

#include <algorithm>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/retention/retention_config.h"
#include "engine/visits/visit_raw_files.h"
#include "importers/visits/site_time_zone.h"

namespace sunshine {

namespace {

// Keeps the `top_n` largest names of a dimension and folds the rest into "(other)", so a
// finished day stores a bounded number of rows.
Status TrimDimension(Database& db, const std::string& day, const std::string& dimension,
                     std::int64_t top_n) {
  std::vector<std::pair<std::string, std::int64_t>> rows;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT name, count FROM visit_day_counts WHERE day = $1 AND dimension = $2 AND "
               "name <> '(other)' ORDER BY count DESC, name",
               {day, dimension}, [&](const Row& row) {
                 rows.emplace_back(row.Text(0), row.Int(1));
                 return Status();
               }));
  if (static_cast<std::int64_t>(rows.size()) <= top_n) {
    return {};
  }
  std::int64_t folded = 0;
  for (std::size_t i = static_cast<std::size_t>(top_n); i < rows.size(); ++i) {
    folded += rows[i].second;
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("DELETE FROM visit_day_counts WHERE day = $1 AND dimension = $2 AND name = $3",
                {day, dimension, rows[i].first}));
  }
  return db.Exec(
      "INSERT INTO visit_day_counts (day, dimension, name, count) VALUES ($1, $2, '(other)', $3) "
      "ON CONFLICT (day, dimension, name) DO UPDATE SET count = visit_day_counts.count + "
      "excluded.count",
      {day, dimension, folded});
}

Result<std::int64_t> AggregateOneDay(Store& store, const VisitSettings& settings,
                                     const std::string& actor, const std::string& day) {
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  SUNSHINE_ASSIGN_OR_RETURN(
      auto visitors,
      db.QueryInt("SELECT (SELECT count(*) FROM visit_day_visitors WHERE day = $1) + (SELECT "
                  "coalesce(sum(visitors), 0) FROM visit_day_visitor_blocks WHERE day = $1)",
                  {day}));
  std::int64_t new_visitors = visitors.value_or(0);
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE visit_days SET state = 'aggregated', unique_visitors = unique_visitors + $2, "
              "aggregated_at = $3 WHERE day = $1",
              {day, new_visitors, ToEpoch(Clock::WallNow())}));
  for (const char* dimension : {"page", "referrer_site", "visitor_domain"}) {
    SUNSHINE_RETURN_IF_ERROR(TrimDimension(db, day, dimension, settings.top_n));
  }
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM visit_day_visitors WHERE day = $1", {day}));
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM visit_day_visitor_blocks WHERE day = $1", {day}));
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM visit_day_keys WHERE day = $1", {day}));
  std::int64_t keys = db.ChangedRows();
  JsonObject details = NewJsonObject();
  details->set("day", day);
  details->set("unique_visitors_added", new_visitors);
  details->set("visitor_key_destroyed", keys > 0);
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT requests, page_views, unique_visitors FROM visit_days WHERE day = $1", {day},
               [&](const Row& row) {
                 details->set("requests", row.Int(0));
                 details->set("page_views", row.Int(1));
                 details->set("unique_visitors", row.Int(2));
                 return Status();
               }));
  auto seq = AuditLog::Append(db, actor, "visits.aggregate", "visits-day:" + day, ToJson(details));
  if (!seq.ok()) {
    return seq.status();
  }
  SUNSHINE_RETURN_IF_ERROR(txn->Commit());
  return keys;
}

std::string DayText(SysDays day) { return FormatDate(day); }

}  // namespace

Result<SysDays> VisitToday(const VisitSettings& settings, const Clock& clock) {
  SUNSHINE_ASSIGN_OR_RETURN(SiteTimeZone tz, SiteTimeZone::Open(settings.timezone));
  if (clock.as_of()) {
    return *clock.as_of();  // --as-of names the site's calendar day directly
  }
  return tz.LocalDate(ToEpoch(Clock::WallNow()));
}

Result<AggregateReport> AggregateVisitDays(Store& store, const VisitSettings& settings,
                                           const std::string& actor, SysDays before, bool dry_run) {
  AggregateReport report;
  std::vector<std::string> days;
  SUNSHINE_RETURN_IF_ERROR(
      store.db().Query("SELECT day FROM visit_days WHERE state = 'open' AND day < $1 ORDER BY day",
                       {DayText(before)}, [&](const Row& row) {
                         days.push_back(row.Text(0));
                         return Status();
                       }));
  if (dry_run) {
    report.days = days;
    return report;
  }
  for (const std::string& day : days) {
    SUNSHINE_ASSIGN_OR_RETURN(std::int64_t keys, AggregateOneDay(store, settings, actor, day));
    report.keys_destroyed += keys;
    report.days.push_back(day);
  }
  if (!days.empty()) {
    // The keys' pages were zeroed by secure_delete; the checkpoint removes the copies the
    // write-ahead log still holds.
    SUNSHINE_RETURN_IF_ERROR(store.db().Checkpoint());
  }
  return report;
}

Result<PurgeReport> PurgeVisits(Store& store, const VisitSettings& settings, const Clock& clock,
                                const std::string& actor, bool dry_run) {
  PurgeReport report;
  report.dry_run = dry_run;
  SUNSHINE_ASSIGN_OR_RETURN(report.today, VisitToday(settings, clock));
  // The schedule item for kind "visit-log" governs (RSMo 109: retention comes from the
  // approved schedule); visits.raw_retention_days applies only while no item names the kind.
  std::optional<KindRetention> item;
  auto kind = RetentionForRecordKind(store, "visit-log");
  if (kind.ok()) {
    item = *kind;
    report.retention_text = item->period_text;
    report.retention_source =
        "schedule item " + item->item_id + " (" + item->title + "; " + item->citation + ")";
    // The latest day already due; DueDate rises with the day, so step back from today.
    report.cutoff = report.today - std::chrono::days(1);
    for (int i = 0; i < 40000 && !item->IsDue(report.cutoff, report.today); ++i) {
      report.cutoff -= std::chrono::days(1);
    }
  } else if (kind.status().code() == StatusCode::kNotFound) {
    report.retention_days = settings.raw_retention_days;
    report.retention_text = std::to_string(settings.raw_retention_days) + " days";
    report.retention_source = settings.retention_source;
    report.cutoff = report.today - std::chrono::days(settings.raw_retention_days);
  } else {
    return kind.status().WithContext("visit-log retention");
  }
  SUNSHINE_ASSIGN_OR_RETURN(report.aggregated,
                            AggregateVisitDays(store, settings, actor, report.today, dry_run));
  Database& db = store.db();
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT d.day, d.raw_lines, (SELECT count(*) FROM visit_day_holds h WHERE h.day = d.day) "
      "FROM visit_days d WHERE d.raw_lines > 0 AND d.day <= $1 ORDER BY d.day",
      {DayText(report.cutoff)}, [&](const Row& row) {
        if (row.Int(2) > 0) {
          report.held_days.push_back(row.Text(0));
        } else {
          report.days.push_back(row.Text(0));
          report.lines += row.Int(1);
        }
        return Status();
      }));
  // Quarantined visit lines hold addresses too; they follow the same retention, counted
  // from the day they were quarantined.
  std::int64_t cutoff_epoch = ToEpoch(SysSeconds(report.cutoff + std::chrono::days(1)));
  std::vector<std::pair<std::int64_t, std::string>> quarantined;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT id, sha256 FROM quarantine WHERE importer = 'visits' AND at < $1",
               {cutoff_epoch}, [&](const Row& row) {
                 quarantined.emplace_back(row.Int(0), row.Text(1));
                 return Status();
               }));
  report.quarantine_items = static_cast<std::int64_t>(quarantined.size());
  if (dry_run) {
    return report;
  }
  SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  // Raw-block files no row names (a crash between writing and committing them, or between
  // an earlier purge's commit and its removals) go first. Inside this write transaction no
  // other writer can hold uncommitted files, so every unnamed file is such an orphan.
  Path raw_dir = VisitRawDir(store.home());
  SUNSHINE_ASSIGN_OR_RETURN(report.orphan_raw_files, SweepOrphanVisitRawFiles(db, raw_dir));
  if (report.orphan_raw_files > 0) {
    // They never held committed lines, but an auditor sees that files were destroyed.
    JsonObject orphans = NewJsonObject();
    orphans->set("files", report.orphan_raw_files);
    orphans->set("why", std::string("written by an import or purge that did not finish"));
    auto seq = AuditLog::Append(db, actor, "visits.raw-orphans-destroy", "visits-raw:orphans",
                                ToJson(orphans));
    if (!seq.ok()) {
      return seq.status();
    }
  }
  if (report.days.empty() && quarantined.empty()) {
    if (report.orphan_raw_files > 0) {
      SUNSHINE_RETURN_IF_ERROR(txn->Commit());
    }
    return report;
  }
  std::vector<std::string> raw_files;
  for (const std::string& day : report.days) {
    SUNSHINE_ASSIGN_OR_RETURN(
        auto blocks, db.QueryInt("SELECT count(*) FROM visit_raw_blocks WHERE day = $1", {day}));
    report.blocks += blocks.value_or(0);
    SUNSHINE_RETURN_IF_ERROR(
        db.Query("SELECT DISTINCT file FROM visit_raw_blocks WHERE day = $1 AND file IS NOT NULL",
                 {day}, [&](const Row& row) {
                   raw_files.push_back(row.Text(0));
                   return Status();
                 }));
    SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM visit_raw_blocks WHERE day = $1", {day}));
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("UPDATE visit_days SET raw_lines = 0, purged_at = $2 WHERE day = $1",
                {day, ToEpoch(Clock::WallNow())}));
  }
  std::vector<std::string> orphaned;
  for (const auto& [id, sha] : quarantined) {
    SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM quarantine WHERE id = $1", {id}));
    SUNSHINE_ASSIGN_OR_RETURN(
        auto others, db.QueryInt("SELECT count(*) FROM quarantine WHERE sha256 = $1", {sha}));
    if (others.value_or(0) == 0) {
      orphaned.push_back(sha);
    }
  }
  JsonObject details = NewJsonObject();
  details->set("lines", report.lines);
  details->set("blocks", report.blocks);
  details->set("days", static_cast<std::int64_t>(report.days.size()));
  details->set("from", report.days.empty() ? std::string() : report.days.front());
  details->set("to", report.days.empty() ? std::string() : report.days.back());
  details->set("held_days_kept", static_cast<std::int64_t>(report.held_days.size()));
  details->set("quarantine_items", report.quarantine_items);
  details->set("retention", report.retention_text);
  details->set("retention_source", report.retention_source);
  details->set("as_of", DayText(report.today));
  auto seq = AuditLog::Append(
      db, actor, "visits.purge",
      "visits-raw:" + (report.days.empty() ? DayText(report.cutoff) : report.days.back()),
      ToJson(details));
  if (!seq.ok()) {
    return seq.status();
  }
  SUNSHINE_RETURN_IF_ERROR(txn->Commit());
  // The rows are gone; their files follow (a crash here leaves orphans for the next purge).
  for (const std::string& name : raw_files) {
    SUNSHINE_RETURN_IF_ERROR(DestroyVisitRawFile(raw_dir, name));
  }
  for (const std::string& sha : orphaned) {
    boost::system::error_code ec;
    boost::filesystem::remove(store.home().quarantine_dir() / (sha + ".bin"), ec);
  }
  // secure_delete zeroed the freed cells and pages; the checkpoint copies them over the
  // main file and truncates the log, so no purged byte stays in sunshine.db or -wal.
  SUNSHINE_RETURN_IF_ERROR(db.Checkpoint());
  return report;
}

Status HoldVisitDay(Store& store, const std::string& day, const std::string& reason,
                    const std::string& actor) {
  SUNSHINE_RETURN_IF_ERROR(ParseDate(day).status());
  if (reason.empty()) {
    return Status::InvalidInput("a hold needs --reason");
  }
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  SUNSHINE_ASSIGN_OR_RETURN(
      auto existing, db.QueryInt("SELECT count(*) FROM visit_day_holds WHERE day = $1", {day}));
  if (existing.value_or(0) > 0) {
    return Status::AlreadyExists("visit day " + day + " is already on hold");
  }
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      "INSERT INTO visit_day_holds (day, reason, actor, created_at) VALUES ($1, $2, $3, $4)",
      {day, reason, actor, ToEpoch(Clock::WallNow())}));
  JsonObject details = NewJsonObject();
  details->set("day", day);
  details->set("reason", reason);
  auto seq = AuditLog::Append(db, actor, "visits.hold", "visits-day:" + day, ToJson(details));
  if (!seq.ok()) {
    return seq.status();
  }
  return txn->Commit();
}

Status ReleaseVisitDay(Store& store, const std::string& day, const std::string& reason,
                       const std::string& actor) {
  SUNSHINE_RETURN_IF_ERROR(ParseDate(day).status());
  if (reason.empty()) {
    return Status::InvalidInput("a release needs --reason");
  }
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM visit_day_holds WHERE day = $1", {day}));
  if (db.ChangedRows() == 0) {
    return Status::NotFound("visit day " + day + " is not on hold");
  }
  JsonObject details = NewJsonObject();
  details->set("day", day);
  details->set("reason", reason);
  auto seq = AuditLog::Append(db, actor, "visits.release", "visits-day:" + day, ToJson(details));
  if (!seq.ok()) {
    return seq.status();
  }
  return txn->Commit();
}

Result<std::vector<VisitDayHold>> ListVisitDayHolds(Database& db) {
  std::vector<VisitDayHold> holds;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT day, reason, actor, created_at FROM visit_day_holds ORDER BY day", {},
               [&](const Row& row) {
                 holds.push_back({row.Text(0), row.Text(1), row.Text(2), row.Int(3)});
                 return Status();
               }));
  return holds;
}

Result<std::vector<VisitDayStats>> LoadVisitStats(Database& db, const std::string& from,
                                                  const std::string& to) {
  std::vector<VisitDayStats> days;
  std::string low = from.empty() ? std::string("0000-00-00") : from;
  std::string high = to.empty() ? std::string("9999-99-99") : to;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT day, state, requests, page_views, unique_visitors + (SELECT count(*) FROM "
               "visit_day_visitors v WHERE v.day = d.day) + (SELECT coalesce(sum(b.visitors), 0) "
               "FROM visit_day_visitor_blocks b WHERE b.day = d.day), bytes, bot_requests FROM "
               "visit_days d WHERE day >= $1 AND day <= $2 ORDER BY day",
               {low, high}, [&](const Row& row) {
                 VisitDayStats day;
                 day.date = row.Text(0);
                 day.final = row.Text(1) == "aggregated";
                 day.requests = row.Int(2);
                 day.page_views = row.Int(3);
                 day.unique_visitors = row.Int(4);
                 day.bytes = row.Int(5);
                 day.bot_requests = row.Int(6);
                 days.push_back(std::move(day));
                 return Status();
               }));
  for (VisitDayStats& day : days) {
    SUNSHINE_RETURN_IF_ERROR(
        db.Query("SELECT dimension, name, count FROM visit_day_counts WHERE day = $1", {day.date},
                 [&](const Row& row) {
                   std::string dimension = row.Text(0);
                   VisitCounts* target = nullptr;
                   if (dimension == "browser")
                     target = &day.browsers;
                   else if (dimension == "browser_version")
                     target = &day.browser_versions;
                   else if (dimension == "os")
                     target = &day.operating_systems;
                   else if (dimension == "device_class")
                     target = &day.device_classes;
                   else if (dimension == "visitor_tld")
                     target = &day.visitor_tlds;
                   else if (dimension == "visitor_domain")
                     target = &day.visitor_domains;
                   else if (dimension == "page")
                     target = &day.pages;
                   else if (dimension == "referrer_site")
                     target = &day.referring_sites;
                   else if (dimension == "status_class")
                     target = &day.status_classes;
                   else if (dimension == "bot")
                     target = &day.bots;
                   if (target != nullptr) {
                     (*target)[row.Text(1)] = row.Int(2);
                   }
                   return Status();
                 }));
  }
  return days;
}

}  // namespace sunshine
