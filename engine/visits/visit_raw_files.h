// Raw visit-log blocks stored in files (<home>/visits-raw/<name>.lz4) rather than in
// database rows: a block of lines is written once, where a row's bytes went through the WAL
// and again into the database at the checkpoint (decision and measurements:
// docs/formats/visit-statistics.md, migration 0010). One file holds the blocks of one
// site-local day from one import batch, their LZ4 frames one after the other (`lz4 -d`
// restores the lines of all of them, in order), so a day purges file by file, and an import
// creates a few files rather than one per block (creating an inode cost ext4 more than
// writing the block).
//
// Each visit_raw_blocks row names its file, offset and size; the rows are the truth:
// - the importer writes a batch's files inside the batch's write transaction (BEGIN
//   IMMEDIATE, so one writer at a time), syncs them before the commit, and destroys them
//   itself if the batch does not commit;
// - a crash in between leaves files no row names; the purge, inside its own write
//   transaction (so no other writer can have uncommitted files then), destroys every such
//   orphan before it purges;
// - the purge deletes rows in its transaction and destroys their files after the commit (a
//   crash in between leaves orphans for the next purge).
// Destroying overwrites the file with zeros, syncs it, then unlinks it (best effort on
// journaling filesystems and SSDs, like secure_delete in the database).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"
#include "engine/store/database.h"
#include "engine/store/home.h"

namespace sunshine {

// <home>/visits-raw
Path VisitRawDir(const Home& home);

// Writes the block files of one import; not thread-safe.
class VisitRawFileWriter {
 public:
  explicit VisitRawFileWriter(Path dir) : dir_(std::move(dir)) {}
  ~VisitRawFileWriter();  // Discard()s files of a batch that never committed
  VisitRawFileWriter(const VisitRawFileWriter&) = delete;
  VisitRawFileWriter& operator=(const VisitRawFileWriter&) = delete;

  struct Placed {
    std::string file;  // name in the folder
    std::int64_t offset = 0;
  };
  // Appends `bytes` to the batch's file for `day` (created with a random name on the day's
  // first block in the batch), not yet durable.
  Result<Placed> Append(const std::string& day, std::string_view bytes);
  // Makes the files written since the last Committed() durable (data and directory entry);
  // call right before the commit of the rows that name them.
  Status Sync();
  // The rows naming the pending files committed: they are the store's now.
  void Committed();
  // The batch did not commit: destroys its files.
  void Discard();

 private:
  struct Pending {
    std::string day;
    std::string name;
    int fd = -1;  // open until synced
    std::int64_t size = 0;
  };
  Path dir_;
  bool dir_ready_ = false;
  std::vector<Pending> pending_;
};

// Overwrites `dir`/`name` with zeros, syncs and unlinks it. A missing file is not an error.
Status DestroyVisitRawFile(const Path& dir, const std::string& name);

// Inside a write transaction on `db`: destroys every file in `dir` that no visit_raw_blocks
// row names (left by a crash between writing and committing, or between a purge's commit
// and its file removal). Returns how many.
Result<std::int64_t> SweepOrphanVisitRawFiles(Database& db, const Path& dir);

}  // namespace sunshine
