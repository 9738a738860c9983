// The engine's one clock. Every time-dependent decision (due dates, retention, purge,
// review flags) reads Today() from here, so `--as-of` can replay any day. Audit event
// timestamps use WallNow(): the trail must record when things really happened.
#pragma once

#include <chrono>
#include <optional>

namespace sunshine {

using SysDays = std::chrono::sys_days;
using SysSeconds = std::chrono::sys_seconds;

class Clock {
 public:
  Clock() = default;
  explicit Clock(std::optional<SysDays> as_of) : as_of_(as_of) {}

  // The office's "today": the --as-of date if given, else the local calendar date.
  SysDays Today() const;
  // "Now" for decisions: with --as-of, that date at the current local time of day.
  SysSeconds Now() const;
  // Real time, for audit timestamps and run records. Never shifted by --as-of.
  static SysSeconds WallNow();

  std::optional<SysDays> as_of() const { return as_of_; }

 private:
  std::optional<SysDays> as_of_;
};

}  // namespace sunshine
