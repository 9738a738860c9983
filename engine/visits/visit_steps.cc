#include "engine/visits/visit_steps.h"

#include <algorithm>

#include "engine/core/time_format.h"
#include "engine/visits/visit_days.h"

namespace sunshine {

namespace {

std::vector<Path> ExpandPaths(const std::vector<std::string>& paths, std::vector<Status>* missing) {
  std::vector<Path> files;
  for (const std::string& text : paths) {
    Path path(text);
    boost::system::error_code ec;
    if (boost::filesystem::is_directory(path, ec)) {
      std::vector<Path> inside;
      for (boost::filesystem::directory_iterator it(path, ec), end; !ec && it != end;
           it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.empty() && name[0] != '.' && boost::filesystem::is_regular_file(it->path(), ec)) {
          inside.push_back(it->path());
        }
      }
      std::sort(inside.begin(), inside.end());
      files.insert(files.end(), inside.begin(), inside.end());
    } else if (boost::filesystem::is_regular_file(path, ec)) {
      files.push_back(path);
    } else if (missing != nullptr) {
      missing->push_back(Status::NotFound("no such file or folder: " + text));
    }
  }
  return files;
}

}  // namespace

Result<std::vector<VisitFileResult>> ImportVisitPaths(
    Store& store, const VisitSettings& settings, const std::string& actor,
    const std::vector<std::string>& paths,
    const std::function<void(const VisitFileResult&)>& on_file, std::int64_t batch_lines) {
  std::vector<Status> missing;
  std::vector<Path> files = ExpandPaths(paths, &missing);
  std::vector<VisitFileResult> results;
  for (const Status& status : missing) {
    VisitFileResult result;
    result.status = status;
    results.push_back(result);
    if (on_file) {
      on_file(result);
    }
  }
  if (files.empty()) {
    return results;
  }
  SUNSHINE_ASSIGN_OR_RETURN(auto importer, VisitImporter::Create(store, settings, actor));
  if (batch_lines > 0) {
    importer->set_batch_lines(batch_lines);
  }
  for (const Path& file : files) {
    VisitFileResult result;
    result.path = file.string();
    auto counts = importer->ImportFile(file);
    if (counts.ok()) {
      result.counts = *counts;
    } else {
      result.status = counts.status();
    }
    if (on_file) {
      on_file(result);
    }
    results.push_back(std::move(result));
  }
  return results;
}

Result<StepOutcome> ImportVisitsStep(StepContext& context) {
  StepOutcome outcome;
  SUNSHINE_ASSIGN_OR_RETURN(VisitSettings settings, LoadVisitSettings(context.store.config()));
  std::vector<std::string> folders;
  for (const std::string& folder : settings.drop_folders) {
    Path resolved = context.store.home().Resolve(folder);
    boost::system::error_code ec;
    if (boost::filesystem::is_directory(resolved, ec)) {
      folders.push_back(resolved.string());
    }
  }
  VisitImportCounts total;
  std::int64_t failed = 0;
  SUNSHINE_ASSIGN_OR_RETURN(
      auto results,
      ImportVisitPaths(context.store, settings, context.actor, folders,
                       [&](const VisitFileResult& result) {
                         if (!result.status.ok()) {
                           ++failed;
                           outcome.lines.push_back("visit log FAILED: " + result.status.message());
                         }
                       }));
  for (const VisitFileResult& result : results) {
    total.Add(result.counts);
  }
  outcome.counts = total.ToJson();
  outcome.counts->set("failed_files", failed);
  outcome.ok = failed == 0 && total.quarantined == 0 && total.balanced();
  outcome.lines.push_back("visit logs: " + std::to_string(total.files) + " file(s), " +
                          std::to_string(total.seen) +
                          " lines seen = " + std::to_string(total.imported) + " imported + " +
                          std::to_string(total.quarantined) + " quarantined + " +
                          std::to_string(total.already_seen) + " already imported");
  return outcome;
}

Result<StepOutcome> AggregateVisitsStep(StepContext& context) {
  StepOutcome outcome;
  SUNSHINE_ASSIGN_OR_RETURN(VisitSettings settings, LoadVisitSettings(context.store.config()));
  SUNSHINE_ASSIGN_OR_RETURN(SysDays today, VisitToday(settings, context.clock));
  SUNSHINE_ASSIGN_OR_RETURN(AggregateReport report,
                            AggregateVisitDays(context.store, settings, context.actor, today));
  outcome.counts->set("days_aggregated", static_cast<std::int64_t>(report.days.size()));
  outcome.counts->set("keys_destroyed", report.keys_destroyed);
  outcome.lines.push_back(
      report.days.empty() ? "visit statistics: no day to aggregate"
                          : "visit statistics: aggregated " + std::to_string(report.days.size()) +
                                " day(s) (" + report.days.front() + " to " + report.days.back() +
                                "), their visitor keys destroyed");
  return outcome;
}

Result<StepOutcome> PurgeVisitsStep(StepContext& context) {
  StepOutcome outcome;
  SUNSHINE_ASSIGN_OR_RETURN(VisitSettings settings, LoadVisitSettings(context.store.config()));
  SUNSHINE_ASSIGN_OR_RETURN(PurgeReport report, PurgeVisits(context.store, settings, context.clock,
                                                            context.actor, false));
  outcome.counts->set("lines_purged", report.lines);
  outcome.counts->set("days_purged", static_cast<std::int64_t>(report.days.size()));
  outcome.counts->set("held_days_kept", static_cast<std::int64_t>(report.held_days.size()));
  outcome.counts->set("quarantine_items_purged", report.quarantine_items);
  outcome.counts->set("orphan_raw_files_destroyed", report.orphan_raw_files);
  outcome.counts->set("retention", report.retention_text);
  outcome.counts->set("cutoff", FormatDate(report.cutoff));
  if (report.days.empty()) {
    outcome.lines.push_back("visit raw lines: nothing to purge (retention " +
                            report.retention_text + ", from " + report.retention_source + ")");
  } else {
    outcome.lines.push_back("visit raw lines: purged " + std::to_string(report.lines) +
                            " line(s) of " + std::to_string(report.days.size()) + " day(s), " +
                            report.days.front() + " to " + report.days.back() + " (retention " +
                            report.retention_text + ", from " + report.retention_source + ")");
  }
  if (!report.held_days.empty()) {
    outcome.lines.push_back(
        "visit raw lines kept under hold: " + std::to_string(report.held_days.size()) + " day(s)");
  }
  return outcome;
}

}  // namespace sunshine
