// The web console through real HTTP: a ConsoleServer on 127.0.0.1 (ephemeral port) over a
// temporary home, driven with Poco's HTTPClientSession like a browser would (cookie, CSRF
// token scraped from the form).
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <regex>

#include "engine/audit/audit_log.h"
#include "engine/core/time_format.h"
#include "engine/store/store.h"
#include "engine/web/accounts.h"
#include "engine/web/console_server.h"
#include "engine/web/html.h"
#include "tests/testutil/run_binary.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using testing::TempDir;
using testing::WriteTextFile;

constexpr const char* kOfficerPassword = "officer-password-1";
constexpr const char* kCompliancePassword = "compliance-password-2";
constexpr const char* kAdminPassword = "admin-password-3";
constexpr const char* kLockPassword = "lockout-password-4";

struct HttpResult {
  int status = 0;
  std::string body;
  std::string location;
  std::vector<std::string> set_cookies;
  std::map<std::string, std::string> headers;  // lower-case names

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) {
      body += '&';
    }
    body.append(web::UrlEncode(name)).append("=").append(web::UrlEncode(value));
  }
  return body;
}

// A minimal browser: one cookie (the console sets only one), the CSRF token of the last page.
class Client {
 public:
  explicit Client(std::uint16_t port) : port_(port) {}

  HttpResult Get(const std::string& path) { return Send("GET", path, ""); }
  HttpResult Post(const std::string& path, std::vector<std::pair<std::string, std::string>> fields,
                  bool with_csrf = true) {
    if (with_csrf) {
      fields.emplace_back("csrf", csrf_);
    }
    return Send("POST", path, FormEncode(fields));
  }

  HttpResult Login(const std::string& name, const std::string& password) {
    Get("/login");
    return Post("/login", {{"name", name}, {"password", password}});
  }

  std::string cookie;  // value of sunshine_session
  std::string csrf_;

 private:
  HttpResult Send(const std::string& method, const std::string& path, const std::string& body) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!cookie.empty()) {
      Poco::Net::NameValueCollection cookies;
      cookies.add("sunshine_session", cookie);
      request.setCookies(cookies);
    }
    if (method == "POST") {
      request.setContentType("application/x-www-form-urlencoded");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      session.sendRequest(request) << body;
    } else {
      session.sendRequest(request);
    }
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult result;
    result.status = response.getStatus();
    Poco::StreamCopier::copyToString(in, result.body);
    for (const auto& [name, value] : response) {
      std::string lower = Poco::toLower(name);
      if (lower == "set-cookie") {
        result.set_cookies.push_back(value);
        std::string prefix = "sunshine_session=";
        if (value.rfind(prefix, 0) == 0) {
          cookie = value.substr(prefix.size(), value.find(';') - prefix.size());
        }
      } else {
        result.headers[lower] = value;
      }
    }
    result.location = result.Header("location");
    static const std::regex kCsrf("name=\"csrf\" value=\"([0-9a-f]{64})\"");
    std::smatch match;
    if (std::regex_search(result.body, match, kCsrf)) {
      csrf_ = match[1];
    }
    return result;
  }

  std::uint16_t port_;
};

class ConsoleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    Home home(dir_->path() / "home");
    auto store = Store::Init(home);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Database& db = (*store)->db();
    std::int64_t now = ToEpoch(Clock::WallNow());
    ASSERT_TRUE(ConsoleAccounts::Add(db, "test", "olivia", ConsoleRole::kRecordsOfficer,
                                     kOfficerPassword, now)
                    .ok());
    ASSERT_TRUE(
        ConsoleAccounts::Add(db, "test", "carl", ConsoleRole::kCompliance, kCompliancePassword, now)
            .ok());
    ASSERT_TRUE(
        ConsoleAccounts::Add(db, "test", "ada", ConsoleRole::kAdmin, kAdminPassword, now).ok());
    ASSERT_TRUE(
        ConsoleAccounts::Add(db, "test", "lou", ConsoleRole::kRecordsOfficer, kLockPassword, now)
            .ok());
    store->reset();
    // The example inbox, imported by the real binary, for the request pages.
    testing::RunResult imported = testing::RunSunshine(
        {"--home", home.root().string(), "--quiet", "import", "mail",
         std::string(SUNSHINE_SOURCE_DIR) + "/examples/mail/office-inbox.mbox"});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    web::ConsoleOptions options;
    options.listen.port = 0;
    options.home = home;
    server_ = new web::ConsoleServer(options);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static Home home() { return Home(dir_->path() / "home"); }
  static std::unique_ptr<Store> OpenStore() {
    auto store = Store::Open(home(), StoreAccess::kReadWrite);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(*store);
  }
  static std::vector<AuditEvent> Events(const std::string& action) {
    auto store = OpenStore();
    AuditFilter filter;
    filter.action = action;
    std::vector<AuditEvent> events;
    EXPECT_TRUE(AuditLog::List(store->db(), filter, [&](const AuditEvent& event) {
                  events.push_back(event);
                  return Status();
                }).ok());
    return events;
  }
  static Client NewClient() { return Client(server_->port()); }

  static TempDir* dir_;
  static web::ConsoleServer* server_;
};

TempDir* ConsoleTest::dir_ = nullptr;
web::ConsoleServer* ConsoleTest::server_ = nullptr;

TEST_F(ConsoleTest, UnauthenticatedAccessRedirectsToLogin) {
  Client client = NewClient();
  for (const char* path :
       {"/", "/officer", "/audit", "/certificates", "/certificates/x.txt", "/admin/users"}) {
    HttpResult result = client.Get(path);
    EXPECT_EQ(result.status, 303) << path;
    EXPECT_EQ(result.location, "/login") << path;
  }
  // A POST without a session does nothing and goes to the login page as well.
  HttpResult result =
      client.Post("/admin/users/add",
                  {{"name", "mallory"}, {"role", "admin"}, {"password", "mallory-password"}});
  EXPECT_EQ(result.status, 303);
  EXPECT_EQ(result.location, "/login");
  auto store = OpenStore();
  auto found = ConsoleAccounts::Find(store->db(), "mallory");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(client.Get("/login").status, 200);
  EXPECT_EQ(client.Get("/static/console.css").status, 200);
  EXPECT_EQ(client.Get("/no-such-page").status, 404);
}

TEST_F(ConsoleTest, EveryResponseCarriesTheSecurityHeaders) {
  Client client = NewClient();
  for (const char* path : {"/login", "/static/console.css", "/officer", "/nothing-here"}) {
    HttpResult result = client.Get(path);
    EXPECT_EQ(result.Header("content-security-policy").find("default-src 'self'"), 0u) << path;
    EXPECT_NE(result.Header("content-security-policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(result.Header("content-security-policy").find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(result.Header("x-frame-options"), "DENY") << path;
    EXPECT_EQ(result.Header("x-content-type-options"), "nosniff") << path;
    EXPECT_EQ(result.Header("referrer-policy"), "no-referrer") << path;
    EXPECT_EQ(result.Header("cache-control"), "no-store") << path;
  }
  // No page uses script at all.
  EXPECT_EQ(client.Get("/login").body.find("<script"), std::string::npos);
}

TEST_F(ConsoleTest, TheOnlyCookieIsASessionCookie) {
  Client client = NewClient();
  std::vector<std::string> cookies;
  auto collect = [&](const HttpResult& result) {
    cookies.insert(cookies.end(), result.set_cookies.begin(), result.set_cookies.end());
  };
  collect(client.Get("/login"));
  collect(client.Post("/login", {{"name", "olivia"}, {"password", kOfficerPassword}}));
  collect(client.Get("/officer"));
  collect(client.Post("/logout", {}));
  ASSERT_GE(cookies.size(), 3u);  // pre-login, signed in, emptied at logout
  for (const std::string& cookie : cookies) {
    std::string lower = Poco::toLower(cookie);
    EXPECT_EQ(lower.rfind("sunshine_session=", 0), 0u) << cookie;
    EXPECT_EQ(lower.find("expires"), std::string::npos) << cookie;
    EXPECT_EQ(lower.find("max-age"), std::string::npos) << cookie;
    EXPECT_NE(lower.find("httponly"), std::string::npos) << cookie;
    EXPECT_NE(lower.find("samesite=strict"), std::string::npos) << cookie;
    EXPECT_EQ(lower.find("secure"), std::string::npos) << cookie;  // plain HTTP here
  }
}

TEST_F(ConsoleTest, SignInRotatesTheTokenAndSignOutEndsTheSession) {
  Client client = NewClient();
  client.Get("/login");
  std::string pre_login = client.cookie;
  HttpResult login = client.Post("/login", {{"name", "olivia"}, {"password", kOfficerPassword}});
  EXPECT_EQ(login.status, 303);
  EXPECT_EQ(login.location, "/officer");
  EXPECT_NE(client.cookie, pre_login);
  EXPECT_EQ(client.Get("/officer").status, 200);
  std::string signed_in = client.cookie;

  HttpResult logout = client.Post("/logout", {});
  EXPECT_EQ(logout.status, 303);
  EXPECT_EQ(client.cookie, "");
  // The old token is dead on the server, not just forgotten by the client.
  client.cookie = signed_in;
  HttpResult after = client.Get("/officer");
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(after.location, "/login");

  bool found_success = false;
  for (const AuditEvent& event : Events("login.success")) {
    found_success |= event.actor == "console:olivia";
  }
  EXPECT_TRUE(found_success);
  bool found_logout = false;
  for (const AuditEvent& event : Events("logout")) {
    found_logout |= event.actor == "console:olivia";
  }
  EXPECT_TRUE(found_logout);
}

TEST_F(ConsoleTest, RoleViolationsGet403AndAreAudited) {
  std::size_t before = Events("console.forbidden").size();
  Client officer = NewClient();
  ASSERT_EQ(officer.Login("olivia", kOfficerPassword).status, 303);
  EXPECT_EQ(officer.Get("/audit").status, 403);
  EXPECT_EQ(officer.Get("/admin/users").status, 403);
  EXPECT_EQ(officer.Post("/audit/verify", {}).status, 403);

  Client compliance = NewClient();
  ASSERT_EQ(compliance.Login("carl", kCompliancePassword).status, 303);
  EXPECT_EQ(compliance.Get("/audit").status, 200);
  EXPECT_EQ(compliance.Get("/officer").status, 403);
  HttpResult add =
      compliance.Post("/admin/users/add",
                      {{"name", "sneaky"}, {"role", "admin"}, {"password", "sneaky-password-0"}});
  EXPECT_EQ(add.status, 403);
  auto store = OpenStore();
  auto found = ConsoleAccounts::Find(store->db(), "sneaky");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());

  Client admin = NewClient();
  ASSERT_EQ(admin.Login("ada", kAdminPassword).status, 303);
  EXPECT_EQ(admin.Get("/audit").status, 403);
  EXPECT_EQ(admin.Get("/admin/users").status, 200);

  std::vector<AuditEvent> events = Events("console.forbidden");
  ASSERT_EQ(events.size(), before + 6);
  EXPECT_EQ(events.back().actor, "console:ada");
  EXPECT_EQ(events.back().object, "page:/audit");
}

TEST_F(ConsoleTest, PostWithoutTheCsrfTokenIsRefused) {
  Client admin = NewClient();
  ASSERT_EQ(admin.Login("ada", kAdminPassword).status, 303);
  admin.Get("/admin/users");
  std::vector<std::pair<std::string, std::string>> fields = {
      {"name", "csrf-victim"}, {"role", "admin"}, {"password", "csrf-password-00"}};
  EXPECT_EQ(admin.Post("/admin/users/add", fields, /*with_csrf=*/false).status, 403);
  auto wrong = fields;
  wrong.emplace_back("csrf", std::string(64, 'a'));
  EXPECT_EQ(admin.Post("/admin/users/add", wrong, false).status, 403);
  {
    auto store = OpenStore();
    auto found = ConsoleAccounts::Find(store->db(), "csrf-victim");
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(found->has_value());
  }
  // Another session's token does not work either.
  Client other = NewClient();
  ASSERT_EQ(other.Login("ada", kAdminPassword).status, 303);
  other.Get("/admin/users");
  auto foreign = fields;
  foreign.emplace_back("csrf", other.csrf_);
  EXPECT_EQ(admin.Post("/admin/users/add", foreign, false).status, 403);

  HttpResult ok = admin.Post("/admin/users/add", fields);
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto store = OpenStore();
  auto found = ConsoleAccounts::Find(store->db(), "csrf-victim");
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->has_value());
  // The login form is protected too: a POST without its pre-login session goes nowhere.
  Client stranger = NewClient();
  HttpResult login =
      stranger.Post("/login", {{"name", "ada"}, {"password", kAdminPassword}}, false);
  EXPECT_EQ(login.status, 303);
  EXPECT_EQ(login.location, "/login?expired=1");
  EXPECT_EQ(stranger.Get("/admin/users").status, 303);
}

TEST_F(ConsoleTest, ScriptAndSqlLookingInputIsInertAndEscaped) {
  const std::string script = "<script>alert('x')</script>";
  const std::string sql = "' OR 1=1; DROP TABLE audit_events; --";
  Client attacker = NewClient();
  attacker.Get("/login");
  HttpResult login = attacker.Post("/login", {{"name", script + sql}, {"password", sql + "xxxx"}});
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(login.body.find(script), std::string::npos);
  EXPECT_NE(login.body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);

  Client compliance = NewClient();
  ASSERT_EQ(compliance.Login("carl", kCompliancePassword).status, 303);
  // The failed attempt is in the trail, shown escaped.
  HttpResult audit = compliance.Get("/audit?action=login.failure");
  EXPECT_EQ(audit.status, 200);
  EXPECT_EQ(audit.body.find(script), std::string::npos);
  EXPECT_NE(audit.body.find("console:&lt;script&gt;"), std::string::npos);
  // Filters with SQL in them match nothing and break nothing.
  HttpResult filtered =
      compliance.Get("/audit?by=" + web::UrlEncode(sql) + "&object=" + web::UrlEncode(script));
  EXPECT_EQ(filtered.status, 200);
  EXPECT_NE(filtered.body.find("0 matching events"), std::string::npos);
  EXPECT_EQ(filtered.body.find(script), std::string::npos);
  EXPECT_NE(filtered.body.find("&lt;script&gt;"), std::string::npos);  // echoed in the filter box

  Client admin = NewClient();
  ASSERT_EQ(admin.Login("ada", kAdminPassword).status, 303);
  admin.Get("/admin/users");
  HttpResult add =
      admin.Post("/admin/users/add", {{"name", script}, {"role", "admin"}, {"password", sql}});
  EXPECT_EQ(add.status, 400);
  EXPECT_EQ(add.body.find(script), std::string::npos);

  // The trail still verifies and still has all its events.
  auto store = OpenStore();
  auto report = AuditLog::Verify(store->db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
}

TEST_F(ConsoleTest, DownloadPathsWithDotDotFindNothing) {
  Path certificates = home().output_dir() / "certificates";
  WriteTextFile(certificates / "certificate-2026-0001.txt",
                "Certificate of destruction\n<b>1</b>\n");
  WriteTextFile(home().root() / "secret.txt", "not for the web\n");
  boost::system::error_code ec;
  boost::filesystem::create_symlink(home().root() / "secret.txt", certificates / "link.txt", ec);

  Client compliance = NewClient();
  ASSERT_EQ(compliance.Login("carl", kCompliancePassword).status, 303);
  HttpResult listing = compliance.Get("/certificates");
  EXPECT_EQ(listing.status, 200);
  EXPECT_NE(listing.body.find("certificate-2026-0001.txt"), std::string::npos);
  HttpResult shown = compliance.Get("/certificates/certificate-2026-0001.txt");
  EXPECT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("&lt;b&gt;1&lt;/b&gt;"), std::string::npos);
  HttpResult download = compliance.Get("/certificates/certificate-2026-0001.txt?download=1");
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body, "Certificate of destruction\n<b>1</b>\n");
  EXPECT_NE(download.Header("content-disposition").find("attachment"), std::string::npos);

  for (const char* path :
       {"/certificates/../secret.txt", "/certificates/..%2Fsecret.txt",
        "/certificates/%2e%2e%2fsecret.txt", "/certificates/..%2F..%2Fhome%2Fsecret.txt",
        "/certificates/../sunshine.toml", "/certificates/link.txt", "/certificates/..",
        "/certificates/.%2E/sunshine.db", "/certificates/..%5Csecret.txt"}) {
    HttpResult result = compliance.Get(path);
    EXPECT_EQ(result.status, 404) << path;
    EXPECT_EQ(result.body.find("not for the web"), std::string::npos) << path;
  }
}

TEST_F(ConsoleTest, RepeatedFailuresLockTheAccount) {
  Client client = NewClient();
  client.Get("/login");
  for (int i = 1; i < kLockoutThreshold; ++i) {
    EXPECT_EQ(client.Post("/login", {{"name", "lou"}, {"password", "wrong-password-x"}}).status,
              401)
        << i;
  }
  HttpResult locking = client.Post("/login", {{"name", "lou"}, {"password", "wrong-password-x"}});
  EXPECT_EQ(locking.status, 429);
  EXPECT_NE(locking.body.find("locked until"), std::string::npos);
  // Now even the right password is refused, without being checked.
  HttpResult refused = client.Post("/login", {{"name", "lou"}, {"password", kLockPassword}});
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(client.Get("/officer").status, 303);

  std::vector<AuditEvent> lockouts = Events("login.lockout");
  ASSERT_FALSE(lockouts.empty());
  EXPECT_EQ(lockouts.back().object, "console-user:lou");
  EXPECT_NE(lockouts.back().details.find("\"seconds\":60"), std::string::npos);
  EXPECT_FALSE(Events("login.locked").empty());

  // An administrator's new password clears the lock.
  {
    auto store = OpenStore();
    ASSERT_TRUE(ConsoleAccounts::SetPassword(store->db(), "test", "lou", kLockPassword,
                                             ToEpoch(Clock::WallNow()))
                    .ok());
  }
  EXPECT_EQ(client.Post("/login", {{"name", "lou"}, {"password", kLockPassword}}).status, 303);
  EXPECT_EQ(client.Get("/officer").status, 200);
}

TEST_F(ConsoleTest, ComplianceVerifiesTheChain) {
  Client compliance = NewClient();
  ASSERT_EQ(compliance.Login("carl", kCompliancePassword).status, 303);
  HttpResult page = compliance.Get("/audit");
  EXPECT_NE(page.body.find("Verify chain"), std::string::npos);
  HttpResult verified = compliance.Post("/audit/verify", {});
  EXPECT_EQ(verified.status, 200);
  EXPECT_NE(verified.body.find("Audit chain OK"), std::string::npos);
}

TEST_F(ConsoleTest, DisablingAnAccountEndsItsSessions) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(ConsoleAccounts::Add(store->db(), "test", "temp", ConsoleRole::kCompliance,
                                     "temporary-password", ToEpoch(Clock::WallNow()))
                    .ok());
  }
  Client temp = NewClient();
  ASSERT_EQ(temp.Login("temp", "temporary-password").status, 303);
  EXPECT_EQ(temp.Get("/audit").status, 200);

  Client admin = NewClient();
  ASSERT_EQ(admin.Login("ada", kAdminPassword).status, 303);
  admin.Get("/admin/users");
  EXPECT_EQ(admin.Post("/admin/users/disable", {{"name", "temp"}}).status, 200);
  EXPECT_EQ(temp.Get("/audit").status, 303);
  EXPECT_EQ(temp.Login("temp", "temporary-password").status, 401);
}

TEST_F(ConsoleTest, OfficerOpensARequestAddsRecordsExportsAndDownloads) {
  const std::string script = "<script>alert(1)</script>";
  Client officer = NewClient();
  ASSERT_EQ(officer.Login("olivia", kOfficerPassword).status, 303);
  officer.Get("/requests/new");
  HttpResult opened =
      officer.Post("/requests/new", {{"requester", script},
                                     {"contact", "' OR '1'='1"},
                                     {"received", "2026-11-23 10:00"},
                                     {"description", "parking'; DROP TABLE requests; --"},
                                     {"format", "electronic"}});
  ASSERT_EQ(opened.status, 303) << opened.body;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(opened.location, match, std::regex("/requests/([0-9-]+)")));
  const std::string id = match[1];
  HttpResult page = officer.Get("/requests/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find(script), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("parking&#39;; DROP TABLE requests; --"), std::string::npos);
  HttpResult dashboard = officer.Get("/officer");
  EXPECT_NE(dashboard.body.find(id), std::string::npos);

  // Search text that looks like markup or SQL is only ever a query, shown escaped.
  for (const std::string& query : {script, std::string("' OR 1=1 --"), std::string("\"")}) {
    HttpResult searched = officer.Get("/requests/" + id + "?q=" + web::UrlEncode(query));
    EXPECT_EQ(searched.status, 200) << query;
    EXPECT_EQ(searched.body.find(script), std::string::npos) << query;
  }
  HttpResult hits = officer.Get("/requests/" + id + "?q=" + web::UrlEncode("\"fee increase\""));
  ASSERT_EQ(hits.status, 200);
  ASSERT_NE(hits.body.find("name=\"record\" value=\"1\""), std::string::npos);
  HttpResult added = officer.Post("/requests/" + id + "/add", {{"record", "1"}, {"record", "3"}});
  EXPECT_EQ(added.status, 200);
  EXPECT_NE(added.body.find("2 record(s) added"), std::string::npos) << added.body;
  EXPECT_EQ(officer.Post("/requests/" + id + "/add", {{"record", "1 OR 1=1"}}).status, 400);

  HttpResult review = officer.Get("/records/1/redactions?request=" + id);
  EXPECT_EQ(review.status, 200);
  EXPECT_NE(review.body.find("id=\"redactions\""), std::string::npos);
  EXPECT_EQ(officer.Get("/records/..%2F1/redactions").status, 404);

  HttpResult estimate =
      officer.Post("/requests/" + id + "/estimate", {{"pages", "12"}, {"clerical_hours", "1"}});
  EXPECT_EQ(estimate.status, 200);
  EXPECT_NE(estimate.body.find("Total"), std::string::npos);
  EXPECT_EQ(officer.Post("/requests/" + id + "/estimate", {{"pages", "twelve"}}).status, 400);
  {
    // Recorded and audited exactly as `request estimate` does, so the cover letter quotes it;
    // the quantities left empty (SSNs) were derived from the records.
    auto store = OpenStore();
    auto recorded = store->db().QueryText(
        "SELECT details FROM request_estimates WHERE request_id = $1 ORDER BY id DESC LIMIT 1",
        {id});
    ASSERT_TRUE(recorded.ok() && recorded->has_value());
    EXPECT_NE((*recorded)->find("1.00 hour"), std::string::npos) << **recorded;
    EXPECT_EQ(store->db()
                  .QueryInt("SELECT count(*) FROM audit_events WHERE action = 'request.estimate'")
                  ->value_or(0),
              1);
  }

  HttpResult exported = officer.Post("/requests/" + id + "/export", {});
  ASSERT_EQ(exported.status, 200) << exported.body;
  ASSERT_TRUE(std::regex_search(exported.body, match,
                                std::regex("href=\"/packages/([A-Za-z0-9._-]+\\.zip)\"")))
      << exported.body;
  const std::string package = match[1];
  HttpResult download = officer.Get("/packages/" + package);
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body.substr(0, 2), "PK");
  EXPECT_NE(download.Header("content-disposition").find("attachment"), std::string::npos);
  for (const char* path :
       {"/packages/..%2Fsunshine.toml", "/packages/../sunshine.db",
        "/packages/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/packages/..", "/packages/.%2e"}) {
    EXPECT_EQ(officer.Get(path).status, 404) << path;
  }

  Client compliance = NewClient();
  ASSERT_EQ(compliance.Login("carl", kCompliancePassword).status, 303);
  EXPECT_EQ(compliance.Get("/packages/" + package).status, 200);
  HttpResult accounting = compliance.Get("/accounting");
  EXPECT_NE(accounting.body.find(package), std::string::npos);
  EXPECT_EQ(compliance.Post("/requests/" + id + "/export", {}).status, 403);
  HttpResult report = compliance.Get("/visits/report");
  EXPECT_EQ(report.status, 200);
  EXPECT_EQ(report.body.find("<script"), std::string::npos);
  EXPECT_NE(report.Header("content-security-policy").find("default-src 'none'"), std::string::npos);
}

TEST(ConsoleTlsTest, UnderTlsTheCookieIsSecure) {
  TempDir dir;
  std::string key = (dir.path() / "key.pem").string();
  std::string cert = (dir.path() / "cert.pem").string();
  testing::RunResult made =
      testing::RunProgram({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                           key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1"});
  if (made.exit_code != 0) {
    GTEST_SKIP() << "openssl could not make a test certificate: " << made.err;
  }
  Home home(dir.path() / "home");
  ASSERT_TRUE(Store::Init(home).ok());
  web::ConsoleOptions options;
  options.listen.port = 0;
  options.home = home;
  options.tls_cert = cert;
  options.tls_key = key;
  web::ConsoleServer server(options);
  Status started = server.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  EXPECT_EQ(server.url().rfind("https://127.0.0.1:", 0), 0u);

  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                                           Poco::Net::Context::VERIFY_NONE);
  Poco::Net::HTTPSClientSession session("127.0.0.1", server.port(), context);
  Poco::Net::HTTPRequest request("GET", "/login", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  EXPECT_EQ(response.getStatus(), 200);
  std::string cookie = response.get("Set-Cookie", "");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_EQ(Poco::toLower(cookie).find("max-age"), std::string::npos) << cookie;
  EXPECT_EQ(Poco::toLower(cookie).find("expires"), std::string::npos) << cookie;
  EXPECT_NE(response.get("Strict-Transport-Security", ""), "");
}

}  // namespace
}  // namespace sunshine
