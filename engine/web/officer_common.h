// Small helpers shared by the officer pages.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "engine/core/clock.h"
#include "engine/core/result.h"
#include "engine/requests/request_repository.h"
#include "engine/store/store.h"

namespace sunshine::web {

// A positive record id; InvalidInput naming the text otherwise.
inline Result<std::int64_t> ParseRecordId(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.size() > 18) {
    return Status::InvalidInput("'" + std::string(text) + "' is not a record id");
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return Status::InvalidInput("'" + std::string(text) + "' is not a record id");
    }
    value = value * 10 + (c - '0');
  }
  if (value <= 0) {
    return Status::InvalidInput("'" + std::string(text) + "' is not a record id");
  }
  return value;
}

// The status badge of a request, with "overdue" when it is.
std::string StatusBadgeHtml(const SunshineRequest& request, SysDays today);

}  // namespace sunshine::web
