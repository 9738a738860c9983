#include "engine/core/time_format.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace sunshine {

namespace {

// "'<text>'<rest>". Built with append: GCC 12 at -O3 reports a false -Wrestrict on
// "'" + std::string(...) + "...".
std::string Quoted(std::string_view text, std::string_view rest) {
  std::string out;
  out.reserve(text.size() + rest.size() + 2);
  out.append(1, '\'').append(text).append(1, '\'').append(rest);
  return out;
}

bool ReadInt(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) {
    return false;
  }
  const char* begin = text.data() + pos;
  auto [ptr, ec] = std::from_chars(begin, begin + len, out);
  return ec == std::errc() && ptr == begin + len;
}

}  // namespace

std::string FormatDate(SysDays day) {
  std::chrono::year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string FormatUtc(SysSeconds t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::hh_mm_ss<std::chrono::seconds> hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", FormatDate(day).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<SysDays> ParseDate(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ReadInt(text, 0, 4, y) ||
      !ReadInt(text, 5, 2, m) || !ReadInt(text, 8, 2, d)) {
    return Status::InvalidInput(Quoted(text, " is not a date of the form YYYY-MM-DD"));
  }
  std::chrono::year_month_day ymd{std::chrono::year{y},
                                  std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    return Status::InvalidInput(Quoted(text, " is not a valid calendar date"));
  }
  return SysDays{ymd};
}

Result<SysSeconds> ParseDateTime(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidInput(
        Quoted(text, " is not a date-time of the form YYYY-MM-DD[THH:MM[:SS][Z|+HH:MM]]"));
  };
  if (text.size() < 10) {
    return bad();
  }
  auto day = ParseDate(text.substr(0, 10));
  if (!day.ok()) {
    return day.status();
  }
  if (text.size() == 10) {
    text = std::string_view("");
  } else {
    if (text[10] != 'T' && text[10] != ' ') {
      return bad();
    }
    text = text.substr(11);
  }
  int hh = 0;
  int mm = 0;
  int ss = 0;
  std::size_t pos = 0;
  if (!text.empty()) {
    if (!ReadInt(text, 0, 2, hh) || text.size() < 5 || text[2] != ':' || !ReadInt(text, 3, 2, mm)) {
      return bad();
    }
    pos = 5;
    if (pos < text.size() && text[pos] == ':') {
      if (!ReadInt(text, pos + 1, 2, ss)) {
        return bad();
      }
      pos += 3;
    }
    if (hh > 23 || mm > 59 || ss > 60) {
      return bad();
    }
  }
  std::string_view zone = text.substr(std::min(pos, text.size()));
  SysSeconds local_fields = SysSeconds{*day} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
                            std::chrono::seconds{ss};
  if (zone == "Z" || zone == "z") {
    return local_fields;
  }
  if (zone.empty()) {
    // No offset: the office's local time.
    std::tm tm{};
    std::chrono::year_month_day ymd{*day};
    tm.tm_year = static_cast<int>(ymd.year()) - 1900;
    tm.tm_mon = static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
    tm.tm_mday = static_cast<int>(static_cast<unsigned>(ymd.day()));
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    tm.tm_isdst = -1;
    std::time_t t = mktime(&tm);
    if (t == static_cast<std::time_t>(-1)) {
      return bad();
    }
    return SysSeconds{std::chrono::seconds{t}};
  }
  int oh = 0;
  int om = 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !ReadInt(zone, 1, 2, oh) ||
      zone[3] != ':' || !ReadInt(zone, 4, 2, om)) {
    return bad();
  }
  auto offset = std::chrono::hours{oh} + std::chrono::minutes{om};
  return zone[0] == '+' ? local_fields - offset : local_fields + offset;
}

std::int64_t ToEpoch(SysSeconds t) { return t.time_since_epoch().count(); }

SysSeconds FromEpoch(std::int64_t seconds) { return SysSeconds{std::chrono::seconds{seconds}}; }

SysDays DayOf(SysSeconds t) { return std::chrono::floor<std::chrono::days>(t); }

}  // namespace sunshine
