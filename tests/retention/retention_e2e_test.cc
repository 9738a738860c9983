// End to end, with the real binary and --as-of time travel: records in, classify, dry run,
// propose, approve, hold one record, nightly; the held record survives, the others are gone
// from the database and WAL files, and the certificate lists them. Then a destroy killed
// mid-way and rerun leaves no half-destroyed record.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "tests/testutil/run_binary.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using testing::RunResult;
using testing::RunSunshine;

struct Fixture {
  const char* file;
  const char* received;  // the Date header's day
  const char* sender;
  const char* subject;
  const char* body_word;  // a word of the body, searched for in the database files
};

// tests/data/retention/*.eml; records 1..5 in this order, the form is record 6.
constexpr Fixture kMail[] = {
    {"01-budget.eml", "2022-03-10", "jane@example.org", "Budget question", "quartzite"},
    {"02-delivery.eml", "2022-04-02", "joe@vendor.example.com", "Delivery schedule", "zeppelin"},
    {"03-out-of-office.eml", "2022-05-01", "pat@sos.example.gov", "Automatic reply: out of office",
     "xylophone"},
    {"04-dispute.eml", "2022-05-05", "lee@law.example.com", "Contract dispute", "obsidian"},
    {"05-sunshine-request.eml", "2022-02-01", "news@paper.example.com",
     "Sunshine request: travel records", "walrus"},
};

Path DataDir() { return Path(SUNSHINE_SOURCE_DIR) / "tests" / "data" / "retention"; }

std::string Body(const std::string& eml) {
  auto split = eml.find("\r\n\r\n");
  return split == std::string::npos ? "" : eml.substr(split + 4);
}

std::int64_t Epoch(const char* day) { return ToEpoch(SysSeconds(*ParseDate(day))); }

// Puts the fixtures into the home's store through the record repository (the importers'
// own path into the store).
void PutFixtures(const Path& home, int copies = 1) {
  auto store = Store::Open(Home(home), StoreAccess::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto txn = Transaction::Begin((*store)->db());
  ASSERT_TRUE(txn.ok());
  for (int copy = 0; copy < copies; ++copy) {
    std::string suffix = copies == 1 ? "" : "-" + std::to_string(copy);
    for (const Fixture& f : kMail) {
      std::string eml = testing::ReadTextFile(DataDir() / f.file);
      NewRecord r;
      r.kind = RecordKind::kMail;
      r.original_bytes = eml + suffix;
      r.dedup_key = std::string(f.file) + suffix;
      r.received_at = Epoch(f.received);
      r.received_source = "header";
      r.title = f.subject;
      r.sender = f.sender;
      r.recipients = {"clerk@sos.example.gov"};
      r.folder = "Inbox";
      r.body = Body(eml);
      AttachmentData a;
      a.filename = "copy.txt";
      a.media_type = "text/plain";
      a.bytes = "attached copy: " + Body(eml) + suffix;
      a.text = a.bytes;
      r.attachments.push_back(a);
      r.source = {"eml", (DataDir() / f.file).string(), "file"};
      auto put = RecordRepository::Put(**store, "test", r);
      ASSERT_TRUE(put.ok()) << put.status().ToString();
    }
    NewRecord form;
    form.kind = RecordKind::kForm;
    form.original_bytes = testing::ReadTextFile(DataDir() / "06-contact.json") + suffix;
    form.dedup_key = "web-2022-0007" + suffix;
    form.received_at = Epoch("2022-06-15");
    form.received_source = "submission";
    form.title = "Contact us";
    form.sender = "";
    form.form_id = "contact-us";
    form.body = "Where is the pelican ferry timetable?";
    form.fields = {
        {"name", "Name", "Sam Public", true, true, "name"},
        {"message", "Message", "Where is the pelican ferry timetable?", true, true, "free-text"}};
    form.source = {"forms-json", (DataDir() / "06-contact.json").string(), "line 1"};
    auto put = RecordRepository::Put(**store, "test", form);
    ASSERT_TRUE(put.ok()) << put.status().ToString();
  }
  ASSERT_TRUE((*txn)->Commit().ok());
}

std::string ReadIfExists(const Path& file) {
  std::ifstream in(file.string(), std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

bool DatabaseFilesContain(const Path& home, const std::string& needle) {
  for (const char* name : {"sunshine.db", "sunshine.db-wal"}) {
    if (ReadIfExists(home / name).find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

RunResult Sun(const testing::TempDir& home, std::vector<std::string> args) {
  args.insert(args.begin(), {"--home", home.str()});
  return RunSunshine(args);
}

JsonObject Json(const RunResult& r) {
  auto parsed = ParseJsonObject(r.out);
  EXPECT_TRUE(parsed.ok()) << r.out << r.err;
  return parsed.ok() ? *parsed : NewJsonObject();
}

TEST(RetentionE2eTest, ClassifyHoldDisposeAndNothingLeftInTheDatabaseFiles) {
  testing::TempDir home;
  ASSERT_EQ(Sun(home, {"init"}).exit_code, 0);
  RunResult check = Sun(home, {"schedules", "check"});
  ASSERT_EQ(check.exit_code, 0) << check.out << check.err;
  PutFixtures(home.path());

  RunResult queue = Sun(home, {"records", "list", "--unclassified", "--json"});
  ASSERT_EQ(queue.exit_code, 0) << queue.err;
  EXPECT_EQ(std::count(queue.out.begin(), queue.out.end(), '\n'), 6) << queue.out;

  RunResult classify = Sun(home, {"classify", "--json", "--as-of", "2025-08-01"});
  ASSERT_EQ(classify.exit_code, 0) << classify.err;
  JsonObject c = Json(classify);
  EXPECT_EQ(c->getValue<int>("classified"), 6);
  EXPECT_EQ(c->getValue<int>("unclassified"), 0);
  EXPECT_EQ(Sun(home, {"records", "list", "--unclassified", "--json"}).out, "");
  RunResult why = Sun(home, {"classify", "show", "3"});
  EXPECT_NE(why.out.find("EX-MO-002"), std::string::npos) << why.out;
  EXPECT_NE(why.out.find("subject matched 'automatic reply'"), std::string::npos) << why.out;

  // Before anything is due.
  RunResult early = Sun(home, {"dispose", "--dry-run", "--json", "--as-of", "2022-06-01"});
  ASSERT_EQ(early.exit_code, 0) << early.err;
  EXPECT_EQ(Json(early)->getArray("due")->size(), 0u);

  RunResult dry = Sun(home, {"dispose", "--dry-run", "--as-of", "2025-08-01"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("5 record(s) due"), std::string::npos) << dry.out;
  EXPECT_EQ(dry.out.find("EX-MO-003"), std::string::npos) << "no request-closed event yet";

  RunResult propose = Sun(home, {"dispose", "propose", "--json", "--as-of", "2025-08-01"});
  ASSERT_EQ(propose.exit_code, 0) << propose.err;
  EXPECT_EQ(Json(propose)->getValue<int>("records"), 5);
  std::string list = std::to_string(Json(propose)->getValue<int>("list"));

  // Nightly without approval destroys nothing.
  RunResult unapproved = Sun(home, {"nightly", "--as-of", "2025-08-01"});
  EXPECT_NE(unapproved.exit_code, 3) << unapproved.out << unapproved.err;
  EXPECT_TRUE(DatabaseFilesContain(home.path(), "quartzite"));

  RunResult approve =
      Sun(home, {"dispose", "approve", list, "--approver", "Jane Roe, Records Officer"});
  ASSERT_EQ(approve.exit_code, 0) << approve.err;
  RunResult hold = Sun(home, {"hold", "create", "--name", "Lighthouse suit", "--reason",
                              "contract dispute; counsel letter", "--record", "4", "--json"});
  ASSERT_EQ(hold.exit_code, 0) << hold.err;

  RunResult nightly = Sun(home, {"nightly", "--as-of", "2025-08-02"});
  EXPECT_NE(nightly.exit_code, 3) << nightly.out << nightly.err;
  EXPECT_NE(nightly.out.find("skipped (put on hold after approval)"), std::string::npos)
      << nightly.out;

  // The held record survives with its content; the others are gone.
  EXPECT_TRUE(DatabaseFilesContain(home.path(), "obsidian lighthouse"));
  for (const char* word :
       {"quartzite", "Marmalade", "zeppelin", "tangerine", "xylophone", "pelican", "Sam Public"}) {
    EXPECT_FALSE(DatabaseFilesContain(home.path(), word)) << word;
  }
  // The event-based request file is not due and survives too.
  EXPECT_TRUE(DatabaseFilesContain(home.path(), "walrus"));

  Path certificate =
      home.path() / "output" / "certificates" / ("disposition-list-" + list + ".txt");
  std::string text = testing::ReadTextFile(certificate);
  EXPECT_NE(text.find("Jane Roe, Records Officer"), std::string::npos) << text;
  for (const char* item : {"EX-MO-001", "EX-MO-002", "EX-MO-004"}) {
    EXPECT_NE(text.find(item), std::string::npos) << item;
  }
  EXPECT_NE(text.find("Disposed: 4 record(s); not disposed: 1"), std::string::npos) << text;
  auto json = ParseJsonObject(testing::ReadTextFile(
      certificate.string().substr(0, certificate.string().size() - 4) + ".json"));
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)->getValue<int>("records_disposed"), 4);

  RunResult audit = Sun(home, {"audit", "log", "--action", "dispose."});
  EXPECT_NE(audit.out.find("dispose.certificate"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("dispose.destroy"), std::string::npos);
  EXPECT_EQ(Sun(home, {"audit", "verify"}).exit_code, 0);

  // The request closes: recorded event, then due three years after the fiscal-year cutoff.
  ASSERT_EQ(
      Sun(home, {"event", "record", "request-closed", "--record", "5", "--date", "2022-09-01"})
          .exit_code,
      0);
  RunResult later = Sun(home, {"dispose", "--dry-run", "--json", "--as-of", "2026-07-01"});
  std::string later_out = later.out;
  EXPECT_NE(later_out.find("\"item\":\"EX-MO-003\""), std::string::npos) << later_out;
  EXPECT_NE(later_out.find("\"due_date\":\"2026-07-01\""), std::string::npos) << later_out;

  // Releasing the hold makes record 4 proposable again.
  RunResult release = Sun(home, {"hold", "release", "1", "--reason", "settled"});
  EXPECT_EQ(release.exit_code, 0) << release.err;
  RunResult again = Sun(home, {"dispose", "propose", "--json", "--as-of", "2026-07-01"});
  EXPECT_EQ(Json(again)->getValue<int>("records"), 2);

  // Holds not reviewed for six months are flagged by the nightly run; a review clears it.
  ASSERT_EQ(Sun(home, {"hold", "create", "--name", "State audit", "--reason", "State Auditor",
                       "--kind", "audit", "--series", "EX-MO-003", "--as-of", "2026-07-01"})
                .exit_code,
            0);
  RunResult flagged = Sun(home, {"nightly", "--as-of", "2027-01-05"});
  EXPECT_NE(flagged.out.find("hold 2 (State audit) not reviewed since 2026-07-01"),
            std::string::npos)
      << flagged.out;
  ASSERT_EQ(Sun(home, {"hold", "review", "2", "--note", "audit continues", "--as-of", "2027-01-05"})
                .exit_code,
            0);
  RunResult reviewed = Sun(home, {"nightly", "--as-of", "2027-01-06"});
  EXPECT_EQ(reviewed.out.find("not reviewed since"), std::string::npos) << reviewed.out;
}

TEST(RetentionE2eTest, SigkillMidDestroyLeavesNoHalfDestroyedRecord) {
  testing::TempDir home;
  ASSERT_EQ(Sun(home, {"init"}).exit_code, 0);
  PutFixtures(home.path(), 80);  // 480 records
  ASSERT_EQ(Sun(home, {"classify", "--as-of", "2025-08-01"}).exit_code, 0);
  RunResult propose = Sun(home, {"dispose", "propose", "--json", "--as-of", "2025-08-01"});
  ASSERT_EQ(propose.exit_code, 0) << propose.err;
  std::string list = std::to_string(Json(propose)->getValue<int>("list"));
  ASSERT_EQ(Sun(home, {"dispose", "approve", list, "--approver", "R. Officer"}).exit_code, 0);

  auto check_whole = [&](const char* when) {
    auto store = Store::Open(Home(home.path()), StoreAccess::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Database& db = (*store)->db();
    // A record is either untouched (content, attachments, index entry, pending item) or
    // destroyed completely (blank row, tombstone, no attachments, no index entry, done item).
    auto bad = db.QueryInt(
        "SELECT count(*) FROM records r LEFT JOIN disposition_items di ON di.record_id = r.id "
        "WHERE NOT ("
        " (r.status = 'active' AND r.body <> '' AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE"
        "   t.record_id = r.id) AND (di.status IS NULL OR di.status <> 'done') AND"
        "   EXISTS (SELECT 1 FROM records_fts f WHERE f.rowid = r.id))"
        " OR (r.status = 'destroyed' AND r.body = '' AND r.title = '' AND"
        "   EXISTS (SELECT 1 FROM tombstones t WHERE t.record_id = r.id) AND di.status = 'done'"
        "   AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)"
        "   AND NOT EXISTS (SELECT 1 FROM form_fields ff WHERE ff.record_id = r.id)"
        "   AND NOT EXISTS (SELECT 1 FROM records_fts f WHERE f.rowid = r.id)))");
    ASSERT_TRUE(bad.ok()) << bad.status().ToString();
    EXPECT_EQ(bad->value_or(-1), 0) << when;
    auto destroyed = db.QueryInt("SELECT count(*) FROM tombstones");
    std::cerr << when << ": " << destroyed->value_or(-1) << " destroyed\n";
  };

  // Kills at increasing times: the first ones land before or during the destruction of
  // the list, later ones during the compaction or certificate (the printed counts show where).
  for (int kill_ms : {40, 60, 80, 100, 130, 170, 220}) {
    RunResult killed =
        RunSunshine({"--home", home.str(), "dispose", "run"},
                    {.stdin_text = std::nullopt, .env = {}, .kill_after_ms = kill_ms});
    check_whole(("after SIGKILL at " + std::to_string(kill_ms) + " ms").c_str());
  }
  RunResult rerun = Sun(home, {"dispose", "run", "--json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  check_whole("after the rerun");
  auto store = Store::Open(Home(home.path()), StoreAccess::kReadOnly);
  ASSERT_TRUE(store.ok());
  auto destroyed = (*store)->db().QueryInt("SELECT count(*) FROM tombstones");
  EXPECT_EQ(destroyed->value_or(0), 80 * 5);  // all due (the request file is event-based)
  auto status = (*store)->db().QueryText("SELECT status FROM disposition_lists WHERE id = $1",
                                         {std::int64_t{std::stoll(list)}});
  EXPECT_EQ(status->value_or(""), "executed");
  store->reset();
  EXPECT_FALSE(DatabaseFilesContain(home.path(), "quartzite"));
  EXPECT_EQ(Sun(home, {"audit", "verify"}).exit_code, 0);
}

}  // namespace
}  // namespace sunshine
