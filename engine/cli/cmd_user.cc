// sunshine user add | disable | enable | passwd | list: web console accounts
// (engine/web/accounts.h). Passwords are read from the terminal without echo, or from the
// first line of stdin when it is not a terminal; never from an argument, where they would
// show in `ps` and in shell history.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/web/accounts.h"
#include "engine/web/html.h"

namespace sunshine {

namespace {

std::int64_t NowEpoch() { return ToEpoch(Clock::WallNow()); }

// One line from the terminal with echo off.
Result<std::string> ReadHidden(std::ostream& err, std::string_view prompt) {
  err << prompt << std::flush;
  termios old_mode{};
  bool restore = ::tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (restore) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (restore) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_mode);
  }
  if (!got) {
    return Status::InvalidInput("no password given");
  }
  return line;
}

// The new password: typed twice on a terminal, else the first line of stdin.
Result<std::string> ReadNewPassword(CommandContext& context, std::string_view name) {
  if (::isatty(STDIN_FILENO) == 0) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      return Status::InvalidInput("no password on stdin (give it as the first line)");
    }
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    return line;
  }
  auto first = ReadHidden(context.Err(), "New password for " + std::string(name) + " (at least " +
                                             std::to_string(kMinPasswordLength) + " characters): ");
  if (!first.ok()) {
    return first.status();
  }
  SUNSHINE_RETURN_IF_ERROR(ValidatePassword(*first));
  auto second = ReadHidden(context.Err(), "Type it again: ");
  if (!second.ok()) {
    return second.status();
  }
  if (*first != *second) {
    return Status::InvalidInput("the two passwords differ; nothing was changed");
  }
  return first;
}

Result<std::string> OneName(CommandContext& context) {
  if (context.args.positionals().size() != 1) {
    return Status::InvalidInput("give exactly one account name");
  }
  return context.args.positionals()[0];
}

int Done(CommandContext& context, const Status& status, std::string_view name,
         std::string_view what) {
  if (!status.ok()) {
    return context.Fail(status);
  }
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("name", std::string(name));
    out->set("done", std::string(what));
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "account " << name << ": " << what << '\n';
  }
  return kExitOk;
}

void AddOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("role", "ROLE", "records-officer, compliance or admin (required)"));
}

int RunAdd(CommandContext& context) {
  auto name = OneName(context);
  if (!name.ok()) {
    return context.UsageError(name.status().message());
  }
  auto role_text = context.args.Optional("role");
  if (!role_text) {
    return context.UsageError("--role is required (records-officer, compliance or admin)");
  }
  auto role = ParseConsoleRole(*role_text);
  if (!role.ok()) {
    return context.UsageError("--role: " + role.status().message());
  }
  if (Status valid = ValidateAccountName(*name); !valid.ok()) {
    return context.UsageError(valid.message());
  }
  auto password = ReadNewPassword(context, *name);
  if (!password.ok()) {
    return context.Fail(password.status());
  }
  Status status =
      ConsoleAccounts::Add(context.store->db(), context.actor, *name, *role, *password, NowEpoch());
  return Done(context, status, *name, "added as " + std::string(ConsoleRoleName(*role)));
}

int RunDisable(CommandContext& context) {
  auto name = OneName(context);
  if (!name.ok()) {
    return context.UsageError(name.status().message());
  }
  return Done(context,
              ConsoleAccounts::Disable(context.store->db(), context.actor, *name, NowEpoch()),
              *name, "disabled (its sessions have ended)");
}

int RunEnable(CommandContext& context) {
  auto name = OneName(context);
  if (!name.ok()) {
    return context.UsageError(name.status().message());
  }
  return Done(context, ConsoleAccounts::Enable(context.store->db(), context.actor, *name), *name,
              "enabled");
}

int RunPasswd(CommandContext& context) {
  auto name = OneName(context);
  if (!name.ok()) {
    return context.UsageError(name.status().message());
  }
  auto existing = ConsoleAccounts::Find(context.store->db(), *name);
  if (!existing.ok()) {
    return context.Fail(existing.status());
  }
  if (!*existing) {
    return context.Fail(Status::NotFound("no console account named '" + *name + "'"));
  }
  auto password = ReadNewPassword(context, *name);
  if (!password.ok()) {
    return context.Fail(password.status());
  }
  return Done(context,
              ConsoleAccounts::SetPassword(context.store->db(), context.actor, *name, *password,
                                           NowEpoch()),
              *name, "password set (lock-out cleared, sessions ended)");
}

int RunList(CommandContext& context) {
  auto accounts = ConsoleAccounts::List(context.store->db());
  if (!accounts.ok()) {
    return context.Fail(accounts.status());
  }
  std::int64_t now = NowEpoch();
  for (const ConsoleAccount& account : *accounts) {
    bool locked = account.locked_until && *account.locked_until > now;
    if (context.global.json) {
      JsonObject out = NewJsonObject();
      out->set("name", account.name);
      out->set("role", std::string(ConsoleRoleName(account.role)));
      out->set("disabled", account.disabled);
      out->set("failed_logins", account.failed_logins);
      if (locked) {
        out->set("locked_until", FormatUtc(FromEpoch(*account.locked_until)));
      }
      if (account.last_login_at) {
        out->set("last_login", FormatUtc(FromEpoch(*account.last_login_at)));
      }
      out->set("created", FormatUtc(FromEpoch(account.created_at)));
      context.Out() << ToJson(out) << '\n';
    } else {
      context.Out() << account.name << "  " << ConsoleRoleName(account.role) << "  "
                    << (account.disabled ? "disabled" : "active");
      if (locked) {
        context.Out() << "  locked until " << web::FormatEpoch(*account.locked_until);
      }
      context.Out() << "  last sign-in "
                    << (account.last_login_at ? web::FormatEpoch(*account.last_login_at) : "never")
                    << '\n';
    }
  }
  if (accounts->empty() && !context.global.json) {
    context.Note("no console accounts (add one with 'sunshine user add NAME --role admin')");
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> UserCommands() {
  return {
      {"user add", "add a web console account", "NAME --role records-officer|compliance|admin",
       "Asks for the password twice on the terminal (no echo), or reads it from the first\n"
       "line of stdin when stdin is not a terminal. Never give a password as an argument.\n"
       "Passwords need at least 12 characters and are stored only as Argon2id hashes.\n"
       "Audited as user.add.",
       StoreAccess::kReadWrite, AddOptions, RunAdd},
      {"user disable", "stop an account from signing in; ends its sessions", "NAME",
       "Audited as user.disable.", StoreAccess::kReadWrite, nullptr, RunDisable},
      {"user enable", "allow a disabled account to sign in again", "NAME",
       "Audited as user.enable.", StoreAccess::kReadWrite, nullptr, RunEnable},
      {"user passwd", "set an account's password; clears a lock-out", "NAME",
       "Reads the new password like 'user add'. Ends the account's open sessions.\n"
       "Audited as user.passwd.",
       StoreAccess::kReadWrite, nullptr, RunPasswd},
      {"user list", "list console accounts", "[--json]",
       "Name, role, whether disabled or locked out, and the last sign-in.", StoreAccess::kReadOnly,
       nullptr, RunList},
  };
}

}  // namespace sunshine
