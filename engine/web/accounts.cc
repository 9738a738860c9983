#include "engine/web/accounts.h"

#include <sodium.h>

#include <algorithm>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"

namespace sunshine {

namespace {

constexpr const char* kSelectAccount =
    "SELECT id, name, role, disabled, failed_logins, locked_until, created_at, password_set_at, "
    "last_login_at, password_hash FROM console_users ";

struct AccountRow {
  ConsoleAccount account;
  std::string password_hash;
};

AccountRow AccountFromRow(const Row& row) {
  AccountRow result;
  result.account.id = row.Int(0);
  result.account.name = row.Text(1);
  auto role = ParseConsoleRole(row.Text(2));
  // The CHECK constraint admits only valid roles; fall back to the least privileged one.
  result.account.role = role.ok() ? *role : ConsoleRole::kCompliance;
  result.account.disabled = row.Int(3) != 0;
  result.account.failed_logins = row.Int(4);
  result.account.locked_until = row.OptInt(5);
  result.account.created_at = row.Int(6);
  result.account.password_set_at = row.Int(7);
  result.account.last_login_at = row.OptInt(8);
  result.password_hash = row.Text(9);
  return result;
}

Result<std::optional<AccountRow>> FindRow(Database& db, std::string_view sql_where,
                                          const SqlParams& params) {
  std::optional<AccountRow> found;
  Status status =
      db.Query(std::string(kSelectAccount) + std::string(sql_where), params, [&](const Row& row) {
        found = AccountFromRow(row);
        return Status();
      });
  if (!status.ok()) {
    return status;
  }
  return found;
}

Status EnsureSodium() {
  static const int kInit = sodium_init();
  return kInit < 0 ? Status::Internal("libsodium failed to initialise") : Status();
}

// Spent on unknown user names so that a wrong name takes as long as a wrong password and
// response times do not reveal which accounts exist.
const std::string& DummyHash() {
  static const std::string kHash = [] {
    auto hash = HashPassword("sunshine-console-dummy-password");
    return hash.ok() ? *hash : std::string();
  }();
  return kHash;
}

std::string Details(std::initializer_list<std::pair<const char*, Poco::Dynamic::Var>> fields) {
  JsonObject object = NewJsonObject();
  for (const auto& [key, value] : fields) {
    object->set(key, value);
  }
  return ToJson(object);
}

std::string UserObject(std::string_view name) { return "console-user:" + std::string(name); }

Status RequireAccount(const std::optional<AccountRow>& row, std::string_view name) {
  if (!row) {
    return Status::NotFound("no console account named '" + std::string(name) +
                            "' (see 'sunshine user list')");
  }
  return {};
}

}  // namespace

std::string_view ConsoleRoleName(ConsoleRole role) {
  switch (role) {
    case ConsoleRole::kRecordsOfficer:
      return "records-officer";
    case ConsoleRole::kCompliance:
      return "compliance";
    case ConsoleRole::kAdmin:
      return "admin";
  }
  return "compliance";
}

Result<ConsoleRole> ParseConsoleRole(std::string_view text) {
  for (ConsoleRole role :
       {ConsoleRole::kRecordsOfficer, ConsoleRole::kCompliance, ConsoleRole::kAdmin}) {
    if (text == ConsoleRoleName(role)) {
      return role;
    }
  }
  return Status::InvalidInput("unknown role '" + std::string(text) +
                              "' (use records-officer, compliance or admin)");
}

Status ValidateAccountName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return Status::InvalidInput("an account name needs 1 to 64 characters");
  }
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  if (!std::all_of(name.begin(), name.end(), allowed) || name[0] == '.' || name[0] == '_' ||
      name[0] == '-') {
    return Status::InvalidInput("account name '" + std::string(name) +
                                "' may use only a-z, 0-9, '.', '_' and '-', starting with a "
                                "letter or digit");
  }
  return {};
}

Status ValidatePassword(std::string_view password) {
  if (password.size() > kMaxPasswordLength) {
    return Status::InvalidInput("the password is longer than " +
                                std::to_string(kMaxPasswordLength) + " bytes");
  }
  if (password.find('\0') != std::string_view::npos) {
    return Status::InvalidInput("the password contains a NUL byte");
  }
  // Count code points, not bytes: a passphrase with accented letters is not longer than it looks.
  std::size_t characters = std::count_if(password.begin(), password.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (characters < kMinPasswordLength) {
    return Status::InvalidInput("the password needs at least " +
                                std::to_string(kMinPasswordLength) + " characters");
  }
  return {};
}

std::int64_t LockSecondsAfter(std::int64_t failures) {
  if (failures < kLockoutThreshold) {
    return 0;
  }
  std::int64_t seconds = kFirstLockSeconds;
  for (std::int64_t i = kLockoutThreshold; i < failures && seconds < kMaxLockSeconds; ++i) {
    seconds *= 2;
  }
  return std::min(seconds, kMaxLockSeconds);
}

Result<std::string> HashPassword(std::string_view password) {
  SUNSHINE_RETURN_IF_ERROR(EnsureSodium());
  char out[crypto_pwhash_STRBYTES];
  // crypto_pwhash_str is Argon2id (crypto_pwhash_ALG_DEFAULT) in libsodium >= 1.0.15.
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Internal("password hashing failed (out of memory?)");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (!EnsureSodium().ok() || hash.empty()) {
    return false;
  }
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Status ConsoleAccounts::Add(Database& db, std::string_view actor, std::string_view name,
                            ConsoleRole role, std::string_view password, std::int64_t now) {
  SUNSHINE_RETURN_IF_ERROR(ValidateAccountName(name));
  SUNSHINE_RETURN_IF_ERROR(ValidatePassword(password));
  auto hash = HashPassword(password);
  if (!hash.ok()) {
    return hash.status();
  }
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return txn.status();
  }
  auto existing = FindRow(db, "WHERE name = $1", {std::string(name)});
  if (!existing.ok()) {
    return existing.status();
  }
  if (*existing) {
    return Status::AlreadyExists("a console account named '" + std::string(name) +
                                 "' already exists");
  }
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("INSERT INTO console_users (name, role, password_hash, created_at, password_set_at) "
              "VALUES ($1, $2, $3, $4, $4)",
              {std::string(name), std::string(ConsoleRoleName(role)), *hash, now}));
  auto seq = AuditLog::Append(db, actor, "user.add", UserObject(name),
                              Details({{"role", std::string(ConsoleRoleName(role))}}));
  if (!seq.ok()) {
    return seq.status();
  }
  return (*txn)->Commit();
}

Status ConsoleAccounts::Disable(Database& db, std::string_view actor, std::string_view name,
                                std::int64_t now) {
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return txn.status();
  }
  auto row = FindRow(db, "WHERE name = $1", {std::string(name)});
  if (!row.ok()) {
    return row.status();
  }
  SUNSHINE_RETURN_IF_ERROR(RequireAccount(*row, name));
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE console_users SET disabled = 1 WHERE id = $1", {(*row)->account.id}));
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE console_sessions SET ended_at = $1, end_reason = 'disabled' "
              "WHERE user_id = $2 AND ended_at IS NULL",
              {now, (*row)->account.id}));
  std::int64_t ended = db.ChangedRows();
  auto seq = AuditLog::Append(db, actor, "user.disable", UserObject(name),
                              Details({{"sessions_ended", ended}}));
  if (!seq.ok()) {
    return seq.status();
  }
  return (*txn)->Commit();
}

Status ConsoleAccounts::Enable(Database& db, std::string_view actor, std::string_view name) {
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return txn.status();
  }
  auto row = FindRow(db, "WHERE name = $1", {std::string(name)});
  if (!row.ok()) {
    return row.status();
  }
  SUNSHINE_RETURN_IF_ERROR(RequireAccount(*row, name));
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE console_users SET disabled = 0 WHERE id = $1", {(*row)->account.id}));
  auto seq = AuditLog::Append(db, actor, "user.enable", UserObject(name), "{}");
  if (!seq.ok()) {
    return seq.status();
  }
  return (*txn)->Commit();
}

Status ConsoleAccounts::SetPassword(Database& db, std::string_view actor, std::string_view name,
                                    std::string_view password, std::int64_t now) {
  SUNSHINE_RETURN_IF_ERROR(ValidatePassword(password));
  auto hash = HashPassword(password);
  if (!hash.ok()) {
    return hash.status();
  }
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return txn.status();
  }
  auto row = FindRow(db, "WHERE name = $1", {std::string(name)});
  if (!row.ok()) {
    return row.status();
  }
  SUNSHINE_RETURN_IF_ERROR(RequireAccount(*row, name));
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE console_users SET password_hash = $1, password_set_at = $2, "
              "failed_logins = 0, locked_until = NULL WHERE id = $3",
              {*hash, now, (*row)->account.id}));
  // Whoever held the old password must not stay signed in.
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE console_sessions SET ended_at = $1, end_reason = 'passwd' "
              "WHERE user_id = $2 AND ended_at IS NULL",
              {now, (*row)->account.id}));
  std::int64_t ended = db.ChangedRows();
  auto seq = AuditLog::Append(db, actor, "user.passwd", UserObject(name),
                              Details({{"was_locked", (*row)->account.locked_until.has_value()},
                                       {"sessions_ended", ended}}));
  if (!seq.ok()) {
    return seq.status();
  }
  return (*txn)->Commit();
}

Result<std::vector<ConsoleAccount>> ConsoleAccounts::List(Database& db) {
  std::vector<ConsoleAccount> accounts;
  Status status = db.Query(std::string(kSelectAccount) + "ORDER BY name", {}, [&](const Row& row) {
    accounts.push_back(AccountFromRow(row).account);
    return Status();
  });
  if (!status.ok()) {
    return status;
  }
  return accounts;
}

Result<std::optional<ConsoleAccount>> ConsoleAccounts::Find(Database& db, std::string_view name) {
  auto row = FindRow(db, "WHERE name = $1", {std::string(name)});
  if (!row.ok()) {
    return row.status();
  }
  return *row ? std::optional<ConsoleAccount>((*row)->account) : std::nullopt;
}

Result<std::optional<ConsoleAccount>> ConsoleAccounts::FindById(Database& db, std::int64_t id) {
  auto row = FindRow(db, "WHERE id = $1", {id});
  if (!row.ok()) {
    return row.status();
  }
  return *row ? std::optional<ConsoleAccount>((*row)->account) : std::nullopt;
}

Result<LoginResult> ConsoleAccounts::Login(
    Database& db, std::string_view name, std::string_view password, std::int64_t now,
    std::string_view remote,
    const std::function<Status(Database&, const ConsoleAccount&)>& on_success) {
  // Attacker-chosen text goes into the trail; bound it.
  std::string shown_name(name.substr(0, 64));
  std::string actor = "console:" + shown_name;
  std::string object = UserObject(shown_name);
  LoginResult result;

  auto row = FindRow(db, "WHERE name = $1", {std::string(name)});
  if (!row.ok()) {
    return row.status();
  }
  bool locked = *row && (*row)->account.locked_until && *(*row)->account.locked_until > now;
  bool password_ok = false;
  if (!locked) {
    // The hash is checked before the write transaction: Argon2id takes a noticeable fraction
    // of a second, and the store's write lock must not wait for it.
    password_ok = VerifyPassword(*row ? (*row)->password_hash : DummyHash(), password);
  }

  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return txn.status();
  }
  auto audit = [&](std::string_view action, const std::string& details) -> Status {
    auto seq = AuditLog::Append(db, actor, action, object, details);
    return seq.ok() ? Status() : seq.status();
  };

  if (!*row) {
    SUNSHINE_RETURN_IF_ERROR(
        audit("login.failure",
              Details({{"reason", std::string("unknown user")}, {"remote", std::string(remote)}})));
    SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
    return result;
  }
  // Re-read inside the transaction: another attempt may have counted a failure meanwhile.
  auto current = FindRow(db, "WHERE id = $1", {(*row)->account.id});
  if (!current.ok()) {
    return current.status();
  }
  if (!*current) {
    return Status::NotFound("console account '" + shown_name + "' vanished during sign-in");
  }
  const ConsoleAccount& account = (*current)->account;

  if (account.locked_until && *account.locked_until > now) {
    result.outcome = LoginOutcome::kLockedOut;
    result.locked_until = account.locked_until;
    SUNSHINE_RETURN_IF_ERROR(
        audit("login.locked", Details({{"until", FormatUtc(FromEpoch(*account.locked_until))},
                                       {"remote", std::string(remote)}})));
    SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
    return result;
  }
  if (!password_ok || account.disabled) {
    std::int64_t failures = account.failed_logins + (password_ok ? 0 : 1);
    std::int64_t lock_seconds = password_ok ? 0 : LockSecondsAfter(failures);
    std::optional<std::int64_t> until;
    if (lock_seconds > 0) {
      until = now + lock_seconds;
    }
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("UPDATE console_users SET failed_logins = $1, locked_until = $2 WHERE id = $3",
                {failures, until ? SqlValue(*until) : SqlValue(), account.id}));
    SUNSHINE_RETURN_IF_ERROR(audit(
        "login.failure",
        Details({{"reason", std::string(account.disabled ? "account disabled" : "wrong password")},
                 {"failures", failures},
                 {"remote", std::string(remote)}})));
    if (until) {
      result.outcome = LoginOutcome::kLockedOut;
      result.locked_until = until;
      SUNSHINE_RETURN_IF_ERROR(
          audit("login.lockout", Details({{"until", FormatUtc(FromEpoch(*until))},
                                          {"seconds", lock_seconds},
                                          {"failures", failures}})));
    }
    SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
    return result;
  }

  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("UPDATE console_users SET failed_logins = 0, locked_until = NULL, "
              "last_login_at = $1 WHERE id = $2",
              {now, account.id}));
  if (crypto_pwhash_str_needs_rehash((*current)->password_hash.c_str(),
                                     crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                     crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    // Older (weaker) parameters: upgrade while the plain password is at hand.
    if (auto rehashed = HashPassword(password); rehashed.ok()) {
      SUNSHINE_RETURN_IF_ERROR(db.Exec("UPDATE console_users SET password_hash = $1 WHERE id = $2",
                                       {*rehashed, account.id}));
    }
  }
  SUNSHINE_RETURN_IF_ERROR(
      audit("login.success", Details({{"role", std::string(ConsoleRoleName(account.role))},
                                      {"remote", std::string(remote)}})));
  result.outcome = LoginOutcome::kSuccess;
  result.account = account;
  result.account->failed_logins = 0;
  result.account->locked_until.reset();
  result.account->last_login_at = now;
  if (on_success) {
    SUNSHINE_RETURN_IF_ERROR(on_success(db, *result.account));
  }
  SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
  return result;
}

}  // namespace sunshine
