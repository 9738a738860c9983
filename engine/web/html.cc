#include "engine/web/html.h"

#include "engine/core/time_format.h"

namespace sunshine::web {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\0':
        out += "\xEF\xBF\xBD";  // U+FFFD: NUL is not allowed in HTML text
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string FormatEpoch(std::optional<std::int64_t> seconds) {
  if (!seconds) {
    return "";
  }
  std::string iso = FormatUtc(FromEpoch(*seconds));  // 2026-11-29T10:00:00Z
  if (iso.size() >= 16) {
    return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
  }
  return iso;
}

std::string_view ConsoleStylesheet() {
  // Plain CSS, no web fonts or images: the console fetches nothing from the network.
  static constexpr std::string_view kCss = R"css(
:root { --ink: #1d2733; --muted: #5b6877; --line: #d5dce4; --accent: #1f4e79;
        --bad: #a4262c; --good: #1e6b35; --warn: #8a5a00; --paper: #ffffff; --wash: #f3f5f8; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 15px;
       color: var(--ink); background: var(--wash); }
body { margin: 0; }
header.top { background: var(--accent); color: #fff; padding: 0.6rem 1.2rem; display: flex;
             align-items: center; gap: 1.5rem; flex-wrap: wrap; }
header.top .brand { font-weight: bold; font-size: 1.15rem; letter-spacing: 0.02em; }
header.top nav { display: flex; gap: 1rem; flex-wrap: wrap; flex: 1; }
header.top nav a { color: #fff; text-decoration: none; padding: 0.2rem 0.1rem;
                   border-bottom: 2px solid transparent; }
header.top nav a.current, header.top nav a:hover { border-bottom-color: #fff; }
header.top .who { font-size: 0.9rem; display: flex; gap: 0.6rem; align-items: center; }
header.top .who form { margin: 0; }
header.top .who button { background: transparent; color: #fff; border: 1px solid #fff;
                         padding: 0.2rem 0.6rem; cursor: pointer; }
main { max-width: 72rem; margin: 1.2rem auto; padding: 0 1.2rem; }
h1 { font-size: 1.45rem; margin: 0.4rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 0.6rem; }
section.card { background: var(--paper); border: 1px solid var(--line); border-radius: 4px;
               padding: 0.9rem 1.1rem; margin-bottom: 1rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; }
.figure { font-size: 1.8rem; font-weight: bold; }
.muted { color: var(--muted); }
.small { font-size: 0.85rem; }
table { border-collapse: collapse; width: 100%; background: var(--paper); }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.55rem; text-align: left;
         vertical-align: top; }
th { background: #e8edf3; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.mono, .mono { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85rem;
                 word-break: break-all; }
tr.overdue td { background: #fbeaea; }
.badge { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 3px; font-size: 0.8rem;
         border: 1px solid var(--line); background: var(--wash); }
.badge.bad { color: #fff; background: var(--bad); border-color: var(--bad); }
.badge.good { color: #fff; background: var(--good); border-color: var(--good); }
.badge.warn { color: #fff; background: var(--warn); border-color: var(--warn); }
.notice { padding: 0.6rem 0.9rem; border-radius: 4px; margin-bottom: 1rem; border: 1px solid; }
.notice.bad { background: #fbeaea; border-color: var(--bad); color: var(--bad); }
.notice.good { background: #e8f4ec; border-color: var(--good); color: var(--good); }
.notice.info { background: #e9f0f7; border-color: var(--accent); color: var(--accent); }
form.inline { display: inline; }
form.filters { display: flex; gap: 0.8rem; flex-wrap: wrap; align-items: flex-end; }
label { display: block; font-size: 0.85rem; color: var(--muted); margin-bottom: 0.2rem; }
input[type=text], input[type=password], input[type=date], input[type=number],
input[type=datetime-local], select, textarea {
  font: inherit; padding: 0.35rem 0.45rem; border: 1px solid #9aa7b5; border-radius: 3px;
  background: #fff; color: var(--ink); }
textarea { width: 100%; min-height: 4rem; }
.field { margin-bottom: 0.8rem; }
button, input[type=submit] { font: inherit; padding: 0.4rem 0.9rem; border-radius: 3px;
  border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.login { max-width: 24rem; margin: 4rem auto; }
.login input[type=text], .login input[type=password] { width: 100%; }
pre.text { white-space: pre-wrap; background: var(--paper); border: 1px solid var(--line);
           padding: 0.8rem; font-family: "DejaVu Sans Mono", monospace; font-size: 0.85rem; }
mark.redacted { background: #222; color: #fff; padding: 0 0.15rem; }
.chart svg, .chart img { max-width: 100%; height: auto; }
.chart iframe { width: 100%; height: 80rem; border: 1px solid var(--line); background: #fff; }
td.when { white-space: nowrap; }
table.facts th { width: 10rem; }
footer { text-align: center; color: var(--muted); font-size: 0.8rem; margin: 2rem 0 1rem; }
)css";
  return kCss;
}

}  // namespace sunshine::web
