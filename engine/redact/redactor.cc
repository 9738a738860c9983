#include "engine/redact/redactor.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/audit/audit_log.h"
#include "engine/core/clock.h"
#include "engine/core/json.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/redact/pii_scanner.h"
#include "engine/redact/policy.h"

namespace sunshine {

std::vector<std::string> RedactedRecord::Citations() const {
  std::set<std::string> citations;
  for (const RedactionLogEntry& entry : log_) {
    citations.insert(entry.citation);
  }
  return {citations.begin(), citations.end()};
}

bool LeakCheckList::FoundIn(std::string_view text, std::size_t* found_index) const {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < values_.size(); ++i) {
    const std::string& value = values_[i];
    auto it = std::search(text.begin(), text.end(), value.begin(), value.end(),
                          [&](char a, char b) { return lower(a) == lower(b); });
    if (it != text.end()) {
      if (found_index != nullptr) {
        *found_index = i;
      }
      return true;
    }
  }
  return false;
}

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

std::string DomainOf(std::string_view address) {
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) {
    return "";
  }
  std::string domain = Lower(address.substr(at + 1));
  while (!domain.empty() && (domain.back() == '>' || domain.back() == ' ')) {
    domain.pop_back();
  }
  return domain;
}

bool InDomains(std::string_view address, const std::vector<std::string>& domains) {
  std::string domain = DomainOf(address);
  if (domain.empty()) {
    return false;
  }
  for (const std::string& staff : domains) {
    if (domain == staff || (domain.size() > staff.size() && domain.ends_with(staff) &&
                            domain[domain.size() - staff.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

struct Part {
  std::string name;
  std::string text;
  // Forms: the field this part holds, if any.
  const FormFieldValue* field = nullptr;
};

std::vector<Part> PartsOf(const Record& record) {
  std::vector<Part> parts;
  parts.push_back({"title", record.title});
  parts.push_back({"sender", record.sender});
  parts.push_back({"sender_name", record.sender_name});
  std::string recipients;
  for (const std::string& recipient : record.recipients) {
    if (!recipients.empty()) {
      recipients += ", ";
    }
    recipients += recipient;
  }
  parts.push_back({"recipients", recipients});
  parts.push_back({"body", record.body});
  for (const FormFieldValue& field : record.fields) {
    parts.push_back({"field:" + field.name, field.value, &field});
  }
  for (const StoredAttachment& attachment : record.attachments) {
    parts.push_back({"attachment-name:" + std::to_string(attachment.ordinal), attachment.filename});
    if (attachment.text) {
      parts.push_back({"attachment:" + std::to_string(attachment.ordinal), *attachment.text});
    }
  }
  return parts;
}

// Comma-separated pieces of the recipients part with their byte ranges.
std::vector<std::pair<std::size_t, std::size_t>> ListItems(const std::string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> items;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(", ", pos);
    if (end == std::string::npos) {
      end = text.size();
    }
    if (end > pos) {
      items.emplace_back(pos, end);
    }
    pos = end + 2;
  }
  return items;
}

// A stable key for "the same value" within one record, so repeats share a marker number.
std::string ValueKey(std::string_view category, std::string_view value) {
  std::string key;
  bool digits_only = category == "ssn" || category == "itin" || category == "card" ||
                     category == "phone" || category == "routing-number" ||
                     category == "bank-account";
  for (char c : value) {
    if (digits_only) {
      if (c >= '0' && c <= '9') {
        key.push_back(c);
      }
    } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (!key.empty() && key.back() != ' ') {
        key.push_back(' ');
      }
    } else {
      key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
  return std::string(category) + ":" + key;
}

}  // namespace

struct Redactor::Impl {
  RedactionPolicy policy;
  std::vector<std::string> staff_domains;
  const PiiScanner* scanner = nullptr;

  std::vector<std::pair<RedactionLogEntry, double>> Compute(const Record& record) const;
  RedactionLogEntry Entry(const std::string& part, std::size_t start, std::size_t end,
                          const std::string& category, std::string_view rule,
                          const std::string& reason_code) const {
    RedactionLogEntry entry;
    entry.part = part;
    entry.start = static_cast<std::int64_t>(start);
    entry.end = static_cast<std::int64_t>(end);
    entry.category = category;
    entry.rule = std::string(rule);
    entry.reason = reason_code;
    if (const RedactionReason* reason = policy.FindReason(reason_code)) {
      entry.citation = reason->citation;
      entry.description = reason->description;
    }
    entry.origin = "auto";
    return entry;
  }
  Result<RedactionOutput> Apply(const Record& record, std::vector<RedactionLogEntry> entries) const;
};

namespace {

// Forms: a value the form asked for and the policy discloses (the requester's name in a
// "full_name" field) is disclosed wherever it recurs in the same record. Otherwise the
// record would disclose a value in one place and list it as redacted in another, and the
// export's leak gate would rightly refuse the package.
void DropSpansOfDisclosedValues(const Record& record,
                                std::vector<std::pair<RedactionLogEntry, double>>& entries) {
  std::set<std::string> disclosed;
  std::map<std::string, std::string> texts;
  for (const Part& part : PartsOf(record)) {
    texts[part.name] = part.text;
    if (part.field == nullptr || !part.field->requested || part.text.empty()) {
      continue;
    }
    bool withheld = std::any_of(entries.begin(), entries.end(),
                                [&](const auto& entry) { return entry.first.part == part.name; });
    if (!withheld) {
      disclosed.insert(Lower(part.text));
    }
  }
  if (disclosed.empty()) {
    return;
  }
  entries.erase(
      std::remove_if(entries.begin(), entries.end(),
                     [&](const auto& entry) {
                       const std::string& text = texts[entry.first.part];
                       if (entry.first.end > static_cast<std::int64_t>(text.size())) {
                         return false;
                       }
                       std::string value = Lower(text.substr(
                           static_cast<std::size_t>(entry.first.start),
                           static_cast<std::size_t>(entry.first.end - entry.first.start)));
                       return disclosed.count(value) != 0;
                     }),
      entries.end());
}

}  // namespace

std::vector<std::pair<RedactionLogEntry, double>> Redactor::Impl::Compute(
    const Record& record) const {
  std::vector<std::pair<RedactionLogEntry, double>> out;
  const bool mail = record.kind == RecordKind::kMail;
  const bool sender_is_staff = InDomains(record.sender, staff_domains);

  // Names the record knows: private correspondents' and form name fields are searched for
  // everywhere; staff names are never redacted as personal data.
  ScanHints hints;
  std::set<std::string> staff_tokens;
  auto add_staff_name = [&](const std::string& name) {
    std::string lower = Lower(name);
    std::size_t pos = 0;
    while (pos < lower.size()) {
      std::size_t end = lower.find_first_of(" ,.", pos);
      if (end == std::string::npos) {
        end = lower.size();
      }
      if (end - pos >= 2) {
        staff_tokens.insert(lower.substr(pos, end - pos));
      }
      pos = end + 1;
    }
  };
  if (mail) {
    if (!record.sender_name.empty()) {
      if (sender_is_staff) {
        add_staff_name(record.sender_name);
      } else {
        hints.known_names.push_back(record.sender_name);
      }
    }
    for (const std::string& recipient : record.recipients) {
      // Staff addresses like first.last@sos.mo.gov also name a staff member.
      if (InDomains(recipient, staff_domains)) {
        std::string local = recipient.substr(0, recipient.find('@'));
        std::replace(local.begin(), local.end(), '.', ' ');
        std::replace(local.begin(), local.end(), '_', ' ');
        add_staff_name(local);
      }
    }
    if (sender_is_staff) {
      std::string local = record.sender.substr(0, record.sender.find('@'));
      std::replace(local.begin(), local.end(), '.', ' ');
      add_staff_name(local);
    }
  } else {
    for (const FormFieldValue& field : record.fields) {
      if (field.category == "name" && !field.value.empty()) {
        hints.known_names.push_back(field.value);
      }
    }
  }
  auto is_staff_span = [&](const std::string& category, std::string_view value) {
    if (policy.staff_correspondents != Decision::kDisclose) {
      return false;
    }
    if (category == "email") {
      return InDomains(value, staff_domains);
    }
    if (category == "person" && !staff_tokens.empty()) {
      std::string lower = Lower(value);
      std::size_t pos = 0;
      while (pos < lower.size()) {
        std::size_t end = lower.find_first_of(" ,.", pos);
        if (end == std::string::npos) {
          end = lower.size();
        }
        std::string token = lower.substr(pos, end - pos);
        static const std::set<std::string> kTitles = {"mr", "mrs", "ms", "miss", "dr", "prof"};
        if (end > pos && staff_tokens.count(token) == 0 && kTitles.count(token) == 0) {
          return false;
        }
        pos = end + 1;
      }
      return true;
    }
    return false;
  };

  for (const Part& part : PartsOf(record)) {
    if (part.text.empty()) {
      continue;
    }
    // Correspondent headers: whole addresses or names, staff stay, private persons go.
    if (mail &&
        (part.name == "sender" || part.name == "sender_name" || part.name == "recipients")) {
      if (policy.private_correspondents != Decision::kRedact) {
        continue;
      }
      if (part.name == "recipients") {
        for (auto [s, e] : ListItems(part.text)) {
          if (!InDomains(part.text.substr(s, e - s), staff_domains) ||
              policy.staff_correspondents == Decision::kRedact) {
            out.emplace_back(Entry(part.name, s, e, "email", "private-correspondent",
                                   policy.private_correspondent_reason),
                             1.0);
          }
        }
      } else if (!sender_is_staff || policy.staff_correspondents == Decision::kRedact) {
        out.emplace_back(
            Entry(part.name, 0, part.text.size(), part.name == "sender" ? "email" : "person",
                  "private-correspondent", policy.private_correspondent_reason),
            1.0);
      }
      continue;
    }
    // Forms: a field the form did not ask for is withheld whole.
    if (part.field != nullptr && !part.field->requested &&
        policy.unrequested_fields == Decision::kRedact) {
      out.emplace_back(Entry(part.name, 0, part.text.size(), part.field->category,
                             "unrequested-field", policy.unrequested_reason),
                       1.0);
      continue;
    }
    // Requested form fields whose category is always closed (an SSN field) are withheld whole.
    if (part.field != nullptr) {
      std::string category =
          part.field->category == "account-number" ? "bank-account" : part.field->category;
      const CategoryRule* rule = policy.FindCategory(category);
      if (rule != nullptr && rule->always) {
        out.emplace_back(
            Entry(part.name, 0, part.text.size(), category, "field-category", rule->reason), 1.0);
        continue;
      }
    }
    bool free_text = part.field == nullptr
                         ? !mail || true
                         : (part.field->category == "free-text" || part.field->category == "none");
    bool requested_value = part.field != nullptr && part.field->category != "free-text" &&
                           part.field->category != "none";
    for (const PiiSpan& span : scanner->Scan(part.text, hints)) {
      if (span.confidence < policy.min_confidence) {
        continue;
      }
      std::string category(PiiTypeName(span.type));
      const CategoryRule* rule = policy.FindCategory(category);
      if (rule == nullptr) {
        continue;
      }
      std::string_view value(part.text.data() + span.start, span.end - span.start);
      std::string reason;
      if (rule->always) {
        reason = rule->reason;
      } else if (mail) {
        if (policy.mail_personal_data != Decision::kRedact || is_staff_span(category, value)) {
          continue;
        }
        reason = rule->reason;
      } else {
        // Form submission: the value the form asked for is disclosable; personal data found in
        // free text is unrequested.
        if (requested_value && policy.requested_fields == Decision::kDisclose) {
          continue;
        }
        if (!free_text || policy.form_free_text != Decision::kRedact) {
          continue;
        }
        reason = policy.unrequested_reason;
      }
      out.emplace_back(Entry(part.name, span.start, span.end, category, span.rule, reason),
                       span.confidence);
    }
  }
  if (!mail) {
    DropSpansOfDisclosedValues(record, out);
  }
  return out;
}

Result<RedactionOutput> Redactor::Impl::Apply(const Record& record,
                                              std::vector<RedactionLogEntry> entries) const {
  RedactedRecord redacted;
  LeakCheckList leak;
  redacted.record_id_ = record.id;
  redacted.kind_ = record.kind;
  redacted.content_sha256_ = record.content_sha256;
  redacted.received_at_ = record.received_at;
  redacted.form_id_ = record.form_id;
  redacted.folder_ = record.folder;

  std::vector<Part> parts = PartsOf(record);
  std::map<std::string, const Part*> by_name;
  for (const Part& part : parts) {
    by_name[part.name] = &part;
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    if (a.part != b.part) {
      return a.part < b.part;
    }
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  // Number markers per category in order of first appearance (body first reads best).
  std::map<std::string, int> next_number;
  std::map<std::string, int> number_of_value;
  std::set<std::string> leak_values;
  std::map<std::string, std::string> redacted_text;
  std::vector<RedactionLogEntry> log;
  std::vector<std::string> order = {"title", "sender", "sender_name", "recipients", "body"};
  for (const Part& part : parts) {
    if (std::find(order.begin(), order.end(), part.name) == order.end()) {
      order.push_back(part.name);
    }
  }
  for (const std::string& name : order) {
    const Part* part = by_name.count(name) > 0 ? by_name[name] : nullptr;
    if (part == nullptr) {
      continue;
    }
    std::string out;
    std::size_t cursor = 0;
    for (RedactionLogEntry& entry : entries) {
      if (entry.part != name) {
        continue;
      }
      auto start = static_cast<std::size_t>(std::max<std::int64_t>(0, entry.start));
      auto end = static_cast<std::size_t>(std::max<std::int64_t>(0, entry.end));
      end = std::min(end, part->text.size());
      if (end <= start) {
        continue;
      }
      if (start < cursor) {  // overlaps the previous redaction: extend it
        if (end <= cursor) {
          continue;
        }
        start = cursor;
      }
      std::string_view value(part->text.data() + start, end - start);
      std::string key = ValueKey(entry.category, value);
      int number = 0;
      if (auto it = number_of_value.find(key); it != number_of_value.end()) {
        number = it->second;
      } else {
        number = ++next_number[entry.category];
        number_of_value[key] = number;
      }
      const RedactionReason* reason = policy.FindReason(entry.reason);
      std::string label = reason != nullptr ? reason->label : entry.reason;
      if (entry.category == "person") {
        label = "name";
      } else if (entry.category == "email") {
        label = "e-mail address";
      } else if (entry.category == "phone") {
        label = "phone number";
      } else if (entry.category == "street-address") {
        label = "address";
      } else if (entry.category == "date-of-birth") {
        label = "date of birth";
      } else if (entry.category == "ip-address") {
        label = "IP address";
      }
      entry.marker =
          "[REDACTED: " + label + " #" + std::to_string(number) + ", " + entry.citation + "]";
      out.append(part->text, cursor, start - cursor);
      out += entry.marker;
      cursor = end;
      entry.start = static_cast<std::int64_t>(start);
      entry.end = static_cast<std::int64_t>(end);
      if (value.size() >= LeakCheckList::kMinLength) {
        leak_values.insert(std::string(value));
      }
      log.push_back(entry);
    }
    out.append(part->text, cursor, std::string::npos);
    redacted_text[name] = std::move(out);
  }
  auto text_of = [&](const std::string& name) {
    auto it = redacted_text.find(name);
    return it == redacted_text.end() ? std::string() : it->second;
  };
  redacted.title_ = text_of("title");
  redacted.sender_ = text_of("sender");
  redacted.sender_name_ = text_of("sender_name");
  redacted.recipients_ = text_of("recipients");
  redacted.body_ = text_of("body");
  for (const FormFieldValue& field : record.fields) {
    redacted.fields_.push_back(
        {field.name, field.label, text_of("field:" + field.name), field.requested});
  }
  for (const StoredAttachment& attachment : record.attachments) {
    RedactedRecord::Attachment out;
    out.ordinal = attachment.ordinal;
    out.filename = text_of("attachment-name:" + std::to_string(attachment.ordinal));
    out.media_type = attachment.media_type;
    out.size = attachment.size;
    if (attachment.text) {
      out.text = text_of("attachment:" + std::to_string(attachment.ordinal));
    }
    redacted.attachments_.push_back(std::move(out));
  }
  std::stable_sort(log.begin(), log.end(), [&](const auto& a, const auto& b) {
    auto rank = [&](const std::string& part) {
      return std::find(order.begin(), order.end(), part) - order.begin();
    };
    return rank(a.part) != rank(b.part) ? rank(a.part) < rank(b.part) : a.start < b.start;
  });
  redacted.log_ = std::move(log);
  leak.values_.assign(leak_values.begin(), leak_values.end());
  return RedactionOutput{std::move(redacted), std::move(leak)};
}

Redactor::Redactor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Redactor::Redactor(Redactor&&) noexcept = default;
Redactor& Redactor::operator=(Redactor&&) noexcept = default;
Redactor::~Redactor() = default;

Result<Redactor> Redactor::Create(const Store& store) {
  auto impl = std::make_unique<Impl>();
  SUNSHINE_ASSIGN_OR_RETURN(std::string policy_path, store.config().String("redaction.policy", ""));
  std::string text;
  std::string source = "built-in redaction policy";
  if (policy_path.empty()) {
    text = std::string(DefaultRedactionPolicyText());
  } else {
    Path file(policy_path);
    if (file.is_relative()) {
      file = store.home().root() / file;
    }
    std::ifstream in(file.string(), std::ios::binary);
    if (!in) {
      return Status::NotFound("redaction policy " + file.string() +
                              " (configuration key redaction.policy) cannot be read");
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    source = file.string();
  }
  SUNSHINE_ASSIGN_OR_RETURN(impl->policy, ParseRedactionPolicy(text, source));
  SUNSHINE_ASSIGN_OR_RETURN(impl->staff_domains,
                            store.config().StringList("office.staff_domains", {"sos.mo.gov"}));
  for (std::string& domain : impl->staff_domains) {
    domain = Lower(domain);
  }
  SUNSHINE_ASSIGN_OR_RETURN(impl->scanner, PiiScanner::Default());
  return Redactor(std::move(impl));
}

Result<bool> Redactor::HasResults(Database& db, std::int64_t record_id) {
  SUNSHINE_ASSIGN_OR_RETURN(
      auto found, db.QueryInt("SELECT 1 FROM redaction_runs WHERE record_id = $1", {record_id}));
  return found.has_value();
}

Status Redactor::ListStored(Database& db, std::int64_t record_id, std::vector<StoredEntry>* out) {
  return db.Query(
      "SELECT id, part, start_byte, end_byte, category, rule, reason, citation, description, "
      "origin, confidence, state, created_by, changed_by, change_note FROM redactions "
      "WHERE record_id = $1 ORDER BY part, start_byte, id",
      {record_id}, [&](const Row& row) {
        StoredEntry stored;
        stored.entry.id = row.Int(0);
        stored.entry.part = row.Text(1);
        stored.entry.start = row.Int(2);
        stored.entry.end = row.Int(3);
        stored.entry.category = row.Text(4);
        stored.entry.rule = row.Text(5);
        stored.entry.reason = row.Text(6);
        stored.entry.citation = row.Text(7);
        stored.entry.description = row.Text(8);
        stored.entry.origin = row.Text(9);
        stored.confidence = row.Real(10);
        stored.state = row.Text(11);
        stored.created_by = row.Text(12);
        stored.changed_by = row.Text(13);
        stored.change_note = row.Text(14);
        out->push_back(std::move(stored));
        return Status();
      });
}

Result<RedactionOutput> Redactor::Redact(Store& store, std::int64_t record_id) const {
  SUNSHINE_ASSIGN_OR_RETURN(Record record, RecordRepository::Get(store.db(), record_id));
  if (record.status != "active") {
    return Status::FailedPrecondition("record " + std::to_string(record_id) + " is " +
                                      record.status + "; its content is gone");
  }
  SUNSHINE_ASSIGN_OR_RETURN(bool stored, HasResults(store.db(), record_id));
  std::vector<RedactionLogEntry> entries;
  if (stored) {
    std::vector<StoredEntry> rows;
    SUNSHINE_RETURN_IF_ERROR(ListStored(store.db(), record_id, &rows));
    for (StoredEntry& row : rows) {
      if (row.state == "active") {
        entries.push_back(std::move(row.entry));
      }
    }
  } else {
    // Fail safe: never hand out text without redaction just because nobody ran `redact run`.
    for (auto& [entry, confidence] : impl_->Compute(record)) {
      entries.push_back(std::move(entry));
    }
  }
  return impl_->Apply(record, std::move(entries));
}

Result<bool> Redactor::EnsureResults(Store& store, std::string_view actor,
                                     std::int64_t record_id) const {
  SUNSHINE_ASSIGN_OR_RETURN(bool stored, HasResults(store.db(), record_id));
  if (stored) {
    return false;
  }
  SUNSHINE_ASSIGN_OR_RETURN(Record record, RecordRepository::Get(store.db(), record_id));
  if (record.status != "active") {
    return Status::FailedPrecondition("record " + std::to_string(record_id) + " is " +
                                      record.status);
  }
  const std::int64_t now = ToEpoch(Clock::WallNow());
  std::map<std::string, int> counts;
  for (const auto& [entry, confidence] : impl_->Compute(record)) {
    SUNSHINE_RETURN_IF_ERROR(store.db().Exec(
        "INSERT INTO redactions (record_id, part, start_byte, end_byte, category, rule, reason, "
        "citation, description, confidence, origin, state, created_at, created_by) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'auto', 'active', $11, $12)",
        {record_id, entry.part, entry.start, entry.end, entry.category, entry.rule, entry.reason,
         entry.citation, entry.description, confidence, now, std::string(actor)}));
    ++counts[entry.category];
  }
  SUNSHINE_RETURN_IF_ERROR(store.db().Exec(
      "INSERT INTO redaction_runs (record_id, computed_at, policy, policy_sha256) VALUES "
      "($1, $2, $3, $4)",
      {record_id, now, impl_->policy.name, impl_->policy.sha256}));
  JsonObject details = NewJsonObject();
  details->set("policy", impl_->policy.name);
  JsonObject by_category = NewJsonObject();
  int total = 0;
  for (const auto& [category, count] : counts) {
    by_category->set(category, count);
    total += count;
  }
  details->set("spans", total);
  details->set("categories", by_category);
  SUNSHINE_RETURN_IF_ERROR(AuditLog::Append(store.db(), actor, "redact.compute",
                                            "record:" + std::to_string(record_id), ToJson(details))
                               .status());
  return true;
}

namespace {

Result<std::string> PartText(const Record& record, std::string_view part) {
  for (const Part& candidate : PartsOf(record)) {
    if (candidate.name == part) {
      return candidate.text;
    }
  }
  return Status::InvalidInput("record " + std::to_string(record.id) + " has no part \"" +
                              std::string(part) +
                              "\" (parts: title, sender, sender_name, recipients, body, "
                              "field:NAME, attachment:N, attachment-name:N)");
}

}  // namespace

Result<std::int64_t> Redactor::AddManual(Store& store, std::string_view actor,
                                         std::int64_t record_id, std::string_view part,
                                         std::int64_t start, std::int64_t end,
                                         std::string_view reason_code) const {
  const RedactionReason* reason = impl_->policy.FindReason(reason_code);
  if (reason == nullptr) {
    std::string known;
    for (const auto& [code, unused] : impl_->policy.reasons) {
      known += (known.empty() ? "" : ", ") + code;
    }
    return Status::InvalidInput("unknown reason code \"" + std::string(reason_code) +
                                "\" (policy " + impl_->policy.name + " defines: " + known + ")");
  }
  SUNSHINE_ASSIGN_OR_RETURN(Record record, RecordRepository::Get(store.db(), record_id));
  SUNSHINE_ASSIGN_OR_RETURN(std::string text, PartText(record, part));
  if (start < 0 || end <= start || end > static_cast<std::int64_t>(text.size())) {
    return Status::InvalidInput("span " + std::to_string(start) + ":" + std::to_string(end) +
                                " is outside " + std::string(part) +
                                " (0:" + std::to_string(text.size()) + ")");
  }
  // Automatic results first, so a later `redact run` does not add them over the review.
  SUNSHINE_RETURN_IF_ERROR(EnsureResults(store, actor, record_id).status());
  const std::int64_t now = ToEpoch(Clock::WallNow());
  // The category of a manual redaction is the first category using this reason, or "manual".
  std::string category = "manual";
  for (const auto& [name, rule] : impl_->policy.categories) {
    if (rule.reason == reason_code) {
      category = name;
      break;
    }
  }
  SUNSHINE_RETURN_IF_ERROR(store.db().Exec(
      "INSERT INTO redactions (record_id, part, start_byte, end_byte, category, rule, reason, "
      "citation, description, confidence, origin, state, created_at, created_by) VALUES "
      "($1, $2, $3, $4, $5, 'manual', $6, $7, $8, 1, 'manual', 'active', $9, $10)",
      {record_id, std::string(part), start, end, category, std::string(reason_code),
       reason->citation, reason->description, now, std::string(actor)}));
  SUNSHINE_ASSIGN_OR_RETURN(
      auto id,
      store.db().QueryInt("SELECT MAX(id) FROM redactions WHERE record_id = $1", {record_id}));
  JsonObject details = NewJsonObject();
  details->set("redaction", *id);
  details->set("part", std::string(part));
  details->set("start", start);
  details->set("end", end);
  details->set("reason", std::string(reason_code));
  details->set("citation", reason->citation);
  SUNSHINE_RETURN_IF_ERROR(AuditLog::Append(store.db(), actor, "redact.add",
                                            "record:" + std::to_string(record_id), ToJson(details))
                               .status());
  return *id;
}

Result<int> Redactor::RemoveSpan(Store& store, std::string_view actor, std::int64_t record_id,
                                 std::string_view part, std::int64_t start, std::int64_t end,
                                 std::string_view reason) const {
  if (reason.empty()) {
    return Status::InvalidInput("a reason is required to release a redaction");
  }
  SUNSHINE_RETURN_IF_ERROR(RecordRepository::Get(store.db(), record_id).status());
  SUNSHINE_RETURN_IF_ERROR(EnsureResults(store, actor, record_id).status());
  std::vector<std::int64_t> ids;
  SUNSHINE_RETURN_IF_ERROR(store.db().Query(
      "SELECT id FROM redactions WHERE record_id = $1 AND part = $2 AND state = 'active' AND "
      "start_byte >= $3 AND end_byte <= $4 ORDER BY id",
      {record_id, std::string(part), start, end}, [&](const Row& row) {
        ids.push_back(row.Int(0));
        return Status();
      }));
  if (ids.empty()) {
    return Status::NotFound("no active redaction of " + std::string(part) + " lies within " +
                            std::to_string(start) + ":" + std::to_string(end) + " of record " +
                            std::to_string(record_id) + " (see `sunshine redact show " +
                            std::to_string(record_id) + "`)");
  }
  const std::int64_t now = ToEpoch(Clock::WallNow());
  JsonArray released = NewJsonArray();
  for (std::int64_t id : ids) {
    SUNSHINE_RETURN_IF_ERROR(store.db().Exec(
        "UPDATE redactions SET state = 'removed', changed_at = $1, changed_by = $2, "
        "change_note = $3 WHERE id = $4",
        {now, std::string(actor), std::string(reason), id}));
    released->add(id);
  }
  JsonObject details = NewJsonObject();
  details->set("redactions", released);
  details->set("part", std::string(part));
  details->set("start", start);
  details->set("end", end);
  details->set("reason", std::string(reason));
  SUNSHINE_RETURN_IF_ERROR(AuditLog::Append(store.db(), actor, "redact.remove",
                                            "record:" + std::to_string(record_id), ToJson(details))
                               .status());
  return static_cast<int>(ids.size());
}

}  // namespace sunshine
