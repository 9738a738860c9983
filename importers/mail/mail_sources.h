// What `sunshine import mail PATH...` and the nightly drop folders read: .eml files, mbox
// files, Maildir folders (cur/ and new/, Maildir++ subfolders) and folders of any of these,
// detected by content, not by name; gzip-compressed files are read directly.
#pragma once

#include <string>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"

namespace sunshine::mail {

struct MailInputFile {
  Path path;  // absolute, normalised
  bool in_maildir = false;
  std::string folder;         // mailbox label: mbox file stem, Maildir (sub)folder, parent folder
  std::string maildir_flags;  // ":2,S" info of a Maildir file name, without ":2,"
  std::uintmax_t size = 0;
};

// Expands the given paths in a stable order. NotFound naming the path if one does not exist.
// Hidden files, Maildir tmp/ folders and editor backups ("~") are skipped.
Result<std::vector<MailInputFile>> CollectMailInputs(const std::vector<Path>& paths);

bool IsMaildir(const Path& folder);

}  // namespace sunshine::mail
