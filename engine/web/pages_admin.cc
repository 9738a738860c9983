// Account management for administrators: the same ConsoleAccounts functions as
// `sunshine user add|disable|enable|passwd|list`.
#include "engine/web/console_page.h"
#include "engine/web/html.h"

namespace sunshine::web {

namespace {

std::string UsersBody(ConsoleRequest& request, std::string_view notice_html) {
  std::string body(notice_html);
  auto accounts = ConsoleAccounts::List(request.store->db());
  if (!accounts.ok()) {
    return body + Notice("bad", accounts.status().message());
  }
  body +=
      "<section class=\"card\"><table><thead><tr><th>User ID</th><th>Role</th><th>Status</th>"
      "<th>Failed sign-ins</th><th>Last sign-in</th><th>Created</th><th>Actions</th></tr>"
      "</thead><tbody>";
  std::int64_t now = request.now();
  for (const ConsoleAccount& account : *accounts) {
    std::string status = account.disabled ? "<span class=\"badge bad\">disabled</span>"
                                          : "<span class=\"badge good\">active</span>";
    if (account.locked_until && *account.locked_until > now) {
      status += " <span class=\"badge warn\">locked until " +
                HtmlEscape(FormatEpoch(*account.locked_until)) + "</span>";
    }
    std::string name = HtmlEscape(account.name);
    body += "<tr><td>" + name + "</td><td>" + HtmlEscape(ConsoleRoleName(account.role)) +
            "</td><td>" + status + "</td><td class=\"num\">" +
            std::to_string(account.failed_logins) + "</td><td>" +
            HtmlEscape(FormatEpoch(account.last_login_at)) + "</td><td>" +
            HtmlEscape(FormatEpoch(account.created_at)) + "</td><td>";
    std::string toggle = account.disabled ? "enable" : "disable";
    body += "<form class=\"inline\" method=\"post\" action=\"/admin/users/" + toggle + "\">" +
            CsrfField(request) + "<input type=\"hidden\" name=\"name\" value=\"" + name +
            "\"><button type=\"submit\" class=\"" + (account.disabled ? "secondary" : "danger") +
            "\">" + (account.disabled ? "Enable" : "Disable") + "</button></form> ";
    body += "<form class=\"inline\" method=\"post\" action=\"/admin/users/passwd\">" +
            CsrfField(request) + "<input type=\"hidden\" name=\"name\" value=\"" + name +
            "\"><input type=\"password\" name=\"password\" placeholder=\"new password\" "
            "minlength=\"12\" required autocomplete=\"new-password\" aria-label=\"new password "
            "for " +
            name +
            "\"> <button type=\"submit\" class=\"secondary\">Set password</button>"
            "</form></td></tr>";
  }
  if (accounts->empty()) {
    body += "<tr><td colspan=\"7\" class=\"muted\">No accounts.</td></tr>";
  }
  body += "</tbody></table></section>";
  body +=
      "<h2>Add an account</h2><section class=\"card\"><form method=\"post\" "
      "action=\"/admin/users/add\" class=\"filters\" autocomplete=\"off\">" +
      CsrfField(request) +
      "<div><label for=\"new-name\">User ID</label><input type=\"text\" id=\"new-name\" "
      "name=\"name\" required maxlength=\"64\"></div>"
      "<div><label for=\"new-role\">Role</label><select id=\"new-role\" name=\"role\">"
      "<option value=\"records-officer\">records officer</option>"
      "<option value=\"compliance\">compliance (read-only)</option>"
      "<option value=\"admin\">administrator</option></select></div>"
      "<div><label for=\"new-password\">Password (at least 12 characters)</label>"
      "<input type=\"password\" id=\"new-password\" name=\"password\" minlength=\"12\" required "
      "autocomplete=\"new-password\"></div>"
      "<div><button type=\"submit\">Add account</button></div></form></section>";
  return body;
}

ConsoleResponse Render(ConsoleRequest& request, std::string_view notice_html, int status = 200) {
  return ConsoleResponse::Page(
      RenderPage(request, "Console accounts", UsersBody(request, notice_html)), status);
}

ConsoleResponse UsersPage(ConsoleRequest& request) { return Render(request, ""); }

ConsoleResponse Outcome(ConsoleRequest& request, const Status& status, std::string_view done) {
  if (!status.ok()) {
    int code = status.code() == StatusCode::kInvalidInput ||
                       status.code() == StatusCode::kNotFound ||
                       status.code() == StatusCode::kAlreadyExists
                   ? 400
                   : 500;
    return Render(request, Notice("bad", status.message()), code);
  }
  return Render(request, Notice("good", done));
}

ConsoleResponse AddUser(ConsoleRequest& request) {
  std::string name = request.Param("name");
  auto role = ParseConsoleRole(request.Param("role"));
  if (!role.ok()) {
    return Outcome(request, role.status(), "");
  }
  Status status = ConsoleAccounts::Add(request.store->db(), request.actor(), name, *role,
                                       request.Param("password"), request.now());
  return Outcome(request, status, "Account '" + name + "' added.");
}

ConsoleResponse DisableUser(ConsoleRequest& request) {
  std::string name = request.Param("name");
  Status status =
      ConsoleAccounts::Disable(request.store->db(), request.actor(), name, request.now());
  return Outcome(request, status, "Account '" + name + "' disabled; its sessions have ended.");
}

ConsoleResponse EnableUser(ConsoleRequest& request) {
  std::string name = request.Param("name");
  Status status = ConsoleAccounts::Enable(request.store->db(), request.actor(), name);
  return Outcome(request, status, "Account '" + name + "' enabled.");
}

ConsoleResponse SetPassword(ConsoleRequest& request) {
  std::string name = request.Param("name");
  Status status = ConsoleAccounts::SetPassword(request.store->db(), request.actor(), name,
                                               request.Param("password"), request.now());
  return Outcome(request, status,
                 "Password of '" + name + "' set; any lock-out is cleared and its sessions ended.");
}

}  // namespace

std::vector<ConsoleRoute> AdminPages() {
  return {
      {"GET", "/admin/users", false, kAdmin, UsersPage, "Accounts"},
      {"POST", "/admin/users/add", false, kAdmin, AddUser, ""},
      {"POST", "/admin/users/disable", false, kAdmin, DisableUser, ""},
      {"POST", "/admin/users/enable", false, kAdmin, EnableUser, ""},
      {"POST", "/admin/users/passwd", false, kAdmin, SetPassword, ""},
  };
}

}  // namespace sunshine::web
