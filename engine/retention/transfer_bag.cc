#include "engine/retention/transfer_bag.h"

#include <map>
#include <set>
#include <sstream>

#include "engine/core/sha256.h"
#include "engine/store/blob_store.h"

namespace sunshine {

namespace fs = boost::filesystem;

namespace {

Status CheckPayloadPath(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find("..") != std::string::npos ||
      path.find_first_of("\r\n%\\") != std::string::npos) {
    return Status::InvalidInput("unsafe bag payload path '" + path + "'");
  }
  return {};
}

std::string ManifestLine(const std::string& sha, const std::string& path) {
  return sha + "  " + path + "\n";
}

Result<std::map<std::string, std::string>> ReadManifest(const Path& file) {
  SUNSHINE_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  std::map<std::string, std::string> entries;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    auto space = line.find(' ');
    if (space != 64 || line.size() < 67) {
      return Status::Corruption(file.string() + ":" + std::to_string(n) +
                                ": not '<sha256>  <path>'");
    }
    std::string path = line.substr(line.find_first_not_of(' ', space));
    entries[path] = line.substr(0, 64);
  }
  if (entries.empty()) {
    return Status::Corruption(file.string() + " lists no files");
  }
  return entries;
}

Status VerifyManifest(const Path& dir, const std::string& manifest_name,
                      const std::set<std::string>& expected) {
  SUNSHINE_ASSIGN_OR_RETURN(auto entries, ReadManifest(dir / manifest_name));
  for (const std::string& path : expected) {
    if (entries.find(path) == entries.end()) {
      return Status::Corruption(dir.string() + ": " + path + " is not in " + manifest_name);
    }
  }
  for (const auto& [path, sha] : entries) {
    if (expected.find(path) == expected.end()) {
      return Status::Corruption(dir.string() + ": " + manifest_name + " lists " + path +
                                " which is not in the bag");
    }
    auto actual = Sha256File(dir / path);
    if (!actual.ok()) {
      return Status::Corruption(dir.string() + ": " + path + " cannot be read");
    }
    if (*actual != sha) {
      return Status::Corruption(dir.string() + ": " + path + " does not match its SHA-256 in " +
                                manifest_name);
    }
  }
  return {};
}

}  // namespace

Status WriteBag(const Path& dir, const std::vector<BagPayloadFile>& payload,
                const BagInfoFields& info) {
  boost::system::error_code ec;
  if (fs::exists(dir, ec)) {
    return Status::AlreadyExists("bag " + dir.string() + " already exists");
  }
  Path tmp = dir;
  tmp += ".tmp";
  fs::remove_all(tmp, ec);
  std::string manifest;
  std::int64_t octets = 0;
  for (const BagPayloadFile& file : payload) {
    SUNSHINE_RETURN_IF_ERROR(CheckPayloadPath(file.path));
    SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(tmp / "data" / file.path, file.bytes));
    manifest += ManifestLine(Sha256Hex(file.bytes), "data/" + file.path);
    octets += static_cast<std::int64_t>(file.bytes.size());
  }
  std::string bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
  std::string bag_info;
  for (const auto& [key, value] : info) {
    std::string clean = value;
    for (char& c : clean) {
      if (c == '\n' || c == '\r') {
        c = ' ';
      }
    }
    bag_info += key + ": " + clean + "\n";
  }
  bag_info +=
      "Payload-Oxum: " + std::to_string(octets) + "." + std::to_string(payload.size()) + "\n";
  SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(tmp / "bagit.txt", bagit));
  SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(tmp / "bag-info.txt", bag_info));
  SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(tmp / "manifest-sha256.txt", manifest));
  std::string tagmanifest = ManifestLine(Sha256Hex(bagit), "bagit.txt") +
                            ManifestLine(Sha256Hex(bag_info), "bag-info.txt") +
                            ManifestLine(Sha256Hex(manifest), "manifest-sha256.txt");
  SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(tmp / "tagmanifest-sha256.txt", tagmanifest));
  fs::rename(tmp, dir, ec);
  if (ec) {
    return Status::IoError("cannot rename " + tmp.string() + " to " + dir.string() + ": " +
                           ec.message());
  }
  return {};
}

Status VerifyBag(const Path& dir) {
  boost::system::error_code ec;
  for (const char* name : {"bagit.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"}) {
    if (!fs::is_regular_file(dir / name, ec)) {
      return Status::Corruption(dir.string() + ": " + name + " is missing");
    }
  }
  if (!fs::is_directory(dir / "data", ec)) {
    return Status::Corruption(dir.string() + ": data/ is missing");
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::string bagit, ReadFile(dir / "bagit.txt"));
  if (bagit.rfind("BagIt-Version: 1.0\n", 0) != 0) {
    return Status::Corruption(dir.string() + ": bagit.txt does not declare BagIt-Version 1.0");
  }
  std::set<std::string> payload;
  for (fs::recursive_directory_iterator it(dir / "data", ec), end; !ec && it != end;
       it.increment(ec)) {
    if (fs::is_regular_file(it->path(), ec)) {
      payload.insert(fs::relative(it->path(), dir, ec).generic_string());
    }
  }
  SUNSHINE_RETURN_IF_ERROR(VerifyManifest(dir, "manifest-sha256.txt", payload));
  std::set<std::string> tags;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (fs::is_regular_file(it->path(), ec) && name != "tagmanifest-sha256.txt") {
      tags.insert(name);
    }
  }
  return VerifyManifest(dir, "tagmanifest-sha256.txt", tags);
}

}  // namespace sunshine
