// sunshine import mail PATH...: e-mail (.eml, mbox, Maildir, .gz) into records.
#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "importers/mail/mail_importer.h"

namespace sunshine {

namespace {

void ImportMailOptions(Poco::Util::OptionSet& options) {
  options.addOption(ValueOption("clamav-db", "DIR",
                                "ClamAV signature folder or file (default: config "
                                "mail.clamav_db, else /var/lib/clamav)"));
}

int RunImportMail(CommandContext& context) {
  if (context.args.positionals().empty()) {
    return context.UsageError("import mail needs at least one PATH (file or folder)");
  }
  std::vector<Path> paths;
  for (const std::string& path : context.args.positionals()) {
    paths.emplace_back(path);
  }
  mail::MailImportOptions options;
  options.actor = context.actor;
  options.progress_mode = context.progress_mode();
  options.progress_out = &context.Err();
  options.clamav_db = context.args.Get("clamav-db");
  auto counts = mail::ImportMail(*context.store, paths, options);
  if (!counts.ok()) {
    return context.Fail(counts.status());
  }
  if (context.global.json) {
    context.Out() << ToJson(counts->ToJsonObject()) << '\n';
  } else {
    for (const std::string& line : counts->SummaryLines()) {
      context.Out() << line << '\n';
    }
  }
  // The warning goes to stderr too, so a script reading --json still shows it to a person.
  for (const std::string& warning : counts->warnings) {
    context.Note("WARNING: " + warning);
  }
  return counts->problems() || !counts->balanced() ? kExitProblems : kExitOk;
}

}  // namespace

std::vector<CommandSpec> ImportCommands() {
  return {
      {"import mail", "import e-mail: .eml files, mbox files, Maildir folders (also .gz)",
       "PATH... [--clamav-db DIR] [--json]",
       "Each message becomes one record of kind mail: the original bytes unchanged (a\n"
       "SHA-256 blob), the header fields, the body text (text/plain preferred, else HTML as\n"
       "text) and every attachment (a blob, scanned with ClamAV; an infected one is withheld\n"
       "and quarantined, and the record flagged infected-attachment). PATH is a file or a\n"
       "folder; mbox, Maildir (cur/, new/) and single messages are told apart by content, and\n"
       "gzip-compressed files are read directly.\n"
       "\n"
       "Deduplication (docs/formats/dedup.md): identical bytes are stored once (the new\n"
       "location is added to the record); the same Message-ID with other bytes is stored and\n"
       "linked as a duplicate. A file already imported from the same path with the same\n"
       "bytes is skipped, so re-running an import changes nothing. Items that are not mail\n"
       "are quarantined with their exact bytes, file and byte offset.\n"
       "\n"
       "Prints the balance seen = imported + duplicates + quarantined (--json: an object with\n"
       "integer fields seen, imported, duplicates, quarantined and more). Exit status 1 if\n"
       "anything was quarantined, an infected attachment was withheld or a file could not\n"
       "be read. Without virus signatures the import warns loudly and scans nothing.",
       StoreAccess::kReadWrite, ImportMailOptions, RunImportMail},
  };
}

}  // namespace sunshine
