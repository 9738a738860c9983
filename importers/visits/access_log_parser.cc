#include "importers/visits/access_log_parser.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sunshine {

namespace {

// Hand-written rather than a regex: this runs once per log line (millions a night) and
// must say precisely which field is wrong; a scanner over the bytes does both.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void SkipSpaces() {
    while (!AtEnd() && text_[pos_] == ' ') {
      ++pos_;
    }
  }
  // A run of non-space bytes (short: a host, "-", a status; a loop beats a memchr call).
  std::string_view Token() {
    std::size_t start = pos_;
    while (!AtEnd() && text_[pos_] != ' ') {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  std::size_t pos() const { return pos_; }
  void Advance(std::size_t n) { pos_ += n; }
  std::string_view Rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

Status Bad(std::string reason) { return Status::InvalidInput(std::move(reason)); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A double-quoted field with Apache's escapes (\" \\ \xhh \n \t). On success the view
// points into the line, or into `storage` if there were escapes. `line_has_backslash`
// false (known from the line's scan) means no escapes anywhere.
Status QuotedField(Scanner& scan, std::string_view what, std::string& storage,
                   std::string_view& value, bool line_has_backslash) {
  if (scan.Peek() != '"') {
    if (scan.AtEnd()) {
      return Bad("truncated: " + std::string(what) + " missing");
    }
    return Bad("expected a quoted " + std::string(what));
  }
  scan.Advance(1);
  std::string_view rest = scan.Rest();
  std::size_t i = 0;
  bool escaped = false;
  // Fast path (nearly every line): the closing quote found with memchr and no backslash
  // before it, so the field is the bytes in between.
  if (const void* quote = std::memchr(rest.data(), '"', rest.size()); quote != nullptr) {
    i = static_cast<std::size_t>(static_cast<const char*>(quote) - rest.data());
    if (!line_has_backslash || std::memchr(rest.data(), '\\', i) == nullptr) {
      std::string_view raw = rest.substr(0, i);
      scan.Advance(i + 1);
      if (!scan.AtEnd() && scan.Peek() != ' ') {
        return Bad("unexpected bytes after quoted " + std::string(what));
      }
      value = raw == "-" ? std::string_view() : raw;
      return {};
    }
    i = 0;
  }
  for (; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '\\') {
      escaped = true;
      ++i;  // skip the escaped byte (may run past the end: handled below)
      continue;
    }
    if (c == '"') {
      break;
    }
  }
  if (i >= rest.size()) {
    return Bad("truncated: unterminated quoted " + std::string(what));
  }
  std::string_view raw = rest.substr(0, i);
  scan.Advance(i + 1);
  if (!scan.AtEnd() && scan.Peek() != ' ') {
    return Bad("unexpected bytes after quoted " + std::string(what));
  }
  if (!escaped) {
    value = raw == "-" ? std::string_view() : raw;
    return {};
  }
  storage.clear();
  storage.reserve(raw.size());
  for (std::size_t k = 0; k < raw.size(); ++k) {
    char c = raw[k];
    if (c != '\\' || k + 1 >= raw.size()) {
      storage.push_back(c);
      continue;
    }
    char next = raw[++k];
    switch (next) {
      case 'n':
        storage.push_back('\n');
        break;
      case 't':
        storage.push_back('\t');
        break;
      case 'r':
        storage.push_back('\r');
        break;
      case 'x':
        if (k + 2 < raw.size() && HexValue(raw[k + 1]) >= 0 && HexValue(raw[k + 2]) >= 0) {
          storage.push_back(static_cast<char>(HexValue(raw[k + 1]) * 16 + HexValue(raw[k + 2])));
          k += 2;
        } else {
          storage.append("\\x");
        }
        break;
      default:  // \" \\ and anything else: the byte itself
        storage.push_back(next);
        break;
    }
  }
  value = storage;
  return {};
}

bool ParseDigits(std::string_view text, int& value) {
  if (text.empty()) {
    return false;
  }
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  return true;
}

int MonthIndex(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() != 3) {
    return -1;
  }
  char lower[3];
  for (int i = 0; i < 3; ++i) {
    char c = name[static_cast<std::size_t>(i)];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (kMonths[m] == std::string_view(lower, 3)) {
      return static_cast<int>(m) + 1;
    }
  }
  return -1;
}

// "[10/Oct/2000:13:55:36 -0700]" (strftime %d/%b/%Y:%H:%M:%S %z).
Status ParseTimestamp(Scanner& scan, ParsedAccessLine& out) {
  if (scan.Peek() != '[') {
    return Bad(scan.AtEnd() ? "truncated: no [date]" : "expected [date]");
  }
  std::string_view rest = scan.Rest();
  // "[dd/Mon/yyyy:HH:MM:SS +zzzz]" closes at 27 on every well-formed line.
  std::size_t close = rest.size() > 27 && rest[27] == ']' ? 27 : rest.find(']');
  if (close == std::string_view::npos) {
    return Bad("truncated: unterminated [date]");
  }
  std::string_view text = rest.substr(1, close - 1);
  scan.Advance(close + 1);
  // dd/Mon/yyyy:HH:MM:SS +zzzz = 26 bytes
  if (text.size() != 26 || text[2] != '/' || text[6] != '/' || text[11] != ':' || text[14] != ':' ||
      text[17] != ':' || text[20] != ' ' || (text[21] != '+' && text[21] != '-')) {
    return Bad("bad date: expected [dd/Mon/yyyy:HH:MM:SS +zzzz]");
  }
  int hour = 0, minute = 0, second = 0, zone = 0;
  // A log's lines share their date for a whole day: the last "dd/Mon/yyyy" seen (already
  // validated) and its day number are kept per thread, so most lines only parse the time.
  struct DateCache {
    char text[11] = {};
    std::int64_t days = 0;
    bool valid = false;
  };
  thread_local DateCache cache;
  std::int64_t days = 0;
  if (cache.valid && std::memcmp(cache.text, text.data(), sizeof(cache.text)) == 0) {
    if (!ParseDigits(text.substr(12, 2), hour) || !ParseDigits(text.substr(15, 2), minute) ||
        !ParseDigits(text.substr(18, 2), second) || !ParseDigits(text.substr(22, 4), zone)) {
      return Bad("bad date: non-digit in date or time");
    }
    if (hour > 23 || minute > 59 || second > 60) {
      return Bad("bad date: time out of range");
    }
    if (zone / 100 > 14 || zone % 100 > 59) {
      return Bad("bad date: UTC offset out of range");
    }
    days = cache.days;
  } else {
    int day = 0, year = 0;
    int month = MonthIndex(text.substr(3, 3));
    if (month < 0) {
      return Bad("bad date: unknown month");
    }
    if (!ParseDigits(text.substr(0, 2), day) || !ParseDigits(text.substr(7, 4), year) ||
        !ParseDigits(text.substr(12, 2), hour) || !ParseDigits(text.substr(15, 2), minute) ||
        !ParseDigits(text.substr(18, 2), second) || !ParseDigits(text.substr(22, 4), zone)) {
      return Bad("bad date: non-digit in date or time");
    }
    if (year < 1970 || year > 9999) {
      return Bad("bad date: year out of range");
    }
    // Second 60 is a leap second as some servers log it; counted in the same minute.
    if (hour > 23 || minute > 59 || second > 60) {
      return Bad("bad date: time out of range");
    }
    int zone_hours = zone / 100;
    int zone_minutes = zone % 100;
    if (zone_hours > 14 || zone_minutes > 59) {
      return Bad("bad date: UTC offset out of range");
    }
    std::chrono::year_month_day ymd{std::chrono::year(year),
                                    std::chrono::month(static_cast<unsigned>(month)),
                                    std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok()) {
      return Bad("bad date: no such day");
    }
    days = std::chrono::sys_days(ymd).time_since_epoch().count();
    std::memcpy(cache.text, text.data(), sizeof(cache.text));
    cache.days = days;
    cache.valid = true;
  }
  int offset = ((zone / 100) * 3600 + (zone % 100) * 60) * (text[21] == '-' ? -1 : 1);
  out.time_utc = days * 86400 + hour * 3600 + minute * 60 + (second == 60 ? 59 : second) - offset;
  out.utc_offset_seconds = offset;
  return {};
}

// True if `line` holds a byte below 0x20 other than tab, or DEL. Every line passes here,
// so 16 bytes are tested at a time with SSE2 (x86-64) or 8 with the "has a byte less than
// n" word trick elsewhere; a chunk that may hold a tab is re-checked byte by byte.
bool HasControlBytesSlow(std::string_view bytes) {
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      return true;
    }
  }
  return false;
}

// Also notes whether the line holds a backslash (the rare escaped quoted field), found in
// the same pass.
bool HasControlBytes(std::string_view line, bool& backslash) {
  std::size_t i = 0;
  backslash = false;
#if defined(__SSE2__)
  const __m128i max_control = _mm_set1_epi8(0x1f);
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i del = _mm_set1_epi8(0x7f);
  const __m128i escape = _mm_set1_epi8('\\');
  int escapes = 0;
  for (; i + 16 <= line.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(line.data() + i));
    __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, max_control), v);  // v <= 0x1f
    control = _mm_andnot_si128(_mm_cmpeq_epi8(v, tab), control);
    control = _mm_or_si128(control, _mm_cmpeq_epi8(v, del));
    if (_mm_movemask_epi8(control) != 0) {
      return true;
    }
    escapes |= _mm_movemask_epi8(_mm_cmpeq_epi8(v, escape));
  }
  backslash = escapes != 0 || line.substr(i).find('\\') != std::string_view::npos;
#else
  backslash = line.find('\\') != std::string_view::npos;
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto below = [](std::uint64_t word, std::uint64_t n) {
    return ((word - kOnes * n) & ~word & kHigh) != 0;
  };
  for (; i + 8 <= line.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, line.data() + i, sizeof(word));
    if ((below(word, 0x20) || below(word ^ (kOnes * 0x7f), 1)) &&
        HasControlBytesSlow(line.substr(i, 8))) {
      return true;
    }
  }
#endif
  return HasControlBytesSlow(line.substr(i));
}

void SplitRequest(ParsedAccessLine& out) {
  std::string_view request = out.request;
  std::size_t first = request.find(' ');
  if (first == std::string_view::npos || first == 0) {
    return;  // "-", or junk a client sent: still a request, with no method
  }
  std::string_view method = request.substr(0, first);
  for (char c : method) {
    if (c < 'A' || c > 'Z') {
      return;
    }
  }
  std::string_view rest = request.substr(first + 1);
  std::size_t second = rest.rfind(' ');
  std::string_view target = rest;
  std::string_view protocol;
  if (second != std::string_view::npos && rest.substr(second + 1).starts_with("HTTP/")) {
    target = rest.substr(0, second);
    protocol = rest.substr(second + 1);
  }
  if (target.empty()) {
    return;
  }
  out.method = method;
  out.target = target;
  out.protocol = protocol;
}

}  // namespace

bool IsIpLiteral(std::string_view host) {
  if (host.empty()) {
    return false;
  }
  bool has_colon = false;
  bool all_v4 = true;
  for (char c : host) {
    if (c == ':') {
      has_colon = true;
    }
    if (!((c >= '0' && c <= '9') || c == '.')) {
      all_v4 = false;
    }
  }
  if (has_colon) {  // IPv6: hex digits, colons, dots (embedded v4), %zone
    for (char c : host) {
      if (!(HexValue(c) >= 0 || c == ':' || c == '.' || c == '%' || c == '[' || c == ']')) {
        return false;
      }
    }
    return true;
  }
  return all_v4;
}

Status ParseAccessLine(std::string_view line, ParsedAccessLine& out) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (line.empty()) {
    return Bad("empty line");
  }
  // Servers escape control bytes inside quoted fields, so raw ones mean junk.
  bool backslash = false;
  if (HasControlBytes(line, backslash)) {
    return Bad("binary data in line");
  }
  Scanner scan(line);
  // Host fields before the date: "host ident user" or "vhost host ident user".
  std::string_view tokens[5];
  int count = 0;
  while (true) {
    scan.SkipSpaces();
    if (scan.AtEnd()) {
      return Bad("truncated: no [date]");
    }
    if (scan.Peek() == '[' && count >= 3) {
      break;
    }
    if (count == 4) {
      return Bad("too many fields before [date]");
    }
    tokens[count++] = scan.Token();
  }
  int first = count == 4 ? 1 : 0;
  out.vhost = count == 4 ? tokens[0] : std::string_view();
  out.remote_host = tokens[first];
  out.remote_user = tokens[first + 2] == "-" ? std::string_view() : tokens[first + 2];
  if (out.remote_host.empty() || out.remote_host == "-") {
    return Bad("missing remote host");
  }
  SUNSHINE_RETURN_IF_ERROR(ParseTimestamp(scan, out));
  scan.SkipSpaces();
  SUNSHINE_RETURN_IF_ERROR(QuotedField(scan, "request", out.unescaped_[0], out.request, backslash));
  SplitRequest(out);
  scan.SkipSpaces();
  std::string_view status_text = scan.Token();
  if (status_text.empty()) {
    return Bad("truncated: status missing");
  }
  if (status_text.size() != 3 || !ParseDigits(status_text, out.status) || out.status < 100 ||
      out.status > 599) {
    return Bad("bad status code");
  }
  scan.SkipSpaces();
  std::string_view bytes_text = scan.Token();
  if (bytes_text.empty()) {
    return Bad("truncated: byte count missing");
  }
  out.bytes = 0;
  if (bytes_text != "-") {
    if (bytes_text.size() > 15) {
      return Bad("bad byte count");
    }
    for (char c : bytes_text) {
      if (c < '0' || c > '9') {
        return Bad("bad byte count");
      }
      out.bytes = out.bytes * 10 + (c - '0');
    }
  }
  scan.SkipSpaces();
  out.has_referrer_and_agent = false;
  out.referrer = {};
  out.user_agent = {};
  if (scan.AtEnd()) {
    return {};  // common log format
  }
  SUNSHINE_RETURN_IF_ERROR(
      QuotedField(scan, "referrer", out.unescaped_[1], out.referrer, backslash));
  scan.SkipSpaces();
  SUNSHINE_RETURN_IF_ERROR(
      QuotedField(scan, "user agent", out.unescaped_[2], out.user_agent, backslash));
  out.has_referrer_and_agent = true;
  // Anything after (nginx's "$http_x_forwarded_for", response times) is ignored.
  return {};
}

}  // namespace sunshine
