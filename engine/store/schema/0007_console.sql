-- Sunshine store, migration 7: web console accounts and sessions (docs/console.md).

-- Console accounts. password_hash is a libsodium Argon2id PHC string; the password itself is
-- never stored. failed_logins counts consecutive failures; locked_until (epoch seconds) is
-- set once that count reaches the lock-out threshold and grows with every further failure.
CREATE TABLE console_users (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE,
  role           TEXT    NOT NULL CHECK (role IN ('records-officer', 'compliance', 'admin')),
  password_hash  TEXT    NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0,
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_until   INTEGER,
  created_at     INTEGER NOT NULL,
  password_set_at INTEGER NOT NULL,
  last_login_at  INTEGER
);

-- Console sessions. Only the SHA-256 of the cookie token is stored, so a copy of the database
-- does not let anyone sign in. user_id is NULL for the short pre-login session that carries
-- the login form's CSRF token. Times are epoch seconds (wall clock).
CREATE TABLE console_sessions (
  token_hash    TEXT    PRIMARY KEY,
  user_id       INTEGER REFERENCES console_users(id),
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  ended_at      INTEGER,
  end_reason    TEXT                   -- logout | idle | absolute | login | disabled
);
CREATE INDEX console_sessions_user ON console_sessions(user_id);
