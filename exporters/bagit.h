// BagIt bags (RFC 8493, version 1.0) serialised as a ZIP with one top-level directory, as
// used by Sunshine disclosure packages (docs/formats/disclosure-package.md). Payload files
// are listed in both manifest-sha256.txt and manifest-sha512.txt; every other tag file is
// listed in tagmanifest-sha256.txt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"
#include "exporters/zip_archive.h"

namespace sunshine {

struct BagFile {
  std::string path;  // relative to the bag's data/ directory: "records/SOS-000001.pdf"
  std::string bytes;
};

// bag-info.txt fields in order. Payload-Oxum, Bag-Size and Bagging-Date's neighbours are
// added by BuildBag; give Bagging-Date yourself so the output is reproducible.
using BagInfo = std::vector<std::pair<std::string, std::string>>;

// The ZIP entries of a complete bag under `top_dir`/ (bagit.txt, bag-info.txt, data/...,
// manifest-sha256.txt, manifest-sha512.txt, tagmanifest-sha256.txt). InvalidInput if two
// payload paths are equal, differ only in case, or are not relative.
Result<std::vector<ZipEntry>> BuildBag(std::string_view top_dir,
                                       const std::vector<BagFile>& payload, const BagInfo& info);

struct BagProblem {
  std::string path;  // relative to the bag root: "data/index.csv"
  std::string kind;  // missing | extra | corrupted | invalid
  std::string detail;
};

struct BagReport {
  std::string top_dir;
  std::int64_t payload_files = 0;
  std::int64_t payload_bytes = 0;
  std::vector<std::string> manifests;  // algorithms checked: "sha256", "sha512"
  std::vector<BagProblem> problems;
  bool ok() const { return problems.empty(); }
};

// Checks structure (bagit.txt, data/, at least one manifest), completeness (every payload
// file in every manifest, every listed file present) and validity (every checksum, the
// Payload-Oxum). `read_problems` are entries the ZIP reader could not read (reported as
// corrupted).
BagReport VerifyBag(const std::vector<ZipEntry>& entries,
                    const std::vector<ZipReadProblem>& read_problems);
// Reads the ZIP and verifies it. Corruption if the file is not a readable ZIP at all.
Result<BagReport> VerifyBagZip(const Path& zip_file);

// RFC 8493 2.1.3: CR, LF and % in manifest paths are percent-encoded.
std::string EncodeManifestPath(std::string_view path);
std::string DecodeManifestPath(std::string_view path);

}  // namespace sunshine
