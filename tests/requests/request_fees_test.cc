#include "engine/requests/request_fees.h"

#include <gtest/gtest.h>

namespace sunshine {
namespace {

FeeRates Rates() {
  FeeRates rates;
  rates.copy_cents_per_page = 10;
  rates.clerical_hourly_cents = 1800;
  rates.research_hourly_cents = 3000;
  rates.ssn_redaction_minutes_each = 2;
  return rates;
}

TEST(RequestFeesTest, PaperCopiesStaffResearchAndSsnRedaction) {
  FeeInputs inputs;
  inputs.format = "paper";
  inputs.pages = 37;
  inputs.clerical_hours = 0.5;
  inputs.research_hours = 1.25;
  inputs.ssn_redactions = 3;
  auto estimate = EstimateFees(Rates(), inputs);
  ASSERT_TRUE(estimate.ok()) << estimate.status().ToString();
  ASSERT_EQ(estimate->lines.size(), 4u);
  EXPECT_EQ(estimate->lines[0].amount_cents, 370);   // 37 pages at $0.10
  EXPECT_EQ(estimate->lines[1].amount_cents, 900);   // half an hour at $18
  EXPECT_EQ(estimate->lines[2].amount_cents, 3750);  // 1.25 hours at $30
  EXPECT_EQ(estimate->lines[3].amount_cents, 180);   // 6 minutes at $18
  EXPECT_NE(estimate->lines[3].basis.find("610.035"), std::string::npos);
  EXPECT_EQ(estimate->total_cents, 370 + 900 + 3750 + 180);
  EXPECT_EQ(FormatCents(estimate->total_cents), "$52.00");
}

TEST(RequestFeesTest, ElectronicRequestsPayNoPerPageCopies) {
  FeeInputs inputs;
  inputs.pages = 100;
  auto estimate = EstimateFees(Rates(), inputs);
  ASSERT_TRUE(estimate.ok());
  EXPECT_TRUE(estimate->lines.empty());
  EXPECT_EQ(estimate->total_cents, 0);
}

TEST(RequestFeesTest, WaiverNeedsAReason) {
  FeeInputs inputs;
  inputs.format = "paper";
  inputs.pages = 10;
  inputs.waiver_percent = 50;
  EXPECT_FALSE(EstimateFees(Rates(), inputs).ok());
  inputs.waiver_reason = "news reporting on office operations; not commercial";
  auto estimate = EstimateFees(Rates(), inputs);
  ASSERT_TRUE(estimate.ok());
  EXPECT_EQ(estimate->waived_cents, 50);
  EXPECT_EQ(estimate->total_cents, 50);
}

TEST(RequestFeesTest, CopyRateAboveTenCentsIsRefused) {
  auto config = Config::Parse("[requests]\ncopy_cents_per_page = 25\n", "t.toml");
  ASSERT_TRUE(config.ok());
  auto rates = FeeRates::FromConfig(*config);
  ASSERT_FALSE(rates.ok());
  EXPECT_NE(rates.status().message().find("610.026"), std::string::npos);
  auto good = Config::Parse("[requests]\nclerical_hourly_rate = 17.5\n", "t.toml");
  ASSERT_TRUE(good.ok());
  auto parsed = FeeRates::FromConfig(*good);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->clerical_hourly_cents, 1750);
}

TEST(RequestFeesTest, NegativeQuantitiesAreRefused) {
  FeeInputs inputs;
  inputs.pages = -1;
  EXPECT_FALSE(EstimateFees(Rates(), inputs).ok());
}

}  // namespace
}  // namespace sunshine
