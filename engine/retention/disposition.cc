#include "engine/retention/disposition.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/sha256.h"
#include "engine/core/time_format.h"
#include "engine/retention/classification.h"
#include "engine/retention/holds.h"
#include "engine/retention/transfer_bag.h"
#include "schedules/period.h"

namespace sunshine {

namespace {

std::string DateOfEpoch(std::optional<std::int64_t> epoch) {
  return epoch ? FormatDate(DayOf(FromEpoch(*epoch))) : "";
}

Status Audit(Database& db, std::string_view actor, std::string_view action,
             const std::string& object, const JsonObject& details) {
  auto seq = AuditLog::Append(db, actor, action, object, ToJson(details));
  return seq.ok() ? Status() : seq.status();
}

Status MarkItem(Database& db, std::int64_t list_id, std::int64_t record_id, std::string_view status,
                std::string_view detail, std::int64_t now) {
  return db.Exec(
      "UPDATE disposition_items SET status = $3, detail = $4, done_at = $5 "
      "WHERE list_id = $1 AND record_id = $2",
      {list_id, record_id, std::string(status), std::string(detail), now});
}

// Blobs only this record uses: its content and attachments, unless another live record
// (or a transferred record whose local copy was kept) refers to the same bytes.
Result<std::vector<std::string>> BlobsOnlyUsedBy(Database& db, std::int64_t record_id) {
  std::set<std::string> mine;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT content_sha256 FROM records WHERE id = $1 UNION "
               "SELECT sha256 FROM attachments WHERE record_id = $1",
               {record_id}, [&](const Row& row) {
                 mine.insert(row.Text(0));
                 return Status();
               }));
  std::vector<std::string> out;
  for (const std::string& sha : mine) {
    SUNSHINE_ASSIGN_OR_RETURN(
        auto others,
        db.QueryInt("SELECT (SELECT count(*) FROM attachments WHERE sha256 = $1 AND "
                    "record_id <> $2) + (SELECT count(*) FROM records r WHERE "
                    "r.content_sha256 = $1 AND r.id <> $2 AND (r.status = 'active' OR EXISTS "
                    "(SELECT 1 FROM archive_transfers t WHERE t.record_id = r.id AND "
                    "t.local_copy_deleted = 0)))",
                    {sha, record_id}));
    SUNSHINE_ASSIGN_OR_RETURN(auto stored,
                              db.QueryInt("SELECT count(*) FROM blobs WHERE sha256 = $1", {sha}));
    if (others.value_or(0) == 0 && stored.value_or(0) > 0) {
      out.push_back(sha);
    }
  }
  return out;
}

// Removes the record's content from every table Sunshine keeps it in, and queues its blobs.
// REQUIRES: inside the write transaction that also writes the tombstone / transfer row.
Status BlankRecordContent(Store& store, std::int64_t record_id, std::string_view new_status) {
  Database& db = store.db();
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<std::string> blobs, BlobsOnlyUsedBy(db, record_id));
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM records_fts WHERE rowid = $1", {record_id}));
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM attachments WHERE record_id = $1", {record_id}));
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM form_fields WHERE record_id = $1", {record_id}));
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("DELETE FROM classification_queue WHERE record_id = $1", {record_id}));
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      "UPDATE records SET title = '', sender = '', sender_name = '', recipients = '', "
      "folder = '', form_id = NULL, dedup_key = NULL, body = '', metadata = '{}', flags = '[]', "
      "status = $2 WHERE id = $1",
      {record_id, std::string(new_status)}));
  for (const std::string& sha : blobs) {
    SUNSHINE_RETURN_IF_ERROR(store.blobs().QueueDeletion(db, sha));
  }
  return {};
}

struct ItemRow {
  std::int64_t record_id = 0;
  std::string item_id;
  std::string action;
  std::string trigger_date;
  std::string due_date;
};

std::string SafeFileName(std::string name) {
  for (char& c : name) {
    if (c == '/' || c == '\\' || c == '\r' || c == '\n' || c == '%' || c == ':' ||
        static_cast<unsigned char>(c) < 0x20) {
      c = '_';
    }
  }
  if (name.empty() || name == "." || name == "..") {
    name = "attachment";
  }
  return name;
}

// The transfer bag's payload: the original bytes, attachments and the metadata.
Result<std::vector<BagPayloadFile>> TransferPayload(Store& store, std::int64_t record_id,
                                                    const ScheduleItem& item,
                                                    std::int64_t list_id) {
  Database& db = store.db();
  std::vector<BagPayloadFile> payload;
  JsonObject meta = NewJsonObject();
  std::string content_sha;
  std::string kind;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT kind, content_sha256, dedup_key, received_at, received_source, imported_at, title, "
      "sender, sender_name, recipients, folder, form_id, metadata FROM records WHERE id = $1",
      {record_id}, [&](const Row& row) {
        kind = row.Text(0);
        content_sha = row.Text(1);
        meta->set("record_id", record_id);
        meta->set("kind", kind);
        meta->set("content_sha256", content_sha);
        meta->set("dedup_key", row.Text(2));
        meta->set("received_at", row.IsNull(3) ? "" : FormatUtc(FromEpoch(row.Int(3))));
        meta->set("received_source", row.Text(4));
        meta->set("imported_at", FormatUtc(FromEpoch(row.Int(5))));
        meta->set("title", row.Text(6));
        meta->set("sender", row.Text(7));
        meta->set("sender_name", row.Text(8));
        meta->set("recipients", row.Text(9));
        meta->set("folder", row.Text(10));
        meta->set("form_id", row.Text(11));
        auto parsed = ParseJsonObject(row.Text(12));
        if (parsed.ok()) {
          meta->set("metadata", *parsed);
        }
        return Status();
      }));
  SUNSHINE_ASSIGN_OR_RETURN(std::string original, store.blobs().Read(content_sha));
  std::string original_name =
      kind == "mail" ? "original.eml"
                     : (!original.empty() && original[0] == '{' ? "original.json" : "original.txt");
  payload.push_back({original_name, std::move(original)});
  JsonArray attachments = NewJsonArray();
  std::vector<std::tuple<int, std::string, std::string, std::string>> rows;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT ordinal, filename, media_type, sha256 FROM attachments WHERE record_id = $1 "
      "ORDER BY ordinal",
      {record_id}, [&](const Row& row) {
        rows.emplace_back(static_cast<int>(row.Int(0)), row.Text(1), row.Text(2), row.Text(3));
        return Status();
      }));
  for (const auto& [ordinal, filename, media_type, sha] : rows) {
    JsonObject a = NewJsonObject();
    a->set("ordinal", ordinal);
    a->set("filename", filename);
    a->set("media_type", media_type);
    a->set("sha256", sha);
    if (store.blobs().Exists(sha)) {
      SUNSHINE_ASSIGN_OR_RETURN(std::string bytes, store.blobs().Read(sha));
      std::string path = "attachments/" + std::to_string(ordinal) + "-" + SafeFileName(filename);
      a->set("path", "data/" + path);
      payload.push_back({path, std::move(bytes)});
    } else {
      a->set("path", "");
      a->set("note", "not stored (withheld by the importer, e.g. infected)");
    }
    attachments->add(a);
  }
  meta->set("attachments", attachments);
  JsonArray fields = NewJsonArray();
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT name, label, value FROM form_fields WHERE record_id = $1 ORDER BY ordinal",
               {record_id}, [&](const Row& row) {
                 JsonObject f = NewJsonObject();
                 f->set("name", row.Text(0));
                 f->set("label", row.Text(1));
                 f->set("value", row.Text(2));
                 fields->add(f);
                 return Status();
               }));
  meta->set("form_fields", fields);
  JsonObject schedule = NewJsonObject();
  schedule->set("item", item.id);
  schedule->set("title", item.title);
  schedule->set("authority", item.authority);
  schedule->set("citation", item.citation);
  schedule->set("schedule", item.schedule_id);
  schedule->set("schedule_version", item.schedule_version);
  schedule->set("retention", item.retention.ToString());
  schedule->set("disposition_list", list_id);
  meta->set("schedule_item", schedule);
  payload.push_back({"metadata.json", ToJson(meta, 2) + "\n"});
  return payload;
}

struct CertificateEntry {
  std::int64_t record_id = 0;
  std::string kind;
  std::string item_id;
  std::string action;
  std::string received;
  std::string trigger_date;
  std::string due_date;
  std::string content_sha256;
  std::string detail;
  std::string status;
};

Result<std::vector<std::string>> WriteCertificate(Store& store, const RetentionContext& retention,
                                                  std::int64_t list_id, const Clock& clock) {
  Database& db = store.db();
  std::string as_of;
  std::string approved_by;
  std::optional<std::int64_t> approved_at;
  std::string proposed_by;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT as_of, approved_by, approved_at, proposed_by FROM disposition_lists WHERE id = $1",
      {list_id}, [&](const Row& row) {
        as_of = row.Text(0);
        approved_by = row.Text(1);
        approved_at = row.OptInt(2);
        proposed_by = row.Text(3);
        return Status();
      }));
  std::vector<CertificateEntry> entries;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT di.record_id, r.kind, di.item_id, di.action, r.received_at, di.trigger_date, "
      "di.due_date, r.content_sha256, di.detail, di.status FROM disposition_items di "
      "JOIN records r ON r.id = di.record_id WHERE di.list_id = $1 ORDER BY di.record_id",
      {list_id}, [&](const Row& row) {
        CertificateEntry e;
        e.record_id = row.Int(0);
        e.kind = row.Text(1);
        e.item_id = row.Text(2);
        e.action = row.Text(3);
        e.received = DateOfEpoch(row.OptInt(4));
        e.trigger_date = row.Text(5);
        e.due_date = row.Text(6);
        e.content_sha256 = row.Text(7);
        e.detail = row.Text(8);
        e.status = row.Text(9);
        entries.push_back(std::move(e));
        return Status();
      }));
  auto office = store.config().String("office.name", "");
  std::string office_name = office.ok() ? *office : "";

  // Per series: count and the date range of the records' own dates.
  struct Series {
    std::int64_t count = 0;
    std::string first;
    std::string last;
    std::string action;
  };
  std::map<std::string, Series> series;
  for (const CertificateEntry& e : entries) {
    if (e.status != "done") {
      continue;
    }
    Series& s = series[e.item_id + "\t" + e.action];
    ++s.count;
    s.action = e.action;
    std::string d = e.received.empty() ? e.trigger_date : e.received;
    if (s.first.empty() || d < s.first) {
      s.first = d;
    }
    if (s.last.empty() || d > s.last) {
      s.last = d;
    }
  }

  std::string generated = FormatUtc(Clock::WallNow());
  JsonObject json = NewJsonObject();
  json->set("format", "sunshine-destruction-certificate");
  json->set("format_version", 1);
  json->set("office", office_name);
  json->set("disposition_list", list_id);
  json->set("as_of", as_of);
  json->set("proposed_by", proposed_by);
  json->set("approved_by", approved_by);
  json->set("approved_at", approved_at ? FormatUtc(FromEpoch(*approved_at)) : "");
  json->set("executed_as_of", FormatDate(clock.Today()));
  json->set("generated_at", generated);
  JsonArray json_series = NewJsonArray();
  std::string text;
  text += "CERTIFICATE OF RECORDS DISPOSITION\n";
  text += "==================================\n\n";
  text += "Office:             " + office_name + "\n";
  text += "Disposition list:   " + std::to_string(list_id) + " (due as of " + as_of + ")\n";
  text += "Proposed by:        " + proposed_by + "\n";
  text += "Approved by:        " + approved_by +
          (approved_at ? " on " + FormatUtc(FromEpoch(*approved_at)) : "") + "\n";
  text += "Carried out:        as of " + FormatDate(clock.Today()) + ", certificate generated " +
          generated + "\n";
  text +=
      "Legal basis:        RSMo 109.270 (disposal only as provided by law) and the schedule\n"
      "                    items cited below.\n\n";
  text += "Series\n------\n";
  for (const auto& [key, s] : series) {
    std::string item_id = key.substr(0, key.find('\t'));
    const ScheduleItem* item = retention.schedules.FindItem(item_id);
    JsonObject js = NewJsonObject();
    js->set("item", item_id);
    js->set("title", item ? item->title : "");
    js->set("authority", item ? item->authority : "");
    js->set("citation", item ? item->citation : "");
    js->set("schedule", item ? item->schedule_id + " " + item->schedule_version : "");
    js->set("retention", item ? item->retention.ToString() : "");
    js->set("action", s.action);
    js->set("records", s.count);
    js->set("earliest", s.first);
    js->set("latest", s.last);
    json_series->add(js);
    text += item_id + "  " + (item ? item->title : std::string("(item no longer in schedules)")) +
            "\n  action: " + s.action + ", records: " + std::to_string(s.count) + ", dated " +
            s.first + " to " + s.last + "\n";
    if (item != nullptr) {
      text += "  authority: " + item->authority + "\n  citation: " + item->citation +
              "\n  schedule: " + item->schedule_id + " version " + item->schedule_version +
              ", retention " + item->retention.ToString() + "\n";
    }
  }
  json->set("series", json_series);
  text += "\nRecords\n-------\n";
  text += "record  kind  item  action  dated  due  outcome  content-sha256\n";
  JsonArray json_records = NewJsonArray();
  std::int64_t done = 0;
  std::int64_t skipped = 0;
  for (const CertificateEntry& e : entries) {
    JsonObject jr = NewJsonObject();
    jr->set("record", e.record_id);
    jr->set("kind", e.kind);
    jr->set("item", e.item_id);
    jr->set("action", e.action);
    jr->set("dated", e.received);
    jr->set("trigger_date", e.trigger_date);
    jr->set("due_date", e.due_date);
    jr->set("outcome", e.status);
    jr->set("detail", e.detail);
    jr->set("content_sha256", e.content_sha256);
    json_records->add(jr);
    text += std::to_string(e.record_id) + "  " + e.kind + "  " + e.item_id + "  " + e.action +
            "  " + e.received + "  " + e.due_date + "  " + e.status + "  " + e.content_sha256 +
            (e.detail.empty() ? "" : "\n    " + e.detail) + "\n";
    (e.status == "done" ? done : skipped) += 1;
  }
  json->set("records", json_records);
  json->set("records_disposed", done);
  json->set("records_not_disposed", skipped);
  text += "\nDisposed: " + std::to_string(done) +
          " record(s); not disposed: " + std::to_string(skipped) +
          " (held or changed since approval, listed above).\n";
  text +=
      "Destroyed records keep only a tombstone (id, item, authority, dates, content hash,\n"
      "approver, time of destruction); their content, full-text entries and unshared\n"
      "files were removed and the database was checkpointed and compacted.\n";
  text += "\nFormat: docs/formats/destruction-certificate.md (version 1).\n";

  Path dir = store.home().output_dir() / "certificates";
  std::string base = "disposition-list-" + std::to_string(list_id);
  Path text_file = dir / (base + ".txt");
  Path json_file = dir / (base + ".json");
  SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(text_file, text));
  SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(json_file, ToJson(json, 2) + "\n"));
  return std::vector<std::string>{text_file.string(), json_file.string(), Sha256Hex(text),
                                  Sha256Hex(ToJson(json, 2) + "\n")};
}

}  // namespace

Result<std::optional<SysDays>> TriggerDate(Database& db, std::int64_t record_id,
                                           const ScheduleItem& item) {
  if (item.retention.event_based()) {
    return LatestEvent(db, record_id, item.retention.event);
  }
  std::optional<std::int64_t> epoch;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT COALESCE(received_at, imported_at) FROM records WHERE id = $1", {record_id},
               [&](const Row& row) {
                 epoch = row.OptInt(0);
                 return Status();
               }));
  if (!epoch) {
    return std::optional<SysDays>();
  }
  return std::optional<SysDays>(DayOf(FromEpoch(*epoch)));
}

Result<std::vector<DueEntry>> ComputeDue(Database& db, const RetentionContext& retention,
                                         SysDays today) {
  struct Candidate {
    std::int64_t record_id;
    std::string kind;
    std::string item_id;
    std::int64_t date;
  };
  std::vector<Candidate> candidates;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT r.id, r.kind, c.item_id, COALESCE(r.received_at, r.imported_at) FROM records r "
      "JOIN classifications c ON c.record_id = r.id WHERE r.status = 'active' ORDER BY r.id",
      {}, [&](const Row& row) {
        candidates.push_back({row.Int(0), row.Text(1), row.Text(2), row.Int(3)});
        return Status();
      }));
  std::map<std::int64_t, std::int64_t> listed;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT di.record_id, di.list_id FROM disposition_items di JOIN disposition_lists dl "
      "ON dl.id = di.list_id WHERE dl.status IN ('proposed', 'approved') AND "
      "di.status = 'pending'",
      {}, [&](const Row& row) {
        listed[row.Int(0)] = row.Int(1);
        return Status();
      }));
  std::vector<DueEntry> due;
  for (const Candidate& c : candidates) {
    const ScheduleItem* item = retention.schedules.FindItem(c.item_id);
    if (item == nullptr || item->retention.permanent ||
        item->disposition == Disposition::kPermanent) {
      continue;
    }
    std::optional<SysDays> trigger;
    if (item->retention.event_based()) {
      SUNSHINE_ASSIGN_OR_RETURN(trigger, LatestEvent(db, c.record_id, item->retention.event));
    } else {
      trigger = DayOf(FromEpoch(c.date));
    }
    auto due_date = DueDate(*item, trigger, retention.settings.fiscal_year_start);
    if (!due_date || *due_date > today) {
      continue;
    }
    DueEntry entry;
    entry.record_id = c.record_id;
    entry.kind = c.kind;
    entry.item_id = item->id;
    entry.action = std::string(DispositionName(item->disposition));
    entry.trigger_date = FormatDate(*trigger);
    entry.due_date = FormatDate(*due_date);
    SUNSHINE_ASSIGN_OR_RETURN(entry.holds, HoldsOnRecord(db, c.record_id));
    if (auto it = listed.find(c.record_id); it != listed.end()) {
      entry.list_id = it->second;
    }
    due.push_back(std::move(entry));
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const DueEntry& a, const DueEntry& b) { return a.due_date < b.due_date; });
  return due;
}

Result<ProposeResult> ProposeList(Database& db, const RetentionContext& retention, SysDays today,
                                  std::string_view actor, std::int64_t now_epoch) {
  SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<DueEntry> due, ComputeDue(db, retention, today));
  ProposeResult result;
  std::vector<const DueEntry*> chosen;
  for (const DueEntry& entry : due) {
    if (entry.action != "destroy" && entry.action != "transfer-to-archives") {
      continue;
    }
    if (!entry.holds.empty()) {
      ++result.skipped_held;
    } else if (entry.list_id) {
      ++result.already_listed;
    } else {
      chosen.push_back(&entry);
    }
  }
  if (chosen.empty()) {
    return result;
  }
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("INSERT INTO disposition_lists (status, as_of, proposed_at, proposed_by) "
              "VALUES ('proposed', $1, $2, $3)",
              {FormatDate(today), now_epoch, std::string(actor)}));
  SUNSHINE_ASSIGN_OR_RETURN(auto id, db.QueryInt("SELECT max(id) FROM disposition_lists"));
  result.list_id = id.value_or(0);
  std::map<std::string, std::int64_t> by_item;
  for (const DueEntry* entry : chosen) {
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("INSERT INTO disposition_items (list_id, record_id, item_id, action, trigger_date, "
                "due_date) VALUES ($1, $2, $3, $4, $5, $6)",
                {result.list_id, entry->record_id, entry->item_id, entry->action,
                 entry->trigger_date, entry->due_date}));
    ++by_item[entry->item_id];
  }
  result.records = static_cast<std::int64_t>(chosen.size());
  JsonObject details = NewJsonObject();
  details->set("as_of", FormatDate(today));
  details->set("records", result.records);
  details->set("skipped_held", result.skipped_held);
  JsonObject items = NewJsonObject();
  for (const auto& [item, n] : by_item) {
    items->set(item, n);
  }
  details->set("by_item", items);
  SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "dispose.propose",
                                 "disposition-list:" + std::to_string(result.list_id), details));
  SUNSHINE_RETURN_IF_ERROR(txn->Commit());
  return result;
}

Status ApproveList(Database& db, std::string_view actor, std::int64_t list_id,
                   std::string_view approver, std::int64_t now_epoch) {
  if (approver.empty()) {
    return Status::InvalidInput("approval needs --approver NAME");
  }
  SUNSHINE_ASSIGN_OR_RETURN(
      auto status, db.QueryText("SELECT status FROM disposition_lists WHERE id = $1", {list_id}));
  if (!status) {
    return Status::NotFound("no disposition list " + std::to_string(list_id));
  }
  if (*status != "proposed") {
    return Status::FailedPrecondition("disposition list " + std::to_string(list_id) + " is " +
                                      *status + ", not proposed");
  }
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      "UPDATE disposition_lists SET status = 'approved', approved_at = $2, approved_by = $3 "
      "WHERE id = $1",
      {list_id, now_epoch, std::string(approver)}));
  SUNSHINE_ASSIGN_OR_RETURN(
      auto count,
      db.QueryInt("SELECT count(*) FROM disposition_items WHERE list_id = $1", {list_id}));
  JsonObject details = NewJsonObject();
  details->set("approver", std::string(approver));
  details->set("records", count.value_or(0));
  return Audit(db, actor, "dispose.approve", "disposition-list:" + std::to_string(list_id),
               details);
}

Result<std::vector<ListSummary>> ListDispositionLists(Database& db) {
  std::vector<ListSummary> lists;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT l.id, l.status, l.as_of, l.proposed_at, l.proposed_by, l.approved_at, "
      "COALESCE(l.approved_by, ''), l.executed_at, COALESCE(l.certificate, ''), "
      "(SELECT count(*) FROM disposition_items i WHERE i.list_id = l.id), "
      "(SELECT count(*) FROM disposition_items i WHERE i.list_id = l.id AND i.status = 'done'), "
      "(SELECT count(*) FROM disposition_items i WHERE i.list_id = l.id AND "
      " i.status LIKE 'skipped%') FROM disposition_lists l ORDER BY l.id",
      {}, [&](const Row& row) {
        ListSummary s;
        s.id = row.Int(0);
        s.status = row.Text(1);
        s.as_of = row.Text(2);
        s.proposed_at = row.Int(3);
        s.proposed_by = row.Text(4);
        s.approved_at = row.OptInt(5);
        s.approved_by = row.Text(6);
        s.executed_at = row.OptInt(7);
        s.certificate = row.Text(8);
        s.records = row.Int(9);
        s.done = row.Int(10);
        s.skipped = row.Int(11);
        lists.push_back(std::move(s));
        return Status();
      }));
  return lists;
}

Result<std::vector<ListItem>> DispositionListItems(Database& db, std::int64_t list_id) {
  std::vector<ListItem> items;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT record_id, item_id, action, trigger_date, due_date, status, detail "
               "FROM disposition_items WHERE list_id = $1 ORDER BY record_id",
               {list_id}, [&](const Row& row) {
                 items.push_back({row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4),
                                  row.Text(5), row.Text(6)});
                 return Status();
               }));
  return items;
}

namespace {

// One record of an approved list, in its own transaction. Returns the item's new status.
Result<std::string> DisposeOne(Store& store, const RetentionContext& retention,
                               std::string_view actor, const Clock& clock, std::int64_t list_id,
                               const std::string& approved_by, const ItemRow& row,
                               std::string* detail) {
  Database& db = store.db();
  std::int64_t now = ToEpoch(clock.Now());
  std::string record_object = "record:" + std::to_string(row.record_id);
  const ScheduleItem* item = retention.schedules.FindItem(row.item_id);

  // Transfers: write and verify the bag before the transaction that marks the record.
  Path bag_dir = store.home().output_dir() / "transfers" / ("list-" + std::to_string(list_id)) /
                 ("record-" + std::to_string(row.record_id));
  if (row.action == "transfer-to-archives" && item != nullptr) {
    SUNSHINE_ASSIGN_OR_RETURN(bool held, IsRecordHeld(db, row.record_id));
    SUNSHINE_ASSIGN_OR_RETURN(auto status_text, db.QueryText("SELECT status FROM records WHERE "
                                                             "id = $1",
                                                             {row.record_id}));
    if (!held && status_text && *status_text == "active") {
      boost::system::error_code ec;
      if (!boost::filesystem::exists(bag_dir, ec)) {
        SUNSHINE_ASSIGN_OR_RETURN(auto payload,
                                  TransferPayload(store, row.record_id, *item, list_id));
        auto office = store.config().String("office.name", "");
        BagInfoFields info = {
            {"Source-Organization", office.ok() ? *office : ""},
            {"Bagging-Date", FormatDate(DayOf(Clock::WallNow()))},
            {"External-Identifier", "sunshine-record-" + std::to_string(row.record_id)},
            {"External-Description",
             "Transfer to the Missouri State Archives under schedule item " + item->id + " (" +
                 item->citation + ")"},
            {"Bag-Group-Identifier", "sunshine-disposition-list-" + std::to_string(list_id)},
            {"Internal-Sender-Identifier", "record " + std::to_string(row.record_id)},
        };
        SUNSHINE_RETURN_IF_ERROR(WriteBag(bag_dir, payload, info));
      }
      Status verified = VerifyBag(bag_dir);
      if (!verified.ok()) {
        *detail = "transfer bag failed verification: " + verified.message();
        SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
        SUNSHINE_RETURN_IF_ERROR(MarkItem(db, list_id, row.record_id, "failed", *detail, now));
        JsonObject details = NewJsonObject();
        details->set("list", list_id);
        details->set("problem", *detail);
        SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "dispose.failed", record_object, details));
        SUNSHINE_RETURN_IF_ERROR(txn->Commit());
        return std::string("failed");
      }
    }
  }

  SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
  SUNSHINE_ASSIGN_OR_RETURN(
      auto current, db.QueryText("SELECT status FROM disposition_items WHERE list_id = $1 AND "
                                 "record_id = $2",
                                 {list_id, row.record_id}));
  if (!current || *current != "pending") {
    return current.value_or("missing");  // done by an earlier, interrupted run
  }
  auto skip = [&](std::string_view status, const std::string& why) -> Result<std::string> {
    *detail = why;
    SUNSHINE_RETURN_IF_ERROR(MarkItem(db, list_id, row.record_id, status, why, now));
    JsonObject details = NewJsonObject();
    details->set("list", list_id);
    details->set("reason", why);
    SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "dispose.skip", record_object, details));
    SUNSHINE_RETURN_IF_ERROR(txn->Commit());
    if (row.action == "transfer-to-archives") {
      boost::system::error_code ec;
      boost::filesystem::remove_all(bag_dir, ec);  // not transferred: no bag
    }
    return std::string(status);
  };
  // The hold check is inside the transaction that destroys (issue 4, item 6).
  Status not_held = CheckNotHeld(db, row.record_id);
  if (not_held.code() == StatusCode::kOnLegalHold) {
    return skip("skipped-held", not_held.message());
  }
  SUNSHINE_RETURN_IF_ERROR(not_held);
  SUNSHINE_ASSIGN_OR_RETURN(
      auto record_status,
      db.QueryText("SELECT status FROM records WHERE id = $1", {row.record_id}));
  if (!record_status || *record_status != "active") {
    return skip("skipped-changed", "record is " + record_status.value_or("missing"));
  }
  SUNSHINE_ASSIGN_OR_RETURN(auto classification, GetClassification(db, row.record_id));
  if (!classification || classification->item_id != row.item_id) {
    return skip("skipped-changed", "record was re-classified to " +
                                       (classification ? classification->item_id : "nothing") +
                                       " after the list was approved");
  }
  if (item == nullptr) {
    return skip("skipped-changed", "schedule item " + row.item_id + " is no longer in force");
  }
  SUNSHINE_ASSIGN_OR_RETURN(
      auto content_sha,
      db.QueryText("SELECT content_sha256 FROM records WHERE id = $1", {row.record_id}));
  SUNSHINE_ASSIGN_OR_RETURN(
      auto received, db.QueryInt("SELECT received_at FROM records WHERE id = $1", {row.record_id}));
  SUNSHINE_ASSIGN_OR_RETURN(
      auto kind, db.QueryText("SELECT kind FROM records WHERE id = $1", {row.record_id}));
  JsonObject details = NewJsonObject();
  details->set("list", list_id);
  details->set("item", item->id);
  details->set("authority", item->authority);
  details->set("citation", item->citation);
  details->set("schedule_version", item->schedule_version);
  details->set("due_date", row.due_date);
  details->set("approved_by", approved_by);
  details->set("content_sha256", content_sha.value_or(""));
  if (row.action == "destroy") {
    SUNSHINE_RETURN_IF_ERROR(BlankRecordContent(store, row.record_id, "destroyed"));
    SUNSHINE_RETURN_IF_ERROR(db.Exec(
        "INSERT INTO tombstones (record_id, kind, item_id, schedule_id, schedule_version, "
        "authority, citation, received_at, trigger_date, due_date, content_sha256, list_id, "
        "approved_by, destroyed_at, destroyed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10, $11, $12, $13, $14, $15) ON CONFLICT (record_id) DO NOTHING",
        {row.record_id, kind.value_or(""), item->id, item->schedule_id, item->schedule_version,
         item->authority, item->citation, received ? SqlValue(*received) : SqlValue(),
         row.trigger_date, row.due_date, content_sha.value_or(""), list_id, approved_by,
         ToEpoch(Clock::WallNow()), std::string(actor)}));
    SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "dispose.destroy", record_object, details));
  } else if (row.action == "transfer-to-archives") {
    SUNSHINE_ASSIGN_OR_RETURN(std::string manifest_sha,
                              Sha256File(bag_dir / "manifest-sha256.txt"));
    bool keep = retention.settings.transfer_keep_local_copy;
    if (keep) {
      SUNSHINE_RETURN_IF_ERROR(
          db.Exec("UPDATE records SET status = 'transferred' WHERE id = $1", {row.record_id}));
    } else {
      SUNSHINE_RETURN_IF_ERROR(BlankRecordContent(store, row.record_id, "transferred"));
    }
    SUNSHINE_RETURN_IF_ERROR(db.Exec(
        "INSERT INTO archive_transfers (record_id, list_id, item_id, bag_path, manifest_sha256, "
        "transferred_at, transferred_by, local_copy_deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8) ON CONFLICT (record_id) DO NOTHING",
        {row.record_id, list_id, item->id, bag_dir.string(), manifest_sha,
         ToEpoch(Clock::WallNow()), std::string(actor), std::int64_t{keep ? 0 : 1}}));
    details->set("bag", bag_dir.string());
    details->set("manifest_sha256", manifest_sha);
    details->set("local_copy_deleted", !keep);
    SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "dispose.transfer", record_object, details));
  } else {
    return skip("skipped-changed", "action " + row.action + " is not carried out from a list");
  }
  SUNSHINE_RETURN_IF_ERROR(MarkItem(db, list_id, row.record_id, "done", "", now));
  SUNSHINE_RETURN_IF_ERROR(txn->Commit());
  return std::string("done");
}

}  // namespace

Result<ExecuteReport> ExecuteApprovedLists(Store& store, const RetentionContext& retention,
                                           std::string_view actor, const Clock& clock,
                                           std::optional<std::int64_t> only_list) {
  Database& db = store.db();
  ExecuteReport report;
  // Files queued by an interrupted run first.
  SUNSHINE_ASSIGN_OR_RETURN(std::int64_t leftover, store.blobs().ProcessPendingDeletions(db));
  (void)leftover;
  std::vector<std::pair<std::int64_t, std::string>> lists;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT id, COALESCE(approved_by, '') FROM disposition_lists WHERE status = 'approved' "
      "ORDER BY id",
      {}, [&](const Row& row) {
        lists.emplace_back(row.Int(0), row.Text(1));
        return Status();
      }));
  for (const auto& [list_id, approved_by] : lists) {
    if (only_list && *only_list != list_id) {
      continue;
    }
    report.lists.push_back(list_id);
    std::vector<ItemRow> rows;
    SUNSHINE_RETURN_IF_ERROR(
        db.Query("SELECT record_id, item_id, action, trigger_date, due_date FROM disposition_items "
                 "WHERE list_id = $1 AND status = 'pending' ORDER BY record_id",
                 {list_id}, [&](const Row& row) {
                   rows.push_back({row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)});
                   return Status();
                 }));
    for (const ItemRow& row : rows) {
      std::string detail;
      SUNSHINE_ASSIGN_OR_RETURN(
          std::string outcome,
          DisposeOne(store, retention, actor, clock, list_id, approved_by, row, &detail));
      if (outcome == "done") {
        (row.action == "destroy" ? report.destroyed : report.transferred) += 1;
      } else if (outcome == "skipped-held") {
        ++report.skipped_held;
        report.lines.push_back("record " + std::to_string(row.record_id) +
                               " skipped (put on hold after approval): " + detail);
      } else if (outcome == "skipped-changed") {
        ++report.skipped_changed;
        report.lines.push_back("record " + std::to_string(row.record_id) + " skipped: " + detail);
      } else if (outcome == "failed") {
        ++report.failed;
        report.lines.push_back("record " + std::to_string(row.record_id) + " FAILED: " + detail);
      }
    }
    SUNSHINE_ASSIGN_OR_RETURN(std::int64_t removed, store.blobs().ProcessPendingDeletions(db));
    (void)removed;
    // Destroyed text must not survive in the full-text index's segments, the WAL or free
    // pages: merge the index (drops deleted entries), then checkpoint and compact.
    SUNSHINE_ASSIGN_OR_RETURN(
        auto destroyed_here,
        db.QueryInt("SELECT count(*) FROM disposition_items WHERE list_id = $1 AND status = "
                    "'done'",
                    {list_id}));
    if (destroyed_here.value_or(0) > 0) {
      {
        SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
        SUNSHINE_RETURN_IF_ERROR(
            db.Exec("INSERT INTO records_fts(records_fts) VALUES ('optimize')"));
        SUNSHINE_RETURN_IF_ERROR(txn->Commit());
      }
      SUNSHINE_RETURN_IF_ERROR(db.Checkpoint());
      if (retention.settings.compact_after_destroy) {
        SUNSHINE_RETURN_IF_ERROR(db.Compact());
      }
    }
    SUNSHINE_ASSIGN_OR_RETURN(auto files, WriteCertificate(store, retention, list_id, clock));
    {
      SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
      SUNSHINE_RETURN_IF_ERROR(db.Exec(
          "UPDATE disposition_lists SET status = 'executed', executed_at = $2, certificate = $3 "
          "WHERE id = $1",
          {list_id, ToEpoch(clock.Now()), files[0]}));
      JsonObject details = NewJsonObject();
      details->set("certificate_text", files[0]);
      details->set("certificate_json", files[1]);
      details->set("certificate_text_sha256", files[2]);
      details->set("certificate_json_sha256", files[3]);
      details->set("disposed", destroyed_here.value_or(0));
      SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "dispose.certificate",
                                     "disposition-list:" + std::to_string(list_id), details));
      SUNSHINE_RETURN_IF_ERROR(txn->Commit());
    }
    SUNSHINE_RETURN_IF_ERROR(db.Checkpoint());
    report.certificates.push_back(files[0]);
    report.lines.push_back("disposition list " + std::to_string(list_id) + " carried out; " +
                           "certificate " + files[0]);
  }
  return report;
}

Result<std::int64_t> ApplyTransfersToFile(Database& db, const RetentionContext& retention,
                                          SysDays today, std::string_view actor,
                                          std::int64_t now_epoch) {
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<DueEntry> due, ComputeDue(db, retention, today));
  std::int64_t moved = 0;
  for (const DueEntry& entry : due) {
    if (entry.action != "transfer-to-file" || !entry.holds.empty()) {
      continue;
    }
    const ScheduleItem* from = retention.schedules.FindItem(entry.item_id);
    const ScheduleItem* to = from ? retention.schedules.FindItem(from->transfer_to) : nullptr;
    if (to == nullptr) {
      continue;
    }
    SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
    SUNSHINE_RETURN_IF_ERROR(db.Exec(
        "UPDATE classifications SET item_id = $2, schedule_id = $3, schedule_version = $4, "
        "method = 'transfer-to-file', reason = $5, classified_at = $6, classified_by = $7 "
        "WHERE record_id = $1 AND item_id = $8",
        {entry.record_id, to->id, to->schedule_id, to->schedule_version,
         "transferred to appropriate file from " + from->id + " (due " + entry.due_date + ")",
         now_epoch, std::string(actor), from->id}));
    if (db.ChangedRows() == 1) {
      JsonObject details = NewJsonObject();
      details->set("from_item", from->id);
      details->set("to_item", to->id);
      details->set("due_date", entry.due_date);
      SUNSHINE_RETURN_IF_ERROR(Audit(db, actor, "dispose.transfer-to-file",
                                     "record:" + std::to_string(entry.record_id), details));
      ++moved;
    }
    SUNSHINE_RETURN_IF_ERROR(txn->Commit());
  }
  return moved;
}

}  // namespace sunshine
