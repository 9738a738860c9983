// The site's timezone for "which day did this visit fall on" (config visits.timezone).
// libstdc++ 12 has no C++20 chrono time-zone database (std::chrono::locate_zone is
// missing), so this reads the system tz database through TZ + localtime_r, briefly
// switching TZ and caching the UTC offset per 15-minute slot: every zone in the database
// changes offset only on quarter-hour boundaries, so one lookup serves a whole slot.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "engine/core/clock.h"
#include "engine/core/result.h"

namespace sunshine {

class SiteTimeZone {
 public:
  // InvalidInput if /usr/share/zoneinfo has no such zone (TZ would silently mean UTC).
  static Result<SiteTimeZone> Open(const std::string& name);

  const std::string& name() const { return name_; }
  // Seconds east of UTC in effect at `utc`.
  int OffsetAt(std::int64_t utc);
  // The site's calendar day of instant `utc`, as days since 1970-01-01.
  std::int64_t LocalDay(std::int64_t utc);
  SysDays LocalDate(std::int64_t utc) { return SysDays(std::chrono::days(LocalDay(utc))); }

 private:
  explicit SiteTimeZone(std::string name) : name_(std::move(name)) {}
  int Lookup(std::int64_t utc) const;

  std::string name_;
  std::unordered_map<std::int64_t, int> offsets_;  // slot (utc / 900) -> offset
  std::int64_t last_slot_ = -1;                    // logs are mostly in time order
  int last_offset_ = 0;
  bool has_last_ = false;
};

}  // namespace sunshine
