// Items that could not be imported. Nothing is ever silently dropped: the original bytes go
// to quarantine/<sha256>.bin, a row names the importer, file, position and reason, and an
// audit event records it, all in the caller's write transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/store/store.h"

namespace sunshine {

struct QuarantineItem {
  std::string importer;  // "mbox", "eml", "forms-csv", "visits"
  std::string source_file;
  std::string position;  // "byte 1234", "line 17", "message 3"
  std::string reason;
  std::string_view original_bytes;
};

// REQUIRES: store.db() is inside a write transaction. Re-quarantining the same item (same
// importer, file, position and bytes) is a no-op. Returns the quarantine row id.
Result<std::int64_t> QuarantineItemBytes(Store& store, std::string_view actor,
                                         const QuarantineItem& item);

// Input files already imported (by content hash), so reruns and the nightly run never import
// the same file twice.
struct SourceFile {
  std::string importer;
  std::string path;
  std::string sha256;
  std::int64_t size = 0;
};
// True if this importer already completed a file with these bytes.
Result<bool> SourceFileCompleted(Database& db, std::string_view importer, std::string_view sha256);
// REQUIRES: inside the write transaction that imported the file's last items.
Status MarkSourceFileCompleted(Database& db, const SourceFile& file, std::string_view counts_json);

}  // namespace sunshine
