#include "engine/pipeline/import_mail_step.h"

#include "importers/mail/mail_importer.h"

namespace sunshine {

Result<StepOutcome> ImportMailStep(StepContext& context) {
  StepOutcome outcome;
  Store& store = context.store;
  SUNSHINE_ASSIGN_OR_RETURN(
      std::vector<std::string> drops,
      store.config().StringList("import.mail_drop", {std::string("drop/mail")}));
  std::vector<Path> folders;
  for (const std::string& drop : drops) {
    Path folder = store.home().Resolve(drop);
    boost::system::error_code ec;
    if (boost::filesystem::is_directory(folder, ec)) {
      folders.push_back(folder);
    }
  }
  if (folders.empty()) {
    outcome.lines.push_back("no mail drop folder present (import.mail_drop)");
    outcome.counts->set("seen", static_cast<std::int64_t>(0));
    return outcome;
  }
  mail::MailImportOptions options;
  options.actor = context.actor;
  options.progress_mode = context.progress_mode;
  options.progress_out = &context.err;
  SUNSHINE_ASSIGN_OR_RETURN(mail::MailImportCounts counts,
                            mail::ImportMail(store, folders, options));
  outcome.counts = counts.ToJsonObject();
  for (const std::string& line : counts.SummaryLines()) {
    if (line.rfind("WARNING: ", 0) != 0) {
      outcome.lines.push_back(line);
    }
  }
  // No signatures: shown prominently in the summary, not buried in the counts.
  outcome.warnings = counts.warnings;
  outcome.ok = !counts.problems() && counts.balanced();
  return outcome;
}

}  // namespace sunshine
