#include "schedules/period.h"

#include <gtest/gtest.h>

#include "engine/core/time_format.h"

namespace sunshine {
namespace {

SysDays D(const char* text) { return *ParseDate(text); }
std::string S(SysDays day) { return FormatDate(day); }

TEST(AddPeriodTest, PlainYearsMonthsDays) {
  EXPECT_EQ(S(AddPeriod(D("2020-05-17"), 3, 0, 0)), "2023-05-17");
  EXPECT_EQ(S(AddPeriod(D("2020-05-17"), 0, 8, 0)), "2021-01-17");
  EXPECT_EQ(S(AddPeriod(D("2020-12-31"), 0, 0, 1)), "2021-01-01");
  EXPECT_EQ(S(AddPeriod(D("2020-01-01"), 0, 0, 90)), "2020-03-31");  // 2020 is a leap year
  EXPECT_EQ(S(AddPeriod(D("2021-01-01"), 0, 0, 90)), "2021-04-01");
  EXPECT_EQ(S(AddPeriod(D("2020-05-17"), 2, 6, 10)), "2022-11-27");
}

TEST(AddPeriodTest, LeapDayClampsToEndOfFebruary) {
  EXPECT_EQ(S(AddPeriod(D("2024-02-29"), 1, 0, 0)), "2025-02-28");
  EXPECT_EQ(S(AddPeriod(D("2024-02-29"), 4, 0, 0)), "2028-02-29");
  EXPECT_EQ(S(AddPeriod(D("2024-02-29"), 0, 12, 0)), "2025-02-28");
  // 100-year rule: 2100 is not a leap year, 2000 was.
  EXPECT_EQ(S(AddPeriod(D("2096-02-29"), 4, 0, 0)), "2100-02-28");
  EXPECT_EQ(S(AddPeriod(D("1996-02-29"), 4, 0, 0)), "2000-02-29");
}

TEST(AddPeriodTest, MonthEndsClamp) {
  EXPECT_EQ(S(AddPeriod(D("2021-01-31"), 0, 1, 0)), "2021-02-28");
  EXPECT_EQ(S(AddPeriod(D("2024-01-31"), 0, 1, 0)), "2024-02-29");
  EXPECT_EQ(S(AddPeriod(D("2021-03-31"), 0, 1, 0)), "2021-04-30");
  EXPECT_EQ(S(AddPeriod(D("2021-08-31"), 0, 18, 0)), "2023-02-28");
  // Days are added after the clamp.
  EXPECT_EQ(S(AddPeriod(D("2021-01-31"), 0, 1, 1)), "2021-03-01");
  // Negative months (used to look back for hold reviews).
  EXPECT_EQ(S(AddPeriod(D("2026-03-31"), 0, -6, 0)), "2025-09-30");
  EXPECT_EQ(S(AddPeriod(D("2026-01-15"), 0, -13, 0)), "2024-12-15");
}

TEST(CutoffTest, NoneAndCalendarYear) {
  FiscalYearStart fy;
  EXPECT_EQ(S(ApplyCutoff(D("2020-05-17"), Cutoff::kNone, fy)), "2020-05-17");
  EXPECT_EQ(S(ApplyCutoff(D("2020-05-17"), Cutoff::kCalendarYear, fy)), "2021-01-01");
  EXPECT_EQ(S(ApplyCutoff(D("2020-01-01"), Cutoff::kCalendarYear, fy)), "2021-01-01");
  EXPECT_EQ(S(ApplyCutoff(D("2020-12-31"), Cutoff::kCalendarYear, fy)), "2021-01-01");
}

TEST(CutoffTest, MissouriFiscalYearStartsJulyFirst) {
  FiscalYearStart fy;  // 07-01
  EXPECT_EQ(S(ApplyCutoff(D("2025-06-30"), Cutoff::kFiscalYear, fy)), "2025-07-01");
  EXPECT_EQ(S(ApplyCutoff(D("2025-07-01"), Cutoff::kFiscalYear, fy)), "2026-07-01");
  EXPECT_EQ(S(ApplyCutoff(D("2025-12-31"), Cutoff::kFiscalYear, fy)), "2026-07-01");
  EXPECT_EQ(S(ApplyCutoff(D("2026-01-01"), Cutoff::kFiscalYear, fy)), "2026-07-01");
}

TEST(CutoffTest, ConfigurableFiscalYearStart) {
  auto federal = ParseFiscalYearStart("10-01");
  ASSERT_TRUE(federal.ok());
  EXPECT_EQ(S(ApplyCutoff(D("2025-09-30"), Cutoff::kFiscalYear, *federal)), "2025-10-01");
  EXPECT_EQ(S(ApplyCutoff(D("2025-10-01"), Cutoff::kFiscalYear, *federal)), "2026-10-01");
  EXPECT_FALSE(ParseFiscalYearStart("02-29").ok());
  EXPECT_FALSE(ParseFiscalYearStart("13-01").ok());
  EXPECT_FALSE(ParseFiscalYearStart("7-1").ok());
  EXPECT_EQ(ParseFiscalYearStart("7-1").status().message(),
            "fiscal year start '7-1' must be MM-DD, e.g. 07-01");
}

TEST(DueDateTest, TriggerThenCutoffThenPeriod) {
  ScheduleItem item;
  item.retention = *ParseRetentionPeriod("3 years");
  item.cutoff = Cutoff::kFiscalYear;
  FiscalYearStart fy;
  // Received 2022-03-10: fiscal year ends 2022-06-30, cutoff 2022-07-01, due 2025-07-01.
  EXPECT_EQ(S(*DueDate(item, D("2022-03-10"), fy)), "2025-07-01");
  item.cutoff = Cutoff::kCalendarYear;
  EXPECT_EQ(S(*DueDate(item, D("2022-03-10"), fy)), "2026-01-01");
  item.cutoff = Cutoff::kNone;
  EXPECT_EQ(S(*DueDate(item, D("2022-03-10"), fy)), "2025-03-10");
}

TEST(DueDateTest, PermanentAndMissingEventAreNeverDue) {
  ScheduleItem item;
  item.retention = *ParseRetentionPeriod("permanent");
  EXPECT_FALSE(DueDate(item, D("2000-01-01"), FiscalYearStart{}).has_value());
  item.retention = *ParseRetentionPeriod("3 years after request-closed");
  EXPECT_FALSE(DueDate(item, std::nullopt, FiscalYearStart{}).has_value());
  EXPECT_EQ(S(*DueDate(item, D("2026-03-01"), FiscalYearStart{})), "2029-03-01");
}

TEST(RetentionPeriodTest, ParsesTheGrammar) {
  auto p = ParseRetentionPeriod("2 years 6 months 3 days");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->years, 2);
  EXPECT_EQ(p->months, 6);
  EXPECT_EQ(p->days, 3);
  EXPECT_EQ(p->ToString(), "2 years 6 months 3 days");
  auto e = ParseRetentionPeriod("1 year after case-closed");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->event, "case-closed");
  EXPECT_EQ(e->ToString(), "1 year after case-closed");
  EXPECT_TRUE(ParseRetentionPeriod("permanent")->permanent);
  EXPECT_EQ(ParseRetentionPeriod("0 days")->ToString(), "0 days");
}

TEST(RetentionPeriodTest, RejectsBadPeriods) {
  for (const char* bad : {"", "3", "three years", "3 fortnights", "-1 years", "3 years 2 years",
                          "after closed", "3 years after", "3 years after Closed",
                          "3 years after a b", "permanent 3 years", "5000 years"}) {
    EXPECT_FALSE(ParseRetentionPeriod(bad).ok()) << bad;
  }
  EXPECT_NE(
      ParseRetentionPeriod("3 fortnights").status().message().find("unknown unit 'fortnights'"),
      std::string::npos);
}

TEST(RetentionPeriodTest, RankOrdersLongestRetention) {
  auto rank = [](const char* text) { return ParseRetentionPeriod(text)->RankKey(); };
  EXPECT_GT(rank("permanent"), rank("1 year after case-closed"));
  EXPECT_GT(rank("1 day after case-closed"), rank("100 years"));
  EXPECT_GT(rank("1 year"), rank("365 days"));
  EXPECT_EQ(rank("1 year"), rank("12 months"));
  EXPECT_GT(rank("3 years"), rank("2 years 11 months"));
}

}  // namespace
}  // namespace sunshine
