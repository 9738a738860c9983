#include "engine/visits/visit_import.h"

#include <fcntl.h>
#include <lz4frame.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include <array>
#include <cstring>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "engine/audit/audit_log.h"
#include "engine/core/time_format.h"
#include "engine/store/quarantine.h"
#include "engine/visits/visit_raw_files.h"
#include "importers/visits/access_log_parser.h"
#include "importers/visits/host_names.h"
#include "importers/visits/site_time_zone.h"
#include "importers/visits/user_agent_classifier.h"

namespace sunshine {

namespace {

constexpr std::size_t kRawBlockBytes = 1 << 20;  // raw lines per stored block (uncompressed)
// A compressed block this large or larger is a file (visit_raw_files.h), written once; a
// smaller one (a day's tail at a batch's end, a small log) stays in the row, so a small
// batch size does not make a file per line.
constexpr std::size_t kRawFileMinBytes = 64 << 10;
constexpr std::size_t kQuarantineGroupLines = 1000;  // malformed lines per quarantine item
constexpr std::size_t kVisitorKeyBytes = crypto_shorthash_siphashx24_KEYBYTES;
constexpr std::size_t kVisitorHashBytes = crypto_shorthash_siphashx24_BYTES;

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

bool FromHex(std::string_view hex, unsigned char* out, std::size_t size) {
  if (hex.size() != size * 2) {
    return false;
  }
  auto value = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : (c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1);
  };
  for (std::size_t i = 0; i < size; ++i) {
    int hi = value(hex[2 * i]);
    int lo = value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

// SHA-256 over a stream with digests of any prefix taken along the way.
class PrefixHash {
 public:
  PrefixHash() : ctx_(EVP_MD_CTX_new()), tmp_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr);
  }
  ~PrefixHash() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_CTX_free(tmp_);
  }
  PrefixHash(const PrefixHash&) = delete;
  PrefixHash& operator=(const PrefixHash&) = delete;
  void Update(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }
  std::string Digest() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_MD_CTX_copy_ex(tmp_, ctx_);
    EVP_DigestFinal_ex(tmp_, out, &size);
    return Hex(out, size);
  }

 private:
  EVP_MD_CTX* ctx_;
  EVP_MD_CTX* tmp_;
};

// Streams lines from a plain or gzip file (zlib reads both transparently). With a hash
// attached, every byte handed out is added to it in large runs (a per-line update costs
// more than the hashing itself): Hash() brings it up to the end of the last line returned.
// The buffer is allocated once and never zero-filled (a std::string resized per read
// memset every byte of the log once more); the kernel is told the file is read in order.
class LineReader {
 public:
  static Result<std::unique_ptr<LineReader>> Open(const Path& file) {
    int fd = ::open(file.string().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Status::IoError("cannot open " + file.string());
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // advice only: failure is harmless
    gzFile handle = gzdopen(fd, "rb");
    if (handle == nullptr) {
      ::close(fd);
      return Status::IoError("cannot open " + file.string());
    }
    gzbuffer(handle, 1 << 18);
    return std::unique_ptr<LineReader>(new LineReader(handle, file.string()));
  }
  ~LineReader() { gzclose(handle_); }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  void AttachHash(PrefixHash* hash) {
    hash_ = hash;
    hashed_ = start_;
  }
  // The attached hash, covering every byte up to the end of the last line returned.
  PrefixHash& Hash() {
    HashConsumed();
    return *hash_;
  }

  // The next line including its '\n' (absent on a last unterminated line). False at the end.
  Result<bool> Next(std::string_view& line) {
    while (true) {
      const char* begin = buffer_.get() + start_;
      const void* newline = std::memchr(begin, '\n', end_ - start_);
      if (newline != nullptr) {
        std::size_t length = static_cast<const char*>(newline) + 1 - begin;
        line = std::string_view(begin, length);
        start_ += length;
        return true;
      }
      if (eof_) {
        if (start_ < end_) {
          line = std::string_view(begin, end_ - start_);
          start_ = end_;
          return true;
        }
        return false;
      }
      HashConsumed();
      std::size_t have = end_ - start_;
      if (start_ > 0) {
        std::memmove(buffer_.get(), begin, have);
      }
      start_ = 0;
      hashed_ = 0;
      end_ = have;
      // At least a read's worth of room: a line longer than the buffer doubles it.
      std::size_t want = std::max<std::size_t>(kReadBytes, have);
      if (have + want > capacity_) {
        std::size_t capacity = have + want;
        std::unique_ptr<char[]> bigger(new char[capacity]);  // uninitialised on purpose
        std::memcpy(bigger.get(), buffer_.get(), have);
        buffer_ = std::move(bigger);
        capacity_ = capacity;
      }
      int got = gzread(handle_, buffer_.get() + have, static_cast<unsigned>(want));
      if (got < 0) {
        int code = 0;
        std::string message = gzerror(handle_, &code);
        return Status::IoError(path_ + ": read failed: " + message);
      }
      end_ = have + static_cast<std::size_t>(got);
      if (got == 0) {
        eof_ = true;
        int code = 0;
        const char* message = gzerror(handle_, &code);
        if (code != Z_OK && code != Z_BUF_ERROR) {
          return Status::IoError(path_ + ": " + message);
        }
      }
    }
  }

 private:
  static constexpr std::size_t kReadBytes = 1 << 20;
  LineReader(gzFile handle, std::string path)
      : handle_(handle),
        path_(std::move(path)),
        buffer_(new char[2 * kReadBytes]),
        capacity_(2 * kReadBytes) {}
  void HashConsumed() {
    if (hash_ != nullptr && start_ > hashed_) {
      hash_->Update(std::string_view(buffer_.get() + hashed_, start_ - hashed_));
      hashed_ = start_;
    }
  }
  gzFile handle_;
  std::string path_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t start_ = 0;   // the next line starts here
  std::size_t end_ = 0;     // buffer_[0, end_) holds read bytes
  std::size_t hashed_ = 0;  // buffer_[0, hashed_) is in hash_
  PrefixHash* hash_ = nullptr;
  bool eof_ = false;
};

struct Checkpoint {
  std::int64_t lines = 0;
  std::string prefix_sha;
};

struct TransparentHash {  // XXH3: several lookups per log line
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return static_cast<std::size_t>(XXH3_64bits(text.data(), text.size()));
  }
};
using Counter = std::unordered_map<std::string, std::int64_t, TransparentHash, std::equal_to<>>;

void Bump(Counter& counter, std::string_view key, std::int64_t by = 1) {
  auto it = counter.find(key);
  if (it == counter.end()) {
    counter.emplace(std::string(key), by);
  } else {
    it->second += by;
  }
}

struct VisitorHashKey {
  std::array<unsigned char, kVisitorHashBytes> bytes;
  bool operator==(const VisitorHashKey&) const = default;
};

// The set of a day's visitor hashes, looked up once per human line. Open addressing with
// linear probing over the 16-byte hashes themselves (uniform already, so their first bytes
// are the slot): one probe is one cache line, where std::unordered_set chased a bucket and
// a node per lookup and took a fifth of the import's time.
class VisitorSet {
 public:
  // True if `key` was not in the set (it is now).
  bool Insert(const VisitorHashKey& key) {
    Slot slot = ToSlot(key);
    if (slot.a == 0 && slot.b == 0) {  // the empty marker; a hash of 0 has odds 2^-128
      bool added = !has_zero_;
      has_zero_ = true;
      return added;
    }
    if ((size_ + 1) * 4 > slots_.size() * 3) {  // load <= 3/4: a smaller table stays cached
      Grow();
    }
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot.a & mask;; i = (i + 1) & mask) {
      Slot& at = slots_[i];
      if (at.a == 0 && at.b == 0) {
        at = slot;
        ++size_;
        return true;
      }
      if (at.a == slot.a && at.b == slot.b) {
        return false;
      }
    }
  }
  std::size_t size() const { return size_ + (has_zero_ ? 1 : 0); }
  void Prefetch(const VisitorHashKey& key) const {
    if (!slots_.empty()) {
      __builtin_prefetch(&slots_[ToSlot(key).a & (slots_.size() - 1)]);
    }
  }

 private:
  struct Slot {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
  };
  static Slot ToSlot(const VisitorHashKey& key) {
    static_assert(sizeof(Slot) == sizeof(key.bytes));
    Slot slot;
    std::memcpy(&slot, key.bytes.data(), sizeof(slot));
    return slot;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot());
    std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.a == 0 && slot.b == 0) {
        continue;
      }
      std::size_t i = slot.a & mask;
      while (slots_[i].a != 0 || slots_[i].b != 0) {
        i = (i + 1) & mask;
      }
      slots_[i] = slot;
    }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;  // non-zero hashes stored
  bool has_zero_ = false;
};

// One site-local day's counts within the current batch.
struct DayState {
  std::string day;  // YYYY-MM-DD
  std::array<unsigned char, kVisitorKeyBytes> key{};
  std::int64_t requests = 0;
  std::int64_t page_views = 0;
  std::int64_t bytes = 0;
  std::int64_t bot_requests = 0;
  std::int64_t raw_lines = 0;  // lines added to raw blocks this batch
  Counter pages;
  Counter referrers;
  Counter bots;
  std::array<std::int64_t, 5> status_classes{};  // 1xx..5xx
  // Every visitor hash of the day stored or about to be (loaded when the day is first
  // touched by this file), and those first seen in this batch (16 bytes each, stored as
  // one row). Memory grows with the day's distinct visitors, not with lines.
  VisitorSet known;
  bool legacy_visitor_hash = false;  // the day has hashes from before migration 8
  std::string fresh;
  std::int64_t fresh_count = 0;
  // What the batch's new visitors count for: technology and domains count once per
  // visitor per day.
  Counter browsers;
  Counter browser_versions;
  Counter oses;
  Counter device_classes;
  Counter visitor_tlds;
  Counter visitor_domains;
  // The open raw block.
  std::string raw;
  std::int64_t raw_first_line = 0;
  std::int64_t raw_last_line = 0;
  std::int64_t raw_count = 0;

  ~DayState() { sodium_memzero(key.data(), key.size()); }
};

struct BadLine {
  std::int64_t line_no;
  std::string reason;
  std::string bytes;
};

std::string RangesText(const std::vector<BadLine>& lines) {
  std::string out;
  std::size_t i = 0;
  while (i < lines.size()) {
    std::size_t j = i;
    while (j + 1 < lines.size() && lines[j + 1].line_no == lines[j].line_no + 1) {
      ++j;
    }
    if (!out.empty()) {
      out += ",";
    }
    out += std::to_string(lines[i].line_no);
    if (j > i) {
      out += "-" + std::to_string(lines[j].line_no);
    }
    i = j + 1;
  }
  return out;
}

}  // namespace

void VisitImportCounts::Add(const VisitImportCounts& other) {
  files += other.files;
  seen += other.seen;
  imported += other.imported;
  quarantined += other.quarantined;
  already_seen += other.already_seen;
  quarantine_items += other.quarantine_items;
  if (!other.first_day.empty() && (first_day.empty() || other.first_day < first_day)) {
    first_day = other.first_day;
  }
  if (other.last_day > last_day) {
    last_day = other.last_day;
  }
}

JsonObject VisitImportCounts::ToJson() const {
  JsonObject out = NewJsonObject();
  out->set("files", files);
  out->set("lines_seen", seen);
  out->set("imported", imported);
  out->set("quarantined", quarantined);
  out->set("already_seen", already_seen);
  out->set("quarantine_items", quarantine_items);
  out->set("balanced", balanced());
  out->set("first_day", first_day);
  out->set("last_day", last_day);
  return out;
}

struct VisitImporter::Impl {
  Store& store;
  VisitSettings settings;
  std::string actor;
  std::unique_ptr<UserAgentClassifier> classifier;
  SiteTimeZone tz;
  std::int64_t batch_lines = 100000;

  // Per file.
  std::string source_path;
  std::string first_sha;
  std::map<std::int64_t, std::unique_ptr<DayState>> days;  // by epoch day
  DayState* last_day = nullptr;
  DayState* range_day = nullptr;  // the day last added to batch_counts' range
  std::int64_t last_day_number = 0;
  std::vector<BadLine> bad_lines;
  VisitImportCounts counts;
  VisitImportCounts batch_counts;
  std::int64_t batch_first_line = 0;
  std::string visitor_input;  // reused per line
  // The last human line's visitor, counted when the next line is processed or the batch is
  // flushed (SettlePendingVisitor). `agent` points into the classifier's cache, which only
  // the next Classify call may change, so it is settled before that call.
  struct PendingVisitor {
    DayState* day = nullptr;  // null: none pending
    VisitorHashKey hash;
    const UserAgentClass* agent = nullptr;
    std::string host;
  };
  PendingVisitor pending_visitor;
  std::unique_ptr<char[]> packed;  // reused per raw block
  std::size_t packed_capacity = 0;
  VisitRawFileWriter raw_files;
  std::size_t raw_file_min_bytes = kRawFileMinBytes;
  std::unordered_map<std::string, bool, TransparentHash, std::equal_to<>> static_extensions;

  Impl(Store& s, VisitSettings v, std::string a, std::unique_ptr<UserAgentClassifier> c,
       SiteTimeZone z)
      : store(s),
        settings(std::move(v)),
        actor(std::move(a)),
        classifier(std::move(c)),
        tz(std::move(z)),
        raw_files(VisitRawDir(s.home())) {
    for (const std::string& extension : settings.static_extensions) {
      std::string lower = extension.starts_with('.') ? extension : "." + extension;
      for (char& ch : lower) {
        if (ch >= 'A' && ch <= 'Z') {
          ch = static_cast<char>(ch - 'A' + 'a');
        }
      }
      static_extensions.emplace(lower, true);
    }
  }

  Result<DayState*> Day(std::int64_t day_number) {
    if (last_day != nullptr && day_number == last_day_number) {
      return last_day;
    }
    auto it = days.find(day_number);
    if (it == days.end()) {
      auto state = std::make_unique<DayState>();
      state->day = FormatDate(SysDays(std::chrono::days(day_number)));
      state->raw.reserve(kRawBlockBytes + (64 << 10));  // a block never reallocates
      SUNSHINE_RETURN_IF_ERROR(OpenDay(*state));
      it = days.emplace(day_number, std::move(state)).first;
    }
    last_day = it->second.get();
    last_day_number = day_number;
    return last_day;
  }

  // Inside the batch transaction: makes sure the day is open and has a key.
  Status OpenDay(DayState& state) {
    Database& db = store.db();
    auto day_state = db.QueryText("SELECT state FROM visit_days WHERE day = $1", {state.day});
    if (!day_state.ok()) {
      return day_state.status();
    }
    if (!day_state->has_value()) {
      SUNSHINE_RETURN_IF_ERROR(db.Exec(
          "INSERT INTO visit_days (day) VALUES ($1) ON CONFLICT (day) DO NOTHING", {state.day}));
    } else if (**day_state == "aggregated") {
      // Late lines for a finished day: its key is gone, so these visitors are counted
      // under a new key and added to the final count (an upper bound; documented).
      SUNSHINE_RETURN_IF_ERROR(
          db.Exec("UPDATE visit_days SET state = 'open', reopened = reopened + 1 WHERE day = $1",
                  {state.day}));
      JsonObject details = NewJsonObject();
      details->set("day", state.day);
      details->set("source_file", source_path);
      auto seq = AuditLog::Append(db, actor, "visits.reopen", "visits-day:" + state.day,
                                  ::sunshine::ToJson(details));
      if (!seq.ok()) {
        return seq.status();
      }
    }
    auto key = db.QueryText("SELECT key FROM visit_day_keys WHERE day = $1", {state.day});
    if (!key.ok()) {
      return key.status();
    }
    if (key->has_value() && FromHex(**key, state.key.data(), state.key.size())) {
      return LoadKnownVisitors(state);
    }
    randombytes_buf(state.key.data(), state.key.size());
    return db.Exec(
        "INSERT INTO visit_day_keys (day, key) VALUES ($1, $2) ON CONFLICT (day) DO "
        "UPDATE SET key = excluded.key",
        {state.day, Hex(state.key.data(), state.key.size())});
  }

  // The hashes an earlier import stored for the open day: as 16-byte runs in visitor
  // blocks, or one hex row each (stores from before migration 8).
  Status LoadKnownVisitors(DayState& state) {
    Database& db = store.db();
    SUNSHINE_RETURN_IF_ERROR(
        db.Query("SELECT hashes FROM visit_day_visitor_blocks WHERE day = $1", {state.day},
                 [&](const Row& row) {
                   std::string hashes = row.Text(0);
                   VisitorHashKey hash;
                   for (std::size_t at = 0; at + hash.bytes.size() <= hashes.size();
                        at += hash.bytes.size()) {
                     std::memcpy(hash.bytes.data(), hashes.data() + at, hash.bytes.size());
                     state.known.Insert(hash);
                   }
                   return Status();
                 }));
    return db.Query("SELECT visitor FROM visit_day_visitors WHERE day = $1", {state.day},
                    [&](const Row& row) {
                      VisitorHashKey hash;
                      if (FromHex(row.Text(0), hash.bytes.data(), hash.bytes.size())) {
                        state.known.Insert(hash);
                      }
                      state.legacy_visitor_hash = true;
                      return Status();
                    });
  }

  bool IsPageView(const ParsedAccessLine& line, std::string_view path) const {
    if (line.status > settings.page_view_max_status || line.method.empty()) {
      return false;
    }
    bool method_ok = false;
    for (const std::string& method : settings.page_view_methods) {
      if (line.method == method) {
        method_ok = true;
        break;
      }
    }
    if (!method_ok) {
      return false;
    }
    for (const std::string& excluded : settings.excluded_paths) {
      if (path == excluded) {
        return false;
      }
    }
    // The extension of the last path segment, lower-cased, looked up once.
    std::size_t slash = path.rfind('/');
    std::size_t dot = path.rfind('.');
    if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash) &&
        path.size() - dot <= 16) {
      char lower[16];
      std::size_t n = path.size() - dot;
      for (std::size_t i = 0; i < n; ++i) {
        char c = path[dot + i];
        lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      }
      if (static_extensions.find(std::string_view(lower, n)) != static_extensions.end()) {
        return false;
      }
    }
    return true;
  }

  bool IsExternal(std::string_view host, std::string_view vhost) const {
    if (host.empty()) {
      return false;
    }
    for (const std::string& own : settings.site_hosts) {
      if (host == own) {
        return false;
      }
    }
    std::string_view vhost_name = vhost.substr(0, vhost.find(':'));
    return host != vhost_name;
  }

  Status ProcessLine(std::string_view line_bytes, std::int64_t line_no) {
    std::string_view line = line_bytes;
    if (!line.empty() && line.back() == '\n') {
      line.remove_suffix(1);
    }
    ParsedAccessLine parsed;
    Status status = ParseAccessLine(line, parsed);
    if (!status.ok()) {
      bad_lines.push_back({line_no, status.message(), std::string(line_bytes)});
      ++batch_counts.quarantined;
      if (bad_lines.size() >= kQuarantineGroupLines) {
        return FlushQuarantine();
      }
      return {};
    }
    auto day_or = Day(tz.LocalDay(parsed.time_utc));
    if (!day_or.ok()) {
      return day_or.status();
    }
    DayState& day = **day_or;
    ++batch_counts.imported;
    if (&day != range_day) {  // the batch's day range changes only when the day does
      range_day = &day;
      if (batch_counts.first_day.empty() || day.day < batch_counts.first_day) {
        batch_counts.first_day = day.day;
      }
      if (day.day > batch_counts.last_day) {
        batch_counts.last_day = day.day;
      }
    }
    // The previous line's visitor, before Classify may invalidate its agent (PendingVisitor).
    SettlePendingVisitor();
    const UserAgentClass& agent = classifier->Classify(parsed.user_agent);
    // The visitor: SipHash-2-4 (128-bit output) keyed with the day's key, a PRF, so without
    // the key no hash can be recomputed from a guessed address; over the address and the
    // user agent's 16-byte fingerprint (SHA-256, computed once per distinct string), which
    // stands for the whole string at a fifth of the per-line hashing. Days opened before
    // migration 8 keep hashing the whole string, so their visitors still match.
    if (!agent.bot) {
      PendingVisitor& visitor = pending_visitor;
      visitor_input.assign(parsed.remote_host);
      visitor_input.push_back('\0');
      visitor_input.append(day.legacy_visitor_hash ? parsed.user_agent
                                                   : std::string_view(agent.fingerprint));
      crypto_shorthash_siphashx24(visitor.hash.bytes.data(),
                                  reinterpret_cast<const unsigned char*>(visitor_input.data()),
                                  visitor_input.size(), day.key.data());
      day.known.Prefetch(visitor.hash);
      visitor.day = &day;
      visitor.agent = &agent;
      visitor.host.assign(parsed.remote_host);
    }
    // Raw line, verbatim.
    if (day.raw_count == 0) {
      day.raw_first_line = line_no;
    }
    if (line.size() < line_bytes.size()) {  // line_bytes is the line and its '\n'
      day.raw.append(line_bytes);
    } else {
      day.raw.append(line);
      day.raw.push_back('\n');
    }
    day.raw_last_line = line_no;
    ++day.raw_count;
    ++day.raw_lines;
    ++day.requests;
    day.bytes += parsed.bytes;
    ++day.status_classes[static_cast<std::size_t>(parsed.status / 100 - 1)];
    if (agent.bot) {
      ++day.bot_requests;
      Bump(day.bots, agent.browser);
    } else {
      std::string_view path = PagePath(parsed.target);
      if (IsPageView(parsed, path)) {
        ++day.page_views;
        Bump(day.pages, path.size() > 300 ? path.substr(0, 300) : path);
        std::string referrer = ReferrerHost(parsed.referrer);
        if (IsExternal(referrer, parsed.vhost)) {
          Bump(day.referrers, referrer);
        }
      }
    }
    if (day.raw.size() >= kRawBlockBytes) {
      return FlushRaw(day);
    }
    return {};
  }

  // Counts the pending visitor (the previous human line's) into its day. Deferred by one
  // line so that the visitor set's slot, prefetched when the hash was computed, has
  // arrived from memory by now: waiting for it right away stalled on most lines.
  void SettlePendingVisitor() {
    PendingVisitor& visitor = pending_visitor;
    if (visitor.day == nullptr) {
      return;
    }
    DayState& day = *visitor.day;
    visitor.day = nullptr;
    if (!day.known.Insert(visitor.hash)) {
      return;
    }
    day.fresh.append(reinterpret_cast<const char*>(visitor.hash.bytes.data()),
                     visitor.hash.bytes.size());
    ++day.fresh_count;
    const UserAgentClass& agent = *visitor.agent;
    Bump(day.browsers, agent.browser);
    Bump(day.browser_versions, agent.BrowserVersion());
    Bump(day.oses, agent.os);
    Bump(day.device_classes, agent.device_class);
    if (!IsIpLiteral(visitor.host)) {
      VisitorDomain domain = VisitorDomainOf(visitor.host);
      if (!domain.tld.empty()) {
        Bump(day.visitor_tlds, domain.tld);
      }
      if (!domain.organisation.empty()) {
        Bump(day.visitor_domains, domain.organisation);
      }
    }
  }

  // Stores the day's open block as one LZ4 frame: compressing costs less CPU than writing
  // the uncompressed bytes, and the block is a sixth of the size. The frame records the
  // content size, so `lz4 -d` restores the lines exactly (docs/formats/visit-statistics.md).
  // A large frame goes to a file written once, rather than through the WAL and again into
  // the database at the checkpoint (visit_raw_files.h); the row names it.
  Status FlushRaw(DayState& day) {
    if (day.raw_count == 0) {
      return {};
    }
    LZ4F_preferences_t prefs{};
    prefs.frameInfo.contentSize = day.raw.size();
    // One independent block for the whole (<= 1 MiB + one line) input, in LZ4's fast mode
    // with acceleration 2: measured on access logs ~13% faster than the defaults for ~5%
    // larger output.
    prefs.frameInfo.blockSizeID = LZ4F_max4MB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.compressionLevel = -2;
    std::size_t bound = LZ4F_compressFrameBound(day.raw.size(), &prefs);
    if (bound > packed_capacity) {  // uninitialised: a resized string zero-filled it per block
      packed.reset(new char[bound]);
      packed_capacity = bound;
    }
    std::size_t size =
        LZ4F_compressFrame(packed.get(), bound, day.raw.data(), day.raw.size(), &prefs);
    if (LZ4F_isError(size)) {
      return Status::Internal(std::string("LZ4 compression failed: ") + LZ4F_getErrorName(size));
    }
    std::string_view frame(packed.get(), size);
    SqlValue file;  // NULL: the frame is in the row
    SqlValue file_offset;
    SqlValue file_size;
    if (size >= raw_file_min_bytes) {
      SUNSHINE_ASSIGN_OR_RETURN(VisitRawFileWriter::Placed placed,
                                raw_files.Append(day.day, frame));
      file = std::move(placed.file);
      file_offset = placed.offset;
      file_size = static_cast<std::int64_t>(size);
      frame = {};
    }
    SUNSHINE_RETURN_IF_ERROR(store.db().Exec(
        "INSERT INTO visit_raw_blocks (day, source_path, first_line, last_line, lines, bytes, "
        "codec, raw_size, file, file_offset, file_size) VALUES ($1, $2, $3, $4, $5, CAST($6 AS "
        "BLOB), 'lz4', $7, $8, $9, $10)",
        {day.day, source_path, day.raw_first_line, day.raw_last_line, day.raw_count,
         std::string(frame), static_cast<std::int64_t>(day.raw.size()), std::move(file),
         std::move(file_offset), std::move(file_size)}));
    day.raw.clear();
    day.raw_count = 0;
    return {};
  }

  Status FlushQuarantine() {
    if (bad_lines.empty()) {
      return {};
    }
    QuarantineItem item;
    item.importer = std::string(kVisitsImporter);
    item.source_file = source_path;
    std::string bytes;
    std::string reason;
    if (bad_lines.size() == 1) {
      item.position = "line " + std::to_string(bad_lines[0].line_no);
      reason = bad_lines[0].reason;
    } else {
      // One item per group keeps a junk file from writing a file and an event per line;
      // the reason still names every line and what was wrong with it.
      item.position = "lines " + RangesText(bad_lines);
      reason = std::to_string(bad_lines.size()) + " malformed lines:";
    }
    for (const BadLine& bad : bad_lines) {
      bytes += bad.bytes;
      if (bytes.empty() || bytes.back() != '\n') {
        bytes.push_back('\n');
      }
      if (bad_lines.size() > 1) {
        reason += " line " + std::to_string(bad.line_no) + ": " + bad.reason + ";";
      }
    }
    item.reason = reason;
    item.original_bytes = bytes;
    auto id = QuarantineItemBytes(store, actor, item);
    if (!id.ok()) {
      return id.status();
    }
    ++batch_counts.quarantine_items;
    bad_lines.clear();
    return {};
  }

  // Writes the batch's counts, blocks, visitors and checkpoint; the caller commits.
  Status FlushBatch(std::int64_t lines_done, std::int64_t bytes_done, PrefixHash& hash,
                    std::int64_t last_line) {
    Database& db = store.db();
    SettlePendingVisitor();  // before the days' visitors are written (and days dropped)
    SUNSHINE_RETURN_IF_ERROR(FlushQuarantine());
    for (auto it = days.begin(); it != days.end();) {
      DayState& day = *it->second;
      SUNSHINE_RETURN_IF_ERROR(FlushRaw(day));
      if (day.requests == 0) {
        // No line of this day in the whole batch: a time-ordered log has moved on, so its
        // state (the visitor set) is dropped to keep memory flat; a late line reloads it.
        if (last_day == &day) {
          last_day = nullptr;
        }
        it = days.erase(it);
        continue;
      }
      ++it;
      SUNSHINE_RETURN_IF_ERROR(db.Exec(
          "UPDATE visit_days SET requests = requests + $2, page_views = page_views + $3, "
          "bytes = bytes + $4, bot_requests = bot_requests + $5, raw_lines = raw_lines + $6 "
          "WHERE day = $1",
          {day.day, day.requests, day.page_views, day.bytes, day.bot_requests, day.raw_lines}));
      std::map<std::string, Counter> dims;
      dims["page"] = std::move(day.pages);
      dims["referrer_site"] = std::move(day.referrers);
      dims["bot"] = std::move(day.bots);
      for (std::size_t i = 0; i < day.status_classes.size(); ++i) {
        if (day.status_classes[i] > 0) {
          dims["status_class"][std::to_string(i + 1) + "xx"] = day.status_classes[i];
        }
      }
      // Technology and domains count once per visitor per day: only hashes new to the day
      // (not stored by an earlier batch or import) added to them. The batch's new hashes
      // are stored as one row (16 bytes each) rather than a row per visitor: a row per
      // visitor cost more than parsing the lines.
      dims["browser"] = std::move(day.browsers);
      dims["browser_version"] = std::move(day.browser_versions);
      dims["os"] = std::move(day.oses);
      dims["device_class"] = std::move(day.device_classes);
      dims["visitor_tld"] = std::move(day.visitor_tlds);
      dims["visitor_domain"] = std::move(day.visitor_domains);
      if (day.fresh_count > 0) {
        SUNSHINE_RETURN_IF_ERROR(
            db.Exec("INSERT INTO visit_day_visitor_blocks (day, visitors, hashes) VALUES ($1, $2, "
                    "CAST($3 AS BLOB))",
                    {day.day, day.fresh_count, day.fresh}));
      }
      for (const auto& [dimension, counter] : dims) {
        for (const auto& [name, count] : counter) {
          SUNSHINE_RETURN_IF_ERROR(db.Exec(
              "INSERT INTO visit_day_counts (day, dimension, name, count) VALUES ($1, $2, $3, "
              "$4) ON CONFLICT (day, dimension, name) DO UPDATE SET count = "
              "visit_day_counts.count + excluded.count",
              {day.day, dimension, name, count}));
        }
      }
      day.requests = day.page_views = day.bytes = day.bot_requests = day.raw_lines = 0;
      day.pages.clear();
      day.referrers.clear();
      day.bots.clear();
      day.status_classes.fill(0);
      day.fresh.clear();
      day.fresh_count = 0;
      for (Counter* counter : {&day.browsers, &day.browser_versions, &day.oses, &day.device_classes,
                               &day.visitor_tlds, &day.visitor_domains}) {
        counter->clear();
      }
    }
    if (lines_done > 0) {
      SUNSHINE_RETURN_IF_ERROR(db.Exec(
          "INSERT INTO visit_checkpoints (first_sha256, lines, bytes, prefix_sha256, source_path, "
          "at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (first_sha256, lines, prefix_sha256) "
          "DO NOTHING",
          {first_sha, lines_done, bytes_done, hash.Digest(), source_path,
           ToEpoch(Clock::WallNow())}));
    }
    JsonObject details = batch_counts.ToJson();
    details->remove("files");
    details->remove("balanced");
    details->set("source_file", source_path);
    details->set("first_line", batch_first_line);
    details->set("last_line", last_line);
    auto seq = AuditLog::Append(db, actor, "import.visits", "visits-file:" + source_path,
                                ::sunshine::ToJson(details));
    if (!seq.ok()) {
      return seq.status();
    }
    counts.Add(batch_counts);
    batch_counts = VisitImportCounts();
    range_day = nullptr;
    batch_first_line = last_line + 1;
    return {};
  }

  // The batch's raw-block files are durable before the rows naming them commit.
  Status CommitBatch(Transaction& txn) {
    SUNSHINE_RETURN_IF_ERROR(raw_files.Sync());
    SUNSHINE_RETURN_IF_ERROR(txn.Commit());
    raw_files.Committed();
    return {};
  }

  Result<std::vector<Checkpoint>> Candidates() {
    std::vector<Checkpoint> out;
    Status status = store.db().Query(
        "SELECT lines, prefix_sha256 FROM visit_checkpoints WHERE first_sha256 = $1 "
        "ORDER BY lines",
        {first_sha}, [&](const Row& row) {
          out.push_back({row.Int(0), row.Text(1)});
          return Status();
        });
    if (!status.ok()) {
      return status;
    }
    return out;
  }

  // How many leading lines of `file` an earlier import already covered.
  Result<std::int64_t> AlreadyImportedLines(const Path& file) {
    SUNSHINE_ASSIGN_OR_RETURN(std::vector<Checkpoint> candidates, Candidates());
    if (candidates.empty()) {
      return std::int64_t{0};
    }
    SUNSHINE_ASSIGN_OR_RETURN(auto reader, LineReader::Open(file));
    PrefixHash hash;
    reader->AttachHash(&hash);
    std::int64_t line_no = 0;
    std::int64_t matched = 0;
    std::size_t next = 0;
    std::string_view line;
    while (next < candidates.size()) {
      SUNSHINE_ASSIGN_OR_RETURN(bool more, reader->Next(line));
      if (!more) {
        break;
      }
      ++line_no;
      bool digested = false;
      std::string digest;
      while (next < candidates.size() && candidates[next].lines == line_no) {
        if (!digested) {
          digest = reader->Hash().Digest();
          digested = true;
        }
        if (candidates[next].prefix_sha == digest) {
          matched = line_no;
        }
        ++next;
      }
    }
    return matched;
  }

  Result<VisitImportCounts> ImportFile(const Path& file) {
    source_path = file.string();
    days.clear();
    last_day = nullptr;
    range_day = nullptr;
    pending_visitor.day = nullptr;
    bad_lines.clear();
    counts = VisitImportCounts();
    batch_counts = VisitImportCounts();
    counts.files = 1;
    // The stream's identity: its first line.
    {
      SUNSHINE_ASSIGN_OR_RETURN(auto reader, LineReader::Open(file));
      std::string_view first;
      SUNSHINE_ASSIGN_OR_RETURN(bool any, reader->Next(first));
      if (!any) {
        return counts;  // empty file: nothing seen
      }
      PrefixHash hash;
      hash.Update(first);
      first_sha = hash.Digest();
    }
    SUNSHINE_ASSIGN_OR_RETURN(std::int64_t skip, AlreadyImportedLines(file));
    SUNSHINE_ASSIGN_OR_RETURN(auto reader, LineReader::Open(file));
    PrefixHash stream_hash;
    reader->AttachHash(&stream_hash);
    std::int64_t line_no = 0;
    std::int64_t bytes_done = 0;
    std::string_view line;
    Database& db = store.db();
    // Raw-block files of a batch that does not commit (an error return) are destroyed,
    // after the transaction's rollback (declared first, so destroyed last).
    struct DiscardUncommitted {
      VisitRawFileWriter& files;
      ~DiscardUncommitted() { files.Discard(); }
    } discard_uncommitted{raw_files};
    SUNSHINE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
    std::int64_t in_batch = 0;
    batch_first_line = skip + 1;
    while (true) {
      SUNSHINE_ASSIGN_OR_RETURN(bool more, reader->Next(line));
      if (!more) {
        break;
      }
      ++line_no;
      ++counts.seen;
      bytes_done += static_cast<std::int64_t>(line.size());
      if (line_no <= skip) {
        ++counts.already_seen;
        continue;
      }
      if (Status status = ProcessLine(line, line_no); !status.ok()) {
        return status.WithContext(source_path + ":" + std::to_string(line_no));
      }
      if (++in_batch >= batch_lines) {
        SUNSHINE_RETURN_IF_ERROR(FlushBatch(line_no, bytes_done, reader->Hash(), line_no));
        SUNSHINE_RETURN_IF_ERROR(CommitBatch(*txn));
        SUNSHINE_ASSIGN_OR_RETURN(txn, Transaction::Begin(db));
        in_batch = 0;
      }
    }
    if (in_batch > 0) {
      PrefixHash& hash = reader->Hash();
      SUNSHINE_RETURN_IF_ERROR(FlushBatch(line_no, bytes_done, hash, line_no));
      {
        SourceFile source{std::string(kVisitsImporter), source_path, hash.Digest(), bytes_done};
        SUNSHINE_RETURN_IF_ERROR(
            MarkSourceFileCompleted(db, source, ::sunshine::ToJson(counts.ToJson())));
      }
      SUNSHINE_RETURN_IF_ERROR(CommitBatch(*txn));
    }
    // seen and already_seen are counted here per line; imported and quarantined arrive
    // from each committed batch (FlushBatch), so the balance covers committed work only.
    return counts;
  }
};

VisitImporter::VisitImporter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VisitImporter::~VisitImporter() = default;

Result<std::unique_ptr<VisitImporter>> VisitImporter::Create(Store& store,
                                                             const VisitSettings& settings,
                                                             std::string actor) {
  if (sodium_init() < 0) {
    return Status::Internal("libsodium failed to initialise");
  }
  SUNSHINE_ASSIGN_OR_RETURN(auto classifier, UserAgentClassifier::Load(settings.uap_regexes));
  SUNSHINE_ASSIGN_OR_RETURN(SiteTimeZone tz, SiteTimeZone::Open(settings.timezone));
  return std::unique_ptr<VisitImporter>(new VisitImporter(std::make_unique<Impl>(
      store, settings, std::move(actor), std::move(classifier), std::move(tz))));
}

Result<VisitImportCounts> VisitImporter::ImportFile(const Path& file) {
  return impl_->ImportFile(file);
}

void VisitImporter::set_batch_lines(std::int64_t lines) {
  impl_->batch_lines = lines > 0 ? lines : 1;
}

void VisitImporter::set_raw_file_min_bytes(std::size_t bytes) { impl_->raw_file_min_bytes = bytes; }

}  // namespace sunshine
