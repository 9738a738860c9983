// Importing access logs into visit statistics (`sunshine import visits`, nightly step
// import-visits). Streams each file (plain or gzip) line by line with flat memory:
// parsed lines are counted into per-day accumulators and kept verbatim in raw blocks, and
// every batch of lines commits together with its counts, its quarantined lines, a stream
// checkpoint and an audit event, so a killed import reruns without loss or double counting.
//
// Never twice (log rotation): a stream is known by the SHA-256 of its first line, and each
// commit stores a checkpoint (line count, SHA-256 of those lines' bytes). A later file
// whose first N lines hash to a stored checkpoint skips those N lines as already seen: the
// same file again, the same file renamed or gzipped by logrotate, or a longer copy of a log
// imported while it was still being written. docs/formats/visit-statistics.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "engine/core/clock.h"
#include "engine/core/json.h"
#include "engine/core/path.h"
#include "engine/store/store.h"
#include "engine/visits/visit_settings.h"

namespace sunshine {

inline constexpr std::string_view kVisitsImporter = "visits";

struct VisitImportCounts {
  std::int64_t files = 0;
  std::int64_t seen = 0;          // lines read
  std::int64_t imported = 0;      // parsed and counted
  std::int64_t quarantined = 0;   // malformed, kept in quarantine with their bytes
  std::int64_t already_seen = 0;  // skipped: an earlier import covered them
  std::int64_t quarantine_items = 0;
  std::string first_day;  // site-local days touched ("" if none)
  std::string last_day;

  bool balanced() const { return seen == imported + quarantined + already_seen; }
  void Add(const VisitImportCounts& other);
  JsonObject ToJson() const;
};

class VisitImporter {
 public:
  // Loads the user-agent regexes and the site timezone; errors name the setting.
  static Result<std::unique_ptr<VisitImporter>> Create(Store& store, const VisitSettings& settings,
                                                       std::string actor);
  ~VisitImporter();

  // Imports one file. An I/O error mid-file returns the error; batches committed before it
  // stay (and are skipped by the checkpoint on the next attempt).
  Result<VisitImportCounts> ImportFile(const Path& file);

  // Lines per committed batch (tests use small batches).
  void set_batch_lines(std::int64_t lines);
  // Compressed raw blocks of at least this many bytes are files (default 64 KiB; tests use
  // 0 to put every block in a file).
  void set_raw_file_min_bytes(std::size_t bytes);

 private:
  struct Impl;
  explicit VisitImporter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sunshine
