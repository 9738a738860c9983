// Sign-in and sign-out. The login form has its own short pre-login session so that it carries
// a CSRF token like every other form (login CSRF); signing in ends that session and starts a
// new one with a fresh token (no session fixation).
#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/web/console_page.h"
#include "engine/web/html.h"

namespace sunshine::web {

namespace {

ConsoleResponse Root(ConsoleRequest& request) {
  if (request.signed_in()) {
    return ConsoleResponse::Redirect(std::string(HomePath(request.account().role)));
  }
  return ConsoleResponse::Redirect("/login");
}

std::string LoginForm(const ConsoleRequest& request, std::string_view notice_html,
                      std::string_view name) {
  std::string body = "<section class=\"card login\">";
  body += notice_html;
  body += "<form method=\"post\" action=\"/login\" autocomplete=\"off\">" + CsrfField(request) +
          "<div class=\"field\"><label for=\"name\">User ID</label>"
          "<input type=\"text\" id=\"name\" name=\"name\" required maxlength=\"64\" value=\"" +
          HtmlEscape(name) +
          "\" autofocus></div>"
          "<div class=\"field\"><label for=\"password\">Password</label>"
          "<input type=\"password\" id=\"password\" name=\"password\" required "
          "autocomplete=\"current-password\"></div>"
          "<button type=\"submit\">Sign in</button></form>"
          "<p class=\"muted small\">Staff accounts only. This site uses a single session cookie, "
          "which your browser deletes when it closes. Sessions end after 30 minutes without "
          "activity and after 8 hours in any case.</p></section>";
  return body;
}

ConsoleResponse LoginPage(ConsoleRequest& request) {
  if (request.signed_in()) {
    return ConsoleResponse::Redirect(std::string(HomePath(request.account().role)));
  }
  ConsoleResponse response;
  if (!request.session) {
    auto txn = Transaction::Begin(request.store->db());
    if (!txn.ok()) {
      return ErrorPage(request, 500, txn.status().message());
    }
    Status pruned = ConsoleSessions::Prune(request.store->db(), request.now());
    auto created = ConsoleSessions::Create(request.store->db(), std::nullopt, request.now());
    if (!pruned.ok() || !created.ok()) {
      return ErrorPage(request, 500, (pruned.ok() ? created.status() : pruned).message());
    }
    Status committed = (*txn)->Commit();
    if (!committed.ok()) {
      return ErrorPage(request, 500, committed.message());
    }
    ConsoleSession session;
    session.csrf_token = created->csrf_token;
    request.session = session;
    response.new_token = created->token;
  }
  std::string notice;
  if (request.OptionalParam("expired")) {
    notice = Notice("info", "The sign-in form had expired. Please sign in again.");
  } else if (request.OptionalParam("bye")) {
    notice = Notice("good", "You are signed out.");
  }
  response.body = RenderPage(request, "Sign in", LoginForm(request, notice, ""));
  return response;
}

ConsoleResponse LoginSubmit(ConsoleRequest& request) {
  if (request.signed_in()) {
    return ConsoleResponse::Redirect(std::string(HomePath(request.account().role)));
  }
  std::string name = request.Param("name");
  std::string password = request.Param("password");
  std::string pre_login_hash = request.session ? request.session->token_hash : std::string();
  std::string new_token;
  auto result = ConsoleAccounts::Login(
      request.store->db(), name, password, request.now(), request.remote,
      [&](Database& db, const ConsoleAccount& account) -> Status {
        if (!pre_login_hash.empty()) {
          SUNSHINE_RETURN_IF_ERROR(
              ConsoleSessions::End(db, pre_login_hash, "login", request.now()));
        }
        auto created = ConsoleSessions::Create(db, account.id, request.now());
        if (!created.ok()) {
          return created.status();
        }
        new_token = created->token;
        return Status();
      });
  if (!result.ok()) {
    return ErrorPage(request, 500, "Sign-in failed: " + result.status().message());
  }
  if (result->outcome == LoginOutcome::kSuccess) {
    ConsoleResponse response =
        ConsoleResponse::Redirect(std::string(HomePath(result->account->role)));
    response.new_token = new_token;
    return response;
  }
  if (result->outcome == LoginOutcome::kLockedOut) {
    std::string until = result->locked_until ? FormatEpoch(*result->locked_until) : "later";
    return ConsoleResponse::Page(
        RenderPage(request, "Sign in",
                   LoginForm(request,
                             Notice("bad",
                                    "Too many failed sign-ins: this account is locked "
                                    "until " +
                                        until +
                                        ". The lock grows with every "
                                        "further failure; an administrator can reset it."),
                             name)),
        429);
  }
  return ConsoleResponse::Page(
      RenderPage(request, "Sign in",
                 LoginForm(request, Notice("bad", "Wrong user ID or password."), name)),
      401);
}

ConsoleResponse Logout(ConsoleRequest& request) {
  auto txn = Transaction::Begin(request.store->db());
  if (!txn.ok()) {
    return ErrorPage(request, 500, txn.status().message());
  }
  Status status = ConsoleSessions::End(request.store->db(), request.session->token_hash, "logout",
                                       request.now());
  if (status.ok()) {
    JsonObject details = NewJsonObject();
    details->set("remote", request.remote);
    auto seq = AuditLog::Append(request.store->db(), request.actor(), "logout",
                                "console-user:" + request.account().name, ToJson(details));
    status = seq.ok() ? (*txn)->Commit() : seq.status();
  }
  if (!status.ok()) {
    return ErrorPage(request, 500, "Sign-out failed: " + status.message());
  }
  ConsoleResponse response = ConsoleResponse::Redirect("/login?bye=1");
  response.new_token = "";  // empties the cookie; the server-side session is already ended
  return response;
}

}  // namespace

std::vector<ConsoleRoute> AuthPages() {
  return {
      {"GET", "/", false, kAnyone, Root, ""},
      {"GET", "/login", false, kAnyone, LoginPage, ""},
      {"POST", "/login", false, kAnyone, LoginSubmit, ""},
      {"POST", "/logout", false, kOfficer | kCompliance | kAdmin, Logout, ""},
  };
}

}  // namespace sunshine::web
