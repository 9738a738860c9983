#include "schedules/period.h"

#include <charconv>

namespace sunshine {

namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;
using std::chrono::year_month_day_last;

int ParseTwoDigits(std::string_view text) {
  int value = -1;
  if (text.size() != 2) {
    return -1;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + 2, value);
  if (ec != std::errc() || ptr != text.data() + 2) {
    return -1;
  }
  return value;
}

}  // namespace

Result<FiscalYearStart> ParseFiscalYearStart(std::string_view text) {
  int m = -1;
  int d = -1;
  if (text.size() == 5 && text[2] == '-') {
    m = ParseTwoDigits(text.substr(0, 2));
    d = ParseTwoDigits(text.substr(3, 2));
  }
  if (m < 1 || m > 12 || d < 1) {
    return Status::InvalidInput("fiscal year start '" + std::string(text) +
                                "' must be MM-DD, e.g. 07-01");
  }
  // Checked against a non-leap year so that the start exists every year.
  year_month_day check{year{2023}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!check.ok()) {
    return Status::InvalidInput("fiscal year start '" + std::string(text) +
                                "' is not a day that exists every year");
  }
  return FiscalYearStart{static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

SysDays AddPeriod(SysDays start, int years, int months, int days) {
  year_month_day ymd{start};
  int total_months = static_cast<int>(static_cast<unsigned>(ymd.month())) - 1 + months;
  int y = static_cast<int>(ymd.year()) + years + total_months / 12;
  int m0 = total_months % 12;
  if (m0 < 0) {
    m0 += 12;
    y -= 1;
  }
  month m{static_cast<unsigned>(m0 + 1)};
  day last = year_month_day_last{year{y}, std::chrono::month_day_last{m}}.day();
  day d = ymd.day() > last ? last : ymd.day();
  return SysDays{year_month_day{year{y}, m, d}} + std::chrono::days{days};
}

SysDays ApplyCutoff(SysDays trigger, Cutoff cutoff, FiscalYearStart fiscal_year_start) {
  year_month_day ymd{trigger};
  switch (cutoff) {
    case Cutoff::kNone:
      return trigger;
    case Cutoff::kCalendarYear:
      return SysDays{year_month_day{ymd.year() + std::chrono::years{1}, month{1}, day{1}}};
    case Cutoff::kFiscalYear: {
      SysDays start_this_year{
          year_month_day{ymd.year(), month{fiscal_year_start.month}, day{fiscal_year_start.day}}};
      if (start_this_year > trigger) {
        return start_this_year;
      }
      return SysDays{year_month_day{ymd.year() + std::chrono::years{1},
                                    month{fiscal_year_start.month}, day{fiscal_year_start.day}}};
    }
  }
  return trigger;
}

std::optional<SysDays> DueDate(const ScheduleItem& item, std::optional<SysDays> trigger,
                               FiscalYearStart fiscal_year_start) {
  if (item.retention.permanent || !trigger.has_value()) {
    return std::nullopt;
  }
  SysDays start = ApplyCutoff(*trigger, item.cutoff, fiscal_year_start);
  return AddPeriod(start, item.retention.years, item.retention.months, item.retention.days);
}

}  // namespace sunshine
