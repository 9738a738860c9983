#include "schedules/schedule_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/core/time_format.h"
#include "schedules/classifier.h"

namespace sunshine {

namespace {

namespace fs = boost::filesystem;

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

class FileParser {
 public:
  FileParser(std::string file, std::vector<ScheduleProblem>* problems)
      : file_(std::move(file)), problems_(problems) {}

  void Error(int line, const std::string& key, const std::string& message) {
    problems_->push_back({file_, line, key, message, false});
  }
  void Warn(int line, const std::string& key, const std::string& message) {
    problems_->push_back({file_, line, key, message, true});
  }

  // Reports keys of `table` not in `allowed`.
  void CheckKeys(const toml::table& table, const std::string& prefix,
                 std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        Error(LineOf(node), prefix + std::string(key.str()), "unknown key");
      }
    }
  }

  std::optional<std::string> Str(const toml::table& table, const std::string& prefix,
                                 std::string_view key, bool required, int table_line) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) {
        Error(table_line, prefix + std::string(key), "required key is missing");
      }
      return std::nullopt;
    }
    if (auto value = node->value_exact<std::string>()) {
      if (required && value->empty()) {
        Error(LineOf(*node), prefix + std::string(key), "must not be empty");
      }
      return *value;
    }
    Error(LineOf(*node), prefix + std::string(key), "must be a string");
    return std::nullopt;
  }

  std::optional<bool> Bool(const toml::table& table, const std::string& prefix,
                           std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    if (auto value = node->value_exact<bool>()) {
      return *value;
    }
    Error(LineOf(*node), prefix + std::string(key), "must be true or false");
    return std::nullopt;
  }

  std::vector<std::string> StrList(const toml::table& table, const std::string& prefix,
                                   std::string_view key) {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      return out;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      if (auto single = node->value_exact<std::string>()) {
        out.push_back(*single);  // a single string is accepted as a one-element list
      } else {
        Error(LineOf(*node), prefix + std::string(key), "must be a list of strings");
      }
    } else {
      for (const toml::node& element : *array) {
        if (auto value = element.value_exact<std::string>()) {
          out.push_back(*value);
        } else {
          Error(LineOf(element), prefix + std::string(key), "must be a list of strings");
          return {};
        }
      }
      if (array->empty()) {
        Error(LineOf(*node), prefix + std::string(key),
              "empty list (leave the key out to match anything)");
      }
    }
    for (const std::string& value : out) {
      if (value.empty()) {
        Error(LineOf(*node), prefix + std::string(key), "empty string in list");
      }
    }
    return out;
  }

  static int KeyLine(const toml::table& table, std::string_view key, int fallback) {
    const toml::node* node = table.get(key);
    return node == nullptr ? fallback : LineOf(*node);
  }

  void ParseRule(const toml::table& table, const std::string& prefix, ClassificationRule* rule) {
    rule->line = LineOf(table);
    CheckKeys(table, prefix,
              {"kind", "form", "folder", "from", "to", "subject", "body", "attachment"});
    rule->kinds = StrList(table, prefix, "kind");
    rule->form_ids = StrList(table, prefix, "form");
    rule->folders = StrList(table, prefix, "folder");
    rule->from = StrList(table, prefix, "from");
    rule->to = StrList(table, prefix, "to");
    rule->subject_terms = StrList(table, prefix, "subject");
    rule->body_terms = StrList(table, prefix, "body");
    rule->attachment_types = StrList(table, prefix, "attachment");
    for (const std::string& kind : rule->kinds) {
      if (kind != kKindMail && kind != kKindForm && kind != kKindVisitLog) {
        Error(KeyLine(table, "kind", rule->line), prefix + "kind",
              "unknown record kind '" + kind + "' (mail, form or visit-log)");
      }
    }
    for (const auto* list : {&rule->from, &rule->to}) {
      for (const std::string& value : *list) {
        if (value.find('@') == std::string::npos) {
          Error(KeyLine(table, list == &rule->from ? "from" : "to", rule->line),
                prefix + (list == &rule->from ? "from" : "to"),
                "'" + value + "' is neither an address nor an @domain");
        }
      }
    }
    for (const std::string& value : rule->attachment_types) {
      if (value[0] != '.' && value.find('/') == std::string::npos) {
        Error(KeyLine(table, "attachment", rule->line), prefix + "attachment",
              "'" + value +
                  "' is neither a media type (application/pdf, image/*) nor an "
                  "extension (.pdf)");
      }
    }
    // Rules that can never match any record.
    bool names_only_non_forms =
        !rule->kinds.empty() && std::none_of(rule->kinds.begin(), rule->kinds.end(),
                                             [](const std::string& k) { return k == kKindForm; });
    if (names_only_non_forms && !rule->form_ids.empty()) {
      Error(KeyLine(table, "form", rule->line), prefix + "form",
            "unreachable rule: only form submissions have a form id, but kind excludes 'form'");
    }
    bool only_visit_logs = !rule->kinds.empty() &&
                           std::all_of(rule->kinds.begin(), rule->kinds.end(),
                                       [](const std::string& k) { return k == kKindVisitLog; });
    if (only_visit_logs && rule->Specificity() > 1) {
      Error(rule->line, prefix + "kind",
            "unreachable rule: visit-log rows have no folder, addresses, subject, body, form or "
            "attachments; a visit-log rule names only the kind");
    }
  }

  void ParseItem(const toml::table& table, const std::string& prefix, ScheduleItem* item) {
    item->line = LineOf(table);
    item->id = Str(table, prefix, "id", true, item->line).value_or("");
    std::string where = item->id.empty() ? prefix : "item[" + item->id + "].";
    CheckKeys(table, where,
              {"id", "title", "description", "authority", "citation", "example", "retention",
               "trigger", "cutoff", "disposition", "transfer_to", "rule"});
    item->title = Str(table, where, "title", true, item->line).value_or("");
    item->description = Str(table, where, "description", false, item->line).value_or("");
    item->authority = Str(table, where, "authority", false, item->line).value_or("");
    item->citation = Str(table, where, "citation", true, item->line).value_or("");
    item->example = Bool(table, where, "example").value_or(false);

    const toml::node* retention = table.get("retention");
    if (auto text = Str(table, where, "retention", true, item->line)) {
      auto period = ParseRetentionPeriod(*text);
      if (period.ok()) {
        item->retention = *period;
      } else {
        Error(LineOf(*retention), where + "retention", period.status().message());
      }
    }
    if (auto text = Str(table, where, "trigger", false, item->line)) {
      if (auto trigger = ParseTrigger(*text)) {
        item->trigger = *trigger;
      } else {
        Error(LineOf(*table.get("trigger")), where + "trigger",
              "unknown trigger '" + *text +
                  "' (received or created; for an event write the "
                  "retention as \"N years after EVENT\")");
      }
    }
    if (auto text = Str(table, where, "cutoff", false, item->line)) {
      if (auto cutoff = ParseCutoff(*text)) {
        item->cutoff = *cutoff;
      } else {
        Error(LineOf(*table.get("cutoff")), where + "cutoff",
              "unknown cutoff '" + *text + "' (none, calendar-year or fiscal-year)");
      }
    }
    if (auto text = Str(table, where, "disposition", true, item->line)) {
      if (auto disposition = ParseDisposition(*text)) {
        item->disposition = *disposition;
      } else {
        Error(LineOf(*table.get("disposition")), where + "disposition",
              "unknown disposition '" + *text +
                  "' (destroy, transfer-to-archives, permanent or transfer-to-file)");
      }
    }
    item->transfer_to = Str(table, where, "transfer_to", false, item->line).value_or("");
    int disposition_line =
        table.get("disposition") ? LineOf(*table.get("disposition")) : item->line;
    if (item->disposition == Disposition::kTransferToFile && item->transfer_to.empty()) {
      Error(disposition_line, where + "transfer_to",
            "transfer-to-file needs transfer_to naming the item the record joins");
    }
    if (item->disposition != Disposition::kTransferToFile && !item->transfer_to.empty()) {
      Error(LineOf(*table.get("transfer_to")), where + "transfer_to",
            "transfer_to is only for disposition = \"transfer-to-file\"");
    }
    if (item->disposition == Disposition::kPermanent && !item->retention.permanent) {
      Error(disposition_line, where + "retention",
            "a permanent disposition needs retention = \"permanent\"");
    }
    if (item->retention.permanent && item->disposition != Disposition::kPermanent) {
      Error(disposition_line, where + "disposition",
            "retention is permanent, so the disposition must be \"permanent\"");
    }
    if (item->retention.event_based() && table.get("trigger") != nullptr) {
      Error(LineOf(*table.get("trigger")), where + "trigger",
            "an event-based retention (\"... after " + item->retention.event +
                "\") starts at the event; remove trigger");
    }

    if (const toml::node* rules = table.get("rule")) {
      const toml::array* array = rules->as_array();
      if (array == nullptr || !array->is_array_of_tables()) {
        Error(LineOf(*rules), where + "rule", "must be [[item.rule]] tables");
      } else {
        int n = 0;
        for (const toml::node& node : *array) {
          ++n;
          ClassificationRule rule;
          ParseRule(*node.as_table(), where + "rule[" + std::to_string(n) + "].", &rule);
          item->rules.push_back(std::move(rule));
        }
      }
    }
  }

  Schedule Parse(const toml::table& root) {
    Schedule schedule;
    schedule.file = file_;
    CheckKeys(root, "", {"format_version", "schedule", "item"});
    const toml::node* version = root.get("format_version");
    if (version == nullptr) {
      Error(1, "format_version", "required key is missing (this is version 1)");
    } else if (auto v = version->value_exact<std::int64_t>(); !v || *v != kScheduleFormatVersion) {
      Error(LineOf(*version), "format_version",
            "unsupported format version (this Sunshine reads version 1)");
    }
    const toml::table* head = root.get_as<toml::table>("schedule");
    if (head == nullptr) {
      Error(1, "schedule", "required [schedule] table is missing");
    } else {
      int line = LineOf(*head);
      CheckKeys(*head, "schedule.",
                {"id", "title", "version", "effective", "authority", "notice", "example"});
      schedule.id = Str(*head, "schedule.", "id", true, line).value_or("");
      schedule.title = Str(*head, "schedule.", "title", true, line).value_or("");
      schedule.version = Str(*head, "schedule.", "version", true, line).value_or("");
      schedule.authority = Str(*head, "schedule.", "authority", false, line).value_or("");
      schedule.notice = Str(*head, "schedule.", "notice", false, line).value_or("");
      schedule.example = Bool(*head, "schedule.", "example").value_or(false);
      if (const toml::node* effective = head->get("effective")) {
        if (auto date = effective->value_exact<toml::date>()) {
          std::ostringstream text;
          text << *date;
          schedule.effective = text.str();
        } else if (auto str = effective->value_exact<std::string>()) {
          if (ParseDate(*str).ok()) {
            schedule.effective = *str;
          } else {
            Error(LineOf(*effective), "schedule.effective", "must be a date YYYY-MM-DD");
          }
        } else {
          Error(LineOf(*effective), "schedule.effective", "must be a date YYYY-MM-DD");
        }
      } else {
        Error(line, "schedule.effective", "required key is missing");
      }
    }
    if (const toml::node* items = root.get("item")) {
      const toml::array* array = items->as_array();
      if (array == nullptr || !array->is_array_of_tables()) {
        Error(LineOf(*items), "item", "must be [[item]] tables");
      } else {
        int n = 0;
        for (const toml::node& node : *array) {
          ++n;
          ScheduleItem item;
          ParseItem(*node.as_table(), "item[" + std::to_string(n) + "].", &item);
          item.schedule_id = schedule.id;
          item.schedule_version = schedule.version;
          item.file = Path(file_).filename().string();
          if (schedule.example) {
            item.example = true;
          }
          schedule.items.push_back(std::move(item));
        }
      }
    }
    if (schedule.items.empty()) {
      Warn(1, "item", "the schedule has no items");
    }
    return schedule;
  }

 private:
  std::string file_;
  std::vector<ScheduleProblem>* problems_;
};

std::string ItemKey(const ScheduleItem& item) { return "item[" + item.id + "]"; }

}  // namespace

std::string ScheduleProblem::ToString() const {
  return file + ":" + std::to_string(line) + ": " + (warning ? "warning: " : "") + key +
         (key.empty() ? "" : ": ") + message;
}

bool ScheduleLoad::ok() const {
  return std::none_of(problems.begin(), problems.end(),
                      [](const ScheduleProblem& p) { return !p.warning; });
}

ScheduleLoad ParseScheduleText(std::string_view text, const std::string& file_name) {
  ScheduleLoad load;
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& error) {
    load.problems.push_back({file_name, static_cast<int>(error.source().begin.line), "",
                             "TOML syntax: " + std::string(error.description()), false});
    return load;
  }
  FileParser parser(file_name, &load.problems);
  load.schedules.push_back(parser.Parse(root));
  return load;
}

void ValidateSchedules(const std::vector<Schedule>& schedules,
                       std::vector<ScheduleProblem>* problems) {
  std::map<std::string, const Schedule*> schedule_ids;
  std::map<std::string, const ScheduleItem*> item_ids;
  std::map<std::string, std::string> item_files;
  struct Placed {
    const ScheduleItem* item;
    const Schedule* schedule;
    int order;
  };
  std::vector<Placed> placed;
  int order = 0;
  for (const Schedule& schedule : schedules) {
    if (!schedule.id.empty()) {
      auto [it, inserted] = schedule_ids.emplace(schedule.id, &schedule);
      if (!inserted) {
        problems->push_back(
            {schedule.file, 1, "schedule.id",
             "duplicate schedule id '" + schedule.id + "' (also in " + it->second->file + ")",
             false});
      }
    }
    for (const ScheduleItem& item : schedule.items) {
      if (!item.id.empty()) {
        auto [it, inserted] = item_ids.emplace(item.id, &item);
        if (!inserted) {
          problems->push_back({schedule.file, item.line, ItemKey(item) + ".id",
                               "duplicate item id '" + item.id + "' (first defined at " +
                                   item_files[item.id] + ":" + std::to_string(it->second->line) +
                                   "); item ids must be unique across all schedules",
                               false});
          continue;
        }
        item_files[item.id] = schedule.file;
      }
      placed.push_back({&item, &schedule, order++});
    }
  }
  for (const Placed& p : placed) {
    const ScheduleItem& item = *p.item;
    if (item.disposition == Disposition::kTransferToFile && !item.transfer_to.empty()) {
      auto it = item_ids.find(item.transfer_to);
      if (it == item_ids.end()) {
        problems->push_back({p.schedule->file, item.line, ItemKey(item) + ".transfer_to",
                             "no item '" + item.transfer_to + "' to transfer to", false});
      } else if (it->second == &item) {
        problems->push_back({p.schedule->file, item.line, ItemKey(item) + ".transfer_to",
                             "an item cannot transfer to itself", false});
      } else if (it->second->disposition == Disposition::kTransferToFile) {
        problems->push_back(
            {p.schedule->file, item.line, ItemKey(item) + ".transfer_to",
             "'" + item.transfer_to + "' is itself transfer-to-file; chains are not allowed",
             false});
      }
    }
  }
  // Unreachable rules: another item's rule matches everything this rule matches and
  // always wins the precedence, so this rule can never classify a record.
  for (const Placed& narrow : placed) {
    for (std::size_t r = 0; r < narrow.item->rules.size(); ++r) {
      const ClassificationRule& rule = narrow.item->rules[r];
      for (const Placed& broad : placed) {
        if (broad.item == narrow.item) {
          continue;
        }
        bool shadowed = false;
        for (const ClassificationRule& other : broad.item->rules) {
          if (RuleCovers(other, rule) &&
              Outranks(other, *broad.item, broad.order, rule, *narrow.item, narrow.order)) {
            problems->push_back(
                {narrow.schedule->file, rule.line,
                 ItemKey(*narrow.item) + ".rule[" + std::to_string(r + 1) + "]",
                 "unreachable rule: item '" + broad.item->id + "' (" + broad.schedule->file + ":" +
                     std::to_string(other.line) +
                     ") has a rule matching every record this one "
                     "matches and wins the precedence (" +
                     (other.Specificity() > rule.Specificity() ? "more specific"
                      : broad.item->retention.RankKey() > narrow.item->retention.RankKey()
                          ? "equally specific, longer retention"
                          : "equally specific, same retention, loaded first") +
                     ")",
                 false});
            shadowed = true;
            break;
          }
        }
        if (shadowed) {
          break;
        }
      }
    }
  }
}

ScheduleLoad LoadScheduleFiles(const std::vector<Path>& files_or_dirs) {
  ScheduleLoad load;
  std::vector<Path> files;
  for (const Path& path : files_or_dirs) {
    boost::system::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<Path> found;
      for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".toml" && fs::is_regular_file(it->path(), ec)) {
          found.push_back(it->path());
        }
      }
      if (ec) {
        load.problems.push_back(
            {path.string(), 0, "", "cannot read folder: " + ec.message(), false});
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        load.problems.push_back(
            {path.string(), 0, "", "no *.toml schedule files in this folder", false});
      }
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      load.problems.push_back({path.string(), 0, "", "no such file or folder", false});
    }
  }
  for (const Path& file : files) {
    std::ifstream in(file.string(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      load.problems.push_back({file.string(), 0, "", "cannot read the file", false});
      continue;
    }
    ScheduleLoad one = ParseScheduleText(text.str(), file.string());
    for (Schedule& schedule : one.schedules) {
      load.schedules.push_back(std::move(schedule));
    }
    load.problems.insert(load.problems.end(), one.problems.begin(), one.problems.end());
  }
  ValidateSchedules(load.schedules, &load.problems);
  return load;
}

Result<ScheduleSet> LoadScheduleSet(const Path& dir) {
  ScheduleLoad load = LoadScheduleFiles({dir});
  if (!load.ok()) {
    std::string message = "the retention schedules in " + dir.string() + " have errors";
    int shown = 0;
    for (const ScheduleProblem& problem : load.problems) {
      if (!problem.warning && shown++ < 5) {
        message += "\n  " + problem.ToString();
      }
    }
    message += "\n(run 'sunshine schedules check' for the full list)";
    return Status::FailedPrecondition(message);
  }
  return ScheduleSet(std::move(load.schedules));
}

}  // namespace sunshine
