// HTML output for the console. Everything that did not come from a string literal in this
// source tree goes through HtmlEscape (text and attribute values alike), so input that looks
// like markup or script is shown as text and never interpreted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sunshine::web {

// Escapes & < > " ' so the result is safe in element content and in quoted attributes.
std::string HtmlEscape(std::string_view text);
// Percent-encodes everything except unreserved characters (RFC 3986), for query values in links.
std::string UrlEncode(std::string_view text);
// "2026-11-29 10:00 UTC" from epoch seconds; "" for nullopt.
std::string FormatEpoch(std::optional<std::int64_t> seconds);

// The console's only stylesheet, served from the binary at /static/console.css.
std::string_view ConsoleStylesheet();

}  // namespace sunshine::web
