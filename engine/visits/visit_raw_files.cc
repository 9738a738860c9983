#include "engine/visits/visit_raw_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_set>

namespace sunshine {

namespace {

Status Errno(const std::string& what, const Path& path) {
  return Status::IoError(what + " " + path.string() + ": " + std::strerror(errno));
}

// Writes all of `bytes` at `offset` (write(2) may write less than asked).
bool WriteAll(int fd, const char* bytes, std::size_t size, off_t offset) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd, bytes, size, offset);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    bytes += n;
    size -= static_cast<std::size_t>(n);
    offset += n;
  }
  return true;
}

Status FsyncDir(const Path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Errno("cannot open", dir);
  }
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status() : Errno("cannot sync", dir);
}

// Block files are named by 16 random bytes in hex and end in ".lz4".
bool IsBlockName(std::string_view name) {
  return name.size() == 36 && name.ends_with(".lz4") &&
         std::all_of(name.begin(), name.end() - 4,
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Path VisitRawDir(const Home& home) { return home.root() / "visits-raw"; }

VisitRawFileWriter::~VisitRawFileWriter() { Discard(); }

Result<VisitRawFileWriter::Placed> VisitRawFileWriter::Append(const std::string& day,
                                                              std::string_view bytes) {
  for (Pending& file : pending_) {  // a batch has a file or two per day: a scan is enough
    if (file.day == day && file.fd >= 0) {
      Placed placed{file.name, file.size};
      if (!WriteAll(file.fd, bytes.data(), bytes.size(), static_cast<off_t>(file.size))) {
        return Errno("cannot write", dir_ / file.name);  // destroyed by Discard with the batch
      }
      file.size += static_cast<std::int64_t>(bytes.size());
      return placed;
    }
  }
  if (!dir_ready_) {
    boost::system::error_code ec;
    bool created = boost::filesystem::create_directories(dir_, ec);
    if (ec) {
      return Status::IoError("cannot create " + dir_.string() + ": " + ec.message());
    }
    if (created) {  // the folder's own entry must survive a crash like its files
      SUNSHINE_RETURN_IF_ERROR(FsyncDir(dir_.parent_path()));
    }
    dir_ready_ = true;
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  unsigned char id[16];
  std::string name(36, '0');
  int fd = -1;
  Path path;
  do {  // O_EXCL: a name is never reused (a clash of 128 random bits only retries)
    randombytes_buf(id, sizeof(id));
    for (std::size_t i = 0; i < sizeof(id); ++i) {
      name[2 * i] = kDigits[id[i] >> 4];
      name[2 * i + 1] = kDigits[id[i] & 15];
    }
    name.replace(32, 4, ".lz4");
    path = dir_ / name;
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  } while (fd < 0 && errno == EEXIST);
  if (fd < 0) {
    return Errno("cannot create", path);
  }
  pending_.push_back({day, name, fd, static_cast<std::int64_t>(bytes.size())});
  if (!WriteAll(fd, bytes.data(), bytes.size(), 0)) {
    return Errno("cannot write", path);  // destroyed by Discard with the batch
  }
  return Placed{name, 0};
}

Status VisitRawFileWriter::Sync() {
  bool any = false;
  for (Pending& file : pending_) {
    if (file.fd < 0) {
      continue;
    }
    any = true;
    // fdatasync: the size changed, so it writes the inode too, but not the timestamps.
    int rc = ::fdatasync(file.fd);
    ::close(file.fd);
    file.fd = -1;
    if (rc != 0) {
      return Errno("cannot sync", dir_ / file.name);
    }
  }
  return any ? FsyncDir(dir_) : Status();
}

void VisitRawFileWriter::Committed() {
  for (Pending& file : pending_) {
    if (file.fd >= 0) {
      ::close(file.fd);
    }
  }
  pending_.clear();
}

void VisitRawFileWriter::Discard() {
  for (Pending& file : pending_) {
    if (file.fd >= 0) {
      ::close(file.fd);
    }
    // Best effort: what cannot be destroyed now is an orphan the next purge destroys.
    (void)DestroyVisitRawFile(dir_, file.name);
  }
  pending_.clear();
}

Status DestroyVisitRawFile(const Path& dir, const std::string& name) {
  Path path = dir / name;
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return errno == ENOENT ? Status() : Errno("cannot open", path);
  }
  // Zeros over the bytes and a sync before the unlink, so the lines do not survive in the
  // freed disk blocks (an unsynced overwrite of a file about to be unlinked may never reach
  // the disk).
  struct stat info {};
  bool ok = ::fstat(fd, &info) == 0;
  if (ok && info.st_size > 0) {
    std::string zeros(static_cast<std::size_t>(std::min<off_t>(info.st_size, 1 << 20)), '\0');
    for (off_t at = 0; ok && at < info.st_size;) {
      std::size_t n = static_cast<std::size_t>(
          std::min<off_t>(info.st_size - at, static_cast<off_t>(zeros.size())));
      ok = WriteAll(fd, zeros.data(), n, at);
      at += static_cast<off_t>(n);
    }
    ok = ok && ::fdatasync(fd) == 0;
  }
  ::close(fd);
  if (!ok) {
    return Errno("cannot overwrite", path);
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Errno("cannot remove", path);
  }
  return {};
}

Result<std::int64_t> SweepOrphanVisitRawFiles(Database& db, const Path& dir) {
  DIR* listing = ::opendir(dir.c_str());
  if (listing == nullptr) {
    return errno == ENOENT ? Result<std::int64_t>(std::int64_t{0}) : Errno("cannot list", dir);
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(listing)) {
    if (IsBlockName(entry->d_name)) {
      names.emplace_back(entry->d_name);
    }
  }
  ::closedir(listing);
  if (names.empty()) {
    return std::int64_t{0};
  }
  std::unordered_set<std::string> named;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT file FROM visit_raw_blocks WHERE file IS NOT NULL", {}, [&](const Row& row) {
        named.insert(row.Text(0));
        return Status();
      }));
  std::int64_t destroyed = 0;
  for (const std::string& name : names) {
    if (!named.contains(name)) {
      SUNSHINE_RETURN_IF_ERROR(DestroyVisitRawFile(dir, name));
      ++destroyed;
    }
  }
  return destroyed;
}

}  // namespace sunshine
