// End to end: the real binary in a temporary home. Mail and form submissions with planted
// identifiers are imported; a request is opened, searched, filled, estimated, exported and
// verified; a flipped byte fails verification naming the file; an injected value makes the
// leak gate refuse; and pdftotext of every PDF shows no redacted value.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/core/json.h"
#include "exporters/zip_archive.h"
#include "tests/testutil/run_binary.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using testing::ReadTextFile;
using testing::RunResult;
using testing::RunSunshine;
using testing::TempDir;
using testing::WriteTextFile;

const Path kData = Path(SUNSHINE_SOURCE_DIR) / "tests" / "data" / "requests";

// Every planted value, in the forms a leak could take.
const std::vector<std::string> kPlanted = {
    "123-45-6789", "123456789", "4111-1111-1111-1111", "4111 1111 1111 1111", "4111111111111111",
    "234-56-7890", "234567890"};

class RequestE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.path() / "home";
    out_ = dir_.path() / "out";
    ASSERT_EQ(Run({"init"}).exit_code, 0);
    for (const char* form : {"parking-permit.toml", "general-inquiry.toml"}) {
      WriteTextFile(home_ / "forms" / form, ReadTextFile(kData / "forms" / form));
    }
    std::string config = ReadTextFile(home_ / "sunshine.toml");
    ReplaceOnce(config, "clerical_hourly_rate = 0.0", "clerical_hourly_rate = 18.0");
    ReplaceOnce(config, "research_hourly_rate = 0.0", "research_hourly_rate = 30.0");
    WriteTextFile(home_ / "sunshine.toml", config);
    RunResult mail = Run({"import", "mail", (kData / "mail" / "parking.mbox").string()});
    ASSERT_NE(mail.exit_code, 2) << mail.err;
    ASSERT_NE(mail.exit_code, 3) << mail.err;
    RunResult forms = Run({"import", "forms", (kData / "submissions.json").string()});
    ASSERT_NE(forms.exit_code, 2) << forms.err;
    ASSERT_NE(forms.exit_code, 3) << forms.err;
  }

  static void ReplaceOnce(std::string& text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  }

  RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--home", home_.string(), "--actor", "officer.jones"});
    return RunSunshine(args);
  }

  JsonObject RunJson(std::vector<std::string> args, int expected_exit = 0) {
    args.push_back("--json");
    RunResult result = Run(args);
    EXPECT_EQ(result.exit_code, expected_exit) << result.err << result.out;
    auto parsed = ParseJsonObject(result.out);
    EXPECT_TRUE(parsed.ok()) << result.out;
    return parsed.ok() ? *parsed : NewJsonObject();
  }

  std::string OpenRequest() {
    JsonObject opened =
        RunJson({"request", "open", "--requester", "Jordan Reporter", "--contact",
                 "jordan@news.example", "--received", "2026-03-02T10:00", "--description",
                 "all correspondence about the parking fee increase since January", "--format",
                 "paper", "--as-of", "2026-03-02"});
    return opened->optValue<std::string>("id", "");
  }

  // Searches and adds every hit; returns the hit ids.
  std::vector<std::int64_t> SearchAndAdd(const std::string& id) {
    JsonObject found = RunJson({"request", "search", id, "parking fee", "--add"});
    std::vector<std::int64_t> ids;
    JsonArray hits = found->getArray("hits");
    for (std::size_t i = 0; hits && i < hits->size(); ++i) {
      ids.push_back(hits->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("id"));
    }
    return ids;
  }

  static bool ContainsPlanted(const std::string& text, std::string* which) {
    for (const std::string& value : kPlanted) {
      if (text.find(value) != std::string::npos) {
        *which = value;
        return true;
      }
    }
    return false;
  }

  TempDir dir_;
  Path home_;
  Path out_;
};

TEST_F(RequestE2eTest, OpenGivesIdAndDueDateAndListShowsOverdueFirst) {
  RunResult opened =
      Run({"request", "open", "--requester", "Jordan Reporter", "--received", "2026-11-23T09:30",
           "--description", "permit files", "--as-of", "2026-11-23"});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  // Thanksgiving on Thursday 26 November: Tuesday, Wednesday, Friday.
  EXPECT_NE(opened.out.find("2026-0001"), std::string::npos) << opened.out;
  EXPECT_NE(opened.out.find("2026-11-27"), std::string::npos) << opened.out;
  JsonObject second =
      RunJson({"request", "open", "--requester", "Second", "--received", "2026-11-25T09:30",
               "--description", "other", "--as-of", "2026-11-25"});
  EXPECT_EQ(second->getValue<std::string>("id"), "2026-0002");
  EXPECT_EQ(second->getValue<std::string>("due_date"), "2026-12-01");

  JsonObject list = RunJson({"request", "list", "--as-of", "2026-11-30"});
  EXPECT_EQ(list->getValue<int>("overdue"), 1);
  JsonArray requests = list->getArray("requests");
  ASSERT_EQ(requests->size(), 2u);
  EXPECT_EQ(requests->getObject(0)->getValue<std::string>("id"), "2026-0001");
  EXPECT_TRUE(requests->getObject(0)->getValue<bool>("overdue"));

  // 610.023.3: an explained delay moves the date the office is held to.
  ASSERT_EQ(Run({"request", "extend", "2026-0001", "--reason",
                 "records are in off-site storage and must be retrieved", "--available-on",
                 "2026-12-04", "--as-of", "2026-11-27"})
                .exit_code,
            0);
  list = RunJson({"request", "list", "--as-of", "2026-11-30"});
  EXPECT_EQ(list->getValue<int>("overdue"), 0);

  // Denial needs the provision; withdrawal needs notice and the waiting period.
  EXPECT_EQ(Run({"request", "status", "2026-0002", "denied", "--reason", "closed"}).exit_code, 2);
  ASSERT_EQ(Run({"request", "status", "2026-0002", "awaiting-payment", "--reason",
                 "estimate sent with notice", "--as-of", "2026-11-30"})
                .exit_code,
            0);
  EXPECT_NE(Run({"request", "status", "2026-0002", "withdrawn", "--reason", "no payment", "--as-of",
                 "2027-01-15"})
                .exit_code,
            0);
  JsonObject withdrawn =
      RunJson({"request", "status", "2026-0002", "withdrawn", "--reason",
               "no payment within 90 days of the notice", "--as-of", "2027-03-01"});
  EXPECT_EQ(withdrawn->getValue<std::string>("status"), "withdrawn");
  EXPECT_EQ(withdrawn->getValue<std::string>("withdraw_after"), "2027-02-28");

  RunResult audit = Run({"audit", "log", "--object", "request:2026-0002"});
  EXPECT_NE(audit.out.find("request.open"), std::string::npos);
  EXPECT_NE(audit.out.find("request.status"), std::string::npos);
}

TEST_F(RequestE2eTest, SearchEstimateExportVerifyAndShare) {
  std::string id = OpenRequest();
  ASSERT_EQ(id, "2026-0001");
  std::vector<std::int64_t> hits = SearchAndAdd(id);
  // Three messages and two submissions mention the parking fee increase; the lunch order not.
  EXPECT_EQ(hits.size(), 5u);
  JsonObject shown = RunJson({"request", "show", id});
  EXPECT_EQ(shown->getArray("records")->size(), 5u);
  RunResult holds = Run({"audit", "log", "--action", "hold."});
  EXPECT_NE(holds.out.find("request:2026-0001"), std::string::npos) << holds.out;

  JsonObject estimate = RunJson({"request", "estimate", id, "--research-hours", "1.5"});
  EXPECT_GT(estimate->getValue<std::int64_t>("total_cents"), 4500);
  std::string estimate_text = ToJson(estimate);
  EXPECT_NE(estimate_text.find("Paper copies"), std::string::npos);
  EXPECT_NE(estimate_text.find("610.035"), std::string::npos) << "SSN redaction is chargeable";

  JsonObject exported = RunJson({"request", "export", id, "--out", out_.string()});
  ASSERT_TRUE(exported->getValue<bool>("published"));
  Path zip = exported->getValue<std::string>("package");
  ASSERT_TRUE(boost::filesystem::exists(zip));
  EXPECT_EQ(zip.filename().string(), "request-2026-0001-1.zip");
  for (const auto& entry : boost::filesystem::directory_iterator(out_)) {
    EXPECT_EQ(entry.path(), zip) << "nothing but the published package is left in the folder";
  }

  RunResult verified = RunSunshine({"package", "verify", zip.string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;

  std::vector<ZipReadProblem> problems;
  auto entries = ReadZip(zip, &problems);
  ASSERT_TRUE(entries.ok());
  ASSERT_TRUE(problems.empty());
  std::map<std::string, std::string> files;
  for (const ZipEntry& entry : *entries) {
    files[entry.name.substr(entry.name.find('/') + 1)] = entry.bytes;
  }
  for (const char* required :
       {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt",
        "tagmanifest-sha256.txt", "data/index.csv", "data/redaction-log.csv",
        "data/withheld-log.csv", "data/cover-letter.txt", "data/cover-letter.pdf",
        "data/audit-excerpt.jsonl", "data/records/SOS-000001.pdf", "data/records/SOS-000001.txt"}) {
    EXPECT_TRUE(files.count(required)) << required;
  }
  EXPECT_NE(files["bag-info.txt"].find("Sunshine-Request-Id: 2026-0001"), std::string::npos);
  EXPECT_NE(files["data/redaction-log.csv"].find("610.035"), std::string::npos)
      << files["data/redaction-log.csv"];
  EXPECT_NE(files["data/withheld-log.csv"].find("fee-study.dat"), std::string::npos)
      << files["data/withheld-log.csv"];
  EXPECT_NE(files["data/cover-letter.txt"].find("2026-03-05"), std::string::npos);
  EXPECT_NE(files["data/audit-excerpt.jsonl"].find("request.open"), std::string::npos);

  // No planted value anywhere: not in any entry, not in what pdftotext extracts.
  int pdfs = 0;
  for (const auto& [name, bytes] : files) {
    std::string which;
    EXPECT_FALSE(ContainsPlanted(bytes, &which)) << name << " holds " << which;
    if (name.size() > 4 && name.substr(name.size() - 4) == ".pdf") {
      ++pdfs;
      Path pdf = dir_.path() / "check.pdf";
      WriteTextFile(pdf, bytes);
      RunResult text = testing::RunProgram({"pdftotext", "-enc", "UTF-8", pdf.string(), "-"});
      ASSERT_EQ(text.exit_code, 0) << text.err;
      EXPECT_FALSE(ContainsPlanted(text.out, &which)) << name << " (pdftotext) holds " << which;
      if (name.rfind("data/records/", 0) == 0) {
        EXPECT_NE(text.out.find("SOS-0000"), std::string::npos) << name;
      }
    }
  }
  EXPECT_GE(pdfs, 6);

  // One flipped byte: verification fails and names the file.
  std::string bytes = ReadTextFile(zip);
  std::string needle = "data/index.csv";
  std::size_t at = bytes.find(needle);
  ASSERT_NE(at, std::string::npos);
  std::size_t flip = at + needle.size() + 30;
  bytes[flip] = static_cast<char>(bytes[flip] ^ 0x01);
  Path broken = dir_.path() / "broken.zip";
  WriteTextFile(broken, bytes);
  RunResult failed = RunSunshine({"package", "verify", broken.string()});
  EXPECT_EQ(failed.exit_code, 1) << failed.out;
  EXPECT_NE(failed.out.find("data/index.csv"), std::string::npos) << failed.out;

  // Sharing: only the parking-permit submission relates to the Department of Revenue.
  RunResult shared =
      Run({"share", "--agency", "Missouri Department of Revenue", "--request", id, "--reason",
           "permit holder's registration question", "--out", out_.string(), "--json"});
  ASSERT_EQ(shared.exit_code, 0) << shared.err;
  EXPECT_NE(shared.err.find("refused: record"), std::string::npos) << shared.err;
  auto share_json = ParseJsonObject(shared.out);
  ASSERT_TRUE(share_json.ok()) << shared.out;
  EXPECT_EQ((*share_json)->getArray("records")->size(), 1u);
  Path share_zip = (*share_json)->getValue<std::string>("package");
  EXPECT_EQ(RunSunshine({"package", "verify", share_zip.string()}).exit_code, 0);

  JsonObject log = RunJson({"share", "log", "--agency", "missouri department of revenue"});
  ASSERT_EQ(log->getArray("disclosures")->size(), 1u);
  JsonObject all = RunJson({"share", "log"});
  EXPECT_EQ(all->getArray("disclosures")->size(), 2u);
}

TEST_F(RequestE2eTest, DeterminationAllowsSharingARecordTheFormDoesNot) {
  std::string id = OpenRequest();
  std::vector<std::int64_t> hits = SearchAndAdd(id);
  ASSERT_FALSE(hits.empty());
  std::int64_t record = hits.back();
  std::string agency = "Missouri State Highway Patrol";
  RunResult refused = Run({"share", "--agency", agency, "--record", std::to_string(record),
                           "--reason", "referral", "--out", out_.string()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("no determination"), std::string::npos) << refused.err;
  ASSERT_EQ(Run({"share", "determine", "--record", std::to_string(record), "--agency", agency,
                 "--reason", "the writer asked us to forward the question to the Patrol"})
                .exit_code,
            0);
  RunResult allowed = Run({"share", "--agency", agency, "--record", std::to_string(record),
                           "--reason", "referral", "--out", out_.string()});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  JsonObject log = RunJson({"share", "log", "--record", std::to_string(record)});
  ASSERT_EQ(log->getArray("disclosures")->size(), 1u);
  EXPECT_NE(ToJson(log).find("determination by officer.jones"), std::string::npos);
}

TEST_F(RequestE2eTest, LeakGateRefusesAnInjectedValueAndPublishesNothing) {
  std::string id = OpenRequest();
  ASSERT_FALSE(SearchAndAdd(id).empty());
  // An officer's note repeats a redacted SSN: it reaches the cover letter and the audit
  // excerpt, where no redaction applies. The gate must catch it.
  ASSERT_EQ(Run({"request", "extend", id, "--reason",
                 "checking the account of SSN 123 45 6789 with the billing vendor",
                 "--available-on", "2026-03-20", "--as-of", "2026-03-04"})
                .exit_code,
            0);
  RunResult exported = Run({"request", "export", id, "--out", out_.string()});
  EXPECT_EQ(exported.exit_code, 1) << exported.out << exported.err;
  EXPECT_NE(exported.err.find("NOT published"), std::string::npos) << exported.err;
  EXPECT_NE(exported.err.find("record"), std::string::npos);
  std::string which;
  EXPECT_FALSE(ContainsPlanted(exported.err + exported.out, &which)) << "message leaks " << which;
  EXPECT_EQ(exported.err.find("6789"), std::string::npos);
  bool any = boost::filesystem::exists(out_) &&
             boost::filesystem::directory_iterator(out_) != boost::filesystem::directory_iterator();
  EXPECT_FALSE(any) << "nothing may be published or left behind";
  RunResult audit = Run({"audit", "log", "--action", "request.export-refused"});
  EXPECT_NE(audit.out.find("request.export-refused"), std::string::npos);
}

TEST_F(RequestE2eTest, ValueInAnAttachmentNameIsNeverPublished) {
  RunResult imported =
      Run({"import", "mail", (kData / "mail" / "leaky-attachment-name.mbox").string()});
  ASSERT_NE(imported.exit_code, 3) << imported.err;
  std::string id = OpenRequest();
  JsonObject found = RunJson({"request", "search", id, "receipt", "--add"});
  ASSERT_EQ(found->getArray("hits")->size(), 1u);
  std::int64_t record = found->getArray("hits")->getObject(0)->getValue<std::int64_t>("id");
  RunResult exported = Run({"request", "export", id, "--out", out_.string()});
  EXPECT_EQ(exported.err.find("8901"), std::string::npos) << "messages never hold the value";
  if (exported.exit_code == 1) {
    EXPECT_NE(exported.err.find("record " + std::to_string(record)), std::string::npos)
        << exported.err;
    EXPECT_NE(exported.err.find("withheld-log.csv"), std::string::npos) << exported.err;
    EXPECT_EQ(boost::filesystem::directory_iterator(out_), boost::filesystem::directory_iterator())
        << "nothing may be published";
    return;
  }
  // The redactor redacted the attachment's name too: then the value must be nowhere.
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  for (const auto& file : boost::filesystem::directory_iterator(out_)) {
    auto entries = ReadZip(file.path(), nullptr);
    ASSERT_TRUE(entries.ok());
    for (const ZipEntry& entry : *entries) {
      EXPECT_EQ(entry.bytes.find("345678901"), std::string::npos) << entry.name;
      EXPECT_EQ(entry.bytes.find("345-67-8901"), std::string::npos) << entry.name;
    }
  }
}

TEST_F(RequestE2eTest, NightlyReleasesTheHoldAfterTheRequestCloses) {
  std::string id = OpenRequest();
  ASSERT_FALSE(SearchAndAdd(id).empty());
  ASSERT_EQ(Run({"request", "status", id, "fulfilled", "--reason", "package sent", "--as-of",
                 "2026-03-06"})
                .exit_code,
            0);
  JsonObject shown = RunJson({"request", "show", id});
  EXPECT_EQ(shown->getValue<std::string>("hold_release_on"), "2026-06-04");
  Run({"nightly", "--as-of", "2026-06-03"});
  EXPECT_EQ(Run({"audit", "log", "--action", "request.release-holds"}).out.find(id),
            std::string::npos);
  Run({"nightly", "--as-of", "2026-06-04"});
  RunResult released = Run({"audit", "log", "--action", "request.release-holds"});
  EXPECT_NE(released.out.find("request:" + id), std::string::npos) << released.out;
  RunResult holds = Run({"audit", "log", "--action", "hold.release"});
  EXPECT_NE(holds.out.find("hold.release"), std::string::npos) << holds.out;
  shown = RunJson({"request", "show", id});
  EXPECT_TRUE(shown->getValue<bool>("holds_released"));
}

TEST_F(RequestE2eTest, RequesterAskingForTheirOwnMailIsNotRefusedByTheirOwnName) {
  // Pat's name and address are redacted in Pat's own message (a private correspondent), and
  // the cover letter is addressed to Pat: the gate must not refuse on the address line.
  JsonObject opened = RunJson({"request", "open", "--requester", "Pat Resident", "--contact",
                               "pat.resident@example.net", "--received", "2026-03-02T10:00",
                               "--description", "my own complaint", "--as-of", "2026-03-02"});
  std::string id = opened->getValue<std::string>("id");
  JsonObject found = RunJson({"request", "search", id, "complaint", "--add"});
  ASSERT_GE(found->getArray("hits")->size(), 1u);
  JsonObject exported = RunJson({"request", "export", id, "--out", out_.string()});
  EXPECT_TRUE(exported->getValue<bool>("published"));
}

TEST_F(RequestE2eTest, RerunAfterAnExportKilledBeforeItsAccountingPublishesAgain) {
  std::string id = OpenRequest();
  SearchAndAdd(id);
  // What a kill between the rename into place and the accounting commit leaves behind: the
  // package file under the next name, with no disclosure row.
  boost::filesystem::create_directories(out_);
  Path leftover = out_ / ("request-" + id + "-1.zip");
  testing::WriteTextFile(leftover, "half of an interrupted export");
  JsonObject exported = RunJson({"request", "export", id, "--out", out_.string()});
  ASSERT_TRUE(exported->getValue<bool>("published"));
  EXPECT_EQ(Path(exported->getValue<std::string>("package")), leftover);
  EXPECT_EQ(RunSunshine({"package", "verify", leftover.string()}).exit_code, 0);
  RunResult audit = Run({"audit", "log", "--action", "request.export-unaccounted-removed"});
  EXPECT_NE(audit.out.find("request-" + id + "-1.zip"), std::string::npos) << audit.out;
  // An accounted package is never overwritten: the next export gets the next name.
  JsonObject again = RunJson({"request", "export", id, "--out", out_.string()});
  EXPECT_EQ(Path(again->getValue<std::string>("package")).filename().string(),
            "request-" + id + "-2.zip");
  EXPECT_TRUE(boost::filesystem::exists(leftover));
}

TEST_F(RequestE2eTest, PackageVerifyNeedsNoHomeAndRejectsNonZip) {
  Path junk = dir_.path() / "junk.zip";
  WriteTextFile(junk, "not a zip at all");
  RunResult result = RunSunshine(
      {"--home", (dir_.path() / "nowhere").string(), "package", "verify", junk.string()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
}

}  // namespace
}  // namespace sunshine
