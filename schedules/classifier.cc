#include "schedules/classifier.h"

#include <algorithm>
#include <cctype>

namespace sunshine {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

// Values are matched lower-cased; the rule's values are lowered on the fly (few and short).
bool FolderMatches(std::string_view pattern, std::string_view folder) {
  std::string p = Lower(pattern);
  if (EndsWith(p, "*")) {
    return StartsWith(folder, std::string_view(p).substr(0, p.size() - 1));
  }
  return folder == p;
}

// "a@b.org": that address; "@b.org": any address at b.org or a subdomain of it.
bool AddressMatches(std::string_view pattern, std::string_view address) {
  std::string p = Lower(pattern);
  if (StartsWith(p, "@")) {
    auto at = address.rfind('@');
    if (at == std::string_view::npos) {
      return false;
    }
    std::string_view domain = address.substr(at + 1);
    std::string_view want = std::string_view(p).substr(1);
    return domain == want || EndsWith(domain, "." + std::string(want));
  }
  return address == p;
}

bool AttachmentMatches(std::string_view pattern, std::string_view media_type,
                       std::string_view filename) {
  std::string p = Lower(pattern);
  if (StartsWith(p, ".")) {
    return EndsWith(filename, p);
  }
  if (EndsWith(p, "/*")) {
    return StartsWith(media_type, std::string_view(p).substr(0, p.size() - 1));
  }
  return media_type == p;
}

struct Lowered {
  std::string kind;
  std::string form_id;
  std::string folder;
  std::string sender;
  std::vector<std::string> recipients;
  std::string subject;
  std::string body;
  std::vector<std::string> media_types;
  std::vector<std::string> filenames;
};

Lowered LowerInput(const ClassifyInput& input) {
  Lowered l;
  l.kind = Lower(input.kind);
  l.form_id = Lower(input.form_id);
  l.folder = Lower(input.folder);
  l.sender = Lower(input.sender);
  for (const auto& r : input.recipients) {
    l.recipients.push_back(Lower(r));
  }
  l.subject = Lower(input.subject);
  l.body = Lower(input.body);
  for (const auto& m : input.attachment_media_types) {
    l.media_types.push_back(Lower(m));
  }
  for (const auto& f : input.attachment_filenames) {
    l.filenames.push_back(Lower(f));
  }
  l.media_types.resize(std::max(l.media_types.size(), l.filenames.size()));
  l.filenames.resize(l.media_types.size());
  return l;
}

// Runs `test` over the rule's values; records the first that matched.
template <typename Test>
bool AnyValue(const std::vector<std::string>& values, std::string_view label, Test test,
              std::string* why) {
  if (values.empty()) {
    return true;
  }
  for (const std::string& value : values) {
    if (test(value)) {
      if (why != nullptr) {
        *why += (why->empty() ? "" : "; ") + std::string(label) + " matched '" + value + "'";
      }
      return true;
    }
  }
  return false;
}

bool MatchesLowered(const ClassificationRule& rule, const Lowered& in, std::string* why) {
  return AnyValue(
             rule.kinds, "kind", [&](const std::string& v) { return Lower(v) == in.kind; }, why) &&
         AnyValue(
             rule.form_ids, "form",
             [&](const std::string& v) { return !in.form_id.empty() && Lower(v) == in.form_id; },
             why) &&
         AnyValue(
             rule.folders, "folder",
             [&](const std::string& v) { return FolderMatches(v, in.folder); }, why) &&
         AnyValue(
             rule.from, "from", [&](const std::string& v) { return AddressMatches(v, in.sender); },
             why) &&
         AnyValue(
             rule.to, "to",
             [&](const std::string& v) {
               return std::any_of(in.recipients.begin(), in.recipients.end(),
                                  [&](const std::string& r) { return AddressMatches(v, r); });
             },
             why) &&
         AnyValue(
             rule.subject_terms, "subject",
             [&](const std::string& v) { return in.subject.find(Lower(v)) != std::string::npos; },
             why) &&
         AnyValue(
             rule.body_terms, "body",
             [&](const std::string& v) { return in.body.find(Lower(v)) != std::string::npos; },
             why) &&
         AnyValue(
             rule.attachment_types, "attachment",
             [&](const std::string& v) {
               for (std::size_t i = 0; i < in.media_types.size(); ++i) {
                 if (AttachmentMatches(v, in.media_types[i], in.filenames[i])) {
                   return true;
                 }
               }
               return false;
             },
             why);
}

// Every value of `narrow` is covered by some value of `broad`.
template <typename Covers>
bool ListCovers(const std::vector<std::string>& broad, const std::vector<std::string>& narrow,
                Covers covers) {
  if (broad.empty()) {
    return true;
  }
  if (narrow.empty()) {
    return false;
  }
  return std::all_of(narrow.begin(), narrow.end(), [&](const std::string& n) {
    return std::any_of(broad.begin(), broad.end(),
                       [&](const std::string& b) { return covers(Lower(b), Lower(n)); });
  });
}

bool Equal(const std::string& b, const std::string& n) { return b == n; }

}  // namespace

bool RuleMatches(const ClassificationRule& rule, const ClassifyInput& input, std::string* why) {
  return MatchesLowered(rule, LowerInput(input), why);
}

bool RuleCovers(const ClassificationRule& broad, const ClassificationRule& narrow) {
  auto folder = [](const std::string& b, const std::string& n) {
    if (EndsWith(b, "*")) {
      return StartsWith(n, std::string_view(b).substr(0, b.size() - 1));
    }
    return b == n;
  };
  auto address = [](const std::string& b, const std::string& n) {
    if (b == n) {
      return true;
    }
    if (!StartsWith(b, "@")) {
      return false;
    }
    std::string_view want = std::string_view(b).substr(1);
    auto at = n.rfind('@');
    std::string_view domain = std::string_view(n).substr(at == std::string::npos ? 0 : at + 1);
    return domain == want || EndsWith(domain, "." + std::string(want));
  };
  auto term = [](const std::string& b, const std::string& n) {
    return n.find(b) != std::string::npos;
  };
  auto attachment = [](const std::string& b, const std::string& n) {
    if (b == n) {
      return true;
    }
    return EndsWith(b, "/*") && !StartsWith(n, ".") &&
           StartsWith(n, std::string_view(b).substr(0, b.size() - 1));
  };
  return ListCovers(broad.kinds, narrow.kinds, Equal) &&
         ListCovers(broad.form_ids, narrow.form_ids, Equal) &&
         ListCovers(broad.folders, narrow.folders, folder) &&
         ListCovers(broad.from, narrow.from, address) && ListCovers(broad.to, narrow.to, address) &&
         ListCovers(broad.subject_terms, narrow.subject_terms, term) &&
         ListCovers(broad.body_terms, narrow.body_terms, term) &&
         ListCovers(broad.attachment_types, narrow.attachment_types, attachment);
}

bool Outranks(const ClassificationRule& a, const ScheduleItem& item_a, int order_a,
              const ClassificationRule& b, const ScheduleItem& item_b, int order_b) {
  if (a.Specificity() != b.Specificity()) {
    return a.Specificity() > b.Specificity();
  }
  std::int64_t rank_a = item_a.retention.RankKey();
  std::int64_t rank_b = item_b.retention.RankKey();
  if (rank_a != rank_b) {
    return rank_a > rank_b;
  }
  return order_a < order_b;
}

ClassifyOutcome Classify(const ScheduleSet& schedules, const ClassifyInput& input) {
  Lowered lowered = LowerInput(input);
  struct Candidate {
    ClassifyMatch match;
    int order;
  };
  std::vector<Candidate> candidates;
  int order = 0;
  for (const ScheduleItem* item : schedules.Items()) {
    for (std::size_t r = 0; r < item->rules.size(); ++r) {
      std::string why;
      if (MatchesLowered(item->rules[r], lowered, &why)) {
        ClassifyMatch match;
        match.item = item;
        match.rule_index = static_cast<int>(r);
        match.reason = "rule " + std::to_string(r + 1) + " of " + item->id + " (" + item->file +
                       ":" + std::to_string(item->rules[r].line) +
                       "): " + (why.empty() ? "matches any record" : why);
        candidates.push_back({std::move(match), order});
      }
    }
    ++order;
  }
  std::stable_sort(
      candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
        return Outranks(x.match.item->rules[x.match.rule_index], *x.match.item, x.order,
                        y.match.item->rules[y.match.rule_index], *y.match.item, y.order);
      });
  ClassifyOutcome outcome;
  for (Candidate& c : candidates) {
    outcome.candidates.push_back(std::move(c.match));
  }
  if (!outcome.candidates.empty()) {
    outcome.chosen = outcome.candidates.front();
  }
  return outcome;
}

}  // namespace sunshine
