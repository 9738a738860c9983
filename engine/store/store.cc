#include "engine/store/store.h"

#include "engine/store/migrations.h"
#include "engine/store/sqlite_database.h"

namespace sunshine {

namespace fs = boost::filesystem;

Store::Store(Home home, std::unique_ptr<Database> db, Config config)
    : home_(std::move(home)),
      db_(std::move(db)),
      blobs_(home_.blobs_dir(), db_.get()),
      config_(std::move(config)) {
  // Blob files written in a transaction are made durable before its rows commit.
  db_->SetBeforeCommit([this] { return blobs_.Sync(); });
}

namespace {

Result<Config> LoadConfig(const Home& home, const std::optional<std::string>& override_path) {
  Path file = override_path && !override_path->empty() ? Path(*override_path) : home.config_file();
  auto config = Config::Load(file);
  if (!config.ok() && config.status().code() == StatusCode::kNotFound && !override_path) {
    return Config();  // a home without sunshine.toml runs on defaults
  }
  return config;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const Home& home, StoreAccess access,
                                           const std::optional<std::string>& config_override) {
  if (!home.Exists()) {
    return Status::NotFound("no Sunshine store at " + home.root().string() +
                            " (run 'sunshine init --home " + home.root().string() +
                            "' first, or set --home / SUNSHINE_HOME)");
  }
  auto config = LoadConfig(home, config_override);
  if (!config.ok()) {
    return config.status();
  }
  SqliteOptions options;
  options.read_only = access == StoreAccess::kReadOnly;
  auto db = OpenSqliteDatabase(home.database_file(), options);
  if (!db.ok()) {
    return db.status();
  }
  if (access == StoreAccess::kReadOnly) {
    SUNSHINE_RETURN_IF_ERROR(CheckSchemaVersion(**db));
  } else {
    SUNSHINE_RETURN_IF_ERROR(MigrateToLatest(**db));
  }
  return std::unique_ptr<Store>(new Store(home, std::move(*db), std::move(*config)));
}

Result<std::unique_ptr<Store>> Store::Init(const Home& home, bool* created) {
  bool made = false;
  for (const Path& dir :
       {home.root(), home.blobs_dir(), home.quarantine_dir(), home.output_dir()}) {
    boost::system::error_code ec;
    if (!fs::exists(dir, ec)) {
      fs::create_directories(dir, ec);
      if (ec) {
        return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
      }
      made = true;
    }
  }
  boost::system::error_code ec;
  if (!fs::exists(home.config_file(), ec)) {
    SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(home.config_file(), DefaultConfigText()));
    made = true;
  }
  if (!home.Exists()) {
    made = true;
  }
  auto db = OpenSqliteDatabase(home.database_file());
  if (!db.ok()) {
    return db.status();
  }
  auto before = CurrentSchemaVersion(**db);
  if (!before.ok()) {
    return before.status();
  }
  SUNSHINE_RETURN_IF_ERROR(MigrateToLatest(**db));
  if (*before < LatestSchemaVersion()) {
    made = true;
  }
  auto config = Config::Load(home.config_file());
  if (!config.ok()) {
    return config.status();
  }
  if (created != nullptr) {
    *created = made;
  }
  return std::unique_ptr<Store>(new Store(home, std::move(*db), std::move(*config)));
}

}  // namespace sunshine
