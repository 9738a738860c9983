// User-agent classification with the uap-core regexes (Debian package uap-core,
// /usr/share/uap-core/regexes.yaml), read with yaml-cpp and compiled with RE2. uap-core's
// rule: the first listed pattern that matches wins. The first few hundred distinct strings
// are tried pattern by pattern (a pattern is skipped when the string lacks a literal every
// match of it contains, and compiled the first time it is tried); after that each parser
// list (user agents, operating systems, devices) is compiled into one RE2::Set, so a string
// is matched against every pattern in one pass and only the first match is re-run to
// extract its groups. Compiling the sets costs ~0.25 s, more than a typical log's distinct
// strings take pattern by pattern. Results are cached per distinct user-agent string: a log
// holds few distinct strings and many lines. Compilation is lazy, so a classifier is for
// one thread.
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
  // The first 16 bytes of the string's SHA-256: stands for the exact string where a short
  // fixed-size input is cheaper (the per-line visitor hash), computed once per string.
  std::string fingerprint;

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

  // How many distinct strings are classified pattern by pattern (each pattern compiled on
  // first use, skipped when the string lacks a literal the pattern requires) before the
  // RE2::Sets are compiled; the results are the same either way. 0: sets at once.
  void set_pattern_by_pattern_limit(std::int64_t distinct_strings);

  int skipped_patterns() const;
  int pattern_count() const;
  std::size_t cache_size() const { return cache_.size(); }

 private:
  struct Impl;
  explicit UserAgentClassifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  struct Hash {  // XXH3 (libxxhash): looked up once per log line, over ~130 bytes
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const;
  };
  std::unordered_map<std::string, UserAgentClass, Hash, std::equal_to<>> cache_;
};

}  // namespace sunshine
