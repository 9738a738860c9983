#include "schedules/classifier.h"

#include <gtest/gtest.h>

#include "schedules/schedule_loader.h"

namespace sunshine {
namespace {

ScheduleSet Load(const std::string& items) {
  ScheduleLoad load = ParseScheduleText(R"(format_version = 1
[schedule]
id = "t"
title = "t"
version = "7"
effective = 2026-07-01
)" + items,
                                        "t.toml");
  for (const auto& p : load.problems) {
    ADD_FAILURE() << p.ToString();
  }
  return ScheduleSet(std::move(load.schedules));
}

constexpr const char* kItems = R"(
[[item]]
id = "GENERAL"
title = "General correspondence"
citation = "c"
retention = "3 years"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]

[[item]]
id = "TRANSITORY"
title = "Transitory"
citation = "c"
retention = "90 days"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  subject = ["Out of Office"]

[[item]]
id = "REQUESTS"
title = "Sunshine requests"
citation = "c"
retention = "3 years after request-closed"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  subject = ["sunshine request"]
  [[item.rule]]
  kind = ["form"]
  form = ["sunshine-request"]

[[item]]
id = "AUDITS"
title = "Audit correspondence"
citation = "c"
retention = "6 years"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  from = ["@auditor.mo.gov"]

[[item]]
id = "INVOICES"
title = "Invoices"
citation = "c"
retention = "5 years"
disposition = "destroy"
  [[item.rule]]
  kind = ["mail"]
  attachment = [".pdf"]
  folder = ["Finance/*"]
)";

ClassifyInput Mail(std::string subject, std::string from = "jane@example.org") {
  ClassifyInput in;
  in.kind = "mail";
  in.subject = std::move(subject);
  in.sender = std::move(from);
  return in;
}

TEST(ClassifierTest, MostSpecificRuleWins) {
  ScheduleSet set = Load(kItems);
  auto outcome = Classify(set, Mail("Automatic reply: OUT OF OFFICE until Monday"));
  ASSERT_TRUE(outcome.chosen);
  EXPECT_EQ(outcome.chosen->item->id, "TRANSITORY");
  EXPECT_EQ(outcome.candidates.size(), 2u);
  EXPECT_EQ(outcome.chosen->reason,
            "rule 1 of TRANSITORY (t.toml:23): kind matched 'mail'; subject matched 'Out of "
            "Office'");
}

TEST(ClassifierTest, BetweenEquallySpecificTheLongestRetentionWins) {
  ScheduleSet set = Load(kItems);
  // Matches TRANSITORY (90 days), REQUESTS (event-based) and AUDITS (6 years), all with two
  // criteria: the event-based item ranks as the longest retention.
  auto outcome = Classify(set, Mail("Out of office re: sunshine request", "clerk@auditor.mo.gov"));
  ASSERT_TRUE(outcome.chosen);
  EXPECT_EQ(outcome.chosen->item->id, "REQUESTS");
  ASSERT_EQ(outcome.candidates.size(), 4u);
  EXPECT_EQ(outcome.candidates[1].item->id, "AUDITS");
  EXPECT_EQ(outcome.candidates[2].item->id, "TRANSITORY");
  EXPECT_EQ(outcome.candidates[3].item->id, "GENERAL");
  // Without the request wording, 6 years beats 90 days.
  EXPECT_EQ(Classify(set, Mail("Out of office", "x@sub.auditor.mo.gov")).chosen->item->id,
            "AUDITS");
}

TEST(ClassifierTest, DomainsFoldersAndAttachments) {
  ScheduleSet set = Load(kItems);
  ClassifyInput in = Mail("March", "billing@vendor.com");
  in.folder = "Finance/2026";
  in.attachment_media_types = {"application/pdf"};
  in.attachment_filenames = {"INVOICE-17.PDF"};
  EXPECT_EQ(Classify(set, in).chosen->item->id, "INVOICES");
  in.folder = "Inbox";
  EXPECT_EQ(Classify(set, in).chosen->item->id, "GENERAL");
  // "@auditor.mo.gov" must not match a look-alike domain.
  EXPECT_EQ(Classify(set, Mail("hi", "x@notauditor.mo.gov")).chosen->item->id, "GENERAL");
}

TEST(ClassifierTest, FormsAndUnmatched) {
  ScheduleSet set = Load(kItems);
  ClassifyInput form;
  form.kind = "form";
  form.form_id = "Sunshine-Request";
  EXPECT_EQ(Classify(set, form).chosen->item->id, "REQUESTS");
  form.form_id = "contact-us";
  auto outcome = Classify(set, form);
  EXPECT_FALSE(outcome.chosen);
  EXPECT_TRUE(outcome.candidates.empty());
}

TEST(ClassifierTest, LoadOrderBreaksFullTies) {
  ScheduleSet set = Load(R"(
[[item]]
id = "FIRST"
title = "a"
citation = "c"
retention = "1 year"
disposition = "destroy"
  [[item.rule]]
  subject = ["alpha"]
[[item]]
id = "SECOND"
title = "b"
citation = "c"
retention = "12 months"
disposition = "destroy"
  [[item.rule]]
  subject = ["beta"]
)");
  EXPECT_EQ(Classify(set, Mail("alpha beta")).chosen->item->id, "FIRST");
}

TEST(RuleCoversTest, SubsetsAndPatterns) {
  ClassificationRule broad;
  broad.kinds = {"mail"};
  broad.from = {"@mo.gov"};
  ClassificationRule narrow = broad;
  narrow.from = {"a@sos.mo.gov", "@dor.mo.gov"};
  EXPECT_TRUE(RuleCovers(broad, narrow));
  EXPECT_FALSE(RuleCovers(narrow, broad));
  ClassificationRule folder_broad;
  folder_broad.folders = {"Finance*"};
  ClassificationRule folder_narrow;
  folder_narrow.folders = {"Finance/2026"};
  EXPECT_TRUE(RuleCovers(folder_broad, folder_narrow));
  ClassificationRule term_broad;
  term_broad.subject_terms = {"invoice"};
  ClassificationRule term_narrow;
  term_narrow.subject_terms = {"Invoice 2026"};
  EXPECT_TRUE(RuleCovers(term_broad, term_narrow));
}

}  // namespace
}  // namespace sunshine
