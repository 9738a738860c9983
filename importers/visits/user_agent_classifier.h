// User-agent classification with the uap-core regexes (Debian package uap-core,
// /usr/share/uap-core/regexes.yaml), read with yaml-cpp and compiled with RE2. Each parser
// list (user agents, operating systems, devices) is also compiled into one RE2::Set, so a
// string is matched against every pattern in one pass and only the first match (uap-core's
// rule: the first listed pattern wins) is re-run to extract its groups. Results are cached
// per distinct user-agent string: a log holds few distinct strings and many lines.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/core/path.h"
#include "engine/core/result.h"

namespace sunshine {

inline constexpr std::string_view kUapCoreRegexes = "/usr/share/uap-core/regexes.yaml";

struct UserAgentClass {
  std::string browser;        // uap family: "Chrome", "Firefox", "Googlebot", "Other"
  std::string browser_major;  // "32", or "" when unknown
  std::string os;             // "Mac OS X", "Windows", "Android", "Other"
  std::string device;         // uap device family: "iPhone", "Spider", "Other"
  std::string device_class;   // "desktop" | "mobile" | "tablet" | "bot" | "unknown"
  bool bot = false;           // uap-core's device family "Spider", or a known bot name

  // "Chrome 32" or "Chrome".
  std::string BrowserVersion() const;
};

class UserAgentClassifier {
 public:
  // InvalidInput naming the file if it cannot be read; patterns RE2 cannot compile (a few
  // use Perl-only syntax) are skipped and counted in skipped_patterns().
  static Result<std::unique_ptr<UserAgentClassifier>> Load(const Path& regexes_yaml);
  static Result<std::unique_ptr<UserAgentClassifier>> FromYamlText(std::string_view text);
  ~UserAgentClassifier();

  // Cached: the same string is classified once per classifier.
  const UserAgentClass& Classify(std::string_view user_agent);
  // Uncached, for tests.
  UserAgentClass ClassifyUncached(std::string_view user_agent) const;

  int skipped_patterns() const;
  int pattern_count() const;
  std::size_t cache_size() const { return cache_.size(); }

 private:
  struct Impl;
  explicit UserAgentClassifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, UserAgentClass, Hash, std::equal_to<>> cache_;
};

}  // namespace sunshine
