#include "engine/core/clock.h"

#include <ctime>

namespace sunshine {

namespace {

SysDays LocalDateOf(SysSeconds t) {
  std::time_t tt = t.time_since_epoch().count();
  std::tm local{};
  localtime_r(&tt, &local);
  return std::chrono::year_month_day{std::chrono::year{local.tm_year + 1900},
                                     std::chrono::month{static_cast<unsigned>(local.tm_mon + 1)},
                                     std::chrono::day{static_cast<unsigned>(local.tm_mday)}};
}

}  // namespace

SysSeconds Clock::WallNow() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

SysDays Clock::Today() const {
  if (as_of_) {
    return *as_of_;
  }
  return LocalDateOf(WallNow());
}

SysSeconds Clock::Now() const {
  SysSeconds now = WallNow();
  if (!as_of_) {
    return now;
  }
  auto time_of_day = now - std::chrono::floor<std::chrono::days>(now);
  return SysSeconds{*as_of_} + time_of_day;
}

}  // namespace sunshine
