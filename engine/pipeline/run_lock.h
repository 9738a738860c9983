// The nightly run's exclusive lock: flock() on HOME/nightly.lock. The kernel releases it
// when the holder dies, so a killed run can never wedge the next one; the pid and start
// time written into the file let the next run say which run it recovered from.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/core/path.h"
#include "engine/core/result.h"

namespace sunshine {

class RunLock {
 public:
  // Busy naming the holder's pid and start time if another live process holds it.
  static Result<std::unique_ptr<RunLock>> Acquire(const Path& lock_file);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  // Set when the file named a previous holder that is gone (a killed or crashed run).
  const std::optional<std::string>& recovered_from() const { return recovered_from_; }

 private:
  RunLock(int fd, Path file) : fd_(fd), file_(std::move(file)) {}
  int fd_;
  Path file_;
  std::optional<std::string> recovered_from_;
};

}  // namespace sunshine
