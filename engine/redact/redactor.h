// The Redactor: the only producer of RedactedRecord (redacted_record.h).
//
// Redaction results (which byte ranges of which part are withheld, why, under which statute)
// are stored per record in the `redactions` table, computed automatically from the detectors
// and the policy (docs/formats/redaction-policy.md) and corrected by reviewers with
// `sunshine redact add|remove`. Redact() applies the stored results; a record that has none
// yet is redacted from a fresh automatic computation, so nothing is ever exported unredacted.
// Redaction never changes the record itself, so records under a legal hold can be reviewed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/redact/redacted_record.h"
#include "engine/store/store.h"

namespace sunshine {

struct RedactionOutput {
  RedactedRecord record;
  LeakCheckList leak_check;  // for the exporter's leak gate only; never written anywhere
};

class Redactor {
 public:
  // Reads the policy file named by the config key `redaction.policy` (relative to the home;
  // default: the built-in policy) and `office.staff_domains`. InvalidInput names the policy
  // file, line and key on a bad policy.
  static Result<Redactor> Create(const Store& store);

  Redactor(Redactor&&) noexcept;
  Redactor& operator=(Redactor&&) noexcept;
  ~Redactor();

  // The redacted record and its leak-check list. Reads the record with RecordRepository::Get;
  // NotFound if absent, FailedPrecondition if the record was destroyed. Does not audit:
  // callers that release content record that themselves (e.g. "request.export").
  Result<RedactionOutput> Redact(Store& store, std::int64_t record_id) const;

  // Computes and stores automatic results for a record that has none (idempotent: returns
  // false and changes nothing if results exist). Appends a "redact.compute" audit event.
  // REQUIRES: store.db() inside a write transaction.
  Result<bool> EnsureResults(Store& store, std::string_view actor, std::int64_t record_id) const;

  // Reviewer corrections (`sunshine redact add|remove`), each audited with actor and reason.
  // REQUIRES: a write transaction. Add: withholds bytes [start, end) of `part` for the policy
  // reason `reason_code` (InvalidInput if unknown or out of range); returns the new row id.
  Result<std::int64_t> AddManual(Store& store, std::string_view actor, std::int64_t record_id,
                                 std::string_view part, std::int64_t start, std::int64_t end,
                                 std::string_view reason_code) const;
  // Remove: releases the active redactions of `part` that lie within [start, end); `reason`
  // says why (free text code, e.g. "false-positive"). Returns how many were released;
  // NotFound if none.
  Result<int> RemoveSpan(Store& store, std::string_view actor, std::int64_t record_id,
                         std::string_view part, std::int64_t start, std::int64_t end,
                         std::string_view reason) const;

  // All stored rows of a record (removed ones too) for review, without values.
  struct StoredEntry {
    RedactionLogEntry entry;  // marker empty
    double confidence = 1;
    std::string state;  // active | removed
    std::string created_by;
    std::string changed_by;
    std::string change_note;
  };
  static Status ListStored(Database& db, std::int64_t record_id, std::vector<StoredEntry>* out);
  static Result<bool> HasResults(Database& db, std::int64_t record_id);

 private:
  struct Impl;
  explicit Redactor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sunshine
