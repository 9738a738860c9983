// BagIt (RFC 8493, version 1.0) bags for transfers to the Missouri State Archives: bagit.txt,
// bag-info.txt, data/, manifest-sha256.txt and tagmanifest-sha256.txt. Hand-written (about a
// hundred lines) because Debian packages no C++ BagIt library; the layout is small and fixed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"

namespace sunshine {

struct BagPayloadFile {
  std::string path;  // relative to data/, '/'-separated, no "..", no CR/LF
  std::string bytes;
};

using BagInfoFields = std::vector<std::pair<std::string, std::string>>;

// Writes the bag into `dir` through `dir`.tmp and a rename, so a killed write leaves either
// no bag or a whole one. AlreadyExists if `dir` exists (verify it instead).
Status WriteBag(const Path& dir, const std::vector<BagPayloadFile>& payload,
                const BagInfoFields& info);

// Complete (every payload file listed, every listed file present) and valid (every
// checksum verifies), for payload and tag manifests. Corruption naming the first problem.
Status VerifyBag(const Path& dir);

}  // namespace sunshine
