// sunshine serve: the web console (engine/web, docs/console.md) until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <iostream>

#include "engine/cli/command.h"
#include "engine/web/accounts.h"
#include "engine/web/console_server.h"

namespace sunshine {

namespace {

void ServeOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("listen", "HOST:PORT",
                                "address to listen on (default 127.0.0.1:8080; port 0 picks one)"));
  options.addOption(ValueOption("tls-cert", "FILE", "PEM certificate (chain): serve HTTPS"));
  options.addOption(ValueOption("tls-key", "FILE", "PEM private key for --tls-cert"));
  options.addOption(ValueOption("threads", "N", "request threads (default 4)"));
}

int RunServe(CommandContext& context) {
  web::ConsoleOptions options;
  auto listen = web::ParseListenAddress(context.args.Get("listen", "127.0.0.1:8080"));
  if (!listen.ok()) {
    return context.UsageError(listen.status().message());
  }
  options.listen = *listen;
  options.tls_cert = context.args.Optional("tls-cert");
  options.tls_key = context.args.Optional("tls-key");
  if (options.tls_cert.has_value() != options.tls_key.has_value()) {
    return context.UsageError("--tls-cert and --tls-key go together");
  }
  if (auto threads = context.args.Optional("threads")) {
    try {
      options.threads = std::stoi(*threads);
    } catch (const std::exception&) {
      options.threads = 0;
    }
    if (options.threads < 1 || options.threads > 64) {
      return context.UsageError("--threads needs a number from 1 to 64");
    }
  }
  options.home = context.home;
  options.config = context.global.config;
  options.clock = context.clock;

  if (!web::IsLoopback(options.listen.host)) {
    context.Note("sunshine serve: listening beyond this machine (" + options.listen.host + ")" +
                 (options.tls_cert ? ""
                                   : "; WITHOUT TLS passwords and session cookies cross the "
                                     "network in clear text: use --tls-cert/--tls-key or a "
                                     "TLS reverse proxy"));
  }
  auto accounts = ConsoleAccounts::List(context.store->db());
  if (accounts.ok() && accounts->empty()) {
    context.Note(
        "sunshine serve: no console accounts yet; add one with "
        "'sunshine user add NAME --role admin'");
  }

  // Block the stop signals before the server starts its threads (they inherit the mask), so
  // that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  web::ConsoleServer server(options);
  Status started = server.Start();
  if (!started.ok()) {
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
    return context.Fail(started);
  }
  // Scripts (and the browser test) read the address from this line.
  context.Out() << "sunshine console listening on " << server.url() << std::endl;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server.Stop();
  pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
  context.Note("sunshine serve: stopped");
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> ServeCommands() {
  return {
      {"serve", "run the web console for records officers and compliance staff",
       "[--listen 127.0.0.1:8080] [--tls-cert FILE --tls-key FILE] [--threads N]",
       "Serves the console until SIGINT or SIGTERM. Binds to loopback unless --listen names\n"
       "another address; use --tls-cert/--tls-key (or a TLS reverse proxy) for anything\n"
       "beyond this machine. Staff sign in with accounts made by 'sunshine user add'.\n"
       "Prints 'sunshine console listening on URL' once ready. See docs/console.md.",
       StoreAccess::kReadWrite, ServeOptions, RunServe},
  };
}

}  // namespace sunshine
