// Web console accounts: who may sign in, with which role, and the lock-out that slows down
// password guessing. Used by `sunshine user ...` (engine/cli/cmd_user.cc) and by the console's
// login page, so both apply the same rules and write the same audit events.
//
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, interactive limits: 64 MiB,
// 2 passes); only the PHC string is stored. Every change and every login attempt appends an
// audit event in the same transaction as the change it records.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/store/database.h"

namespace sunshine {

enum class ConsoleRole : std::uint8_t { kRecordsOfficer, kCompliance, kAdmin };
std::string_view ConsoleRoleName(ConsoleRole role);  // "records-officer", "compliance", "admin"
// InvalidInput listing the valid roles otherwise.
Result<ConsoleRole> ParseConsoleRole(std::string_view text);

struct ConsoleAccount {
  std::int64_t id = 0;
  std::string name;
  ConsoleRole role = ConsoleRole::kCompliance;
  bool disabled = false;
  std::int64_t failed_logins = 0;            // consecutive failures since the last success
  std::optional<std::int64_t> locked_until;  // epoch seconds
  std::int64_t created_at = 0;
  std::int64_t password_set_at = 0;
  std::optional<std::int64_t> last_login_at;
};

inline constexpr std::size_t kMinPasswordLength = 12;    // characters (UTF-8 code points)
inline constexpr std::size_t kMaxPasswordLength = 1024;  // bytes; bounds the hashing work
// Consecutive failures before the account locks. The lock lasts kFirstLockSeconds and doubles
// with every further failure, up to kMaxLockSeconds.
inline constexpr std::int64_t kLockoutThreshold = 5;
inline constexpr std::int64_t kFirstLockSeconds = 60;
inline constexpr std::int64_t kMaxLockSeconds = 3600;

// 1-64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit.
Status ValidateAccountName(std::string_view name);
// At least kMinPasswordLength characters, at most kMaxPasswordLength bytes, no NUL byte.
Status ValidatePassword(std::string_view password);
// How long the account stays locked after `failures` consecutive failures (0 below threshold).
std::int64_t LockSecondsAfter(std::int64_t failures);

// Argon2id PHC string ("$argon2id$v=19$m=65536,t=2,p=1$..."). Internal if libsodium fails
// (out of memory).
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);

enum class LoginOutcome : std::uint8_t {
  kSuccess,
  kRejected,   // unknown user, wrong password or disabled account (the page says the same)
  kLockedOut,  // too many failures: refused without looking at the password
};

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::kRejected;
  std::optional<ConsoleAccount> account;     // set on success
  std::optional<std::int64_t> locked_until;  // set when locked out (now or by this attempt)
};

// Each function runs its own write transaction (REQUIRES: `db` is not in one) and appends
// its audit event ("user.add", "user.disable", "user.enable", "user.passwd", "login.success",
// "login.failure", "login.lockout", "login.locked") in it. `actor` is who acts; for logins
// the actor is "console:NAME". `now` is wall-clock epoch seconds.
class ConsoleAccounts {
 public:
  static Status Add(Database& db, std::string_view actor, std::string_view name, ConsoleRole role,
                    std::string_view password, std::int64_t now);
  // Disabling also ends the account's open sessions.
  static Status Disable(Database& db, std::string_view actor, std::string_view name,
                        std::int64_t now);
  static Status Enable(Database& db, std::string_view actor, std::string_view name);
  // Sets a new password and clears any lock-out.
  static Status SetPassword(Database& db, std::string_view actor, std::string_view name,
                            std::string_view password, std::int64_t now);

  static Result<std::vector<ConsoleAccount>> List(Database& db);
  static Result<std::optional<ConsoleAccount>> Find(Database& db, std::string_view name);
  static Result<std::optional<ConsoleAccount>> FindById(Database& db, std::int64_t id);

  // Checks a sign-in attempt and records it. On success `on_success` runs inside the same
  // write transaction (the console creates the session there), so the session exists exactly
  // when "login.success" is in the trail. `remote` (the client address) goes into the details.
  static Result<LoginResult> Login(
      Database& db, std::string_view name, std::string_view password, std::int64_t now,
      std::string_view remote,
      const std::function<Status(Database&, const ConsoleAccount&)>& on_success = {});
};

}  // namespace sunshine
