// sunshine import forms PATH...: web-form submissions (JSON, JSON Lines, CSV) into records.
#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "importers/forms/form_import.h"

namespace sunshine {

namespace {

void ImportFormsOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("form", "ID",
                                "form id for submissions that name none (e.g. a CSV export "
                                "of one form without a form_id column)"));
  options.addOption(ValueOption("format", "F",
                                "json, jsonl or csv for every input (default: by extension, "
                                "else by content)"));
  options.addOption(ValueOption("definitions", "DIR",
                                "form definitions folder (default: forms.definitions, else "
                                "HOME/forms)"));
}

JsonObject CountsJson(const FormImportCounts& counts) {
  JsonObject out = NewJsonObject();
  out->set("seen", counts.seen);
  out->set("imported", counts.imported);
  out->set("duplicates", counts.duplicates);
  out->set("quarantined", counts.quarantined);
  out->set("missing_required", counts.missing_required);
  out->set("unrequested", counts.unrequested);
  return out;
}

std::string CountsText(const FormImportCounts& counts) {
  return std::to_string(counts.seen) + " seen, " + std::to_string(counts.imported) + " imported, " +
         std::to_string(counts.duplicates) + " duplicate(s), " +
         std::to_string(counts.quarantined) + " quarantined";
}

int RunImportForms(CommandContext& context) {
  if (context.args.positionals().empty()) {
    return context.UsageError("import forms needs at least one PATH (file or folder)");
  }
  FormImportOptions options;
  if (auto format = context.args.Optional("format")) {
    options.format = ParseSubmissionFormat(*format);
    if (!options.format) {
      return context.UsageError("--format must be json, jsonl or csv, not '" + *format + "'");
    }
  }
  options.default_form = context.args.Optional("form");
  auto folder = FormDefinitionsFolder(context.store->config(), context.home,
                                      context.args.Optional("definitions"));
  if (!folder.ok()) {
    return context.Fail(folder.status());
  }
  // An invalid definition could mark a requested field unrequested or the reverse, so
  // nothing is imported until every definition is valid.
  auto catalog = FormCatalog::LoadFolderStrict(*folder);
  if (!catalog.ok()) {
    return context.Fail(catalog.status());
  }
  if (options.default_form && catalog->Find(*options.default_form) == nullptr) {
    return context.UsageError("--form: no form definition with id '" + *options.default_form +
                              "' in " + folder->string());
  }
  std::vector<Path> inputs;
  for (const std::string& path : context.args.positionals()) {
    inputs.emplace_back(path);
  }
  auto files = ExpandFormInputs(inputs);
  if (!files.ok()) {
    return context.Fail(files.status());
  }

  FormImportCounts total;
  std::int64_t skipped = 0;
  JsonArray file_reports = NewJsonArray();
  for (const Path& file : *files) {
    auto report = ImportFormFile(*context.store, context.actor, *catalog, file, options);
    if (!report.ok()) {
      return context.Fail(report.status().WithContext(file.string()));
    }
    total.Add(report->counts);
    skipped += report->skipped ? 1 : 0;
    if (context.global.json) {
      JsonObject item = CountsJson(report->counts);
      item->set("file", report->file);
      item->set("format", report->format);
      item->set("skipped", report->skipped);
      JsonArray problems = NewJsonArray();
      for (const std::string& problem : report->problems) {
        problems->add(problem);
      }
      item->set("problems", problems);
      file_reports->add(item);
    } else if (report->skipped) {
      context.Out() << file.string() << ": already imported (same bytes), skipped\n";
    } else {
      context.Out() << file.string() << " (" << report->format
                    << "): " << CountsText(report->counts) << '\n';
      for (const std::string& problem : report->problems) {
        context.Out() << "  quarantined " << problem << '\n';
      }
    }
  }
  if (context.global.json) {
    JsonObject out = CountsJson(total);
    out->set("balanced", total.Balanced());
    out->set("files", static_cast<std::int64_t>(files->size()));
    out->set("files_skipped", skipped);
    out->set("file_reports", file_reports);
    context.Out() << ToJson(out) << '\n';
  } else {
    context.Out() << "balance: seen " << total.seen << " = imported " << total.imported
                  << " + duplicates " << total.duplicates << " + quarantined " << total.quarantined
                  << (total.Balanced() ? "" : "  (DOES NOT HOLD)") << '\n';
    if (total.missing_required > 0) {
      context.Out() << total.missing_required
                    << " imported submission(s) flagged missing-required-field\n";
    }
    if (total.unrequested > 0) {
      context.Out() << total.unrequested
                    << " imported submission(s) carry values the form did not ask for "
                       "(kept, marked unrequested)\n";
    }
  }
  return total.quarantined > 0 || !total.Balanced() ? kExitProblems : kExitOk;
}

}  // namespace

std::vector<CommandSpec> ImportFormsCommands() {
  return {{"import forms", "import web-form submissions (JSON, JSON Lines, CSV)",
           "PATH... [--form ID] [--format json|jsonl|csv] [--definitions DIR] [--json]",
           "Each submission becomes one record of kind form. PATH is a file or a folder (read\n"
           "recursively for *.json, *.jsonl, *.ndjson, *.csv). A submission names its form by\n"
           "form_id; the form's definition (see 'sunshine forms list') says which values were\n"
           "requested: anything else the person sent is kept and marked unrequested, and a\n"
           "missing required value flags the record missing-required-field. Items that cannot\n"
           "be read or name an unknown form are quarantined with their exact bytes and line.\n"
           "A file whose bytes were imported before is skipped. Prints the balance\n"
           "seen = imported + duplicates + quarantined; exit status 1 if anything was\n"
           "quarantined. Formats: docs/formats/form-submissions.md.",
           StoreAccess::kReadWrite, ImportFormsOptions, RunImportForms}};
}

}  // namespace sunshine
