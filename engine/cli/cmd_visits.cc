// sunshine import visits | visits stats | visits aggregate | visits purge | visits hold |
// visits release | visits holds. Web visit logs become anonymous daily statistics; raw
// lines (the only place a full IP address exists) are purged when their retention ends.
#include <fstream>
#include <sstream>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/visits/visit_days.h"
#include "engine/visits/visit_steps.h"

namespace sunshine {

namespace {

Result<VisitSettings> Settings(CommandContext& context) {
  return LoadVisitSettings(context.store->config());
}

void ImportOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("batch-lines", "N",
                                "lines per committed batch (default 100000; smaller commits more "
                                "often)"));
  options.addOption(FlagOption("aggregate",
                               "then aggregate every open day before today, as `visits "
                               "aggregate` does (one process, like the nightly run)"));
}

// Aggregates every open day before today (site time zone, or --as-of) and reports it; shared
// by `visits aggregate` and `import visits --aggregate`. With `out_json` the report goes
// into it instead of the output. Returns the exit status.
int AggregateAndReport(CommandContext& context, const VisitSettings& settings, bool dry_run,
                       JsonObject* out_json) {
  auto today = VisitToday(settings, context.clock);
  if (!today.ok()) {
    return context.Fail(today.status());
  }
  auto report = AggregateVisitDays(*context.store, settings, context.actor, *today, dry_run);
  if (!report.ok()) {
    return context.Fail(report.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    JsonArray days = NewJsonArray();
    for (const std::string& day : report->days) {
      days->add(day);
    }
    out->set("dry_run", dry_run);
    out->set("days", days);
    out->set("keys_destroyed", report->keys_destroyed);
    if (out_json != nullptr) {
      *out_json = out;
    } else {
      context.Out() << ToJson(out) << '\n';
    }
  } else if (report->days.empty()) {
    context.Out() << "no open day before " << FormatDate(*today) << " to aggregate\n";
  } else {
    context.Out() << (dry_run ? "would aggregate " : "aggregated ") << report->days.size()
                  << " day(s): " << report->days.front() << " to " << report->days.back()
                  << (dry_run ? "" : "; their visitor keys are destroyed") << '\n';
  }
  return kExitOk;
}

void PrintImportTotal(CommandContext& context, const VisitImportCounts& total) {
  context.Out() << "total: " << total.files << " file(s), " << total.seen
                << " lines seen = " << total.imported << " imported + " << total.quarantined
                << " quarantined + " << total.already_seen << " already imported"
                << (total.balanced() ? "" : "  (UNBALANCED)") << '\n';
  if (total.quarantined > 0) {
    context.Note("malformed lines are in quarantine with their file, line number and bytes");
  }
}

int RunImport(CommandContext& context) {
  if (context.args.positionals().empty()) {
    return context.UsageError("import visits needs at least one PATH (file or folder)");
  }
  auto settings = Settings(context);
  if (!settings.ok()) {
    return context.Fail(settings.status());
  }
  std::int64_t batch_lines = 0;
  if (auto batch = context.args.Optional("batch-lines")) {
    try {
      batch_lines = std::stoll(*batch);
    } catch (const std::exception&) {
      return context.UsageError("--batch-lines needs a number");
    }
    if (batch_lines < 1) {
      return context.UsageError("--batch-lines must be at least 1");
    }
  }
  VisitImportCounts total;
  std::int64_t failed = 0;
  JsonArray files = NewJsonArray();
  auto report = [&](const VisitFileResult& result) {
    if (!result.status.ok()) {
      ++failed;
      context.Err() << "sunshine: error: " << result.status.message() << '\n';
    } else if (!context.global.json) {
      const VisitImportCounts& c = result.counts;
      context.Out() << result.path << ": " << c.seen << " lines seen = " << c.imported
                    << " imported + " << c.quarantined << " quarantined + " << c.already_seen
                    << " already imported\n";
    }
    JsonObject file = result.counts.ToJson();
    file->remove("files");
    file->set("path", result.path);
    if (!result.status.ok()) {
      file->set("error", result.status.message());
    }
    files->add(file);
  };
  auto results = ImportVisitPaths(*context.store, *settings, context.actor,
                                  context.args.positionals(), report, batch_lines);
  if (!results.ok()) {
    return context.Fail(results.status());
  }
  for (const VisitFileResult& result : *results) {
    total.Add(result.counts);
  }
  // --aggregate: import then aggregate in one process, as the nightly run does (an operator
  // loading a backlog by hand wants the finished days' statistics too). Aggregation only
  // reads what the import committed, so it runs even if a file failed.
  if (!context.global.json) {
    PrintImportTotal(context, total);
  }
  JsonObject aggregate_json;
  if (context.args.Has("aggregate")) {
    int aggregate_exit = AggregateAndReport(context, *settings, false, &aggregate_json);
    if (aggregate_exit != kExitOk) {
      return aggregate_exit;
    }
  }
  if (context.global.json) {
    JsonObject out = total.ToJson();
    out->set("failed_files", failed);
    out->set("file_results", files);
    if (!aggregate_json.isNull()) {
      out->set("aggregate", aggregate_json);
    }
    context.Out() << ToJson(out) << '\n';
  }
  if (failed > 0 && total.files == 0) {
    return kExitFatal;
  }
  return failed > 0 || total.quarantined > 0 || !total.balanced() ? kExitProblems : kExitOk;
}

void StatsOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("from", "DATE", "first day (YYYY-MM-DD, site time zone)"));
  options.addOption(ValueOption("to", "DATE", "last day, inclusive"));
  options.addOption(ValueOption("format", "F", "text (default), csv, json or html"));
  options.addOption(ValueOption("out", "FILE", "write the report here instead of stdout"));
  options.addOption(ValueOption("top", "N", "rows in top lists of text and HTML (default 10)"));
}

int RunStats(CommandContext& context) {
  std::string from = context.args.Get("from");
  std::string to = context.args.Get("to");
  for (const std::string* value : {&from, &to}) {
    if (!value->empty() && !ParseDate(*value).ok()) {
      return context.UsageError("--from/--to need YYYY-MM-DD, not '" + *value + "'");
    }
  }
  std::string format_name = context.args.Get("format", context.global.json ? "json" : "text");
  auto format = ParseVisitReportFormat(format_name);
  if (!format.ok()) {
    return context.UsageError(format.status().message());
  }
  auto settings = Settings(context);
  if (!settings.ok()) {
    return context.Fail(settings.status());
  }
  VisitReportMeta meta;
  meta.timezone = settings->timezone;
  meta.generated_at = FormatUtc(Clock::WallNow());
  meta.from = from;
  meta.to = to;
  if (auto top = context.args.Optional("top")) {
    try {
      meta.top = std::stoll(*top);
    } catch (const std::exception&) {
      return context.UsageError("--top needs a number");
    }
  }
  auto days = LoadVisitStats(context.store->db(), from, to);
  if (!days.ok()) {
    return context.Fail(days.status());
  }
  if (auto out_file = context.args.Optional("out")) {
    std::ofstream out(*out_file, std::ios::binary | std::ios::trunc);
    if (!out) {
      return context.Fail(Status::IoError("cannot write " + *out_file));
    }
    RenderVisitReport(*days, meta, *format, out);
    out.close();
    if (!out) {
      return context.Fail(Status::IoError("write failed: " + *out_file));
    }
    context.Note("wrote " + std::to_string(days->size()) + " day(s) of visit statistics to " +
                 *out_file);
    return kExitOk;
  }
  RenderVisitReport(*days, meta, *format, context.Out());
  return kExitOk;
}

void DryRunOption(Poco::Util::OptionSet& options) {
  options.addOption(FlagOption("dry-run", "show what would happen; change nothing"));
}

int RunAggregate(CommandContext& context) {
  auto settings = Settings(context);
  if (!settings.ok()) {
    return context.Fail(settings.status());
  }
  return AggregateAndReport(context, *settings, context.args.Has("dry-run"), nullptr);
}

int RunPurge(CommandContext& context) {
  auto settings = Settings(context);
  if (!settings.ok()) {
    return context.Fail(settings.status());
  }
  bool dry_run = context.args.Has("dry-run");
  auto report = PurgeVisits(*context.store, *settings, context.clock, context.actor, dry_run);
  if (!report.ok()) {
    return context.Fail(report.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("dry_run", dry_run);
    out->set("today", FormatDate(report->today));
    out->set("cutoff", FormatDate(report->cutoff));
    out->set("retention", report->retention_text);
    out->set("retention_source", report->retention_source);
    JsonArray aggregated = NewJsonArray();
    for (const std::string& day : report->aggregated.days) {
      aggregated->add(day);
    }
    out->set("aggregated_days", aggregated);
    JsonArray days = NewJsonArray();
    for (const std::string& day : report->days) {
      days->add(day);
    }
    out->set("purged_days", days);
    JsonArray held = NewJsonArray();
    for (const std::string& day : report->held_days) {
      held->add(day);
    }
    out->set("held_days", held);
    out->set("lines", report->lines);
    out->set("blocks", report->blocks);
    out->set("quarantine_items", report->quarantine_items);
    out->set("orphan_raw_files", report->orphan_raw_files);
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  std::ostream& out = context.Out();
  out << "retention: " << report->retention_text << " (" << report->retention_source
      << "); raw lines of days up to " << FormatDate(report->cutoff) << " are past it\n";
  if (!report->aggregated.days.empty()) {
    out << (dry_run ? "would first aggregate " : "aggregated first: ")
        << report->aggregated.days.size() << " day(s)\n";
  }
  if (report->days.empty()) {
    out << "nothing to purge\n";
  } else {
    out << (dry_run ? "would purge " : "purged ") << report->lines << " raw line(s) of "
        << report->days.size() << " day(s), " << report->days.front() << " to "
        << report->days.back() << '\n';
  }
  if (report->quarantine_items > 0) {
    out << (dry_run ? "would remove " : "removed ") << report->quarantine_items
        << " quarantined visit-log item(s) past retention\n";
  }
  for (const std::string& day : report->held_days) {
    out << "kept under hold: " << day << '\n';
  }
  if (report->orphan_raw_files > 0) {
    out << "destroyed " << report->orphan_raw_files
        << " raw-line file(s) left by an unfinished import\n";
  }
  return kExitOk;
}

void ReasonOption(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("reason", "TEXT", "why (required; goes to the audit trail)"));
}

int RunHoldOrRelease(CommandContext& context, bool hold) {
  if (context.args.positionals().size() != 1) {
    return context.UsageError(std::string("visits ") + (hold ? "hold" : "release") +
                              " needs exactly one DATE");
  }
  std::string day = context.args.positionals()[0];
  if (!ParseDate(day).ok()) {
    return context.UsageError("DATE must be YYYY-MM-DD, not '" + day + "'");
  }
  std::string reason = context.args.Get("reason");
  if (reason.empty()) {
    return context.UsageError("--reason is required");
  }
  Status status = hold ? HoldVisitDay(*context.store, day, reason, context.actor)
                       : ReleaseVisitDay(*context.store, day, reason, context.actor);
  if (!status.ok()) {
    return context.Fail(status);
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("day", day);
    out->set("held", hold);
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "visit day " << day
                  << (hold ? " is on hold: its raw lines will not be purged"
                           : " released from hold")
                  << '\n';
  }
  return kExitOk;
}

int RunHold(CommandContext& context) { return RunHoldOrRelease(context, true); }
int RunRelease(CommandContext& context) { return RunHoldOrRelease(context, false); }

int RunHolds(CommandContext& context) {
  auto holds = ListVisitDayHolds(context.store->db());
  if (!holds.ok()) {
    return context.Fail(holds.status());
  }
  if (context.global.json) {
    JsonArray out = NewJsonArray();
    for (const VisitDayHold& hold : *holds) {
      JsonObject object = NewJsonObject();
      object->set("day", hold.day);
      object->set("reason", hold.reason);
      object->set("actor", hold.actor);
      object->set("created_at", FormatUtc(FromEpoch(hold.created_at)));
      out->add(object);
    }
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  if (holds->empty()) {
    context.Out() << "no visit day is on hold\n";
  }
  for (const VisitDayHold& hold : *holds) {
    context.Out() << hold.day << "  " << hold.actor << "  " << hold.reason << '\n';
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> VisitsCommands() {
  return {
      {"import visits", "import web access logs (Apache/nginx, plain or .gz)",
       "PATH... [--batch-lines N] [--aggregate] [--json]",
       "Reads combined, common and vhost-prefixed (%v) access logs, plain or gzip, streaming.\n"
       "Lines an earlier import covered are skipped (the same file again, or a rotated or\n"
       "compressed copy): see docs/formats/visit-statistics.md. Malformed lines go to\n"
       "quarantine with their file, line number and bytes. Prints, per file and in total,\n"
       "lines seen = imported + quarantined + already imported. Exit status 1 if any line\n"
       "was quarantined or a file failed. --aggregate then aggregates every open day before\n"
       "today, as `visits aggregate` does, in the same process.",
       StoreAccess::kReadWrite, ImportOptions, RunImport},
      {"visits stats", "anonymous visit statistics per day (text, CSV, JSON, HTML)",
       "[--from DATE] [--to DATE] [--format text|csv|json|html] [--out FILE] [--top N]",
       "Days are in the site's time zone (visits.timezone). JSON is an array with one object\n"
       "per day (date, requests, page_views, unique_visitors, browsers, operating_systems,\n"
       "...). HTML is one self-contained file with inline SVG charts, readable offline.\n"
       "Days still open (not yet aggregated) are marked and their counts are provisional.",
       StoreAccess::kReadOnly, StatsOptions, RunStats},
      {"visits aggregate", "finish the statistics of past days; destroy their visitor keys",
       "[--dry-run] [--json]",
       "Aggregates every open day before today (site time zone, or --as-of): counts its\n"
       "unique visitors, trims its top lists, and deletes its visitor hashes and daily key.",
       StoreAccess::kReadWrite, DryRunOption, RunAggregate},
      {"visits purge", "purge raw visit-log lines past retention", "[--dry-run] [--json]",
       "First aggregates any day not yet aggregated, so no statistic is lost; then deletes\n"
       "the raw lines of days past retention (the schedule item for kind visit-log, else\n"
       "visits.raw_retention_days) except days on hold, checkpoints the database log and\n"
       "audits the count and date range.",
       StoreAccess::kReadWrite, DryRunOption, RunPurge},
      {"visits hold", "keep a day's raw visit lines from being purged (legal hold)",
       "DATE --reason TEXT", "The hold and its reason go to the audit trail.",
       StoreAccess::kReadWrite, ReasonOption, RunHold},
      {"visits release", "release a visit day's hold", "DATE --reason TEXT",
       "The day's raw lines are purged by the next purge if past retention.",
       StoreAccess::kReadWrite, ReasonOption, RunRelease},
      {"visits holds", "list visit days on hold", "[--json]", "", StoreAccess::kReadOnly, nullptr,
       RunHolds},
  };
}

}  // namespace sunshine
