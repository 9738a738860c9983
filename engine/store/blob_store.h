// Content-addressed storage for original bytes: blobs/<sha[0:2]>/<sha256>. A blob's name is
// its content hash, so writing the same bytes twice is a no-op, and fixity is re-hashing.
//
// Files are written (temp, fsync, rename) before the transaction that records them commits;
// a crash in between leaves an unreferenced file that the next import of the same bytes
// reuses. Deletion is the reverse: queued inside the destroying transaction, the file is
// removed after commit, and ProcessPendingDeletions finishes the job after a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/path.h"
#include "engine/core/result.h"
#include "engine/store/database.h"

namespace sunshine {

struct FixityReport {
  std::int64_t checked = 0;
  std::int64_t bytes = 0;
  std::int64_t mismatched = 0;
  std::int64_t missing = 0;
  std::vector<std::string> bad;  // sha256 of every failed blob
};

class BlobStore {
 public:
  explicit BlobStore(Path dir) : dir_(std::move(dir)) {}

  Path PathOf(std::string_view sha256) const;
  bool Exists(std::string_view sha256) const;

  // Writes the bytes (if absent) and records the blob row in `db` (the caller's open write
  // transaction). Returns the SHA-256. The file is renamed into place but not yet synced;
  // the Store runs Sync() before every commit, so rows never commit ahead of their files.
  Result<std::string> Put(Database& db, std::string_view bytes);
  // Same for a file's content, streamed.
  Result<std::string> PutFile(Database& db, const Path& file);
  Result<std::string> Read(std::string_view sha256) const;
  // Makes every file written by Put since the last Sync durable (one syncfs).
  Status Sync();

  // Inside the destroying transaction: drop the blob row and queue its file for removal.
  Status QueueDeletion(Database& db, std::string_view sha256);
  // After commit (and at the start of every nightly run): remove queued files, then their
  // queue rows. Returns how many files were removed.
  Result<std::int64_t> ProcessPendingDeletions(Database& db);

  // Re-hashes the blobs least recently checked, about total/cycle_days per call (at least
  // one), so that each is checked once per cycle. Updates fixity columns inside the
  // caller's write transaction (which also audits failures). Mismatches are reported, never
  // "repaired".
  Result<FixityReport> CheckFixity(Database& db, std::int64_t cycle_days, std::int64_t now_epoch);

 private:
  Path dir_;
  std::vector<Path> unsynced_;
};

// Writes bytes to `target` through a temp file, fsync and rename. Used for every file Sunshine
// publishes (reports, certificates). With durable = false the fsyncs are left to the caller.
Status WriteFileAtomically(const Path& target, std::string_view bytes, bool durable = true);
// fsyncs a file or folder.
Status FsyncPath(const Path& path);
Result<std::string> ReadFile(const Path& file);

}  // namespace sunshine
