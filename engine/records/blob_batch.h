// Batched durability for bulk imports. BlobStore::Put fsyncs every file (about 7 ms each
// here), which caps an import at ~100 messages/s. An importer pre-writes a batch's blobs
// with Write (temp + rename, no fsync), calls Sync once before committing the batch's
// transaction (one syncfs for the whole batch), and RecordRepository::Put then finds each
// file present and only records its row. A crash before Sync leaves files no committed row
// refers to; Write re-checks the size of an existing file so a torn one is rewritten.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/store/blob_store.h"

namespace sunshine {

class BlobBatch {
 public:
  explicit BlobBatch(BlobStore& blobs, Path dir) : blobs_(blobs), dir_(std::move(dir)) {}

  // Writes the blob file if it is not already there with this size. Returns the SHA-256.
  Result<std::string> Write(std::string_view bytes);
  // Makes every file written since the last Sync durable.
  Status Sync();
  std::int64_t written() const { return written_; }

 private:
  BlobStore& blobs_;
  Path dir_;
  bool dirty_ = false;
  std::int64_t written_ = 0;
};

}  // namespace sunshine
