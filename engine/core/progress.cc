#include "engine/core/progress.h"

#include <unistd.h>

#include <cstdio>

namespace sunshine {

Progress::Mode Progress::DetectMode(bool quiet) {
  if (quiet) {
    return Mode::kSilent;
  }
  return ::isatty(STDERR_FILENO) ? Mode::kTerminal : Mode::kPlain;
}

Progress::Progress(std::string label, std::int64_t total, Mode mode, std::ostream& out)
    : label_(std::move(label)),
      total_(total),
      mode_(mode),
      out_(out),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_) {}

Progress::~Progress() {
  if (!finished_ && mode_ == Mode::kTerminal && done_ > 0) {
    out_ << '\n';
  }
}

void Progress::Set(std::int64_t done) {
  done_ = done;
  if (mode_ == Mode::kSilent) {
    return;
  }
  auto now = std::chrono::steady_clock::now();
  auto interval =
      mode_ == Mode::kTerminal ? std::chrono::milliseconds(100) : std::chrono::milliseconds(10000);
  if (now - last_draw_ >= interval) {
    last_draw_ = now;
    Draw(false);
  }
}

void Progress::Finish() {
  if (finished_) {
    return;
  }
  finished_ = true;
  if (mode_ == Mode::kSilent) {
    return;
  }
  Draw(true);
}

void Progress::Draw(bool final) {
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0.0;
  char line[256];
  if (total_ > 0) {
    std::snprintf(line, sizeof line, "%s: %lld/%lld (%.0f%%) %.0f/s", label_.c_str(),
                  static_cast<long long>(done_), static_cast<long long>(total_),
                  100.0 * static_cast<double>(done_) / static_cast<double>(total_), rate);
  } else {
    std::snprintf(line, sizeof line, "%s: %lld %.0f/s", label_.c_str(),
                  static_cast<long long>(done_), rate);
  }
  if (mode_ == Mode::kTerminal) {
    out_ << "\r\033[K" << line;
    if (final) {
      out_ << '\n';
    }
  } else {
    out_ << line << '\n';
  }
  out_.flush();
}

}  // namespace sunshine
