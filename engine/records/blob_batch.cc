#include "engine/records/blob_batch.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "engine/core/sha256.h"

namespace sunshine {

namespace fs = boost::filesystem;

Result<std::string> BlobBatch::Write(std::string_view bytes) {
  std::string sha = Sha256Hex(bytes);
  Path target = blobs_.PathOf(sha);
  boost::system::error_code ec;
  auto size = fs::file_size(target, ec);
  if (!ec && size == bytes.size()) {
    return sha;
  }
  fs::create_directories(target.parent_path(), ec);
  if (ec) {
    return Status::IoError("cannot create " + target.parent_path().string() + ": " + ec.message());
  }
  static std::atomic<unsigned> counter{0};
  Path temp = target;
  temp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(temp.string(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      fs::remove(temp, ec);
      return Status::IoError("cannot write " + temp.string());
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    return Status::IoError("cannot rename into " + target.string() + ": " + ec.message());
  }
  dirty_ = true;
  ++written_;
  return sha;
}

Status BlobBatch::Sync() {
  if (!dirty_) {
    return {};
  }
  int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    return Status::IoError("cannot open " + dir_.string() + " to sync: " + std::strerror(errno));
  }
  int rc = ::syncfs(fd);
  ::close(fd);
  if (rc != 0) {
    return Status::IoError("syncfs failed for " + dir_.string() + ": " + std::strerror(errno));
  }
  dirty_ = false;
  return {};
}

}  // namespace sunshine
