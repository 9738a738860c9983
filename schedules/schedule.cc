#include "schedules/schedule.h"

#include <cctype>
#include <charconv>
#include <sstream>

namespace sunshine {

namespace {

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    if (i > start) {
      words.push_back(text.substr(start, i - start));
    }
  }
  return words;
}

bool IsEventName(std::string_view name) {
  if (name.empty() || !std::islower(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

void AppendList(std::ostringstream& out, bool& first, std::string_view name, std::string_view op,
                const std::vector<std::string>& values) {
  if (values.empty()) {
    return;
  }
  out << (first ? "" : "; ") << name << op;
  for (std::size_t i = 0; i < values.size(); ++i) {
    out << (i == 0 ? "" : "|") << (op == "~" ? "'" : "") << values[i] << (op == "~" ? "'" : "");
  }
  first = false;
}

}  // namespace

std::int64_t RetentionPeriod::RankKey() const {
  if (permanent) {
    return INT64_MAX;
  }
  // Months count as 31 days and years as 12 of those so that "1 year" ranks above
  // "365 days" and "12 months" equals "1 year"; event-based periods rank above every
  // fixed one because they cannot end before the event happens.
  std::int64_t approx = std::int64_t{years} * 372 + std::int64_t{months} * 31 + days;
  return event_based() ? (std::int64_t{1} << 40) + approx : approx;
}

std::string RetentionPeriod::ToString() const {
  if (permanent) {
    return "permanent";
  }
  std::string out;
  auto add = [&](int n, const char* unit) {
    if (n == 0) {
      return;
    }
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) about
    // `const char* + std::string&&`, which inserts at the front.
    if (!out.empty()) {
      out += ' ';
    }
    out.append(std::to_string(n)).append(" ").append(unit).append(n == 1 ? "" : "s");
  };
  add(years, "year");
  add(months, "month");
  add(days, "day");
  if (out.empty()) {
    out = "0 days";
  }
  if (event_based()) {
    out += " after " + event;
  }
  return out;
}

Result<RetentionPeriod> ParseRetentionPeriod(std::string_view text) {
  RetentionPeriod period;
  std::vector<std::string_view> words = Words(text);
  auto bad = [&](const std::string& why) {
    return Status::InvalidInput("bad retention period '" + std::string(text) + "': " + why +
                                " (expected e.g. \"3 years\", \"2 years 6 months\", \"90 days\", "
                                "\"permanent\" or \"5 years after request-closed\")");
  };
  if (words.empty()) {
    return bad("it is empty");
  }
  if (words.size() == 1 && words[0] == "permanent") {
    period.permanent = true;
    return period;
  }
  std::size_t i = 0;
  bool seen_year = false;
  bool seen_month = false;
  bool seen_day = false;
  int parts = 0;
  while (i < words.size() && words[i] != "after") {
    if (i + 1 >= words.size()) {
      return bad(std::string("'").append(words[i]) + "' needs a unit (years, months or days)");
    }
    std::string_view number = words[i];
    int value = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || ptr != number.data() + number.size()) {
      return bad(std::string("'").append(number) + "' is not a whole number");
    }
    if (value < 0 || value > 1000) {
      return bad(std::string("'").append(number) + "' is out of range (0 to 1000)");
    }
    std::string_view unit = words[i + 1];
    if (unit == "year" || unit == "years") {
      if (seen_year) {
        return bad("years given twice");
      }
      seen_year = true;
      period.years = value;
    } else if (unit == "month" || unit == "months") {
      if (seen_month) {
        return bad("months given twice");
      }
      seen_month = true;
      period.months = value;
    } else if (unit == "day" || unit == "days") {
      if (seen_day) {
        return bad("days given twice");
      }
      seen_day = true;
      period.days = value;
    } else {
      return bad("unknown unit '" + std::string(unit) + "'");
    }
    ++parts;
    i += 2;
  }
  if (parts == 0) {
    return bad("no length before 'after'");
  }
  if (i < words.size()) {  // "after EVENT"
    if (i + 2 != words.size()) {
      return bad("'after' must be followed by exactly one event name");
    }
    if (!IsEventName(words[i + 1])) {
      return bad("event name '" + std::string(words[i + 1]) +
                 "' must be lower-case letters, digits and '-'");
    }
    period.event = std::string(words[i + 1]);
  }
  return period;
}

std::string_view TriggerName(Trigger trigger) {
  return trigger == Trigger::kCreated ? "created" : "received";
}

std::string_view CutoffName(Cutoff cutoff) {
  switch (cutoff) {
    case Cutoff::kNone:
      return "none";
    case Cutoff::kCalendarYear:
      return "calendar-year";
    case Cutoff::kFiscalYear:
      return "fiscal-year";
  }
  return "none";
}

std::string_view DispositionName(Disposition value) {
  switch (value) {
    case Disposition::kDestroy:
      return "destroy";
    case Disposition::kTransferToArchives:
      return "transfer-to-archives";
    case Disposition::kPermanent:
      return "permanent";
    case Disposition::kTransferToFile:
      return "transfer-to-file";
  }
  return "destroy";
}

std::optional<Trigger> ParseTrigger(std::string_view text) {
  if (text == "received") {
    return Trigger::kReceived;
  }
  if (text == "created") {
    return Trigger::kCreated;
  }
  return std::nullopt;
}

std::optional<Cutoff> ParseCutoff(std::string_view text) {
  for (Cutoff c : {Cutoff::kNone, Cutoff::kCalendarYear, Cutoff::kFiscalYear}) {
    if (CutoffName(c) == text) {
      return c;
    }
  }
  return std::nullopt;
}

std::optional<Disposition> ParseDisposition(std::string_view text) {
  for (Disposition d : {Disposition::kDestroy, Disposition::kTransferToArchives,
                        Disposition::kPermanent, Disposition::kTransferToFile}) {
    if (DispositionName(d) == text) {
      return d;
    }
  }
  return std::nullopt;
}

int ClassificationRule::Specificity() const {
  int n = 0;
  for (const auto* list :
       {&kinds, &form_ids, &folders, &from, &to, &subject_terms, &body_terms, &attachment_types}) {
    n += list->empty() ? 0 : 1;
  }
  return n;
}

std::string ClassificationRule::Describe() const {
  std::ostringstream out;
  bool first = true;
  AppendList(out, first, "kind", "=", kinds);
  AppendList(out, first, "form", "=", form_ids);
  AppendList(out, first, "folder", "=", folders);
  AppendList(out, first, "from", "=", from);
  AppendList(out, first, "to", "=", to);
  AppendList(out, first, "subject", "~", subject_terms);
  AppendList(out, first, "body", "~", body_terms);
  AppendList(out, first, "attachment", "=", attachment_types);
  if (first) {
    out << "any record";
  }
  return out.str();
}

const ScheduleItem* ScheduleSet::FindItem(std::string_view id) const {
  for (const Schedule& schedule : schedules_) {
    for (const ScheduleItem& item : schedule.items) {
      if (item.id == id) {
        return &item;
      }
    }
  }
  return nullptr;
}

std::vector<const ScheduleItem*> ScheduleSet::Items() const {
  std::vector<const ScheduleItem*> items;
  for (const Schedule& schedule : schedules_) {
    for (const ScheduleItem& item : schedule.items) {
      items.push_back(&item);
    }
  }
  return items;
}

Result<const ScheduleItem*> ScheduleSet::ItemForKind(std::string_view kind) const {
  const ScheduleItem* best = nullptr;
  for (const ScheduleItem* item : Items()) {
    for (const ClassificationRule& rule : item->rules) {
      bool names_kind = false;
      for (const std::string& k : rule.kinds) {
        names_kind = names_kind || k == kind;
      }
      if (!names_kind || rule.Specificity() != 1) {
        continue;
      }
      if (best == nullptr || item->retention.RankKey() > best->retention.RankKey()) {
        best = item;
      }
    }
  }
  if (best == nullptr) {
    return Status::NotFound("no schedule item has a rule for record kind '" + std::string(kind) +
                            "' alone (add an item with a rule `kind = [\"" + std::string(kind) +
                            "\"]`)");
  }
  return best;
}

}  // namespace sunshine
