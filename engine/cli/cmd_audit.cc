// sunshine audit verify | log | export. There is deliberately no command that edits or
// deletes audit events.
#include <fstream>

#include "engine/audit/audit_log.h"
#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"

namespace sunshine {

namespace {

int RunVerify(CommandContext& context) {
  auto report = AuditLog::Verify(context.store->db());
  if (!report.ok()) {
    return context.Fail(report.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("ok", report->ok());
    out->set("events", report->events);
    out->set("head_hash", report->head_hash);
    if (!report->ok()) {
      out->set("first_broken_seq", *report->first_broken_seq);
      out->set("problem", report->problem);
    }
    context.Out() << ToJson(out) << '\n';
  } else if (report->ok()) {
    context.Out() << "audit chain OK: " << report->events << " events, head hash "
                  << report->head_hash << '\n';
  } else {
    context.Out() << "audit chain BROKEN at event " << *report->first_broken_seq << ": "
                  << report->problem << " (" << report->events << " events read)\n";
  }
  return report->ok() ? kExitOk : kExitProblems;
}

void LogOptions(Poco::Util::OptionSet& options) {
  options.addOption(
      ValueOption("since", "DATE", "events at or after this date (YYYY-MM-DD) or time"));
  options.addOption(ValueOption("until", "DATE", "events before this date or time"));
  options.addOption(
      ValueOption("action", "A", "only this action; a prefix ending in '.' (e.g. hold.)"));
  options.addOption(ValueOption("object", "OBJ", "only events about this object (e.g. record:42)"));
  options.addOption(ValueOption("by", "NAME", "only events by this actor (e.g. system:nightly)"));
  options.addOption(ValueOption("limit", "N", "at most N events"));
}

int RunLog(CommandContext& context) {
  AuditFilter filter;
  for (const char* key : {"since", "until"}) {
    if (auto value = context.args.Optional(key)) {
      if (value->size() == 10) {
        auto day = ParseDate(*value);
        if (!day.ok()) {
          return context.UsageError(std::string("--") + key + ": " + day.status().message());
        }
      }
      (std::string(key) == "since" ? filter.since : filter.until) = *value;
    }
  }
  filter.action = context.args.Optional("action");
  filter.object = context.args.Optional("object");
  filter.actor = context.args.Optional("by");  // --actor is the global "who is acting"
  if (auto limit = context.args.Optional("limit")) {
    try {
      filter.limit = std::stoll(*limit);
    } catch (const std::exception&) {
      return context.UsageError("--limit needs a number");
    }
  }
  Status status = AuditLog::List(context.store->db(), filter, [&](const AuditEvent& event) {
    if (context.global.json) {
      context.Out() << AuditEventToJson(event) << '\n';
    } else {
      context.Out() << event.seq << "  " << event.at << "  " << event.actor << "  " << event.action
                    << "  " << event.object << "  " << event.details << '\n';
    }
    return Status();
  });
  return status.ok() ? kExitOk : context.Fail(status);
}

void ExportOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("out", "FILE", "where to write the JSON Lines (default: stdout)"));
}

int RunExport(CommandContext& context) {
  std::int64_t written = 0;
  if (auto out_file = context.args.Optional("out")) {
    std::ofstream out(*out_file, std::ios::binary | std::ios::trunc);
    if (!out) {
      return context.Fail(Status::IoError("cannot write " + *out_file));
    }
    Status status = AuditLog::Export(context.store->db(), out, &written);
    out.close();
    if (!status.ok() || !out) {
      return context.Fail(status.ok() ? Status::IoError("write failed: " + *out_file) : status);
    }
    context.Note("exported " + std::to_string(written) + " audit events to " + *out_file +
                 " (verify with the formula in docs/formats/audit-chain.md)");
    return kExitOk;
  }
  Status status = AuditLog::Export(context.store->db(), context.Out(), &written);
  return status.ok() ? kExitOk : context.Fail(status);
}

}  // namespace

std::vector<CommandSpec> AuditCommands() {
  return {
      {"audit verify", "check the audit trail's hash chain end to end", "[--json]",
       "Recomputes every event's SHA-256 and its link to the previous event. Exit status 1\n"
       "and the first broken sequence number if any event was edited, deleted, reordered or\n"
       "inserted.",
       StoreAccess::kReadOnly, nullptr, RunVerify},
      {"audit log", "list audit events",
       "[--since DATE] [--until DATE] [--action A] [--object OBJ] [--by NAME] [--limit N] [--json]",
       "Lists events in sequence order; --json prints one JSON object per line.",
       StoreAccess::kReadOnly, LogOptions, RunLog},
      {"audit export", "write the whole trail as JSON Lines for a third party", "[--out FILE]",
       "Each line holds seq, at, actor, action, object, details (the exact stored JSON text),\n"
       "prev_hash and hash; docs/formats/audit-chain.md gives the formula to re-verify it.",
       StoreAccess::kReadOnly, ExportOptions, RunExport},
  };
}

}  // namespace sunshine
