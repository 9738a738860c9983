#include "exporters/visits/visit_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "engine/core/json.h"

namespace sunshine {
namespace {

std::vector<VisitDayStats> TwoDays() {
  VisitDayStats a;
  a.date = "2026-03-01";
  a.final = true;
  a.requests = 10;
  a.page_views = 4;
  a.unique_visitors = 3;
  a.browsers = {{"Chrome", 2}, {"Firefox", 1}};
  a.operating_systems = {{"Windows", 3}};
  a.pages = {{"/<script>", 4}};
  VisitDayStats b = a;
  b.date = "2026-03-02";
  b.final = false;
  b.unique_visitors = 1;
  b.browsers = {{"Chrome", 1}};
  return {a, b};
}

std::string Render(VisitReportFormat format) {
  std::ostringstream out;
  VisitReportMeta meta;
  meta.timezone = "America/Chicago";
  meta.generated_at = "2026-03-03T00:00:00Z";
  RenderVisitReport(TwoDays(), meta, format, out);
  return out.str();
}

TEST(VisitReportTest, JsonHasOneObjectPerDay) {
  std::string json = Render(VisitReportFormat::kJson);
  auto parsed = ParseJsonObject("{\"days\":" + json + "}");
  ASSERT_TRUE(parsed.ok()) << json;
  auto days = (*parsed)->getArray("days");
  ASSERT_EQ(days->size(), 2u);
  auto first = days->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("date"), "2026-03-01");
  EXPECT_EQ(first->getValue<int>("unique_visitors"), 3);
  EXPECT_EQ(first->getObject("browsers")->getValue<int>("Chrome"), 2);
  EXPECT_EQ(first->getObject("operating_systems")->getValue<int>("Windows"), 3);
  EXPECT_TRUE(first->has("requests"));
  EXPECT_TRUE(first->has("page_views"));
}

TEST(VisitReportTest, HtmlIsSelfContainedAndEscaped) {
  std::string html = Render(VisitReportFormat::kHtml);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // the page name is escaped
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
}

TEST(VisitReportTest, CsvAndTextCarryTotals) {
  std::string csv = Render(VisitReportFormat::kCsv);
  EXPECT_NE(csv.find("2026-03-01,total,unique_visitors,3\n"), std::string::npos);
  EXPECT_NE(csv.find("2026-03-01,browser,Chrome,2\n"), std::string::npos);
  std::string text = Render(VisitReportFormat::kText);
  EXPECT_NE(text.find("total"), std::string::npos);
  EXPECT_NE(text.find("(open)"), std::string::npos);
  VisitDayStats total = SumVisitDays(TwoDays());
  EXPECT_EQ(total.unique_visitors, 4);
  EXPECT_EQ(total.browsers.at("Chrome"), 3);
  EXPECT_FALSE(ParseVisitReportFormat("pdf").ok());
}

}  // namespace
}  // namespace sunshine
