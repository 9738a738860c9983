// Host-name helpers for visit statistics: the site of a referring URL, and the top-level
// and organisation (registrable) domain of a visitor's resolved host name. The public
// suffix list comes from libpsl (Debian libpsl-dev, data in /usr/share/publicsuffix).
#pragma once

#include <string>
#include <string_view>

namespace sunshine {

// "https://User@Www.Example.org:8443/a?b" -> "www.example.org"; "" when not a URL with a
// host ("-", "android-app:x", garbage).
std::string ReferrerHost(std::string_view url);

struct VisitorDomain {
  std::string tld;           // "com", "uk"; "" if `host` is an IP literal or not a name
  std::string organisation;  // "example.co.uk"; "" if none
};
// Only these two parts are ever kept: a resolved name often embeds the address itself
// ("crawl-66-249-66-1.googlebot.com"), so the full name must not leave the raw line.
VisitorDomain VisitorDomainOf(std::string_view host);

// "/a/b.css?x=1" -> "/a/b.css": query strings and fragments can carry personal data.
std::string_view PagePath(std::string_view target);

}  // namespace sunshine
