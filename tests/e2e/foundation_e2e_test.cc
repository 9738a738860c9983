// The foundation as a new user meets it: init, help, audit verify/export, the nightly run's
// lock, and a run killed with SIGKILL then rerun.
#include <Poco/Crypto/DigestEngine.h>
#include <Poco/JSON/Parser.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <sstream>

#include "engine/store/sqlite_database.h"
#include "engine/store/store.h"
#include "tests/testutil/run_binary.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using ::testing::HasSubstr;
using testing::RunResult;
using testing::RunSunshine;

class FoundationE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.str() + "/home";
    RunResult init = Run({"init"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
  }
  RunResult Run(std::vector<std::string> args, testing::RunOptions options = {}) {
    args.insert(args.begin(), {"--home", home_, "--actor", "e2e"});
    return RunSunshine(args, options);
  }
  testing::TempDir dir_;
  std::string home_;
};

TEST_F(FoundationE2eTest, InitCreatesTheHomeLayoutAndIsIdempotent) {
  for (const char* part : {"sunshine.db", "sunshine.toml", "blobs", "quarantine", "output"}) {
    EXPECT_TRUE(boost::filesystem::exists(Path(home_) / part)) << part;
  }
  EXPECT_THAT(testing::ReadTextFile(Path(home_) / "sunshine.toml"), HasSubstr("# "));
  RunResult again = Run({"init", "--json"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_THAT(again.out, HasSubstr("\"created\":false"));
}

TEST_F(FoundationE2eTest, HomeFromEnvironment) {
  std::string other = dir_.str() + "/env-home";
  testing::RunOptions options;
  options.env = {"SUNSHINE_HOME=" + other};
  RunResult init = RunSunshine({"init"}, options);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_TRUE(boost::filesystem::exists(Path(other) / "sunshine.db"));
}

TEST_F(FoundationE2eTest, HelpEverywhere) {
  RunResult help = RunSunshine({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("audit verify"));
  EXPECT_THAT(help.out, HasSubstr("Exit codes"));
  RunResult command_help = RunSunshine({"audit", "log", "--help"});
  EXPECT_EQ(command_help.exit_code, 0);
  EXPECT_THAT(command_help.out, HasSubstr("--since DATE"));
  RunResult help_command = RunSunshine({"help", "nightly"});
  EXPECT_EQ(help_command.exit_code, 0);
  EXPECT_THAT(help_command.out, HasSubstr("usage: sunshine nightly"));
  RunResult group = RunSunshine({"audit", "--help"});
  EXPECT_EQ(group.exit_code, 0);
  EXPECT_THAT(group.out, HasSubstr("audit export"));
  RunResult version = RunSunshine({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("sunshine "));
}

TEST_F(FoundationE2eTest, UsageErrorsExitTwoWithAClearMessage) {
  RunResult unknown = RunSunshine({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command 'frobnicate'"));
  RunResult bad_option = Run({"audit", "log", "--bogus"});
  EXPECT_EQ(bad_option.exit_code, 2);
  EXPECT_THAT(bad_option.err, HasSubstr("bogus"));
  RunResult bad_date = Run({"--as-of", "2026-13-01", "nightly"});
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_THAT(bad_date.err, HasSubstr("2026-13-01"));
  RunResult no_home = RunSunshine({"--home", dir_.str() + "/missing", "audit", "verify"});
  EXPECT_EQ(no_home.exit_code, 3);
  EXPECT_THAT(no_home.err, HasSubstr("sunshine init"));
}

TEST_F(FoundationE2eTest, NightlyRunsVerifiesAndRecordsItself) {
  RunResult nightly = Run({"nightly", "--json"});
  ASSERT_EQ(nightly.exit_code, 0) << nightly.out << nightly.err;
  EXPECT_THAT(nightly.out, HasSubstr("\"outcome\":\"ok\""));
  EXPECT_THAT(nightly.out, HasSubstr("verify-audit-chain"));
  RunResult verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0);
  EXPECT_THAT(verify.out, HasSubstr("audit chain OK"));
  RunResult log = Run({"audit", "log", "--action", "nightly.", "--json"});
  EXPECT_EQ(log.exit_code, 0);
  EXPECT_THAT(log.out, HasSubstr("nightly.start"));
  EXPECT_THAT(log.out, HasSubstr("nightly.finish"));
  EXPECT_THAT(log.out, HasSubstr("system:nightly"));
  // start, one event per step, finish
  std::size_t steps = 0;
  for (std::size_t pos = 0; (pos = nightly.out.find("\"step\":", pos)) != std::string::npos;
       ++pos) {
    ++steps;
  }
  EXPECT_GE(steps, 3u);
  EXPECT_EQ(static_cast<std::size_t>(std::count(log.out.begin(), log.out.end(), '\n')), steps + 2);
}

TEST_F(FoundationE2eTest, TamperedTrailFailsVerifyNamingTheEvent) {
  ASSERT_EQ(Run({"nightly"}).exit_code, 0);
  {
    auto db = OpenSqliteDatabase(Path(home_) / "sunshine.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("DROP TRIGGER audit_events_no_update").ok());
    ASSERT_TRUE((*db)->Exec("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3").ok());
  }
  RunResult verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_THAT(verify.out, HasSubstr("BROKEN at event 3"));
  RunResult nightly = Run({"nightly"});
  EXPECT_EQ(nightly.exit_code, 1);
  EXPECT_THAT(nightly.out, HasSubstr("AUDIT CHAIN BROKEN at event 3"));
}

// Re-implements the documented formula (docs/formats/audit-chain.md) with nothing but a
// SHA-256 and a JSON parser, as the State Auditor would.
TEST_F(FoundationE2eTest, ExportVerifiesIndependently) {
  ASSERT_EQ(Run({"nightly"}).exit_code, 0);
  std::string file = dir_.str() + "/trail.jsonl";
  RunResult exported = Run({"audit", "export", "--out", file});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::istringstream lines(testing::ReadTextFile(file));
  std::string line;
  std::string prev(64, '0');
  int n = 0;
  while (std::getline(lines, line)) {
    Poco::JSON::Parser parser;
    auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
    std::string material;
    for (const char* key : {"seq", "at", "actor", "action", "object", "details", "prev_hash"}) {
      std::string value = object->get(key).convert<std::string>();
      material += std::to_string(value.size()) + ":" + value + "\n";
    }
    Poco::Crypto::DigestEngine sha("SHA256");
    sha.update(material);
    std::string hash = Poco::Crypto::DigestEngine::digestToHex(sha.digest());
    EXPECT_EQ(object->getValue<std::string>("prev_hash"), prev) << "event " << n + 1;
    EXPECT_EQ(object->getValue<std::string>("hash"), hash) << "event " << n + 1;
    EXPECT_EQ(object->getValue<int>("seq"), ++n);
    prev = hash;
  }
  EXPECT_GE(n, 7);
}

// The verifier printed in docs/formats/audit-chain.md must accept a real export and reject a
// tampered one, so the documentation cannot drift from the code.
TEST_F(FoundationE2eTest, DocumentedPythonVerifierAgrees) {
  if (testing::RunProgram({"python3", "--version"}).exit_code != 0) {
    GTEST_SKIP() << "python3 not installed";
  }
  ASSERT_EQ(Run({"nightly"}).exit_code, 0);
  std::string doc =
      testing::ReadTextFile(Path(SUNSHINE_SOURCE_DIR) / "docs" / "formats" / "audit-chain.md");
  auto begin = doc.find("```python\n");
  ASSERT_NE(begin, std::string::npos);
  begin += 10;
  auto end = doc.find("```", begin);
  std::string script = dir_.str() + "/verify.py";
  testing::WriteTextFile(script, doc.substr(begin, end - begin));
  std::string trail = dir_.str() + "/trail.jsonl";
  ASSERT_EQ(Run({"audit", "export", "--out", trail}).exit_code, 0);
  RunResult good = testing::RunProgram({"python3", script, trail});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_THAT(good.out, HasSubstr("chain intact"));
  std::string text = testing::ReadTextFile(trail);
  auto pos = text.find("system:nightly");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 14, "system:mallory");
  testing::WriteTextFile(trail, text);
  RunResult bad = testing::RunProgram({"python3", script, trail});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("chain broken at event"));
}

TEST_F(FoundationE2eTest, SecondNightlyRunIsRefusedWhileOneHoldsTheLock) {
  int fd = ::open((Path(home_) / "nightly.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  std::string holder = "pid 999999, started 2026-11-29T02:00:00Z\n";
  ASSERT_EQ(::write(fd, holder.data(), holder.size()), static_cast<ssize_t>(holder.size()));
  RunResult second = Run({"nightly"});
  EXPECT_EQ(second.exit_code, 4);
  EXPECT_THAT(second.err, HasSubstr("another nightly run is active"));
  EXPECT_THAT(second.err, HasSubstr("pid 999999"));
  ::close(fd);  // releases the lock, as a killed process's would be
  RunResult after = Run({"nightly"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("recovered a stale lock"));
}

TEST_F(FoundationE2eTest, KilledRunIsFinishedByTheNextRun) {
  // Give the fixity step real work: 2000 blobs, all due every night.
  {
    auto store = Store::Open(Home(home_), StoreAccess::kReadWrite);
    ASSERT_TRUE(store.ok());
    auto txn = Transaction::Begin((*store)->db());
    for (int i = 0; i < 2000; ++i) {
      ASSERT_TRUE((*store)->blobs().Put((*store)->db(), "blob number " + std::to_string(i)).ok());
    }
    ASSERT_TRUE((*store)->blobs().Sync().ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  testing::WriteTextFile(Path(home_) / "sunshine.toml", "[fixity]\ncycle_days = 1\n");
  int killed = 0;
  for (int delay_ms : {5, 15, 30, 60, 120}) {
    testing::RunOptions options;
    options.kill_after_ms = delay_ms;
    RunResult run = Run({"--as-of", "2099-01-01", "nightly", "--quiet"}, options);
    if (run.signal == SIGKILL) {
      ++killed;
    }
    RunResult verify = Run({"audit", "verify"});
    ASSERT_EQ(verify.exit_code, 0) << "after kill at " << delay_ms << " ms: " << verify.out;
  }
  EXPECT_GT(killed, 0) << "no run was killed mid-way; the test proves nothing";
  RunResult rerun = Run({"--as-of", "2099-01-01", "nightly", "--json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_THAT(rerun.out, HasSubstr("\"mismatched\":0"));
  auto db = OpenSqliteDatabase(Path(home_) / "sunshine.db");
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->QueryInt("SELECT count(*) FROM runs WHERE outcome IS NULL")->value_or(-1), 0);
  EXPECT_EQ((*db)->QueryInt("SELECT count(*) FROM blobs")->value_or(0), 2000);
  EXPECT_EQ(
      (*db)->QueryInt("SELECT count(*) FROM blobs WHERE fixity_failed IS NOT NULL")->value_or(-1),
      0);
}

}  // namespace
}  // namespace sunshine
