// RedactedRecord: the only form in which a record's content may leave the office. It holds
// redacted text per part and the redaction log (RSMo 610.024: what was withheld and why),
// never the original values. Only the Redactor (redactor.h) can construct one, so an exporter
// that accepts a RedactedRecord cannot be handed unredacted text by mistake.
//
// LeakCheckList is the one place redacted VALUES are held after redaction: the exporter
// searches its finished package for them (a leak gate) and must never write them anywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/records/record.h"

namespace sunshine {

// One line of the redaction log. Describes a withheld span without revealing it.
struct RedactionLogEntry {
  std::int64_t id = 0;     // row id in `redactions`; 0 if computed but not stored
  std::string part;        // title | sender | sender_name | recipients | body | field:<name> |
                           // attachment:<ordinal> | attachment-name:<ordinal>
  std::int64_t start = 0;  // byte range in the ORIGINAL part text, end exclusive
  std::int64_t end = 0;
  std::string category;     // ssn | card | phone | email | person | street-address | ...
  std::string rule;         // detector rule, or "manual"
  std::string reason;       // reason code from the policy ("ssn", "unrequested-personal-data")
  std::string citation;     // "RSMo 610.035"
  std::string description;  // generic description printed for 610.024 ("Social Security number")
  std::string origin;       // auto | manual
  std::string marker;       // the text that replaced the span: "[REDACTED: SSN #1, RSMo 610.035]"
};

class RedactedRecord {
 public:
  struct Field {
    std::string name;
    std::string label;
    std::string value;  // redacted
    bool requested = true;
  };
  struct Attachment {
    int ordinal = 0;
    std::string filename;  // redacted
    std::string media_type;
    std::int64_t size = 0;
    // Redacted extracted text. Absent when the attachment has no text form: its bytes are
    // never part of a RedactedRecord, so such an attachment can only be withheld in full.
    std::optional<std::string> text;
  };

  std::int64_t record_id() const { return record_id_; }
  RecordKind kind() const { return kind_; }
  const std::string& content_sha256() const { return content_sha256_; }  // of the original
  std::optional<std::int64_t> received_at() const { return received_at_; }
  const std::optional<std::string>& form_id() const { return form_id_; }
  const std::string& folder() const { return folder_; }

  const std::string& title() const { return title_; }
  const std::string& sender() const { return sender_; }
  const std::string& sender_name() const { return sender_name_; }
  const std::string& recipients() const { return recipients_; }  // ", "-joined, redacted
  const std::string& body() const { return body_; }
  const std::vector<Field>& fields() const { return fields_; }
  const std::vector<Attachment>& attachments() const { return attachments_; }

  // Every span withheld, in part then offset order.
  const std::vector<RedactionLogEntry>& log() const { return log_; }
  // Distinct citations used, sorted (for the package's withholding statement).
  std::vector<std::string> Citations() const;

 private:
  friend class Redactor;
  RedactedRecord() = default;

  std::int64_t record_id_ = 0;
  RecordKind kind_ = RecordKind::kMail;
  std::string content_sha256_;
  std::optional<std::int64_t> received_at_;
  std::optional<std::string> form_id_;
  std::string folder_;
  std::string title_;
  std::string sender_;
  std::string sender_name_;
  std::string recipients_;
  std::string body_;
  std::vector<Field> fields_;
  std::vector<Attachment> attachments_;
  std::vector<RedactionLogEntry> log_;
};

// The values that were redacted from one record, for the exporter's leak gate only. Never
// print, log, store or export these: search the finished package for them and fail closed.
class LeakCheckList {
 public:
  // Distinct redacted values (each at least kMinLength bytes; shorter values would match by
  // chance everywhere and are left out).
  const std::vector<std::string>& values() const { return values_; }
  bool empty() const { return values_.empty(); }
  // True if `text` contains any value (case-insensitive for ASCII letters). `found_index`
  // (optional) receives the index into values() of the first one found.
  bool FoundIn(std::string_view text, std::size_t* found_index = nullptr) const;

  static constexpr std::size_t kMinLength = 4;

 private:
  friend class Redactor;
  LeakCheckList() = default;
  std::vector<std::string> values_;
};

}  // namespace sunshine
