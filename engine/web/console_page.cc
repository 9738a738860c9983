#include "engine/web/console_page.h"

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/web/html.h"

namespace sunshine::web {

unsigned RoleBit(ConsoleRole role) {
  switch (role) {
    case ConsoleRole::kRecordsOfficer:
      return kOfficer;
    case ConsoleRole::kCompliance:
      return kCompliance;
    case ConsoleRole::kAdmin:
      return kAdmin;
  }
  return 0;
}

std::string ConsoleRequest::actor() const {
  return signed_in() ? "console:" + account().name : "console:anonymous";
}

std::string ConsoleRequest::Param(std::string_view name) const {
  return OptionalParam(name).value_or("");
}

std::optional<std::string> ConsoleRequest::OptionalParam(std::string_view name) const {
  std::optional<std::string> value;
  auto [first, last] = params.equal_range(std::string(name));
  for (auto it = first; it != last; ++it) {
    value = it->second;
  }
  if (value && value->empty()) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string> ConsoleRequest::Params(std::string_view name) const {
  std::vector<std::string> values;
  auto [first, last] = params.equal_range(std::string(name));
  for (auto it = first; it != last; ++it) {
    values.push_back(it->second);
  }
  return values;
}

std::string_view ConsoleRequest::Tail(std::string_view prefix) const {
  std::string_view whole(path);
  return whole.size() >= prefix.size() ? whole.substr(prefix.size()) : std::string_view();
}

std::int64_t ConsoleRequest::now() const { return ToEpoch(Clock::WallNow()); }

ConsoleResponse ConsoleResponse::Redirect(std::string location) {
  ConsoleResponse response;
  response.status = 303;
  response.location = std::move(location);
  return response;
}

ConsoleResponse ConsoleResponse::Page(std::string html, int status) {
  ConsoleResponse response;
  response.status = status;
  response.body = std::move(html);
  return response;
}

std::string_view HomePath(ConsoleRole role) {
  switch (role) {
    case ConsoleRole::kRecordsOfficer:
      return "/officer";
    case ConsoleRole::kCompliance:
      return "/audit";
    case ConsoleRole::kAdmin:
      return "/admin/users";
  }
  return "/";
}

std::string CsrfField(const ConsoleRequest& request) {
  std::string token = request.session ? request.session->csrf_token : std::string();
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + HtmlEscape(token) + "\">";
}

std::string Notice(std::string_view kind, std::string_view text) {
  return "<div class=\"notice " + HtmlEscape(kind) + "\" role=\"status\">" + HtmlEscape(text) +
         "</div>";
}

std::string RenderPage(const ConsoleRequest& request, std::string_view title,
                       std::string_view body_html) {
  std::string html;
  html.reserve(body_html.size() + 2048);
  html +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  html += HtmlEscape(title);
  html += " - Sunshine</title>\n<link rel=\"stylesheet\" href=\"/static/console.css\">\n";
  html += "</head>\n<body>\n<header class=\"top\"><span class=\"brand\">Sunshine</span>";
  if (request.signed_in()) {
    unsigned bit = RoleBit(request.account().role);
    html += "<nav aria-label=\"main\">";
    for (const ConsoleRoute& route : AllConsoleRoutes()) {
      if (route.nav_label.empty() || route.method != "GET" || (route.roles & bit) == 0) {
        continue;
      }
      bool current =
          request.path == route.path ||
          (route.path != "/" && request.path.rfind(std::string(route.path) + "/", 0) == 0);
      html += "<a href=\"" + HtmlEscape(route.path) + "\"" +
              (current ? " class=\"current\" aria-current=\"page\"" : "") + ">" +
              HtmlEscape(route.nav_label) + "</a>";
    }
    html += "</nav><div class=\"who\"><span>" + HtmlEscape(request.account().name) + " (" +
            HtmlEscape(ConsoleRoleName(request.account().role)) +
            ")</span><form method=\"post\" action=\"/logout\">" + CsrfField(request) +
            "<button type=\"submit\">Sign out</button></form></div>";
  }
  html += "</header>\n<main>\n<h1>";
  html += HtmlEscape(title);
  html += "</h1>\n";
  html += body_html;
  html +=
      "\n</main>\n<footer>Sunshine records console. Every action here is recorded in the "
      "audit trail.</footer>\n</body>\n</html>\n";
  return html;
}

ConsoleResponse ErrorPage(const ConsoleRequest& request, int status, std::string_view message) {
  std::string title = status == 403   ? "Not allowed"
                      : status == 404 ? "Not found"
                      : status == 400 ? "Bad request"
                                      : "Something went wrong";
  return ConsoleResponse::Page(RenderPage(request, title, Notice("bad", message)), status);
}

ConsoleResponse Forbidden(ConsoleRequest& request, std::string_view why) {
  if (request.store != nullptr) {
    auto txn = Transaction::Begin(request.store->db());
    if (txn.ok()) {
      JsonObject details = NewJsonObject();
      details->set("method", request.method);
      details->set("why", std::string(why));
      if (request.signed_in()) {
        details->set("role", std::string(ConsoleRoleName(request.account().role)));
      }
      details->set("remote", request.remote);
      auto seq = AuditLog::Append(request.store->db(), request.actor(), "console.forbidden",
                                  "page:" + request.path.substr(0, 200), ToJson(details));
      if (seq.ok()) {
        (void)(*txn)->Commit();
      }
    }
  }
  return ErrorPage(request, 403, "You may not do this with your role. The attempt was recorded.");
}

std::optional<Path> FileInside(const Path& dir, std::string_view name) {
  if (name.empty() || name.size() > 255 || name[0] == '.' ||
      name.find_first_of(std::string_view("/\\\0", 3)) != std::string_view::npos) {
    return std::nullopt;
  }
  boost::system::error_code ec;
  Path root = boost::filesystem::canonical(dir, ec);
  if (ec) {
    return std::nullopt;
  }
  Path file = boost::filesystem::canonical(root / std::string(name), ec);
  if (ec || file.parent_path() != root || !boost::filesystem::is_regular_file(file, ec)) {
    return std::nullopt;
  }
  return file;
}

}  // namespace sunshine::web
