// The automatic hold a Sunshine request puts on its responsive records: one hold per request
// with source "request:<id>", made and released through the retention engine's hold API
// (engine/retention), never a second mechanism. From the moment a record is responsive it
// may not be destroyed (AG guidance on 610.023; 610.027.1 once a suit is served).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/store/store.h"

namespace sunshine {

// REQUIRES: write transaction. Adds `record_ids` to the request's hold, creating the hold on
// first use. Records already covered are skipped.
Status PlaceRequestHold(Store& store, std::string_view actor, std::string_view request_id,
                        const std::vector<std::int64_t>& record_ids);
// REQUIRES: write transaction. Takes `record_ids` out of the request's hold (all of them:
// the hold itself is released). Other holds on the same records are untouched.
Status ReleaseRequestHold(Store& store, std::string_view actor, std::string_view request_id,
                          const std::vector<std::int64_t>& record_ids, std::string_view reason);

}  // namespace sunshine
