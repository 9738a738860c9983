// Web forms as an officer meets them, on the real binary: check the definitions, import the
// month's JSON, JSON Lines and CSV exports, find a value, rerun (nothing twice), and the
// nightly run picking up a dropped file.
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/records/record_repository.h"
#include "engine/store/store.h"
#include "tests/testutil/run_binary.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using ::testing::HasSubstr;
using testing::RunResult;
using testing::RunSunshine;

const Path kData = Path(SUNSHINE_SOURCE_DIR) / "tests" / "data" / "forms";

Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

class FormsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.str() + "/home";
    RunResult init = Run({"init"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
  }
  RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--home", home_, "--actor", "e2e"});
    return RunSunshine(args);
  }
  std::vector<std::string> ImportArgs() {
    return {"import",
            "forms",
            "--definitions",
            (kData / "definitions").string(),
            (kData / "submissions" / "contact-2026-03.json").string(),
            (kData / "submissions" / "contact-2026-03.jsonl").string(),
            (kData / "submissions" / "elections-2026-03.csv").string()};
  }
  testing::TempDir dir_;
  std::string home_;
};

TEST_F(FormsE2eTest, ImportAllFormatsFindAndRerun) {
  std::vector<std::string> args = ImportArgs();
  args.push_back("--json");
  RunResult import = Run(args);
  EXPECT_EQ(import.exit_code, 1) << import.err;  // one item per file was quarantined
  auto out = ParseObject(import.out);
  EXPECT_EQ(out->getValue<int>("seen"), 10);
  EXPECT_EQ(out->getValue<int>("imported"), 7);
  EXPECT_EQ(out->getValue<int>("duplicates"), 0);
  EXPECT_EQ(out->getValue<int>("quarantined"), 3);
  EXPECT_EQ(out->getValue<int>("missing_required"), 1);
  EXPECT_EQ(out->getValue<int>("unrequested"), 3);
  EXPECT_TRUE(out->getValue<bool>("balanced"));
  EXPECT_THAT(import.out, HasSubstr("line 5: malformed CSV row: quote inside an unquoted field"));
  EXPECT_THAT(import.out, HasSubstr("unknown form id 'library-card-request'"));

  {
    auto store = Store::Open(Home(Path(home_)), StoreAccess::kReadOnly);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Database& db = (*store)->db();
    auto unrequested = db.QueryInt(
        "SELECT count(*) FROM form_fields WHERE requested = 0 AND name = 'ssn' AND "
        "value = '078-05-1120'");
    ASSERT_TRUE(unrequested.ok());
    EXPECT_EQ(unrequested->value_or(0), 1);
    int found = 0;
    Status status = RecordRepository::Search(db, "Tower Grove", {}, [&](const Record& record) {
      ++found;
      EXPECT_EQ(record.form_id, "elections-question");
      return Status();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(found, 1);
  }

  // `records search` finds a submitted value.
  RunResult search = Run({"records", "search", "Dunklin", "--json"});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  EXPECT_THAT(search.out, HasSubstr("general-inquiry"));
  RunResult by_kind = Run({"records", "search", "absentee", "--kind", "form"});
  EXPECT_EQ(by_kind.exit_code, 0) << by_kind.err;
  EXPECT_THAT(by_kind.out, HasSubstr("ruth.ellison@example.com"));

  // Rerun: every file is recognised by its bytes and nothing is imported twice.
  RunResult again = Run(args);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  auto second = ParseObject(again.out);
  EXPECT_EQ(second->getValue<int>("seen"), 0);
  EXPECT_EQ(second->getValue<int>("files_skipped"), 3);

  RunResult text = Run(ImportArgs());
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("already imported (same bytes), skipped"));
  EXPECT_THAT(text.out, HasSubstr("balance: seen 0 = imported 0 + duplicates 0 + quarantined 0"));

  RunResult verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(FormsE2eTest, TextSummaryNamesQuarantinedLines) {
  RunResult import = Run(ImportArgs());
  EXPECT_EQ(import.exit_code, 1) << import.err;
  EXPECT_THAT(import.out, HasSubstr("contact-2026-03.jsonl (jsonl): 3 seen, 2 imported, "
                                    "0 duplicate(s), 1 quarantined"));
  EXPECT_THAT(import.out, HasSubstr("  quarantined line 2: invalid JSON"));
  EXPECT_THAT(import.out, HasSubstr("  quarantined line 5: malformed CSV row: quote inside an "
                                    "unquoted field"));
  EXPECT_THAT(import.out, HasSubstr("balance: seen 10 = imported 7 + duplicates 0 + "
                                    "quarantined 3"));
  EXPECT_THAT(import.out, HasSubstr("1 imported submission(s) flagged missing-required-field"));
}

TEST_F(FormsE2eTest, DefinitionsAreCheckedFirst) {
  RunResult check = Run({"forms", "check", "--definitions", (kData / "bad-definitions").string()});
  EXPECT_EQ(check.exit_code, 1);
  std::string bad = (kData / "bad-definitions").string();
  EXPECT_THAT(check.out, HasSubstr(bad + "/bad-category.toml:10: key 'fields[1].category': "
                                         "unknown category 'telephone'"));
  EXPECT_THAT(check.out, HasSubstr(bad + "/missing-label.toml:7: key 'fields[1].label': "
                                         "missing (it is required)"));
  EXPECT_THAT(check.out, HasSubstr("FAILED: 0 valid form definition(s), 2 invalid"));

  RunResult good =
      Run({"forms", "check", "--definitions", (kData / "definitions").string(), "--json"});
  EXPECT_EQ(good.exit_code, 0) << good.out;
  EXPECT_THAT(good.out, HasSubstr("\"ok\":true"));

  // No import runs with an invalid definition: it could mark fields wrongly.
  std::vector<std::string> args = ImportArgs();
  args[3] = bad;
  RunResult refused = Run(args);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("2 invalid form definition(s)"));

  // Without a definitions folder the import says where it looked.
  RunResult none = Run({"import", "forms", (kData / "submissions").string()});
  EXPECT_EQ(none.exit_code, 3);
  EXPECT_THAT(none.err, HasSubstr("form definitions folder"));
}

TEST_F(FormsE2eTest, ListAndShow) {
  std::string definitions = (kData / "definitions").string();
  RunResult list = Run({"forms", "list", "--definitions", definitions});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("elections-question"));
  EXPECT_THAT(list.out, HasSubstr("general-inquiry"));
  RunResult show =
      Run({"forms", "show", "elections-question", "--definitions", definitions, "--json"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  auto form = ParseObject(show.out);
  EXPECT_EQ(form->getValue<std::string>("id"), "elections-question");
  EXPECT_EQ(form->getArray("agencies")->size(), 1u);
  EXPECT_EQ(form->getArray("fields")->size(), 7u);
  RunResult missing = Run({"forms", "show", "nope", "--definitions", definitions});
  EXPECT_EQ(missing.exit_code, 3);
  RunResult help = Run({"import", "forms", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--definitions DIR"));
}

// A run killed at any point and run again ends with every submission imported exactly once:
// a file is one transaction, recorded as imported in that same transaction.
TEST_F(FormsE2eTest, KilledImportThenRerunLosesAndDuplicatesNothing) {
  std::string jsonl;
  for (int i = 0; i < 3000; ++i) {
    jsonl += "{\"form_id\": \"general-inquiry\", \"submission_id\": \"K-" + std::to_string(i) +
             "\", \"submitted_at\": \"2026-03-02T09:00:00Z\", \"fields\": {\"first_name\": "
             "\"Pat\", \"last_name\": \"Lee\", \"email\": \"pat@example.com\", \"topic\": "
             "\"Other\", \"message\": \"Question number " +
             std::to_string(i) + "\"}}\n";
  }
  Path file = dir_.path() / "big.jsonl";
  testing::WriteTextFile(file, jsonl);
  std::vector<std::string> args = {"--home",     home_,           "import",
                                   "forms",      "--definitions", (kData / "definitions").string(),
                                   file.string()};
  testing::RunOptions kill;
  kill.kill_after_ms = 400;
  RunSunshine(args, kill);  // killed somewhere, or finished: either way the rerun completes it
  args.push_back("--json");
  RunResult rerun = RunSunshine(args);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  auto store = Store::Open(Home(Path(home_)), StoreAccess::kReadOnly);
  ASSERT_TRUE(store.ok());
  auto records = (*store)->db().QueryInt("SELECT count(*) FROM records");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->value_or(0), 3000);
  auto files = (*store)->db().QueryInt("SELECT count(*) FROM source_files");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->value_or(0), 1);
}

TEST_F(FormsE2eTest, NightlyImportsDroppedFiles) {
  boost::filesystem::create_directories(Path(home_) / "forms");
  for (const char* name : {"general-inquiry.toml", "elections-question.toml"}) {
    boost::filesystem::copy_file(kData / "definitions" / name, Path(home_) / "forms" / name);
  }
  testing::WriteTextFile(Path(home_) / "drop" / "forms" / "upload.jsonl",
                         testing::ReadTextFile(kData / "submissions" / "contact-2026-03.jsonl"));
  // Other steps decide the exit code too, so this test looks at what import-forms did.
  RunResult nightly = Run({"nightly", "--json"});
  EXPECT_NE(nightly.exit_code, 0) << nightly.out << nightly.err;  // one line quarantined
  EXPECT_THAT(nightly.out, HasSubstr("import-forms"));
  EXPECT_THAT(nightly.out, HasSubstr("\"quarantined\":1"));
  RunResult rerun = Run({"nightly"});
  EXPECT_THAT(rerun.out, HasSubstr("form submissions: seen 0 = imported 0"));
  auto store = Store::Open(Home(Path(home_)), StoreAccess::kReadOnly);
  ASSERT_TRUE(store.ok());
  auto records = (*store)->db().QueryInt("SELECT count(*) FROM records WHERE kind = 'form'");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->value_or(0), 2);
}

}  // namespace
}  // namespace sunshine
