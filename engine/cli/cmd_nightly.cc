// sunshine nightly: the unattended batch run (cron or systemd timer).
#include "engine/cli/command.h"
#include "engine/pipeline/nightly_run.h"

namespace sunshine {

namespace {

int RunNightlyCommand(CommandContext& context) {
  auto report = RunNightly(*context.store, context.clock, context.progress_mode(), context.Err(),
                           NightlySteps());
  if (!report.ok()) {
    return context.Fail(report.status());
  }
  if (context.global.json) {
    context.Out() << ToJson(report->json) << '\n';
  } else {
    context.Out() << report->text << "Summary written to " << report->text_file << " and "
                  << report->json_file << '\n';
  }
  return report->ok ? kExitOk : kExitProblems;
}

}  // namespace

std::vector<CommandSpec> NightlyCommands() {
  return {{"nightly", "run the nightly batch: import, classify, dispose, purge, verify", "[--json]",
           "Takes an exclusive lock (a second run exits with status 4), runs the steps in\n"
           "their fixed order (docs/operations.md), records a run row and writes a summary to\n"
           "HOME/output/nightly/. Exit status 1 if any step failed or found a problem.\n"
           "Every step is idempotent: after a crash, simply run it again.",
           StoreAccess::kReadWrite, nullptr, RunNightlyCommand}};
}

}  // namespace sunshine
