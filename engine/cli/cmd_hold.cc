// sunshine hold create | release | review | list | show: legal, audit and request holds. Any
// active hold blocks disposition of, and every change to, the records it covers.
#include <charconv>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/retention/holds.h"

namespace sunshine {

namespace {

JsonObject HoldJson(const Hold& hold) {
  JsonObject j = NewJsonObject();
  j->set("id", hold.id);
  j->set("name", hold.name);
  j->set("reason", hold.reason);
  j->set("kind", hold.kind);
  j->set("source", hold.source);
  j->set("scope", hold.scope);
  if (hold.query) {
    j->set("query", *hold.query);
  }
  if (hold.series) {
    j->set("series", *hold.series);
  }
  j->set("created_at", FormatUtc(FromEpoch(hold.created_at)));
  j->set("created_by", hold.created_by);
  j->set("last_reviewed_at", FormatUtc(FromEpoch(hold.last_reviewed_at)));
  j->set("active", hold.active());
  if (hold.released_at) {
    j->set("released_at", FormatUtc(FromEpoch(*hold.released_at)));
    j->set("released_by", hold.released_by);
    j->set("release_reason", hold.release_reason);
  }
  j->set("records", hold.record_count);
  return j;
}

void CreateOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("name", "NAME", "short name of the hold (required)"));
  options.addOption(ValueOption("reason", "TEXT", "the hold's subject matter (required)"));
  options.addOption(ValueOption("kind", "KIND", "legal (default), audit, request or litigation"));
  options.addOption(ValueOption("source", "TEXT", "who asked, e.g. request:2026-0001 or a letter"));
  options.addOption(ValueOption("record", "ID", "a record to hold (repeatable)"));
  options.addOption(
      ValueOption("query", "Q", "hold every active record matching this full-text query"));
  options.addOption(
      ValueOption("series", "ITEM", "hold every record of this schedule item, now and later"));
}

int RunCreate(CommandContext& context) {
  HoldSpec spec;
  spec.name = context.args.Get("name");
  spec.reason = context.args.Get("reason");
  spec.kind = context.args.Get("kind", "legal");
  spec.source = context.args.Get("source");
  if (spec.name.empty() || spec.reason.empty()) {
    return context.UsageError("hold create needs --name and --reason");
  }
  for (const std::string& text : context.args.GetAll("record")) {
    auto id = ParsePositiveId(text);
    if (!id) {
      return context.UsageError("--record '" + text + "' is not a record id");
    }
    spec.record_ids.push_back(*id);
  }
  spec.query = context.args.Optional("query");
  spec.series = context.args.Optional("series");
  int scopes = (spec.record_ids.empty() ? 0 : 1) + (spec.query ? 1 : 0) + (spec.series ? 1 : 0);
  if (scopes != 1) {
    return context.UsageError("give exactly one of --record ID..., --query Q, --series ITEM");
  }
  Database& db = context.store->db();
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return context.Fail(txn.status());
  }
  auto id = CreateHold(db, context.actor, spec, ToEpoch(context.clock.Now()));
  if (!id.ok()) {
    return context.Fail(id.status());
  }
  Status status = (*txn)->Commit();
  if (!status.ok()) {
    return context.Fail(status);
  }
  auto hold = GetHold(db, *id);
  if (!hold.ok()) {
    return context.Fail(hold.status());
  }
  if (context.global.json) {
    context.Out() << ToJson(HoldJson(*hold)) << '\n';
  } else {
    context.Out() << "hold " << *id << " (" << hold->name << ") created, covering "
                  << hold->record_count << " record(s)"
                  << (hold->scope == "series"
                          ? " now and every later record of " + hold->series.value_or("")
                          : "")
                  << '\n';
  }
  return kExitOk;
}

void ReleaseOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("reason", "TEXT", "why the hold ends (required)"));
}

int RunRelease(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 1 || !ParsePositiveId(words[0])) {
    return context.UsageError("hold release needs one HOLD-ID");
  }
  std::string reason = context.args.Get("reason");
  if (reason.empty()) {
    return context.UsageError("hold release needs --reason TEXT");
  }
  Database& db = context.store->db();
  Status status = WithWriteTransaction(db, [&] {
    return ReleaseHold(db, context.actor, *ParsePositiveId(words[0]), reason,
                       ToEpoch(context.clock.Now()));
  });
  if (!status.ok()) {
    return context.Fail(status);
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("released", *ParsePositiveId(words[0]));
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "hold " << words[0] << " released\n";
  }
  return kExitOk;
}

void ReviewOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("note", "TEXT", "the status update (required)"));
}

int RunReview(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 1 || !ParsePositiveId(words[0])) {
    return context.UsageError("hold review needs one HOLD-ID");
  }
  std::string note = context.args.Get("note");
  if (note.empty()) {
    return context.UsageError("hold review needs --note TEXT");
  }
  Database& db = context.store->db();
  Status status = WithWriteTransaction(db, [&] {
    return ReviewHold(db, context.actor, *ParsePositiveId(words[0]), note,
                      ToEpoch(context.clock.Now()));
  });
  if (!status.ok()) {
    return context.Fail(status);
  }
  context.Out() << (context.global.json ? "{\"reviewed\":" + words[0] + "}"
                                        : "hold " + words[0] + " reviewed")
                << '\n';
  return kExitOk;
}

void ListOptions(Poco::Util::OptionSet& options) {
  options.addOption(FlagOption("all", "include released holds"));
}

int RunList(CommandContext& context) {
  auto holds = ListHolds(context.store->db(), context.args.Has("all"));
  if (!holds.ok()) {
    return context.Fail(holds.status());
  }
  if (context.global.json) {
    JsonArray list = NewJsonArray();
    for (const Hold& hold : *holds) {
      list->add(HoldJson(hold));
    }
    JsonObject out = NewJsonObject();
    out->set("holds", list);
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  for (const Hold& hold : *holds) {
    context.Out() << hold.id << "  " << (hold.active() ? "active  " : "released") << "  "
                  << hold.kind << "  " << hold.name << "  (" << hold.scope << ", "
                  << hold.record_count << " record(s)), reviewed "
                  << FormatDate(DayOf(FromEpoch(hold.last_reviewed_at))) << '\n';
  }
  context.Out() << holds->size() << " hold(s)\n";
  return kExitOk;
}

int RunShow(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 1 || !ParsePositiveId(words[0])) {
    return context.UsageError("hold show needs one HOLD-ID");
  }
  Database& db = context.store->db();
  auto hold = GetHold(db, *ParsePositiveId(words[0]));
  if (!hold.ok()) {
    return context.Fail(hold.status());
  }
  auto ids = HoldRecordIds(db, *hold);
  if (!ids.ok()) {
    return context.Fail(ids.status());
  }
  JsonObject out = HoldJson(*hold);
  JsonArray records = NewJsonArray();
  for (std::int64_t id : *ids) {
    records->add(id);
  }
  out->set("record_ids", records);
  if (context.global.json) {
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  context.Out() << "hold " << hold->id << ": " << hold->name
                << (hold->active() ? "" : " (released)") << "\n  reason:   " << hold->reason
                << "\n  kind:     " << hold->kind
                << (hold->source.empty() ? "" : "\n  source:   " + hold->source)
                << "\n  scope:    " << hold->scope << (hold->query ? " '" + *hold->query + "'" : "")
                << (hold->series ? " " + *hold->series : "")
                << "\n  created:  " << FormatUtc(FromEpoch(hold->created_at)) << " by "
                << hold->created_by
                << "\n  reviewed: " << FormatUtc(FromEpoch(hold->last_reviewed_at)) << '\n';
  if (hold->released_at) {
    context.Out() << "  released: " << FormatUtc(FromEpoch(*hold->released_at)) << " by "
                  << hold->released_by << ": " << hold->release_reason << '\n';
  }
  context.Out() << "  records:  ";
  for (std::size_t i = 0; i < ids->size(); ++i) {
    context.Out() << (i ? " " : "") << (*ids)[i];
  }
  context.Out() << (ids->empty() ? "none" : "") << '\n';
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> HoldCommands() {
  return {
      {"hold create", "put records under a legal, audit or request hold",
       "--name NAME --reason TEXT [--kind KIND] [--source TEXT] (--record ID... | --query Q | "
       "--series ITEM) [--json]",
       "A hold blocks destruction, transfer and every change to the records it covers until it\n"
       "is released (RSMo 610.027.1; SOS practice: state each hold's subject matter). A record\n"
       "may be under several holds. --query holds the active records matching the full-text\n"
       "query now; --series holds every record of a schedule item, including later ones.",
       StoreAccess::kReadWrite, CreateOptions, RunCreate},
      {"hold release", "release a hold", "HOLD-ID --reason TEXT [--json]",
       "Ends the hold (audited as hold.release with the reason). Records under other holds\n"
       "stay held.",
       StoreAccess::kReadWrite, ReleaseOptions, RunRelease},
      {"hold review", "record the periodic status update of a hold", "HOLD-ID --note TEXT",
       "SOS Records Management asks for hold status updates at least every six months; the\n"
       "nightly run flags holds not reviewed within retention.hold_review_months.",
       StoreAccess::kReadWrite, ReviewOptions, RunReview},
      {"hold list", "list holds", "[--all] [--json]", "Active holds (--all: released ones too).",
       StoreAccess::kReadOnly, ListOptions, RunList},
      {"hold show", "show one hold and the records it covers", "HOLD-ID [--json]", "",
       StoreAccess::kReadOnly, nullptr, RunShow},
  };
}

}  // namespace sunshine
