// Disposition-date arithmetic: trigger date -> cutoff -> retention period -> due date.
// Pure functions over calendar days, unit-tested for leap years, month ends and fiscal years.
#pragma once

#include <optional>

#include "engine/core/clock.h"
#include "engine/core/result.h"
#include "schedules/schedule.h"

namespace sunshine {

// Start of the fiscal year as month and day; Missouri's state fiscal year starts July 1.
struct FiscalYearStart {
  unsigned month = 7;
  unsigned day = 1;
};
// "MM-DD" ("07-01"); InvalidInput otherwise (29 February cannot start a fiscal year).
Result<FiscalYearStart> ParseFiscalYearStart(std::string_view text);

// Adds years and months first, clamping the day to the end of the resulting month
// (31 Jan + 1 month = 28/29 Feb; 29 Feb 2024 + 1 year = 28 Feb 2025), then days.
SysDays AddPeriod(SysDays start, int years, int months, int days);

// The cutoff closes a record's period: the retention clock starts on the first day after
// the period the trigger falls in. kNone: the trigger day itself. kCalendarYear: 1 January
// of the next year. kFiscalYear: the next fiscal-year start strictly after the trigger
// (with a 1 July start: 30 June 2025 -> 1 July 2025; 1 July 2025 -> 1 July 2026).
SysDays ApplyCutoff(SysDays trigger, Cutoff cutoff, FiscalYearStart fiscal_year_start);

// The first day the record may be disposed of: ApplyCutoff(trigger) + retention.
// nullopt when the retention is permanent, or event-based and the event has not been
// recorded (`trigger` is then the event date when it exists).
std::optional<SysDays> DueDate(const ScheduleItem& item, std::optional<SysDays> trigger,
                               FiscalYearStart fiscal_year_start);

}  // namespace sunshine
