#include "engine/pipeline/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "engine/core/clock.h"
#include "engine/core/time_format.h"

namespace sunshine {

namespace {

std::string ReadAll(int fd) {
  std::string text;
  char buffer[256];
  ::lseek(fd, 0, SEEK_SET);
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

Result<std::unique_ptr<RunLock>> RunLock::Acquire(const Path& lock_file) {
  int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError("cannot open lock file " + lock_file.string() + ": " +
                           std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    std::string holder = ReadAll(fd);
    ::close(fd);
    return Status::Busy("another nightly run is active (" +
                        (holder.empty() ? std::string("holder unknown") : holder) +
                        "); lock file " + lock_file.string());
  }
  std::string previous = ReadAll(fd);
  std::string mine =
      "pid " + std::to_string(::getpid()) + ", started " + FormatUtc(Clock::WallNow()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, mine.data(), mine.size(), 0) < 0) {
    ::close(fd);
    return Status::IoError("cannot write lock file " + lock_file.string());
  }
  ::fsync(fd);
  auto lock = std::unique_ptr<RunLock>(new RunLock(fd, lock_file));
  if (!previous.empty()) {
    lock->recovered_from_ = previous;
  }
  return lock;
}

RunLock::~RunLock() {
  // Empty the file before unlocking: a non-empty file seen by the next holder means the
  // previous run did not finish cleanly.
  if (::ftruncate(fd_, 0) != 0) {
    // Nothing more to do: the lock is released below either way.
  }
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace sunshine
