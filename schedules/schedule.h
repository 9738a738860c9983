// Retention schedules: the model. A schedule file (docs/formats/schedule-format.md) holds
// items; each item says how long a series is kept, from which trigger, after which cutoff,
// and what happens at the end (RSMo 109.240: schedules propose "the length of time each
// state records series warrants retention ... after it has been received or created").
// Classification rules on each item decide which records belong to its series.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/result.h"

namespace sunshine {

// "3 years", "2 years 6 months", "90 days", "permanent", "5 years after request-closed".
struct RetentionPeriod {
  int years = 0;
  int months = 0;
  int days = 0;
  bool permanent = false;
  std::string event;  // non-empty: the period counts from this recorded event's date

  bool event_based() const { return !event.empty(); }
  // Ordering key for "the longest retention wins": permanent first, then event-based
  // (open-ended until the event), then fixed periods by approximate length.
  std::int64_t RankKey() const;
  std::string ToString() const;  // canonical text, parses back to the same value
};

// Parses the period grammar; InvalidInput says what is wrong with `text`.
Result<RetentionPeriod> ParseRetentionPeriod(std::string_view text);

// When the retention clock starts for a time-based item.
enum class Trigger : std::uint8_t { kReceived, kCreated };
// Cutoff: records are closed at the end of a period; retention counts from the cutoff.
enum class Cutoff : std::uint8_t { kNone, kCalendarYear, kFiscalYear };
// Missouri SOS disposition vocabulary (missouri-law.md 2.2): Destroy, Transfer to the
// Missouri State Archives (TMSA), Permanent, Transfer to Appropriate File.
enum class Disposition : std::uint8_t {
  kDestroy,
  kTransferToArchives,
  kPermanent,
  kTransferToFile
};

std::string_view TriggerName(Trigger trigger);        // "received", "created"
std::string_view CutoffName(Cutoff cutoff);           // "none", "calendar-year", "fiscal-year"
std::string_view DispositionName(Disposition value);  // "destroy", "transfer-to-archives", ...
std::optional<Trigger> ParseTrigger(std::string_view text);
std::optional<Cutoff> ParseCutoff(std::string_view text);
std::optional<Disposition> ParseDisposition(std::string_view text);

// Record kinds a rule may name. "visit-log" is not a stored record but raw visit-log rows
// (engine/visits), which take their retention from the item matching that kind.
inline constexpr std::string_view kKindMail = "mail";
inline constexpr std::string_view kKindForm = "form";
inline constexpr std::string_view kKindVisitLog = "visit-log";

// One classification rule. Within a criterion any listed value matches (OR); across
// criteria all present ones must match (AND). An absent criterion matches anything.
struct ClassificationRule {
  std::vector<std::string> kinds;             // "mail" | "form" | "visit-log"
  std::vector<std::string> form_ids;          // exact, case-insensitive
  std::vector<std::string> folders;           // case-insensitive; trailing '*' = prefix
  std::vector<std::string> from;              // "a@b.org" exact, "@b.org" domain (+ subdomains)
  std::vector<std::string> to;                // same, against any recipient
  std::vector<std::string> subject_terms;     // case-insensitive substring of the title
  std::vector<std::string> body_terms;        // case-insensitive substring of the body
  std::vector<std::string> attachment_types;  // "application/pdf", "image/*" or ".pdf"
  int line = 0;                               // where it is in the file

  // How many criteria the rule has: the precedence's "most specific".
  int Specificity() const;
  std::string Describe() const;  // "kind=mail; folder=Requests; subject~'sunshine'"
};

struct ScheduleItem {
  std::string id;  // unique across every loaded schedule
  std::string title;
  std::string description;
  std::string authority;  // who approved it (e.g. "State Records Commission")
  std::string citation;   // schedule/statute citation
  bool example = false;   // an example to be replaced by the office's approved item
  RetentionPeriod retention;
  Trigger trigger = Trigger::kReceived;
  Cutoff cutoff = Cutoff::kNone;
  Disposition disposition = Disposition::kDestroy;
  std::string transfer_to;  // item id, for transfer-to-file
  std::vector<ClassificationRule> rules;
  int line = 0;
  // Filled by the loader from the enclosing schedule.
  std::string schedule_id;
  std::string schedule_version;
  std::string file;
};

struct Schedule {
  int format_version = 1;
  std::string id;
  std::string title;
  std::string version;
  std::string effective;  // YYYY-MM-DD
  std::string authority;
  std::string notice;  // e.g. "EXAMPLE: replace with the office's approved schedule"
  bool example = false;
  std::string file;
  std::vector<ScheduleItem> items;
};

// Every schedule in force (all files in the configured folder), in file-name order.
class ScheduleSet {
 public:
  ScheduleSet() = default;
  explicit ScheduleSet(std::vector<Schedule> schedules) : schedules_(std::move(schedules)) {}

  const std::vector<Schedule>& schedules() const { return schedules_; }
  const ScheduleItem* FindItem(std::string_view id) const;
  // Visits every item in load order.
  std::vector<const ScheduleItem*> Items() const;

  // The item governing records of `kind` that carry no other distinguishing data: the
  // best item among rules that name this kind and nothing else (most specific, then
  // longest retention). For "visit-log" this is the item the visit-log purge obeys.
  // NotFound if no rule names the kind alone.
  Result<const ScheduleItem*> ItemForKind(std::string_view kind) const;

 private:
  std::vector<Schedule> schedules_;
};

}  // namespace sunshine
