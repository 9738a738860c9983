// Accounts, password hashing, sessions and the HTML helpers, without HTTP.
#include "engine/web/accounts.h"

#include <gtest/gtest.h>

#include "engine/audit/audit_log.h"
#include "engine/store/store.h"
#include "engine/web/console_page.h"
#include "engine/web/console_server.h"
#include "engine/web/html.h"
#include "engine/web/sessions.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using testing::TempDir;

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Init(Home(dir_.path() / "home"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  Database& db() { return store_->db(); }
  std::vector<std::string> Actions() {
    std::vector<std::string> actions;
    EXPECT_TRUE(AuditLog::List(db(), {}, [&](const AuditEvent& event) {
                  actions.push_back(event.action);
                  return Status();
                }).ok());
    return actions;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  static constexpr std::int64_t kNow = 1'800'000'000;
};

TEST(PasswordTest, HashIsArgon2idAndVerifies) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("", "anything"));
  auto again = HashPassword("correct horse battery");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);  // salted
}

TEST(PasswordTest, MinimumLengthCountsCharacters) {
  EXPECT_FALSE(ValidatePassword("").ok());
  EXPECT_FALSE(ValidatePassword("elevenchars").ok());
  EXPECT_TRUE(ValidatePassword("twelve-chars").ok());
  // Eleven characters that are 22 bytes in UTF-8 are still too short.
  EXPECT_FALSE(ValidatePassword("ééééééééééé").ok());
  EXPECT_FALSE(ValidatePassword(std::string("twelve\0chars", 12)).ok());
  EXPECT_FALSE(ValidatePassword(std::string(kMaxPasswordLength + 1, 'x')).ok());
}

TEST(PasswordTest, LockGrowsWithEveryFailureUpToACap) {
  EXPECT_EQ(LockSecondsAfter(kLockoutThreshold - 1), 0);
  EXPECT_EQ(LockSecondsAfter(kLockoutThreshold), kFirstLockSeconds);
  EXPECT_EQ(LockSecondsAfter(kLockoutThreshold + 1), 2 * kFirstLockSeconds);
  EXPECT_EQ(LockSecondsAfter(kLockoutThreshold + 2), 4 * kFirstLockSeconds);
  EXPECT_EQ(LockSecondsAfter(kLockoutThreshold + 40), kMaxLockSeconds);
}

TEST(AccountNameTest, OnlySafeNames) {
  EXPECT_TRUE(ValidateAccountName("olivia.m-2").ok());
  EXPECT_FALSE(ValidateAccountName("").ok());
  EXPECT_FALSE(ValidateAccountName("Olivia").ok());
  EXPECT_FALSE(ValidateAccountName("-rf").ok());
  EXPECT_FALSE(ValidateAccountName("a b").ok());
  EXPECT_FALSE(ValidateAccountName("<script>").ok());
  EXPECT_FALSE(ValidateAccountName(std::string(65, 'a')).ok());
  EXPECT_TRUE(ParseConsoleRole("records-officer").ok());
  EXPECT_FALSE(ParseConsoleRole("root").ok());
}

TEST_F(AccountsTest, AddListDisableEnableAndAudit) {
  ASSERT_TRUE(ConsoleAccounts::Add(db(), "alice", "olivia", ConsoleRole::kRecordsOfficer,
                                   "officer-password", kNow)
                  .ok());
  EXPECT_EQ(
      ConsoleAccounts::Add(db(), "alice", "olivia", ConsoleRole::kAdmin, "another-password", kNow)
          .code(),
      StatusCode::kAlreadyExists);
  EXPECT_EQ(ConsoleAccounts::Add(db(), "alice", "bob", ConsoleRole::kAdmin, "short", kNow).code(),
            StatusCode::kInvalidInput);
  auto accounts = ConsoleAccounts::List(db());
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 1u);
  EXPECT_EQ((*accounts)[0].name, "olivia");
  EXPECT_EQ((*accounts)[0].role, ConsoleRole::kRecordsOfficer);
  // The password itself is nowhere in the database.
  auto stored = db().QueryText("SELECT password_hash FROM console_users WHERE name = 'olivia'");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->value_or("").find("officer-password"), std::string::npos);

  ASSERT_TRUE(ConsoleAccounts::Disable(db(), "alice", "olivia", kNow).ok());
  auto login = ConsoleAccounts::Login(db(), "olivia", "officer-password", kNow, "127.0.0.1");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->outcome, LoginOutcome::kRejected);
  ASSERT_TRUE(ConsoleAccounts::Enable(db(), "alice", "olivia").ok());
  login = ConsoleAccounts::Login(db(), "olivia", "officer-password", kNow, "127.0.0.1");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->outcome, LoginOutcome::kSuccess);
  EXPECT_EQ(ConsoleAccounts::Disable(db(), "alice", "nobody", kNow).code(), StatusCode::kNotFound);

  std::vector<std::string> expected = {"user.add", "user.disable", "login.failure", "user.enable",
                                       "login.success"};
  EXPECT_EQ(Actions(), expected);
}

TEST_F(AccountsTest, LockOutGrowsAndExpires) {
  ASSERT_TRUE(ConsoleAccounts::Add(db(), "alice", "lou", ConsoleRole::kCompliance,
                                   "the-right-password", kNow)
                  .ok());
  for (int i = 1; i <= kLockoutThreshold; ++i) {
    auto login = ConsoleAccounts::Login(db(), "lou", "a-wrong-password", kNow, "::1");
    ASSERT_TRUE(login.ok());
    EXPECT_EQ(login->outcome,
              i < kLockoutThreshold ? LoginOutcome::kRejected : LoginOutcome::kLockedOut);
  }
  // Locked: the right password does not help until the lock expires.
  auto locked = ConsoleAccounts::Login(db(), "lou", "the-right-password", kNow + 30, "::1");
  ASSERT_TRUE(locked.ok());
  EXPECT_EQ(locked->outcome, LoginOutcome::kLockedOut);
  ASSERT_TRUE(locked->locked_until.has_value());
  EXPECT_EQ(*locked->locked_until, kNow + kFirstLockSeconds);
  // After the lock, one more failure locks for twice as long.
  auto again = ConsoleAccounts::Login(db(), "lou", "a-wrong-password", kNow + 61, "::1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome, LoginOutcome::kLockedOut);
  EXPECT_EQ(*again->locked_until, kNow + 61 + 2 * kFirstLockSeconds);
  auto ok = ConsoleAccounts::Login(db(), "lou", "the-right-password", kNow + 61 + 121, "::1");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->outcome, LoginOutcome::kSuccess);
  auto account = ConsoleAccounts::Find(db(), "lou");
  ASSERT_TRUE(account.ok() && account->has_value());
  EXPECT_EQ((*account)->failed_logins, 0);
  EXPECT_FALSE((*account)->locked_until.has_value());

  std::vector<std::string> actions = Actions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "login.lockout"), 2);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "login.locked"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "login.failure"), kLockoutThreshold + 1);
}

TEST_F(AccountsTest, UnknownUserIsAFailureAndAudited) {
  auto login = ConsoleAccounts::Login(db(), "ghost", "whatever-password", kNow, "127.0.0.1");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->outcome, LoginOutcome::kRejected);
  EXPECT_EQ(Actions(), std::vector<std::string>{"login.failure"});
}

TEST_F(AccountsTest, SessionsTimeOutWhenIdleAndAfterEightHours) {
  ASSERT_TRUE(ConsoleAccounts::Add(db(), "alice", "carl", ConsoleRole::kCompliance,
                                   "compliance-password", kNow)
                  .ok());
  auto account = ConsoleAccounts::Find(db(), "carl");
  ASSERT_TRUE(account.ok() && account->has_value());
  auto make = [&](std::int64_t at) {
    auto txn = Transaction::Begin(db());
    EXPECT_TRUE(txn.ok());
    auto created = ConsoleSessions::Create(db(), (*account)->id, at);
    EXPECT_TRUE(created.ok());
    EXPECT_TRUE((*txn)->Commit().ok());
    return *created;
  };

  NewConsoleSession idle = make(kNow);
  SessionEnd why = SessionEnd::kNone;
  auto resumed = ConsoleSessions::Resume(db(), idle.token, kNow + kSessionIdleSeconds - 1, &why);
  ASSERT_TRUE(resumed.ok());
  ASSERT_TRUE(resumed->has_value());
  EXPECT_EQ((*resumed)->csrf_token, idle.csrf_token);
  EXPECT_EQ((*resumed)->account->name, "carl");
  resumed = ConsoleSessions::Resume(db(), idle.token, kNow + 2 * kSessionIdleSeconds, &why);
  ASSERT_TRUE(resumed.ok());
  EXPECT_FALSE(resumed->has_value());
  EXPECT_EQ(why, SessionEnd::kIdle);
  // Once ended it stays ended.
  resumed = ConsoleSessions::Resume(db(), idle.token, kNow + 2 * kSessionIdleSeconds, &why);
  EXPECT_EQ(why, SessionEnd::kEnded);

  // Active every 20 minutes, still cut off after 8 hours.
  NewConsoleSession busy = make(kNow);
  std::int64_t t = kNow;
  for (; t + 20 * 60 <= kNow + kSessionAbsoluteSeconds; t += 20 * 60) {
    resumed = ConsoleSessions::Resume(db(), busy.token, t + 20 * 60, &why);
    ASSERT_TRUE(resumed.ok());
    ASSERT_TRUE(resumed->has_value()) << t - kNow;
  }
  resumed = ConsoleSessions::Resume(db(), busy.token, kNow + kSessionAbsoluteSeconds + 60, &why);
  ASSERT_TRUE(resumed.ok());
  EXPECT_FALSE(resumed->has_value());
  EXPECT_EQ(why, SessionEnd::kAbsolute);

  std::vector<std::string> actions = Actions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "session.timeout"), 2);
  // Only the token's hash is stored.
  auto stored =
      db().QueryInt("SELECT COUNT(*) FROM console_sessions WHERE token_hash = $1", {idle.token});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->value_or(-1), 0);
}

TEST(SessionTokenTest, RandomTokensAndDerivedCsrf) {
  std::string a = ConsoleSessions::RandomToken();
  std::string b = ConsoleSessions::RandomToken();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(ConsoleSessions::CsrfTokenFor(a), ConsoleSessions::CsrfTokenFor(a));
  EXPECT_NE(ConsoleSessions::CsrfTokenFor(a), ConsoleSessions::CsrfTokenFor(b));
  EXPECT_NE(ConsoleSessions::CsrfTokenFor(a), a);
  EXPECT_TRUE(ConsoleSessions::CsrfMatches(ConsoleSessions::CsrfTokenFor(a),
                                           ConsoleSessions::CsrfTokenFor(a)));
  EXPECT_FALSE(ConsoleSessions::CsrfMatches(ConsoleSessions::CsrfTokenFor(a), ""));
  EXPECT_FALSE(ConsoleSessions::CsrfMatches("", ""));
  EXPECT_EQ(ConsoleSessions::CsrfTokenFor("not-hex"), "");
}

TEST(HtmlTest, EscapesEverythingThatMatters) {
  EXPECT_EQ(web::HtmlEscape("<a href=\"x\" onclick='y'>&</a>"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(web::UrlEncode("a b/../c?d=e&f"), "a%20b%2F..%2Fc%3Fd%3De%26f");
}

TEST(ListenAddressTest, Parses) {
  auto plain = web::ParseListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, 8080);
  auto v6 = web::ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  auto port_only = web::ParseListenAddress("9000");
  ASSERT_TRUE(port_only.ok());
  EXPECT_EQ(port_only->host, "127.0.0.1");
  EXPECT_FALSE(web::ParseListenAddress("host:").ok());
  EXPECT_FALSE(web::ParseListenAddress("host:99999").ok());
  EXPECT_FALSE(web::ParseListenAddress(":80").ok());
  EXPECT_TRUE(web::IsLoopback("127.0.0.1"));
  EXPECT_FALSE(web::IsLoopback("0.0.0.0"));
}

TEST(FileInsideTest, RefusesEscapes) {
  TempDir dir;
  testing::WriteTextFile(dir.path() / "inside" / "ok.txt", "ok");
  testing::WriteTextFile(dir.path() / "outside.txt", "no");
  EXPECT_TRUE(web::FileInside(dir.path() / "inside", "ok.txt").has_value());
  for (const char* name : {"../outside.txt", "..", ".", "", "/etc/passwd", "sub/ok.txt",
                           "..\\outside.txt", ".hidden"}) {
    EXPECT_FALSE(web::FileInside(dir.path() / "inside", name).has_value()) << name;
  }
  EXPECT_FALSE(web::FileInside(dir.path() / "missing", "ok.txt").has_value());
}

}  // namespace
}  // namespace sunshine
