// The redaction policy (TOML, docs/formats/redaction-policy.md, version 1): which categories
// of personal data are closed, per record kind, each with a reason code, the statute it
// cites and the generic description printed for RSMo 610.024.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace sunshine {

struct RedactionReason {
  std::string code;         // "ssn", "unrequested-personal-data"
  std::string label;        // short, for the marker: "SSN"
  std::string description;  // generic description (610.024): "Social Security number"
  std::string citation;     // "RSMo 610.035"
  bool verified = false;    // false: the legal basis still needs counsel's confirmation
  std::string note;
};

struct CategoryRule {
  std::string reason;   // code in `reasons`
  bool always = false;  // closed wherever it appears, whatever the record kind or field
};

enum class Decision : std::uint8_t { kDisclose, kRedact };

struct RedactionPolicy {
  int version = 1;
  std::string name;
  std::string sha256;  // of the policy text
  std::map<std::string, RedactionReason, std::less<>> reasons;
  std::map<std::string, CategoryRule, std::less<>> categories;  // by PiiTypeName
  double min_confidence = 0.5;

  // Form submissions.
  Decision requested_fields = Decision::kDisclose;
  Decision unrequested_fields = Decision::kRedact;
  Decision form_free_text = Decision::kRedact;
  std::string unrequested_reason = "unrequested-personal-data";

  // E-mail.
  Decision staff_correspondents = Decision::kDisclose;
  Decision private_correspondents = Decision::kRedact;
  Decision mail_personal_data = Decision::kRedact;
  std::string private_correspondent_reason = "private-personal-data";

  const RedactionReason* FindReason(std::string_view code) const;
  const CategoryRule* FindCategory(std::string_view category) const;
};

// Parses policy text; InvalidInput "source:line:col: ..." on a syntax error, or naming the
// key that is wrong or refers to an unknown reason.
Result<RedactionPolicy> ParseRedactionPolicy(std::string_view text, const std::string& source);
// The shipped default (data/redaction/policy.toml, embedded at configure time).
std::string_view DefaultRedactionPolicyText();

}  // namespace sunshine
