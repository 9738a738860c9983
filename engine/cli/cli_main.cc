// The CLI driver: global options, command lookup, store opening, help, exit codes.
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionProcessor.h>
#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <iostream>
#include <sstream>

#include "engine/cli/command.h"
#include "engine/core/time_format.h"
#include "sunshine_version.h"

namespace sunshine {

namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

void DefineGlobalOptions(OptionSet& options) {
  options.addOption(ValueOption("home", "DIR",
                                "Sunshine home directory (default: $SUNSHINE_HOME, else "
                                "./sunshine-home)"));
  options.addOption(
      ValueOption("config", "FILE", "configuration file (default: HOME/sunshine.toml)"));
  options.addOption(
      ValueOption("as-of", "YYYY-MM-DD", "the engine's 'today' for every time-dependent decision"));
  options.addOption(FlagOption("json", "machine-readable output on stdout"));
  options.addOption(FlagOption("quiet", "no progress or notes on stderr"));
  options.addOption(
      ValueOption("actor", "NAME", "who is acting, for the audit trail (default: OS user)"));
  options.addOption(FlagOption("help", "show help for the command and exit"));
  options.addOption(FlagOption("version", "print the version and exit"));
}

std::string OsUser() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  if (const char* user = std::getenv("USER"); user != nullptr) {
    return user;
  }
  return "uid:" + std::to_string(::geteuid());
}

const CommandSpec* FindCommand(std::string_view name) {
  for (const CommandSpec& spec : AllCommands()) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

bool IsGroup(std::string_view word) {
  for (const CommandSpec& spec : AllCommands()) {
    if (spec.name.size() > word.size() && spec.name.substr(0, word.size()) == word &&
        spec.name[word.size()] == ' ') {
      return true;
    }
  }
  return false;
}

void PrintMainHelp(std::ostream& out) {
  out << "usage: sunshine [global options] COMMAND [options] [arguments]\n\n"
         "Sunshine: records retention and public disclosure (RSMo chapters 109 and 610).\n\n"
         "Commands:\n";
  for (const CommandSpec& spec : AllCommands()) {
    std::string name(spec.name);
    out << "  " << name << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << spec.summary
        << '\n';
  }
  out << "\nGlobal options (accepted before or after the command):\n"
         "  --home DIR          Sunshine home (default $SUNSHINE_HOME, else ./sunshine-home)\n"
         "  --config FILE       configuration file (default HOME/sunshine.toml)\n"
         "  --as-of YYYY-MM-DD  the engine's 'today' (replay any date)\n"
         "  --json              machine-readable output on stdout\n"
         "  --quiet             no progress or notes on stderr\n"
         "  --actor NAME        who is acting, for the audit trail (default: OS user)\n"
         "  --help, --version\n\n"
         "Exit codes: 0 ok, 1 finished with problems (quarantined or failed items, failed\n"
         "checks), 2 usage error, 3 fatal error, 4 another nightly run is active.\n"
         "'sunshine help COMMAND' or 'sunshine COMMAND --help' shows a command's options.\n";
}

void PrintGroupHelp(std::ostream& out, std::string_view group) {
  out << "usage: sunshine " << group << " SUBCOMMAND [options]\n\nSubcommands:\n";
  for (const CommandSpec& spec : AllCommands()) {
    if (spec.name.size() > group.size() && spec.name.substr(0, group.size()) == group &&
        spec.name[group.size()] == ' ') {
      std::string name(spec.name);
      out << "  " << name << std::string(name.size() < 26 ? 26 - name.size() : 1, ' ')
          << spec.summary << '\n';
    }
  }
}

void PrintCommandHelp(std::ostream& out, const CommandSpec& spec) {
  OptionSet options;
  if (spec.define_options != nullptr) {
    spec.define_options(options);
  }
  out << "usage: sunshine " << spec.name;
  if (!spec.usage.empty()) {
    out << ' ' << spec.usage;
  }
  out << "\n\n" << spec.summary << "\n";
  if (!spec.description.empty()) {
    out << '\n' << spec.description << '\n';
  }
  if (options.begin() != options.end()) {
    out << "\nOptions:\n";
    for (const Option& option : options) {
      std::string left = "  --" + option.fullName();
      if (option.takesArgument()) {
        left += " " + option.argumentName();
      }
      out << left << std::string(left.size() < 26 ? 26 - left.size() : 1, ' ')
          << option.description() << '\n';
    }
  }
  out << "\nGlobal options: --home DIR, --config FILE, --as-of YYYY-MM-DD, --json, --quiet, "
         "--actor NAME (see 'sunshine --help').\n";
}

bool IsGlobal(const std::string& name) {
  return name == "home" || name == "config" || name == "as-of" || name == "json" ||
         name == "quiet" || name == "actor" || name == "help" || name == "version";
}

Status ApplyGlobal(GlobalOptions& global, const std::string& name, const std::string& value) {
  if (name == "home") {
    global.home = value;
  } else if (name == "config") {
    global.config = value;
  } else if (name == "as-of") {
    auto day = ParseDate(value);
    if (!day.ok()) {
      return Status::InvalidInput("--as-of: " + day.status().message());
    }
    global.as_of = *day;
  } else if (name == "json") {
    global.json = true;
  } else if (name == "quiet") {
    global.quiet = true;
  } else if (name == "actor") {
    if (value.empty()) {
      return Status::InvalidInput("--actor needs a non-empty name");
    }
    global.actor = value;
  }
  return {};
}

}  // namespace

bool ParsedArgs::Has(std::string_view name) const { return options_.find(name) != options_.end(); }

std::string ParsedArgs::Get(std::string_view name, std::string_view fallback) const {
  auto it = options_.find(name);
  if (it == options_.end() || it->second.empty()) {
    return std::string(fallback);
  }
  return it->second.back();
}

std::optional<std::string> ParsedArgs::Optional(std::string_view name) const {
  auto it = options_.find(name);
  if (it == options_.end() || it->second.empty()) {
    return std::nullopt;
  }
  return it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(std::string_view name) const {
  auto it = options_.find(name);
  return it == options_.end() ? std::vector<std::string>{} : it->second;
}

int CommandContext::Fail(const Status& status) {
  Err() << "sunshine: error: " << status.message() << '\n';
  switch (status.code()) {
    case StatusCode::kInvalidInput:
      return kExitUsage;
    case StatusCode::kBusy:
      return kExitBusy;
    case StatusCode::kCorruption:
    case StatusCode::kOnLegalHold:
      return kExitProblems;
    default:
      return kExitFatal;
  }
}

int CommandContext::UsageError(std::string_view message) {
  Err() << "sunshine: usage error: " << message << " (see 'sunshine help ...')\n";
  return kExitUsage;
}

void CommandContext::Note(std::string_view message) {
  if (!global.quiet) {
    Err() << message << '\n';
  }
}

std::optional<std::int64_t> ParsePositiveId(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

Option FlagOption(const std::string& name, const std::string& description) {
  return Option(name, "", description).required(false).repeatable(true);
}

Option ValueOption(const std::string& name, const std::string& arg, const std::string& description,
                   bool repeatable) {
  return Option(name, "", description).required(false).repeatable(true).argument(arg, true);
  (void)repeatable;
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + 1, argv + argc);
  GlobalOptions global;
  bool want_help = false;
  bool want_version = false;

  // 1. Global options before the command, and the command words.
  OptionSet global_options;
  DefineGlobalOptions(global_options);
  std::vector<std::string> words;
  std::size_t index = 0;
  try {
    Poco::Util::OptionProcessor processor(global_options);
    processor.setUnixStyle(true);
    for (; index < args.size(); ++index) {
      std::string name;
      std::string value;
      if (args[index] != "-" && processor.process(args[index], name, value)) {
        if (name == "help") {
          want_help = true;
        } else if (name == "version") {
          want_version = true;
        } else if (!name.empty()) {
          Status status = ApplyGlobal(global, name, value);
          if (!status.ok()) {
            err << "sunshine: usage error: " << status.message() << '\n';
            return kExitUsage;
          }
        }
        continue;
      }
      break;
    }
    processor.checkRequired();
  } catch (const Poco::Exception& error) {
    err << "sunshine: usage error: " << error.displayText() << " (see 'sunshine --help')\n";
    return kExitUsage;
  }
  if (want_version || (index < args.size() && args[index] == "version")) {
    out << "sunshine " << kSunshineVersion << '\n';
    return kExitOk;
  }
  if (index >= args.size()) {
    PrintMainHelp(want_help ? out : err);
    return want_help ? kExitOk : kExitUsage;
  }
  if (args[index] == "help") {
    std::string name;
    for (std::size_t i = index + 1; i < args.size(); ++i) {
      name += (name.empty() ? "" : " ") + args[i];
    }
    if (name.empty()) {
      PrintMainHelp(out);
      return kExitOk;
    }
    if (const CommandSpec* spec = FindCommand(name)) {
      PrintCommandHelp(out, *spec);
      return kExitOk;
    }
    if (IsGroup(name)) {
      PrintGroupHelp(out, name);
      return kExitOk;
    }
    err << "sunshine: usage error: unknown command '" << name << "' (see 'sunshine --help')\n";
    return kExitUsage;
  }

  const CommandSpec* spec = nullptr;
  if (index + 1 < args.size()) {
    spec = FindCommand(args[index] + " " + args[index + 1]);
    if (spec != nullptr) {
      index += 2;
    }
  }
  if (spec == nullptr) {
    spec = FindCommand(args[index]);
    if (spec != nullptr) {
      index += 1;
    }
  }
  if (spec == nullptr) {
    if (IsGroup(args[index])) {
      bool help = want_help || (index + 1 < args.size() && args[index + 1] == "--help");
      PrintGroupHelp(help ? out : err, args[index]);
      if (!help) {
        err << (index + 1 < args.size()
                    ? "sunshine: usage error: unknown subcommand '" + args[index + 1] + "'\n"
                    : "sunshine: usage error: a subcommand is needed\n");
      }
      return help ? kExitOk : kExitUsage;
    }
    err << "sunshine: usage error: unknown command '" << args[index]
        << "' (see 'sunshine --help')\n";
    return kExitUsage;
  }

  // 2. The command's own options, global options and positionals, in any order.
  CommandContext context;
  OptionSet options;
  DefineGlobalOptions(options);
  if (spec->define_options != nullptr) {
    spec->define_options(options);
  }
  try {
    Poco::Util::OptionProcessor processor(options);
    processor.setUnixStyle(true);
    bool only_positionals = false;
    bool value_pending = false;  // the previous option takes this argument as its value
    for (; index < args.size(); ++index) {
      const std::string& arg = args[index];
      std::string name;
      std::string value;
      if (!value_pending && (only_positionals || arg == "-" || arg.empty() || arg[0] != '-')) {
        if (!only_positionals || arg != "--") {
          context.args.AddPositional(arg);
        }
        continue;
      }
      if (arg == "--" && !value_pending) {
        only_positionals = true;
        continue;
      }
      value_pending = false;
      if (!processor.process(arg, name, value)) {
        context.args.AddPositional(arg);
        continue;
      }
      if (name.empty()) {
        value_pending = true;
        continue;
      }
      if (name == "help") {
        want_help = true;
      } else if (name == "version") {
        want_version = true;
      } else if (IsGlobal(name)) {
        Status status = ApplyGlobal(global, name, value);
        if (!status.ok()) {
          err << "sunshine: usage error: " << status.message() << '\n';
          return kExitUsage;
        }
      } else {
        context.args.Add(name, value);
      }
    }
    processor.checkRequired();
  } catch (const Poco::Exception& error) {
    err << "sunshine: usage error: " << spec->name << ": " << error.displayText()
        << " (see 'sunshine " << spec->name << " --help')\n";
    return kExitUsage;
  }
  if (want_help) {
    PrintCommandHelp(out, *spec);
    return kExitOk;
  }

  context.global = global;
  context.clock = Clock(global.as_of);
  context.actor = global.actor.value_or(OsUser());
  context.home = Home::Resolve(global.home);
  context.out = &out;
  context.err = &err;

  std::unique_ptr<Store> store;
  if (spec->access != StoreAccess::kNone) {
    auto opened = Store::Open(context.home, spec->access, global.config);
    if (!opened.ok()) {
      return context.Fail(opened.status());
    }
    store = std::move(*opened);
    context.store = store.get();
  }
  try {
    return spec->run(context);
  } catch (const std::exception& error) {
    err << "sunshine: internal error in '" << spec->name << "': " << error.what() << '\n';
    return kExitFatal;
  }
}

}  // namespace sunshine
