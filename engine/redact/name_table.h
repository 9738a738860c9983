// The gazetteer's index: about 200,000 short lower-case names, each to a small value, built
// once and then only read, from every capitalised word of every text.
//
// Why not std::unordered_map<std::string_view, V>: a look-up there hashes the bytes
// (_Hash_bytes), loads the bucket, the node and the key's bytes elsewhere in memory, and
// compares with memcmp: three or four cache misses. On real mail, whose capitalised words are
// many and varied (so the scanner's small per-thread cache in front misses often), those
// look-ups and their memcmp were a third of `pii scan`'s time. Here a key of up to kInline
// bytes is two words beside its value in one record of 32 bytes (for a value of 16 bytes or
// less), found through an array of 8-byte slots (hash tag, key length, record index) with
// linear probing: an absent key mostly costs one slot load, a present one a record load more.
// For the gazetteer's 197,785 names that is 10.5 MB (4 MiB of slots, 6.3 MB of records), where
// the map's nodes and buckets took about 14.5 MB and its keys' bytes lay elsewhere again.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sunshine::pii {

template <typename Value>
class NameTable {
 public:
  static constexpr std::size_t kInline = 16;  // longer keys live in an ordinary map

  // The value of `key`, or nullptr.
  const Value* Find(std::string_view key) const {
    if (key.size() > kInline) {
      if (key.size() > longest_ || long_keys_.empty()) {
        return nullptr;
      }
      auto it = long_keys_.find(std::string(key));
      return it == long_keys_.end() ? nullptr : &records_[it->second].value;
    }
    if (slots_.empty()) {
      return nullptr;
    }
    KeyWords k = MakeKey(key);
    std::uint64_t hash = Hash(k, key.size());
    Slot wanted = MakeSlot(hash, key.size(), 0);
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.tag == 0) {
        return nullptr;
      }
      if (slot.tag == wanted.tag && slot.Size() == key.size()) {
        const Record& record = records_[slot.Index()];
        if (record.key[0] == k[0] && record.key[1] == k[1]) {
          return &record.value;
        }
      }
    }
  }

  // The value of `key`, added (value-initialised) if absent. References stay valid until the
  // next insertion.
  Value& operator[](std::string_view key) {
    longest_ = std::max(longest_, key.size());
    if (key.size() > kInline) {
      auto [it, added] = long_keys_.try_emplace(std::string(key), records_.size());
      if (added) {
        records_.push_back(Record{{0, 0}, Value{}});  // in no slot
      }
      return records_[it->second].value;
    }
    if ((slots_in_use_ + 1) * 2 > slots_.size()) {
      Rehash(slots_.empty() ? 1024 : slots_.size() * 2);
    }
    if (records_.size() >= kMaxRecords) {
      throw std::length_error("NameTable: too many keys");
    }
    KeyWords k = MakeKey(key);
    std::uint64_t hash = Hash(k, key.size());
    Slot wanted = MakeSlot(hash, key.size(), records_.size());
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.tag == 0) {
        slot = wanted;
        ++slots_in_use_;
        records_.push_back(Record{{k[0], k[1]}, Value{}});
        return records_.back().value;
      }
      if (slot.tag == wanted.tag && slot.Size() == key.size()) {
        Record& record = records_[slot.Index()];
        if (record.key[0] == k[0] && record.key[1] == k[1]) {
          return record.value;
        }
      }
    }
  }

  // Room for `count` keys without rehashing.
  void Reserve(std::size_t count) {
    std::size_t want = 1024;
    while (want < count * 2) {
      want *= 2;
    }
    if (want > slots_.size()) {
      Rehash(want);
    }
    records_.reserve(count);
  }

  std::size_t size() const { return records_.size(); }

 private:
  // tag: hash bits, never 0 (0 marks an empty slot); packed: key length (5 bits) and index.
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t packed = 0;
    std::size_t Size() const { return packed >> 27; }
    std::size_t Index() const { return packed & ((std::uint32_t{1} << 27) - 1); }
  };
  static_assert(kInline < 32, "the key length has five bits in a slot");
  static constexpr std::size_t kMaxRecords = std::size_t{1} << 27;
  struct alignas(sizeof(Value) <= 16 ? 32 : 64) Record {
    std::uint64_t key[2];  // the key's bytes, zero after its end
    Value value;
  };

  struct KeyWords {
    std::uint64_t words[2];
    std::uint64_t operator[](std::size_t i) const { return words[i]; }
  };
  // The key's bytes, zero-padded to 16 (key.size() <= kInline). Built from loads of fixed size
  // that overlap rather than one memcpy of the key's size: that is a call, and the fixed word
  // lists are asked about most words of a text (WordSet in pii_scanner.cc).
  static KeyWords MakeKey(std::string_view key) {
    const char* p = key.data();
    const std::size_t n = key.size();
    auto load8 = [](const char* at) {
      std::uint64_t v;
      std::memcpy(&v, at, 8);
      return v;
    };
    auto load4 = [](const char* at) {
      std::uint32_t v;
      std::memcpy(&v, at, 4);
      return std::uint64_t{v};
    };
    auto byte = [](char c) { return std::uint64_t{static_cast<unsigned char>(c)}; };
    if (n >= 8) {  // bytes 8 to n-1 are the top of the last eight, shifted down
      return KeyWords{{load8(p), n > 8 ? load8(p + n - 8) >> (8 * (16 - n)) : 0}};
    }
    if (n >= 4) {  // the two four-byte halves overlap on equal bytes
      return KeyWords{{load4(p) | load4(p + n - 4) << (8 * (n - 4)), 0}};
    }
    if (n > 0) {  // bytes 0, n/2 and n-1 cover n of 1 to 3
      return KeyWords{
          {byte(p[0]) | byte(p[n / 2]) << (8 * (n / 2)) | byte(p[n - 1]) << (8 * (n - 1)), 0}};
    }
    return KeyWords{{0, 0}};
  }
  // Every bit of the key moves the slot and the tag (murmur3's 64-bit finaliser).
  static std::uint64_t Hash(const KeyWords& k, std::size_t size) {
    std::uint64_t h = k[0] * 0x9E3779B97F4A7C15ull;
    h ^= (k[1] + size) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
  }
  static Slot MakeSlot(std::uint64_t hash, std::size_t size, std::size_t index) {
    return Slot{static_cast<std::uint32_t>(hash >> 32) | 1u,
                static_cast<std::uint32_t>(size << 27 | index)};
  }
  void Rehash(std::size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (const Slot& moved : old) {
      if (moved.tag == 0) {
        continue;
      }
      const Record& record = records_[moved.Index()];
      std::uint64_t hash = Hash(KeyWords{{record.key[0], record.key[1]}}, moved.Size());
      std::size_t i = hash & mask_;
      while (slots_[i].tag != 0) {
        i = (i + 1) & mask_;
      }
      slots_[i] = moved;
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t slots_in_use_ = 0;
  std::size_t longest_ = 0;
  std::vector<Record> records_;
  std::unordered_map<std::string, std::size_t> long_keys_;
};

}  // namespace sunshine::pii
