// sunshine init: create (or check) a Sunshine home.
#include <iostream>

#include "engine/audit/audit_log.h"
#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/store/migrations.h"

namespace sunshine {

namespace {

int RunInit(CommandContext& context) {
  bool created = false;
  auto store = Store::Init(context.home, &created);
  if (!store.ok()) {
    return context.Fail(store.status());
  }
  Database& db = (*store)->db();
  if (created) {
    auto txn = Transaction::Begin(db);
    if (!txn.ok()) {
      return context.Fail(txn.status());
    }
    JsonObject details = NewJsonObject();
    details->set("home", boost::filesystem::absolute(context.home.root()).string());
    details->set("schema_version", LatestSchemaVersion());
    auto seq = AuditLog::Append(db, context.actor, "store.init", "store", ToJson(details));
    if (!seq.ok()) {
      return context.Fail(seq.status());
    }
    if (Status status = (*txn)->Commit(); !status.ok()) {
      return context.Fail(status);
    }
  }
  std::string root = boost::filesystem::absolute(context.home.root()).lexically_normal().string();
  if (context.global.json) {
    JsonObject out = NewJsonObject();
    out->set("home", root);
    out->set("created", created);
    out->set("schema_version", LatestSchemaVersion());
    out->set("database", context.home.database_file().string());
    out->set("config", context.home.config_file().string());
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << (created ? "Initialised" : "Already initialised") << " Sunshine home " << root
                  << " (schema version " << LatestSchemaVersion() << ")\n"
                  << "  configuration: " << context.home.config_file().string() << '\n'
                  << "  database:      " << context.home.database_file().string() << '\n'
                  << "  blobs:         " << context.home.blobs_dir().string() << '\n'
                  << "  quarantine:    " << context.home.quarantine_dir().string() << '\n'
                  << "  output:        " << context.home.output_dir().string() << '\n';
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> InitCommands() {
  return {{"init", "create a Sunshine home (database, blobs, quarantine, output, sunshine.toml)",
           "",
           "Creates the home directory given by --home (default $SUNSHINE_HOME, else\n"
           "./sunshine-home) with a commented sunshine.toml, and brings the database schema to\n"
           "the latest version. Safe to run again: existing files are kept.",
           StoreAccess::kNone, nullptr, RunInit}};
}

}  // namespace sunshine
