// Imports mail into the store: detection, mbox splitting, MIME parsing, virus scanning,
// deduplication (RecordRepository), quarantine of bad items, all in small transactions so a
// killed import reruns without losing or duplicating anything. Used by `sunshine import
// mail` and the nightly step "import-mail".
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "engine/core/json.h"
#include "engine/core/progress.h"
#include "engine/store/store.h"
#include "importers/mail/mail_sources.h"

namespace sunshine::mail {

struct MailImportOptions {
  std::string actor;
  Progress::Mode progress_mode = Progress::Mode::kSilent;
  std::ostream* progress_out = nullptr;        // stderr
  std::int64_t batch_messages = 500;           // messages per transaction
  std::int64_t batch_bytes = 32 << 20;         // or this many bytes of messages
  std::int64_t max_message_bytes = 256 << 20;  // larger single messages are quarantined
  // ClamAV database folder or file; "" reads config `mail.clamav_db` (default
  // /var/lib/clamav).
  std::string clamav_db;
};

struct MailImportCounts {
  std::int64_t seen = 0;               // items read: messages plus unparseable items
  std::int64_t imported = 0;           // new records
  std::int64_t duplicates = 0;         // linked_duplicates + already_present
  std::int64_t linked_duplicates = 0;  // same Message-ID, other bytes: stored and linked
  std::int64_t already_present = 0;    // identical bytes already stored
  std::int64_t quarantined = 0;
  std::int64_t files = 0;
  std::int64_t files_skipped = 0;  // already imported from this path with these bytes
  std::int64_t files_failed = 0;   // unreadable files (named in `errors`)
  std::int64_t bytes = 0;
  std::int64_t attachments = 0;
  std::int64_t infected_attachments = 0;
  std::int64_t flagged = 0;  // records stored with at least one flag
  unsigned virus_signatures = 0;
  std::vector<std::string> warnings;  // e.g. no virus signatures: attachments not scanned
  std::vector<std::string> errors;    // file-level problems

  bool balanced() const { return seen == imported + duplicates + quarantined; }
  bool problems() const { return quarantined > 0 || files_failed > 0 || infected_attachments > 0; }
  JsonObject ToJsonObject() const;
  // "seen 12 = imported 10 + duplicates 1 + quarantined 1" plus the other figures.
  std::vector<std::string> SummaryLines() const;
};

// Imports every message under `paths`. Returns the counts; a non-OK status only for
// fatal problems (the store), in which case everything committed so far stays.
Result<MailImportCounts> ImportMail(Store& store, const std::vector<Path>& paths,
                                    const MailImportOptions& options);

}  // namespace sunshine::mail
