#include "importers/visits/user_agent_classifier.h"

#include <re2/re2.h>
#include <re2/set.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace sunshine {

namespace {

struct Pattern {
  std::unique_ptr<RE2> re;
  std::string replacement;     // family / os / device replacement, may hold $1..$9
  std::string v1_replacement;  // user agents only
};

// One uap-core parser list compiled into individual patterns and one RE2::Set.
struct PatternList {
  std::vector<Pattern> patterns;
  std::unique_ptr<RE2::Set> set;
  bool set_ok = false;
  int skipped = 0;

  // The index of the first pattern matching `text`, or -1.
  int FirstMatch(std::string_view text) const {
    if (set_ok) {
      std::vector<int> hits;
      if (!set->Match(re2::StringPiece(text.data(), text.size()), &hits)) {
        return -1;
      }
      int best = -1;
      for (int hit : hits) {
        if (best < 0 || hit < best) {
          best = hit;
        }
      }
      return best;
    }
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      if (RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *patterns[i].re)) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }
};

RE2::Options PatternOptions(bool case_insensitive) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);  // UA strings are arbitrary bytes
  options.set_log_errors(false);
  options.set_case_sensitive(!case_insensitive);
  options.set_max_mem(8 << 20);
  return options;
}

std::string Scalar(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

PatternList CompileList(const YAML::Node& list, const char* replacement_key, const char* v1_key) {
  PatternList out;
  RE2::Options set_options = PatternOptions(false);
  set_options.set_max_mem(256 << 20);
  out.set = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  if (!list || !list.IsSequence()) {
    return out;
  }
  for (const YAML::Node& entry : list) {
    std::string regex = Scalar(entry, "regex");
    bool insensitive = Scalar(entry, "regex_flag") == "i";
    auto re = std::make_unique<RE2>(regex, PatternOptions(insensitive));
    if (!re->ok()) {
      ++out.skipped;
      continue;
    }
    std::string set_text = insensitive ? "(?i:" + regex + ")" : regex;
    if (out.set->Add(set_text, nullptr) < 0) {
      ++out.skipped;
      continue;
    }
    Pattern pattern;
    pattern.re = std::move(re);
    pattern.replacement = Scalar(entry, replacement_key);
    if (v1_key != nullptr) {
      pattern.v1_replacement = Scalar(entry, v1_key);
    }
    out.patterns.push_back(std::move(pattern));
  }
  out.set_ok = out.set->Compile();
  return out;
}

// Runs `pattern` to collect up to 9 groups ("" for a group that did not take part).
std::vector<std::string> Groups(const Pattern& pattern, std::string_view text) {
  int n = pattern.re->NumberOfCapturingGroups();
  if (n > 9) {
    n = 9;
  }
  std::vector<re2::StringPiece> pieces(static_cast<std::size_t>(n) + 1);
  std::vector<std::string> groups(10);
  re2::StringPiece input(text.data(), text.size());
  if (!pattern.re->Match(input, 0, input.size(), RE2::UNANCHORED, pieces.data(), n + 1)) {
    return groups;
  }
  for (int i = 1; i <= n; ++i) {
    const re2::StringPiece& piece = pieces[static_cast<std::size_t>(i)];
    if (piece.data() != nullptr) {
      groups[static_cast<std::size_t>(i)].assign(piece.data(), piece.size());
    }
  }
  return groups;
}

// uap-core replacement: "$1".."$9" are the groups; the result is trimmed.
std::string Substitute(const std::string& replacement, const std::vector<std::string>& groups) {
  std::string out;
  for (std::size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    if (c == '$' && i + 1 < replacement.size() && replacement[i + 1] >= '1' &&
        replacement[i + 1] <= '9') {
      out += groups[static_cast<std::size_t>(replacement[i + 1] - '0')];
      ++i;
    } else {
      out.push_back(c);
    }
  }
  std::size_t begin = out.find_first_not_of(' ');
  std::size_t end = out.find_last_not_of(' ');
  return begin == std::string::npos ? std::string() : out.substr(begin, end - begin + 1);
}

std::string ResolveName(const PatternList& list, std::string_view text, std::string* major) {
  int index = list.FirstMatch(text);
  if (index < 0) {
    return "Other";
  }
  const Pattern& pattern = list.patterns[static_cast<std::size_t>(index)];
  std::vector<std::string> groups = Groups(pattern, text);
  std::string name =
      pattern.replacement.empty() ? groups[1] : Substitute(pattern.replacement, groups);
  if (major != nullptr) {
    *major =
        pattern.v1_replacement.empty() ? groups[2] : Substitute(pattern.v1_replacement, groups);
  }
  return name.empty() ? "Other" : name;
}

bool ContainsInsensitive(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) {
    return false;
  }
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < needle.size(); ++k) {
      char a = haystack[i + k];
      if (a >= 'A' && a <= 'Z') {
        a = static_cast<char>(a - 'A' + 'a');
      }
      if (a != needle[k]) {
        match = false;
        break;
      }
    }
    if (match) {
      return true;
    }
  }
  return false;
}

}  // namespace

struct UserAgentClassifier::Impl {
  PatternList user_agents;
  PatternList operating_systems;
  PatternList devices;
};

std::string UserAgentClass::BrowserVersion() const {
  return browser_major.empty() ? browser : browser + " " + browser_major;
}

UserAgentClassifier::UserAgentClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
UserAgentClassifier::~UserAgentClassifier() = default;

Result<std::unique_ptr<UserAgentClassifier>> UserAgentClassifier::Load(const Path& regexes_yaml) {
  std::ifstream in(regexes_yaml.string(), std::ios::binary);
  if (!in) {
    return Status::InvalidInput("cannot read user-agent regexes " + regexes_yaml.string() +
                                " (install Debian package uap-core)");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto loaded = FromYamlText(buffer.str());
  if (!loaded.ok()) {
    return loaded.status().WithContext(regexes_yaml.string());
  }
  return loaded;
}

Result<std::unique_ptr<UserAgentClassifier>> UserAgentClassifier::FromYamlText(
    std::string_view text) {
  auto impl = std::make_unique<Impl>();
  try {
    YAML::Node root = YAML::Load(std::string(text));
    impl->user_agents =
        CompileList(root["user_agent_parsers"], "family_replacement", "v1_replacement");
    impl->operating_systems = CompileList(root["os_parsers"], "os_replacement", nullptr);
    impl->devices = CompileList(root["device_parsers"], "device_replacement", nullptr);
  } catch (const YAML::Exception& error) {
    return Status::InvalidInput("line " + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
  if (impl->user_agents.patterns.empty()) {
    return Status::InvalidInput("no user_agent_parsers patterns");
  }
  return std::unique_ptr<UserAgentClassifier>(new UserAgentClassifier(std::move(impl)));
}

int UserAgentClassifier::skipped_patterns() const {
  return impl_->user_agents.skipped + impl_->operating_systems.skipped + impl_->devices.skipped;
}

int UserAgentClassifier::pattern_count() const {
  return static_cast<int>(impl_->user_agents.patterns.size() +
                          impl_->operating_systems.patterns.size() +
                          impl_->devices.patterns.size());
}

const UserAgentClass& UserAgentClassifier::Classify(std::string_view user_agent) {
  auto it = cache_.find(user_agent);
  if (it != cache_.end()) {
    return it->second;
  }
  if (cache_.size() > 200000) {
    cache_.clear();  // keeps memory flat on a log with unbounded distinct strings
  }
  return cache_.emplace(std::string(user_agent), ClassifyUncached(user_agent)).first->second;
}

UserAgentClass UserAgentClassifier::ClassifyUncached(std::string_view user_agent) const {
  UserAgentClass out;
  if (user_agent.empty()) {
    out.browser = out.os = out.device = "Other";
    out.device_class = "unknown";
    return out;
  }
  out.browser = ResolveName(impl_->user_agents, user_agent, &out.browser_major);
  out.os = ResolveName(impl_->operating_systems, user_agent, nullptr);
  out.device = ResolveName(impl_->devices, user_agent, nullptr);
  out.bot = out.device == "Spider" || ContainsInsensitive(out.browser, "bot") ||
            ContainsInsensitive(out.browser, "crawler") ||
            ContainsInsensitive(out.browser, "spider");
  if (out.bot) {
    out.device_class = "bot";
  } else if (ContainsInsensitive(out.device, "ipad") || ContainsInsensitive(out.device, "tablet") ||
             ContainsInsensitive(out.device, "kindle") ||
             (out.os == "Android" && !ContainsInsensitive(user_agent, "mobile"))) {
    out.device_class = "tablet";
  } else if (out.os == "iOS" || out.os == "Android" || out.os == "Windows Phone" ||
             out.os == "BlackBerry OS" || out.os == "Symbian OS" ||
             ContainsInsensitive(user_agent, "mobile")) {
    out.device_class = "mobile";
  } else {
    out.device_class = "desktop";
  }
  return out;
}

}  // namespace sunshine
