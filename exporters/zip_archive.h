// ZIP files through Poco::Zip, always with forceZip64 (dependencies.md 1.3: without it an
// entry of 4 GiB or more is written broken). Entries are held in memory: disclosure packages
// are documents, not media.
#pragma once

#include <string>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"

namespace sunshine {

struct ZipEntry {
  std::string name;  // '/'-separated, relative
  std::string bytes;
};

// Writes `entries` in order to `target` (through a temporary file, fsync and rename). Every entry
// gets the same fixed timestamp so the same package content gives the same bytes.
Status WriteZip(const Path& target, const std::vector<ZipEntry>& entries);

struct ZipReadProblem {
  std::string name;     // entry name
  std::string problem;  // "CRC mismatch", "cannot inflate: ..."
};

// Reads every file entry (directory entries are skipped). Entries that cannot be read or
// whose CRC does not match are reported in `problems` (if given) instead of failing the whole
// read. Corruption if the archive's structure cannot be parsed at all.
Result<std::vector<ZipEntry>> ReadZip(const Path& file, std::vector<ZipReadProblem>* problems);

}  // namespace sunshine
