// The gazetteer's index: about 200,000 short lower-case names, each to a small value, built
// once and then only read, from every capitalised word of every text.
//
// Why not std::unordered_map<std::string_view, V>: a look-up there hashes the bytes
// (_Hash_bytes), loads the bucket, the node and the key's bytes elsewhere in memory, and
// compares with memcmp: three or four cache misses. On real mail, whose capitalised words are
// many and varied (so the scanner's small per-thread cache in front misses often), those
// look-ups and their memcmp were a third of `pii scan`'s time. Here a key of up to kInline
// bytes is three words in one array, found through an array of 8-byte slots (hash tag and
// index) with linear probing: a miss costs one slot load, a hit one more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sunshine::pii {

template <typename Value>
class NameTable {
 public:
  static constexpr std::size_t kInline = 24;  // longer keys live in an ordinary map

  // The value of `key`, or nullptr.
  const Value* Find(std::string_view key) const {
    if (key.size() > kInline) {
      auto it = long_keys_.find(std::string(key));
      return it == long_keys_.end() ? nullptr : &values_[it->second];
    }
    if (slots_.empty()) {
      return nullptr;
    }
    Key k = MakeKey(key);
    std::uint64_t hash = Hash(k);
    std::uint32_t tag = Tag(hash);
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.tag == 0) {
        return nullptr;
      }
      if (slot.tag == tag && keys_[slot.index] == k) {
        return &values_[slot.index];
      }
    }
  }

  // The value of `key`, added (default-constructed) if absent. References stay valid until
  // the next insertion.
  Value& operator[](std::string_view key) {
    if (key.size() > kInline) {
      auto [it, added] = long_keys_.try_emplace(std::string(key), values_.size());
      if (added) {
        keys_.push_back(Key{{0, 0, 0}, kLongKey});  // in no slot
        values_.emplace_back();
      }
      return values_[it->second];
    }
    if ((keys_.size() + 1) * 2 > slots_.size()) {
      Rehash(slots_.empty() ? 1024 : slots_.size() * 2);
    }
    Key k = MakeKey(key);
    std::uint64_t hash = Hash(k);
    std::uint32_t tag = Tag(hash);
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.tag == 0) {
        slot = Slot{tag, static_cast<std::uint32_t>(values_.size())};
        keys_.push_back(k);
        values_.emplace_back();
        return values_.back();
      }
      if (slot.tag == tag && keys_[slot.index] == k) {
        return values_[slot.index];
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
    keys_.reserve(count);
    values_.reserve(count);
  }

  std::size_t size() const { return values_.size(); }

 private:
  struct Key {
    std::uint64_t words[3];
    std::uint64_t size;  // kLongKey for the placeholders of long keys
    bool operator==(const Key& other) const {
      return words[0] == other.words[0] && words[1] == other.words[1] &&
             words[2] == other.words[2] && size == other.size;
    }
  };
  static constexpr std::uint64_t kLongKey = ~std::uint64_t{0};
  struct Slot {
    std::uint32_t tag = 0;  // 0: empty
    std::uint32_t index = 0;
  };

  static Key MakeKey(std::string_view key) {
    Key k{{0, 0, 0}, key.size()};
    std::memcpy(k.words, key.data(), key.size());
    return k;
  }
  // Every bit of the key moves the slot and the tag (murmur3's 64-bit finaliser).
  static std::uint64_t Hash(const Key& k) {
    std::uint64_t h = k.words[0] * 0x9E3779B97F4A7C15ull;
    h ^= (k.words[1] + k.size) * 0xC2B2AE3D27D4EB4Full;
    h ^= k.words[2] * 0x165667B19E3779F9ull;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
  }
  static std::uint32_t Tag(std::uint64_t hash) {
    return static_cast<std::uint32_t>(hash >> 32) | 1u;  // never 0
  }
  void Rehash(std::size_t capacity) {
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (std::size_t index = 0; index < keys_.size(); ++index) {
      if (keys_[index].size == kLongKey) {
        continue;  // a long key's placeholder
      }
      std::uint64_t hash = Hash(keys_[index]);
      std::size_t i = hash & mask_;
      while (slots_[i].tag != 0) {
        i = (i + 1) & mask_;
      }
      slots_[i] = Slot{Tag(hash), static_cast<std::uint32_t>(index)};
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<Key> keys_;
  std::vector<Value> values_;
  std::unordered_map<std::string, std::size_t> long_keys_;
};

}  // namespace sunshine::pii
