// The real binary on real files in a temporary home: import mail, records search/show/list,
// the nightly drop folder, and an import killed with SIGKILL then rerun.
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "engine/core/json.h"
#include "tests/testutil/run_binary.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

namespace fs = boost::filesystem;
using ::testing::HasSubstr;
using testing::RunResult;
using testing::RunSunshine;

Path Fixtures() { return Path(SUNSHINE_SOURCE_DIR) / "tests" / "data" / "mail"; }

void CopyTree(const Path& from, const Path& to) {
  fs::create_directories(to);
  for (fs::recursive_directory_iterator it(from), end; it != end; ++it) {
    Path target = to / fs::relative(it->path(), from);
    if (fs::is_directory(it->path())) {
      fs::create_directories(target);
    } else {
      fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing);
    }
  }
}

class MailE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.str() + "/home";
    RunResult init = Run({"init"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    inbox_ = dir_.path() / "inbox";
    CopyTree(Fixtures() / "fixtures", inbox_);
    clamav_ = (Fixtures() / "clamav").string();
  }
  RunResult Run(std::vector<std::string> args, testing::RunOptions options = {}) {
    args.insert(args.begin(), {"--home", home_, "--actor", "e2e"});
    return RunSunshine(args, options);
  }
  static JsonObject Json(const std::string& text) {
    auto parsed = ParseJsonObject(text);
    EXPECT_TRUE(parsed.ok()) << text;
    return parsed.ok() ? *parsed : NewJsonObject();
  }
  static std::vector<JsonObject> JsonLines(const std::string& text) {
    std::vector<JsonObject> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) {
        out.push_back(Json(line));
      }
    }
    return out;
  }

  testing::TempDir dir_;
  std::string home_;
  Path inbox_;
  std::string clamav_;
};

TEST_F(MailE2eTest, ImportPrintsTheBalanceAndExitsOneWhenSomethingIsQuarantined) {
  RunResult run = Run({"import", "mail", inbox_.string(), "--clamav-db", clamav_, "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  JsonObject counts = Json(run.out);
  EXPECT_EQ(counts->getValue<std::int64_t>("seen"), 6);
  EXPECT_EQ(counts->getValue<std::int64_t>("imported"), 4);
  EXPECT_EQ(counts->getValue<std::int64_t>("duplicates"), 1);
  EXPECT_EQ(counts->getValue<std::int64_t>("quarantined"), 1);
  EXPECT_TRUE(counts->getValue<bool>("balanced"));

  // Rerun: every file already imported from the same place, nothing happens, exit 0.
  RunResult again = Run({"import", "mail", inbox_.string(), "--clamav-db", clamav_});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("messages seen 0 = imported 0 + duplicates 0 + quarantined 0"));
  EXPECT_THAT(again.out, HasSubstr("4 already imported"));

  RunResult verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

TEST_F(MailE2eTest, WithoutSignaturesTheImportWarnsLoudly) {
  fs::create_directories(dir_.path() / "empty-db");
  RunResult run = Run({"import", "mail", (inbox_ / "inbox.mbox").string(), "--clamav-db",
                       (dir_.path() / "empty-db").string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("WARNING: NO VIRUS SIGNATURES"));
  EXPECT_THAT(run.err, HasSubstr("NO VIRUS SIGNATURES"));
}

TEST_F(MailE2eTest, SearchListAndShow) {
  ASSERT_EQ(Run({"import", "mail", inbox_.string(), "--clamav-db", clamav_}).exit_code, 1);

  RunResult search = Run({"records", "search", "turnpike", "--json"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  auto hits = JsonLines(search.out);
  EXPECT_EQ(hits.size(), 2U);  // the original and its corrected duplicate

  // Encoded subject decoded; attachment text and nested message text are indexed.
  RunResult budget = Run({"records", "search", "roads", "--json"});
  auto budget_hits = JsonLines(budget.out);
  ASSERT_EQ(budget_hits.size(), 1U) << budget.out << budget.err;
  EXPECT_EQ(budget_hits[0]->getValue<std::string>("title"), "Budget übersicht");
  EXPECT_EQ(JsonLines(Run({"records", "search", "zebra", "--json"}).out).size(), 1U);
  EXPECT_EQ(JsonLines(Run({"records", "search", "pothole", "--kind", "form", "--json"}).out).size(),
            0U);

  RunResult by_sender = Run({"records", "list", "--sender", "CLERK@example.gov", "--from",
                             "2003-03-04", "--to", "2003-03-04", "--json"});
  ASSERT_EQ(by_sender.exit_code, 0) << by_sender.err;
  EXPECT_EQ(JsonLines(by_sender.out).size(), 1U);
  EXPECT_EQ(JsonLines(Run({"records", "list", "--json"}).out).size(),
            5U);  // 4 + 1 linked duplicate
  EXPECT_EQ(Run({"records", "list", "--kind", "letter"}).exit_code, 2);
  EXPECT_EQ(Run({"records", "search", "\"unterminated"}).exit_code, 2);

  std::int64_t id = budget_hits[0]->getValue<std::int64_t>("id");
  RunResult show = Run({"records", "show", std::to_string(id), "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  JsonObject record = Json(show.out);
  EXPECT_THAT(record->getValue<std::string>("body"), HasSubstr("Café receipts"));
  auto attachments = record->getArray("attachments");
  ASSERT_EQ(attachments->size(), 1U);
  EXPECT_EQ(attachments->getObject(0)->getValue<std::string>("filename"), "budget fy2003.csv");
  EXPECT_EQ(attachments->getObject(0)->getValue<std::string>("scan_status"), "clean");
  EXPECT_EQ(record->getArray("sources")->size(), 1U);
  EXPECT_EQ(record->getObject("metadata")->getValue<std::string>("message_id"),
            "budget-2@example.gov");

  RunResult text = Run({"records", "show", std::to_string(id)});
  EXPECT_THAT(text.out, HasSubstr("Subject:   Budget übersicht"));
  EXPECT_THAT(text.out, HasSubstr("Source:    mbox"));
  RunResult log = Run({"audit", "log", "--action", "access.record", "--json"});
  EXPECT_EQ(JsonLines(log.out).size(), 2U);
  EXPECT_EQ(Run({"records", "show", "9999"}).exit_code, 3);
}

TEST_F(MailE2eTest, NightlyImportsTheDropFolderOnce) {
  CopyTree(inbox_, Path(home_) / "drop" / "mail");
  testing::RunOptions options;
  RunResult first = Run({"nightly"}, options);
  EXPECT_THAT(first.out + first.err, HasSubstr("import-mail"));
  EXPECT_THAT(first.out + first.err, HasSubstr("messages seen 6 = imported 4"));
  RunResult second = Run({"nightly"}, options);
  EXPECT_THAT(second.out + second.err, HasSubstr("messages seen 0 ="));
  EXPECT_EQ(JsonLines(Run({"records", "list", "--json"}).out).size(),
            5U);  // 4 + 1 linked duplicate
}

TEST_F(MailE2eTest, KilledImportRerunsWithoutLossOrDuplicates) {
  const int kMessages = 3000;
  Path mbox = dir_.path() / "big.mbox";
  {
    std::ofstream out(mbox.string(), std::ios::binary);
    for (int i = 0; i < kMessages; ++i) {
      out << "From sender@example.com Tue Mar  4 17:12:13 2003\n"
          << "Message-ID: <bulk-" << i << "@example.com>\n"
          << "Date: Tue, 04 Mar 2003 11:12:13 -0600\nFrom: sender@example.com\n"
          << "To: clerk@example.gov\nSubject: bulk message " << i << "\n\n"
          << "Body of message number " << i << " with some words to index.\n\n";
    }
  }
  testing::RunOptions kill;
  kill.kill_after_ms = 400;
  RunResult killed = Run({"import", "mail", mbox.string(), "--clamav-db", clamav_}, kill);
  RunResult rerun = Run({"import", "mail", mbox.string(), "--clamav-db", clamav_, "--json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  JsonObject counts = Json(rerun.out);
  EXPECT_TRUE(counts->getValue<bool>("balanced"));
  EXPECT_EQ(counts->getValue<std::int64_t>("quarantined"), 0);
  EXPECT_EQ(JsonLines(Run({"records", "list", "--json"}).out).size(),
            static_cast<std::size_t>(kMessages));
  RunResult events = Run({"audit", "log", "--action", "import.record", "--json"});
  EXPECT_EQ(JsonLines(events.out).size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
  (void)killed;
}

}  // namespace
}  // namespace sunshine
