// The business-day calendar behind the Sunshine Law clock (RSMo 610.023.3: act "no later than
// the end of the third business day following the date the request is received"). Business
// days are Monday to Friday except the RSMo 9.010 public holidays, as observed, and the
// office's extra closure days (executive-order closures such as the day after Thanksgiving).
// Pure: no store, no clock.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/result.h"
#include "engine/store/config.h"

namespace sunshine {

struct CalendarOptions {
  // RSMo 9.010 moves a holiday that falls on Sunday to the following Monday. It says nothing
  // about Saturday (missouri-law.md 1.11: unverified); state practice may close the Friday
  // before, so that is an option, off by default.
  bool saturday_to_friday = false;
  // Juneteenth became a state holiday in the 2022 session (missouri-law.md 1.11 [S]).
  int juneteenth_from_year = 2022;
  // Extra days the office is closed ("requests.closure_days" in sunshine.toml).
  std::set<SysDays> closure_days;
};

struct Holiday {
  SysDays observed;  // the day the office is closed
  SysDays actual;    // the statutory date
  std::string name;  // "Christmas Day"
};

class BusinessCalendar {
 public:
  explicit BusinessCalendar(CalendarOptions options = {});

  // Reads requests.closure_days (list of YYYY-MM-DD), requests.saturday_holidays
  // ("none" | "friday") and requests.juneteenth_from_year. InvalidInput naming the key.
  static Result<BusinessCalendar> FromConfig(const Config& config);

  // The 9.010 holidays whose observed day falls in `year`, in date order.
  std::vector<Holiday> HolidaysIn(int year) const;
  // Why `day` is not a business day ("Saturday", "Independence Day (observed)",
  // "office closure"), or nullopt if it is one.
  std::optional<std::string> NonBusinessReason(SysDays day) const;
  bool IsBusinessDay(SysDays day) const { return !NonBusinessReason(day).has_value(); }
  // The `count`-th business day strictly after `start` (count >= 1).
  SysDays AddBusinessDays(SysDays start, int count) const;
  // RSMo 610.023.3: the day received is not counted; due at the end of the third business day
  // after it (Missouri DOR: a request received Monday is due by the end of Thursday).
  SysDays ResponseDue(SysDays received_day) const { return AddBusinessDays(received_day, 3); }

  const CalendarOptions& options() const { return options_; }

 private:
  std::vector<Holiday> StatutoryHolidays(int year) const;  // observed rule applied

  CalendarOptions options_;
};

// The office's local calendar day of an instant (TZ), used for the day a request arrived.
SysDays LocalDay(SysSeconds instant);

}  // namespace sunshine
