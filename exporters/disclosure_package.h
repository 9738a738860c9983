// A disclosure package (docs/formats/disclosure-package.md, version 1): one ZIP holding one
// BagIt bag with every disclosed record as a redacted PDF and UTF-8 text, index.csv,
// redaction-log.csv, withheld-log.csv, the cover letter (text and PDF) and the audit
// excerpt. It accepts ONLY RedactedRecord, which only the Redactor can make, so unredacted
// text cannot reach a package by mistake; and before anything is published the finished
// ZIP goes through the leak gate (leak_gate.h) with the redactor's leak-check lists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"
#include "engine/redact/redacted_record.h"
#include "exporters/bagit.h"
#include "exporters/leak_gate.h"

namespace sunshine {

struct PackageMetadata {
  std::string name;               // ZIP base name and the bag's top directory
  std::string office_name;        // Source-Organization
  std::string production_prefix;  // "SOS"
  std::string bagging_date;       // YYYY-MM-DD
  std::string created;            // PDF CREATE_DATE, "YYYY-MM-DDT00:00:00"
  std::string footer;             // on every record page: "Request 2026-0001"
  BagInfo info;                   // more bag-info.txt fields (request metadata)
  // The recipient's own name and contact (a requester asking for their own correspondence):
  // the package is addressed to them, so these are not searched for by the leak gate.
  std::vector<std::string> recipient_own_values;
};

struct RecordProduction {
  std::int64_t record_id = 0;
  std::string begin;  // first production number, "SOS-000001"
  std::string end;
  int pages = 0;
  int redactions = 0;
  int withheld_attachments = 0;
};

struct WithheldItem {
  std::int64_t record_id = 0;
  std::string part;         // "record", "attachment 2 (scan.pdf)"
  std::string grounds;      // statute or reason
  std::string description;  // what it is, without revealing it
};

struct PublishedPackage {
  bool published = false;  // false: the leak gate refused (see leaks)
  Path zip;                // the published file
  std::string sha256;
  std::int64_t bytes = 0;
  std::int64_t pages = 0;
  std::vector<RecordProduction> productions;
  std::vector<WithheldItem> withheld;
  std::vector<LeakHit> leaks;
};

class DisclosurePackage {
 public:
  explicit DisclosurePackage(PackageMetadata metadata);

  // Renders the record (PDF and text) with the next production numbers. Binary attachments
  // without a redactable text form are withheld and logged. `leak_check` feeds the gate.
  Status Add(const RedactedRecord& record, const LeakCheckList& leak_check);
  // A whole record (or part) withheld, with its grounds, for the withheld log.
  void Withhold(WithheldItem item);
  // Cover letter paragraphs before and after the generated summary of what is enclosed.
  void SetCoverLetter(std::vector<std::string> opening, std::vector<std::string> closing);
  // JSON Lines of the audit events about this disclosure.
  void SetAuditExcerpt(std::string jsonl) { audit_excerpt_ = std::move(jsonl); }

  // Builds the bag, writes the ZIP aside in `out_dir` (".NAME.zip.partial"), runs the leak
  // gate on it, and renames it to NAME.zip only if nothing was found. AlreadyExists if NAME.zip
  // exists. On a leak nothing is published and `leaks` says where (never what).
  Result<PublishedPackage> Publish(const Path& out_dir);

  const std::vector<RecordProduction>& productions() const { return productions_; }
  const std::string& name() const { return metadata_.name; }

 private:
  Result<std::string> RenderCoverLetterPdf(const std::string& text) const;

  PackageMetadata metadata_;
  std::int64_t next_number_ = 1;
  std::vector<BagFile> records_;
  std::vector<RecordProduction> productions_;
  std::vector<WithheldItem> withheld_;
  std::vector<LeakProbe> probes_;
  std::string index_csv_;
  std::string redaction_csv_;
  std::vector<std::string> opening_;
  std::vector<std::string> closing_;
  std::vector<std::string> citations_;
  std::string audit_excerpt_;
  int redaction_count_ = 0;
};

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
std::string CsvField(std::string_view value);

}  // namespace sunshine
