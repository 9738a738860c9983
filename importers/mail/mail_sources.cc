#include "importers/mail/mail_sources.h"

#include <algorithm>

namespace sunshine::mail {

namespace fs = boost::filesystem;

namespace {

std::string StemOf(const Path& file) {
  Path name = file.filename();
  if (name.extension() == ".gz") {
    name = name.stem();
  }
  return name.stem().string().empty() ? name.string() : name.stem().string();
}

bool Skipped(const Path& path) {
  std::string name = path.filename().string();
  return name.empty() || name[0] == '.' || name.back() == '~';
}

void AddFile(const Path& file, bool in_maildir, const std::string& folder,
             std::vector<MailInputFile>& out) {
  MailInputFile input;
  input.path = file;
  input.in_maildir = in_maildir;
  input.folder = folder;
  boost::system::error_code ec;
  input.size = fs::file_size(file, ec);
  if (in_maildir) {
    std::string name = file.filename().string();
    std::size_t info = name.find(":2,");
    if (info != std::string::npos) {
      input.maildir_flags = name.substr(info + 3);
    }
  }
  out.push_back(std::move(input));
}

std::vector<Path> SortedEntries(const Path& folder) {
  std::vector<Path> entries;
  boost::system::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(it->path());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

void AddMaildir(const Path& folder, const std::string& label, std::vector<MailInputFile>& out) {
  for (const char* sub : {"cur", "new"}) {
    for (const Path& file : SortedEntries(folder / sub)) {
      boost::system::error_code ec;
      if (!Skipped(file) && fs::is_regular_file(file, ec)) {
        AddFile(file, true, label, out);
      }
    }
  }
  // Maildir++: subfolders are ".Name" folders beside cur/new/tmp.
  for (const Path& entry : SortedEntries(folder)) {
    std::string name = entry.filename().string();
    boost::system::error_code ec;
    if (name.size() > 1 && name[0] == '.' && name != ".." && fs::is_directory(entry, ec) &&
        IsMaildir(entry)) {
      AddMaildir(entry, label + "/" + name.substr(1), out);
    }
  }
}

void AddFolder(const Path& folder, const std::string& label, std::vector<MailInputFile>& out,
               int depth) {
  if (depth > 32) {
    return;
  }
  if (IsMaildir(folder)) {
    AddMaildir(folder, label, out);
    return;
  }
  for (const Path& entry : SortedEntries(folder)) {
    if (Skipped(entry)) {
      continue;
    }
    boost::system::error_code ec;
    if (fs::is_directory(entry, ec)) {
      if (!fs::is_symlink(entry, ec)) {
        AddFolder(entry, label + "/" + entry.filename().string(), out, depth + 1);
      }
    } else if (fs::is_regular_file(entry, ec)) {
      AddFile(entry, false, label, out);
    }
  }
}

}  // namespace

bool IsMaildir(const Path& folder) {
  boost::system::error_code ec;
  return fs::is_directory(folder / "cur", ec) || fs::is_directory(folder / "new", ec);
}

Result<std::vector<MailInputFile>> CollectMailInputs(const std::vector<Path>& paths) {
  std::vector<MailInputFile> out;
  for (const Path& given : paths) {
    boost::system::error_code ec;
    Path path = fs::absolute(given, ec).lexically_normal();
    if (ec || !fs::exists(path, ec)) {
      return Status::NotFound(given.string() + ": no such file or folder");
    }
    if (path.filename_is_dot()) {
      path = path.parent_path();
    }
    if (fs::is_directory(path, ec)) {
      AddFolder(path, path.filename().string(), out, 0);
    } else if (fs::is_regular_file(path, ec)) {
      AddFile(path, false, StemOf(path), out);
    } else {
      return Status::InvalidInput(given.string() + ": not a file or folder");
    }
  }
  // The same file named twice (or through two given folders) is read once.
  std::stable_sort(out.begin(), out.end(),
                   [](const MailInputFile& a, const MailInputFile& b) { return a.path < b.path; });
  out.erase(
      std::unique(out.begin(), out.end(),
                  [](const MailInputFile& a, const MailInputFile& b) { return a.path == b.path; }),
      out.end());
  return out;
}

}  // namespace sunshine::mail
