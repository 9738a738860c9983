#include "engine/requests/request_export.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/sha256.h"
#include "engine/core/time_format.h"
#include "engine/redact/redactor.h"
#include "engine/requests/request_fees.h"
#include "engine/requests/request_repository.h"
#include "importers/forms/form_definition.h"

namespace sunshine {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// "Department of Revenue" -> "department-of-revenue", for package names.
std::string Slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') {
    out.pop_back();
  }
  return out.empty() ? "agency" : out.substr(0, 40);
}

struct Office {
  std::string name;
  std::string prefix;
};

Result<Office> ReadOffice(const Config& config) {
  Office office;
  SUNSHINE_ASSIGN_OR_RETURN(office.name, config.String("office.name", "Office"));
  SUNSHINE_ASSIGN_OR_RETURN(office.prefix, config.String("office.production_prefix", "SOS"));
  return office;
}

// Full events (re-verifiable with docs/formats/audit-chain.md), or without their details when
// an officer's note in them would trip the leak gate (the trail itself can never be edited).
Result<std::string> AuditExcerpt(Database& db, const std::string& object, bool details = true) {
  AuditFilter filter;
  filter.object = object;
  std::string out;
  SUNSHINE_RETURN_IF_ERROR(AuditLog::List(db, filter, [&](const AuditEvent& event) {
    if (details) {
      out += AuditEventToJson(event) + "\n";
      return Status();
    }
    JsonObject line = NewJsonObject();
    line->set("seq", event.seq);
    line->set("at", event.at);
    line->set("actor", event.actor);
    line->set("action", event.action);
    line->set("object", event.object);
    line->set("details_withheld", true);
    line->set("hash", event.hash);
    out += ToJson(line) + "\n";
    return Status();
  }));
  return out;
}

// Redacts every record (computing and storing automatic results first, so what is exported
// is what a reviewer can see with `redact show`) and adds it to the package.
Status AddRedacted(Store& store, std::string_view actor, const std::vector<std::int64_t>& ids,
                   DisclosurePackage& package) {
  SUNSHINE_ASSIGN_OR_RETURN(Redactor redactor, Redactor::Create(store));
  for (std::int64_t id : ids) {
    {
      SUNSHINE_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(store.db()));
      SUNSHINE_ASSIGN_OR_RETURN(bool computed, redactor.EnsureResults(store, actor, id));
      (void)computed;
      SUNSHINE_RETURN_IF_ERROR(transaction->Commit());
    }
    SUNSHINE_ASSIGN_OR_RETURN(RedactionOutput output, redactor.Redact(store, id));
    SUNSHINE_RETURN_IF_ERROR(
        package.Add(output.record, output.leak_check).WithContext("record " + std::to_string(id)));
  }
  return Status();
}

Result<std::int64_t> RecordDisclosure(
    Store& store, std::string_view actor, std::string_view kind, const std::string& request_id,
    const std::string& recipient, const std::string& reason, const PublishedPackage& package,
    const std::vector<std::pair<std::int64_t, std::string>>& bases, std::string_view action,
    const std::string& object) {
  Database& db = store.db();
  std::int64_t now = ToEpoch(Clock::WallNow());
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("INSERT INTO disclosures (kind, request_id, recipient, reason, actor, at, package, "
              "package_sha256, records) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
              {std::string(kind), request_id.empty() ? SqlValue() : SqlValue(request_id), recipient,
               reason, std::string(actor), now, package.zip.filename().string(), package.sha256,
               static_cast<std::int64_t>(package.productions.size())}));
  SUNSHINE_ASSIGN_OR_RETURN(std::optional<std::int64_t> id,
                            db.QueryInt("SELECT max(id) FROM disclosures"));
  JsonArray records = NewJsonArray();
  for (const RecordProduction& production : package.productions) {
    std::string basis;
    for (const auto& [record_id, text] : bases) {
      if (record_id == production.record_id) {
        basis = text;
      }
    }
    std::string range = production.begin + " - " + production.end;
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("INSERT INTO disclosure_records (disclosure_id, record_id, production, basis) "
                "VALUES ($1, $2, $3, $4)",
                {*id, production.record_id, range, basis}));
    JsonObject item = NewJsonObject();
    item->set("record", production.record_id);
    item->set("production", range);
    if (!basis.empty()) {
      item->set("basis", basis);
    }
    records->add(item);
  }
  JsonObject details = NewJsonObject();
  details->set("disclosure", *id);
  details->set("recipient", recipient);
  if (!reason.empty()) {
    details->set("reason", reason);
  }
  details->set("package", package.zip.filename().string());
  details->set("sha256", package.sha256);
  details->set("pages", package.pages);
  details->set("withheld", static_cast<std::int64_t>(package.withheld.size()));
  details->set("records", records);
  SUNSHINE_ASSIGN_OR_RETURN(std::int64_t seq,
                            AuditLog::Append(db, actor, action, object, ToJson(details)));
  (void)seq;
  return *id;
}

Status AuditRefusal(Store& store, std::string_view actor, std::string_view action,
                    const std::string& object, const PublishedPackage& package) {
  SUNSHINE_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(store.db()));
  JsonObject details = NewJsonObject();
  JsonArray hits = NewJsonArray();
  for (const LeakHit& hit : package.leaks) {
    hits->add(hit.Describe());  // never the value
  }
  details->set("leaks", hits);
  SUNSHINE_ASSIGN_OR_RETURN(std::int64_t seq,
                            AuditLog::Append(store.db(), actor, action, object, ToJson(details)));
  (void)seq;
  return transaction->Commit();
}

// A package file with no disclosure row naming it was published by an export killed before
// its accounting committed (the file is renamed into place first). Package names count the
// accounted disclosures, so the rerun builds the same name: the leftover is removed, with an
// audit event carrying its hash, and the rerun publishes and accounts it afresh.
Status RemoveUnaccountedPackage(Store& store, std::string_view actor, const Path& zip,
                                std::string_view action, const std::string& object) {
  if (!boost::filesystem::exists(zip)) {
    return {};
  }
  bool unaccounted = false;
  // The event commits before the file goes, so a removal is never unrecorded (a crash in
  // between records it twice, which is what happened).
  SUNSHINE_RETURN_IF_ERROR(WithWriteTransaction(store.db(), [&]() -> Status {
    SUNSHINE_ASSIGN_OR_RETURN(
        std::optional<std::int64_t> accounted,
        store.db().QueryInt("SELECT count(*) FROM disclosures WHERE package = $1",
                            {zip.filename().string()}));
    if (accounted.value_or(0) > 0) {
      return Status();  // a real earlier package: Publish refuses to overwrite it
    }
    unaccounted = true;
    SUNSHINE_ASSIGN_OR_RETURN(std::string sha256, Sha256File(zip));
    JsonObject details = NewJsonObject();
    details->set("package", zip.filename().string());
    details->set("sha256", sha256);
    details->set("reason", "published by an interrupted export whose accounting never committed");
    SUNSHINE_ASSIGN_OR_RETURN(
        std::int64_t seq,
        AuditLog::Append(store.db(), actor, std::string(action) + "-unaccounted-removed", object,
                         ToJson(details)));
    (void)seq;
    return Status();
  }));
  if (unaccounted) {
    boost::system::error_code error;
    boost::filesystem::remove(zip, error);
    if (error) {
      return Status::IoError("cannot remove unaccounted package " + zip.string() + ": " +
                             error.message());
    }
  }
  return Status();
}

// Publishes the package, then writes the accounting; if that fails, the file is removed again
// so that no package exists without its accounting.
Result<ExportOutcome> PublishAndAccount(
    Store& store, std::string_view actor, DisclosurePackage& package, const Path& out_dir,
    std::string_view kind, const std::string& request_id, const std::string& recipient,
    const std::string& reason, const std::vector<std::pair<std::int64_t, std::string>>& bases,
    std::string_view action, const std::string& object) {
  ExportOutcome outcome;
  SUNSHINE_RETURN_IF_ERROR(
      RemoveUnaccountedPackage(store, actor, out_dir / (package.name() + ".zip"), action, object));
  SUNSHINE_ASSIGN_OR_RETURN(outcome.package, package.Publish(out_dir));
  if (!outcome.package.published) {
    SUNSHINE_RETURN_IF_ERROR(
        AuditRefusal(store, actor, std::string(action) + "-refused", object, outcome.package));
    return outcome;
  }
  auto undo = [&] {
    boost::system::error_code ignored;
    boost::filesystem::remove(outcome.package.zip, ignored);
  };
  auto transaction = Transaction::Begin(store.db());
  if (!transaction.ok()) {
    undo();
    return transaction.status();
  }
  auto id = RecordDisclosure(store, actor, kind, request_id, recipient, reason, outcome.package,
                             bases, action, object);
  if (!id.ok()) {
    undo();
    return id.status();
  }
  Status committed = (*transaction)->Commit();
  if (!committed.ok()) {
    undo();
    return committed;
  }
  outcome.disclosure_id = *id;
  return outcome;
}

}  // namespace

Path DefaultPackageDir(const Store& store) { return store.home().output_dir() / "packages"; }

Result<ExportOutcome> ExportRequest(Store& store, const Clock& clock, std::string_view actor,
                                    std::string_view request_id, const Path& out_dir,
                                    bool audit_details) {
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(SunshineRequest request, RequestRepository::Get(db, request_id));
  if (request.records.empty()) {
    return Status::FailedPrecondition("request " + request.id +
                                      " has no responsive records (use 'sunshine request add')");
  }
  SUNSHINE_ASSIGN_OR_RETURN(Office office, ReadOffice(store.config()));
  SUNSHINE_ASSIGN_OR_RETURN(std::optional<std::int64_t> previous,
                            db.QueryInt("SELECT count(*) FROM disclosures WHERE request_id = $1 "
                                        "AND kind = 'request'",
                                        {request.id}));
  std::string today = FormatDate(clock.Today());
  PackageMetadata metadata;
  metadata.name = "request-" + request.id + "-" + std::to_string(previous.value_or(0) + 1);
  metadata.office_name = office.name;
  metadata.production_prefix = office.prefix;
  metadata.bagging_date = today;
  metadata.created = today + "T00:00:00";
  metadata.footer = "Request " + request.id;
  metadata.info = {{"External-Description",
                    "Records released in response to Sunshine Law "
                    "request " +
                        request.id + " (RSMo chapter 610)"},
                   {"Sunshine-Request-Id", request.id},
                   {"Sunshine-Requester", request.requester},
                   {"Sunshine-Request-Received", request.received_day},
                   {"Sunshine-Request-Due", request.due_date},
                   {"Sunshine-Request-Format", request.format},
                   {"Sunshine-Request-Status", request.status}};
  if (request.available_on) {
    metadata.info.push_back({"Sunshine-Request-Available-On", *request.available_on});
  }
  metadata.recipient_own_values = {request.requester, request.contact};
  DisclosurePackage package(metadata);
  SUNSHINE_RETURN_IF_ERROR(AddRedacted(store, actor, request.records, package));

  std::vector<std::string> opening = {
      office.name + "\n" + today,
      "To: " + request.requester + (request.contact.empty() ? "" : " (" + request.contact + ")"),
      "Re: Sunshine Law request " + request.id + ", received " + request.received_day + ": \"" +
          request.description + "\"",
      "Under RSMo 610.023.3 a response was due by the end of " + request.due_date + "."};
  for (const RequestExtension& extension : request.extensions) {
    opening.push_back("On " + FormatDate(DayOf(FromEpoch(extension.recorded_at))) +
                      " we explained a delay: " + extension.reason +
                      ". The records were to be available on " + extension.available_on + ".");
  }
  std::optional<std::string> fees;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT details FROM request_estimates WHERE request_id = $1 ORDER BY id DESC LIMIT 1",
      {request.id}, [&](const Row& row) {
        fees = row.Text(0);
        return Status();
      }));
  std::vector<std::string> closing;
  if (fees) {
    auto parsed = ParseJsonObject(*fees);
    if (parsed.ok()) {
      std::string text = "Fees (RSMo 610.026):";
      JsonArray lines = (*parsed)->getArray("lines");
      for (std::size_t i = 0; lines && i < lines->size(); ++i) {
        JsonObject line = lines->getObject(static_cast<unsigned>(i));
        text += "\n  " + line->getValue<std::string>("item") + ", " +
                line->getValue<std::string>("quantity") + ": " +
                line->getValue<std::string>("amount");
      }
      if ((*parsed)->has("waiver_reason")) {
        text += "\n  Waived: " + FormatCents((*parsed)->getValue<std::int64_t>("waived_cents")) +
                " (" + (*parsed)->getValue<std::string>("waiver_reason") + ")";
      }
      text += "\n  Total: " + (*parsed)->getValue<std::string>("total");
      closing.push_back(text);
    }
  } else {
    closing.push_back("Fees (RSMo 610.026): none charged.");
  }
  closing.push_back("Custodian of records, " + office.name);
  package.SetCoverLetter(opening, closing);
  SUNSHINE_ASSIGN_OR_RETURN(std::string excerpt,
                            AuditExcerpt(db, RequestObject(request.id), audit_details));
  package.SetAuditExcerpt(excerpt);
  return PublishAndAccount(store, actor, package, out_dir, "request", request.id, request.requester,
                           "", {}, "request.export", RequestObject(request.id));
}

Result<std::vector<ShareDecision>> DecideSharing(Store& store, std::string_view agency,
                                                 const std::vector<std::int64_t>& record_ids) {
  Database& db = store.db();
  std::string wanted = Lower(agency);
  std::optional<FormCatalog> catalog;
  std::string catalog_problem;
  {
    auto folder = FormDefinitionsFolder(store.config(), store.home(), std::nullopt);
    if (folder.ok()) {
      std::vector<std::string> errors;
      auto loaded = FormCatalog::LoadFolder(*folder, &errors);
      if (loaded.ok()) {
        catalog = std::move(*loaded);
      } else {
        catalog_problem = loaded.status().message();
      }
    } else {
      catalog_problem = folder.status().message();
    }
  }
  std::vector<ShareDecision> decisions;
  for (std::int64_t id : record_ids) {
    ShareDecision decision;
    decision.record_id = id;
    SUNSHINE_ASSIGN_OR_RETURN(std::optional<std::string> status,
                              db.QueryText("SELECT status FROM records WHERE id = $1", {id}));
    if (!status) {
      return Status::NotFound("no record " + std::to_string(id));
    }
    if (*status != "active") {
      decision.basis = "record is " + *status;
      decisions.push_back(decision);
      continue;
    }
    std::optional<std::string> determination;
    SUNSHINE_RETURN_IF_ERROR(
        db.Query("SELECT actor, reason FROM share_determinations WHERE record_id = $1 AND "
                 "lower(agency) = $2",
                 {id, wanted}, [&](const Row& row) {
                   determination = "determination by " + row.Text(0) + ": " + row.Text(1);
                   return Status();
                 }));
    SUNSHINE_ASSIGN_OR_RETURN(std::optional<std::string> form_id,
                              db.QueryText("SELECT form_id FROM records WHERE id = $1", {id}));
    if (form_id && !form_id->empty() && catalog) {
      if (const FormDefinition* form = catalog->Find(*form_id)) {
        for (const std::string& listed : form->agencies) {
          if (Lower(listed) == wanted) {
            decision.allowed = true;
            decision.basis = "form " + *form_id + " lists " + listed + " (" + form->source + ")";
          }
        }
      }
    }
    if (!decision.allowed && determination) {
      decision.allowed = true;
      decision.basis = *determination;
    }
    if (!decision.allowed) {
      if (form_id && !form_id->empty()) {
        decision.basis =
            "form " + *form_id + " does not list " + std::string(agency) +
            (catalog ? "" : " (form definitions unavailable: " + catalog_problem + ")") +
            " and no determination is recorded";
      } else {
        decision.basis = "not a form submission for " + std::string(agency) +
                         " and no determination is recorded ('sunshine share determine')";
      }
    }
    decisions.push_back(decision);
  }
  return decisions;
}

Status RecordShareDetermination(Store& store, std::string_view actor, std::int64_t record_id,
                                std::string_view agency, std::string_view reason) {
  Database& db = store.db();
  if (agency.find_first_not_of(" \t") == std::string_view::npos) {
    return Status::InvalidInput("--agency must name the agency");
  }
  if (reason.find_first_not_of(" \t") == std::string_view::npos) {
    return Status::InvalidInput("--reason must say why the inquiry relates to the agency");
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::optional<std::int64_t> exists,
                            db.QueryInt("SELECT id FROM records WHERE id = $1", {record_id}));
  if (!exists) {
    return Status::NotFound("no record " + std::to_string(record_id));
  }
  std::int64_t now = ToEpoch(Clock::WallNow());
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("INSERT INTO share_determinations (record_id, agency, reason, actor, at) "
              "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (record_id, agency) DO UPDATE SET "
              "reason = excluded.reason, actor = excluded.actor, at = excluded.at",
              {record_id, std::string(agency), std::string(reason), std::string(actor), now}));
  JsonObject details = NewJsonObject();
  details->set("agency", std::string(agency));
  details->set("reason", std::string(reason));
  SUNSHINE_ASSIGN_OR_RETURN(
      std::int64_t seq, AuditLog::Append(db, actor, "share.determine",
                                         "record:" + std::to_string(record_id), ToJson(details)));
  (void)seq;
  return Status();
}

Result<ExportOutcome> ShareWithAgency(Store& store, const Clock& clock, std::string_view actor,
                                      std::string_view agency, std::string_view reason,
                                      const std::optional<std::string>& request_id,
                                      const std::vector<std::int64_t>& record_ids,
                                      const Path& out_dir, std::vector<ShareDecision>* decisions) {
  if (reason.find_first_not_of(" \t") == std::string_view::npos) {
    return Status::InvalidInput("--reason must say why the agency receives these records");
  }
  std::vector<std::int64_t> ids = record_ids;
  if (request_id) {
    SUNSHINE_ASSIGN_OR_RETURN(SunshineRequest request,
                              RequestRepository::Get(store.db(), *request_id));
    ids.insert(ids.end(), request.records.begin(), request.records.end());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) {
    return Status::InvalidInput("nothing to share: give --record ID or a --request with records");
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<ShareDecision> decided, DecideSharing(store, agency, ids));
  if (decisions != nullptr) {
    *decisions = decided;
  }
  std::vector<std::int64_t> allowed;
  std::vector<std::pair<std::int64_t, std::string>> bases;
  for (const ShareDecision& decision : decided) {
    if (decision.allowed) {
      allowed.push_back(decision.record_id);
      bases.emplace_back(decision.record_id, decision.basis);
    }
  }
  if (allowed.empty()) {
    return Status::FailedPrecondition("no record relates to " + std::string(agency) +
                                      "; nothing was shared");
  }
  SUNSHINE_ASSIGN_OR_RETURN(Office office, ReadOffice(store.config()));
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(std::optional<std::int64_t> count,
                            db.QueryInt("SELECT count(*) FROM disclosures"));
  std::string today = FormatDate(clock.Today());
  PackageMetadata metadata;
  metadata.name =
      "share-" + Slug(agency) + "-" + today + "-" + std::to_string(count.value_or(0) + 1);
  metadata.office_name = office.name;
  metadata.production_prefix = office.prefix;
  metadata.bagging_date = today;
  metadata.created = today + "T00:00:00";
  metadata.footer = "Shared with " + std::string(agency);
  metadata.info = {{"External-Description",
                    "Records shared with " + std::string(agency) + ": " + std::string(reason)},
                   {"Sunshine-Recipient-Agency", std::string(agency)}};
  if (request_id) {
    metadata.info.push_back({"Sunshine-Request-Id", *request_id});
  }
  DisclosurePackage package(metadata);
  SUNSHINE_RETURN_IF_ERROR(AddRedacted(store, actor, allowed, package));
  std::vector<std::string> opening = {
      office.name + "\n" + today, "To: " + std::string(agency), "Purpose: " + std::string(reason),
      "These records are shared because each relates to an inquiry concerning your agency "
      "(the form's stated agencies or a recorded determination). Personal data closed by law "
      "remains redacted."};
  package.SetCoverLetter(opening, {"Custodian of records, " + office.name});
  std::string excerpt;
  for (std::int64_t id : allowed) {
    SUNSHINE_ASSIGN_OR_RETURN(std::string part, AuditExcerpt(db, "record:" + std::to_string(id)));
    // Only the sharing-related events of each record: determinations.
    std::istringstream lines(part);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.find("\"share.") != std::string::npos) {
        excerpt += line + "\n";
      }
    }
  }
  package.SetAuditExcerpt(excerpt);
  std::string object = "agency:" + Slug(agency);
  return PublishAndAccount(store, actor, package, out_dir, "share", request_id.value_or(""),
                           std::string(agency), std::string(reason), bases, "share.record", object);
}

Status ListDisclosures(Database& db, std::optional<std::int64_t> record_id,
                       const std::optional<std::string>& recipient,
                       const std::function<Status(const DisclosureEntry&)>& visit) {
  std::vector<DisclosureEntry> entries;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT id, kind, coalesce(request_id, ''), recipient, reason, actor, at, package, "
               "package_sha256 FROM disclosures ORDER BY id",
               {}, [&](const Row& row) {
                 DisclosureEntry entry;
                 entry.id = row.Int(0);
                 entry.kind = row.Text(1);
                 entry.request_id = row.Text(2);
                 entry.recipient = row.Text(3);
                 entry.reason = row.Text(4);
                 entry.actor = row.Text(5);
                 entry.at = row.Int(6);
                 entry.package = row.Text(7);
                 entry.package_sha256 = row.Text(8);
                 entries.push_back(std::move(entry));
                 return Status();
               }));
  for (DisclosureEntry& entry : entries) {
    if (recipient && Lower(entry.recipient) != Lower(*recipient)) {
      continue;
    }
    SUNSHINE_RETURN_IF_ERROR(db.Query(
        "SELECT record_id, production, basis FROM disclosure_records WHERE disclosure_id = $1 "
        "ORDER BY record_id",
        {entry.id}, [&](const Row& row) {
          std::string text = row.Text(1);
          if (!row.Text(2).empty()) {
            text += "; " + row.Text(2);
          }
          entry.records.emplace_back(row.Int(0), text);
          return Status();
        }));
    if (record_id) {
      bool has = std::any_of(entry.records.begin(), entry.records.end(),
                             [&](const auto& item) { return item.first == *record_id; });
      if (!has) {
        continue;
      }
    }
    SUNSHINE_RETURN_IF_ERROR(visit(entry));
  }
  return Status();
}

}  // namespace sunshine
