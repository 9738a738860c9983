#include "importers/visits/user_agent_classifier.h"

#include <re2/re2.h>
#include <re2/set.h>
#include <xxhash.h>
#include <yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "engine/core/sha256.h"

namespace sunshine {

namespace {

RE2::Options PatternOptions(bool case_insensitive) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);  // UA strings are arbitrary bytes
  options.set_log_errors(false);
  options.set_case_sensitive(!case_insensitive);
  options.set_max_mem(64 << 20);
  return options;
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A conservative reading of a pattern's text for literals every match must contain
// (lower-cased ASCII): a requirement is a set of literals of which a match contains at
// least one (several come from alternatives, `(iPod|iPhone|iPad)`). Anything it does not
// fully understand makes it give up (no requirement: the pattern is then always tried), so
// it can only ever say too little, never too much. Optional atoms (`?`, `*`, `{0,n}`) end
// a run; an alternation requires something only if each of its branches does.
class RequiredLiterals {
 public:
  using Requirement = std::vector<std::string>;  // any one of these; empty: none known

  // Every requirement found, the most selective first; none if the pattern was not
  // fully understood.
  static std::vector<Requirement> All(std::string_view regex) {
    RequiredLiterals scan(regex);
    std::vector<Requirement> found = scan.Alternation();
    if (!scan.ok_ || scan.i_ != regex.size()) {
      return {};
    }
    std::vector<Requirement> ordered;
    while (true) {
      Requirement best = Pick(found);
      if (best.empty()) {
        break;
      }
      ordered.push_back(std::move(best));
      std::erase_if(found, [](const Requirement& requirement) { return requirement.empty(); });
    }
    return ordered;
  }

 private:
  explicit RequiredLiterals(std::string_view re) : re_(re) {}

  // The most selective requirement: the longest shortest literal, then the fewest.
  static Requirement Pick(std::vector<Requirement>& found) {
    Requirement* best = nullptr;
    std::size_t best_length = 0;
    for (Requirement& requirement : found) {
      std::size_t shortest = std::string::npos;
      for (const std::string& literal : requirement) {
        shortest = std::min(shortest, literal.size());
      }
      if (requirement.empty() || shortest == 0) {
        continue;
      }
      if (best == nullptr || shortest > best_length ||
          (shortest == best_length && requirement.size() < best->size())) {
        best = &requirement;
        best_length = shortest;
      }
    }
    return best == nullptr ? Requirement() : std::move(*best);
  }

  bool More() const { return ok_ && i_ < re_.size(); }

  std::vector<Requirement> Alternation() {
    std::vector<Requirement> first = Sequence();
    if (!More() || re_[i_] != '|') {
      return first;
    }
    Requirement any = Pick(first);
    bool every_branch = !any.empty();
    while (More() && re_[i_] == '|') {
      ++i_;
      std::vector<Requirement> branch = Sequence();
      Requirement picked = Pick(branch);
      every_branch = every_branch && !picked.empty();
      for (std::string& literal : picked) {
        any.push_back(std::move(literal));
      }
    }
    if (!every_branch) {
      return {};
    }
    return {any};
  }

  std::vector<Requirement> Sequence() {
    std::vector<Requirement> runs;
    std::string run;
    auto flush = [&] {
      if (!run.empty()) {
        runs.push_back({std::move(run)});
      }
      run.clear();
    };
    while (More() && re_[i_] != '|' && re_[i_] != ')') {
      char c = re_[i_];
      bool literal = false;
      char value = 0;
      bool group = false;
      std::vector<Requirement> group_runs;
      if (c == '\\') {
        if (i_ + 1 >= re_.size()) {
          return Fail();
        }
        char escaped = re_[i_ + 1];
        i_ += 2;
        auto byte = static_cast<unsigned char>(escaped);
        if (byte < 0x80 && (std::ispunct(byte) != 0 || escaped == ' ')) {
          literal = true;  // \. \/ \( \  ... stand for themselves
          value = escaped;
        } else if (escaped == 'x' || escaped == 'p' || escaped == 'P') {
          if (More() && re_[i_] == '{') {
            std::size_t close = re_.find('}', i_);
            if (close == std::string_view::npos) {
              return Fail();
            }
            i_ = close + 1;
          } else {
            i_ += escaped == 'x' ? 2 : 1;
          }
        } else if (!(std::isalpha(static_cast<unsigned char>(escaped)) != 0) || escaped == 'Q') {
          return Fail();  // back references, \Q...\E: not worth understanding
        }
        // \d \s \w \b \n ...: a class or an assertion, not a literal
      } else if (c == '[') {
        if (!SkipClass()) {
          return Fail();
        }
      } else if (c == '(') {
        ++i_;
        if (More() && re_[i_] == '?') {
          ++i_;
          if (More() && (re_[i_] == 'P' || re_[i_] == '<')) {
            std::size_t close = re_.find('>', i_);
            if (close == std::string_view::npos) {
              return Fail();
            }
            i_ = close + 1;
          } else {
            while (More() &&
                   (std::isalpha(static_cast<unsigned char>(re_[i_])) != 0 || re_[i_] == '-')) {
              ++i_;
            }
            if (More() && re_[i_] == ')') {  // (?i): flags only, no atom
              ++i_;
              flush();
              continue;
            }
            if (!More() || re_[i_] != ':') {
              return Fail();
            }
            ++i_;
          }
        }
        group_runs = Alternation();
        if (!More() || re_[i_] != ')') {
          return Fail();
        }
        ++i_;
        group = true;
      } else if (c == '.' || c == '^' || c == '$') {
        ++i_;
      } else if (c == '*' || c == '+' || c == '?' || c == '{') {
        return Fail();
      } else {
        literal = true;
        value = c;
        ++i_;
      }
      // The atom's quantifier.
      bool optional = false;
      bool repeated = false;
      if (More()) {
        char q = re_[i_];
        if (q == '?' || q == '*') {
          optional = true;
          ++i_;
        } else if (q == '+') {
          repeated = true;
          ++i_;
        } else if (q == '{') {
          std::size_t close = re_.find('}', i_);
          if (close == std::string_view::npos) {
            return Fail();
          }
          std::string_view body = re_.substr(i_ + 1, close - i_ - 1);
          if (body.empty() || std::isdigit(static_cast<unsigned char>(body[0])) == 0) {
            return Fail();
          }
          optional = body[0] == '0' &&
                     (body.size() == 1 || !std::isdigit(static_cast<unsigned char>(body[1])));
          repeated = !optional;
          i_ = close + 1;
        }
        if (More() && (optional || repeated) && re_[i_] == '?') {
          ++i_;  // lazy
        }
      }
      auto byte = static_cast<unsigned char>(value);
      if (literal && !optional && byte < 0x80) {
        run.push_back(LowerAscii(value));
        if (repeated) {
          flush();
        }
      } else {
        flush();
        if (group && !optional) {
          for (Requirement& inner : group_runs) {
            runs.push_back(std::move(inner));
          }
        }
      }
    }
    flush();
    return runs;
  }

  bool SkipClass() {
    std::size_t j = i_ + 1;
    if (j < re_.size() && re_[j] == '^') {
      ++j;
    }
    if (j < re_.size() && re_[j] == ']') {
      ++j;
    }
    for (; j < re_.size(); ++j) {
      if (re_[j] == '\\') {
        ++j;
      } else if (re_[j] == '[' && j + 1 < re_.size() && re_[j + 1] == ':') {
        std::size_t close = re_.find(":]", j + 2);
        if (close == std::string_view::npos) {
          return false;
        }
        j = close + 1;
      } else if (re_[j] == ']') {
        i_ = j + 1;
        return true;
      }
    }
    return false;
  }

  std::vector<Requirement> Fail() {
    ok_ = false;
    return {};
  }

  std::string_view re_;
  std::size_t i_ = 0;
  bool ok_ = true;
};

// One uap-core pattern. Its own RE2 (to extract the groups of the first match, and to try
// it while no RE2::Set is compiled) is compiled on first use: a log matches a few dozen of
// the ~1,150 patterns, so compiling all of them up front was a third of the start-up time
// of every import.
struct Pattern {
  std::string regex;
  bool insensitive = false;
  // Lower-cased literals (RequiredLiterals): every match contains, for each requirement,
  // one of its literals. None: always try.
  std::vector<RequiredLiterals::Requirement> requirements;
  std::string replacement;     // family / os / device replacement, may hold $1..$9
  std::string v1_replacement;  // user agents only
  mutable std::unique_ptr<RE2> re;

  // Null if RE2 cannot compile it on its own (the match is then treated as no match).
  const RE2* Compiled() const {
    if (re == nullptr) {
      re = std::make_unique<RE2>(regex, PatternOptions(insensitive));
    }
    return re->ok() ? re.get() : nullptr;
  }
};

// One uap-core parser list: its patterns, and one RE2::Set of them all, compiled when the
// classifier has seen enough distinct strings to be worth it (Compile). Until then each
// string is tried pattern by pattern in list order, skipping those whose required literal
// it lacks: for the few dozen distinct strings of a typical log that costs a few
// milliseconds, where compiling the sets costs a quarter of a second.
struct PatternList {
  std::vector<Pattern> patterns;
  std::vector<std::string> set_texts;  // as added to the set
  std::unique_ptr<RE2::Set> set;
  bool set_ok = false;
  int skipped = 0;

  void CompileSet() {
    if (set != nullptr) {
      return;
    }
    RE2::Options set_options = PatternOptions(false);
    set_options.set_max_mem(256 << 20);
    set = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
    bool added = true;
    for (const std::string& text : set_texts) {
      added = added && set->Add(text, nullptr) >= 0;
    }
    set_ok = added && set->Compile();
  }

  // The index of the first pattern matching `text` (lower-cased: `lower`), or -1.
  int FirstMatch(std::string_view text, std::string_view lower) const {
    if (set != nullptr && set_ok) {
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
      const Pattern& pattern = patterns[i];
      auto met = [&](const RequiredLiterals::Requirement& requirement) {
        return std::any_of(requirement.begin(), requirement.end(), [&](const std::string& literal) {
          return lower.find(literal) != std::string_view::npos;
        });
      };
      if (!std::all_of(pattern.requirements.begin(), pattern.requirements.end(), met)) {
        continue;
      }
      const RE2* re = pattern.Compiled();
      if (re != nullptr && RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re)) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }
};

// regexes.yaml as plain data: each top-level list (user_agent_parsers, ...) of entries,
// an entry being its scalar keys and values.
using YamlEntry = std::vector<std::pair<std::string, std::string>>;
using YamlLists = std::map<std::string, std::vector<YamlEntry>, std::less<>>;

// Reads the lists of single-level mappings uap-core's file consists of with libyaml's event
// parser: building yaml-cpp's node tree of the whole file took a fifth of an import's
// start-up. Anything deeper or elsewhere in the document is parsed (so syntax errors are
// reported) and ignored.
Result<YamlLists> ReadRegexLists(std::string_view text) {
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) {
    return Status::Internal("libyaml: cannot initialise a parser");
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  YamlLists lists;
  // Open containers: 'M' mapping (with whether a key is expected next), 'S' sequence.
  struct Open {
    char kind;
    bool expect_key;
  };
  std::vector<Open> stack;
  std::string list_name;  // the root key being read
  std::string key;        // the entry key being read
  std::vector<YamlEntry>* list = nullptr;
  YamlEntry* entry = nullptr;
  auto value_done = [&] {  // a value (scalar or container) ended in the innermost mapping
    if (!stack.empty() && stack.back().kind == 'M') {
      stack.back().expect_key = !stack.back().expect_key;
    }
  };
  Status status;
  bool done = false;
  while (!done) {
    yaml_event_t event;
    if (yaml_parser_parse(&parser, &event) == 0) {
      status =
          Status::InvalidInput("line " + std::to_string(parser.problem_mark.line + 1) + ": " +
                               (parser.problem != nullptr ? parser.problem : "YAML syntax error"));
      break;
    }
    bool at_root = stack.size() == 1;
    bool in_entry = stack.size() == 3 && stack[1].kind == 'S' && stack[2].kind == 'M' &&
                    list != nullptr && entry != nullptr;
    switch (event.type) {
      case YAML_SCALAR_EVENT: {
        std::string value(reinterpret_cast<const char*>(event.data.scalar.value),
                          event.data.scalar.length);
        if (event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (value == "~" || value == "null" || value == "Null" || value == "NULL")) {
          value.clear();  // YAML null: no value, as an absent key
        }
        bool is_key = !stack.empty() && stack.back().kind == 'M' && stack.back().expect_key;
        if (at_root && is_key) {
          list_name = value;
        } else if (in_entry && is_key) {
          key = value;
        } else if (in_entry) {
          entry->emplace_back(key, std::move(value));
        }
        value_done();
        break;
      }
      case YAML_ALIAS_EVENT:
        value_done();
        break;
      case YAML_SEQUENCE_START_EVENT:
        if (at_root && !stack.back().expect_key) {
          list = &lists[list_name];
        }
        stack.push_back({'S', false});
        break;
      case YAML_MAPPING_START_EVENT:
        if (stack.size() == 2 && stack[1].kind == 'S' && list != nullptr) {
          entry = &list->emplace_back();
        }
        stack.push_back({'M', true});
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (!stack.empty()) {
          stack.pop_back();
        }
        if (stack.size() == 1) {
          list = nullptr;
        }
        value_done();
        break;
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      default:
        break;
    }
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  if (!status.ok()) {
    return status;
  }
  return lists;
}

std::string Scalar(const YamlEntry& entry, const char* key) {
  for (const auto& [name, value] : entry) {
    if (name == key) {
      return value;
    }
  }
  return {};
}

PatternList CompileList(const YamlLists& lists, const char* name, const char* replacement_key,
                        const char* v1_key) {
  PatternList out;
  auto found = lists.find(name);
  if (found == lists.end()) {
    return out;
  }
  // Parsing alone (no compilation) finds the patterns RE2 rejects (Perl-only syntax).
  RE2::Options check_options = PatternOptions(false);
  RE2::Set check(check_options, RE2::UNANCHORED);
  for (const YamlEntry& entry : found->second) {
    std::string regex = Scalar(entry, "regex");
    bool insensitive = Scalar(entry, "regex_flag") == "i";
    std::string set_text = insensitive ? "(?i:" + regex + ")" : regex;
    if (check.Add(set_text, nullptr) < 0) {
      ++out.skipped;
      continue;
    }
    out.set_texts.push_back(std::move(set_text));
    Pattern pattern;
    pattern.requirements = RequiredLiterals::All(regex);
    pattern.regex = std::move(regex);
    pattern.insensitive = insensitive;
    pattern.replacement = Scalar(entry, replacement_key);
    if (v1_key != nullptr) {
      pattern.v1_replacement = Scalar(entry, v1_key);
    }
    out.patterns.push_back(std::move(pattern));
  }
  return out;
}

// Runs `pattern` to collect up to 9 groups ("" for a group that did not take part).
std::vector<std::string> Groups(const Pattern& pattern, std::string_view text) {
  std::vector<std::string> groups(10);
  const RE2* re = pattern.Compiled();
  if (re == nullptr) {
    return groups;
  }
  int n = re->NumberOfCapturingGroups();
  if (n > 9) {
    n = 9;
  }
  std::vector<re2::StringPiece> pieces(static_cast<std::size_t>(n) + 1);
  re2::StringPiece input(text.data(), text.size());
  if (!re->Match(input, 0, input.size(), RE2::UNANCHORED, pieces.data(), n + 1)) {
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

std::string ResolveName(const PatternList& list, std::string_view text, std::string_view lower,
                        std::string* major) {
  int index = list.FirstMatch(text, lower);
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
  // Distinct strings classified pattern by pattern before the sets are compiled: past
  // ~250 the sets' compile time is repaid by their faster matching.
  std::int64_t pattern_by_pattern_limit = 256;
  std::int64_t classified = 0;

  void CompileSets() {
    user_agents.CompileSet();
    operating_systems.CompileSet();
    devices.CompileSet();
  }
};

std::string UserAgentClass::BrowserVersion() const {
  return browser_major.empty() ? browser : browser + " " + browser_major;
}

UserAgentClassifier::UserAgentClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::size_t UserAgentClassifier::Hash::operator()(std::string_view text) const {
  return static_cast<std::size_t>(XXH3_64bits(text.data(), text.size()));
}
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
  SUNSHINE_ASSIGN_OR_RETURN(YamlLists lists, ReadRegexLists(text));
  impl->user_agents =
      CompileList(lists, "user_agent_parsers", "family_replacement", "v1_replacement");
  impl->operating_systems = CompileList(lists, "os_parsers", "os_replacement", nullptr);
  impl->devices = CompileList(lists, "device_parsers", "device_replacement", nullptr);
  if (impl->user_agents.patterns.empty()) {
    return Status::InvalidInput("no user_agent_parsers patterns");
  }
  return std::unique_ptr<UserAgentClassifier>(new UserAgentClassifier(std::move(impl)));
}

void UserAgentClassifier::set_pattern_by_pattern_limit(std::int64_t distinct_strings) {
  impl_->pattern_by_pattern_limit = distinct_strings;
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
  {
    std::string hex = Sha256Hex(user_agent);
    out.fingerprint.resize(16);
    for (std::size_t i = 0; i < 16; ++i) {
      out.fingerprint[i] = static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    }
  }
  if (user_agent.empty()) {
    out.browser = out.os = out.device = "Other";
    out.device_class = "unknown";
    return out;
  }
  if (++impl_->classified > impl_->pattern_by_pattern_limit) {
    impl_->CompileSets();
  }
  std::string lower(user_agent);
  for (char& c : lower) {
    c = LowerAscii(c);
  }
  out.browser = ResolveName(impl_->user_agents, user_agent, lower, &out.browser_major);
  out.os = ResolveName(impl_->operating_systems, user_agent, lower, nullptr);
  out.device = ResolveName(impl_->devices, user_agent, lower, nullptr);
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
