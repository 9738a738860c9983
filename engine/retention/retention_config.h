// Retention settings from sunshine.toml and the schedules in force, plus the one call other
// features use to learn a retention period without knowing the schedule format.
//
// FOR THE VISIT-LOG PURGE (engine/visits): call RetentionForRecordKind(store, "visit-log").
// It returns the schedule item whose rule names kind "visit-log" alone (in the shipped
// example, EX-MO-009 "Website visit logs, raw", 1 year), with its period and citation.
// A raw visit row dated D is due for purge when IsDue(D, today) is true, i.e. when
// DueDate(D) <= today (cutoff and period applied exactly as for records). Show
// `item_id`, `period_text` and `citation` in the purge report so auditors see which
// configured retention was applied (Matomo #12864). NotFound if no item names the kind.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/core/clock.h"
#include "engine/core/path.h"
#include "engine/core/result.h"
#include "engine/store/store.h"
#include "schedules/period.h"
#include "schedules/schedule.h"

namespace sunshine {

struct RetentionSettings {
  Path schedules_dir;                    // retention.schedules (resolved)
  FiscalYearStart fiscal_year_start;     // retention.fiscal_year_start, "07-01"
  bool require_approval = true;          // retention.require_approval
  std::int64_t hold_review_months = 6;   // retention.hold_review_months
  bool transfer_keep_local_copy = true;  // retention.transfer_keep_local_copy
  bool compact_after_destroy = true;     // retention.compact_after_destroy
};

// Where the schedules come from when `retention.schedules` is not set: HOME/schedules if that
// folder exists, else the installed copy (share/sunshine/schedules), else the source tree's
// schedules/data (running from a build directory).
Path DefaultSchedulesDir(const Home& home);

// InvalidInput naming the configuration file and key for a bad value.
Result<RetentionSettings> LoadRetentionSettings(const Store& store);

// The settings and the schedule set they point to. FailedPrecondition listing the
// schedule problems if the files do not validate.
struct RetentionContext {
  RetentionSettings settings;
  ScheduleSet schedules;
};
Result<RetentionContext> LoadRetentionContext(const Store& store);

struct KindRetention {
  std::string item_id;
  std::string title;
  std::string citation;
  std::string authority;
  std::string schedule_id;
  std::string schedule_version;
  RetentionPeriod period;   // years / months / days (never event-based for visit logs)
  std::string period_text;  // "1 year"
  Cutoff cutoff = Cutoff::kNone;
  Disposition disposition = Disposition::kDestroy;
  FiscalYearStart fiscal_year_start;

  // The first day a row dated `day` may be purged; nullopt if it is kept permanently.
  std::optional<SysDays> DueDate(SysDays day) const;
  bool IsDue(SysDays day, SysDays today) const;
};

Result<KindRetention> RetentionForRecordKind(const Store& store, std::string_view kind);

}  // namespace sunshine
