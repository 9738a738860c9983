#include "engine/store/blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/core/clock.h"
#include "engine/core/sha256.h"
#include "engine/core/time_format.h"

namespace sunshine {

namespace fs = boost::filesystem;

namespace {

std::string TempSuffix() {
  static std::atomic<unsigned> counter{0};
  return ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

}  // namespace

Status FsyncPath(const Path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IoError("cannot open " + path.string() + " to sync");
  }
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) {
    return Status::IoError("fsync failed for " + path.string());
  }
  return {};
}

namespace {

bool ValidSha(std::string_view sha) {
  if (sha.size() != 64) {
    return false;
  }
  for (char c : sha) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

Status WriteFileAtomically(const Path& target, std::string_view bytes, bool durable) {
  boost::system::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) {
    return Status::IoError("cannot create " + target.parent_path().string() + ": " + ec.message());
  }
  Path temp = target;
  temp += TempSuffix();
  {
    std::ofstream out(temp.string(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      fs::remove(temp, ec);
      return Status::IoError("cannot write " + temp.string());
    }
  }
  if (durable) {
    SUNSHINE_RETURN_IF_ERROR(FsyncPath(temp));
  }
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    return Status::IoError("cannot rename into " + target.string() + ": " + ec.message());
  }
  return durable ? FsyncPath(target.parent_path()) : Status();
}

Result<std::string> ReadFile(const Path& file) {
  std::ifstream in(file.string(), std::ios::binary);
  if (!in) {
    return Status::IoError("cannot open " + file.string());
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Path BlobStore::PathOf(std::string_view sha256) const {
  std::string sha(sha256);
  return dir_ / sha.substr(0, 2) / sha;
}

Result<std::optional<std::string>> BlobStore::ReadInline(std::string_view sha256) const {
  std::optional<std::string> bytes;
  SUNSHINE_RETURN_IF_ERROR(db_->Query("SELECT bytes FROM blob_content WHERE sha256 = $1",
                                      {std::string(sha256)}, [&](const Row& row) {
                                        bytes = row.Text(0);
                                        return Status();
                                      }));
  return bytes;
}

bool BlobStore::Exists(std::string_view sha256) const {
  auto inline_bytes =
      db_->QueryInt("SELECT 1 FROM blob_content WHERE sha256 = $1", {std::string(sha256)});
  if (inline_bytes.ok() && inline_bytes->has_value()) {
    return true;
  }
  boost::system::error_code ec;
  return fs::exists(PathOf(sha256), ec);
}

Status BlobStore::Sync() {
  if (unsynced_.empty()) {
    return {};
  }
  // One syncfs for the batch: far cheaper than an fsync per file and per folder when an
  // import writes thousands of small blobs in one transaction.
  int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IoError("cannot open " + dir_.string() + " to sync");
  }
  int rc = ::syncfs(fd);
  ::close(fd);
  if (rc != 0) {
    return Status::IoError("syncfs failed for " + dir_.string());
  }
  unsynced_.clear();
  return {};
}

Result<std::string> BlobStore::Put(Database& db, std::string_view bytes) {
  return Put(db, bytes, Sha256Hex(bytes));
}

Result<std::string> BlobStore::Put(Database& db, std::string_view bytes, std::string sha) {
  if (bytes.size() < kInlineLimit) {
    // CAST: the bytes are binary, not text, whatever the binding says.
    SUNSHINE_RETURN_IF_ERROR(
        db.Exec("INSERT INTO blob_content (sha256, bytes) VALUES ($1, CAST($2 AS BLOB)) "
                "ON CONFLICT (sha256) DO NOTHING",
                {sha, std::string(bytes)}));
  } else {
    // A file of the wrong size is a torn write from a crash before its transaction
    // committed: write it again.
    boost::system::error_code size_ec;
    auto existing_size = fs::file_size(PathOf(sha), size_ec);
    if (size_ec || existing_size != bytes.size()) {
      SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(PathOf(sha), bytes, /*durable=*/false));
      unsynced_.push_back(PathOf(sha));
    }
  }
  SUNSHINE_RETURN_IF_ERROR(db.Exec(
      // Hashed just now, so the first fixity check is due one cycle after storage.
      "INSERT INTO blobs (sha256, size, stored_at, fixity_checked) VALUES ($1, $2, $3, $3) "
      "ON CONFLICT (sha256) DO NOTHING",
      {sha, static_cast<std::int64_t>(bytes.size()), ToEpoch(Clock::WallNow())}));
  // A blob queued for deletion by an earlier destruction and stored again is live again.
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM blob_deletions WHERE sha256 = $1", {sha}));
  return sha;
}

Result<std::string> BlobStore::PutFile(Database& db, const Path& file) {
  auto bytes = ReadFile(file);
  if (!bytes.ok()) {
    return bytes.status();
  }
  return Put(db, *bytes);
}

Result<std::string> BlobStore::Read(std::string_view sha256) const {
  if (!ValidSha(sha256)) {
    return Status::InvalidInput(std::string("'").append(sha256) + "' is not a SHA-256");
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::optional<std::string> inline_bytes, ReadInline(sha256));
  if (inline_bytes) {
    return std::move(*inline_bytes);
  }
  Path path = PathOf(sha256);
  boost::system::error_code ec;
  if (!fs::exists(path, ec)) {
    return Status::NotFound("blob " + std::string(sha256) + " is missing from the store (" +
                            dir_.string() + ")");
  }
  return ReadFile(path);
}

Status BlobStore::QueueDeletion(Database& db, std::string_view sha256) {
  std::string sha(sha256);
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM blobs WHERE sha256 = $1", {sha}));
  // Inline bytes go with the destroying transaction (secure_delete zeroes their pages; the
  // destroyer checkpoints the log). A file, if any, is removed after commit.
  SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM blob_content WHERE sha256 = $1", {sha}));
  return db.Exec(
      "INSERT INTO blob_deletions (sha256, queued_at) VALUES ($1, $2) "
      "ON CONFLICT (sha256) DO NOTHING",
      {sha, ToEpoch(Clock::WallNow())});
}

Result<std::int64_t> BlobStore::ProcessPendingDeletions(Database& db) {
  std::vector<std::string> queued;
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT sha256 FROM blob_deletions ORDER BY sha256", {}, [&](const Row& row) {
        queued.push_back(row.Text(0));
        return Status();
      }));
  std::int64_t removed = 0;
  for (const std::string& sha : queued) {
    if (!ValidSha(sha)) {
      continue;
    }
    boost::system::error_code ec;
    Path path = PathOf(sha);
    if (fs::exists(path, ec)) {
      // Overwrite before unlinking so the bytes do not survive in freed disk blocks on
      // simple filesystems (best effort: journaling and SSDs may keep copies).
      std::error_code ignored;
      auto size = fs::file_size(path, ec);
      if (!ec) {
        std::ofstream zero(path.string(), std::ios::binary | std::ios::in | std::ios::out);
        std::string zeros(static_cast<std::size_t>(std::min<std::uintmax_t>(size, 1 << 20)), '\0');
        for (std::uintmax_t left = size; left > 0 && zero;) {
          auto n = std::min<std::uintmax_t>(left, zeros.size());
          zero.write(zeros.data(), static_cast<std::streamsize>(n));
          left -= n;
        }
      }
      fs::remove(path, ec);
      if (ec) {
        return Status::IoError("cannot remove " + path.string() + ": " + ec.message());
      }
      ++removed;
    }
    auto txn = Transaction::Begin(db);
    if (!txn.ok()) {
      return txn.status();
    }
    // Only forget the deletion if no record re-stored the blob meanwhile.
    SUNSHINE_RETURN_IF_ERROR(db.Exec("DELETE FROM blob_deletions WHERE sha256 = $1", {sha}));
    SUNSHINE_RETURN_IF_ERROR((*txn)->Commit());
  }
  return removed;
}

Result<FixityReport> BlobStore::CheckFixity(Database& db, std::int64_t cycle_days,
                                            std::int64_t now_epoch) {
  if (cycle_days < 1) {
    cycle_days = 1;
  }
  auto total = db.QueryInt("SELECT count(*) FROM blobs");
  if (!total.ok()) {
    return total.status();
  }
  std::int64_t count = total->value_or(0);
  std::int64_t share = (count + cycle_days - 1) / cycle_days;
  // Also everything not checked within the cycle, so a backlog never builds up.
  std::int64_t cutoff = now_epoch - cycle_days * 86400;
  std::vector<std::pair<std::string, std::int64_t>> batch;
  SUNSHINE_RETURN_IF_ERROR(db.Query(
      "SELECT sha256, size FROM blobs ORDER BY coalesce(fixity_checked, 0), sha256 LIMIT $1",
      {std::max<std::int64_t>(share, 1)}, [&](const Row& row) {
        batch.emplace_back(row.Text(0), row.Int(1));
        return Status();
      }));
  SUNSHINE_RETURN_IF_ERROR(
      db.Query("SELECT sha256, size FROM blobs WHERE coalesce(fixity_checked, 0) < $1 "
               "ORDER BY sha256 LIMIT 100000",
               {cutoff}, [&](const Row& row) {
                 batch.emplace_back(row.Text(0), row.Int(1));
                 return Status();
               }));
  std::sort(batch.begin(), batch.end());
  batch.erase(std::unique(batch.begin(), batch.end()), batch.end());

  FixityReport report;
  for (const auto& [sha, size] : batch) {
    ++report.checked;
    Path path = PathOf(sha);
    boost::system::error_code ec;
    bool ok = false;
    SUNSHINE_ASSIGN_OR_RETURN(std::optional<std::string> inline_bytes, ReadInline(sha));
    if (inline_bytes) {
      ok = Sha256Hex(*inline_bytes) == sha;
      report.bytes += size;
      if (!ok) {
        ++report.mismatched;
      }
    } else if (!fs::exists(path, ec)) {
      ++report.missing;
    } else {
      auto actual = Sha256File(path);
      ok = actual.ok() && *actual == sha;
      report.bytes += size;
      if (!ok) {
        ++report.mismatched;
      }
    }
    if (ok) {
      SUNSHINE_RETURN_IF_ERROR(
          db.Exec("UPDATE blobs SET fixity_checked = $1 WHERE sha256 = $2", {now_epoch, sha}));
    } else {
      report.bad.push_back(sha);
      SUNSHINE_RETURN_IF_ERROR(
          db.Exec("UPDATE blobs SET fixity_failed = $1, fixity_checked = $1 WHERE sha256 = $2",
                  {now_epoch, sha}));
    }
  }
  return report;
}

}  // namespace sunshine
