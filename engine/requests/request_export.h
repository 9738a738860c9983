// Exporting a request's responsive set as a disclosure package, and sharing records with
// another agency in the same format. Both render only redacted records (the Redactor's
// output), publish through the leak gate, and write the disclosure accounting (`disclosures`
// rows plus an audit event) in one transaction after the package is in place.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/path.h"
#include "engine/core/result.h"
#include "engine/store/store.h"
#include "exporters/disclosure_package.h"

namespace sunshine {

struct ExportOutcome {
  PublishedPackage package;        // package.published false: the leak gate refused
  std::int64_t disclosure_id = 0;  // 0 when nothing was published
};

// The default folder for packages: HOME/output/packages.
Path DefaultPackageDir(const Store& store);

// FailedPrecondition if the request has no responsive records. Audits "request.export" (or
// "request.export-refused" when the leak gate finds a redacted value). `audit_details` false
// writes the audit excerpt without each event's details (seq, time, actor, action, hash).
Result<ExportOutcome> ExportRequest(Store& store, const Clock& clock, std::string_view actor,
                                    std::string_view request_id, const Path& out_dir,
                                    bool audit_details = true);

struct ShareDecision {
  std::int64_t record_id = 0;
  bool allowed = false;
  std::string basis;  // "form general-inquiry lists the agency", "determination by X: reason",
                      // or why it is refused
};

// Which records may go to `agency`: those whose form definition lists it
// (forms.definitions) or with an officer's recorded determination. Pure reads.
Result<std::vector<ShareDecision>> DecideSharing(Store& store, std::string_view agency,
                                                 const std::vector<std::int64_t>& record_ids);

// Records an officer's determination that a record's inquiry relates to `agency`.
// REQUIRES: write transaction. Audits "share.determine".
Status RecordShareDetermination(Store& store, std::string_view actor, std::int64_t record_id,
                                std::string_view agency, std::string_view reason);

// Exports the allowed records for `agency` (refusing the rest, reported in `decisions`).
// FailedPrecondition if none is allowed. Audits "share.record" per package.
Result<ExportOutcome> ShareWithAgency(Store& store, const Clock& clock, std::string_view actor,
                                      std::string_view agency, std::string_view reason,
                                      const std::optional<std::string>& request_id,
                                      const std::vector<std::int64_t>& record_ids,
                                      const Path& out_dir, std::vector<ShareDecision>* decisions);

struct DisclosureEntry {
  std::int64_t id = 0;
  std::string kind;  // request | share
  std::string request_id;
  std::string recipient;
  std::string reason;
  std::string actor;
  std::int64_t at = 0;
  std::string package;
  std::string package_sha256;
  std::vector<std::pair<std::int64_t, std::string>> records;  // record id, basis/production
};

// The disclosure accounting, oldest first, optionally for one record or one recipient
// (case-insensitive).
Status ListDisclosures(Database& db, std::optional<std::int64_t> record_id,
                       const std::optional<std::string>& recipient,
                       const std::function<Status(const DisclosureEntry&)>& visit);

}  // namespace sunshine
