// The CLI's command table. One CommandSpec per (sub)command, declared in cmd_<family>.cc and
// listed once in commands.cc. The driver (cli_main.cc) parses global options, opens the store
// with the access the spec declares, and handles --help, --json and --quiet uniformly.
#pragma once

#include <Poco/Util/OptionSet.h>

#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/progress.h"
#include "engine/core/status.h"
#include "engine/store/store.h"

namespace sunshine {

// Documented in docs/cli.md; scripts and systemd rely on them.
enum ExitCode : int {
  kExitOk = 0,        // success
  kExitProblems = 1,  // finished, but with quarantined/failed items or a failed check
  kExitUsage = 2,     // bad command line or option value
  kExitFatal = 3,     // could not do the job (store, I/O, configuration)
  kExitBusy = 4,      // another nightly run holds the lock
};

// Options and positional arguments after the command words.
class ParsedArgs {
 public:
  bool Has(std::string_view name) const;
  // Last value given, or the fallback.
  std::string Get(std::string_view name, std::string_view fallback = "") const;
  std::optional<std::string> Optional(std::string_view name) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

  void Add(const std::string& name, const std::string& value) { options_[name].push_back(value); }
  void AddPositional(const std::string& value) { positionals_.push_back(value); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> options_;
  std::vector<std::string> positionals_;
};

struct GlobalOptions {
  std::optional<std::string> home;
  std::optional<std::string> config;
  std::optional<SysDays> as_of;
  bool json = false;
  bool quiet = false;
  std::optional<std::string> actor;
};

struct CommandContext {
  ParsedArgs args;
  GlobalOptions global;
  Clock clock;
  std::string actor;  // --actor, else the OS user
  Home home{Path()};
  Store* store = nullptr;       // opened per the spec's access; nullptr for kNone
  std::ostream* out = nullptr;  // results (JSON with --json)
  std::ostream* err = nullptr;  // diagnostics and progress

  std::ostream& Out() { return *out; }
  std::ostream& Err() { return *err; }
  Progress::Mode progress_mode() const { return Progress::DetectMode(global.quiet); }
  // Prints "sunshine: error: <message>" and returns the exit code that fits the status.
  int Fail(const Status& status);
  // Prints a usage error naming the command and returns kExitUsage.
  int UsageError(std::string_view message);
  // Writes a one-line note to stderr unless --quiet.
  void Note(std::string_view message);
};

struct CommandSpec {
  std::string_view name;         // "init", "audit verify"
  std::string_view summary;      // one line for `sunshine --help`
  std::string_view usage;        // after the name: "[--since DATE] [--json]"
  std::string_view description;  // paragraph(s) for `sunshine help NAME`
  StoreAccess access;
  void (*define_options)(Poco::Util::OptionSet& options);  // nullptr if none
  int (*run)(CommandContext& context);
};

// Families, each in its cmd_<family>.cc.
std::vector<CommandSpec> InitCommands();
std::vector<CommandSpec> AuditCommands();
std::vector<CommandSpec> NightlyCommands();
std::vector<CommandSpec> ImportCommands();   // import mail (import forms: ImportFormsCommands)
std::vector<CommandSpec> RecordsCommands();  // records search|show|list
std::vector<CommandSpec> RequestCommands();  // request open|list|show|extend|status|search|...
std::vector<CommandSpec> PackageCommands();  // package verify
std::vector<CommandSpec> ShareCommands();    // share, share determine|log
std::vector<CommandSpec> ServeCommands();
std::vector<CommandSpec> UserCommands();
std::vector<CommandSpec> FormsCommands();
std::vector<CommandSpec> ImportFormsCommands();
std::vector<CommandSpec> VisitsCommands();     // import visits, visits stats|aggregate|purge|hold
std::vector<CommandSpec> SchedulesCommands();  // schedules check|list|show
std::vector<CommandSpec> ClassifyCommands();   // classify [set|queue|show], event record
std::vector<CommandSpec> HoldCommands();       // hold create|release|review|list|show
std::vector<CommandSpec> DisposeCommands();    // dispose --dry-run|propose|approve|run|lists|show
std::vector<CommandSpec> PiiCommands();        // pii scan
std::vector<CommandSpec> RedactCommands();     // redact run|show|add|remove

// The one list (commands.cc).
const std::vector<CommandSpec>& AllCommands();

// Entry point used by main() and by tests.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// A record, hold or list id: a positive decimal integer, nothing else.
std::optional<std::int64_t> ParsePositiveId(std::string_view text);

// Helpers for option definitions.
Poco::Util::Option FlagOption(const std::string& name, const std::string& description);
Poco::Util::Option ValueOption(const std::string& name, const std::string& arg,
                               const std::string& description, bool repeatable = false);

}  // namespace sunshine
