#include "importers/visits/host_names.h"

#include <libpsl.h>

#include "importers/visits/access_log_parser.h"

namespace sunshine {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// The first of `a`, `b` or `c` in `text`, or npos: these run on every page view, where
// std::string_view::find_first_of calls memchr on its set once per character.
std::size_t FindFirstOf(std::string_view text, char a, char b, char c) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == a || ch == b || ch == c) {
      return i;
    }
  }
  return std::string_view::npos;
}

const psl_ctx_t* Psl() {
  // psl_latest picks the newer of the built-in list and /usr/share/publicsuffix.
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return ctx;
}

}  // namespace

std::string ReferrerHost(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos || scheme == 0) {
    return {};
  }
  std::string_view rest = url.substr(scheme + 3);
  std::size_t end = FindFirstOf(rest, '/', '?', '#');
  std::string_view authority = rest.substr(0, end);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    std::size_t close = authority.find(']');
    return close == std::string_view::npos ? std::string() : Lower(authority.substr(0, close + 1));
  }
  if (std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  while (!authority.empty() && authority.back() == '.') {
    authority.remove_suffix(1);
  }
  for (char c : authority) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_';
    if (!ok) {
      return {};
    }
  }
  return Lower(authority);
}

VisitorDomain VisitorDomainOf(std::string_view host) {
  VisitorDomain out;
  while (!host.empty() && host.back() == '.') {
    host.remove_suffix(1);
  }
  if (host.empty() || IsIpLiteral(host) || host.find('.') == std::string_view::npos) {
    return out;
  }
  std::string lower = Lower(host);
  out.tld = lower.substr(lower.rfind('.') + 1);
  if (const char* domain = psl_registrable_domain(Psl(), lower.c_str()); domain != nullptr) {
    out.organisation = domain;
  }
  return out;
}

std::string_view PagePath(std::string_view target) {
  std::size_t end = FindFirstOf(target, '?', '#', '#');
  std::string_view path = target.substr(0, end);
  // Absolute-form targets ("GET http://host/path"), seen from proxies and scanners.
  if (std::size_t scheme = path.find("://"); scheme != std::string_view::npos) {
    std::size_t slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
  }
  return path;
}

}  // namespace sunshine
