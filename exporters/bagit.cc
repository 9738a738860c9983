#include "exporters/bagit.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "engine/core/sha256.h"

namespace sunshine {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Manifest(const std::vector<std::pair<std::string, std::string>>& files,
                     std::string (*hash)(std::string_view)) {
  std::string out;
  for (const auto& [path, bytes] : files) {
    out += hash(bytes) + "  " + EncodeManifestPath(path) + "\n";
  }
  return out;
}

std::string HumanSize(std::int64_t bytes) {
  char text[32];
  if (bytes < 1024) {
    std::snprintf(text, sizeof text, "%lld bytes", static_cast<long long>(bytes));
  } else if (bytes < 1024 * 1024) {
    std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1024.0);
  } else {
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  }
  return text;
}

// Splits "a\nb\r\n" into lines without their terminators.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string_view line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.emplace_back(line);
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return lines;
}

bool IsHex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

std::string EncodeManifestPath(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\n') {
      out += "%0A";
    } else if (c == '\r') {
      out += "%0D";
    } else {
      out += c;
    }
  }
  return out;
}

std::string DecodeManifestPath(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size()) {
      std::string code = Lower(path.substr(i + 1, 2));
      if (code == "25") {
        out += '%';
        i += 2;
        continue;
      }
      if (code == "0a") {
        out += '\n';
        i += 2;
        continue;
      }
      if (code == "0d") {
        out += '\r';
        i += 2;
        continue;
      }
    }
    out += path[i];
  }
  return out;
}

Result<std::vector<ZipEntry>> BuildBag(std::string_view top_dir,
                                       const std::vector<BagFile>& payload, const BagInfo& info) {
  std::set<std::string> seen_lower;
  std::vector<std::pair<std::string, std::string>> data;
  std::int64_t octets = 0;
  for (const BagFile& file : payload) {
    if (file.path.empty() || file.path.front() == '/' ||
        file.path.find("..") != std::string::npos) {
      return Status::InvalidInput("payload path '" + file.path + "' is not a plain relative path");
    }
    if (!seen_lower.insert(Lower(file.path)).second) {
      // bagit-python #81 / bagit-java #68: names equal up to case break on other systems.
      return Status::InvalidInput("payload path '" + file.path +
                                  "' repeats another path (names may not differ only in case)");
    }
    data.emplace_back("data/" + file.path, file.bytes);
    octets += static_cast<std::int64_t>(file.bytes.size());
  }
  std::string prefix = top_dir.empty() ? "" : std::string(top_dir) + "/";
  std::string bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
  std::string bag_info;
  for (const auto& [key, value] : info) {
    std::string flat = value;
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    std::replace(flat.begin(), flat.end(), '\r', ' ');
    bag_info += key + ": " + flat + "\n";
  }
  bag_info += "Payload-Oxum: " + std::to_string(octets) + "." + std::to_string(data.size()) + "\n";
  bag_info += "Bag-Size: " + HumanSize(octets) + "\n";
  std::string manifest256 = Manifest(data, Sha256Hex);
  std::string manifest512 = Manifest(data, Sha512Hex);
  std::vector<std::pair<std::string, std::string>> tags = {{"bagit.txt", bagit},
                                                           {"bag-info.txt", bag_info},
                                                           {"manifest-sha256.txt", manifest256},
                                                           {"manifest-sha512.txt", manifest512}};
  std::string tagmanifest = Manifest(tags, Sha256Hex);

  std::vector<ZipEntry> entries;
  entries.push_back({prefix + "bagit.txt", bagit});
  entries.push_back({prefix + "bag-info.txt", bag_info});
  for (auto& [path, bytes] : data) {
    entries.push_back({prefix + path, std::move(bytes)});
  }
  entries.push_back({prefix + "manifest-sha256.txt", manifest256});
  entries.push_back({prefix + "manifest-sha512.txt", manifest512});
  entries.push_back({prefix + "tagmanifest-sha256.txt", tagmanifest});
  return entries;
}

BagReport VerifyBag(const std::vector<ZipEntry>& entries,
                    const std::vector<ZipReadProblem>& read_problems) {
  BagReport report;
  // The bag is either the archive root or its single top-level directory.
  std::set<std::string> tops;
  bool root_bagit = false;
  for (const ZipEntry& entry : entries) {
    if (entry.name == "bagit.txt") {
      root_bagit = true;
    }
    std::size_t slash = entry.name.find('/');
    tops.insert(slash == std::string::npos ? "" : entry.name.substr(0, slash));
  }
  for (const ZipReadProblem& problem : read_problems) {
    std::size_t slash = problem.name.find('/');
    tops.insert(slash == std::string::npos ? "" : problem.name.substr(0, slash));
  }
  std::string prefix;
  if (!root_bagit && tops.size() == 1 && !tops.begin()->empty()) {
    report.top_dir = *tops.begin();
    prefix = report.top_dir + "/";
  }
  std::map<std::string, const std::string*> files;  // bag-relative path -> bytes
  for (const ZipEntry& entry : entries) {
    std::string path = entry.name;
    if (!prefix.empty()) {
      if (path.rfind(prefix, 0) != 0) {
        report.problems.push_back({path, "extra", "outside the bag directory " + report.top_dir});
        continue;
      }
      path = path.substr(prefix.size());
    }
    files[path] = &entry.bytes;
  }
  std::set<std::string> corrupted;
  for (const ZipReadProblem& problem : read_problems) {
    std::string path = problem.name;
    if (!prefix.empty() && path.rfind(prefix, 0) == 0) {
      path = path.substr(prefix.size());
    }
    corrupted.insert(path);
    report.problems.push_back({path, "corrupted", problem.problem});
  }
  auto present = [&](const std::string& path) {
    return files.count(path) > 0 || corrupted.count(path) > 0;
  };

  // Structure.
  auto bagit = files.find("bagit.txt");
  if (bagit == files.end()) {
    if (!corrupted.count("bagit.txt")) {
      report.problems.push_back({"bagit.txt", "missing", "required by RFC 8493"});
    }
  } else {
    const std::string& text = *bagit->second;
    if (text.rfind("BagIt-Version: ", 0) != 0 ||
        text.find("Tag-File-Character-Encoding: UTF-8") == std::string::npos) {
      report.problems.push_back(
          {"bagit.txt", "invalid",
           "must declare BagIt-Version and Tag-File-Character-Encoding: UTF-8"});
    }
  }

  // Payload manifests.
  std::set<std::string> payload;
  std::int64_t payload_bytes = 0;
  for (const auto& [path, bytes] : files) {
    if (path.rfind("data/", 0) == 0) {
      payload.insert(path);
      payload_bytes += static_cast<std::int64_t>(bytes->size());
    }
  }
  for (const std::string& path : corrupted) {
    if (path.rfind("data/", 0) == 0) {
      payload.insert(path);
    }
  }
  report.payload_files = static_cast<std::int64_t>(payload.size());
  report.payload_bytes = payload_bytes;
  std::set<std::string> tag_files_listed;
  auto check_manifest = [&](const std::string& manifest_name, const std::string& algorithm,
                            bool is_tag) {
    auto found = files.find(manifest_name);
    if (found == files.end()) {
      return;
    }
    std::string (*hash)(std::string_view) = algorithm == "sha256" ? Sha256Hex : Sha512Hex;
    std::set<std::string> listed;
    int line_number = 0;
    for (const std::string& line : Lines(*found->second)) {
      ++line_number;
      if (line.empty()) {
        continue;
      }
      std::size_t space = line.find_first_of(" \t");
      std::size_t path_start =
          space == std::string::npos ? std::string::npos : line.find_first_not_of(" \t", space);
      std::string digest = Lower(line.substr(0, space));
      if (path_start == std::string::npos || !IsHex(digest)) {
        report.problems.push_back(
            {manifest_name, "invalid",
             "line " + std::to_string(line_number) + " is not '<checksum> <path>'"});
        continue;
      }
      std::string path = DecodeManifestPath(line.substr(path_start));
      if (path.rfind("./", 0) == 0) {
        path = path.substr(2);
      }
      listed.insert(path);
      if (is_tag) {
        tag_files_listed.insert(path);
      }
      auto file = files.find(path);
      if (file == files.end()) {
        if (!corrupted.count(path)) {
          report.problems.push_back(
              {path, "missing", "listed in " + manifest_name + " but not in the bag"});
        }
        continue;
      }
      if (hash(*file->second) != digest) {
        report.problems.push_back(
            {path, "corrupted", algorithm + " does not match " + manifest_name});
      }
    }
    if (!is_tag) {
      for (const std::string& path : payload) {
        if (!listed.count(path)) {
          report.problems.push_back({path, "extra", "payload file not listed in " + manifest_name});
        }
      }
    }
  };
  bool any_manifest = false;
  for (const auto& [path, bytes] : files) {
    (void)bytes;
    if (path.rfind("manifest-", 0) == 0 && path.size() > 13 &&
        path.substr(path.size() - 4) == ".txt" && path.find('/') == std::string::npos) {
      any_manifest = true;
      std::string algorithm = path.substr(9, path.size() - 13);
      if (algorithm != "sha256" && algorithm != "sha512") {
        report.problems.push_back({path, "invalid", "unsupported algorithm " + algorithm});
        continue;
      }
      report.manifests.push_back(algorithm);
      check_manifest(path, algorithm, false);
    }
  }
  if (!any_manifest) {
    report.problems.push_back(
        {"manifest-sha256.txt", "missing", "a bag needs at least one payload manifest"});
  }
  for (const auto& [path, bytes] : files) {
    (void)bytes;
    if (path.rfind("tagmanifest-", 0) == 0 && path.find('/') == std::string::npos) {
      std::string algorithm = path.substr(12, path.size() - 16);
      if (algorithm != "sha256" && algorithm != "sha512") {
        report.problems.push_back({path, "invalid", "unsupported algorithm " + algorithm});
        continue;
      }
      check_manifest(path, algorithm, true);
    }
  }
  // Tag files: every one must be covered by the tag manifest (the Sunshine profile), so that a
  // changed bag-info.txt or a manifest line edited together with its file is caught.
  bool has_tagmanifest = false;
  for (const auto& [path, bytes] : files) {
    (void)bytes;
    has_tagmanifest = has_tagmanifest || path.rfind("tagmanifest-", 0) == 0;
  }
  if (!has_tagmanifest && !corrupted.count("tagmanifest-sha256.txt")) {
    report.problems.push_back({"tagmanifest-sha256.txt", "missing",
                               "the Sunshine package profile requires a tag manifest"});
  }
  for (const auto& [path, bytes] : files) {
    (void)bytes;
    if (path.rfind("data/", 0) == 0 || path.rfind("tagmanifest-", 0) == 0) {
      continue;
    }
    if (has_tagmanifest && !tag_files_listed.count(path)) {
      report.problems.push_back({path, "extra", "tag file not listed in the tag manifest"});
    }
  }
  // Payload-Oxum: octets.streamcount of the payload.
  auto info = files.find("bag-info.txt");
  if (info != files.end()) {
    for (const std::string& line : Lines(*info->second)) {
      if (line.rfind("Payload-Oxum:", 0) == 0) {
        std::string value = line.substr(13);
        value.erase(0, value.find_first_not_of(" \t"));
        std::string expected =
            std::to_string(report.payload_bytes) + "." + std::to_string(report.payload_files);
        if (value != expected && corrupted.empty()) {
          report.problems.push_back({"bag-info.txt", "invalid",
                                     "Payload-Oxum " + value + " but the payload is " + expected});
        }
      }
    }
  }
  if (!present("bagit.txt") && !present("bag-info.txt") && payload.empty()) {
    report.problems.push_back({"data/", "missing", "no payload directory"});
  }
  std::sort(report.problems.begin(), report.problems.end(),
            [](const BagProblem& a, const BagProblem& b) {
              return a.path != b.path ? a.path < b.path : a.kind < b.kind;
            });
  return report;
}

Result<BagReport> VerifyBagZip(const Path& zip_file) {
  std::vector<ZipReadProblem> problems;
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<ZipEntry> entries, ReadZip(zip_file, &problems));
  return VerifyBag(entries, problems);
}

}  // namespace sunshine
