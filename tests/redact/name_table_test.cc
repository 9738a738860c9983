// pii::NameTable against std::unordered_map, its specification, on random keys.
#include "engine/redact/name_table.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace sunshine::pii {
namespace {

TEST(NameTableTest, AgreesWithUnorderedMapOnRandomKeys) {
  std::mt19937 random(20261129);
  // Short keys of every inline length from a small alphabet (so inserts repeat keys and
  // look-ups hit), now and then a long one (past the inline limit), the empty key, and bytes >=
  // 0x80 and NUL.
  auto random_key = [&]() {
    std::size_t size = random() % 20 == 0 ? 17 + random() % 16 : random() % 17;
    std::string key;
    for (std::size_t i = 0; i < size; ++i) {
      unsigned pick = random() % 10;
      key += pick == 0 ? static_cast<char>(random() % 256) : static_cast<char>('a' + random() % 3);
    }
    return key;
  };
  NameTable<int> table;
  std::unordered_map<std::string, int> reference;
  std::vector<std::string> keys;
  for (int round = 0; round < 200000; ++round) {
    std::string key = random_key();
    if (random() % 2 == 0) {
      int value = static_cast<int>(random());
      table[key] = value;  // adds or overwrites, as the map does
      reference[key] = value;
      keys.push_back(key);
    } else {
      const int* found = table.Find(key);
      auto it = reference.find(key);
      ASSERT_EQ(found != nullptr, it != reference.end()) << "round " << round;
      if (found != nullptr) {
        ASSERT_EQ(*found, it->second) << "round " << round;
      }
    }
  }
  ASSERT_EQ(table.size(), reference.size());
  for (const std::string& key : keys) {
    const int* found = table.Find(key);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, reference[key]);
  }
}

TEST(NameTableTest, EmptyTableAndKeysThatDifferOnlyInLengthOrPadding) {
  NameTable<int> table;
  EXPECT_EQ(table.Find("ann"), nullptr);
  EXPECT_EQ(table.Find(""), nullptr);
  table.Reserve(10);
  table["ann"] = 1;
  table[std::string("ann\0", 4)] = 2;  // the same bytes as "ann" padded with zero
  table[""] = 3;
  EXPECT_EQ(*table.Find("ann"), 1);
  EXPECT_EQ(*table.Find(std::string("ann\0", 4)), 2);
  EXPECT_EQ(*table.Find(""), 3);
  EXPECT_EQ(table.Find("an"), nullptr);
  EXPECT_EQ(table.Find("annabelle-marie-von-brandenburg"), nullptr);
  table["annabelle-marie-von-brandenburg"] = 4;
  EXPECT_EQ(*table.Find("annabelle-marie-von-brandenburg"), 4);
  EXPECT_EQ(table.size(), 4u);
}

// Every byte of an inline key counts, at every length: keys that differ in one byte only are
// different keys (the key words are built from overlapping loads, not a copy of the bytes).
TEST(NameTableTest, EveryByteOfEveryInlineLengthCounts) {
  NameTable<int> table;
  int value = 0;
  std::vector<std::pair<std::string, int>> added;
  for (std::size_t size = 1; size <= 16; ++size) {
    std::string base(size, 'a');
    table[base] = ++value;
    added.emplace_back(base, value);
    for (std::size_t at = 0; at < size; ++at) {
      std::string changed = base;
      changed[at] = 'b';
      ASSERT_EQ(table.Find(changed), nullptr) << size << " " << at;
      table[changed] = ++value;
      added.emplace_back(changed, value);
    }
  }
  for (const auto& [key, expected] : added) {
    const int* found = table.Find(key);
    ASSERT_NE(found, nullptr) << key;
    EXPECT_EQ(*found, expected) << key;
  }
}

}  // namespace
}  // namespace sunshine::pii
