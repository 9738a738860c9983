#include "engine/pipeline/import_forms_step.h"

#include "importers/forms/form_import.h"

namespace sunshine {

Result<StepOutcome> ImportFormsStep(StepContext& context) {
  StepOutcome outcome;
  Store& store = context.store;
  SUNSHINE_ASSIGN_OR_RETURN(
      std::vector<std::string> drops,
      store.config().StringList("import.forms_drop", {std::string("drop/forms")}));
  std::vector<Path> folders;
  for (const std::string& drop : drops) {
    Path folder = store.home().Resolve(drop);
    boost::system::error_code ec;
    if (boost::filesystem::is_directory(folder, ec)) {
      folders.push_back(folder);
    }
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<Path> files, ExpandFormInputs(folders));
  FormImportCounts total;
  std::int64_t skipped = 0;
  if (!files.empty()) {
    // Definitions are loaded only when there is something to import, so a home without
    // web forms needs no definitions folder.
    SUNSHINE_ASSIGN_OR_RETURN(Path definitions,
                              FormDefinitionsFolder(store.config(), store.home(), std::nullopt));
    SUNSHINE_ASSIGN_OR_RETURN(FormCatalog catalog, FormCatalog::LoadFolderStrict(definitions));
    for (const Path& file : files) {
      auto report = ImportFormFile(store, context.actor, catalog, file, {});
      if (!report.ok()) {
        return report.status().WithContext(file.string());
      }
      total.Add(report->counts);
      if (report->skipped) {
        ++skipped;
        continue;
      }
      outcome.lines.push_back(file.filename().string() + ": " +
                              std::to_string(report->counts.seen) + " seen, " +
                              std::to_string(report->counts.imported) + " imported, " +
                              std::to_string(report->counts.duplicates) + " duplicate(s), " +
                              std::to_string(report->counts.quarantined) + " quarantined");
      for (const std::string& problem : report->problems) {
        outcome.lines.push_back("  quarantined " + problem);
      }
    }
  }
  outcome.counts->set("files", static_cast<std::int64_t>(files.size()) - skipped);
  outcome.counts->set("files_skipped", skipped);
  outcome.counts->set("seen", total.seen);
  outcome.counts->set("imported", total.imported);
  outcome.counts->set("duplicates", total.duplicates);
  outcome.counts->set("quarantined", total.quarantined);
  outcome.counts->set("missing_required", total.missing_required);
  outcome.counts->set("unrequested", total.unrequested);
  outcome.lines.push_back("form submissions: seen " + std::to_string(total.seen) + " = imported " +
                          std::to_string(total.imported) + " + duplicates " +
                          std::to_string(total.duplicates) + " + quarantined " +
                          std::to_string(total.quarantined));
  outcome.ok = total.quarantined == 0 && total.Balanced();
  return outcome;
}

}  // namespace sunshine
