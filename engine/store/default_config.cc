#include "engine/store/config.h"

namespace sunshine {

// Each feature documents its own keys here; every key is optional and shown with its default.
std::string_view DefaultConfigText() {
  return R"toml(# Sunshine configuration. Every key is optional; the value shown is the default.
# Relative paths are relative to the Sunshine home directory (the folder holding this file).

[office]
name = "Office of the Secretary of State (example)"
# Prefix of production numbers stamped on disclosed pages, e.g. SOS-000001.
production_prefix = "SOS"

[fixity]
# Every stored blob is re-hashed once per cycle; the nightly run checks a rotating share.
cycle_days = 30

[nightly]
# A lock older than this whose process is gone is treated as stale and recovered.
stale_lock_minutes = 720
)toml";
}

}  // namespace sunshine
