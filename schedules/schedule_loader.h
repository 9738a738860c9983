// Reads schedule files (TOML, docs/formats/schedule-format.md) and validates them. Every
// problem names the file, the line and the key, so `sunshine schedules check` can list them
// all at once instead of stopping at the first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"
#include "schedules/schedule.h"

namespace sunshine {

inline constexpr int kScheduleFormatVersion = 1;

struct ScheduleProblem {
  std::string file;
  int line = 0;
  std::string key;  // "item[3].retention", "item[MO-EX-002].rule[1].from"
  std::string message;
  bool warning = false;          // warnings do not stop loading
  std::string ToString() const;  // "file:line: key: message"
};

struct ScheduleLoad {
  std::vector<Schedule> schedules;
  std::vector<ScheduleProblem> problems;
  bool ok() const;  // no problem that is an error
};

// One file's text. Checks everything that can be checked inside the file.
ScheduleLoad ParseScheduleText(std::string_view text, const std::string& file_name);

// Files and folders (every *.toml directly inside, in name order), then the checks across
// files: duplicate item or schedule ids, transfer-to-file targets, unreachable rules.
ScheduleLoad LoadScheduleFiles(const std::vector<Path>& files_or_dirs);

// Checks across the whole set (also run by LoadScheduleFiles).
void ValidateSchedules(const std::vector<Schedule>& schedules,
                       std::vector<ScheduleProblem>* problems);

// The set in force, for classification: InvalidInput listing the problems if any error.
Result<ScheduleSet> LoadScheduleSet(const Path& dir);

}  // namespace sunshine
