#include "engine/requests/business_calendar.h"

#include <time.h>

#include <algorithm>
#include <chrono>

#include "engine/core/time_format.h"

namespace sunshine {

namespace {

using std::chrono::Friday;
using std::chrono::Monday;
using std::chrono::Saturday;
using std::chrono::Sunday;
using std::chrono::Thursday;
using std::chrono::weekday;
using std::chrono::weekday_indexed;
using std::chrono::weekday_last;
using std::chrono::year;
using std::chrono::year_month_day;
using std::chrono::year_month_weekday;
using std::chrono::year_month_weekday_last;

SysDays Fixed(int y, unsigned month, unsigned day) {
  return SysDays(year{y} / std::chrono::month{month} / std::chrono::day{day});
}

SysDays Nth(int y, unsigned month, weekday wd, unsigned n) {
  return SysDays(year_month_weekday(year{y}, std::chrono::month{month}, weekday_indexed(wd, n)));
}

SysDays Last(int y, unsigned month, weekday wd) {
  return SysDays(year_month_weekday_last(year{y}, std::chrono::month{month}, weekday_last(wd)));
}

}  // namespace

BusinessCalendar::BusinessCalendar(CalendarOptions options) : options_(std::move(options)) {}

Result<BusinessCalendar> BusinessCalendar::FromConfig(const Config& config) {
  CalendarOptions options;
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<std::string> closures,
                            config.StringList("requests.closure_days", {}));
  for (const std::string& text : closures) {
    auto day = ParseDate(text);
    if (!day.ok()) {
      return Status::InvalidInput(config.source() +
                                  ": requests.closure_days: " + day.status().message());
    }
    options.closure_days.insert(*day);
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::string saturday,
                            config.String("requests.saturday_holidays", "none"));
  if (saturday == "friday") {
    options.saturday_to_friday = true;
  } else if (saturday != "none") {
    return Status::InvalidInput(config.source() +
                                ": requests.saturday_holidays must be \"none\" "
                                "or \"friday\", not \"" +
                                saturday + "\"");
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::int64_t juneteenth,
                            config.Int("requests.juneteenth_from_year", 2022));
  options.juneteenth_from_year = static_cast<int>(juneteenth);
  return BusinessCalendar(std::move(options));
}

std::vector<Holiday> BusinessCalendar::StatutoryHolidays(int y) const {
  // RSMo 9.010 in statutory order; names from 9.020 and 9.035.
  std::vector<Holiday> days = {
      {{}, Fixed(y, 1, 1), "New Year's Day"},
      {{}, Nth(y, 1, Monday, 3), "Martin Luther King Day"},
      {{}, Fixed(y, 2, 12), "Lincoln Day"},
      {{}, Nth(y, 2, Monday, 3), "Washington's Birthday"},
      {{}, Fixed(y, 5, 8), "Truman Day"},
      {{}, Last(y, 5, Monday), "Memorial Day"},
      {{}, Fixed(y, 7, 4), "Independence Day"},
      {{}, Nth(y, 9, Monday, 1), "Labor Day"},
      {{}, Nth(y, 10, Monday, 2), "Columbus Day"},
      {{}, Fixed(y, 11, 11), "Veterans Day"},
      {{}, Nth(y, 11, Thursday, 4), "Thanksgiving Day"},
      {{}, Fixed(y, 12, 25), "Christmas Day"},
  };
  if (y >= options_.juneteenth_from_year) {
    days.push_back({{}, Fixed(y, 6, 19), "Juneteenth"});
  }
  for (Holiday& holiday : days) {
    weekday wd{holiday.actual};
    holiday.observed = holiday.actual;
    if (wd == Sunday) {
      // RSMo 9.010: "when any of such holidays falls upon Sunday, the Monday next following
      // shall be considered the holiday".
      holiday.observed = holiday.actual + std::chrono::days{1};
    } else if (wd == Saturday && options_.saturday_to_friday) {
      holiday.observed = holiday.actual - std::chrono::days{1};
    }
  }
  return days;
}

std::vector<Holiday> BusinessCalendar::HolidaysIn(int y) const {
  std::vector<Holiday> result;
  // A Saturday New Year's Day can be observed on 31 December of the year before.
  for (int source_year = y - 1; source_year <= y + 1; ++source_year) {
    for (Holiday& holiday : StatutoryHolidays(source_year)) {
      if (year_month_day(holiday.observed).year() == year{y}) {
        result.push_back(std::move(holiday));
      }
    }
  }
  std::sort(result.begin(), result.end(),
            [](const Holiday& a, const Holiday& b) { return a.observed < b.observed; });
  return result;
}

std::optional<std::string> BusinessCalendar::NonBusinessReason(SysDays day) const {
  weekday wd{day};
  if (wd == Saturday) {
    return "Saturday";
  }
  if (wd == Sunday) {
    return "Sunday";
  }
  int y = static_cast<int>(year_month_day(day).year());
  for (const Holiday& holiday : HolidaysIn(y)) {
    if (holiday.observed == day) {
      return holiday.observed == holiday.actual ? holiday.name : holiday.name + " (observed)";
    }
  }
  if (options_.closure_days.count(day) > 0) {
    return "office closure";
  }
  return std::nullopt;
}

SysDays BusinessCalendar::AddBusinessDays(SysDays start, int count) const {
  SysDays day = start;
  int found = 0;
  while (found < count) {
    day += std::chrono::days{1};
    if (IsBusinessDay(day)) {
      ++found;
    }
  }
  return day;
}

SysDays LocalDay(SysSeconds instant) {
  time_t seconds = static_cast<time_t>(ToEpoch(instant));
  struct tm local {};
  localtime_r(&seconds, &local);
  return SysDays(year{local.tm_year + 1900} /
                 std::chrono::month{static_cast<unsigned>(local.tm_mon + 1)} /
                 std::chrono::day{static_cast<unsigned>(local.tm_mday)});
}

}  // namespace sunshine
