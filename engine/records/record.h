// Records: e-mails and form submissions, as stored. Visit-log lines are not records (they
// are raw statistics input with their own table and retention).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sunshine {

enum class RecordKind : std::uint8_t { kMail, kForm };
std::string_view RecordKindName(RecordKind kind);  // "mail", "form"
// Inverse of RecordKindName; nullopt for anything else.
std::optional<RecordKind> ParseRecordKind(std::string_view name);

// Where a copy was seen: "inbox.mbox" + "byte 1234", "forms.csv" + "line 17".
struct SourceLocation {
  std::string importer;  // "mbox", "eml", "maildir", "forms-json", "forms-csv", ...
  std::string file;
  std::string position;
};

struct AttachmentData {
  std::string filename;  // sanitised
  std::string media_type;
  std::string bytes;                // decoded content; stored as a blob, not kept in the row.
                                    // scan_status "infected": withheld, no blob is stored (the
                                    // importer quarantines the bytes); size and SHA-256 are kept.
  std::optional<std::string> text;  // extracted text for text-like parts
  std::string scan_status = "not-scanned";  // clean | infected | not-scanned | error
  std::string scan_detail;
};

struct StoredAttachment {
  std::int64_t id = 0;
  int ordinal = 0;
  std::string filename;
  std::string media_type;
  std::int64_t size = 0;
  std::string sha256;
  std::optional<std::string> text;
  std::string scan_status;
  std::string scan_detail;
};

// requested = false marks data the person volunteered beyond what the form asked for;
// the redactor closes it as unrequested personal data.
struct FormFieldValue {
  std::string name;
  std::string label;
  std::string value;
  bool requested = true;
  bool required = false;
  std::string category = "none";  // name | postal-address | email | phone | date-of-birth |
                                  // ssn | account-number | free-text | none
};

// What an importer hands to RecordRepository::Put.
struct NewRecord {
  RecordKind kind = RecordKind::kMail;
  std::string original_bytes;               // exactly as received; becomes the content blob
  std::string dedup_key;                    // Message-ID (normalised), or form submission id
  std::optional<std::int64_t> received_at;  // epoch seconds UTC
  std::string received_source;              // header | mbox-from | file-mtime | submission
  std::string title;                        // subject or form title
  std::string sender;                       // address
  std::string sender_name;
  std::vector<std::string> recipients;  // addresses (To, Cc, Bcc)
  std::string folder;
  std::optional<std::string> form_id;
  std::string body;
  std::string metadata_json = "{}";  // read-only header fields etc.
  std::vector<std::string> flags;    // e.g. "date-unparseable", "charset-fallback",
                                     // "missing-required-field", "infected-attachment"
  std::vector<AttachmentData> attachments;
  std::vector<FormFieldValue> fields;
  SourceLocation source;
};

struct Record {
  std::int64_t id = 0;
  RecordKind kind = RecordKind::kMail;
  std::string content_sha256;
  std::string dedup_key;
  std::optional<std::int64_t> duplicate_of;
  std::optional<std::int64_t> received_at;
  std::string received_source;
  std::int64_t imported_at = 0;
  std::string title;
  std::string sender;
  std::string sender_name;
  std::vector<std::string> recipients;
  std::string folder;
  std::optional<std::string> form_id;
  std::string body;
  std::string metadata_json;
  std::vector<std::string> flags;
  std::string status;  // active | destroyed | transferred
  std::vector<StoredAttachment> attachments;
  std::vector<FormFieldValue> fields;
  std::vector<SourceLocation> sources;
};

}  // namespace sunshine
