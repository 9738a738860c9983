// Apache and nginx access-log lines: the common and combined formats and their `%v`
// vhost-prefixed variants (Apache's vhost_combined, "%v:%p %h %l %u %t ..."). A pure
// function over one line's bytes; no I/O, no allocation unless a quoted field holds
// backslash escapes. Unit-tested on strings (tests/visits/access_log_parser_test.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace sunshine {

// One parsed line. The views point into the caller's line, or into `unescaped_` when a
// quoted field had escapes, so a ParsedAccessLine must not outlive the line nor be copied
// while views are in use (it is move-only for that reason).
struct ParsedAccessLine {
  std::string_view vhost;        // empty unless the %v variant
  std::string_view remote_host;  // IP address (v4 or v6) or a host name
  std::string_view remote_user;  // "" for "-"
  std::int64_t time_utc = 0;     // epoch seconds, UTC (the line's offset applied)
  int utc_offset_seconds = 0;    // the offset the server wrote
  std::string_view request;      // the whole request line as logged (unescaped)
  std::string_view method;       // "" when the request line is not "METHOD TARGET [PROTO]"
  std::string_view target;       // "/path?query"
  std::string_view protocol;
  int status = 0;                       // 100..599
  std::int64_t bytes = 0;               // 0 for "-"
  bool has_referrer_and_agent = false;  // combined (true) or common (false)
  std::string_view referrer;            // "" for "-"
  std::string_view user_agent;          // "" for "-"

  ParsedAccessLine() = default;
  ParsedAccessLine(ParsedAccessLine&&) = delete;  // views may point into unescaped_
  ParsedAccessLine& operator=(ParsedAccessLine&&) = delete;

  std::string unescaped_[3];  // request, referrer, user agent when escaped
};

// Parses `line` (without its line terminator; a trailing '\r' is ignored) into `out`.
// InvalidInput with a short reason ("truncated: unterminated quoted user agent",
// "bad date: month 'Mai'", "binary data in line", ...) that never quotes the line itself,
// because the line holds an IP address and reasons reach the audit trail.
Status ParseAccessLine(std::string_view line, ParsedAccessLine& out);

// True if `host` is an IPv4 or IPv6 literal (as opposed to a resolved host name).
bool IsIpLiteral(std::string_view host);

}  // namespace sunshine
