// sunshine schedules check | list | show: the retention schedules in force
// (docs/formats/schedule-format.md).
#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/retention/retention_config.h"
#include "schedules/schedule_loader.h"

namespace sunshine {

namespace {

// The configured schedules folder, from the home's configuration if there is a home.
Result<Path> ConfiguredSchedulesDir(CommandContext& context) {
  if (context.store != nullptr) {
    SUNSHINE_ASSIGN_OR_RETURN(RetentionSettings settings, LoadRetentionSettings(*context.store));
    return settings.schedules_dir;
  }
  if (context.home.Exists()) {
    SUNSHINE_ASSIGN_OR_RETURN(
        auto store, Store::Open(context.home, StoreAccess::kReadOnly, context.global.config));
    SUNSHINE_ASSIGN_OR_RETURN(RetentionSettings settings, LoadRetentionSettings(*store));
    return settings.schedules_dir;
  }
  return DefaultSchedulesDir(context.home);
}

JsonObject ItemJson(const ScheduleItem& item) {
  JsonObject j = NewJsonObject();
  j->set("id", item.id);
  j->set("title", item.title);
  j->set("description", item.description);
  j->set("authority", item.authority);
  j->set("citation", item.citation);
  j->set("example", item.example);
  j->set("retention", item.retention.ToString());
  j->set("trigger", item.retention.event_based() ? "event:" + item.retention.event
                                                 : std::string(TriggerName(item.trigger)));
  j->set("cutoff", std::string(CutoffName(item.cutoff)));
  j->set("disposition", std::string(DispositionName(item.disposition)));
  if (!item.transfer_to.empty()) {
    j->set("transfer_to", item.transfer_to);
  }
  j->set("schedule", item.schedule_id);
  j->set("schedule_version", item.schedule_version);
  j->set("file", item.file);
  j->set("line", item.line);
  JsonArray rules = NewJsonArray();
  for (const ClassificationRule& rule : item.rules) {
    JsonObject r = NewJsonObject();
    r->set("line", rule.line);
    r->set("specificity", rule.Specificity());
    r->set("criteria", rule.Describe());
    rules->add(r);
  }
  j->set("rules", rules);
  return j;
}

int RunCheck(CommandContext& context) {
  std::vector<Path> paths;
  for (const std::string& p : context.args.positionals()) {
    paths.emplace_back(p);
  }
  if (paths.empty()) {
    auto dir = ConfiguredSchedulesDir(context);
    if (!dir.ok()) {
      return context.Fail(dir.status());
    }
    paths.push_back(*dir);
  }
  ScheduleLoad load = LoadScheduleFiles(paths);
  std::size_t items = 0;
  for (const Schedule& s : load.schedules) {
    items += s.items.size();
  }
  std::size_t errors = 0;
  for (const ScheduleProblem& p : load.problems) {
    errors += p.warning ? 0 : 1;
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("ok", load.ok());
    JsonArray files = NewJsonArray();
    for (const Schedule& s : load.schedules) {
      JsonObject f = NewJsonObject();
      f->set("file", s.file);
      f->set("schedule", s.id);
      f->set("version", s.version);
      f->set("items", static_cast<std::int64_t>(s.items.size()));
      files->add(f);
    }
    out->set("files", files);
    out->set("items", static_cast<std::int64_t>(items));
    JsonArray problems = NewJsonArray();
    for (const ScheduleProblem& p : load.problems) {
      JsonObject j = NewJsonObject();
      j->set("file", p.file);
      j->set("line", p.line);
      j->set("key", p.key);
      j->set("message", p.message);
      j->set("severity", p.warning ? "warning" : "error");
      problems->add(j);
    }
    out->set("problems", problems);
    context.Out() << ToJson(out) << '\n';
  } else {
    for (const ScheduleProblem& p : load.problems) {
      context.Out() << p.ToString() << '\n';
    }
    for (const Schedule& s : load.schedules) {
      context.Out() << s.file << ": schedule " << s.id << " version " << s.version << ", "
                    << s.items.size() << " item(s)" << (s.example ? " [EXAMPLE]" : "") << '\n';
    }
    context.Out() << (load.ok() ? "OK: " : "FAILED: ") << load.schedules.size() << " file(s), "
                  << items << " item(s), " << errors << " error(s)\n";
  }
  return load.ok() ? kExitOk : kExitProblems;
}

int RunList(CommandContext& context) {
  auto retention = LoadRetentionContext(*context.store);
  if (!retention.ok()) {
    return context.Fail(retention.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("folder", retention->settings.schedules_dir.string());
    JsonArray schedules = NewJsonArray();
    for (const Schedule& s : retention->schedules.schedules()) {
      JsonObject js = NewJsonObject();
      js->set("id", s.id);
      js->set("title", s.title);
      js->set("version", s.version);
      js->set("effective", s.effective);
      js->set("authority", s.authority);
      js->set("example", s.example);
      js->set("file", s.file);
      JsonArray items = NewJsonArray();
      for (const ScheduleItem& item : s.items) {
        items->add(ItemJson(item));
      }
      js->set("items", items);
      schedules->add(js);
    }
    out->set("schedules", schedules);
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  context.Out() << "Schedules in " << retention->settings.schedules_dir.string() << "\n";
  for (const Schedule& s : retention->schedules.schedules()) {
    context.Out() << "\n"
                  << s.id << " version " << s.version << ", effective " << s.effective
                  << (s.example ? "  [EXAMPLE: replace with the approved schedule]" : "") << "\n  "
                  << s.title << "\n";
    for (const ScheduleItem& item : s.items) {
      std::string retention_text = item.retention.ToString();
      if (item.cutoff != Cutoff::kNone) {
        retention_text += " (" + std::string(CutoffName(item.cutoff)) + " cutoff)";
      }
      context.Out() << "  " << item.id << "  " << item.title << "\n      " << retention_text
                    << ", then " << DispositionName(item.disposition)
                    << (item.transfer_to.empty() ? "" : " to " + item.transfer_to) << "; "
                    << item.rules.size() << " rule(s)\n";
    }
  }
  return kExitOk;
}

int RunShow(CommandContext& context) {
  if (context.args.positionals().size() != 1) {
    return context.UsageError("schedules show needs one ITEM id");
  }
  auto retention = LoadRetentionContext(*context.store);
  if (!retention.ok()) {
    return context.Fail(retention.status());
  }
  const ScheduleItem* item = retention->schedules.FindItem(context.args.positionals()[0]);
  if (item == nullptr) {
    return context.Fail(Status::NotFound("no schedule item '" + context.args.positionals()[0] +
                                         "' (see 'sunshine schedules list')"));
  }
  if (context.global.json) {
    context.Out() << ToJson(ItemJson(*item)) << '\n';
    return kExitOk;
  }
  std::ostream& out = context.Out();
  out << item->id << ": " << item->title << (item->example ? "  [EXAMPLE]" : "") << "\n";
  if (!item->description.empty()) {
    out << "  " << item->description << "\n";
  }
  out << "  authority:   " << item->authority << "\n"
      << "  citation:    " << item->citation << "\n"
      << "  schedule:    " << item->schedule_id << " version " << item->schedule_version << " ("
      << item->file << ":" << item->line << ")\n"
      << "  retention:   " << item->retention.ToString() << "\n"
      << "  starts from: "
      << (item->retention.event_based() ? "the '" + item->retention.event + "' event"
                                        : "the date " + std::string(TriggerName(item->trigger)))
      << "\n"
      << "  cutoff:      " << CutoffName(item->cutoff) << "\n"
      << "  disposition: " << DispositionName(item->disposition)
      << (item->transfer_to.empty() ? "" : " (joins " + item->transfer_to + ")") << "\n";
  if (item->rules.empty()) {
    out << "  rules:       none (records are filed by hand: sunshine classify set)\n";
  }
  for (std::size_t i = 0; i < item->rules.size(); ++i) {
    out << "  rule " << (i + 1) << " (line " << item->rules[i].line << ", specificity "
        << item->rules[i].Specificity() << "): " << item->rules[i].Describe() << "\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> SchedulesCommands() {
  return {
      {"schedules check", "validate retention schedule files", "[PATH...] [--json]",
       "Reads every *.toml schedule in the configured folder (retention.schedules), or the\n"
       "files and folders given, and reports each problem as FILE:LINE: KEY: MESSAGE: TOML\n"
       "syntax, unknown keys, missing fields, unknown dispositions, bad retention periods,\n"
       "duplicate item ids, transfer-to-file targets, and unreachable rules (another item's\n"
       "rule matches everything they match and always wins). Exit status 1 if any error.",
       StoreAccess::kNone, nullptr, RunCheck},
      {"schedules list", "list the schedules and items in force", "[--json]",
       "Every item of every schedule in the configured folder: retention, cutoff,\n"
       "disposition and number of classification rules. Example items are marked.",
       StoreAccess::kReadOnly, nullptr, RunList},
      {"schedules show", "show one schedule item and its rules", "ITEM [--json]",
       "All fields of the item, its citation and authority, and its classification rules\n"
       "with their specificity (the precedence: most specific rule wins, then the longest\n"
       "retention; docs/formats/schedule-format.md).",
       StoreAccess::kReadOnly, nullptr, RunShow},
  };
}

}  // namespace sunshine
