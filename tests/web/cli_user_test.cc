// `sunshine user ...` and `sunshine serve` through the real binary.
#include <gtest/gtest.h>

#include "tests/testutil/run_binary.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using testing::RunResult;
using testing::RunSunshine;
using testing::TempDir;

class UserCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = (dir_.path() / "home").string();
    ASSERT_EQ(RunSunshine({"--home", home_, "init"}).exit_code, 0);
  }
  RunResult Run(std::vector<std::string> args, std::optional<std::string> stdin_text = {}) {
    args.insert(args.begin(), {"--home", home_});
    testing::RunOptions options;
    options.stdin_text = stdin_text;
    return RunSunshine(args, options);
  }
  TempDir dir_;
  std::string home_;
};

TEST_F(UserCliTest, AddsListsDisablesAndChangesPasswordsFromStdin) {
  RunResult add =
      Run({"user", "add", "olivia", "--role", "records-officer"}, "a-long-enough-password\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("added as records-officer"), std::string::npos);

  RunResult list = Run({"user", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("\"name\":\"olivia\""), std::string::npos);
  EXPECT_NE(list.out.find("\"role\":\"records-officer\""), std::string::npos);
  EXPECT_EQ(list.out.find("a-long-enough-password"), std::string::npos);

  EXPECT_EQ(Run({"user", "disable", "olivia"}).exit_code, 0);
  list = Run({"user", "list", "--json"});
  EXPECT_NE(list.out.find("\"disabled\":true"), std::string::npos);
  EXPECT_EQ(Run({"user", "enable", "olivia"}).exit_code, 0);
  EXPECT_EQ(Run({"user", "passwd", "olivia"}, "another-long-password\r\n").exit_code, 0);

  RunResult audit = Run({"audit", "log", "--action", "user.", "--json"});
  ASSERT_EQ(audit.exit_code, 0);
  for (const char* action : {"user.add", "user.disable", "user.enable", "user.passwd"}) {
    EXPECT_NE(audit.out.find(std::string("\"action\":\"") + action + "\""), std::string::npos)
        << action;
  }
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

TEST_F(UserCliTest, RefusesBadInput) {
  // Too short, unknown role, no role, bad name, password as an argument, unknown account.
  EXPECT_EQ(Run({"user", "add", "bob", "--role", "admin"}, "short\n").exit_code, 2);
  EXPECT_EQ(Run({"user", "add", "bob", "--role", "root"}, "long-enough-password\n").exit_code, 2);
  EXPECT_EQ(Run({"user", "add", "bob"}, "long-enough-password\n").exit_code, 2);
  EXPECT_EQ(Run({"user", "add", "Bob!", "--role", "admin"}, "long-enough-password\n").exit_code, 2);
  EXPECT_EQ(Run({"user", "add", "bob", "long-enough-password", "--role", "admin"}).exit_code, 2);
  EXPECT_EQ(Run({"user", "add", "bob", "--role", "admin"}, "").exit_code, 2);
  EXPECT_NE(Run({"user", "disable", "nobody"}).exit_code, 0);
  EXPECT_NE(Run({"user", "passwd", "nobody"}, "long-enough-password\n").exit_code, 0);
  RunResult list = Run({"user", "list", "--json"});
  EXPECT_EQ(list.out, "");
}

TEST_F(UserCliTest, ServePrintsItsAddressAndRefusesBadOptions) {
  EXPECT_EQ(Run({"serve", "--listen", "nonsense:port"}).exit_code, 2);
  EXPECT_EQ(Run({"serve", "--tls-cert", "/nonexistent.pem"}).exit_code, 2);
  RunResult bad_tls = Run({"serve", "--listen", "127.0.0.1:0", "--tls-cert", "/nonexistent.pem",
                           "--tls-key", "/nonexistent.key"});
  EXPECT_EQ(bad_tls.exit_code, 2) << bad_tls.err;
  testing::RunOptions options;
  options.kill_after_ms = 1500;
  RunResult served = RunSunshine({"--home", home_, "serve", "--listen", "127.0.0.1:0"}, options);
  EXPECT_NE(served.out.find("sunshine console listening on http://127.0.0.1:"), std::string::npos)
      << served.out << served.err;
}

}  // namespace
}  // namespace sunshine
