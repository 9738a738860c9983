// sunshine share | share determine | share log: sharing a person's information with another
// agency only where the inquiry relates to that agency, with a disclosure accounting.
#include <iomanip>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/requests/request_export.h"

namespace sunshine {

// Shared with `request export` (cmd_request.cc): prints a published or refused package.
int PrintDisclosurePackageOutcome(CommandContext& context, const ExportOutcome& outcome);

namespace {

Result<std::int64_t> ParseRecordId(const std::string& text) {
  try {
    std::size_t used = 0;
    long long value = std::stoll(text, &used);
    if (used == text.size() && value > 0) {
      return static_cast<std::int64_t>(value);
    }
  } catch (const std::exception&) {
  }
  return Status::InvalidInput("'" + text + "' is not a record id");
}

void ShareOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("agency", "NAME", "the receiving agency (required)"));
  options.addOption(ValueOption("request", "ID", "share the records of this request"));
  options.addOption(ValueOption("record", "ID", "share this record (repeatable)"));
  options.addOption(ValueOption("reason", "TEXT", "why the agency receives them (required)"));
  options.addOption(ValueOption("out", "DIR", "where to publish (default HOME/output/packages)"));
}

int RunShare(CommandContext& context) {
  if (!context.args.Has("agency") || !context.args.Has("reason")) {
    return context.UsageError("share needs --agency NAME and --reason TEXT");
  }
  if (!context.args.Has("request") && !context.args.Has("record")) {
    return context.UsageError("share needs --request ID or --record ID...");
  }
  std::vector<std::int64_t> ids;
  for (const std::string& text : context.args.GetAll("record")) {
    auto id = ParseRecordId(text);
    if (!id.ok()) {
      return context.UsageError(id.status().message());
    }
    ids.push_back(*id);
  }
  Path out =
      context.args.Has("out") ? Path(context.args.Get("out")) : DefaultPackageDir(*context.store);
  std::vector<ShareDecision> decisions;
  auto outcome = ShareWithAgency(*context.store, context.clock, context.actor,
                                 context.args.Get("agency"), context.args.Get("reason"),
                                 context.args.Optional("request"), ids, out, &decisions);
  int refused = 0;
  for (const ShareDecision& decision : decisions) {
    if (!decision.allowed) {
      ++refused;
      context.Err() << "refused: record " << decision.record_id << ": " << decision.basis << '\n';
    }
  }
  if (!outcome.ok()) {
    return context.Fail(outcome.status());
  }
  int code = PrintDisclosurePackageOutcome(context, *outcome);
  if (code == kExitOk && refused > 0) {
    context.Note(std::to_string(refused) + " record(s) refused: they do not relate to " +
                 context.args.Get("agency"));
  }
  return code;
}

void DetermineOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("record", "ID", "the record (required)"));
  options.addOption(ValueOption("agency", "NAME", "the agency (required)"));
  options.addOption(ValueOption("reason", "TEXT", "why the inquiry relates to it (required)"));
}

int RunDetermine(CommandContext& context) {
  if (!context.args.Has("record") || !context.args.Has("agency") || !context.args.Has("reason")) {
    return context.UsageError("share determine needs --record ID --agency NAME --reason TEXT");
  }
  auto id = ParseRecordId(context.args.Get("record"));
  if (!id.ok()) {
    return context.UsageError(id.status().message());
  }
  auto transaction = Transaction::Begin(context.store->db());
  if (!transaction.ok()) {
    return context.Fail(transaction.status());
  }
  Status status = RecordShareDetermination(*context.store, context.actor, *id,
                                           context.args.Get("agency"), context.args.Get("reason"));
  if (status.ok()) {
    status = (*transaction)->Commit();
  }
  if (!status.ok()) {
    return context.Fail(status);
  }
  context.Out() << "recorded: record " << *id << " relates to " << context.args.Get("agency")
                << '\n';
  return kExitOk;
}

void LogOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("record", "ID", "only disclosures including this record"));
  options.addOption(ValueOption("agency", "NAME", "only disclosures to this recipient"));
}

int RunLog(CommandContext& context) {
  std::optional<std::int64_t> record;
  if (auto text = context.args.Optional("record")) {
    auto id = ParseRecordId(*text);
    if (!id.ok()) {
      return context.UsageError(id.status().message());
    }
    record = *id;
  }
  JsonArray all = NewJsonArray();
  int count = 0;
  Status status = ListDisclosures(
      context.store->db(), record, context.args.Optional("agency"),
      [&](const DisclosureEntry& entry) {
        ++count;
        if (context.global.json) {
          JsonObject item = NewJsonObject();
          item->set("id", entry.id);
          item->set("kind", entry.kind);
          item->set("request", entry.request_id);
          item->set("recipient", entry.recipient);
          item->set("reason", entry.reason);
          item->set("actor", entry.actor);
          item->set("at", FormatUtc(FromEpoch(entry.at)));
          item->set("package", entry.package);
          item->set("sha256", entry.package_sha256);
          JsonArray records = NewJsonArray();
          for (const auto& [id, text] : entry.records) {
            JsonObject rec = NewJsonObject();
            rec->set("record", id);
            rec->set("detail", text);
            records->add(rec);
          }
          item->set("records", records);
          all->add(item);
          return Status();
        }
        context.Out() << "#" << entry.id << "  " << FormatUtc(FromEpoch(entry.at)) << "  "
                      << entry.kind << " to " << entry.recipient << " by " << entry.actor
                      << (entry.request_id.empty() ? "" : "  (request " + entry.request_id + ")")
                      << '\n';
        if (!entry.reason.empty()) {
          context.Out() << "    why: " << entry.reason << '\n';
        }
        context.Out() << "    package: " << entry.package << "  sha256 " << entry.package_sha256
                      << '\n';
        for (const auto& [id, text] : entry.records) {
          context.Out() << "    record " << id << ": " << text << '\n';
        }
        return Status();
      });
  if (!status.ok()) {
    return context.Fail(status);
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("disclosures", all);
    context.Out() << ToJson(out) << '\n';
  } else if (count == 0) {
    context.Out() << "no disclosures\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> ShareCommands() {
  return {
      {"share", "share records with another agency, only where the inquiry relates to it",
       "--agency NAME (--request ID | --record ID...) --reason TEXT [--out DIR] [--json]",
       "Exports, in the disclosure-package format, only the records whose form lists the\n"
       "agency (the form definition's agencies) or for which an officer recorded a\n"
       "determination ('share determine'); every other record is refused with the reason on\n"
       "stderr. Personal data closed by law stays redacted and the leak gate applies. Each\n"
       "sharing is an entry in the disclosure accounting ('share log') and audited as\n"
       "share.record.",
       StoreAccess::kReadWrite, ShareOptions, RunShare},
      {"share determine", "record that a record's inquiry relates to an agency",
       "--record ID --agency NAME --reason TEXT",
       "An officer's determination, used by 'share' when the form does not list the agency.\n"
       "Audited as share.determine.",
       StoreAccess::kReadWrite, DetermineOptions, RunDetermine},
      {"share log", "the disclosure accounting: who received which record, when and why",
       "[--record ID] [--agency NAME] [--json]",
       "Every package published by 'request export' or 'share', oldest first, with its\n"
       "recipient, actor, reason, file and SHA-256, and each record with its production\n"
       "numbers and basis.",
       StoreAccess::kReadOnly, LogOptions, RunLog},
  };
}

}  // namespace sunshine
