// What a console page handler sees and returns. Handlers are thin: parse the form, call the
// same engine function the CLI calls, render the result. The server (console_server.cc) does
// everything common before a handler runs: it opens the store, resumes the session, sends
// anonymous visitors to the login page, refuses a role that may not use the route (403,
// audited) and refuses a POST without the session's CSRF token.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/path.h"
#include "engine/store/store.h"
#include "engine/web/accounts.h"
#include "engine/web/sessions.h"

namespace sunshine::web {

// Which roles may use a route. kAnyone routes need no sign-in (login page, stylesheet).
enum RoleMask : unsigned {
  kAnyone = 0,
  kOfficer = 1u << 0,
  kCompliance = 1u << 1,
  kAdmin = 1u << 2,
};
unsigned RoleBit(ConsoleRole role);

struct ConsoleRequest {
  std::string method;  // GET | POST
  std::string path;    // decoded, without the query
  std::string remote;  // client address, for the audit trail
  bool tls = false;
  // Query parameters and (for POST) url-encoded form fields, in order received.
  std::multimap<std::string, std::string> params;
  Store* store = nullptr;
  const Clock* clock = nullptr;
  std::optional<ConsoleSession> session;  // live session (pre-login sessions too)
  std::string session_token;              // the cookie's token when `session` is set

  bool signed_in() const { return session && session->account; }
  const ConsoleAccount& account() const { return *session->account; }
  // "console:NAME", the audit actor of everything done through the console.
  std::string actor() const;
  // Last value of a parameter ("" if absent); every value of a repeated parameter.
  std::string Param(std::string_view name) const;
  std::optional<std::string> OptionalParam(std::string_view name) const;  // absent or empty: none
  std::vector<std::string> Params(std::string_view name) const;
  // The route's trailing part: "/certificates/x.txt" with prefix "/certificates/" gives "x.txt".
  std::string_view Tail(std::string_view prefix) const;
  std::int64_t now() const;  // wall-clock epoch seconds
};

struct ConsoleResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::string location;                  // for redirects (303)
  std::optional<std::string> new_token;  // set the session cookie to this ("" empties it)
  std::optional<Path> file;              // send this file instead of `body`
  std::string download_name;             // Content-Disposition: attachment; filename=...
  // Only for documents rendered elsewhere that need inline styles (the visit report, shown in
  // a sandboxed same-origin frame): replaces the default policy and allows that framing.
  std::string content_security_policy;
  bool frame_same_origin = false;

  static ConsoleResponse Redirect(std::string location);
  static ConsoleResponse Page(std::string html, int status = 200);
};

using ConsoleHandler = ConsoleResponse (*)(ConsoleRequest& request);

struct ConsoleRoute {
  std::string_view method;  // "GET" or "POST"
  std::string_view path;    // exact path, or a prefix ending in '/' when `prefix`
  bool prefix = false;
  unsigned roles = kAnyone;  // RoleMask bits; kAnyone: no sign-in needed
  ConsoleHandler handle = nullptr;
  std::string_view nav_label;  // non-empty: a navigation link for the roles above
};

// Page families, one file each (pages_<family>.cc), listed once in console_routes.cc.
std::vector<ConsoleRoute> AuthPages();
std::vector<ConsoleRoute> OfficerPages();
std::vector<ConsoleRoute> RequestPages();
std::vector<ConsoleRoute> RecordPages();
std::vector<ConsoleRoute> CompliancePages();
std::vector<ConsoleRoute> AdminPages();
const std::vector<ConsoleRoute>& AllConsoleRoutes();

// The page a role lands on after signing in.
std::string_view HomePath(ConsoleRole role);

// The whole HTML document: header with navigation for the signed-in role, the sign-out form,
// then `body_html` (already escaped by the caller).
std::string RenderPage(const ConsoleRequest& request, std::string_view title,
                       std::string_view body_html);
// <input type="hidden" name="csrf" ...> for the request's session.
std::string CsrfField(const ConsoleRequest& request);
// A notice box: kind is "good", "bad" or "info"; `text` is escaped here.
std::string Notice(std::string_view kind, std::string_view text);
// A page for an error status (403, 404, 500...) with an escaped message.
ConsoleResponse ErrorPage(const ConsoleRequest& request, int status, std::string_view message);
// The 403 page, after appending a "console.forbidden" audit event naming the path.
ConsoleResponse Forbidden(ConsoleRequest& request, std::string_view why);

// A regular file directly inside `dir` named `name`, or nullopt: names with '/', '\\', NUL,
// a leading '.', or that resolve (through symlinks) outside `dir` find nothing.
std::optional<Path> FileInside(const Path& dir, std::string_view name);

}  // namespace sunshine::web
