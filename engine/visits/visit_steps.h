// The visit-log parts of the nightly run (registered in engine/pipeline/nightly_steps.cc)
// and the file walking shared with `sunshine import visits`.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/pipeline/nightly_run.h"
#include "engine/visits/visit_import.h"

namespace sunshine {

struct VisitFileResult {
  std::string path;
  VisitImportCounts counts;
  Status status;  // not OK: the file failed (I/O); committed batches stay
};

// Imports each path: a file, or every regular file directly inside a folder (name order;
// hidden files skipped). Calls `on_file` after each file.
Result<std::vector<VisitFileResult>> ImportVisitPaths(
    Store& store, const VisitSettings& settings, const std::string& actor,
    const std::vector<std::string>& paths,
    const std::function<void(const VisitFileResult&)>& on_file = {},
    std::int64_t batch_lines = 0);  // 0: the importer's default

Result<StepOutcome> ImportVisitsStep(StepContext& context);     // "import-visits"
Result<StepOutcome> AggregateVisitsStep(StepContext& context);  // "aggregate-visits"
Result<StepOutcome> PurgeVisitsStep(StepContext& context);      // "purge-visits"

}  // namespace sunshine
