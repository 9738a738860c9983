#include "tests/testutil/run_binary.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "tests/testutil/temp_dir.h"

extern char** environ;

namespace sunshine::testing {

RunResult RunProgram(const std::vector<std::string>& argv, const RunOptions& options) {
  TempDir io;
  Path out_file = io.path() / "stdout";
  Path err_file = io.path() / "stderr";
  Path in_file = io.path() / "stdin";
  WriteTextFile(in_file, options.stdin_text.value_or(""));

  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    env.emplace_back(*e);
  }
  for (const std::string& extra : options.env) {
    env.push_back(extra);
  }
  std::vector<char*> env_ptrs;
  for (std::string& e : env) {
    env_ptrs.push_back(e.data());
  }
  env_ptrs.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> arg_ptrs;
  for (std::string& a : args) {
    arg_ptrs.push_back(a.data());
  }
  arg_ptrs.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open(in_file.c_str(), O_RDONLY);
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execvpe(arg_ptrs[0], arg_ptrs.data(), env_ptrs.data());
    std::_Exit(127);
  }
  RunResult result;
  int status = 0;
  if (options.kill_after_ms > 0) {
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.kill_after_ms);
    while (true) {
      pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  } else {
    ::waitpid(pid, &status, 0);
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  result.out = ReadTextFile(out_file);
  result.err = ReadTextFile(err_file);
  return result;
}

RunResult RunSunshine(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> argv{SUNSHINE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, options);
}

}  // namespace sunshine::testing
