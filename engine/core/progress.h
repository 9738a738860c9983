// Progress for long steps. On a terminal: one line on stderr redrawn at most 10 times a
// second. Not a terminal (cron, CI, pipes): a plain line every 10 seconds. --quiet: nothing.
// Hand-written because Debian 12 packages no C++ progress-bar library.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace sunshine {

class Progress {
 public:
  enum class Mode { kTerminal, kPlain, kSilent };
  // Picks kTerminal when stderr is a TTY, kPlain otherwise, kSilent when quiet.
  static Mode DetectMode(bool quiet);

  Progress(std::string label, std::int64_t total, Mode mode, std::ostream& out);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Add(std::int64_t done = 1) { Set(done_ + done); }
  void Set(std::int64_t done);
  void SetTotal(std::int64_t total) { total_ = total; }
  // Prints the final line (terminal and plain modes).
  void Finish();

 private:
  void Draw(bool final);

  std::string label_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  Mode mode_;
  std::ostream& out_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
  bool finished_ = false;
};

}  // namespace sunshine
