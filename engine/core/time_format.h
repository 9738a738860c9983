// ISO 8601 text for dates and instants. Stored times are UTC epoch seconds or ISO text so
// the SQL stays portable to PostgreSQL (Poco::Data drops fractional seconds there).
#pragma once

#include <string>
#include <string_view>

#include "engine/core/clock.h"
#include "engine/core/result.h"

namespace sunshine {

std::string FormatDate(SysDays day);  // "2026-11-29"
std::string FormatUtc(SysSeconds t);  // "2026-11-29T10:00:00Z"
// "YYYY-MM-DD"; InvalidInput naming the text otherwise.
Result<SysDays> ParseDate(std::string_view text);
// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]" or "YYYY-MM-DD HH:MM[:SS]". A time with no
// offset is read as local time (the office's timezone, from TZ).
Result<SysSeconds> ParseDateTime(std::string_view text);
std::int64_t ToEpoch(SysSeconds t);
SysSeconds FromEpoch(std::int64_t seconds);
SysDays DayOf(SysSeconds t);  // UTC calendar day

}  // namespace sunshine
