// Runs the real `sunshine` binary (end-to-end tests), capturing exit code and output.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sunshine::testing {

struct RunResult {
  int exit_code = -1;  // -1 if killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

struct RunOptions {
  std::optional<std::string> stdin_text;
  std::vector<std::string> env;  // extra "NAME=value" entries
  int kill_after_ms = 0;         // >0: SIGKILL the process after this many milliseconds
};

// Runs SUNSHINE_BINARY with `args`.
RunResult RunSunshine(const std::vector<std::string>& args, const RunOptions& options = {});
// Runs any program (argv[0] is looked up in PATH).
RunResult RunProgram(const std::vector<std::string>& argv, const RunOptions& options = {});

}  // namespace sunshine::testing
