#include "engine/redact/policy.h"

#include <toml++/toml.h>

#include <sstream>

#include "engine/core/sha256.h"
#include "engine/redact/name_data.h"
#include "engine/redact/pii_scanner.h"

namespace sunshine {

const RedactionReason* RedactionPolicy::FindReason(std::string_view code) const {
  auto it = reasons.find(code);
  return it == reasons.end() ? nullptr : &it->second;
}

const CategoryRule* RedactionPolicy::FindCategory(std::string_view category) const {
  auto it = categories.find(category);
  return it == categories.end() ? nullptr : &it->second;
}

namespace {

std::string Where(const std::string& source, const toml::node& node) {
  std::ostringstream out;
  out << source << ":" << node.source().begin.line << ":" << node.source().begin.column;
  return out.str();
}

Status ReadDecision(const toml::table& table, std::string_view key, const std::string& source,
                    Decision* decision) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    return Status();
  }
  auto value = node->value<std::string>();
  if (!value || (*value != "disclose" && *value != "redact")) {
    return Status::InvalidInput(Where(source, *node) + ": " + std::string(key) +
                                " must be \"disclose\" or \"redact\"");
  }
  *decision = *value == "redact" ? Decision::kRedact : Decision::kDisclose;
  return Status();
}

Status ReadString(const toml::table& table, std::string_view key, const std::string& source,
                  std::string* out, bool required) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    return required ? Status::InvalidInput(source + ": missing key " + std::string(key)) : Status();
  }
  auto value = node->value<std::string>();
  if (!value) {
    return Status::InvalidInput(Where(source, *node) + ": " + std::string(key) +
                                " must be a string");
  }
  *out = *value;
  return Status();
}

}  // namespace

std::string_view DefaultRedactionPolicyText() { return pii::EmbeddedPolicyText(); }

Result<RedactionPolicy> ParseRedactionPolicy(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    std::ostringstream out;
    out << source << ":" << error.source().begin.line << ":" << error.source().begin.column << ": "
        << error.description();
    return Status::InvalidInput(out.str());
  }
  RedactionPolicy policy;
  policy.sha256 = Sha256Hex(text);
  if (auto version = root["version"].value<std::int64_t>()) {
    if (*version != 1) {
      return Status::InvalidInput(source + ": policy version " + std::to_string(*version) +
                                  " is not supported (this is version 1)");
    }
  } else {
    return Status::InvalidInput(source + ": missing `version = 1`");
  }
  SUNSHINE_RETURN_IF_ERROR(ReadString(root, "name", source, &policy.name, true));
  if (auto confidence = root["min_confidence"].value<double>()) {
    policy.min_confidence = *confidence;
  }
  const toml::table* reasons = root["reasons"].as_table();
  if (reasons == nullptr) {
    return Status::InvalidInput(source + ": missing [reasons] tables");
  }
  for (const auto& [key, node] : *reasons) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return Status::InvalidInput(Where(source, node) + ": reasons." + std::string(key.str()) +
                                  " must be a table");
    }
    RedactionReason reason;
    reason.code = std::string(key.str());
    std::string where = source + " [reasons." + reason.code + "]";
    SUNSHINE_RETURN_IF_ERROR(ReadString(*table, "label", where, &reason.label, true));
    SUNSHINE_RETURN_IF_ERROR(ReadString(*table, "description", where, &reason.description, true));
    SUNSHINE_RETURN_IF_ERROR(ReadString(*table, "citation", where, &reason.citation, true));
    SUNSHINE_RETURN_IF_ERROR(ReadString(*table, "note", where, &reason.note, false));
    reason.verified = (*table)["verified"].value_or(false);
    policy.reasons[reason.code] = reason;
  }
  const toml::table* categories = root["categories"].as_table();
  if (categories == nullptr) {
    return Status::InvalidInput(source + ": missing [categories] table");
  }
  for (const auto& [key, node] : *categories) {
    std::string name(key.str());
    PiiType type;
    if (!ParsePiiType(name, &type)) {
      return Status::InvalidInput(Where(source, node) + ": unknown category " + name);
    }
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return Status::InvalidInput(Where(source, node) + ": categories." + name +
                                  " must be a table");
    }
    CategoryRule rule;
    SUNSHINE_RETURN_IF_ERROR(
        ReadString(*table, "reason", source + " [categories." + name + "]", &rule.reason, true));
    if (policy.FindReason(rule.reason) == nullptr) {
      return Status::InvalidInput(Where(source, node) + ": categories." + name +
                                  " names unknown reason " + rule.reason);
    }
    rule.always = (*table)["always"].value_or(false);
    policy.categories[name] = rule;
  }
  if (const toml::table* forms = root["forms"].as_table()) {
    SUNSHINE_RETURN_IF_ERROR(
        ReadDecision(*forms, "requested_fields", source, &policy.requested_fields));
    SUNSHINE_RETURN_IF_ERROR(
        ReadDecision(*forms, "unrequested_fields", source, &policy.unrequested_fields));
    SUNSHINE_RETURN_IF_ERROR(ReadDecision(*forms, "free_text", source, &policy.form_free_text));
    SUNSHINE_RETURN_IF_ERROR(
        ReadString(*forms, "unrequested_reason", source, &policy.unrequested_reason, false));
  }
  if (const toml::table* mail = root["mail"].as_table()) {
    SUNSHINE_RETURN_IF_ERROR(
        ReadDecision(*mail, "staff_correspondents", source, &policy.staff_correspondents));
    SUNSHINE_RETURN_IF_ERROR(
        ReadDecision(*mail, "private_correspondents", source, &policy.private_correspondents));
    SUNSHINE_RETURN_IF_ERROR(
        ReadDecision(*mail, "personal_data", source, &policy.mail_personal_data));
    SUNSHINE_RETURN_IF_ERROR(ReadString(*mail, "private_correspondent_reason", source,
                                        &policy.private_correspondent_reason, false));
  }
  for (const std::string* code :
       {&policy.unrequested_reason, &policy.private_correspondent_reason}) {
    if (policy.FindReason(*code) == nullptr) {
      return Status::InvalidInput(source + ": reason " + *code + " is not defined in [reasons]");
    }
  }
  return policy;
}

}  // namespace sunshine
