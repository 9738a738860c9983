#include "engine/requests/business_calendar.h"

#include <gtest/gtest.h>

#include "engine/core/time_format.h"

namespace sunshine {
namespace {

SysDays D(const char* text) { return ParseDate(text).value(); }
std::string S(SysDays day) { return FormatDate(day); }

TEST(BusinessCalendarTest, ListsTheThirteenStatutoryHolidaysOf2026) {
  BusinessCalendar calendar;
  std::vector<Holiday> holidays = calendar.HolidaysIn(2026);
  std::vector<std::string> days;
  for (const Holiday& holiday : holidays) {
    days.push_back(S(holiday.observed));
  }
  EXPECT_EQ(days, (std::vector<std::string>{"2026-01-01", "2026-01-19", "2026-02-12", "2026-02-16",
                                            "2026-05-08", "2026-05-25", "2026-06-19", "2026-07-04",
                                            "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26",
                                            "2026-12-25"}));
}

TEST(BusinessCalendarTest, SundayHolidayIsObservedOnTheFollowingMonday) {
  BusinessCalendar calendar;
  EXPECT_EQ(calendar.NonBusinessReason(D("2023-01-02")), "New Year's Day (observed)");
  EXPECT_EQ(calendar.NonBusinessReason(D("2022-06-20")), "Juneteenth (observed)");
  EXPECT_EQ(calendar.NonBusinessReason(D("2022-12-26")), "Christmas Day (observed)");
  EXPECT_EQ(calendar.NonBusinessReason(D("2021-07-05")), "Independence Day (observed)");
  EXPECT_EQ(calendar.NonBusinessReason(D("2027-07-05")), "Independence Day (observed)");
  EXPECT_TRUE(calendar.IsBusinessDay(D("2023-01-03")));
}

TEST(BusinessCalendarTest, SaturdayHolidayMovesNowhereByDefault) {
  BusinessCalendar calendar;
  EXPECT_TRUE(calendar.IsBusinessDay(D("2026-07-03")));
  EXPECT_TRUE(calendar.IsBusinessDay(D("2017-11-10")));
  EXPECT_TRUE(calendar.IsBusinessDay(D("2027-12-31")));
  EXPECT_EQ(calendar.NonBusinessReason(D("2026-07-04")), "Saturday");
}

TEST(BusinessCalendarTest, SaturdayHolidayOnFridayWhenConfigured) {
  CalendarOptions options;
  options.saturday_to_friday = true;
  BusinessCalendar calendar(options);
  EXPECT_EQ(calendar.NonBusinessReason(D("2026-07-03")), "Independence Day (observed)");
  EXPECT_EQ(calendar.NonBusinessReason(D("2017-11-10")), "Veterans Day (observed)");
  // New Year's Day 2028 is a Saturday: observed on the last day of 2027.
  EXPECT_EQ(calendar.NonBusinessReason(D("2027-12-31")), "New Year's Day (observed)");
  bool listed = false;
  for (const Holiday& holiday : calendar.HolidaysIn(2027)) {
    listed = listed || (S(holiday.observed) == "2027-12-31" && S(holiday.actual) == "2028-01-01");
  }
  EXPECT_TRUE(listed);
}

TEST(BusinessCalendarTest, JuneteenthOnlyFromTheConfiguredYear) {
  BusinessCalendar calendar;
  EXPECT_TRUE(calendar.IsBusinessDay(D("2020-06-19")));
  EXPECT_FALSE(calendar.IsBusinessDay(D("2023-06-19")));
  EXPECT_FALSE(calendar.IsBusinessDay(D("2026-06-19")));
  CalendarOptions options;
  options.juneteenth_from_year = 2030;
  EXPECT_TRUE(BusinessCalendar(options).IsBusinessDay(D("2026-06-19")));
}

TEST(BusinessCalendarTest, FixedAndFloatingHolidaysAcrossYears) {
  BusinessCalendar calendar;
  EXPECT_EQ(calendar.NonBusinessReason(D("2024-05-08")), "Truman Day");
  EXPECT_EQ(calendar.NonBusinessReason(D("2026-02-12")), "Lincoln Day");
  EXPECT_EQ(calendar.NonBusinessReason(D("2025-11-27")), "Thanksgiving Day");
  EXPECT_EQ(calendar.NonBusinessReason(D("2024-10-14")), "Columbus Day");
  EXPECT_EQ(calendar.NonBusinessReason(D("2025-01-20")), "Martin Luther King Day");
  EXPECT_EQ(calendar.NonBusinessReason(D("2025-05-26")), "Memorial Day");
  // The day after Thanksgiving is not a 9.010 holiday (closed only by executive order).
  EXPECT_TRUE(calendar.IsBusinessDay(D("2025-11-28")));
  // 9.010: no holiday on the fourth Monday of October.
  EXPECT_TRUE(calendar.IsBusinessDay(D("2026-10-26")));
  for (int year = 2020; year <= 2035; ++year) {
    EXPECT_GE(calendar.HolidaysIn(year).size(), 12u) << year;
  }
}

TEST(BusinessCalendarTest, ReceiptDayIsNotCounted) {
  BusinessCalendar calendar;
  // Missouri DOR: received Monday, due by the end of Thursday.
  EXPECT_EQ(S(calendar.ResponseDue(D("2026-03-02"))), "2026-03-05");
  // Received on a Saturday: Monday, Tuesday, Wednesday.
  EXPECT_EQ(S(calendar.ResponseDue(D("2026-03-07"))), "2026-03-11");
  // Friday: Monday to Wednesday.
  EXPECT_EQ(S(calendar.ResponseDue(D("2026-03-06"))), "2026-03-11");
}

TEST(BusinessCalendarTest, DueDateSkipsHolidaysAndObservedDays) {
  BusinessCalendar calendar;
  // Thanksgiving on Thursday 26 November 2026.
  EXPECT_EQ(S(calendar.ResponseDue(D("2026-11-23"))), "2026-11-27");
  // Christmas on Friday 2026: Thursday, then Monday and Tuesday.
  EXPECT_EQ(S(calendar.ResponseDue(D("2026-12-23"))), "2026-12-29");
  // New Year's Day 2023 was a Sunday, observed Monday 2 January.
  EXPECT_EQ(S(calendar.ResponseDue(D("2022-12-30"))), "2023-01-05");
}

TEST(BusinessCalendarTest, ConfiguredClosureDaysAreSkipped) {
  auto config = Config::Parse(
      "[requests]\nclosure_days = [\"2026-11-27\"]\nsaturday_holidays = \"friday\"\n", "t.toml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto calendar = BusinessCalendar::FromConfig(*config);
  ASSERT_TRUE(calendar.ok()) << calendar.status().ToString();
  EXPECT_EQ(calendar->NonBusinessReason(D("2026-11-27")), "office closure");
  EXPECT_EQ(S(calendar->ResponseDue(D("2026-11-23"))), "2026-11-30");
  EXPECT_TRUE(calendar->options().saturday_to_friday);
}

TEST(BusinessCalendarTest, BadConfigurationNamesTheKey) {
  auto config = Config::Parse("[requests]\nclosure_days = [\"2026-13-40\"]\n", "t.toml");
  ASSERT_TRUE(config.ok());
  auto calendar = BusinessCalendar::FromConfig(*config);
  ASSERT_FALSE(calendar.ok());
  EXPECT_NE(calendar.status().message().find("requests.closure_days"), std::string::npos);
  auto saturday = Config::Parse("[requests]\nsaturday_holidays = \"monday\"\n", "t.toml");
  ASSERT_TRUE(saturday.ok());
  EXPECT_FALSE(BusinessCalendar::FromConfig(*saturday).ok());
}

}  // namespace
}  // namespace sunshine
