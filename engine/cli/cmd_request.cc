// sunshine request open|list|show|extend|status|search|add|remove|estimate|export: Sunshine
// Law requests (RSMo 610.023-610.026) from intake to the disclosure package.
#include <iomanip>
#include <set>
#include <sstream>

#include "engine/audit/audit_log.h"
#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/redact/redactor.h"
#include "engine/requests/business_calendar.h"
#include "engine/requests/request_estimate.h"
#include "engine/requests/request_export.h"
#include "engine/requests/request_fees.h"
#include "engine/requests/request_repository.h"

namespace sunshine {

namespace {

Result<std::int64_t> ParseId(const std::string& text) {
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

// The first positional: the request id.
Result<std::string> RequestId(CommandContext& context) {
  if (context.args.positionals().empty()) {
    return Status::InvalidInput("the request id is missing (e.g. 2026-0001)");
  }
  return context.args.positionals()[0];
}

Result<std::vector<std::int64_t>> RecordIds(const std::vector<std::string>& words) {
  std::vector<std::int64_t> ids;
  for (const std::string& word : words) {
    SUNSHINE_ASSIGN_OR_RETURN(std::int64_t id, ParseId(word));
    ids.push_back(id);
  }
  return ids;
}

void PrintRequest(CommandContext& context, const SunshineRequest& request) {
  SysDays today = context.clock.Today();
  std::ostream& out = context.Out();
  out << "Request " << request.id << "  [" << request.status << "]"
      << (request.Overdue(today) ? "  OVERDUE" : "") << '\n'
      << "  requester:    " << request.requester
      << (request.contact.empty() ? "" : " (" + request.contact + ")") << '\n'
      << "  received:     " << request.received_day << " ("
      << FormatUtc(FromEpoch(request.received_at)) << ")\n"
      << "  description:  " << request.description << '\n'
      << "  format:       " << request.format << '\n'
      << "  due:          " << request.due_date
      << "  (RSMo 610.023.3: end of the third business day after receipt)\n";
  for (const RequestExtension& extension : request.extensions) {
    out << "  extension " << extension.ordinal << ":  available on " << extension.available_on
        << " - " << extension.reason << " (" << extension.actor << ")\n";
  }
  if (!request.status_reason.empty()) {
    out << "  status note:  " << request.status_reason
        << (request.status_provision.empty() ? "" : " [" + request.status_provision + "]") << '\n';
  }
  if (request.withdraw_after) {
    out << "  notice given: " << request.notice_on.value_or("?")
        << "; may be treated as withdrawn after " << *request.withdraw_after << '\n';
  }
  if (request.closed_on) {
    out << "  closed:       " << *request.closed_on << "; holds released "
        << (request.holds_released ? "" : "on ") << request.hold_release_on.value_or("?")
        << (request.holds_released ? " (done)" : "") << '\n';
  }
  out << "  records:      " << request.records.size();
  for (std::size_t i = 0; i < request.records.size() && i < 50; ++i) {
    out << (i == 0 ? "  (" : ", ") << request.records[i];
  }
  out << (request.records.empty() ? "" : request.records.size() > 50 ? ", ...)" : ")") << '\n';
}

// ---- open -------------------------------------------------------------------------------

void OpenOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("requester", "NAME", "who asked (required)"));
  options.addOption(ValueOption("contact", "TEXT", "how to reach them (address, e-mail, phone)"));
  options.addOption(ValueOption("received", "DATETIME",
                                "when the custodian received it (required; local time unless "
                                "an offset is given)"));
  options.addOption(ValueOption("description", "TEXT", "the records asked for (required)"));
  options.addOption(ValueOption("format", "F", "electronic (default) or paper"));
}

int RunOpen(CommandContext& context) {
  for (const char* required : {"requester", "received", "description"}) {
    if (!context.args.Has(required)) {
      return context.UsageError(std::string("request open needs --") + required);
    }
  }
  auto received = ParseDateTime(context.args.Get("received"));
  if (!received.ok()) {
    return context.UsageError("--received: " + received.status().message());
  }
  auto calendar = BusinessCalendar::FromConfig(context.store->config());
  if (!calendar.ok()) {
    return context.Fail(calendar.status());
  }
  NewRequest input;
  input.requester = context.args.Get("requester");
  input.contact = context.args.Get("contact");
  input.received_at = *received;
  input.description = context.args.Get("description");
  input.format = context.args.Get("format", "electronic");
  auto request = InWriteTransaction<SunshineRequest>(context.store->db(), [&]() {
    return RequestRepository::Open(*context.store, context.actor, input, *calendar, context.clock);
  });
  if (!request.ok()) {
    return context.Fail(request.status());
  }
  if (context.global.json) {
    context.Out() << ToJson(RequestToJson(*request, context.clock.Today())) << '\n';
  } else {
    context.Out() << "request " << request->id << " opened; due by the end of " << request->due_date
                  << " (third business day after " << request->received_day
                  << ", RSMo 610.023.3)\n";
  }
  return kExitOk;
}

// ---- list / show ------------------------------------------------------------------------

void ListOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("status", "S", "only requests with this status"));
  options.addOption(FlagOption("open", "only requests not yet closed"));
}

int RunList(CommandContext& context) {
  SysDays today = context.clock.Today();
  auto status_filter = context.args.Optional("status");
  if (status_filter && !IsRequestStatus(*status_filter)) {
    return context.UsageError("unknown --status '" + *status_filter + "'");
  }
  bool only_open = context.args.Has("open");
  JsonArray all = NewJsonArray();
  std::ostringstream table;
  int shown = 0;
  int overdue = 0;
  Status status =
      RequestRepository::List(context.store->db(), today, [&](const SunshineRequest& request) {
        if ((status_filter && request.status != *status_filter) ||
            (only_open && request.closed())) {
          return Status();
        }
        ++shown;
        overdue += request.Overdue(today) ? 1 : 0;
        if (context.global.json) {
          all->add(RequestToJson(request, today));
          return Status();
        }
        std::string due = request.effective_due() + (request.available_on ? " (extended)" : "");
        table << std::left << std::setw(11) << request.id << ' ' << std::setw(23) << request.status
              << ' ' << std::setw(22) << due << ' ' << std::setw(8)
              << (request.Overdue(today) ? "OVERDUE" : "") << ' ' << std::setw(7)
              << request.records.size() << ' ' << request.requester << '\n';
        return Status();
      });
  if (!status.ok()) {
    return context.Fail(status);
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("as_of", FormatDate(today));
    out->set("overdue", overdue);
    out->set("requests", all);
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  if (shown == 0) {
    context.Out() << "no requests\n";
    return kExitOk;
  }
  context.Out() << std::left << std::setw(11) << "ID" << ' ' << std::setw(23) << "STATUS" << ' '
                << std::setw(22) << "DUE" << ' ' << std::setw(8) << "" << ' ' << std::setw(7)
                << "RECORDS" << ' ' << "REQUESTER\n"
                << table.str();
  if (overdue > 0) {
    context.Out() << overdue << " overdue as of " << FormatDate(today) << '\n';
  }
  return kExitOk;
}

int RunShow(CommandContext& context) {
  auto id = RequestId(context);
  if (!id.ok()) {
    return context.UsageError(id.status().message());
  }
  auto request = RequestRepository::Get(context.store->db(), *id);
  if (!request.ok()) {
    return context.Fail(request.status());
  }
  if (context.global.json) {
    context.Out() << ToJson(RequestToJson(*request, context.clock.Today())) << '\n';
  } else {
    PrintRequest(context, *request);
  }
  return kExitOk;
}

// ---- extend / status --------------------------------------------------------------------

void ExtendOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("reason", "TEXT", "detailed explanation of the cause for delay"));
  options.addOption(
      ValueOption("available-on", "DATE", "earliest date the records will be available"));
}

int RunExtend(CommandContext& context) {
  auto id = RequestId(context);
  if (!id.ok()) {
    return context.UsageError(id.status().message());
  }
  if (!context.args.Has("reason") || !context.args.Has("available-on")) {
    return context.UsageError("request extend needs --reason and --available-on (RSMo 610.023.3)");
  }
  auto day = ParseDate(context.args.Get("available-on"));
  if (!day.ok()) {
    return context.UsageError("--available-on: " + day.status().message());
  }
  auto request = InWriteTransaction<SunshineRequest>(context.store->db(), [&]() {
    return RequestRepository::Extend(*context.store, context.actor, *id, context.args.Get("reason"),
                                     *day, context.clock);
  });
  if (!request.ok()) {
    return context.Fail(request.status());
  }
  if (context.global.json) {
    context.Out() << ToJson(RequestToJson(*request, context.clock.Today())) << '\n';
  } else {
    context.Out() << "request " << request->id << ": delay explained; records available on "
                  << *request->available_on << '\n';
  }
  return kExitOk;
}

void StatusOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("reason", "TEXT", "why (required)"));
  options.addOption(ValueOption("provision", "CITATION",
                                "the provision of law relied on (required for denied, "
                                "RSMo 610.023.4)"));
  options.addOption(FlagOption("by-requester", "withdrawn: the requester withdrew it"));
}

int RunStatus(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() != 2) {
    return context.UsageError("usage: request status ID STATUS --reason TEXT");
  }
  auto settings = RequestSettings::FromConfig(context.store->config());
  if (!settings.ok()) {
    return context.Fail(settings.status());
  }
  StatusChange change;
  change.status = words[1];
  change.reason = context.args.Get("reason");
  change.provision = context.args.Get("provision");
  change.by_requester = context.args.Has("by-requester");
  auto request = InWriteTransaction<SunshineRequest>(context.store->db(), [&]() {
    return RequestRepository::SetStatus(*context.store, context.actor, words[0], change, *settings,
                                        context.clock);
  });
  if (!request.ok()) {
    return context.Fail(request.status());
  }
  if (context.global.json) {
    context.Out() << ToJson(RequestToJson(*request, context.clock.Today())) << '\n';
    return kExitOk;
  }
  context.Out() << "request " << request->id << " is now " << request->status << '\n';
  if (request->withdraw_after && request->notice_on == FormatDate(context.clock.Today())) {
    context.Out() << "the notice to the requester must say the request will be treated as "
                     "withdrawn if there is no response by "
                  << *request->withdraw_after << " (RSMo 610.026 as amended in 2025)\n";
  }
  if (request->hold_release_on) {
    context.Out() << "its automatic holds will be released on " << *request->hold_release_on
                  << '\n';
  }
  return kExitOk;
}

// ---- search / add / remove --------------------------------------------------------------

void SearchOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("from", "DATE", "received on or after"));
  options.addOption(ValueOption("to", "DATE", "received before"));
  options.addOption(ValueOption("sender", "ADDR", "from this address"));
  options.addOption(ValueOption("kind", "K", "mail or form"));
  options.addOption(ValueOption("limit", "N", "at most N hits (default 200)"));
  options.addOption(FlagOption("add", "add every hit to the request"));
}

int RunSearch(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() < 2) {
    return context.UsageError("usage: request search ID QUERY [filters]");
  }
  std::string query;
  for (std::size_t i = 1; i < words.size(); ++i) {
    query += (i > 1 ? " " : "") + words[i];
  }
  RecordFilter filter;
  filter.limit = 200;
  if (auto from = context.args.Optional("from")) {
    auto t = ParseDateTime(*from);
    if (!t.ok()) {
      return context.UsageError("--from: " + t.status().message());
    }
    filter.received_from = ToEpoch(*t);
  }
  if (auto to = context.args.Optional("to")) {
    auto t = ParseDateTime(*to);
    if (!t.ok()) {
      return context.UsageError("--to: " + t.status().message());
    }
    filter.received_to = ToEpoch(*t);
  }
  filter.sender = context.args.Optional("sender");
  if (auto kind = context.args.Optional("kind")) {
    filter.kind = ParseRecordKind(*kind);
    if (!filter.kind) {
      return context.UsageError("--kind must be mail or form");
    }
  }
  if (auto limit = context.args.Optional("limit")) {
    auto n = ParseId(*limit);
    if (!n.ok()) {
      return context.UsageError("--limit needs a positive number");
    }
    filter.limit = *n;
  }
  Store& store = *context.store;
  auto searched = RequestRepository::Search(store, context.actor, words[0], query, filter,
                                            context.args.Has("add"));
  if (!searched.ok()) {
    return context.Fail(searched.status());
  }
  const std::vector<Record>& hits = searched->hits;
  const SunshineRequest& request = searched->request;
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("request", request.id);
    out->set("query", query);
    JsonArray array = NewJsonArray();
    for (const Record& record : hits) {
      JsonObject item = NewJsonObject();
      item->set("id", record.id);
      item->set("kind", std::string(RecordKindName(record.kind)));
      item->set("received_at",
                record.received_at ? FormatUtc(FromEpoch(*record.received_at)) : std::string());
      item->set("sender", record.sender);
      item->set("title", record.title);
      item->set("in_request", std::find(request.records.begin(), request.records.end(),
                                        record.id) != request.records.end());
      array->add(item);
    }
    out->set("hits", array);
    out->set("added", searched->added);
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  for (const Record& record : hits) {
    bool in = std::find(request.records.begin(), request.records.end(), record.id) !=
              request.records.end();
    context.Out() << (in ? "* " : "  ") << std::left << std::setw(7) << record.id << ' '
                  << std::setw(5) << RecordKindName(record.kind) << ' ' << std::setw(21)
                  << (record.received_at ? FormatUtc(FromEpoch(*record.received_at)) : "-") << ' '
                  << std::setw(30) << record.sender << ' ' << record.title << '\n';
  }
  context.Out() << hits.size() << " hit(s)";
  if (context.args.Has("add")) {
    context.Out() << ", " << searched->added << " added to request " << request.id;
  } else if (!hits.empty()) {
    context.Out() << "; '*' marks records already in the request; add with 'sunshine request add "
                  << request.id << " ID...'";
  }
  context.Out() << '\n';
  return kExitOk;
}

int RunAdd(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() < 2) {
    return context.UsageError("usage: request add ID RECORD...");
  }
  auto ids = RecordIds({words.begin() + 1, words.end()});
  if (!ids.ok()) {
    return context.UsageError(ids.status().message());
  }
  auto added = InWriteTransaction<int>(context.store->db(), [&]() {
    return RequestRepository::AddRecords(*context.store, context.actor, words[0], *ids);
  });
  if (!added.ok()) {
    return context.Fail(added.status());
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("request", words[0]);
    out->set("added", *added);
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << *added << " record(s) added to request " << words[0]
                  << " and put under its automatic hold\n";
  }
  return kExitOk;
}

void RemoveOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("reason", "TEXT", "why the records are not responsive (required)"));
}

int RunRemove(CommandContext& context) {
  const auto& words = context.args.positionals();
  if (words.size() < 2) {
    return context.UsageError("usage: request remove ID RECORD... --reason TEXT");
  }
  auto ids = RecordIds({words.begin() + 1, words.end()});
  if (!ids.ok()) {
    return context.UsageError(ids.status().message());
  }
  auto removed = InWriteTransaction<int>(context.store->db(), [&]() {
    return RequestRepository::RemoveRecords(*context.store, context.actor, words[0], *ids,
                                            context.args.Get("reason"));
  });
  if (!removed.ok()) {
    return context.Fail(removed.status());
  }
  context.Out() << *removed << " record(s) removed from request " << words[0] << '\n';
  return kExitOk;
}

// ---- estimate ---------------------------------------------------------------------------

void EstimateOptions(Poco::Util::OptionSet& options) {
  options.addOption(
      ValueOption("pages", "N", "pages to copy (default: estimated from the records)"));
  options.addOption(ValueOption("clerical-hours", "H",
                                "duplication time (default: requests.clerical_minutes_per_record "
                                "per record)"));
  options.addOption(ValueOption("research-hours", "H", "search and review time (default 0)"));
  options.addOption(
      ValueOption("ssn-redactions", "N", "SSNs to redact (default: counted by the redactor)"));
  options.addOption(ValueOption("waive", "REASON", "public-interest waiver (RSMo 610.026)"));
  options.addOption(ValueOption("waive-percent", "P", "share waived (default 100)"));
}

int RunEstimate(CommandContext& context) {
  auto id = RequestId(context);
  if (!id.ok()) {
    return context.UsageError(id.status().message());
  }
  Store& store = *context.store;
  auto request = RequestRepository::Get(store.db(), *id);
  if (!request.ok()) {
    return context.Fail(request.status());
  }
  EstimateOverrides overrides;
  for (auto [option, field] : {std::pair{"pages", &overrides.pages},
                               std::pair{"clerical-hours", &overrides.clerical_hours},
                               std::pair{"research-hours", &overrides.research_hours},
                               std::pair{"ssn-redactions", &overrides.ssn_redactions},
                               std::pair{"waive-percent", &overrides.waiver_percent}}) {
    if (auto text = context.args.Optional(option)) {
      auto value = ParseEstimateQuantity(std::string("--") + option, *text);
      if (!value.ok()) {
        return context.UsageError(value.status().message());
      }
      *field = *value;
    }
  }
  overrides.waiver_reason = context.args.Optional("waive");
  auto rates = FeeRates::FromConfig(store.config());
  if (!rates.ok()) {
    return context.Fail(rates.status());
  }
  auto inputs = RequestFeeInputs(store, *request, overrides);
  if (!inputs.ok()) {
    return context.Fail(inputs.status());
  }
  auto estimate = EstimateFees(*rates, *inputs);
  if (!estimate.ok()) {
    return context.UsageError(estimate.status().message());
  }
  auto json = InWriteTransaction<JsonObject>(store.db(), [&]() {
    return RecordRequestEstimate(store, context.actor, *request, *estimate);
  });
  if (!json.ok()) {
    return context.Fail(json.status());
  }
  if (context.global.json) {
    context.Out() << ToJson(*json) << '\n';
    return kExitOk;
  }
  context.Out() << "Fee estimate for request " << request->id << " (" << request->format
                << ", RSMo 610.026)\n";
  for (const FeeLine& line : estimate->lines) {
    context.Out() << "  " << std::left << std::setw(40) << line.item << std::setw(26)
                  << line.quantity << std::right << std::setw(12) << FormatCents(line.amount_cents)
                  << "\n      " << line.basis << '\n';
  }
  if (estimate->lines.empty()) {
    context.Out() << "  no chargeable items\n";
  }
  context.Out() << "  " << std::left << std::setw(66) << "Subtotal" << std::right << std::setw(12)
                << FormatCents(estimate->subtotal_cents) << '\n';
  if (estimate->waiver_reason) {
    context.Out() << "  " << std::left << std::setw(66) << "Waived: " + *estimate->waiver_reason
                  << std::right << std::setw(12) << FormatCents(-estimate->waived_cents) << '\n';
  }
  context.Out() << "  " << std::left << std::setw(66) << "Total" << std::right << std::setw(12)
                << FormatCents(estimate->total_cents) << '\n';
  return kExitOk;
}

// ---- export -----------------------------------------------------------------------------

void ExportOptions(Poco::Util::OptionSet& options) {
  options.addOption(
      ValueOption("out", "DIR", "where to publish the package (default HOME/output/packages)"));
  options.addOption(ValueOption("audit-excerpt", "full|summary",
                                "summary: the audit excerpt without event details (default full)"));
}

int PrintPackageOutcome(CommandContext& context, const ExportOutcome& outcome) {
  const PublishedPackage& package = outcome.package;
  if (!package.published) {
    for (const LeakHit& hit : package.leaks) {
      context.Err() << "sunshine: leak gate: " << hit.Describe() << '\n';
    }
    context.Err() << "sunshine: error: the package was NOT published: " << package.leaks.size()
                  << " place(s) still hold a redacted value; fix the redactions "
                     "('sunshine redact show|add') and export again\n";
    if (context.global.json) {
      JsonObject out = NewJsonObject();
      out->set("published", false);
      JsonArray leaks = NewJsonArray();
      for (const LeakHit& hit : package.leaks) {
        JsonObject item = NewJsonObject();
        item->set("entry", hit.entry);
        item->set("where", hit.where);
        item->set("record", hit.record_id);
        item->set("category", hit.category);
        leaks->add(item);
      }
      out->set("leaks", leaks);
      context.Out() << ToJson(out) << '\n';
    }
    return kExitProblems;
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("published", true);
    out->set("package", package.zip.string());
    out->set("sha256", package.sha256);
    out->set("bytes", package.bytes);
    out->set("pages", package.pages);
    out->set("disclosure", outcome.disclosure_id);
    JsonArray records = NewJsonArray();
    for (const RecordProduction& production : package.productions) {
      JsonObject item = NewJsonObject();
      item->set("record", production.record_id);
      item->set("begin", production.begin);
      item->set("end", production.end);
      item->set("pages", production.pages);
      item->set("redactions", production.redactions);
      records->add(item);
    }
    out->set("records", records);
    out->set("withheld", static_cast<std::int64_t>(package.withheld.size()));
    context.Out() << ToJson(out) << '\n';
    return kExitOk;
  }
  context.Out() << "published " << package.zip.string() << '\n'
                << "  " << package.productions.size() << " record(s), " << package.pages
                << " page(s)";
  if (!package.productions.empty()) {
    context.Out() << " (" << package.productions.front().begin << " to "
                  << package.productions.back().end << ")";
  }
  context.Out() << ", " << package.withheld.size() << " item(s) withheld\n"
                << "  sha256 " << package.sha256 << "\n  leak gate: no redacted value found\n";
  return kExitOk;
}

int RunExport(CommandContext& context) {
  auto id = RequestId(context);
  if (!id.ok()) {
    return context.UsageError(id.status().message());
  }
  Path out =
      context.args.Has("out") ? Path(context.args.Get("out")) : DefaultPackageDir(*context.store);
  std::string excerpt = context.args.Get("audit-excerpt", "full");
  if (excerpt != "full" && excerpt != "summary") {
    return context.UsageError("--audit-excerpt must be full or summary");
  }
  auto outcome =
      ExportRequest(*context.store, context.clock, context.actor, *id, out, excerpt == "full");
  if (!outcome.ok()) {
    return context.Fail(outcome.status());
  }
  return PrintPackageOutcome(context, *outcome);
}

}  // namespace

int PrintDisclosurePackageOutcome(CommandContext& context, const ExportOutcome& outcome) {
  return PrintPackageOutcome(context, outcome);
}

std::vector<CommandSpec> RequestCommands() {
  return {
      {"request open", "log a Sunshine Law request and get its due date",
       "--requester NAME [--contact TEXT] --received DATETIME --description TEXT "
       "[--format electronic|paper] [--json]",
       "Gives the request an id (YEAR-NNNN) and its due date: the end of the third business\n"
       "day after the day it was received (RSMo 610.023.3), skipping weekends, the RSMo 9.010\n"
       "holidays (a Sunday holiday is observed on Monday; Juneteenth from 2022) and the\n"
       "closure days in requests.closure_days. Audited as request.open.",
       StoreAccess::kReadWrite, OpenOptions, RunOpen},
      {"request list", "requests with status and due date, overdue first",
       "[--status S] [--open] [--json]",
       "Overdue requests (open and past their due date, or past the date given in an\n"
       "extension) come first, then by due date. Requests waiting on the requester (payment,\n"
       "clarification) are never overdue.",
       StoreAccess::kReadOnly, ListOptions, RunList},
      {"request show", "one request with its extensions, status and records", "ID [--json]", "",
       StoreAccess::kReadOnly, nullptr, RunShow},
      {"request extend", "record a delay with its cause and the date records will be available",
       "ID --reason TEXT --available-on DATE [--json]",
       "RSMo 610.023.3: when access is not granted at once, the custodian gives a detailed\n"
       "explanation of the cause for further delay and the earliest date the records will be\n"
       "available. The request is then overdue only after that date.",
       StoreAccess::kReadWrite, ExtendOptions, RunExtend},
      {"request status", "change a request's status, with a reason",
       "ID STATUS --reason TEXT [--provision CITATION] [--by-requester] [--json]",
       "STATUS is one of open, awaiting-clarification, awaiting-payment, fulfilled,\n"
       "partially-fulfilled, denied, withdrawn. denied needs --provision citing the provision\n"
       "of law relied on (RSMo 610.023.4). awaiting-payment and awaiting-clarification record\n"
       "the notice: the request may be treated as withdrawn 90 days later (150 when the latest\n"
       "fee estimate exceeds $1,000; RSMo 610.026 as amended in 2025), and 'withdrawn' is\n"
       "refused before then unless --by-requester. Closing statuses set the day the request's\n"
       "automatic holds are released (requests.hold_release_days later; the nightly run\n"
       "releases them).",
       StoreAccess::kReadWrite, StatusOptions, RunStatus},
      {"request search", "full-text search for records responsive to a request",
       "ID QUERY... [--from DATE] [--to DATE] [--sender ADDR] [--kind mail|form] [--limit N] "
       "[--add] [--json]",
       "QUERY uses FTS5 syntax (words, \"phrases\", AND, OR, NOT, prefix*). Hits already in\n"
       "the request are marked '*'. --add adds every hit. The search is audited.",
       StoreAccess::kReadWrite, SearchOptions, RunSearch},
      {"request add", "add records to the responsive set (and hold them)", "ID RECORD... [--json]",
       "Each record is put under the request's automatic hold at once: no destruction after\n"
       "a request is received (610.027.1 once a suit is served).",
       StoreAccess::kReadWrite, nullptr, RunAdd},
      {"request remove", "take records out of the responsive set", "ID RECORD... --reason TEXT",
       "Their request hold is released (other holds stay).", StoreAccess::kReadWrite, RemoveOptions,
       RunRemove},
      {"request estimate", "fee estimate with line items under RSMo 610.026",
       "ID [--pages N] [--clerical-hours H] [--research-hours H] [--ssn-redactions N] "
       "[--waive REASON [--waive-percent P]] [--json]",
       "Paper copies at requests.copy_cents_per_page (at most $0.10), duplication time at\n"
       "requests.clerical_hourly_rate, research time at requests.research_hourly_rate (actual\n"
       "cost), SSN redaction time (requests.ssn_redaction_minutes each, chargeable under RSMo\n"
       "610.035). Electronic requests pay no per-page copies. The estimate is stored (the\n"
       "cover letter quotes the latest) and audited.",
       StoreAccess::kReadWrite, EstimateOptions, RunEstimate},
      {"request export", "build and publish the disclosure package",
       "ID [--out DIR] [--audit-excerpt full|summary] [--json]",
       "Writes REQUEST-ID-N.zip: a BagIt bag (docs/formats/disclosure-package.md) with each\n"
       "responsive record redacted as PDF and text, index, redaction and withheld logs, cover\n"
       "letter and audit excerpt. The ZIP is built aside and renamed into place only after the\n"
       "leak gate found no redacted value anywhere in it; otherwise nothing is published and\n"
       "the exit status is 1. Recorded in the disclosure accounting and audited.\n"
       "--audit-excerpt summary leaves out each event's details (for when an officer's note\n"
       "in the trail repeats a redacted value; the trail itself can never be edited).",
       StoreAccess::kReadWrite, ExportOptions, RunExport},
  };
}

}  // namespace sunshine
