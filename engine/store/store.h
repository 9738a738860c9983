// An opened Sunshine home: the database, the blob store and the configuration together.
// Commands get one from the CLI driver, opened once with the access their spec declares.
#pragma once

#include <memory>
#include <string>

#include "engine/core/clock.h"
#include "engine/store/blob_store.h"
#include "engine/store/config.h"
#include "engine/store/database.h"
#include "engine/store/home.h"

namespace sunshine {

enum class StoreAccess : std::uint8_t { kNone, kReadOnly, kReadWrite };

class Store {
 public:
  // NotFound with a hint to run `sunshine init` if the home has no database.
  // Read-write opening migrates an older schema; read-only fails on any version mismatch.
  static Result<std::unique_ptr<Store>> Open(
      const Home& home, StoreAccess access, const std::optional<std::string>& config_override = {});
  // Creates the folders, the commented configuration (kept if present) and the database.
  // Idempotent: `created` tells whether anything new was made.
  static Result<std::unique_ptr<Store>> Init(const Home& home, bool* created = nullptr);

  const Home& home() const { return home_; }
  Database& db() { return *db_; }
  BlobStore& blobs() { return blobs_; }
  const Config& config() const { return config_; }

 private:
  Store(Home home, std::unique_ptr<Database> db, Config config);

  Home home_;
  std::unique_ptr<Database> db_;
  BlobStore blobs_;
  Config config_;
};

}  // namespace sunshine
