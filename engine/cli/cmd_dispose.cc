// sunshine dispose --dry-run | propose | approve | run | lists | show: disposition of records
// whose retention has ended, only through lists a person approved (RSMo 109.270).
#include <charconv>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/retention/disposition.h"

namespace sunshine {

namespace {

void DryRunOptions(Poco::Util::OptionSet& options) {
  options.addOption(FlagOption("dry-run", "list what is due as of --as-of; change nothing"));
}

int RunDryRun(CommandContext& context) {
  if (!context.args.Has("dry-run")) {
    return context.UsageError(
        "'sunshine dispose' needs --dry-run; to act use 'dispose propose', 'dispose approve' and "
        "'dispose run' (or the nightly run)");
  }
  auto retention = LoadRetentionContext(*context.store);
  if (!retention.ok()) {
    return context.Fail(retention.status());
  }
  SysDays today = context.clock.Today();
  auto due = ComputeDue(context.store->db(), *retention, today);
  if (!due.ok()) {
    return context.Fail(due.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("as_of", FormatDate(today));
    JsonArray list = NewJsonArray();
    for (const DueEntry& e : *due) {
      JsonObject j = NewJsonObject();
      j->set("record", e.record_id);
      j->set("kind", e.kind);
      j->set("item", e.item_id);
      j->set("action", e.action);
      j->set("trigger_date", e.trigger_date);
      j->set("due_date", e.due_date);
      JsonArray holds = NewJsonArray();
      for (std::int64_t h : e.holds) {
        holds->add(h);
      }
      j->set("holds", holds);
      if (e.list_id) {
        j->set("list", *e.list_id);
      }
      list->add(j);
    }
    out->set("due", list);
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  context.Out() << "Due for disposition as of " << FormatDate(today)
                << " (dry run, nothing changed)\n";
  context.Out() << "record  kind  item  due  action  holds\n";
  std::int64_t held = 0;
  for (const DueEntry& e : *due) {
    context.Out() << e.record_id << "  " << e.kind << "  " << e.item_id << "  " << e.due_date
                  << "  " << e.action << "  ";
    if (e.holds.empty()) {
      context.Out() << "-";
    } else {
      ++held;
      for (std::size_t i = 0; i < e.holds.size(); ++i) {
        context.Out() << (i ? "," : "") << "hold " << e.holds[i];
      }
    }
    if (e.list_id) {
      context.Out() << "  (in list " << *e.list_id << ")";
    }
    context.Out() << '\n';
  }
  context.Out() << due->size() << " record(s) due, " << held << " held\n";
  return kExitOk;
}

int RunPropose(CommandContext& context) {
  auto retention = LoadRetentionContext(*context.store);
  if (!retention.ok()) {
    return context.Fail(retention.status());
  }
  auto result = ProposeList(context.store->db(), *retention, context.clock.Today(), context.actor,
                            ToEpoch(context.clock.Now()));
  if (!result.ok()) {
    return context.Fail(result.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("list", result->list_id);
    out->set("records", result->records);
    out->set("skipped_held", result->skipped_held);
    out->set("already_listed", result->already_listed);
    context.Out() << ToJson(out) << '\n';
  } else if (result->list_id == 0) {
    context.Out() << "nothing new is due as of " << FormatDate(context.clock.Today())
                  << "; no list proposed (" << result->skipped_held << " held, "
                  << result->already_listed << " already in a list)\n";
  } else {
    context.Out() << "proposed disposition list " << result->list_id << " with " << result->records
                  << " record(s) (" << result->skipped_held << " held, " << result->already_listed
                  << " already listed, left out)\n"
                  << "review it with 'sunshine dispose show " << result->list_id
                  << "', then 'sunshine dispose approve " << result->list_id
                  << " --approver NAME'\n";
  }
  return kExitOk;
}

void ApproveOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("approver", "NAME", "who approves the list (required)"));
}

int RunApprove(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 1 || !ParsePositiveId(words[0])) {
    return context.UsageError("dispose approve needs one LIST-ID");
  }
  std::string approver = context.args.Get("approver");
  if (approver.empty()) {
    return context.UsageError("dispose approve needs --approver NAME");
  }
  Database& db = context.store->db();
  Status status = WithWriteTransaction(db, [&] {
    return ApproveList(db, context.actor, *ParsePositiveId(words[0]), approver,
                       ToEpoch(context.clock.Now()));
  });
  if (!status.ok()) {
    return context.Fail(status);
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("approved", *ParsePositiveId(words[0]));
    out->set("approver", approver);
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "disposition list " << words[0] << " approved by " << approver
                  << "; the next nightly run (or 'sunshine dispose run') carries it out\n";
  }
  return kExitOk;
}

void RunOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("list", "ID", "only this approved list"));
}

int RunRun(CommandContext& context) {
  std::optional<std::int64_t> only;
  if (auto text = context.args.Optional("list")) {
    only = ParsePositiveId(*text);
    if (!only) {
      return context.UsageError("--list needs a list id");
    }
  }
  auto retention = LoadRetentionContext(*context.store);
  if (!retention.ok()) {
    return context.Fail(retention.status());
  }
  auto report =
      ExecuteApprovedLists(*context.store, *retention, context.actor, context.clock, only);
  if (!report.ok()) {
    return context.Fail(report.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    JsonArray lists = NewJsonArray();
    for (std::int64_t id : report->lists) {
      lists->add(id);
    }
    out->set("lists", lists);
    out->set("destroyed", report->destroyed);
    out->set("transferred", report->transferred);
    out->set("skipped_held", report->skipped_held);
    out->set("skipped_changed", report->skipped_changed);
    out->set("failed", report->failed);
    JsonArray certificates = NewJsonArray();
    for (const std::string& c : report->certificates) {
      certificates->add(c);
    }
    out->set("certificates", certificates);
    context.Out() << ToJson(out) << '\n';
  } else {
    for (const std::string& line : report->lines) {
      context.Out() << line << '\n';
    }
    context.Out() << "destroyed " << report->destroyed << ", transferred " << report->transferred
                  << ", skipped " << report->skipped_held + report->skipped_changed << ", failed "
                  << report->failed << " (" << report->lists.size() << " approved list(s))\n";
  }
  return report->failed == 0 ? kExitOk : kExitProblems;
}

int RunLists(CommandContext& context) {
  auto lists = ListDispositionLists(context.store->db());
  if (!lists.ok()) {
    return context.Fail(lists.status());
  }
  if (context.global.json) {
    JsonArray out = NewJsonArray();
    for (const ListSummary& s : *lists) {
      JsonObject j = NewJsonObject();
      j->set("id", s.id);
      j->set("status", s.status);
      j->set("as_of", s.as_of);
      j->set("proposed_by", s.proposed_by);
      j->set("approved_by", s.approved_by);
      j->set("records", s.records);
      j->set("done", s.done);
      j->set("skipped", s.skipped);
      j->set("certificate", s.certificate);
      out->add(j);
    }
    JsonObject wrapper = NewJsonObject();
    wrapper->set("lists", out);
    context.Out() << ToJson(wrapper) << '\n';
    return kExitOk;
  }
  for (const ListSummary& s : *lists) {
    context.Out() << s.id << "  " << s.status << "  as of " << s.as_of << "  " << s.records
                  << " record(s), " << s.done << " done, " << s.skipped << " skipped"
                  << (s.approved_by.empty() ? "" : "  approved by " + s.approved_by)
                  << (s.certificate.empty() ? "" : "  certificate " + s.certificate) << '\n';
  }
  context.Out() << lists->size() << " disposition list(s)\n";
  return kExitOk;
}

int RunShow(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 1 || !ParsePositiveId(words[0])) {
    return context.UsageError("dispose show needs one LIST-ID");
  }
  auto items = DispositionListItems(context.store->db(), *ParsePositiveId(words[0]));
  if (!items.ok()) {
    return context.Fail(items.status());
  }
  if (context.global.json) {
    JsonArray out = NewJsonArray();
    for (const ListItem& i : *items) {
      JsonObject j = NewJsonObject();
      j->set("record", i.record_id);
      j->set("item", i.item_id);
      j->set("action", i.action);
      j->set("trigger_date", i.trigger_date);
      j->set("due_date", i.due_date);
      j->set("status", i.status);
      j->set("detail", i.detail);
      out->add(j);
    }
    JsonObject wrapper = NewJsonObject();
    wrapper->set("list", *ParsePositiveId(words[0]));
    wrapper->set("items", out);
    context.Out() << ToJson(wrapper) << '\n';
    return kExitOk;
  }
  if (items->empty()) {
    return context.Fail(Status::NotFound("no disposition list " + words[0] + " (or it is empty)"));
  }
  for (const ListItem& i : *items) {
    context.Out() << i.record_id << "  " << i.item_id << "  " << i.action << "  due " << i.due_date
                  << "  " << i.status << (i.detail.empty() ? "" : "  (" + i.detail + ")") << '\n';
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> DisposeCommands() {
  return {
      {"dispose", "list records due for disposition (with --dry-run)", "--dry-run [--json]",
       "Lists every classified record whose retention has ended as of --as-of: record, item,\n"
       "due date (trigger -> cutoff -> period), action and any holds. Changes nothing.\n"
       "Event-based items without their event and permanent items are never due.\n"
       "The workflow: dispose --dry-run, dispose propose, dispose show LIST, dispose approve\n"
       "LIST --approver NAME, then the nightly run or dispose run; dispose lists shows them all.",
       StoreAccess::kReadOnly, DryRunOptions, RunDryRun},
      {"dispose propose", "freeze the current due list for approval", "[--json]",
       "Creates a disposition list of the due destroy and transfer-to-archives records that\n"
       "are not held and not already listed (audited as dispose.propose).",
       StoreAccess::kReadWrite, nullptr, RunPropose},
      {"dispose approve", "approve a proposed disposition list", "LIST-ID --approver NAME [--json]",
       "Records who approved the list; the nightly run (or 'dispose run') carries out approved\n"
       "lists only. Records put on hold after approval are skipped and reported.",
       StoreAccess::kReadWrite, ApproveOptions, RunApprove},
      {"dispose run", "carry out approved disposition lists now", "[--list ID] [--json]",
       "What the nightly dispose-approved step does: destroy (content removed from the row,\n"
       "full-text index, attachments, unshared blobs; checkpoint and compaction; tombstone\n"
       "kept) or transfer (verified BagIt bag in HOME/output/transfers/), then a certificate in\n"
       "HOME/output/certificates/. Safe to interrupt and rerun.",
       StoreAccess::kReadWrite, RunOptions, RunRun},
      {"dispose lists", "list disposition lists and their state", "[--json]", "",
       StoreAccess::kReadOnly, nullptr, RunLists},
      {"dispose show", "show the records of one disposition list", "LIST-ID [--json]", "",
       StoreAccess::kReadOnly, nullptr, RunShow},
  };
}

}  // namespace sunshine
