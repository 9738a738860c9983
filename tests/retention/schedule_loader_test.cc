#include "schedules/schedule_loader.h"

#include <gtest/gtest.h>

#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

constexpr const char* kHeader = R"(format_version = 1
[schedule]
id = "test"
title = "Test schedule"
version = "1"
effective = 2026-07-01
)";

std::string Problems(const ScheduleLoad& load) {
  std::string out;
  for (const ScheduleProblem& p : load.problems) {
    out += p.ToString() + "\n";
  }
  return out;
}

ScheduleLoad ParseWithValidation(const std::string& text) {
  ScheduleLoad load = ParseScheduleText(text, "test.toml");
  ValidateSchedules(load.schedules, &load.problems);
  return load;
}

TEST(ScheduleLoaderTest, ParsesAValidFile) {
  ScheduleLoad load = ParseWithValidation(std::string(kHeader) + R"(
[[item]]
id = "A-1"
title = "Correspondence"
citation = "RSMo 109.240"
retention = "3 years"
cutoff = "fiscal-year"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  from = ["@example.org"]
)");
  ASSERT_TRUE(load.ok()) << Problems(load);
  ASSERT_EQ(load.schedules.size(), 1u);
  const ScheduleItem& item = load.schedules[0].items[0];
  EXPECT_EQ(item.id, "A-1");
  EXPECT_EQ(item.retention.years, 3);
  EXPECT_EQ(item.cutoff, Cutoff::kFiscalYear);
  EXPECT_EQ(item.schedule_version, "1");
  EXPECT_EQ(load.schedules[0].effective, "2026-07-01");
  ASSERT_EQ(item.rules.size(), 1u);
  EXPECT_EQ(item.rules[0].line, 15);  // the [[item.rule]] header
  EXPECT_EQ(item.rules[0].Specificity(), 2);
}

TEST(ScheduleLoaderTest, UnknownDispositionNamesFileLineAndKey) {
  ScheduleLoad load = ParseWithValidation(std::string(kHeader) + R"(
[[item]]
id = "A-1"
title = "x"
citation = "c"
retention = "3 years"
disposition = "shred"
)");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.problems[0].ToString(),
            "test.toml:13: item[A-1].disposition: unknown disposition 'shred' (destroy, "
            "transfer-to-archives, permanent or transfer-to-file)");
}

TEST(ScheduleLoaderTest, BadPeriodNamesTheLine) {
  ScheduleLoad load = ParseWithValidation(std::string(kHeader) + R"(
[[item]]
id = "A-1"
title = "x"
citation = "c"
retention = "3 fortnights"
disposition = "destroy"
)");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.problems[0].line, 12);
  EXPECT_EQ(load.problems[0].key, "item[A-1].retention");
  EXPECT_NE(load.problems[0].message.find("unknown unit 'fortnights'"), std::string::npos);
}

TEST(ScheduleLoaderTest, DuplicateIdsAcrossFiles) {
  testing::TempDir dir;
  std::string item = R"(
[[item]]
id = "DUP-1"
title = "x"
citation = "c"
retention = "1 year"
disposition = "destroy"
)";
  testing::WriteTextFile(dir.path() / "a.toml", std::string(kHeader) + item);
  std::string other = kHeader;
  other.replace(other.find("\"test\""), 6, "\"other\"");
  testing::WriteTextFile(dir.path() / "b.toml", other + item);
  ScheduleLoad load = LoadScheduleFiles({dir.path()});
  ASSERT_FALSE(load.ok());
  ASSERT_EQ(load.problems.size(), 1u) << Problems(load);
  EXPECT_EQ(load.problems[0].file, (dir.path() / "b.toml").string());
  EXPECT_EQ(load.problems[0].line, 8);
  EXPECT_NE(load.problems[0].message.find("duplicate item id 'DUP-1'"), std::string::npos);
}

TEST(ScheduleLoaderTest, UnreachableRuleIsReported) {
  ScheduleLoad load = ParseWithValidation(std::string(kHeader) + R"(
[[item]]
id = "LONG"
title = "long"
citation = "c"
retention = "5 years"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  subject = ["invoice"]

[[item]]
id = "SHORT"
title = "short"
citation = "c"
retention = "1 year"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  subject = ["invoice 2026"]
)");
  ASSERT_FALSE(load.ok());
  ASSERT_EQ(load.problems.size(), 1u) << Problems(load);
  EXPECT_EQ(load.problems[0].key, "item[SHORT].rule[1]");
  EXPECT_EQ(load.problems[0].line, 24);
  EXPECT_NE(load.problems[0].message.find("unreachable rule: item 'LONG'"), std::string::npos);
  EXPECT_NE(load.problems[0].message.find("equally specific, longer retention"), std::string::npos);
}

TEST(ScheduleLoaderTest, MoreSpecificRuleWithShorterRetentionIsReachable) {
  ScheduleLoad load = ParseWithValidation(std::string(kHeader) + R"(
[[item]]
id = "GENERAL"
title = "general"
citation = "c"
retention = "3 years"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]

[[item]]
id = "TRANSITORY"
title = "transitory"
citation = "c"
retention = "90 days"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  subject = ["out of office"]
)");
  EXPECT_TRUE(load.ok()) << Problems(load);
}

TEST(ScheduleLoaderTest, StructuralErrorsAreAllListed) {
  ScheduleLoad load = ParseWithValidation(std::string(kHeader) + R"(
[[item]]
id = "X"
title = "x"
retention = "permanent"
disposition = "destroy"
colour = "blue"
  [[item.rule]]
  kind = ["fax"]
  form = ["f1"]
  from = ["nobody"]

[[item]]
id = "Y"
title = "y"
citation = "c"
retention = "0 days"
disposition = "transfer-to-file"
transfer_to = "NOPE"
)");
  std::string all = Problems(load);
  EXPECT_NE(all.find("test.toml:13: item[X].colour: unknown key"), std::string::npos) << all;
  EXPECT_NE(all.find("item[X].citation: required key is missing"), std::string::npos) << all;
  EXPECT_NE(all.find("item[X].disposition: retention is permanent"), std::string::npos) << all;
  EXPECT_NE(all.find("test.toml:15: item[X].rule[1].kind: unknown record kind 'fax'"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("'nobody' is neither an address nor an @domain"), std::string::npos) << all;
  EXPECT_NE(all.find("item[Y].transfer_to: no item 'NOPE' to transfer to"), std::string::npos)
      << all;
}

TEST(ScheduleLoaderTest, TomlSyntaxErrorHasLine) {
  ScheduleLoad load = ParseScheduleText("format_version = 1\n[schedule\n", "bad.toml");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.problems[0].file, "bad.toml");
  EXPECT_EQ(load.problems[0].line, 2);
}

TEST(ScheduleLoaderTest, UnsupportedFormatVersion) {
  std::string text = kHeader;
  text.replace(0, 18, "format_version = 2");
  ScheduleLoad load = ParseScheduleText(text, "v2.toml");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(
      load.problems[0].ToString(),
      "v2.toml:1: format_version: unsupported format version (this Sunshine reads version 1)");
}

// The schedules shipped in the repository must validate.
TEST(ShippedSchedulesTest, ModelOfficeAndGrsValidate) {
  Path root(SUNSHINE_SOURCE_DIR);
  for (const Path& path : {root / "schedules" / "data", root / "schedules" / "reference"}) {
    ScheduleLoad load = LoadScheduleFiles({path});
    EXPECT_TRUE(load.ok()) << path << "\n" << Problems(load);
    EXPECT_FALSE(load.schedules.empty());
  }
  auto set = LoadScheduleSet(root / "schedules" / "data");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  auto visit = set->ItemForKind("visit-log");
  ASSERT_TRUE(visit.ok());
  EXPECT_EQ((*visit)->id, "EX-MO-009");
  for (const ScheduleItem* item : set->Items()) {
    EXPECT_TRUE(item->example) << item->id << " must be marked as an example";
  }
}

}  // namespace
}  // namespace sunshine
