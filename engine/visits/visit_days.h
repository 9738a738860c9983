// Days of visit statistics: aggregation (finalising a day and destroying its visitor key),
// the purge of raw lines past retention, legal holds on days, and reading the statistics
// back for reports. docs/formats/visit-statistics.md describes what is kept and purged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/store/store.h"
#include "engine/visits/visit_settings.h"
#include "exporters/visits/visit_report.h"

namespace sunshine {

// The site's "today" (visits.timezone) for the engine's clock (honours --as-of).
Result<SysDays> VisitToday(const VisitSettings& settings, const Clock& clock);

struct AggregateReport {
  std::vector<std::string> days;  // aggregated now
  std::int64_t keys_destroyed = 0;
};
// Finalises every open day before `before` (site-local, exclusive): the day's unique
// visitors are counted from its keyed hashes, the top lists are trimmed, and the hashes and
// the day's key are deleted, one transaction and one audit event per day, then a WAL
// checkpoint so the key's bytes leave the log too.
Result<AggregateReport> AggregateVisitDays(Store& store, const VisitSettings& settings,
                                           const std::string& actor, SysDays before,
                                           bool dry_run = false);

struct PurgeReport {
  SysDays today;
  SysDays cutoff;                   // raw lines of days <= cutoff are purged
  std::int64_t retention_days = 0;  // when from visits.raw_retention_days, else 0
  std::string retention_text;       // "1 year", "90 days"
  std::string retention_source;     // the schedule item, or the configuration key
  AggregateReport aggregated;
  std::vector<std::string> days;       // purged (or would be, with dry_run)
  std::vector<std::string> held_days;  // past retention but under a hold: kept
  std::int64_t lines = 0;
  std::int64_t blocks = 0;
  std::int64_t quarantine_items = 0;  // quarantined visit lines past retention, removed
  std::int64_t orphan_raw_files = 0;  // raw-block files no row named (a crash), destroyed
  bool dry_run = false;
};
// Aggregates what is not yet aggregated, then deletes raw lines past retention except held
// days (secure_delete zeroes them), checkpoints the WAL and audits "visits.purge" with the
// count and date range.
Result<PurgeReport> PurgeVisits(Store& store, const VisitSettings& settings, const Clock& clock,
                                const std::string& actor, bool dry_run);

// Holds: InvalidInput without a reason; AlreadyExists / NotFound as appropriate.
Status HoldVisitDay(Store& store, const std::string& day, const std::string& reason,
                    const std::string& actor);
Status ReleaseVisitDay(Store& store, const std::string& day, const std::string& reason,
                       const std::string& actor);

struct VisitDayHold {
  std::string day;
  std::string reason;
  std::string actor;
  std::int64_t created_at = 0;
};
Result<std::vector<VisitDayHold>> ListVisitDayHolds(Database& db);

// Days in [from, to] (either may be empty: open-ended), open days with provisional counts.
Result<std::vector<VisitDayStats>> LoadVisitStats(Database& db, const std::string& from,
                                                  const std::string& to);

}  // namespace sunshine
