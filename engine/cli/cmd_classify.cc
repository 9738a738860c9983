// sunshine classify [--recheck] | classify set | classify queue | classify show, and
// sunshine event record: which schedule item governs each record, and the events that start
// event-based retention.
#include <charconv>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/retention/classification.h"
#include "engine/retention/disposition.h"
#include "engine/retention/holds.h"
#include "engine/retention/retention_config.h"
#include "schedules/period.h"

namespace sunshine {

namespace {

void ClassifyOptions(Poco::Util::OptionSet& options) {
  options.addOption(FlagOption("recheck",
                               "re-apply the rules to classified records and report "
                               "what moved"));
  options.addOption(FlagOption("dry-run", "with --recheck: report only, change nothing"));
}

int RunClassify(CommandContext& context) {
  auto retention = LoadRetentionContext(*context.store);
  if (!retention.ok()) {
    return context.Fail(retention.status());
  }
  Database& db = context.store->db();
  std::int64_t now = ToEpoch(context.clock.Now());
  if (context.args.Has("dry-run") && !context.args.Has("recheck")) {
    return context.UsageError("--dry-run goes with --recheck");
  }
  if (context.args.Has("recheck")) {
    bool dry_run = context.args.Has("dry-run");
    auto changes = RecheckClassifications(db, retention->schedules, context.actor, now, dry_run);
    if (!changes.ok()) {
      return context.Fail(changes.status());
    }
    if (context.global.json) {
      JsonObject out = NewJsonObject();
      out->set("dry_run", dry_run);
      JsonArray list = NewJsonArray();
      for (const RecheckChange& c : *changes) {
        JsonObject j = NewJsonObject();
        j->set("record", c.record_id);
        j->set("outcome", c.outcome);
        j->set("from_item", c.from_item);
        j->set("to_item", c.to_item);
        j->set("from_version", c.from_version);
        j->set("to_version", c.to_version);
        j->set("reason", c.reason);
        list->add(j);
      }
      out->set("changes", list);
      context.Out() << ToJson(out) << '\n';
    } else {
      std::int64_t moved = 0;
      for (const RecheckChange& c : *changes) {
        context.Out() << "record " << c.record_id << ": " << c.outcome << "  " << c.from_item
                      << " (" << c.from_version << ")";
        if (!c.to_item.empty()) {
          context.Out() << " -> " << c.to_item << " (" << c.to_version << ")";
        }
        context.Out() << "  " << c.reason << '\n';
        moved += c.outcome == "moved" ? 1 : 0;
      }
      context.Out() << (dry_run ? "would move " : "moved ") << moved << " record(s); "
                    << changes->size() << " change(s) reported\n";
    }
    return kExitOk;
  }
  auto summary = ClassifyUnclassified(db, retention->schedules, context.actor, now);
  if (!summary.ok()) {
    return context.Fail(summary.status());
  }
  auto refiled = ApplyTransfersToFile(db, *retention, context.clock.Today(), context.actor, now);
  if (!refiled.ok()) {
    return context.Fail(refiled.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("examined", summary->examined);
    out->set("classified", summary->classified);
    out->set("unclassified", summary->unmatched);
    out->set("transferred_to_file", *refiled);
    JsonObject by_item = NewJsonObject();
    for (const auto& [item, n] : summary->by_item) {
      by_item->set(item, n);
    }
    out->set("by_item", by_item);
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "classified " << summary->classified << " record(s)\n";
    for (const auto& [item, n] : summary->by_item) {
      context.Out() << "  " << item << ": " << n << '\n';
    }
    if (*refiled > 0) {
      context.Out() << "re-filed " << *refiled << " record(s) (transfer-to-file)\n";
    }
    context.Out() << summary->unmatched
                  << " record(s) in the review queue (sunshine classify queue)\n";
  }
  return kExitOk;
}

void SetOptions(Poco::Util::OptionSet& options) {
  options.addOption(
      ValueOption("reason", "TEXT", "why the record belongs to this item (required)"));
}

int RunSet(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 2) {
    return context.UsageError("classify set needs RECORD-ID and ITEM");
  }
  auto id = ParsePositiveId(words[0]);
  if (!id) {
    return context.UsageError("'" + words[0] + "' is not a record id");
  }
  auto reason = context.args.Optional("reason");
  if (!reason || reason->empty()) {
    return context.UsageError("classify set needs --reason TEXT");
  }
  auto retention = LoadRetentionContext(*context.store);
  if (!retention.ok()) {
    return context.Fail(retention.status());
  }
  Database& db = context.store->db();
  Status status = WithWriteTransaction(db, [&] {
    return SetClassification(db, retention->schedules, context.actor, *id, words[1], *reason,
                             ToEpoch(context.clock.Now()));
  });
  if (!status.ok()) {
    return context.Fail(status);
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("record", *id);
    out->set("item", words[1]);
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "record " << *id << " filed under " << words[1] << '\n';
  }
  return kExitOk;
}

void QueueOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("limit", "N", "at most N records"));
}

int RunQueue(CommandContext& context) {
  std::int64_t limit = 0;
  if (auto text = context.args.Optional("limit")) {
    auto n = ParsePositiveId(*text);
    if (!n) {
      return context.UsageError("--limit needs a positive number");
    }
    limit = *n;
  }
  auto entries = UnclassifiedRecords(context.store->db(), limit);
  if (!entries.ok()) {
    return context.Fail(entries.status());
  }
  if (context.global.json) {
    JsonArray list = NewJsonArray();
    for (const QueueEntry& e : *entries) {
      JsonObject j = NewJsonObject();
      j->set("record", e.record_id);
      j->set("kind", e.kind);
      j->set("title", e.title);
      j->set("sender", e.sender);
      j->set("folder", e.folder);
      j->set("received", e.received_at ? FormatUtc(FromEpoch(*e.received_at)) : "");
      list->add(j);
    }
    JsonObject out = NewJsonObject();
    out->set("unclassified", list);
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  for (const QueueEntry& e : *entries) {
    context.Out() << e.record_id << "  " << e.kind << "  "
                  << (e.received_at ? FormatDate(DayOf(FromEpoch(*e.received_at))) : "-") << "  "
                  << e.sender << "  " << e.folder << "  " << e.title << '\n';
  }
  context.Out() << entries->size() << " unclassified record(s)"
                << (entries->empty() ? ""
                                     : "; file them with 'sunshine classify set ID ITEM "
                                       "--reason TEXT'")
                << '\n';
  return kExitOk;
}

int RunShowClassification(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 1 || !ParsePositiveId(words[0])) {
    return context.UsageError("classify show needs one RECORD-ID");
  }
  std::int64_t id = *ParsePositiveId(words[0]);
  auto retention = LoadRetentionContext(*context.store);
  if (!retention.ok()) {
    return context.Fail(retention.status());
  }
  Database& db = context.store->db();
  auto classification = GetClassification(db, id);
  if (!classification.ok()) {
    return context.Fail(classification.status());
  }
  auto holds = HoldsOnRecord(db, id);
  if (!holds.ok()) {
    return context.Fail(holds.status());
  }
  JsonObject out = NewJsonObject();
  out->set("record", id);
  std::string due_text = "not due (unclassified)";
  if (*classification) {
    const Classification& c = **classification;
    out->set("item", c.item_id);
    out->set("schedule", c.schedule_id);
    out->set("schedule_version", c.schedule_version);
    out->set("method", c.method);
    out->set("reason", c.reason);
    out->set("classified_at", FormatUtc(FromEpoch(c.classified_at)));
    out->set("classified_by", c.classified_by);
    const ScheduleItem* item = retention->schedules.FindItem(c.item_id);
    if (item == nullptr) {
      due_text = "item no longer in the schedules";
    } else {
      auto trigger = TriggerDate(db, id, *item);
      if (!trigger.ok()) {
        return context.Fail(trigger.status());
      }
      auto due = DueDate(*item, *trigger, retention->settings.fiscal_year_start);
      if (item->retention.permanent) {
        due_text = "never (permanent)";
      } else if (!*trigger) {
        due_text = "not due: waiting for the '" + item->retention.event + "' event";
      } else {
        due_text = FormatDate(*due) + " (" + std::string(DispositionName(item->disposition)) +
                   "; trigger " + FormatDate(**trigger) + ")";
      }
    }
  }
  out->set("due", due_text);
  JsonArray hold_list = NewJsonArray();
  for (std::int64_t h : *holds) {
    hold_list->add(h);
  }
  out->set("holds", hold_list);
  if (context.global.json) {
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  context.Out() << "record " << id << '\n';
  if (!*classification) {
    context.Out() << "  unclassified (in the review queue)\n";
  } else {
    const Classification& c = **classification;
    context.Out() << "  item:     " << c.item_id << " (" << c.schedule_id << " version "
                  << c.schedule_version << ")\n  method:   " << c.method << " by "
                  << c.classified_by << " at " << FormatUtc(FromEpoch(c.classified_at))
                  << "\n  why:      " << c.reason << '\n';
  }
  context.Out() << "  due:      " << due_text << '\n';
  context.Out() << "  holds:    " << (holds->empty() ? "none" : "");
  for (std::size_t i = 0; i < holds->size(); ++i) {
    context.Out() << (i ? ", " : "") << (*holds)[i];
  }
  context.Out() << '\n';
  return kExitOk;
}

void EventOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("record", "ID", "the record the event concerns (repeatable)"));
  options.addOption(ValueOption("date", "YYYY-MM-DD", "when it happened (default: today)"));
  options.addOption(ValueOption("note", "TEXT", "free text kept with the event"));
}

int RunEvent(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 1) {
    return context.UsageError("event record needs one TYPE (e.g. request-closed)");
  }
  std::vector<std::int64_t> ids;
  for (const std::string& text : context.args.GetAll("record")) {
    auto id = ParsePositiveId(text);
    if (!id) {
      return context.UsageError("--record '" + text + "' is not a record id");
    }
    ids.push_back(*id);
  }
  if (ids.empty()) {
    return context.UsageError("event record needs --record ID");
  }
  SysDays date = context.clock.Today();
  if (auto text = context.args.Optional("date")) {
    auto parsed = ParseDate(*text);
    if (!parsed.ok()) {
      return context.UsageError("--date: " + parsed.status().message());
    }
    date = *parsed;
  }
  Database& db = context.store->db();
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return context.Fail(txn.status());
  }
  for (std::int64_t id : ids) {
    Status status = RecordEvent(db, context.actor, id, words[0], date, context.args.Get("note"),
                                ToEpoch(context.clock.Now()));
    if (!status.ok()) {
      return context.Fail(status);
    }
  }
  Status status = (*txn)->Commit();
  if (!status.ok()) {
    return context.Fail(status);
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("type", words[0]);
    out->set("date", FormatDate(date));
    out->set("records", static_cast<std::int64_t>(ids.size()));
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "recorded " << words[0] << " on " << FormatDate(date) << " for " << ids.size()
                  << " record(s)\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> ClassifyCommands() {
  return {
      {"classify", "give every unclassified record one retention schedule item",
       "[--recheck [--dry-run]] [--json]",
       "Applies the classification rules of the schedules in force (retention.schedules) to\n"
       "every active record that has no item yet, records which rule matched and the schedule\n"
       "version, and audits each classification. Records no rule matches go to the review\n"
       "queue (sunshine classify queue). Due transfer-to-file records join their new item.\n"
       "--recheck re-applies the rules to classified records after a schedule change and\n"
       "reports what moved; manual filings and held records are never moved.\n"
       "See also: classify queue, classify set, classify show, event record.",
       StoreAccess::kReadWrite, ClassifyOptions, RunClassify},
      {"classify set", "file one record under a schedule item by hand",
       "RECORD-ID ITEM --reason TEXT [--json]",
       "Files the record (audited as classify.manual with the reason). A classified record\n"
       "under a hold cannot be refiled.",
       StoreAccess::kReadWrite, SetOptions, RunSet},
      {"classify queue", "list records no schedule rule matches (the review queue)",
       "[--limit N] [--json]", "Active records without a schedule item, oldest first.",
       StoreAccess::kReadOnly, QueueOptions, RunQueue},
      {"classify show", "show a record's item, why, its due date and holds", "RECORD-ID [--json]",
       "The item, the rule that matched (or the manual reason), the schedule version, the\n"
       "disposition date (trigger -> cutoff -> period) and any holds.",
       StoreAccess::kReadOnly, nullptr, RunShowClassification},
      {"event record", "record an event that starts event-based retention",
       "TYPE --record ID [--record ID...] [--date YYYY-MM-DD] [--note TEXT] [--json]",
       "E.g. 'sunshine event record request-closed --record 42 --date 2026-03-01'. Items whose\n"
       "retention reads \"N years after TYPE\" count from the latest such event; without one\n"
       "they are never due. Audited as event.record; recording the same event twice is a no-op.",
       StoreAccess::kReadWrite, EventOptions, RunEvent},
  };
}

}  // namespace sunshine
