// The Sunshine home directory: one folder holding everything a deployment has.
//
//   sunshine.toml   configuration (commented template written by `sunshine init`)
//   sunshine.db     SQLite store (plus -wal and -shm files while open)
//   blobs/          original bytes and attachments of 128 KiB or more, named by SHA-256
//                   (smaller ones live in the database)
//   quarantine/     original bytes of items that could not be imported
//   visits-raw/     raw visit-log lines in LZ4 block files, until their purge
//                   (engine/visits/visit_raw_files.h)
//   output/         certificates, reports, disclosure packages
//   nightly.lock    held by a running `sunshine nightly`
#pragma once

#include <optional>
#include <string>

#include "engine/core/path.h"
#include "engine/core/result.h"

namespace sunshine {

class Home {
 public:
  explicit Home(Path root) : root_(std::move(root)) {}

  // --home DIR, else $SUNSHINE_HOME, else ./sunshine-home.
  static Home Resolve(const std::optional<std::string>& flag);

  const Path& root() const { return root_; }
  Path database_file() const { return root_ / "sunshine.db"; }
  Path config_file() const { return root_ / "sunshine.toml"; }
  Path blobs_dir() const { return root_ / "blobs"; }
  Path quarantine_dir() const { return root_ / "quarantine"; }
  Path output_dir() const { return root_ / "output"; }
  Path lock_file() const { return root_ / "nightly.lock"; }
  // A relative path from the configuration is relative to the home directory.
  Path Resolve(const std::string& configured) const;

  bool Exists() const;

 private:
  Path root_;
};

}  // namespace sunshine
