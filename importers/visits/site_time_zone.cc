#include "importers/visits/site_time_zone.h"

#include <boost/filesystem.hpp>
#include <cstdlib>
#include <ctime>
#include <optional>

namespace sunshine {

namespace {

// Sets TZ for the lifetime of the object and restores the caller's TZ afterwards. The
// process is single-threaded where this runs (one store, one command).
class ScopedTz {
 public:
  explicit ScopedTz(const std::string& zone) {
    if (const char* old = std::getenv("TZ"); old != nullptr) {
      old_ = old;
    }
    ::setenv("TZ", zone.c_str(), 1);
    ::tzset();
  }
  ~ScopedTz() {
    if (old_) {
      ::setenv("TZ", old_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::optional<std::string> old_;
};

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

Result<SiteTimeZone> SiteTimeZone::Open(const std::string& name) {
  if (name.empty() || name.find("..") != std::string::npos) {
    return Status::InvalidInput("visits.timezone: not a tz database zone name: '" + name + "'");
  }
  if (name != "UTC") {
    boost::system::error_code ec;
    if (!boost::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec)) {
      return Status::InvalidInput("visits.timezone: unknown zone '" + name +
                                  "' (not in /usr/share/zoneinfo; install tzdata)");
    }
  }
  return SiteTimeZone(name);
}

int SiteTimeZone::Lookup(std::int64_t utc) const {
  ScopedTz scoped(name_);
  std::time_t t = static_cast<std::time_t>(utc);
  std::tm local{};
  if (::localtime_r(&t, &local) == nullptr) {
    return 0;
  }
  return static_cast<int>(local.tm_gmtoff);
}

int SiteTimeZone::OffsetAt(std::int64_t utc) {
  std::int64_t slot = FloorDiv(utc, 900);
  if (has_last_ && slot == last_slot_) {
    return last_offset_;
  }
  auto it = offsets_.find(slot);
  if (it != offsets_.end()) {
    has_last_ = true;
    last_slot_ = slot;
    last_offset_ = it->second;
    return it->second;
  }
  if (offsets_.size() > 100000) {
    offsets_.clear();
  }
  int offset = Lookup(slot * 900);
  offsets_.emplace(slot, offset);
  has_last_ = true;
  last_slot_ = slot;
  last_offset_ = offset;
  return offset;
}

std::int64_t SiteTimeZone::LocalDay(std::int64_t utc) {
  return FloorDiv(utc + OffsetAt(utc), 86400);
}

}  // namespace sunshine
