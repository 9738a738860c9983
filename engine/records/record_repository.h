// Reading and writing records. Writers run inside the caller's write transaction, so the
// record, its blobs' rows, its FTS entry and its audit event commit together.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/records/record.h"
#include "engine/store/store.h"

namespace sunshine {

enum class PutOutcome : std::uint8_t {
  kInserted,        // new record
  kDuplicate,       // same dedup key (Message-ID) as an existing record, different bytes:
                    // stored and linked via duplicate_of
  kAlreadyPresent,  // identical bytes already stored: no new record, the source location
                    // is added to the existing one. Not an error.
};

struct PutResult {
  std::int64_t record_id = 0;
  PutOutcome outcome = PutOutcome::kInserted;
};

struct RecordFilter {
  std::optional<RecordKind> kind;
  std::optional<std::int64_t> received_from;  // epoch, inclusive
  std::optional<std::int64_t> received_to;    // epoch, exclusive
  std::optional<std::string> sender;          // address, case-insensitive
  bool include_inactive = false;              // destroyed/transferred tombstones too
  std::int64_t limit = 0;                     // 0 = no limit
};

// The stored form of Record::recipients (the records.recipients column) back as addresses.
// For readers that query the column directly (e.g. classification) instead of Get().
std::vector<std::string> SplitStoredRecipients(std::string_view text);

class RecordRepository {
 public:
  // REQUIRES: store.db() inside a write transaction. Dedup key: identical original bytes
  // (SHA-256) are the same record; the same dedup_key with other bytes is a linked duplicate.
  // Appends an "import.record" (or "import.duplicate" / "import.seen-again") audit event.
  // The same bytes from an already recorded source location change nothing and append
  // nothing, so re-running an import is a no-op.
  static Result<PutResult> Put(Store& store, std::string_view actor, const NewRecord& record);

  // NotFound if no such id. Does not audit: callers that show content to a person call
  // AuditAccess (the CLI's `records show` does).
  static Result<Record> Get(Database& db, std::int64_t id);

  // Records matching the filter, newest first.
  static Status List(Database& db, const RecordFilter& filter,
                     const std::function<Status(const Record&)>& visit);

  // FTS5 query (subject, addresses, body, attachment text, form values) plus the filter,
  // best match first. InvalidInput if the query does not parse.
  static Status Search(Database& db, std::string_view query, const RecordFilter& filter,
                       const std::function<Status(const Record&)>& visit);

  // Appends an "access.record" audit event: a person read this record's content.
  // REQUIRES: inside a write transaction.
  static Status AuditAccess(Database& db, std::string_view actor, std::int64_t id,
                            std::string_view purpose);
};

}  // namespace sunshine
