// Classification: which schedule item governs a record. Pure functions over the schedule
// set and the record's fields, so precedence is unit-tested on strings.
//
// Precedence (docs/formats/schedule-format.md, "Precedence"): among every rule that matches,
//   1. the most specific rule wins (the one with the most criteria);
//   2. between equally specific rules, the item with the longest retention wins
//      (permanent > event-based > longer fixed period; the Purview and DoD 5015.2 principle
//      that retention beats deletion);
//   3. still equal: the item loaded first (file-name order, then order in the file).
// Missouri treats e-mail as a format, not a series: an e-mail's retention follows its content
// (missouri-law.md 3.1), hence rules on folders, correspondents, subject and body terms.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schedules/schedule.h"

namespace sunshine {

struct ClassifyInput {
  std::string kind;  // "mail" | "form" | "visit-log"
  std::string form_id;
  std::string folder;
  std::string sender;
  std::vector<std::string> recipients;
  std::string subject;
  std::string body;
  std::vector<std::string> attachment_media_types;
  std::vector<std::string> attachment_filenames;
};

struct ClassifyMatch {
  const ScheduleItem* item = nullptr;
  int rule_index = 0;  // 0-based in item->rules
  std::string reason;  // "rule 2 of MO-EX-003 (line 40): kind=mail; from matched '@x.org'"
};

struct ClassifyOutcome {
  std::optional<ClassifyMatch> chosen;    // empty: no rule matched (goes to the review queue)
  std::vector<ClassifyMatch> candidates;  // every matching rule, best first
};

ClassifyOutcome Classify(const ScheduleSet& schedules, const ClassifyInput& input);

// Whether `rule` matches; `why` gets the matched values ("from matched '@x.org'").
bool RuleMatches(const ClassificationRule& rule, const ClassifyInput& input, std::string* why);

// True when every record `narrow` matches is also matched by `broad`.
bool RuleCovers(const ClassificationRule& broad, const ClassificationRule& narrow);

// True when (rule a of item_a) beats (rule b of item_b) by the precedence above; order_a and
// order_b are the items' load positions.
bool Outranks(const ClassificationRule& a, const ScheduleItem& item_a, int order_a,
              const ClassificationRule& b, const ScheduleItem& item_b, int order_b);

}  // namespace sunshine
