// Console sessions. The browser holds a random 256-bit token in a session cookie (no Expires,
// no Max-Age: office policy allows session cookies only); the store holds only its SHA-256,
// with the times the server uses for the idle and absolute timeouts. The CSRF token of every
// form is derived from the session token with a keyed BLAKE2b, so it needs no storage and
// changes with every session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/store/database.h"
#include "engine/web/accounts.h"

namespace sunshine {

inline constexpr std::int64_t kSessionIdleSeconds = 30 * 60;
inline constexpr std::int64_t kSessionAbsoluteSeconds = 8 * 60 * 60;
inline constexpr std::string_view kSessionCookieName = "sunshine_session";

struct NewConsoleSession {
  std::string token;       // goes into the cookie; never stored
  std::string csrf_token;  // goes into every form
};

struct ConsoleSession {
  std::string token_hash;
  std::optional<ConsoleAccount> account;  // empty: the pre-login session of the login form
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::string csrf_token;
};

// Why Resume found no live session.
enum class SessionEnd : std::uint8_t { kNone, kUnknown, kEnded, kIdle, kAbsolute, kDisabled };

class ConsoleSessions {
 public:
  // REQUIRES: inside a write transaction. `user_id` empty creates a pre-login session.
  static Result<NewConsoleSession> Create(Database& db, std::optional<std::int64_t> user_id,
                                          std::int64_t now);

  // The live session for a cookie token, its last-seen time moved to `now`. A session past
  // its idle or absolute timeout, or whose account was disabled, is ended here (with an
  // audit event "session.timeout" for a signed-in one) and nullopt returned with `why` set.
  // Runs its own write transaction (REQUIRES: not inside one).
  static Result<std::optional<ConsoleSession>> Resume(Database& db, std::string_view token,
                                                      std::int64_t now, SessionEnd* why = nullptr);

  // Ends the session (reason "logout", "login", ...). REQUIRES: inside a write transaction.
  static Status End(Database& db, std::string_view token_hash, std::string_view reason,
                    std::int64_t now);

  // Removes rows of sessions that ended (or expired) more than a day before `now`; they
  // carry nothing the audit trail does not already hold. REQUIRES: inside a write transaction.
  static Status Prune(Database& db, std::int64_t now);

  static std::string TokenHash(std::string_view token);
  static std::string CsrfTokenFor(std::string_view token);
  // Constant-time comparison (sodium_memcmp) of the form's token with the expected one.
  static bool CsrfMatches(std::string_view expected, std::string_view given);
  // 32 random bytes from libsodium's CSPRNG, hex.
  static std::string RandomToken();
};

}  // namespace sunshine
