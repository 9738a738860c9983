// The one list of command families, in the order `sunshine --help` shows them (pipeline
// order). Adding a family: write cmd_<family>.cc, declare it in command.h, add one line here.
#include "engine/cli/command.h"

namespace sunshine {

const std::vector<CommandSpec>& AllCommands() {
  static const std::vector<CommandSpec> kAll = [] {
    std::vector<CommandSpec> all;
    for (auto family :
         {InitCommands, ImportCommands, RecordsCommands, FormsCommands, ImportFormsCommands,
          VisitsCommands, SchedulesCommands, ClassifyCommands, HoldCommands, DisposeCommands,
          PiiCommands, RedactCommands, RequestCommands, ShareCommands, PackageCommands,
          NightlyCommands, AuditCommands, UserCommands, ServeCommands}) {
      for (const CommandSpec& spec : family()) {
        all.push_back(spec);
      }
    }
    return all;
  }();
  return kAll;
}

}  // namespace sunshine
