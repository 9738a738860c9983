#include "engine/core/time_format.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace sunshine {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

TEST(TimeFormatTest, DatesRoundTrip) {
  auto d = ParseDate("2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatDate(*d), "2024-02-29");
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_FALSE(ParseDate("2023-2-28").ok());
  EXPECT_FALSE(ParseDate("tomorrow").ok());
}

TEST(TimeFormatTest, DateTimesWithOffsets) {
  auto utc = ParseDateTime("2026-11-30T10:00:00Z");
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(FormatUtc(*utc), "2026-11-30T10:00:00Z");
  auto central = ParseDateTime("2026-11-30T10:00-06:00");
  ASSERT_TRUE(central.ok());
  EXPECT_EQ(FormatUtc(*central), "2026-11-30T16:00:00Z");
  EXPECT_FALSE(ParseDateTime("2026-11-30T25:00Z").ok());
  EXPECT_FALSE(ParseDateTime("2026-11-30X10:00").ok());
}

TEST(TimeFormatTest, LocalTimeUsesTheOfficeTimezone) {
  setenv("TZ", "America/Chicago", 1);
  tzset();
  auto local = ParseDateTime("2026-07-01 09:00");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(FormatUtc(*local), "2026-07-01T14:00:00Z");  // CDT is UTC-5
  unsetenv("TZ");
  tzset();
}

TEST(TimeFormatTest, ClockHonoursAsOf) {
  SysDays as_of = std::chrono::year_month_day{year{2030}, month{1}, day{15}};
  Clock clock(as_of);
  EXPECT_EQ(clock.Today(), as_of);
  EXPECT_EQ(DayOf(clock.Now()), as_of);
  EXPECT_NE(DayOf(Clock::WallNow()), as_of);
}

}  // namespace
}  // namespace sunshine
