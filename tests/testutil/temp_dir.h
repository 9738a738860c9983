// A fresh directory per test, removed afterwards (kept if SUNSHINE_KEEP_TEST_DIRS is set).
#pragma once

#include <string>

#include "engine/core/path.h"

namespace sunshine::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const Path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  Path path_;
};

// Writes `bytes` to `file`, creating parent folders.
void WriteTextFile(const Path& file, const std::string& bytes);
std::string ReadTextFile(const Path& file);
// The shared corpora folder (../shared/corpora from the source tree) or "" if absent.
Path SharedCorpora();

}  // namespace sunshine::testing
