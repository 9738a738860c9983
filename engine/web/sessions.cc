#include "engine/web/sessions.h"

#include <sodium.h>

#include <algorithm>

#include "engine/audit/audit_log.h"
#include "engine/core/json.h"
#include "engine/core/sha256.h"

namespace sunshine {

namespace {

constexpr std::size_t kTokenBytes = 32;

// libsodium's randombytes and generichash work without sodium_init (they initialise lazily);
// calling it once picks the best implementations and is cheap.
void InitSodiumOnce() {
  static const int kInit = sodium_init();
  (void)kInit;
}

bool LooksLikeToken(std::string_view token) {
  return token.size() == kTokenBytes * 2 && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string_view EndName(SessionEnd why) {
  switch (why) {
    case SessionEnd::kIdle:
      return "idle";
    case SessionEnd::kAbsolute:
      return "absolute";
    case SessionEnd::kDisabled:
      return "disabled";
    default:
      return "ended";
  }
}

}  // namespace

std::string ConsoleSessions::RandomToken() {
  InitSodiumOnce();
  unsigned char bytes[kTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  char hex[kTokenBytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(hex, kTokenBytes * 2);
}

std::string ConsoleSessions::TokenHash(std::string_view token) { return Sha256Hex(token); }

std::string ConsoleSessions::CsrfTokenFor(std::string_view token) {
  InitSodiumOnce();
  unsigned char key[kTokenBytes] = {};
  std::size_t key_length = 0;
  if (sodium_hex2bin(key, sizeof key, token.data(), token.size(), nullptr, &key_length, nullptr) !=
          0 ||
      key_length != kTokenBytes) {
    return {};
  }
  static constexpr std::string_view kContext = "sunshine console csrf v1";
  unsigned char mac[32];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(kContext.data()),
                     kContext.size(), key, sizeof key);
  sodium_memzero(key, sizeof key);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string(hex, sizeof mac * 2);
}

bool ConsoleSessions::CsrfMatches(std::string_view expected, std::string_view given) {
  if (expected.empty() || expected.size() != given.size()) {
    return false;  // lengths are public (always 64); only the content needs constant time
  }
  return sodium_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

Result<NewConsoleSession> ConsoleSessions::Create(Database& db, std::optional<std::int64_t> user_id,
                                                  std::int64_t now) {
  NewConsoleSession session;
  session.token = RandomToken();
  session.csrf_token = CsrfTokenFor(session.token);
  SUNSHINE_RETURN_IF_ERROR(
      db.Exec("INSERT INTO console_sessions (token_hash, user_id, created_at, last_seen_at) "
              "VALUES ($1, $2, $3, $3)",
              {TokenHash(session.token), user_id ? SqlValue(*user_id) : SqlValue(), now}));
  return session;
}

Result<std::optional<ConsoleSession>> ConsoleSessions::Resume(Database& db, std::string_view token,
                                                              std::int64_t now, SessionEnd* why) {
  SessionEnd ignored;
  SessionEnd& end = why != nullptr ? *why : ignored;
  end = SessionEnd::kUnknown;
  if (!LooksLikeToken(token)) {
    return std::optional<ConsoleSession>();
  }
  auto txn = Transaction::Begin(db);
  if (!txn.ok()) {
    return txn.status();
  }
  std::string token_hash = TokenHash(token);
  std::optional<ConsoleSession> session;
  std::optional<std::int64_t> user_id;
  bool ended = false;
  Status status = db.Query(
      "SELECT user_id, created_at, last_seen_at, ended_at FROM console_sessions "
      "WHERE token_hash = $1",
      {token_hash}, [&](const Row& row) {
        session.emplace();
        session->token_hash = token_hash;
        user_id = row.OptInt(0);
        session->created_at = row.Int(1);
        session->last_seen_at = row.Int(2);
        ended = !row.IsNull(3);
        return Status();
      });
  if (!status.ok()) {
    return status;
  }
  if (!session) {
    return std::optional<ConsoleSession>();
  }
  if (ended) {
    end = SessionEnd::kEnded;
    return std::optional<ConsoleSession>();
  }
  if (user_id) {
    auto account = ConsoleAccounts::FindById(db, *user_id);
    if (!account.ok()) {
      return account.status();
    }
    session->account = *account;
  }
  if (now - session->last_seen_at > kSessionIdleSeconds) {
    end = SessionEnd::kIdle;
  } else if (now - session->created_at > kSessionAbsoluteSeconds) {
    end = SessionEnd::kAbsolute;
  } else if (user_id && (!session->account || session->account->disabled)) {
    end = SessionEnd::kDisabled;
  } else {
    end = SessionEnd::kNone;
  }
  if (end != SessionEnd::kNone) {
    SUNSHINE_RETURN_IF_ERROR(End(db, token_hash, EndName(end), now));
    if (session->account) {
      JsonObject details = NewJsonObject();
      details->set("reason", std::string(EndName(end)));
      auto seq = AuditLog::Append(db, "console:" + session->account->name, "session.timeout",
                                  "console-user:" + session->account->name, ToJson(details));
      if (!seq.ok()) {
        return seq.status();
      }
    }
    SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
    return std::optional<ConsoleSession>();
  }
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      "UPDATE console_sessions SET last_seen_at = $1 WHERE token_hash = $2", {now, token_hash}));
  SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
  session->last_seen_at = now;
  session->csrf_token = CsrfTokenFor(token);
  return session;
}

Status ConsoleSessions::End(Database& db, std::string_view token_hash, std::string_view reason,
                            std::int64_t now) {
  return db.Exec(
      "UPDATE console_sessions SET ended_at = $1, end_reason = $2 "
      "WHERE token_hash = $3 AND ended_at IS NULL",
      {now, std::string(reason), std::string(token_hash)});
}

Status ConsoleSessions::Prune(Database& db, std::int64_t now) {
  std::int64_t day_ago = now - 24 * 60 * 60;
  return db.Exec(
      "DELETE FROM console_sessions WHERE (ended_at IS NOT NULL AND ended_at < $1) "
      "OR last_seen_at < $2 OR created_at < $3",
      {day_ago, day_ago - kSessionIdleSeconds, day_ago - kSessionAbsoluteSeconds});
}

}  // namespace sunshine
