#include "engine/redact/pii_scanner.h"

#include <hs/hs.h>
#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>
#include <re2/re2.h>
#include <re2/set.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <span>
#include <unordered_map>

#include "engine/redact/address_shapes.h"
#include "engine/redact/byte_masks.h"
#include "engine/redact/context_words.h"
#include "engine/redact/name_data.h"
#include "engine/redact/name_table.h"
#include "engine/redact/number_shapes.h"
#include "engine/redact/validators.h"

namespace sunshine {

namespace {

constexpr std::array<std::string_view, kPiiTypeCount> kTypeNames = {
    "ssn",      "itin",  "card",       "routing-number", "bank-account",   "iban",
    "phone",    "email", "ip-address", "date-of-birth",  "street-address", "driver-license",
    "passport", "person"};

}  // namespace

std::string_view PiiTypeName(PiiType type) { return kTypeNames[static_cast<std::size_t>(type)]; }

bool ParsePiiType(std::string_view name, PiiType* type) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) {
      *type = static_cast<PiiType>(i);
      return true;
    }
  }
  return false;
}

namespace {

// A fixed set of short lower-case words (the lists below), asked about many words of a text.
// A std::unordered_set<std::string_view> hashed every word's bytes (_Hash_bytes) and compared
// them with memcmp: on real mail those look-ups were about 4% of `pii scan`'s samples. Here
// a word of up to 16 bytes is two loads and a multiply (pii::NameTable, name_table.h).
class WordSet {
 public:
  WordSet(std::initializer_list<std::string_view> words) {
    table_.Reserve(words.size());
    for (std::string_view word : words) {
      table_[word] = 1;
    }
  }
  bool Contains(std::string_view word) const { return table_.Find(word) != nullptr; }

 private:
  pii::NameTable<char> table_;
};

// Given names that in an office's own correspondence are (nearly) always civic terms: "the
// Sunshine Law" (RSMo 610) is cited in every request. Never a person on their own.
const WordSet& CivicTerms() {
  static const WordSet kTerms = {"sunshine"};
  return kTerms;
}

// ---------------------------------------------------------------------------------------
// Small text helpers. Bytes >= 0x80 (UTF-8 sequences) count as letters: names and streets
// in other scripts must not be split.

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiAlpha(char c) { return IsAsciiUpper(c) || IsAsciiLower(c); }
bool IsHigh(char c) { return static_cast<unsigned char>(c) >= 0x80; }
bool IsLetter(char c) { return IsAsciiAlpha(c) || IsHigh(c); }
bool IsWordChar(char c) { return IsLetter(c) || IsDigit(c) || c == '_'; }
char Lower(char c) { return IsAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = Lower(c);
  }
  return out;
}

// Upper-case test for the first character, ASCII and the Latin-1/Latin Extended-A
// capitals (enough for European names: "Ž", "Ó", "Ł").
bool StartsUpper(std::string_view token) {
  if (token.empty()) {
    return false;
  }
  unsigned char c0 = static_cast<unsigned char>(token[0]);
  if (c0 < 0x80) {
    return IsAsciiUpper(token[0]);
  }
  if (token.size() < 2) {
    return false;
  }
  unsigned char c1 = static_cast<unsigned char>(token[1]);
  unsigned cp = ((c0 & 0x1Fu) << 6) | (c1 & 0x3Fu);
  if ((c0 & 0xE0) != 0xC0) {
    return (c0 & 0xF0) == 0xE0;  // other scripts (Greek capitals start 0xCE; CJK has no case)
  }
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
    return true;
  }
  if (cp >= 0x100 && cp <= 0x17F) {
    return cp % 2 == 0;  // Latin Extended-A alternates capital/small (close enough)
  }
  return cp >= 0x391 && cp <= 0x3A9;  // Greek capitals
}

bool AllUpper(std::string_view token) {
  bool any = false;
  for (char c : token) {
    if (IsAsciiLower(c)) {
      return false;
    }
    any = any || IsAsciiUpper(c);
  }
  return any;
}

bool AllLowerAscii(std::string_view token) {
  for (char c : token) {
    if (!IsAsciiLower(c) && c != '-' && c != '\'' && !IsHigh(c)) {
      return false;
    }
  }
  return !token.empty() && IsAsciiLower(token[0]);
}

using pii::ContextWords;

bool ContextBefore(std::string_view text, std::size_t start, std::size_t distance,
                   const ContextWords& words) {
  return words.In(text, start > distance ? start - distance : 0, start);
}
bool ContextAfter(std::string_view text, std::size_t end, std::size_t distance,
                  const ContextWords& words) {
  return words.In(text, end, end + distance);
}

// memrchr/memchr rather than a loop: triggers on long prose lines ask for both ends.
std::size_t LineStart(std::string_view text, std::size_t pos) {
  pos = std::min(pos, text.size());
  if (pos == 0) {
    return 0;
  }
  const void* newline = memrchr(text.data(), '\n', pos);
  return newline == nullptr
             ? 0
             : static_cast<std::size_t>(static_cast<const char*>(newline) - text.data()) + 1;
}
std::size_t LineEnd(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) {
    return text.size();
  }
  const void* newline = std::memchr(text.data() + pos, '\n', text.size() - pos);
  return newline == nullptr
             ? text.size()
             : static_cast<std::size_t>(static_cast<const char*>(newline) - text.data());
}

const ContextWords kSsnContext = {"ssn",  "social security", "soc sec", "ss#", "ss no",
                                  "ss #", "taxpayer",        "tin",     "itin"};
const ContextWords kCardContext = {
    "card",     "visa", "mastercard", "master card", "amex",   "american express",
    "discover", "cc",   "credit",     "debit",       "charge", "payment",
    "cvv",      "expir"};
const ContextWords kPhoneBefore = {
    "phone", "tel",     "telephone", "call",         "fax",     "mobile",   "cell",
    "reach", "contact", "dial",      "answering at", "text me", "ph",       "number",
    "pager", "direct",  "office",    "home",         "work",    "whatsapp", "at"};
const ContextWords kPhoneAfter = {"office", "fax",    "mobile", "cell", "home",
                                  "work",   "direct", "phone",  "tel",  "pager"};
const ContextWords kRoutingContext = {"routing", "aba", "rtn", "transit", "bank"};
const ContextWords kAccountContext = {"account", "acct",     "a/c",     "acc no", "acc. no",
                                      "acc #",   "checking", "savings", "bank"};
const ContextWords kDlContext = {"driver", "drivers", "licence", "license", "dl",
                                 "dln",    "lic",     "dl#",     "operator"};
const ContextWords kPassportContext = {"passport"};
const ContextWords kVersionContext = {"version", "ver", "v", "release", "build"};

// Given names that are at least as often places, months or days in correspondence. (The
// dictionary's proper-noun flag is too broad for given names: it lists Ingrid and John.)
const WordSet& PlaceLikeNames() {
  static const WordSet kNames = {
      "january",    "february", "april",    "june",      "july",      "august",    "september",
      "october",    "november", "december", "monday",    "tuesday",   "wednesday", "thursday",
      "friday",     "saturday", "sunday",   "houston",   "dallas",    "austin",    "denver",
      "phoenix",    "aurora",   "jackson",  "madison",   "lincoln",   "charlotte", "savannah",
      "raleigh",    "tyler",    "orlando",  "cleveland", "arlington", "kingston",  "eugene",
      "florence",   "paris",    "london",   "sydney",    "georgia",   "virginia",  "carolina",
      "dakota",     "montana",  "nevada",   "indiana",   "arizona",   "kansas",    "missouri",
      "washington", "jordan",   "chad",     "israel",    "india",     "kenya",     "china",
      "america",    "asia",     "africa",   "europa",    "sierra",    "memphis",   "vienna",
      "berlin",     "boston",   "camden",   "columbia",  "easter",    "christmas", "lexis",
      "enron",      "portland", "jan",      "grande"};
  return kNames;
}

// ---------------------------------------------------------------------------------------
// The gazetteer.

// A fixed set of bits, tested in the word pass for every word: plain words and shifts
// (std::vector<bool>'s iterator arithmetic showed in the profile).
class BitTable {
 public:
  explicit BitTable(std::size_t bits) : words_((bits + 63) / 64) {}
  void Set(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
  bool operator[](std::size_t i) const { return (words_[i / 64] >> (i % 64) & 1) != 0; }

 private:
  std::vector<std::uint64_t> words_;
};

// One entry per lower-case name, so that a token costs one hash lookup however many of the
// questions below are asked about it (pii::NameTable: name_table.h says why not
// std::unordered_map).
// (16 bytes: the index keeps it beside its key in half a cache line.)
struct NameEntry {
  std::int32_t births = -1;   // >= 0: a given name (SSA births; the most is about 5.3 million)
  std::int32_t literal = -1;  // index into Gazetteer::literal_names: a given-name token
  bool ambiguous = false;     // a given name that is also a lower-case English word
  bool surname = false;
  char surname_flag = 0;       // 0, 'w' (English word) or 'p' (dictionary proper noun)
  bool lower_literal = false;  // also found written in lower case ("mary")
  bool civic = false;          // one of CivicTerms()
};
static_assert(sizeof(NameEntry) <= 16);

struct Gazetteer {
  pii::NameTable<NameEntry> entries;
  std::vector<std::string_view> literal_names;  // given names found as tokens, by id
  // Their entries, by the same id: the name rules ask about every name the word pass found,
  // and this spares them a second look-up of a name the pass had already looked up.
  std::vector<const NameEntry*> literal_entries;
  // The same entries by name: the word pass asks only whether a word is one of these ~7,500
  // given names, and this table (about 0.4 MB) fits in the CPU's L2 cache (1 MB here), where the
  // whole gazetteer's index (about 10 MB, 200,000 names) does not. (Real mail asks about many
  // different capitalised words: through the whole index, those look-ups were the largest
  // single cost of its scan.)
  pii::NameTable<const NameEntry*> literals;
  std::size_t longest_literal = 0;
  // Four-letter prefixes of the names found in lower case (all have four letters or more):
  // most lower-case words need no lookup at all.
  BitTable lower_prefixes{26 * 26 * 26 * 26};

  static void ForEachLine(std::string_view text, const std::function<void(std::string_view)>& f) {
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) {
        end = text.size();
      }
      std::string_view line = text.substr(pos, end - pos);
      if (!line.empty() && line[0] != '#') {
        f(line);
      }
      pos = end + 1;
    }
  }

  void Load() {
    entries.Reserve(200000);
    ForEachLine(pii::EmbeddedGivenNames(), [&](std::string_view line) {
      std::size_t tab = line.find('\t');
      std::string_view name = line.substr(0, tab);
      std::int32_t births = 0;  // from_chars fails on more, leaving 0
      if (tab != std::string_view::npos) {
        std::string_view count = line.substr(tab + 1);
        std::from_chars(count.data(), count.data() + count.size(), births);
      }
      NameEntry& entry = entries[name];
      if (entry.births < 0) {
        entry.births = births;
        // Names of one or two letters are too often something else ("Al", "Ed").
        if (name.size() >= 3) {
          entry.literal = static_cast<std::int32_t>(literal_names.size());
          literal_names.push_back(name);
          longest_literal = std::max(longest_literal, name.size());
        }
      }
    });
    ForEachLine(pii::EmbeddedAmbiguousNames(),
                [&](std::string_view line) { entries[line].ambiguous = true; });
    ForEachLine(pii::EmbeddedSurnames(), [&](std::string_view line) {
      std::size_t tab = line.find('\t');
      char flag = tab != std::string_view::npos && tab + 1 < line.size() ? line[tab + 1] : 0;
      NameEntry& entry = entries[line.substr(0, tab)];
      if (!entry.surname) {
        entry.surname = true;
        entry.surname_flag = flag;
      }
    });
    // Lower-case forms only for the names the lower-case rule can accept (common, not
    // English words).
    for (std::string_view name : literal_names) {
      NameEntry& entry = entries[name];
      entry.lower_literal = name.size() >= 4 && !entry.ambiguous && entry.births >= 20000 &&
                            std::all_of(name.begin(), name.begin() + 4, IsAsciiLower);
      if (entry.lower_literal) {
        lower_prefixes.Set(PrefixIndex(name));
      }
      entry.civic = CivicTerms().Contains(name);
    }
    // After the last insertion: the map's elements do not move from here on.
    literal_entries.reserve(literal_names.size());
    literals.Reserve(literal_names.size());
    for (std::string_view name : literal_names) {
      literal_entries.push_back(entries.Find(name));
      literals[name] = literal_entries.back();
    }
  }

  // `word` starts with four ASCII lower-case letters.
  static std::size_t PrefixIndex(std::string_view word) {
    return static_cast<std::size_t>(((word[0] - 'a') * 26 + (word[1] - 'a')) * 26 * 26 +
                                    (word[2] - 'a') * 26 + (word[3] - 'a'));
  }

  // Through a per-thread LookupCache (below).
  const NameEntry* Find(std::string_view lower) const {
    if (lower.size() > kCachedKey) {
      return FindInTable(lower);
    }
    return FindCache().Find(this, lower, [&] { return FindInTable(lower); });
  }
  // Find, for a key at `padded` (16 bytes, zero after the key's `size` <= 16 bytes).
  const NameEntry* FindPadded(const char* padded, std::size_t size) const {
    return FindCache().FindPadded(this, padded, size,
                                  [&] { return FindInTable(std::string_view(padded, size)); });
  }
  const NameEntry* FindInTable(std::string_view lower) const { return entries.Find(lower); }
  // The entry of one of literal_names, or nullptr: what Find(lower) gives when that has a
  // literal id, else nullptr. The word pass asks this of every capitalised word; its own
  // per-thread cache in front (as for Find) answers the text's frequent words.
  const NameEntry* FindLiteral(std::string_view lower) const {
    auto in_table = [&]() -> const NameEntry* {
      const NameEntry* const* entry = literals.Find(lower);
      return entry == nullptr ? nullptr : *entry;
    };
    if (lower.size() > kCachedKey) {
      return in_table();
    }
    return LiteralCache().Find(this, lower, in_table);
  }
  // FindLiteral, for a key at `padded` (16 bytes, zero after the key's `size` <= 16 bytes).
  const NameEntry* FindLiteralPadded(const char* padded, std::size_t size) const {
    return LiteralCache().FindPadded(this, padded, size, [&]() -> const NameEntry* {
      const NameEntry* const* entry = literals.Find(std::string_view(padded, size));
      return entry == nullptr ? nullptr : *entry;
    });
  }
  static constexpr std::size_t kCachedKey = 16;
  // Every capitalised word of the text is looked up, and a look-up in a table of 200,000
  // names is a cache miss or two; text repeats its words, so a small per-thread cache in
  // front answers most of them. 2,048 slots of 32 bytes (64 KB): measured 2-3% less CPU over
  // the whole scan than 8,192 (256 KB) and about even with 1,024. It shares the caches with the
  // word pass's tables.
  class LookupCache {
   public:
    template <typename Miss>
    const NameEntry* Find(const Gazetteer* owner, std::string_view lower, Miss miss) {
      std::uint64_t a = 0;
      std::uint64_t b = 0;
      std::memcpy(&a, lower.data(), std::min<std::size_t>(lower.size(), 8));
      if (lower.size() > 8) {
        std::memcpy(&b, lower.data() + 8, lower.size() - 8);
      }
      return FindKey(owner, a, b, lower.size(), miss);
    }
    // For a key at `padded`, which holds 16 bytes, zero after the key's `size` bytes: the
    // cache key is two plain loads instead of copies of variable length (calls to memcpy).
    template <typename Miss>
    const NameEntry* FindPadded(const Gazetteer* owner, const char* padded, std::size_t size,
                                Miss miss) {
      std::uint64_t a = 0;
      std::uint64_t b = 0;
      std::memcpy(&a, padded, 8);
      std::memcpy(&b, padded + 8, 8);
      return FindKey(owner, a, b, size, miss);
    }

   private:
    template <typename Miss>
    const NameEntry* FindKey(const Gazetteer* owner, std::uint64_t a, std::uint64_t b,
                             std::size_t size, Miss miss) {
      if (owner_ != owner) {
        slots_.assign(std::size_t{1} << kCacheBits, Slot{});
        owner_ = owner;
      }
      std::uint64_t hash = (a * 0x9E3779B97F4A7C15ull) ^ ((b + size) * 0xC2B2AE3D27D4EB4Full);
      Slot& slot = slots_[static_cast<std::size_t>(hash >> (64 - kCacheBits))];
      if (slot.size == size && slot.a == a && slot.b == b) {
        return slot.entry;
      }
      slot = Slot{a, b, miss(), size};
      return slot.entry;
    }
    static constexpr int kCacheBits = 11;
    struct Slot {
      std::uint64_t a = 0;  // the key's bytes, zero-padded; size 0 marks an empty slot
      std::uint64_t b = 0;
      const NameEntry* entry = nullptr;
      std::size_t size = 0;
    };
    std::vector<Slot> slots_;
    const Gazetteer* owner_ = nullptr;
  };
  // The per-thread caches: one in front of the whole index, one in front of the given names.
  static LookupCache& FindCache() {
    thread_local LookupCache cache;
    return cache;
  }
  static LookupCache& LiteralCache() {
    thread_local LookupCache cache;
    return cache;
  }
  bool IsProperNoun(std::string_view lower) const {
    if (PlaceLikeNames().Contains(lower)) {
      return true;
    }
    const NameEntry* entry = Find(lower);
    return entry != nullptr && entry->surname && entry->surname_flag == 'p';
  }
  bool IsGiven(std::string_view lower) const {
    const NameEntry* entry = Find(lower);
    return entry != nullptr && entry->births >= 0;
  }
  bool IsAmbiguous(std::string_view lower) const {
    const NameEntry* entry = Find(lower);
    return entry != nullptr && entry->ambiguous;
  }
  // Known as a name at all (given or other); `word_ok` false excludes English words.
  static bool IsKnownName(const NameEntry* entry, bool word_ok) {
    if (entry == nullptr) {
      return false;
    }
    if (entry->surname) {
      return word_ok || entry->surname_flag != 'w';
    }
    if (entry->births >= 0) {
      return word_ok || !entry->ambiguous;
    }
    return false;
  }
  bool IsKnownName(std::string_view lower, bool word_ok) const {
    return IsKnownName(Find(lower), word_ok);
  }
};

// The word pass asks two questions of every word's first four bytes: could a trigger word
// start so (TriggerWords' prefix table), and could a lower-case given name (Gazetteer::
// lower_prefixes)? Each table is about 60 KB, more than the L1 cache, and the two loads per
// word (behind a call per word) were the largest single cost of the scan; here both answers
// are two neighbouring bits under one key, read with one load, and TriggerWords' own
// matching is only entered for words that pass. The key is the four bytes' classes
// (TriggerWords::ClassOf; kNotWord past the text's end) as they are, the first letter's 26 more
// if it is a capital: 52 * 28 * 28 * 28 keys. Unlike TriggerWords::PrefixKey's it takes no
// tests (the keys PrefixKey has no key for have no bits, and after a third byte that is no
// word byte all fourth bytes' keys have the same bits), so the word pass computes it without a
// branch. Capitalised words have a name bit of their own: most of them are no given name, and
// their look-up (measure, fold case, hash) was a good share of the pass. Built from the two
// tables and the gazetteer's literal names, so it answers exactly as they do (tests/redact/
// trigger_words_test.cc also compares the whole pass with the former one on random texts).
class WordPrefixes {
 public:
  static constexpr unsigned kTrigger = 1;  // TriggerWords::MayStart
  // Could a given name the word pass looks up start so? After a lower-case first letter:
  // Gazetteer::lower_prefixes (four letters); after a capital: any of the gazetteer's
  // literal_names (three letters or more; a three-letter name's fourth class is kNotWord).
  static constexpr unsigned kName = 2;
  static constexpr std::size_t kCapital = 26;  // added to a capital's class in the key
  static constexpr std::size_t kKeys = 52 * 28 * 28 * 28;

  void Build(const Gazetteer& gazetteer);  // after TriggerWords, below
  // The key of a word by its four classes (the first a letter's, plus kCapital for a capital).
  static std::size_t Key(std::size_t first, std::size_t second, std::size_t third,
                         std::size_t fourth) {
    return first * (28 * 28 * 28) + second * (28 * 28) + third * 28 + fourth;
  }
  static std::size_t KeyAt(std::string_view text, std::size_t s);  // after TriggerWords
  unsigned Get(std::size_t key) const {
    // By bit index: its shift needs no mask on x86 (the shift count is taken mod 64).
    std::size_t bit = key * 2;
    return static_cast<unsigned>(bits_[bit / 64] >> (bit % 64)) & 3u;
  }

 private:
  void Set(std::size_t key, unsigned bits) {
    bits_[key / 32] |= std::uint64_t{bits} << (key % 32 * 2);
  }
  std::vector<std::uint64_t> bits_;
};

// Capitalised words that follow names but are not surnames.
const WordSet& NotSurname() {
  static const WordSet kWords = {
      "the",         "and",        "or",       "but",        "is",
      "are",         "was",        "were",     "i",          "we",
      "you",         "he",         "she",      "it",         "they",
      "in",          "on",         "at",       "to",         "for",
      "from",        "with",       "by",       "of",         "inc",
      "llc",         "ltd",        "co",       "corp",       "company",
      "street",      "st",         "avenue",   "ave",        "road",
      "rd",          "monday",     "tuesday",  "wednesday",  "thursday",
      "friday",      "saturday",   "sunday",   "january",    "february",
      "march",       "april",      "may",      "june",       "july",
      "august",      "september",  "october",  "november",   "december",
      "mr",          "mrs",        "ms",       "dr",         "thanks",
      "thank",       "regards",    "please",   "re",         "fw",
      "fwd",         "cc",         "subject",  "sent",       "date",
      "if",          "as",         "so",       "a",          "an",
      "this",        "that",       "these",    "there",      "here",
      "when",        "where",      "what",     "who",        "how",
      "why",         "all",        "my",       "your",       "our",
      "their",       "his",        "her",      "not",        "no",
      "yes",         "ok",         "hi",       "hello",      "dear",
      "best",        "sincerely",  "cheers",   "team",       "group",
      "department",  "office",     "center",   "university", "college",
      "school",      "bank",       "county",   "city",       "state",
      "north",       "south",      "east",     "west",       "lane",
      "drive",       "court",      "place",    "boulevard",  "blvd",
      "suite",       "apt",        "energy",   "services",   "international",
      "corporation", "associates", "partners", "will",       "would",
      "can",         "could",      "should",   "has",        "have",
      "had",         "did",        "does",     "do",         "also",
      "just",        "then",       "than",     "after",      "before",
      "about",       "said",       "says",     "see",        "let",
      "call",        "phone",      "fax",      "email",      "e-mail",
      "mobile",      "tel",        "pm",       "am"};
  return kWords;
}

const WordSet& Honorifics() {
  static const WordSet kWords = {
      "mr",       "mrs", "ms",    "miss",    "mx",      "dr",   "prof",
      "rev",      "sir", "madam", "mme",     "mlle",    "herr", "frau",
      "sr",       "sra", "srta",  "judge",   "senator", "rep",  "representative",
      "governor", "gov", "sen",   "officer", "sgt",     "capt", "lt",
      "col",      "gen", "hon"};
  return kWords;
}

// ---------------------------------------------------------------------------------------
// Trigger patterns. Each marks where a family's RE2 confirmation must look. Most run in one
// Hyperscan database; the street-type, unit, honorific, salutation and introduction words
// (kTrigStreet, kTrigUnit, kTrigHonorific, kTrigSalutation, kTrigIntro) are found in the word
// pass instead (TriggerWords below): short caseless words like "st", "dr" and "hi" made
// Hyperscan stop at a large share of all bytes, while the word pass visits each word start
// anyway. (Without the unit and introduction patterns Hyperscan took 45% less time over the
// bench corpus.) The postal-code, house-number and licence-word triggers (kTrigZip,
// kTrigHouse, kTrigDl) are matched by hand over the whole text, in one pass with others
// (pii::FindTriggerShapes): without them the database scans in half the time again, and HitSink
// puts their hits where Hyperscan reported them. So are the number and IPv4 triggers
// (kTrigNumber, kTrigIpv4); without them Hyperscan scanned the bench corpus in 30% of the
// time, and the number trigger had reported at every digit from the sixth of a digit chain
// on, a callback each. And so are the e-mail and IPv6 triggers (kTrigEmail, kTrigIpv6): the
// database of the birth-date and passport words alone scans the bench corpus in about a quarter
// of the time it took with them.

enum Trigger : unsigned {
  kTrigNumber = 1,
  kTrigIpv4,
  kTrigEmail,
  kTrigIpv6,
  kTrigStreet,
  kTrigUnit,
  kTrigZip,
  kTrigDob,
  kTrigHonorific,
  kTrigSalutation,
  kTrigDl,
  kTrigPassport,
  kTrigIntro,
  kTrigHouse,
  kTrigCount,
};

struct TriggerPattern {
  Trigger id;
  const char* expression;
  unsigned flags;
};

constexpr TriggerPattern kTriggers[] = {
    {kTrigDob, R"(born|birth|\bdob\b|d\.o\.b)", HS_FLAG_CASELESS},
    {kTrigPassport, R"(passport)", HS_FLAG_CASELESS},
};

// RE2 confirmation patterns (compiled once).
RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_max_mem(int64_t{64} << 20);
  options.set_log_errors(false);
  // Bytes, not UTF-8: letter classes become byte classes (every byte >= 0x80 counts as a
  // letter), which keeps the DFAs small and fast; offsets are bytes either way.
  options.set_encoding(RE2::Options::EncodingLatin1);
  return options;
}

enum AddressPattern {
  kAddrPoBox,
  kAddrMilitary,
  kAddrNumberWordsNumber,
  kAddrUnitInline,
  kAddrNamedStreet,
  kAddrCityStateZipTail,
  kAddrStreetWord,
  kAddrCount
};
enum LinePattern {
  kLineUnit,
  kLinePostal,
  kLineNumberWords,
  kLineWordsNumber,
  kLineUsStreet,
  kLinePoBox,
  kLineShort,
  kLineCount
};

re2::StringPiece Spec(std::string_view pattern) { return {pattern.data(), pattern.size()}; }

struct Patterns {
  // ssn, card, iban, digits_run, nanp and intl define the shapes FindSsnShape, FindDigitGroups,
  // FindIban, FindNanpPhone and FindIntlPhone match by hand (the scan runs no RE2 for them);
  // kept as the specification they must agree with.
  RE2 ssn{Spec(pii::kSsnShapePattern), PatternOptions()};
  RE2 card{Spec(pii::kCardShapePattern), PatternOptions()};
  RE2 iban{Spec(pii::kIbanPattern), PatternOptions()};
  RE2 nanp{Spec(pii::kNanpPhonePattern), PatternOptions()};
  RE2 intl{Spec(pii::kIntlPhonePattern), PatternOptions()};
  RE2 digits_run{Spec(pii::kDigitRunPattern), PatternOptions()};
  RE2 dl{
      R"(\b(?:[A-Za-z]\d{5,14}|[A-Za-z]\d{6}[Rr]|\d{8}[A-Za-z]{2}|\d{9}[A-Za-z]|\d{3}[A-Za-z]\d{6}|[A-Za-z]{1,2}\d{5,9}[A-Za-z]?|\d{7,12})\b)",
      PatternOptions()};
  RE2 passport{R"(\b(?:[A-Za-z]\d{8}|\d{9}|[A-Za-z]{1,2}\d{6,8})\b)", PatternOptions()};
  RE2 date{
      R"((?i)\b(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{1,2}-\d{1,2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d{2}|\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,? (?:19|20)\d{2})\b)",
      PatternOptions()};
  // The specification of pii::FindEmail, which the scan uses instead.
  RE2 email{Spec(pii::kEmailPattern), PatternOptions()};
  RE2 ipv4{Spec(pii::kIpv4Pattern), PatternOptions()};  // the specification of pii::FindIpv4
  // A US street line: house number, optional direction, up to four words, a street type,
  // then an optional unit and an optional "City, ST 12345" tail.
  RE2 us_street{Spec(pii::kUsStreetPattern), PatternOptions()};
  // Street written with the house number after the name ("Vesturgata 66", "Rue X 12"),
  // anchored on a street word inside or at the end of the name.
  RE2 eu_street{Spec(pii::kEuStreetPattern), PatternOptions()};
  RE2 po_box{Spec(pii::kPoBoxPattern), PatternOptions()};
  RE2 military{Spec(pii::kMilitaryPattern), PatternOptions()};
  RE2 number_words_number{Spec(pii::kNumberWordsNumberPattern), PatternOptions()};
  RE2 unit_inline{Spec(pii::kUnitInlinePattern), PatternOptions()};
  // "Thailand 52574" / "Greenville 29601" ending a line.
  RE2 place_zip{
      R"(\b[A-Z\xc0-\xdf][A-Za-z\x80-\xff]+(?: [A-Z\xc0-\xdf][A-Za-z\x80-\xff]+){0,3},? \d{5}\s*$)",
      PatternOptions()};
  RE2 named_street{Spec(pii::kNamedStreetPattern), PatternOptions()};
  RE2 unit_line{Spec(pii::kUnitLinePattern), PatternOptions()};
  RE2 postal_line{Spec(pii::kPostalLinePattern), PatternOptions()};
  RE2 city_state_zip{
      R"(\b[A-Za-z\x80-\xff][A-Za-z\x80-\xff .'\-]{1,30},\s*(?:[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\.?\s+\d{5}(?:-\d{4})?\b)",
      PatternOptions()};
  RE2 short_line{Spec(pii::kShortLinePattern), PatternOptions()};
  RE2 number_words_line{Spec(pii::kNumberWordsLinePattern), PatternOptions()};
  RE2 street_word{Spec(pii::kStreetWordPattern), PatternOptions()};
  // The tail every city_state_zip match contains. city_state_zip's counted city run makes its
  // DFA thrash (it cost more than all other detectors together), so it runs only in windows
  // that have this tail.
  RE2 city_state_zip_tail{Spec(pii::kCityStateZipTailPattern), PatternOptions()};
  // Which line patterns match a short line that may be strong (address_shapes.h): one DFA
  // pass instead of one per pattern.
  RE2::Set line_set{PatternOptions(), RE2::UNANCHORED};
  // The members of the set, in the order of LinePattern.
  std::array<const RE2*, kLineCount> LineMembers() const {
    return {&unit_line, &postal_line, &number_words_line, &words_number_line,
            &us_street, &po_box,      &short_line};
  }
  RE2 words_number_line{Spec(pii::kWordsNumberLinePattern), PatternOptions()};
};

// A hit: trigger id and end offset (Hyperscan reports ends only; we never ask for starts,
// which would cost 4-5x in Hyperscan).
struct Hit {
  unsigned id;
  std::size_t end;
};

void AddHit(std::vector<Hit>& hits, unsigned id, std::size_t to) {
  // A long run of digits reports at every digit: keep one hit per 16 bytes per trigger.
  bool coalesce = id != kTrigHonorific && id != kTrigSalutation && id != kTrigIntro &&
                  id != kTrigDob && id != kTrigDl && id != kTrigPassport;
  if (coalesce && !hits.empty() && hits.back().id == id && to - hits.back().end < 16) {
    hits.back().end = to;
    return;
  }
  hits.push_back({id, to});
}

// The reported hits (Hyperscan's, and the e-mail and IPv6 triggers', which it reported before),
// with the hits found by hand (by end) slotted in where Hyperscan would have reported them, so
// that the hits and their coalescing are as when Hyperscan found all of them. At equal ends
// Hyperscan reported the word pass's triggers (now `word_hits`) before its other patterns, and
// the postal-code trigger (`zip_ends`) after them (the house shape ends on a digit and the
// licence words on letters where no other trigger ends); the postal code's match before a final
// line break came last of all. The number and IPv4 triggers
// (`digit_runs`, hand-found too) end where no other Hyperscan pattern does (the IPv6 one ends at
// most four bytes after a colon, which starts a digit chain); they go after the other hand-found
// ones and before the postal code. A digit run stands for several ends, and no other trigger
// ends after its first and before its last: in a digit chain, the others end only in its first
// digit run, or at the end of the text. (TriggerHitsForTest compares all this with Hyperscan.)
struct HitSink {
  HitSink(std::vector<Hit>* hits, const std::vector<Hit>* word_hits,
          const pii::TriggerShapes* shapes)
      : hits(hits), word_hits(word_hits), shapes(shapes) {
    NextWordHit();
    NextHouse();
    NextDl();
    NextDigitRun();
    NextZip();
  }

  // Adds the hand-found hits that come before a reported hit ending at `end`.
  void FlushBefore(std::size_t end) {
    while (true) {
      std::size_t first = std::min({word, house, dl});  // before digit runs at equal ends
      if (first != kNoHit && first <= end && first <= digits && first <= zip) {
        if (word == first) {
          const Hit& hit = (*word_hits)[next_word_hit++];
          AddHit(*hits, hit.id, hit.end);
          NextWordHit();
        } else if (house == first) {
          AddHit(*hits, kTrigHouse, house);
          ++next_house;
          NextHouse();
        } else {
          AddHit(*hits, kTrigDl, dl);
          ++next_dl;
          NextDl();
        }
      } else if (digits != kNoHit && digits <= end && digits <= zip) {
        const pii::DigitTriggerRun& run = shapes->digit_runs[next_digit_run++];
        AddHit(*hits, run.ipv4 ? kTrigIpv4 : kTrigNumber, run.first);
        hits->back().end = run.last;  // both coalesce: the run's later ends are closer than 16
        NextDigitRun();
      } else if (zip != kNoHit && zip < end) {
        AddHit(*hits, kTrigZip, zip);
        ++next_zip;
        NextZip();
      } else {
        return;
      }
    }
  }
  // After the scan: all that is left, in order.
  void FlushAll() {
    FlushBefore(kNoHit);
    for (; next_zip < shapes->zip_ends.size(); ++next_zip) {
      AddHit(*hits, kTrigZip, shapes->zip_ends[next_zip]);
    }
  }

 private:
  static constexpr std::size_t kNoHit = static_cast<std::size_t>(-1);
  // Each list's next end (kNoHit after its last), kept rather than looked up in every step.
  void NextWordHit() {
    word = next_word_hit < word_hits->size() ? (*word_hits)[next_word_hit].end : kNoHit;
  }
  void NextHouse() {
    house = next_house < shapes->house_ends.size() ? shapes->house_ends[next_house] : kNoHit;
  }
  void NextDl() { dl = next_dl < shapes->dl_ends.size() ? shapes->dl_ends[next_dl] : kNoHit; }
  void NextDigitRun() {
    digits = next_digit_run < shapes->digit_runs.size() ? shapes->digit_runs[next_digit_run].first
                                                        : kNoHit;
  }
  // Only the first zip_in_order of the postal-code ends (all but one before a final line
  // break) are in order.
  void NextZip() { zip = next_zip < shapes->zip_in_order ? shapes->zip_ends[next_zip] : kNoHit; }

  std::vector<Hit>* hits;
  const std::vector<Hit>* word_hits;
  const pii::TriggerShapes* shapes;
  std::size_t next_word_hit = 0;
  std::size_t next_house = 0;
  std::size_t next_dl = 0;
  std::size_t next_digit_run = 0;
  std::size_t next_zip = 0;
  std::size_t word = kNoHit;
  std::size_t house = kNoHit;
  std::size_t dl = kNoHit;
  std::size_t digits = kNoHit;
  std::size_t zip = kNoHit;
};

// Hyperscan's hits, in its order, into a list.
struct Reported {
  std::vector<Hit>* hits;
  std::size_t base;  // of the chunk being scanned
};

int CollectHit(unsigned int id, unsigned long long /*from*/, unsigned long long to,
               unsigned int /*flags*/, void* context) {
  auto* reported = static_cast<Reported*>(context);
  reported->hits->push_back({id, static_cast<std::size_t>(to) + reported->base});
  return 0;
}

// A whole token that is a given name: its id in Gazetteer::literal_names and its end.
struct NameHit {
  unsigned id;
  std::size_t end;
};

using Region = pii::TextRange;
using pii::FindDigitGroupsIn;
using pii::FindIntlPhone;
using pii::FindIntlPhoneIn;
using pii::FindNanpPhone;
using pii::FindNanpPhoneIn;
using pii::FindSsnShapeIn;
using pii::IsRe2WordChar;
using pii::Re2BoundaryAfter;
using pii::Re2BoundaryBefore;

// Lines longer than this are prose, not parts of a postal address block.
constexpr std::size_t kShortLine = 100;

// Windows per family, merged when they overlap.
// (In place: the vectors are per-thread scratch space, reused for every text.)
std::vector<Region>& MergeRegions(std::vector<Region>& regions) {
  auto by_start = [](const Region& a, const Region& b) { return a.start < b.start; };
  // The windows are made in order of their triggers' ends, so they are nearly always in order
  // already (every call on the bench corpus and on real mail): std::sort of them was 0.9% of
  // the scan.
  if (!std::is_sorted(regions.begin(), regions.end(), by_start)) {
    std::sort(regions.begin(), regions.end(), by_start);
  }
  std::size_t merged = 0;
  for (const Region& region : regions) {
    if (merged > 0 && region.start <= regions[merged - 1].end) {
      regions[merged - 1].end = std::max(regions[merged - 1].end, region.end);
    } else {
      regions[merged++] = region;
    }
  }
  regions.resize(merged);
  return regions;
}

// Runs `re` over text[region) (with the whole text as context for \b), calling `found` with
// each match's byte range.
template <typename F>
void ForEachMatch(const RE2& re, std::string_view text, Region region, F found) {
  std::size_t pos = region.start;
  re2::StringPiece match;
  re2::StringPiece input(text.data(), text.size());
  while (pos < region.end && re.Match(input, pos, region.end, RE2::UNANCHORED, &match, 1)) {
    std::size_t start = static_cast<std::size_t>(match.data() - text.data());
    std::size_t end = start + match.size();
    found(start, end);
    pos = end > start ? end : start + 1;
  }
}

// Calls found(start, end) for each successive match of `find` in the region.
template <typename Find, typename F>
void ForEachShapeMatch(std::string_view text, Region region, Find find, F found) {
  std::size_t pos = region.start;
  Region match{};
  while (pos < region.end && find(text, pos, region.end, &match)) {
    found(match.start, match.end);
    pos = match.end > match.start ? match.end : match.start + 1;
  }
}

// As ForEachShapeMatch, for the matchers over the window's shared starts (find(text, starts,
// from, match)) of shapes with at least min_digits digits: a window with fewer holds none.
template <typename Find, typename F>
void ForEachStartsMatch(std::string_view text, const pii::NumberStarts& starts, Region region,
                        std::size_t min_digits, Find find, F found) {
  if (starts.digits() < min_digits) {
    return;
  }
  ForEachShapeMatch(
      text, region,
      [&](std::string_view t, std::size_t from, std::size_t, Region* match) {
        return find(t, starts, from, match);
      },
      found);
}

}  // namespace

struct PiiScanner::Impl {
  hs_database_t* triggers = nullptr;
  Gazetteer gazetteer;
  WordPrefixes word_prefixes;
  Patterns patterns;
  const i18n::phonenumbers::PhoneNumberUtil* phone_util = nullptr;

  ~Impl() { hs_free_database(triggers); }

  Status Compile();
  void ScanNumbers(std::string_view text, Region region, std::vector<PiiSpan>& out) const;
  void ScanContextual(std::string_view text, const std::vector<Hit>& hits,
                      std::vector<PiiSpan>& out) const;
  void ScanAddresses(std::string_view text, Region region, std::vector<PiiSpan>& out) const;
  void FindGivenNames(std::string_view text, std::vector<NameHit>& hits,
                      std::vector<Hit>& trigger_hits,
                      std::vector<std::uint32_t>& capital_starts) const;
  void ScanNames(std::string_view text, const std::vector<NameHit>& hits,
                 const std::vector<Hit>& context_hits,
                 const std::vector<std::uint32_t>& capital_starts, std::vector<PiiSpan>& out) const;
  void ScanKnownNames(std::string_view text, const ScanHints& hints,
                      std::vector<PiiSpan>& out) const;
  std::size_t PersonExtent(std::string_view text, std::size_t after, int max_tokens,
                           bool lower_case_ok, bool need_known) const;
  bool PhoneValid(std::string_view candidate) const;
};

namespace {

// Per-thread scratch space of Scan. The vectors keep their capacity from one text to the
// next: a large input is scanned in pieces, and fresh vectors for every piece cost page faults
// on fresh memory (6% of a scan's time) as they grew. A vector grown past kKeep bytes (only a
// pathological text does that: a 16 MiB piece of the dense benchmark corpus needed a few MB in
// all; `pii scan` now gives it 2 MiB pieces) is released after the scan rather than kept.
struct ThreadScratch {
  const void* owner = nullptr;
  hs_scratch_t* triggers = nullptr;
  std::vector<Hit> hits;
  std::vector<Hit> word_hits;
  std::vector<Hit> ut_hits;
  std::vector<Hit> merged_hits;
  std::vector<Hit> contextual;
  std::vector<NameHit> name_hits;
  std::vector<std::uint32_t> capital_starts;  // WordPass's, for ScanNames
  pii::TriggerShapes shapes;
  std::vector<Hit> reported;  // by Hyperscan
  std::vector<Region> numbers;
  std::vector<Region> emails;
  std::vector<Region> ipv4;
  std::vector<Region> ipv6;
  std::vector<Region> addresses;
  std::vector<PiiSpan> spans;
  std::vector<PiiSpan> resolved;

  static constexpr std::size_t kKeep = std::size_t{64} << 20;

  template <typename T>
  static void Clear(std::vector<T>& v) {
    if (v.capacity() * sizeof(T) > kKeep) {
      std::vector<T>().swap(v);
    } else {
      v.clear();
    }
  }
  void ClearAll() {
    Clear(hits);
    Clear(word_hits);
    Clear(ut_hits);
    Clear(merged_hits);
    Clear(contextual);
    Clear(name_hits);
    // Not cleared: WordPass writes every word it sizes it to, and resizing a cleared vector
    // would fill it with zeros first (a memset of an eighth of the text's size; 0.14% of the
    // scan's instructions on pii-20m).
    if (capital_starts.capacity() * sizeof(std::uint32_t) > kKeep) {
      std::vector<std::uint32_t>().swap(capital_starts);
    }
    Clear(shapes.digit_runs);
    Clear(shapes.house_ends);
    Clear(shapes.zip_ends);
    Clear(shapes.dl_ends);
    Clear(shapes.email_ipv6);
    Clear(reported);
    Clear(numbers);
    Clear(emails);
    Clear(ipv4);
    Clear(ipv6);
    Clear(addresses);
    Clear(spans);
    Clear(resolved);
  }
  ~ThreadScratch() { hs_free_scratch(triggers); }
};

}  // namespace

Status PiiScanner::Impl::Compile() {
  gazetteer.Load();
  word_prefixes.Build(gazetteer);
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (const TriggerPattern& trigger : kTriggers) {
    expressions.push_back(trigger.expression);
    flags.push_back(trigger.flags);
    ids.push_back(trigger.id);
  }
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &triggers,
                       &error) != HS_SUCCESS) {
    std::string message = error != nullptr ? error->message : "unknown error";
    int which = error != nullptr ? error->expression : -1;
    hs_free_compile_error(error);
    return Status::Internal("PII trigger pattern " + std::to_string(which) +
                            " does not compile: " + message);
  }
  for (const RE2* re : {&patterns.ssn,
                        &patterns.card,
                        &patterns.iban,
                        &patterns.nanp,
                        &patterns.intl,
                        &patterns.digits_run,
                        &patterns.dl,
                        &patterns.passport,
                        &patterns.date,
                        &patterns.email,
                        &patterns.ipv4,
                        &patterns.us_street,
                        &patterns.eu_street,
                        &patterns.po_box,
                        &patterns.military,
                        &patterns.number_words_number,
                        &patterns.unit_inline,
                        &patterns.place_zip,
                        &patterns.named_street,
                        &patterns.unit_line,
                        &patterns.postal_line,
                        &patterns.city_state_zip,
                        &patterns.short_line,
                        &patterns.number_words_line,
                        &patterns.words_number_line,
                        &patterns.city_state_zip_tail,
                        &patterns.street_word}) {
    if (!re->ok()) {
      return Status::Internal("PII pattern does not compile: " + re->pattern() + ": " +
                              re->error());
    }
  }
  for (const RE2* re : patterns.LineMembers()) {
    std::string error;
    if (patterns.line_set.Add(re->pattern(), &error) < 0) {
      return Status::Internal("PII address line pattern does not compile into a set: " + error);
    }
  }
  if (!patterns.line_set.Compile()) {
    return Status::Internal("PII address line pattern set does not compile");
  }
  auto* util = i18n::phonenumbers::PhoneNumberUtil::GetInstance();
  util->SetLogger(new i18n::phonenumbers::NullLogger());  // takes ownership
  phone_util = util;
  return Status();
}

bool PiiScanner::Impl::PhoneValid(std::string_view candidate) const {
  // libphonenumber parses with ICU regular expressions: microseconds a number. Mail repeats
  // its numbers (signatures, quoted replies, forwarded headers), so the answers are kept per
  // thread, by the candidate's exact bytes: the answer depends on nothing else. (On the Enron
  // mailbox libphonenumber was 5% of the scan.)
  struct Slot {
    std::string candidate;
    bool valid = false;
  };
  constexpr std::size_t kSlots = 1024;
  thread_local std::vector<Slot> cache(kSlots);
  Slot& slot = cache[std::hash<std::string_view>{}(candidate) % kSlots];
  if (!slot.candidate.empty() && slot.candidate == candidate) {
    return slot.valid;
  }
  i18n::phonenumbers::PhoneNumber number;
  std::string text(candidate);
  bool valid = phone_util->Parse(text, "US", &number) ==
                   i18n::phonenumbers::PhoneNumberUtil::NO_PARSING_ERROR &&
               phone_util->IsValidNumber(number);
  slot.candidate = std::move(text);
  slot.valid = valid;
  return valid;
}

namespace {

// Dates, SSNs, ZIP+4 and plain decimals are not phone numbers: does the candidate's shape
// (digits as 9) fully match one of 99/99/9999 (1-2, 1-2, 2-4 digits; separators / . -),
// 9999-99-99, 999-99-9999, 99999-9999, 9+.9+ or 9+,999(,999)*? Written out by hand because
// it runs for every phone-shaped candidate.
bool LooksLikeNonPhone(std::string_view candidate) {
  constexpr std::size_t kMaxGroups = 8;
  std::size_t groups[kMaxGroups];
  char separators[kMaxGroups];
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < candidate.size()) {
    std::size_t start = i;
    while (i < candidate.size() && IsDigit(candidate[i])) {
      ++i;
    }
    if (i == start || count == kMaxGroups) {
      return false;  // starts with (or has two) separators, or too many groups
    }
    groups[count] = i - start;
    separators[count] = 0;
    if (i < candidate.size()) {
      separators[count] = candidate[i];
      ++i;
      if (i == candidate.size()) {
        return false;  // ends with a separator
      }
    }
    ++count;
  }
  auto date_separator = [](char c) { return c == '/' || c == '.' || c == '-'; };
  if (count == 3) {
    if (groups[0] <= 2 && groups[1] <= 2 && groups[2] >= 2 && groups[2] <= 4 &&
        date_separator(separators[0]) && date_separator(separators[1])) {
      return true;
    }
    if (separators[0] == '-' && separators[1] == '-' &&
        ((groups[0] == 4 && groups[1] == 2 && groups[2] == 2) ||
         (groups[0] == 3 && groups[1] == 2 && groups[2] == 4))) {
      return true;
    }
  }
  if (count == 2) {
    if (separators[0] == '-' && groups[0] == 5 && groups[1] == 4) {
      return true;
    }
    if (separators[0] == '.') {
      return true;
    }
  }
  if (count >= 2) {
    for (std::size_t g = 0; g + 1 < count; ++g) {
      if (separators[g] != ',' || groups[g + 1] != 3) {
        return false;
      }
    }
    return true;
  }
  return false;
}

// The digits of a number candidate, without the std::string of pii::DigitsOf (an allocation
// for each longer than 15 bytes). Keeps the first kKept; size() counts them all.
class CandidateDigits {
 public:
  explicit CandidateDigits(std::string_view candidate) {
    // Without a branch per byte (they mispredicted at every separator): each byte is stored
    // where the next digit goes, and counted if it is one.
    for (char c : candidate) {
      kept_[std::min(size_, kKept)] = c;
      size_ += IsDigit(c) ? 1 : 0;
    }
  }
  std::size_t size() const { return size_; }
  // All the digits: only for candidates of at most kKept (every shape but the international
  // phone, whose digits are only counted).
  operator std::string_view() const { return {kept_.data(), std::min(size_, kKept)}; }
  char operator[](std::size_t i) const { return kept_[i]; }
  const char* begin() const { return kept_.data(); }
  const char* end() const { return kept_.data() + std::min(size_, kKept); }

 private:
  static constexpr std::size_t kKept = 32;
  std::array<char, kKept + 1> kept_;  // only the first size() are read
  std::size_t size_ = 0;
};

}  // namespace

void PiiScanner::Impl::ScanNumbers(std::string_view text, Region region,
                                   std::vector<PiiSpan>& out) const {
  // The matchers' starts, found once for all of them.
  thread_local pii::NumberStarts thread_starts;
  pii::NumberStarts& starts = thread_starts;
  starts.Reset(text, region.start, region.end);
  // SSN / ITIN (the shapes of patterns.ssn).
  // (Each shape is looked for only if the window holds as many digits as the shape has.)
  ForEachStartsMatch(text, starts, region, 9, FindSsnShapeIn, [&](std::size_t s, std::size_t e) {
    CandidateDigits digits(text.substr(s, e - s));
    bool bare = e - s == 9;
    bool context = ContextBefore(text, s, 48, kSsnContext);
    if (pii::IsValidSsn(digits)) {
      if (bare && !context) {
        return;  // nine digits alone: order numbers, licence numbers, routing numbers
      }
      bool dashed = text[s + 3] == '-';
      double confidence = context ? 0.99 : (dashed ? 0.85 : 0.6);
      if (confidence >= 0.6) {
        out.push_back({s, e, PiiType::kSsn, bare ? "ssn-bare-context" : "ssn", confidence});
      }
    } else if (pii::IsValidItin(digits) && (!bare || context)) {
      out.push_back({s, e, PiiType::kItin, "itin", context ? 0.97 : 0.8});
    } else if (context && digits[0] == '9' && !bare) {
      // A 9xx number where an SSN is asked for: another taxpayer number (IRSN, ATIN).
      out.push_back({s, e, PiiType::kItin, "taxpayer-id-context", 0.8});
    }
  });
  // Payment cards (the shape of patterns.card: 13 to 19 digits).
  if (starts.may_hold_long_chain())
    ForEachStartsMatch(
        text, starts, region, 13,
        [](std::string_view t, const pii::NumberStarts& at, std::size_t from, Region* match) {
          return FindDigitGroupsIn(t, at, from, 13, 19, match);
        },
        [&](std::size_t s, std::size_t e) {
          std::string_view candidate = text.substr(s, e - s);
          CandidateDigits digits(candidate);
          // Separators, if any, must be one kind (4-4-4-4, 4-6-5): "1234-5678 9012" is not a card.
          bool has_space = candidate.find(' ') != std::string_view::npos;
          bool has_dash = candidate.find('-') != std::string_view::npos;
          if ((has_space && has_dash) || digits.size() < 13 || digits.size() > 19) {
            return;
          }
          if (!pii::LuhnValid(digits) || pii::CardIssuer(digits).empty()) {
            return;
          }
          if (std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits[0]; })) {
            return;
          }
          bool context = ContextBefore(text, s, 48, kCardContext);
          out.push_back({s, e, PiiType::kCard, "card-luhn", context ? 0.99 : 0.9});
        });
  // IBAN: the pattern may run on into the next word; cut at the country's length.
  // (pii::FindIbanIn matches patterns.iban by hand. It used to run only in windows where an RE2
  // set of it matched the window alone; that set never turned away a window with a match, since
  // the window's edges as the text's only add \b's at its start.)
  if (starts.any_iban())
    ForEachStartsMatch(text, starts, region, 2, pii::FindIbanIn, [&](std::size_t s, std::size_t e) {
      std::size_t alnum = 0;
      for (std::size_t i = s; i < e; ++i) {
        if (text[i] == ' ') {
          continue;
        }
        ++alnum;
        if (alnum >= 15 && (i + 1 == e || text[i + 1] == ' ' || !IsWordChar(text[i + 1]))) {
          if (pii::IsValidIban(text.substr(s, i + 1 - s))) {
            out.push_back({s, i + 1, PiiType::kIban, "iban-mod97", 0.99});
            return;
          }
        }
      }
    });
  // Phone numbers: NANP shapes, then any digit groups with phone context.
  auto looks_like_other = [&](std::string_view candidate) { return LooksLikeNonPhone(candidate); };
  // The phone shapes are matched by hand (FindNanpPhone, FindIntlPhone). They used to be
  // members of an RE2 set, which saw the window alone (its edges as the text's edges): the
  // same test, done only once a match is found, keeps exactly the windows that set let through.
  auto in_window = [&](int& known, auto find, std::size_t s, std::size_t e) {
    // A match that touches neither edge of the window never looked past them (\b is only
    // tested at a match's ends), so the window alone has it too.
    if (known < 0 && s > region.start && e < region.end) {
      known = 1;
    }
    if (known < 0) {
      Region ignored{};
      std::string_view window = text.substr(region.start, region.end - region.start);
      known = find(window, 0, window.size(), &ignored) ? 1 : 0;
    }
    return known == 1;
  };
  int nanp_in_window = -1;  // unknown
  // Phone words before a start and after an end, remembered from the NANP candidates: the
  // international shape mostly finds the same numbers again.
  struct Remembered {
    std::size_t at;
    bool found;
  };
  // (Not cleared: only the first `seen` are read, and clearing them cost as much as a matcher.)
  std::array<Remembered, 8> before_seen;
  std::array<Remembered, 8> after_seen;
  std::size_t seen = 0;
  auto phone_before = [&](std::size_t s) {
    for (std::size_t k = 0; k < seen; ++k) {
      if (before_seen[k].at == s) {
        return before_seen[k].found;
      }
    }
    return ContextBefore(text, s, 32, kPhoneBefore);
  };
  auto phone_after = [&](std::size_t e) {
    for (std::size_t k = 0; k < seen; ++k) {
      if (after_seen[k].at == e) {
        return after_seen[k].found;
      }
    }
    return ContextAfter(text, e, 16, kPhoneAfter);
  };
  ForEachStartsMatch(text, starts, region, 10, FindNanpPhoneIn, [&](std::size_t s, std::size_t e) {
    if (!in_window(nanp_in_window, FindNanpPhone, s, e)) {
      return;
    }
    std::string_view candidate = text.substr(s, e - s);
    if (looks_like_other(candidate)) {
      return;
    }
    bool separated = candidate.find_first_of(" .-()") != std::string_view::npos;
    bool before = ContextBefore(text, s, 32, kPhoneBefore);
    bool after = ContextAfter(text, e, 16, kPhoneAfter);
    if (seen < before_seen.size()) {
      before_seen[seen] = {s, before};
      after_seen[seen] = {e, after};
      ++seen;
    }
    // libphonenumber settles the doubtful cases; with context the shape is evidence enough.
    bool valid = (before || after) ? true : PhoneValid(candidate);
    double confidence = 0;
    if (valid && separated) {
      confidence = (before || after) ? 0.99 : 0.9;
    } else if (separated) {
      confidence = (before || after) ? 0.9 : 0.7;
    } else if (before || after) {
      confidence = valid ? 0.9 : 0.75;
    }
    if (confidence > 0) {
      out.push_back({s, e, PiiType::kPhone, valid ? "phone-nanp" : "phone-nanp-shape", confidence});
    }
  });
  int intl_in_window = -1;  // unknown
  ForEachStartsMatch(text, starts, region, 0, FindIntlPhoneIn, [&](std::size_t s, std::size_t e) {
    if (!in_window(intl_in_window, FindIntlPhone, s, e)) {
      return;
    }
    std::string_view candidate = text.substr(s, e - s);
    // Only the digits' count is needed: from the window's digit mask when the candidate is
    // short enough for one look-up (nearly all are).
    std::size_t digits =
        e - s <= 64 ? starts.DigitsAhead(s, e - s) : CandidateDigits(candidate).size();
    if (digits < 6 || digits > 15 || looks_like_other(candidate)) {
      return;
    }
    bool plus = candidate[0] == '+' || (candidate.size() > 3 && candidate.substr(0, 2) == "00" &&
                                        candidate[2] >= '1' && candidate[2] <= '9');
    bool before = phone_before(s);
    bool after = phone_after(e);
    if (plus && PhoneValid(candidate)) {
      out.push_back({s, e, PiiType::kPhone, "phone-international", before || after ? 0.97 : 0.9});
    } else if ((before || after) && digits >= 6) {
      out.push_back({s, e, PiiType::kPhone, "phone-context", after ? 0.9 : 0.8});
    }
  });
  // Routing and account numbers: digit runs next to banking words.
  // (The shape of patterns.digits_run: 6 to 17 digits.)
  ForEachStartsMatch(
      text, starts, region, 6,
      [](std::string_view t, const pii::NumberStarts& at, std::size_t from, Region* match) {
        return FindDigitGroupsIn(t, at, from, 6, 17, match);
      },
      [&](std::size_t s, std::size_t e) {
        // (A digit run spans at most 33 bytes: its digits are counted with one look-up.)
        if (starts.DigitsAhead(s, e - s) == 9 &&
            pii::IsValidAbaRouting(CandidateDigits(text.substr(s, e - s))) &&
            ContextBefore(text, s, 40, kRoutingContext)) {
          out.push_back({s, e, PiiType::kRoutingNumber, "aba-routing", 0.95});
          return;
        }
        if (ContextBefore(text, s, 32, kAccountContext)) {
          out.push_back({s, e, PiiType::kBankAccount, "account-context", 0.8});
        }
      });
}

void PiiScanner::Impl::ScanContextual(std::string_view text, const std::vector<Hit>& hits,
                                      std::vector<PiiSpan>& out) const {
  for (const Hit& hit : hits) {
    Region forward{hit.end, std::min(text.size(), hit.end + 48)};
    switch (hit.id) {
      case kTrigDob:
        ForEachMatch(patterns.date, text, forward, [&](std::size_t s, std::size_t e) {
          out.push_back({s, e, PiiType::kDateOfBirth, "date-birth-context", 0.9});
        });
        break;
      case kTrigDl:
        ForEachMatch(patterns.dl, text, forward, [&](std::size_t s, std::size_t e) {
          bool has_digit = false;
          for (std::size_t i = s; i < e; ++i) {
            has_digit = has_digit || IsDigit(text[i]);
          }
          if (has_digit && ContextBefore(text, s, 40, kDlContext)) {
            out.push_back({s, e, PiiType::kDriverLicense, "driver-license-context", 0.9});
          }
        });
        break;
      case kTrigPassport:
        ForEachMatch(patterns.passport, text, forward, [&](std::size_t s, std::size_t e) {
          if (ContextBefore(text, s, 40, kPassportContext)) {
            out.push_back({s, e, PiiType::kPassport, "passport-context", 0.9});
          }
        });
        break;
      default:
        break;
    }
  }
}

namespace {

// Which patterns of `set` match somewhere in `piece`. `members` are the same patterns in
// the same order: if the set cannot tell (DFA out of memory), each is tried on its own.
template <std::size_t N>
std::array<bool, N> SetMatches(const RE2::Set& set, const std::array<const RE2*, N>& members,
                               std::string_view piece) {
  std::array<bool, N> on{};
  thread_local std::vector<int> matched;
  matched.clear();
  RE2::Set::ErrorInfo error{};
  re2::StringPiece input(piece.data(), piece.size());
  if (!set.Match(input, &matched, &error)) {
    if (error.kind != RE2::Set::kNoError) {
      for (std::size_t i = 0; i < N; ++i) {
        on[i] = RE2::PartialMatch(input, *members[i]);
      }
    }
    return on;
  }
  for (int index : matched) {
    on[static_cast<std::size_t>(index)] = true;
  }
  return on;
}

// Does the line (text[start, end)) end in " 12345" and white space? place_zip needs that.
bool EndsInZip(std::string_view text, std::size_t start, std::size_t end) {
  while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r' ||
                         text[end - 1] == '\n' || text[end - 1] == '\f' || text[end - 1] == '\v')) {
    --end;
  }
  if (end - start < 6) {
    return false;
  }
  for (std::size_t i = end - 5; i < end; ++i) {
    if (!IsDigit(text[i])) {
      return false;
    }
  }
  return text[end - 6] == ' ';
}

}  // namespace

void PiiScanner::Impl::ScanAddresses(std::string_view text, Region region,
                                     std::vector<PiiSpan>& out) const {
  // Which of the small address patterns can match in the region: hand checks on the region
  // alone (address_shapes.h) in place of an RE2::Set pass over it, which cost 2.4% of the
  // scan's instructions. Each check holds whenever its pattern matches in the region alone,
  // and a match in context (what the loops below find) is one in the region alone: but for
  // military and named_street, whose \b may stand next to a byte >= 0x80 at the region's
  // edge. So named_street's check is exact, and military's is confirmed by RE2 (rare): the
  // loops find what they found behind the set.
  const std::string_view piece = text.substr(region.start, region.end - region.start);
  std::array<bool, kAddrCount> can{};
  can[kAddrPoBox] = pii::MayHoldPoBox(piece);
  can[kAddrMilitary] =
      (can[kAddrPoBox] || pii::MayHoldShipName(piece)) &&
      RE2::PartialMatch(re2::StringPiece(piece.data(), piece.size()), patterns.military);
  can[kAddrNumberWordsNumber] = pii::MayHoldNumberWordsNumber(piece);
  can[kAddrUnitInline] = pii::MayHoldUnitInline(piece);
  pii::TextRange named{};
  can[kAddrNamedStreet] = pii::NextNamedStreetWindow(piece, 0, piece.size(), &named);
  can[kAddrCityStateZipTail] = pii::MayHoldCityStateZipTail(piece);
  // eu_street keeps only matches with a street word: it runs only where one can lie in such a
  // match, not wherever the set found a street word (2 in 3 windows of the bench corpus).
  can[kAddrStreetWord] = pii::MayHoldEuStreetWithWord(piece);
  // us_street and named_street search only where their next match can be (address_shapes.h):
  // most of a window is prose they cannot match, which RE2 read to the window's end again
  // after every match. us_street's matches there are found by hand (pii::MatchUsStreetAt).
  pii::ForEachUsStreetMatch(text, region, [&](std::size_t s, std::size_t e) {
    // "5 St" or "12 Dr" alone is too little; want at least one word between number and type.
    std::string_view candidate = text.substr(s, e - s);
    if (std::count(candidate.begin(), candidate.end(), ' ') < 2) {
      return;
    }
    out.push_back({s, e, PiiType::kStreetAddress, "street", 0.9});
  });
  if (can[kAddrPoBox])
    ForEachMatch(patterns.po_box, text, region, [&](std::size_t s, std::size_t e) {
      out.push_back({s, e, PiiType::kStreetAddress, "po-box", 0.95});
    });
  if (can[kAddrMilitary])
    ForEachMatch(patterns.military, text, region, [&](std::size_t s, std::size_t e) {
      out.push_back({s, e, PiiType::kStreetAddress, "military-address", 0.8});
    });
  if (can[kAddrNumberWordsNumber])
    ForEachMatch(patterns.number_words_number, text, region, [&](std::size_t s, std::size_t e) {
      // "31 Dec 2001" is a date; "5 TECHNOLOGIES IN 2002" is a heading.
      static const RE2 kDateLike(
          R"((?i)^\d+ (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d+$)",
          PatternOptions());
      std::string_view candidate = text.substr(s, e - s);
      re2::StringPiece piece(candidate.data(), candidate.size());
      bool has_lower = std::any_of(candidate.begin(), candidate.end(), IsAsciiLower);
      if (RE2::FullMatch(piece, kDateLike) || !has_lower) {
        return;
      }
      out.push_back({s, e, PiiType::kStreetAddress, "number-name-number", 0.7});
    });
  if (can[kAddrUnitInline])
    ForEachMatch(patterns.unit_inline, text, region, [&](std::size_t s, std::size_t e) {
      out.push_back({s, e, PiiType::kStreetAddress, "unit", 0.7});
    });
  if (can[kAddrNamedStreet]) {
    // No window starts before the one found in the region alone, unless \b differs at the
    // region's start (a word byte before it): search from there, not again from the start.
    bool same_edge = region.start == 0 || !IsRe2WordChar(text[region.start - 1]);
    Region rest{same_edge ? region.start + named.start : region.start, region.end};
    pii::ForEachWindowedMatch(patterns.named_street, text, rest, pii::NextNamedStreetWindow,
                              [&](std::size_t s, std::size_t e) {
                                out.push_back({s, e, PiiType::kStreetAddress, "named-street", 0.6});
                              });
  }
  {
    // Line-final "Place 12345": check each line of the region.
    std::size_t line_start = region.start;
    while (line_start < region.end) {
      std::size_t line_end = LineEnd(text, line_start);
      if (EndsInZip(text, line_start, line_end))
        ForEachMatch(patterns.place_zip, text, Region{line_start, line_end},
                     [&](std::size_t s, std::size_t e) {
                       out.push_back({s, e, PiiType::kStreetAddress, "place-postcode", 0.6});
                     });
      line_start = line_end + 1;
    }
  }
  if (can[kAddrCityStateZipTail])
    ForEachMatch(patterns.city_state_zip, text, region, [&](std::size_t s, std::size_t e) {
      out.push_back({s, e, PiiType::kStreetAddress, "city-state-zip", 0.85});
    });

  // Multi-line blocks: consecutive lines that look like parts of a postal address (street,
  // unit, city, postal-code line) with at least two strong parts are one address. Most windows
  // have fewer than two short lines that can be strong (address_shapes.h), and no block: their
  // lines are not classified.
  int maybe_strong = 0;
  for (std::size_t start = region.start; start < region.end && maybe_strong < 2;) {
    std::size_t end = std::min(LineEnd(text, start), region.end);
    if (end - start <= kShortLine && pii::MayBeStrongAddressLine(text.substr(start, end - start))) {
      ++maybe_strong;
    }
    start = end + 1;
  }
  if (maybe_strong >= 2) {
    enum LineKind { kOther, kStreet, kUnit, kPostal, kShort };
    struct Line {
      std::size_t start, end;
      LineKind kind;
    };
    std::vector<Line> lines;
    std::size_t pos = region.start;
    while (pos < region.end) {
      std::size_t end = std::min(LineEnd(text, pos), region.end);
      std::string_view line = text.substr(pos, end - pos);
      LineKind kind = kOther;
      if (line.size() <= kShortLine && !pii::MayBeStrongAddressLine(line)) {
        // None of the strong line patterns can match (address_shapes.h): short or other.
        kind = pii::IsShortAddressLine(line) ? kShort : kOther;
      } else if (line.size() <= kShortLine) {
        const std::array<bool, kLineCount> is =
            SetMatches<kLineCount>(patterns.line_set, patterns.LineMembers(), line);
        if (is[kLineUnit]) {
          kind = kUnit;
        } else if (is[kLinePostal]) {
          kind = kPostal;
        } else if (is[kLineNumberWords] || is[kLineWordsNumber] || is[kLineUsStreet] ||
                   is[kLinePoBox]) {
          kind = kStreet;
        } else if (is[kLineShort]) {
          kind = kShort;
        }
      }
      lines.push_back({pos, end, kind});
      pos = end + 1;
    }
    for (std::size_t i = 0; i < lines.size();) {
      if (lines[i].kind == kOther) {
        ++i;
        continue;
      }
      std::size_t j = i;
      int strong = 0;
      bool has_street_or_unit = false;
      while (j < lines.size() && lines[j].kind != kOther && j - i < 6) {
        if (lines[j].kind == kStreet || lines[j].kind == kUnit) {
          has_street_or_unit = true;
          ++strong;
        } else if (lines[j].kind == kPostal) {
          ++strong;
        }
        ++j;
      }
      if (strong >= 2 && has_street_or_unit) {
        // Trim leading/trailing short lines that are not between strong lines (names, firms).
        std::size_t first = i;
        while (first < j && lines[first].kind == kShort) {
          ++first;
        }
        std::size_t last = j;
        while (last > first && lines[last - 1].kind == kShort) {
          --last;
        }
        // A country or city line right after the last strong line belongs to the address.
        if (last < j && lines[last].kind == kShort) {
          ++last;
        }
        std::size_t s = lines[first].start;
        while (s < lines[first].end &&
               (text[s] == ' ' || text[s] == '>' || text[s] == '?' || text[s] == '\t')) {
          ++s;
        }
        std::size_t e = lines[last - 1].end;
        while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\r')) {
          --e;
        }
        if (e > s) {
          out.push_back({s, e, PiiType::kStreetAddress, "address-block", 0.85});
        }
      }
      i = j;
    }
  }
  // European-style street lines ("Vesturgata 66") only where a street word is near.
  if (!can[kAddrStreetWord]) {
    return;
  }
  ForEachMatch(patterns.eu_street, text, region, [&](std::size_t s, std::size_t e) {
    std::string_view candidate = text.substr(s, e - s);
    if (!pii::HoldsStreetWord(candidate)) {  // street_word, matched by hand
      return;
    }
    out.push_back({s, e, PiiType::kStreetAddress, "street-number-after", 0.8});
  });
}

namespace {

// Where words may start (byte by byte: the word pass finds both kinds by blocks, WordPass,
// and these are its specification and the fallback without SSE2).
enum class WordStarts {
  kAsciiLetter,  // an ASCII letter after a byte that is not an ASCII word byte (\b in RE2 and
                 // Hyperscan)
  kCapital       // an ASCII capital or a UTF-8 lead byte, after neither a word byte nor @ . /
};

bool IsWordStartCandidate(std::string_view text, std::size_t i, WordStarts kind) {
  char c = text[i];
  char previous = i > 0 ? text[i - 1] : ' ';
  if (kind == WordStarts::kAsciiLetter) {
    return IsAsciiAlpha(c) && !IsRe2WordChar(previous);
  }
  return (IsAsciiUpper(c) || static_cast<unsigned char>(c) >= 0xC0) && !IsWordChar(previous) &&
         previous != '@' && previous != '.' && previous != '/';
}

// Whether a start the word pass marked in its capital_starts (an ASCII capital or a byte >= 0x80,
// after no ASCII word byte and no byte >= 0x80) is one of kCapital's: not a UTF-8 continuation
// byte, not after "@", "." or "/".
inline bool IsMarkedCapitalStart(std::string_view text, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  char previous = i > 0 ? text[i - 1] : ' ';
  return (c < 0x80 || c >= 0xC0) && previous != '@' && previous != '.' && previous != '/';
}

// Calls f(i) for each candidate position i, in order.
template <typename F>
void ForEachWordStart(std::string_view text, WordStarts kind, F f) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsWordStartCandidate(text, i, kind)) {
      f(i);
    }
  }
}

// The street-type, unit, honorific, salutation and introduction trigger words, as Hyperscan
// matched them (caseless ASCII, ASCII word boundaries; these patterns are their specification):
//   kTrigStreet      \b(?:street|st|...|straße|...|út|ulica|ul)\b
//   kTrigUnit        \b(?:apt|apartment|suite|ste|unit|psc|usn?s|p\.?\s?o\.?\s*box)\b
//   kTrigHonorific   \b(?:mr|mrs|...|hon)\b\.?\s+\w     (reported after the \w)
//   kTrigSalutation  \b(?:dear|hi|...|signed)\b[:,]?\s+\w (reported after the \w)
//   kTrigIntro       \b(?:name is|call me|calls me|named|this is|signed by|contact person|says|
//                    said|asked|told|wrote)\s+\w  (reported after the \w)
// Hits are reported at the same end offsets Hyperscan reported them at.
class TriggerWords {
 public:
  static const TriggerWords& Get() {
    static const TriggerWords kWords;
    return kWords;
  }

  // `s` is an ASCII letter after a byte that is not an ASCII word byte; adds the hits of the
  // word starting there (in order of end). The word pass (FindGivenNames) runs the same
  // pieces, with its own copy of the prefix table that also answers for given names.
  void Match(std::string_view text, std::size_t s, std::vector<Hit>& out) const {
    if (s + 1 >= text.size()) {
      return;
    }
    if (Lower(text[s]) == 'p') {
      MatchPoBox(text, s, out);
    }
    std::size_t key = PrefixKey(text, s);
    if (key != kNoKey && prefixes_[key]) {
      MatchPrefixed(text, s, out);
    }
  }

  // The third and fourth bytes' class: a letter (0-25), not an ASCII word byte (the word has
  // ended), or a digit or underscore (the word goes on but matches nothing).
  static constexpr std::size_t kNotWord = 26;
  static constexpr std::size_t kWordNotLetter = 27;
  // The number of prefix keys, and the key of none.
  static constexpr std::size_t kKeys = 26 * 26 * 27 * 27;
  static constexpr std::size_t kNoKey = kKeys;
  // The word at `s` (an ASCII letter, s + 1 < text.size()) by its first two letters and the
  // next two bytes' classes; kNoKey if no trigger word can start so (the second byte is no
  // letter, or a digit or underscore follows within four bytes).
  static std::size_t PrefixKey(std::string_view text, std::size_t s) {
    const std::size_t size = text.size();
    // The classes come from a table, without a branch per byte: this runs for every word,
    // and branches on "is the word over yet" mispredicted for a good share of them.
    std::size_t second = ClassOf(text[s + 1]);
    std::size_t third = s + 2 < size ? ClassOf(text[s + 2]) : kNotWord;
    std::size_t fourth = third != kNotWord && s + 3 < size ? ClassOf(text[s + 3]) : kNotWord;
    if (second >= kNotWord || third == kWordNotLetter || fourth == kWordNotLetter) {
      return kNoKey;
    }
    return PrefixIndex(ClassOf(text[s]), second, third, fourth);
  }
  // A byte's class (above) by table: ASCII letters by index, other ASCII word bytes
  // kWordNotLetter, everything else kNotWord.
  static std::size_t ClassOf(char c) { return kClasses[static_cast<unsigned char>(c)]; }
  // Could a trigger word start with the prefix `key` (not kNoKey; keys are PrefixIndex's)?
  bool MayStart(std::size_t key) const { return prefixes_[key]; }

  // The rest of Match, for a word whose prefix key passed MayStart.
  void MatchPrefixed(std::string_view text, std::size_t s, std::vector<Hit>& out) const {
    const std::size_t size = text.size();
    std::size_t q = s + 2;
    while (q < size && q - s <= kLongest && IsRe2WordChar(text[q])) {
      ++q;
    }
    if (q - s > kLongest) {
      return;
    }
    char lower[kLongest];
    for (std::size_t k = s; k < q; ++k) {
      lower[k - s] = Lower(text[k]);
    }
    std::string_view token(lower, q - s);
    if (token == "stra") {  // "straße" (UTF-8 ß; caseless only in its ASCII letters)
      if (q + 2 < size && text[q] == '\xC3' && text[q + 1] == '\x9F' && Lower(text[q + 2]) == 'e' &&
          Re2BoundaryAfter(text, q + 3)) {
        out.push_back({kTrigStreet, q + 3});
      }
      return;
    }
    const Slot* slot = Find(token);
    if (slot == nullptr) {
      return;
    }
    bool street = (slot->lists & kInStreet) != 0;
    bool honorific = (slot->lists & kInHonorific) != 0;
    bool salutation = (slot->lists & kInSalutation) != 0;
    bool unit = (slot->lists & kInUnit) != 0;
    if (street) {
      out.push_back({kTrigStreet, q});
    }
    if (unit && Re2BoundaryAfter(text, q)) {
      out.push_back({kTrigUnit, q});
    }
    if (honorific || salutation) {
      // Then "." (honorifics) or ":" or "," (salutations), white space and a word byte.
      std::size_t p = q;
      if (p < size && (honorific ? text[p] == '.' : (text[p] == ':' || text[p] == ','))) {
        ++p;
      }
      std::size_t spaces = p;
      while (p < size && IsHyperscanSpace(text[p])) {
        ++p;
      }
      if (p > spaces && p < size && IsRe2WordChar(text[p])) {
        out.push_back({honorific ? kTrigHonorific : kTrigSalutation, p + 1});
      }
    }
    // Introductions end later than the other hits of this word ("name is X" after "name X").
    if ((slot->lists & kInIntro) != 0) {
      MatchIntro(text, kIntro[slot->intro], q, out);
    }
  }
  // "út" (UTF-8 ú): its \b before is between an ASCII word byte and the lead byte.
  static void MatchUt(std::string_view text, std::vector<Hit>& out) {
    std::size_t at = 0;
    while (true) {
      // The second byte, rarer than the lead byte in Latin text.
      const void* found = std::memchr(text.data() + at, '\xBA', text.size() - at);
      if (found == nullptr) {
        return;
      }
      std::size_t second = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
      at = second + 1;
      if (second < 2 || text[second - 1] != '\xC3') {
        continue;
      }
      std::size_t lead = second - 1;
      if (IsRe2WordChar(text[lead - 1]) && lead + 2 < text.size() && Lower(text[lead + 2]) == 't' &&
          Re2BoundaryAfter(text, lead + 3)) {
        out.push_back({kTrigStreet, lead + 3});
      }
    }
  }

 private:
  struct IntroPhrase {
    std::string_view first;
    std::string_view second;  // after one space, or empty
  };

  // kTrigIntro for the word text[.., q), which is phrase.first.
  static void MatchIntro(std::string_view text, const IntroPhrase& phrase, std::size_t q,
                         std::vector<Hit>& out) {
    std::size_t p = q;
    // The second word, if any, after exactly one space ("name is").
    std::string_view second = phrase.second;
    if (!second.empty()) {
      if (q + 1 + second.size() > text.size() || text[q] != ' ') {
        return;
      }
      for (std::size_t k = 0; k < second.size(); ++k) {
        if (Lower(text[q + 1 + k]) != second[k]) {
          return;
        }
      }
      p = q + 1 + second.size();
    }
    std::size_t spaces = p;
    while (p < text.size() && IsHyperscanSpace(text[p])) {
      ++p;
    }
    if (p > spaces && p < text.size() && IsRe2WordChar(text[p])) {
      out.push_back({kTrigIntro, p + 1});
    }
  }

 public:
  // kTrigUnit's p\.?\s?o\.?\s*box\b at `s` (a "p" or "P" at a word start).
  static void MatchPoBox(std::string_view text, std::size_t s, std::vector<Hit>& out) {
    const std::size_t size = text.size();
    std::size_t p = s + 1;
    if (p < size && text[p] == '.') {
      ++p;
    }
    if (p < size && IsHyperscanSpace(text[p])) {
      ++p;
    }
    if (p >= size || Lower(text[p]) != 'o') {
      return;
    }
    ++p;
    if (p < size && text[p] == '.') {
      ++p;
    }
    while (p < size && IsHyperscanSpace(text[p])) {
      ++p;
    }
    if (p + 3 <= size && Lower(text[p]) == 'b' && Lower(text[p + 1]) == 'o' &&
        Lower(text[p + 2]) == 'x' && Re2BoundaryAfter(text, p + 3)) {
      out.push_back({kTrigUnit, p + 3});
    }
  }

 private:
  static constexpr std::string_view kStreet[] = {
      "street", "st",      "avenue", "ave",     "road",    "rd",     "boulevard", "blvd",
      "drive",  "dr",      "lane",   "ln",      "court",   "ct",     "place",     "pl",
      "way",    "parkway", "pkwy",   "highway", "hwy",     "circle", "cir",       "terrace",
      "ter",    "trail",   "trl",    "square",  "sq",      "plaza",  "alley",     "crescent",
      "row",    "rue",     "via",    "calle",   "avenida", "str",    "strasse",   "weg",
      "gasse",  "vej",     "vegen",  "veien",   "gata",    "gatan",  "laan",      "utca",
      "ulica",  "ul"};
  static constexpr std::string_view kHonorific[] = {
      "mr",  "mrs",  "ms",   "miss", "mx",   "dr",    "prof",    "rev", "sir", "madam",
      "mme", "herr", "frau", "sra",  "srta", "judge", "senator", "gov", "sen", "hon"};
  static constexpr std::string_view kSalutation[] = {"dear", "hi",        "hello", "hey",
                                                     "attn", "attention", "name",  "signed"};
  static constexpr std::string_view kUnit[] = {"apt",  "apartment", "suite", "ste",
                                               "unit", "psc",       "uss",   "usns"};
  static constexpr IntroPhrase kIntro[] = {{"name", "is"},        {"call", "me"}, {"calls", "me"},
                                           {"named", ""},         {"this", "is"}, {"signed", "by"},
                                           {"contact", "person"}, {"says", ""},   {"said", ""},
                                           {"asked", ""},         {"told", ""},   {"wrote", ""}};
  static constexpr std::size_t kLongest = 9;  // "boulevard", "attention"

  static std::size_t Index(char c) { return static_cast<std::size_t>(Lower(c) - 'a'); }
  static std::size_t PrefixIndex(std::size_t first, std::size_t second, std::size_t third,
                                 std::size_t fourth) {
    return ((first * 26 + second) * 27 + third) * 27 + fourth;
  }
  // ClassOf's table, built at compile time: no initialisation guard to test per call.
  static constexpr std::array<std::uint8_t, 256> kClasses = [] {
    std::array<std::uint8_t, 256> table{};
    for (int b = 0; b < 256; ++b) {
      bool upper = b >= 'A' && b <= 'Z';
      bool lower = b >= 'a' && b <= 'z';
      bool word = (b >= '0' && b <= '9') || b == '_';
      table[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(
          upper ? b - 'A' : (lower ? b - 'a' : (word ? kWordNotLetter : kNotWord)));
    }
    return table;
  }();
  // Hyperscan's \s: space, \t, \n, \v, \f, \r.
  static bool IsHyperscanSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

  // The lists a word is in: one probe of a small open-addressing table (the words are at most
  // kLongest letters: the first eight are one key, the ninth another) rather than a string
  // comparison with each of the hundred words, for every word that passes `prefixes_`.
  enum : std::uint8_t {
    kInStreet = 1,
    kInHonorific = 2,
    kInSalutation = 4,
    kInUnit = 8,
    kInIntro = 16,
  };
  struct Slot {
    std::uint64_t head = 0;  // the first eight letters, zero-padded
    char ninth = 0;
    std::uint8_t size = 0;  // 0: empty
    std::uint8_t lists = 0;
    std::uint8_t intro = 0;  // index into kIntro
  };
  static constexpr int kSlotBits = 8;  // 256 slots for about 90 words

  static std::size_t SlotIndex(std::uint64_t head, char ninth, std::size_t size) {
    std::uint64_t hash = (head + static_cast<unsigned char>(ninth) * 0x100000001B3ull + size) *
                         0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(hash >> (64 - kSlotBits));
  }
  static void Key(std::string_view word, std::uint64_t* head, char* ninth) {
    *head = 0;
    std::memcpy(head, word.data(), std::min<std::size_t>(word.size(), 8));
    *ninth = word.size() > 8 ? word[8] : 0;
  }
  const Slot* Find(std::string_view word) const {
    std::uint64_t head = 0;
    char ninth = 0;
    Key(word, &head, &ninth);
    for (std::size_t i = SlotIndex(head, ninth, word.size());; i = (i + 1) % slots_.size()) {
      const Slot& slot = slots_[i];
      if (slot.size == 0) {
        return nullptr;
      }
      if (slot.size == word.size() && slot.head == head && slot.ninth == ninth) {
        return &slot;
      }
    }
  }

  TriggerWords() {
    auto add = [&](std::string_view word, std::uint8_t list, std::size_t intro) {
      std::size_t third = word.size() > 2 ? Index(word[2]) : kNotWord;
      std::size_t fourth = word.size() > 3 ? Index(word[3]) : kNotWord;
      prefixes_.Set(PrefixIndex(Index(word[0]), Index(word[1]), third, fourth));
      if (list == 0) {
        return;
      }
      std::uint64_t head = 0;
      char ninth = 0;
      Key(word, &head, &ninth);
      for (std::size_t i = SlotIndex(head, ninth, word.size());; i = (i + 1) % slots_.size()) {
        Slot& slot = slots_[i];
        if (slot.size == 0 ||
            (slot.size == word.size() && slot.head == head && slot.ninth == ninth)) {
          slot.head = head;
          slot.ninth = ninth;
          slot.size = static_cast<std::uint8_t>(word.size());
          slot.lists |= list;
          if (list == kInIntro) {
            slot.intro = static_cast<std::uint8_t>(intro);
          }
          return;
        }
      }
    };
    for (std::string_view word : kStreet) {
      add(word, kInStreet, 0);
    }
    for (std::string_view word : kHonorific) {
      add(word, kInHonorific, 0);
    }
    for (std::string_view word : kSalutation) {
      add(word, kInSalutation, 0);
    }
    for (std::string_view word : kUnit) {
      add(word, kInUnit, 0);
    }
    for (std::size_t i = 0; i < std::size(kIntro); ++i) {
      add(kIntro[i].first, kInIntro, i);
    }
    add("stra", 0, 0);  // matched apart, in Match
  }

  // By the first two letters and the next two bytes' classes: could a trigger word start here?
  BitTable prefixes_{26 * 26 * 27 * 27};
  std::vector<Slot> slots_ = std::vector<Slot>(std::size_t{1} << kSlotBits);
};

}  // namespace

std::size_t WordPrefixes::KeyAt(std::string_view text, std::size_t s) {
  const std::size_t size = text.size();
  auto class_at = [&](std::size_t i) {
    return i < size ? TriggerWords::ClassOf(text[i]) : TriggerWords::kNotWord;
  };
  std::size_t first = TriggerWords::ClassOf(text[s]) + (IsAsciiUpper(text[s]) ? kCapital : 0);
  return Key(first, class_at(s + 1), class_at(s + 2), class_at(s + 3));
}

void WordPrefixes::Build(const Gazetteer& gazetteer) {
  constexpr std::size_t kNotWord = TriggerWords::kNotWord;
  constexpr std::size_t kWordNotLetter = TriggerWords::kWordNotLetter;
  const TriggerWords& trigger_words = TriggerWords::Get();
  bits_.assign((kKeys + 31) / 32, 0);
  // The TriggerWords keys in order (PrefixIndex), by their classes c.
  std::size_t key = 0;
  std::size_t c[4];
  for (c[0] = 0; c[0] < 26; ++c[0]) {
    for (c[1] = 0; c[1] < 26; ++c[1]) {
      for (c[2] = 0; c[2] <= kNotWord; ++c[2]) {
        for (c[3] = 0; c[3] <= kNotWord; ++c[3], ++key) {
          if (c[2] == kNotWord && c[3] != kNotWord) {
            continue;  // PrefixKey gives no such key
          }
          unsigned trigger = trigger_words.MayStart(key) ? kTrigger : 0;
          unsigned lower_name = 0;
          if (c[2] < 26 && c[3] < 26 &&
              gazetteer.lower_prefixes[((c[0] * 26 + c[1]) * 26 + c[2]) * 26 + c[3]]) {
            lower_name = kName;
          }
          if ((trigger | lower_name) == 0) {
            continue;
          }
          // Every fourth class after a third byte that is no word byte (TriggerWords::
          // PrefixKey does not look at it there); the other keys, those of no TriggerWords
          // key, keep none.
          std::size_t fourth_from = c[2] == kNotWord ? 0 : c[3];
          std::size_t fourth_to = c[2] == kNotWord ? kWordNotLetter : c[3];
          for (std::size_t fourth = fourth_from; fourth <= fourth_to; ++fourth) {
            Set(Key(c[0], c[1], c[2], fourth), trigger | lower_name);
            Set(Key(c[0] + kCapital, c[1], c[2], fourth), trigger);  // trigger words fold case
          }
        }
      }
    }
  }
  // MatchGivenNameAt looks up only words of ASCII letters, three or more.
  for (std::string_view name : gazetteer.literal_names) {
    if (name.size() >= 3 && std::all_of(name.begin(), name.end(), IsAsciiLower)) {
      std::size_t fourth = name.size() > 3 ? TriggerWords::ClassOf(name[3]) : kNotWord;
      Set(Key(TriggerWords::ClassOf(name[0]) + kCapital, TriggerWords::ClassOf(name[1]),
              TriggerWords::ClassOf(name[2]), fourth),
          kName);
    }
  }
}

namespace {

// IsWordChar by table, set up once at start-up (no guard on the per-word path).
const std::array<bool, 256> kWordChars = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] = IsWordChar(static_cast<char>(c));
  }
  return table;
}();

// The word at `s` passed a word pass's prefix filter: measure it, fold its case (only
// Capitalised, UPPER or lower case spellings are variants) and look it up as a given name.
[[gnu::always_inline]] inline void MatchGivenNameAt(std::string_view text, std::size_t s,
                                                    bool first_upper, const Gazetteer& gazetteer,
                                                    std::vector<NameHit>& hits) {
  const std::size_t size = text.size();
  std::size_t i = s + 1;
  while (i < size && kWordChars[static_cast<unsigned char>(text[i])]) {
    ++i;
  }
  std::size_t length = i - s;
  char lower[32];
  if (length < 3 || length > gazetteer.longest_literal || length > sizeof(lower)) {
    return;
  }
  std::string_view token = text.substr(s, length);
  bool rest_lower = true;
  bool rest_upper = true;
  for (std::size_t k = 0; k < length; ++k) {
    char c = token[k];
    if (IsAsciiUpper(c)) {
      rest_lower = rest_lower && k == 0;
      lower[k] = static_cast<char>(c - 'A' + 'a');
    } else if (IsAsciiLower(c)) {
      rest_upper = false;
      lower[k] = c;
    } else {
      return;  // not ASCII letters throughout
    }
  }
  if (!(rest_lower || rest_upper)) {
    return;
  }
  const NameEntry* entry = gazetteer.FindLiteral(std::string_view(lower, length));
  if (entry == nullptr) {
    return;
  }
  // Capitalised ("Ann") or upper case ("ANN"); lower case only where allowed.
  if (first_upper || entry->lower_literal) {
    hits.push_back({static_cast<unsigned>(entry->literal), i});
  }
}

#if defined(__SSE2__)
// MatchGivenNameAt (its specification, which WordPassReference runs) for a word shorter than
// 16 bytes, by one block of 16 bytes from `s`: no loop over the word's bytes, whose
// branches on its length and case mispredicted.
void MatchGivenNameAtFast(std::string_view text, std::size_t s, bool first_upper,
                          const Gazetteer& gazetteer, std::vector<NameHit>& hits) {
  const std::size_t size = text.size();
  __m128i v;
  if (s + 16 <= size) {
    v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + s));
  } else {
    // Zero bytes after the end: no word bytes, as the end ends the word.
    alignas(16) char padded[16] = {};
    std::memcpy(padded, text.data() + s, size - s);
    v = _mm_load_si128(reinterpret_cast<const __m128i*>(padded));
  }
  auto mask = [](__m128i m) { return static_cast<unsigned>(_mm_movemask_epi8(m)); };
  __m128i upper = pii::BytesInRange(v, 'A', 'Z');
  unsigned letters = mask(_mm_or_si128(upper, pii::BytesInRange(v, 'a', 'z')));
  // IsWordChar: letters, bytes >= 0x80, digits, "_".
  unsigned word = letters | mask(v) | mask(pii::BytesInRange(v, '0', '9')) |
                  mask(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
  unsigned end = ~word & 0xFFFFu;
  if (end == 0) {
    MatchGivenNameAt(text, s, first_upper, gazetteer, hits);  // 16 word bytes or more
    return;
  }
  std::size_t length = static_cast<std::size_t>(__builtin_ctz(end));
  unsigned in_word = (1u << length) - 1;
  if (length < 3 || length > gazetteer.longest_literal || (letters & in_word) != in_word) {
    return;
  }
  // Capitalised or lower case (no capital after the first letter), or UPPER case.
  unsigned capitals = mask(upper) & in_word;
  if ((capitals & ~1u) != 0 && capitals != in_word) {
    return;
  }
  alignas(16) char lower[16];
  pii::StoreFoldedKey(lower, v, upper, length);
  const NameEntry* entry = gazetteer.FindLiteralPadded(lower, length);
  if (entry == nullptr) {
    return;
  }
  // Capitalised ("Ann") or upper case ("ANN"); lower case only where allowed.
  if (first_upper || entry->lower_literal) {
    hits.push_back({static_cast<unsigned>(entry->literal), s + length});
  }
}
#endif

// What WordAt needs besides the word start.
struct WordPassState {
  std::string_view text;
  const Gazetteer& gazetteer;
  const WordPrefixes& word_prefixes;
  const TriggerWords& trigger_words;
  std::vector<NameHit>& hits;
  std::vector<Hit>& trigger_hits;
};

// The word pass at one word start `s` (an ASCII letter after a byte that is no ASCII word
// byte). Out of line: WordPass calls it only for the words its block filter lets through.
[[gnu::noinline]] void WordAt(const WordPassState& state, std::size_t s) {
  std::string_view text = state.text;
  const std::size_t size = text.size();
  // TriggerWords::Match, with its prefix test answered by the same load as the names' one.
  unsigned prefix = state.word_prefixes.Get(WordPrefixes::KeyAt(text, s));
  if (s + 1 < size) {
    if (Lower(text[s]) == 'p') {
      TriggerWords::MatchPoBox(text, s, state.trigger_hits);
    }
    if ((prefix & WordPrefixes::kTrigger) != 0) {
      state.trigger_words.MatchPrefixed(text, s, state.trigger_hits);
    }
  }
  if (s > 0 && IsHigh(text[s - 1])) {
    return;  // not a token start for names (a byte >= 0x80 counts as a letter there)
  }
  // Filtered by their first four bytes before the word is even measured.
  if ((prefix & WordPrefixes::kName) == 0) {
    return;
  }
  bool first_upper = IsAsciiUpper(text[s]);
  if (!first_upper) {
    // Lower case (most words): only names with lower_literal. kName implies four ASCII
    // letters here (the key folds case; text[s] is lower case).
    if (!IsAsciiLower(text[s + 1]) || !IsAsciiLower(text[s + 2]) || !IsAsciiLower(text[s + 3])) {
      return;
    }
  }
#if defined(__SSE2__)
  MatchGivenNameAtFast(text, s, first_upper, state.gazetteer, state.hits);
#else
  MatchGivenNameAt(text, s, first_upper, state.gazetteer, state.hits);
#endif
}

#if defined(__SSE2__)
// WordPass's block loop, once per vector path (word_blocks.inc).
namespace sse2 {
#include "engine/redact/word_blocks.inc"
}  // namespace sse2
SUNSHINE_AVX2_BEGIN
namespace avx2 {
#include "engine/redact/word_blocks.inc"
}  // namespace avx2
SUNSHINE_AVX2_END

// The text's blocks that have 32 bytes after them, on AVX2 (it has: Avx2Supported()).
[[gnu::target("avx2")]] std::size_t WordBlocksAvx2(const WordPassState& state,
                                                   unsigned& previous_word,
                                                   std::uint32_t* capital_starts,
                                                   unsigned& previous_capital) {
  std::string_view text = state.text;
  return avx2::WordBlocks<pii::Avx2Bytes>(state, text.data(), 0, 0, text.size(), text.size(),
                                          previous_word, capital_starts, previous_capital);
}
#endif

// Given names as whole tokens (maximal runs of word characters; the rules in ScanNames reject
// a name inside a longer word anyway): "Ann" and "ANN" for every given name of three letters
// or more, "ann" only for those with lower_literal. A token costs at most one hash lookup, and
// most cost none. (This replaced a Hyperscan literal set of the same ~17,000 variants: that
// took a quarter of a second to compile in every process and scanned slower than this loop.)
// The same pass finds the street-type, honorific and salutation trigger words (TriggerWords),
// in order of their end offsets; one load from WordPrefixes tells it whether either is worth
// a closer look.
//
// WordAt does nothing for a word that does not start with "p" and whose WordPrefixes key has
// neither bit: most words. A call per word (with PrefixKey computed byte by byte) was the
// pass's largest cost, so the pass works by blocks of 32 bytes (word_blocks.inc; one AVX2
// vector or two SSE2 ones): the word starts (as ForEachWordStart's kAsciiLetter finds them) and
// the bytes' classes come from vector instructions, a short loop without calls or branches
// looks up the words' keys, and WordAt runs only for the words that passed, in order.
//
// From the same bytes the pass also marks the surname pass's word starts (WordStarts::kCapital,
// and a few more that IsMarkedCapitalStart tells apart; bit k of capital_starts[b]: byte
// 32 * b + k is marked): a pass of its own over the text for them (ForEachWordStart) cost 5% of
// the scan's instructions on pii-20m, the vector instructions added here about 1%.
void WordPass(std::string_view text, const Gazetteer& gazetteer, const WordPrefixes& word_prefixes,
              std::vector<NameHit>& hits, std::vector<Hit>& trigger_hits,
              std::vector<std::uint32_t>& capital_starts,
              pii::VectorPath path = pii::VectorPath::kBest) {
  const WordPassState state{text, gazetteer,   word_prefixes, TriggerWords::Get(),
                            hits, trigger_hits};
#if defined(__SSE2__)
  capital_starts.resize((text.size() + 31) / 32);  // every word is written below
  const std::size_t size = text.size();
  unsigned previous_word = 0;     // bit 31: the previous block's last byte is an ASCII word byte
  unsigned previous_capital = 0;  // bit 31: ... blocks a capital word start
  std::size_t i = 0;
  std::uint32_t* marks = capital_starts.data();
  if (pii::UseAvx2(path)) {
    i = WordBlocksAvx2(state, previous_word, marks, previous_capital);
  }
  // (After AVX2's, the blocks that have 16 bytes but not 32 after them.)
  i = sse2::WordBlocks<pii::Sse2Bytes>(state, text.data(), 0, i, size, size, previous_word, marks,
                                       previous_capital);
  // The last 16 to 47 bytes (or all of a shorter text), from a copy padded with zero bytes:
  // those are no word bytes, as the end of the text counts in PrefixKey, and mark no starts.
  alignas(16) char tail[80] = {};
  if (size > i) {
    std::memcpy(tail, text.data() + i, size - i);
    sse2::WordBlocks<pii::Sse2Bytes>(state, tail, i, 0, size - i, sizeof tail, previous_word, marks,
                                     previous_capital);
  }
#else
  (void)path;
  ForEachWordStart(text, WordStarts::kAsciiLetter, [&](std::size_t s) { WordAt(state, s); });
  capital_starts.assign((text.size() + 31) / 32, 0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsWordStartCandidate(text, i, WordStarts::kCapital)) {
      capital_starts[i / 32] |= std::uint32_t{1} << (i % 32);
    }
  }
#endif
}

}  // namespace

void PiiScanner::Impl::FindGivenNames(std::string_view text, std::vector<NameHit>& hits,
                                      std::vector<Hit>& trigger_hits,
                                      std::vector<std::uint32_t>& capital_starts) const {
  WordPass(text, gazetteer, word_prefixes, hits, trigger_hits, capital_starts);
}

namespace {

// The word pass as it was before the two prefix tables were fused (WordPrefixes): the
// specification WordPass is tested against (WordPassForTest).
void WordPassReference(std::string_view text, const Gazetteer& gazetteer,
                       std::vector<NameHit>& hits, std::vector<Hit>& trigger_hits) {
  const std::size_t size = text.size();
  const TriggerWords& trigger_words = TriggerWords::Get();
  ForEachWordStart(text, WordStarts::kAsciiLetter, [&](std::size_t s) {
    trigger_words.Match(text, s, trigger_hits);
    if (s > 0 && IsHigh(text[s - 1])) {
      return;  // not a token start for names (a byte >= 0x80 counts as a letter there)
    }
    bool first_upper = IsAsciiUpper(text[s]);
    if (!first_upper) {
      // Lower case (most words): only names with lower_literal, filtered by their first four
      // letters before the word is even measured.
      if (s + 4 > size || !IsAsciiLower(text[s + 1]) || !IsAsciiLower(text[s + 2]) ||
          !IsAsciiLower(text[s + 3]) ||
          !gazetteer.lower_prefixes[Gazetteer::PrefixIndex(text.substr(s, 4))]) {
        return;
      }
    }
    MatchGivenNameAt(text, s, first_upper, gazetteer, hits);
  });
}

// The word pass's tables for the test hooks below (the scanner's own are in its Impl).
void SurnamePass(std::string_view text, const Gazetteer& gazetteer,
                 const std::vector<std::uint32_t>& capital_starts, std::vector<PiiSpan>& out,
                 bool fast);  // below, beside ScanNames

struct WordPassTables {
  Gazetteer gazetteer;
  WordPrefixes word_prefixes;
  static const WordPassTables& Get() {
    static const WordPassTables* const kTables = [] {
      auto* tables = new WordPassTables;
      tables->gazetteer.Load();
      tables->word_prefixes.Build(tables->gazetteer);
      return tables;
    }();
    return *kTables;
  }
};

}  // namespace

namespace pii {

std::vector<std::size_t> WordTriggerEndsForTest(std::string_view text, std::string_view family) {
  unsigned id = 0;
  if (family == "unit") {
    id = kTrigUnit;
  } else if (family == "intro") {
    id = kTrigIntro;
  }
  // The scanner's own word pass (the fused one), with the given names it finds ignored.
  const WordPassTables& tables = WordPassTables::Get();
  std::vector<Hit> hits;
  std::vector<NameHit> names;
  std::vector<std::uint32_t> capital_starts;
  WordPass(text, tables.gazetteer, tables.word_prefixes, names, hits, capital_starts);
  std::vector<std::size_t> ends;
  for (const Hit& hit : hits) {
    if (hit.id == id) {
      ends.push_back(hit.end);
    }
  }
  return ends;
}

std::string SurnamesForTest(std::string_view text, bool reference) {
  const WordPassTables& tables = WordPassTables::Get();
  std::vector<Hit> hits;
  std::vector<NameHit> names;
  std::vector<std::uint32_t> capital_starts;
  if (!reference) {
    WordPass(text, tables.gazetteer, tables.word_prefixes, names, hits, capital_starts);
  }
  std::vector<PiiSpan> spans;
  SurnamePass(text, tables.gazetteer, capital_starts, spans, !reference);
  std::string out;
  for (const PiiSpan& span : spans) {
    out += std::to_string(span.start);
    out += '-';
    out += std::to_string(span.end);
    out += ' ';
    out += span.rule;
    out += '\n';
  }
  return out;
}

std::string WordPassForTest(std::string_view text, bool reference, bool sse2) {
  const WordPassTables& tables = WordPassTables::Get();
  std::vector<Hit> hits;
  std::vector<NameHit> names;
  if (reference) {
    WordPassReference(text, tables.gazetteer, names, hits);
  } else {
    std::vector<std::uint32_t> capital_starts;
    WordPass(text, tables.gazetteer, tables.word_prefixes, names, hits, capital_starts,
             sse2 ? pii::VectorPath::kSse2 : pii::VectorPath::kBest);
  }
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for literal + string.
  std::string out = "names";
  for (const NameHit& name : names) {
    out += ' ';
    out += tables.gazetteer.literal_names[name.id];
    out += '@';
    out += std::to_string(name.end);
  }
  out += "; triggers";
  for (const Hit& hit : hits) {
    out += ' ';
    out += std::to_string(hit.id);
    out += '@';
    out += std::to_string(hit.end);
  }
  return out;
}

}  // namespace pii

// The end of a person name that continues after `after` (the end of a first token): middle
// initials, then up to `max_tokens` name tokens (capitalised, or lower case if allowed),
// skipping particles ("van", "de"). With need_known, each token must be a known name.
std::size_t PiiScanner::Impl::PersonExtent(std::string_view text, std::size_t after, int max_tokens,
                                           bool lower_case_ok, bool need_known) const {
  std::size_t end = after;
  std::size_t pos = after;
  int taken = 0;
  while (taken < max_tokens && pos < text.size()) {
    // One space (not a line break) between name parts.
    if (text[pos] != ' ') {
      break;
    }
    std::size_t s = pos + 1;
    std::size_t e = s;
    while (e < text.size() && (IsLetter(text[e]) || text[e] == '\'' || text[e] == '-')) {
      ++e;
    }
    if (e == s) {
      break;
    }
    std::string_view token = text.substr(s, e - s);
    std::string lower = AsciiLower(token);
    // Middle initial: "K" or "K."
    if (token.size() == 1 && IsAsciiUpper(token[0])) {
      std::size_t next = e < text.size() && text[e] == '.' ? e + 1 : e;
      if (next < text.size() && text[next] == ' ') {
        pos = next;
        continue;
      }
      break;
    }
    // (As string_views: std::string's == with a literal calls strlen and memcmp every time.)
    const std::string_view word = lower;
    if (word == "van" || word == "von" || word == "de" || word == "del" || word == "der" ||
        word == "da" || word == "di" || word == "la" || word == "le" || word == "bin") {
      pos = e;
      continue;
    }
    if (word == "jr" || word == "sr" || word == "ii" || word == "iii" || word == "iv") {
      end = e < text.size() && text[e] == '.' ? e + 1 : e;
      break;
    }
    if (NotSurname().Contains(lower)) {
      break;
    }
    bool capital =
        StartsUpper(token) && !AllUpper(token.substr(0, std::min<std::size_t>(token.size(), 2)));
    bool upper_word = AllUpper(token) && token.size() > 1;
    bool lower_word = AllLowerAscii(token);
    if (need_known || lower_word) {
      if (!(lower_case_ok || !lower_word) || !gazetteer.IsKnownName(lower, !lower_word)) {
        break;
      }
    } else if (!capital && !upper_word) {
      break;
    }
    end = e;
    pos = e;
    ++taken;
  }
  return end;
}

namespace {

// Surnames alone: a capitalised word the surname list knows (not an English word, not a
// place the dictionary knows). Weaker evidence than a given name. The words are those at
// the word pass's capital_starts (WordPass). Without `fast`, every byte is tested for a word
// start (IsWordStartCandidate; capital_starts is not read) and every word takes the byte loops:
// the specification the block paths are tested against (pii::SurnamesForTest).
void SurnamePass(std::string_view text, const Gazetteer& gazetteer,
                 const std::vector<std::uint32_t>& capital_starts, std::vector<PiiSpan>& out,
                 bool fast) {
  // The rules for the token text[pos, token_end) (its run of letters ends at e), given its
  // ASCII-folded form and that form's gazetteer entry.
  auto surname_rules = [&](std::size_t pos, std::size_t e, std::size_t token_end,
                           std::string_view lower, const NameEntry* entry) {
    // The two rules' own conditions first: the NotSurname look-up is a string hash, and
    // most capitalised words the gazetteer knows are given names, which neither rule takes.
    bool surname_rule = entry != nullptr && token_end - pos >= 4 && entry->surname &&
                        entry->surname_flag == 0 && entry->births < 0;
    bool pair_rule =
        entry != nullptr && text.substr(e, 5) == " and " && Gazetteer::IsKnownName(entry, true);
    if ((surname_rule || pair_rule) && !NotSurname().Contains(lower)) {
      if (surname_rule && !PlaceLikeNames().Contains(lower)) {
        out.push_back({pos, token_end, PiiType::kPerson, "surname", 0.6});
      }
      // "Sousa and Ball": two names joined by "and" are both names.
      if (pair_rule) {
        std::size_t s2 = e + 5;
        std::size_t e2 = s2;
        while (e2 < text.size() && (IsLetter(text[e2]) || text[e2] == '-')) {
          ++e2;
        }
        std::string_view second = text.substr(s2, e2 - s2);
        std::string second_lower = AsciiLower(second);
        if (e2 - s2 >= 3 && StartsUpper(second) && !AllUpper(second) &&
            !NotSurname().Contains(second_lower) && gazetteer.IsKnownName(second_lower, true) &&
            !gazetteer.IsProperNoun(lower) && !gazetteer.IsProperNoun(second_lower)) {
          out.push_back({pos, token_end, PiiType::kPerson, "name-pair", 0.6});
          out.push_back({s2, e2, PiiType::kPerson, "name-pair", 0.6});
        }
      }
    }
  };
  // Gazetteer::FindPadded's per-thread cache, fetched once rather than for every word.
  Gazetteer::LookupCache& cache = Gazetteer::FindCache();
  std::size_t resume = 0;  // a token's inner capitals ("O'Neil") are not tokens of their own
  auto word_at = [&](std::size_t pos) __attribute__((always_inline)) {
    if (pos < resume) {
      return;
    }
#if defined(__SSE2__)
    // Most capitalised words are ASCII and shorter than 16 bytes: measured, tested and folded
    // 16 bytes at a time, as the byte loops below do (they and a std::string per word made
    // this the costliest per-word code of the scan once the word pass went by blocks).
    if (fast && pos + 16 <= text.size() && IsAsciiUpper(text[pos])) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + pos));
      auto mask = [](__m128i m) { return static_cast<unsigned>(_mm_movemask_epi8(m)); };
      __m128i upper = pii::BytesInRange(v, 'A', 'Z');
      unsigned small = mask(pii::BytesInRange(v, 'a', 'z'));
      // IsLetter (ASCII letters, bytes >= 0x80), "'" and "-".
      unsigned run = mask(upper) | small | mask(v) | mask(_mm_cmpeq_epi8(v, _mm_set1_epi8('\''))) |
                     mask(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
      unsigned stop = ~run & 0xFFFFu;
      if (stop != 0) {
        std::size_t e = pos + static_cast<std::size_t>(__builtin_ctz(stop));
        std::size_t token_end = e;
        if (e - pos > 2 && text[e - 2] == '\'' && text[e - 1] == 's') {
          token_end -= 2;  // possessive
        }
        std::size_t length = token_end - pos;
        // StartsUpper holds (an ASCII capital first); AllUpper does not iff a small letter
        // follows.
        bool not_all_upper = (small & ((1u << length) - 1)) != 0;
        if (length >= 3 && not_all_upper && !IsDigit(text[e]) && text[e] != '@') {
          alignas(16) char folded[16];  // AsciiLower
          pii::StoreFoldedKey(folded, v, upper, length);
          const NameEntry* entry = cache.FindPadded(&gazetteer, folded, length, [&] {
            return gazetteer.FindInTable(std::string_view(folded, length));
          });
          // The rules' first conditions, here where most words fail them without a call.
          if (entry != nullptr &&
              ((length >= 4 && entry->surname && entry->surname_flag == 0 && entry->births < 0) ||
               (text.size() - e >= 5 && std::memcmp(text.data() + e, " and ", 5) == 0))) {
            surname_rules(pos, e, token_end, std::string_view(folded, length), entry);
          }
        }
        resume = e;
        return;
      }
    }
#endif
    std::size_t e = pos;
    while (e < text.size() && (IsLetter(text[e]) || text[e] == '\'' || text[e] == '-')) {
      ++e;
    }
    std::size_t token_end = e;
    if (token_end - pos > 2 && text.substr(token_end - 2, 2) == "'s") {
      token_end -= 2;  // possessive
    }
    std::string_view token = text.substr(pos, token_end - pos);
    if (token_end - pos >= 3 && StartsUpper(token) && !AllUpper(token) &&
        (e >= text.size() || (!IsDigit(text[e]) && text[e] != '@'))) {
      std::string lower = AsciiLower(token);
      surname_rules(pos, e, token_end, lower, gazetteer.Find(lower));
    }
    resume = e > pos ? e : pos + 1;
  };
  if (fast) {
    // Two words at a time: the loop over a word's starts ends at a mispredicted branch about
    // once a word, and a word of 32 bytes holds half a start on average (on pii-20m, 175,000
    // fewer mispredictions in cachegrind's branch simulation than a word at a time).
    const std::size_t words = capital_starts.size();
    for (std::size_t block = 0; block < words; block += 2) {
      std::uint64_t starts = capital_starts[block];
      if (block + 1 < words) {
        starts |= std::uint64_t{capital_starts[block + 1]} << 32;
      }
      for (; starts != 0; starts &= starts - 1) {
        std::size_t pos = block * 32 + static_cast<std::size_t>(__builtin_ctzll(starts));
        if (IsMarkedCapitalStart(text, pos)) {
          word_at(pos);
        }
      }
    }
    return;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsWordStartCandidate(text, i, WordStarts::kCapital)) {
      word_at(i);
    }
  }
}

}  // namespace

namespace {

// Does `what` (two bytes or more) stand at text[pos]? Its first two bytes are compared first:
// a comparison of a run-time length is a call to memcmp, and the name-list rules ask this of
// every name and neighbour (2.5% of a scan of real mail).
bool HasAt(std::string_view text, std::size_t pos, std::string_view what) {
  return pos + what.size() <= text.size() && text[pos] == what[0] && text[pos + 1] == what[1] &&
         text.substr(pos, what.size()) == what;
}

// Sorts `values`, which are mostly a few ascending runs (the names each rule found, in order):
// the runs are merged in place, unless there are many. (std::sort of the names' starts was
// 1.3% of a scan of real mail.)
void SortRuns(std::vector<std::size_t>& values) {
  constexpr std::size_t kMostRuns = 16;
  std::array<std::size_t, kMostRuns + 1> ends{};
  std::size_t runs = 0;
  for (std::size_t i = 1; i <= values.size(); ++i) {
    if (i == values.size() || values[i] < values[i - 1]) {
      if (runs == kMostRuns) {
        std::sort(values.begin(), values.end());
        return;
      }
      ends[runs++] = i;
    }
  }
  for (std::size_t r = 1; r < runs; ++r) {
    std::inplace_merge(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(ends[r - 1]),
                       values.begin() + static_cast<std::ptrdiff_t>(ends[r]));
  }
}

}  // namespace

namespace pii {

std::vector<std::size_t> CapitalStartsForTest(std::string_view text, bool reference, bool sse2) {
  std::vector<std::size_t> starts;
  if (!reference) {
    const WordPassTables& tables = WordPassTables::Get();
    std::vector<Hit> hits;
    std::vector<NameHit> names;
    std::vector<std::uint32_t> capital_starts;
    WordPass(text, tables.gazetteer, tables.word_prefixes, names, hits, capital_starts,
             sse2 ? pii::VectorPath::kSse2 : pii::VectorPath::kBest);
    for (std::size_t block = 0; block < capital_starts.size(); ++block) {
      for (std::uint32_t bits = capital_starts[block]; bits != 0; bits &= bits - 1) {
        std::size_t i = block * 32 + static_cast<std::size_t>(__builtin_ctz(bits));
        if (IsMarkedCapitalStart(text, i)) {
          starts.push_back(i);
        }
      }
    }
    return starts;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsWordStartCandidate(text, i, WordStarts::kCapital)) {
      starts.push_back(i);
    }
  }
  return starts;
}

}  // namespace pii

void PiiScanner::Impl::ScanNames(std::string_view text, const std::vector<NameHit>& hits,
                                 const std::vector<Hit>& context_hits,
                                 const std::vector<std::uint32_t>& capital_starts,
                                 std::vector<PiiSpan>& result) const {
  // The names are added to `result` in place (a vector of their own, grown and then copied
  // over, was 3% of a scan of real mail); they start at `first`.
  std::vector<PiiSpan>& out = result;
  const std::size_t first = result.size();
  for (std::size_t h = 0; h < hits.size(); ++h) {
    const NameHit& hit = hits[h];
    // The piece's bytes were last read by the passes before and are out of the CPU's nearer
    // caches by now (a piece is larger than L2): fetch those of the name a few hits ahead.
    if (h + 8 < hits.size()) {
      const std::size_t ahead = hits[h + 8].end;
      __builtin_prefetch(text.data() + (ahead > 16 ? ahead - 16 : 0));
      __builtin_prefetch(text.data() + ahead);
      __builtin_prefetch(gazetteer.literal_entries[hits[h + 8].id]);  // in the 6 MB index
    }
    std::string_view name = gazetteer.literal_names[hit.id];
    std::size_t e = hit.end;
    std::size_t s = e - name.size();
    if ((s > 0 &&
         (IsWordChar(text[s - 1]) || text[s - 1] == '@' || text[s - 1] == '.' ||
          text[s - 1] == '/' || text[s - 1] == '\\' || text[s - 1] == '_' || text[s - 1] == '-')) ||
        (e < text.size() && (IsWordChar(text[e]) || text[e] == '@' ||
                             (text[e] == '.' && e + 1 < text.size() && IsLetter(text[e + 1]))))) {
      continue;
    }
    const NameEntry* entry = gazetteer.literal_entries[hit.id];
    if (entry->civic) {
      continue;
    }
    std::string_view token = text.substr(s, e - s);
    bool ambiguous = entry->ambiguous;
    bool capital = StartsUpper(token) && !AllUpper(token);
    bool upper = AllUpper(token);
    bool lower = AllLowerAscii(token);
    std::int64_t births = entry->births > 0 ? entry->births : 0;

    // Preceding word: "in Houston", "at Jackson" are places; "Dear John" is a person. Only
    // looked at where a rule below asks (most names are followed by a surname).
    std::string previous;
    bool previous_known = false;
    auto previous_word = [&]() -> const std::string& {
      if (!previous_known) {
        std::size_t p = s;
        while (p > 0 && text[p - 1] == ' ') {
          --p;
        }
        std::size_t q = p;
        while (q > 0 && IsLetter(text[q - 1])) {
          --q;
        }
        previous = AsciiLower(text.substr(q, p - q));
        previous_known = true;
      }
      return previous;
    };
    auto place_before = [&]() {
      const std::string_view w = previous_word();  // (== on a view: no strlen, see PersonExtent)
      return w == "in" || w == "near" || w == "via" || w == "the";
    };
    auto greeting_before = [&]() {
      const std::string_view w = previous_word();
      return w == "dear" || w == "hi" || w == "hello" || w == "hey" || w == "thanks" ||
             w == "love" || w == "name" || w == "is" || w == "call" || w == "and" || w == "says" ||
             w == "said" || w == "with" || w == "by" || Honorifics().Contains(w);
    };
    // A signature: the name alone on its line (at most 4 bytes in, at most 20 more letters,
    // no sentence punctuation). Walks only as far as it must: prose lines are long.
    auto line_alone = [&]() {
      std::size_t ls = s;
      while (ls > 0 && text[ls - 1] != '\n') {
        if (s - ls == 4) {
          return false;
        }
        --ls;
      }
      std::size_t letters = 0;
      for (std::size_t i = ls; i < text.size() && text[i] != '\n'; ++i) {
        char c = text[i];
        letters += IsLetter(c) ? 1 : 0;
        if (letters > name.size() + 20 || c == '.' || c == ':' || c == ';' || c == '!' ||
            c == '?') {
          return false;
        }
      }
      return true;
    };

    if (upper) {
      std::size_t end = PersonExtent(text, e, 2, false, true);
      if (end > e) {
        out.push_back({s, end, PiiType::kPerson, "given-surname-caps", 0.8});
      }
      continue;
    }
    if (capital) {
      std::size_t end = PersonExtent(text, e, 2, false, ambiguous);
      if (end > e) {
        out.push_back({s, end, PiiType::kPerson, "given-surname", ambiguous ? 0.8 : 0.9});
      } else if (ambiguous) {
        if (greeting_before() || line_alone()) {
          out.push_back({s, e, PiiType::kPerson, "given-context", 0.75});
        }
      } else if (greeting_before() || line_alone()) {
        out.push_back({s, e, PiiType::kPerson, "given-context", 0.8});
      } else if (!(place_before() && gazetteer.IsProperNoun(name) && births < 500000)) {
        // Alone and without context: rare names, and names that are also places or months
        // ("Houston", "January"), are too weak.
        bool weak = gazetteer.IsProperNoun(name) && births < 100000;
        if (!weak) {
          out.push_back({s, e, PiiType::kPerson, "given-name", births >= 20000 ? 0.75 : 0.6});
        }
      }
      continue;
    }
    if (lower && !ambiguous && births >= 20000) {
      std::size_t end = PersonExtent(text, e, 1, true, true);
      if (end > e) {
        out.push_back({s, end, PiiType::kPerson, "given-surname-lower", 0.7});
      } else if (greeting_before() || line_alone()) {
        out.push_back({s, e, PiiType::kPerson, "given-lower-context", 0.6});
      } else {
        out.push_back({s, e, PiiType::kPerson, "given-lower", 0.5});
      }
    }
  }
  // Honorifics, salutations and introductions: the name that follows, known or not.
  for (std::size_t h = 0; h < context_hits.size(); ++h) {
    const Hit& hit = context_hits[h];
    if (h + 8 < context_hits.size()) {  // as for the name hits above
      __builtin_prefetch(text.data() + context_hits[h + 8].end);
    }
    if (hit.id != kTrigHonorific && hit.id != kTrigSalutation && hit.id != kTrigIntro) {
      continue;
    }
    // The trigger ends on the first letter of the name.
    std::size_t s = hit.end - 1;
    std::size_t e = s;
    while (e < text.size() && (IsLetter(text[e]) || text[e] == '\'' || text[e] == '-')) {
      ++e;
    }
    if (e == s) {
      continue;
    }
    std::string_view token = text.substr(s, e - s);
    std::string lower = AsciiLower(token);
    const std::string_view word = lower;
    if (NotSurname().Contains(word) || word == "sir" || word == "madam" || word == "all" ||
        word == "everyone" || word == "folks" || word == "guys" || word == "team") {
      continue;
    }
    bool honorific = hit.id == kTrigHonorific;
    bool capital = StartsUpper(token) && !AllUpper(token);
    if (!capital && !(honorific && gazetteer.IsKnownName(lower, true))) {
      continue;
    }
    if (hit.id == kTrigSalutation && !gazetteer.IsKnownName(lower, false) &&
        !gazetteer.IsGiven(lower)) {
      // "Hi Team", "Dear Customer": an unknown word counts only when it ends the greeting.
      char next = e < text.size() ? text[e] : '\n';
      if (next != ',' && next != '!' && next != '\n' && next != '\r' && next != ':') {
        continue;
      }
    }
    std::size_t end = PersonExtent(text, e, 2, honorific, false);
    std::size_t start = s;
    if (honorific) {  // "Mr. Ford": the title goes with the name
      std::size_t b = s;
      while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '.')) {
        --b;
      }
      while (b > 0 && IsAsciiAlpha(text[b - 1])) {
        --b;
      }
      start = b;
    }
    out.push_back({start, end, PiiType::kPerson,
                   honorific ? "honorific" : (hit.id == kTrigIntro ? "introduction" : "salutation"),
                   honorific ? 0.9 : 0.85});
  }
  SurnamePass(text, gazetteer, capital_starts, out, /*fast=*/true);
  // Lists: "Malon, Mark, Kaylee and Brandi" -- a capitalised word joined by a comma or "and"
  // to a detected name is a name too. Up to four rounds, each over the names the round before
  // added: a name's neighbours depend only on the text, and the set of starts only grows, so
  // a name already looked at would add nothing new. (Each round used to rebuild the set of
  // every name's start and go over every name again: 5% of a scan of real mail, whose
  // headers list many names.)
  // The names' starts, sorted: a name is added once per start. (A std::unordered_set of them
  // allocated a node per name: about 1% of a scan's samples.)
  thread_local std::vector<std::size_t> starts;
  starts.clear();
  for (std::size_t k = first; k < out.size(); ++k) {
    starts.push_back(out[k].start);
  }
  SortRuns(starts);
  thread_local std::vector<std::size_t> fresh;  // indices into `added`
  std::size_t round_begin = first;
  std::vector<PiiSpan> added;
  for (int pass = 0; pass < 4; ++pass) {
    added.clear();
    for (std::size_t k = round_begin; k < out.size(); ++k) {
      const PiiSpan& span = out[k];
      if (k + 8 < out.size()) {  // the neighbours of a name a few names ahead (see above)
        __builtin_prefetch(text.data() + out[k + 8].end);
        __builtin_prefetch(text.data() + (out[k + 8].start > 8 ? out[k + 8].start - 8 : 0));
      }
      if (span.type != PiiType::kPerson) {
        continue;
      }
      // After: ", X" / " and X" / " & X".
      for (std::string_view joiner :
           {std::string_view(", "), std::string_view(" and "), std::string_view(" & ")}) {
        if (HasAt(text, span.end, joiner)) {
          std::size_t s2 = span.end + joiner.size();
          std::size_t e2 = s2;
          while (e2 < text.size() && (IsLetter(text[e2]) || text[e2] == '-' || text[e2] == '\'')) {
            ++e2;
          }
          std::string_view token = text.substr(s2, e2 - s2);
          if (e2 - s2 >= 2 && StartsUpper(token) && !AllUpper(token) &&
              !NotSurname().Contains(AsciiLower(token))) {
            added.push_back({s2, e2, PiiType::kPerson, "name-list", 0.6});
          }
        }
      }
      // Before: "X, " / "X and ".
      for (std::string_view joiner : {std::string_view(", "), std::string_view(" and ")}) {
        if (span.start >= joiner.size() + 2 && HasAt(text, span.start - joiner.size(), joiner)) {
          std::size_t e2 = span.start - joiner.size();
          std::size_t s2 = e2;
          while (s2 > 0 && (IsLetter(text[s2 - 1]) || text[s2 - 1] == '-')) {
            --s2;
          }
          std::string_view token = text.substr(s2, e2 - s2);
          if (e2 - s2 >= 2 && StartsUpper(token) && !AllUpper(token) &&
              !NotSurname().Contains(AsciiLower(token))) {
            added.push_back({s2, e2, PiiType::kPerson, "name-list", 0.6});
          }
        }
      }
    }
    std::size_t before = out.size();
    round_begin = before;
    // The first of the added spans at each start no name has yet, in the order added.
    fresh.clear();
    for (std::size_t k = 0; k < added.size(); ++k) {
      if (!std::binary_search(starts.begin(), starts.end(), added[k].start)) {
        fresh.push_back(k);
      }
    }
    std::stable_sort(fresh.begin(), fresh.end(),
                     [&](std::size_t x, std::size_t y) { return added[x].start < added[y].start; });
    fresh.erase(
        std::unique(fresh.begin(), fresh.end(),
                    [&](std::size_t x, std::size_t y) { return added[x].start == added[y].start; }),
        fresh.end());
    std::size_t old_starts = starts.size();
    for (std::size_t k : fresh) {
      starts.push_back(added[k].start);
    }
    std::inplace_merge(starts.begin(), starts.begin() + static_cast<std::ptrdiff_t>(old_starts),
                       starts.end());
    std::sort(fresh.begin(), fresh.end());
    for (std::size_t k : fresh) {
      out.push_back(added[k]);
    }
    if (out.size() == before) {
      break;
    }
  }
}

void PiiScanner::Impl::ScanKnownNames(std::string_view text, const ScanHints& hints,
                                      std::vector<PiiSpan>& out) const {
  if (hints.known_names.empty()) {
    return;
  }
  std::string lower_text = AsciiLower(text);
  std::vector<std::string> needles;
  for (const std::string& full : hints.known_names) {
    std::string lower = AsciiLower(full);
    if (lower.size() >= 3) {
      needles.push_back(lower);
    }
    // Parts: "Phillip K Allen" -> "phillip", "allen" (not initials, not English words).
    std::size_t pos = 0;
    while (pos < lower.size()) {
      std::size_t end = lower.find_first_of(" ,.", pos);
      if (end == std::string::npos) {
        end = lower.size();
      }
      std::string part = lower.substr(pos, end - pos);
      if (part.size() >= 3 && !gazetteer.IsAmbiguous(part) &&
          !(gazetteer.Find(part) != nullptr && gazetteer.Find(part)->surname &&
            gazetteer.Find(part)->surname_flag == 'w') &&
          !NotSurname().Contains(part) && part != lower) {
        needles.push_back(part);
      }
      pos = end + 1;
    }
  }
  std::sort(needles.begin(), needles.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  needles.erase(std::unique(needles.begin(), needles.end()), needles.end());
  for (const std::string& needle : needles) {
    std::size_t pos = 0;
    while ((pos = lower_text.find(needle, pos)) != std::string::npos) {
      std::size_t end = pos + needle.size();
      bool left = pos == 0 || !IsWordChar(text[pos - 1]);
      bool right = end >= text.size() || !IsWordChar(text[end]);
      if (left && right) {
        out.push_back({pos, end, PiiType::kPerson, "known-name", 0.95});
      }
      pos = end;
    }
  }
}

namespace {

// One group of mutually overlapping spans, resolved strongest first into `accepted` (by
// start; never overlapping).
void ResolveOverlaps(std::span<PiiSpan> spans, std::map<std::size_t, PiiSpan>& accepted) {
  std::sort(spans.begin(), spans.end(), [](const PiiSpan& a, const PiiSpan& b) {
    if (a.confidence != b.confidence) {
      return a.confidence > b.confidence;
    }
    if (a.end - a.start != b.end - b.start) {
      return a.end - a.start > b.end - b.start;
    }
    if (a.start != b.start) {
      return a.start < b.start;
    }
    // Deterministic among equal spans: the more specific type (an IPv4 address over a
    // phone number read out of the same digits), then the rule name.
    if (a.type != b.type) {
      return a.type > b.type;
    }
    return a.rule < b.rule;
  });
  for (const PiiSpan& span : spans) {
    std::size_t cursor = span.start;
    auto it = accepted.upper_bound(span.start);
    if (it != accepted.begin()) {
      auto previous = std::prev(it);
      if (previous->second.end > cursor) {
        cursor = previous->second.end;
      }
    }
    std::vector<PiiSpan> pieces;
    while (cursor < span.end) {
      std::size_t stop = span.end;
      if (it != accepted.end() && it->first < stop) {
        stop = it->first;
      }
      if (stop > cursor) {
        PiiSpan piece = span;
        piece.start = cursor;
        piece.end = stop;
        pieces.push_back(piece);
      }
      if (it == accepted.end() || it->first >= span.end) {
        break;
      }
      cursor = std::max(cursor, it->second.end);
      ++it;
    }
    for (const PiiSpan& piece : pieces) {
      // Slivers (a separator left between two stronger spans) are dropped.
      if (piece.end - piece.start >= 2 || pieces.size() == 1) {
        accepted.emplace(piece.start, piece);
      }
    }
  }
}

// Sorts spans by (start, end). The order among equal spans does not matter: spans with the
// same start and end overlap, so MergeSpans hands them to ResolveOverlaps, whose order is
// total. A scan yields thousands of spans per piece in short ascending runs (one per detector
// and window); std::sort moving their 48-byte records took about 3% of `pii scan`'s samples,
// so most of them are sorted here by an LSD radix sort of (start, end) keys with their
// indices, and the records are moved once. `scratch` is working space.
void SortByStartAndEnd(std::vector<PiiSpan>& spans, std::vector<PiiSpan>& scratch) {
  auto by_start_and_end = [](const PiiSpan& a, const PiiSpan& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  };
  std::size_t largest = 0;
  for (const PiiSpan& span : spans) {
    largest = std::max(largest, span.end);
  }
  const unsigned width = static_cast<unsigned>(std::bit_width(largest));
  // Small sets, and texts too large for a 64-bit (start, end, index) key: std::sort.
  const unsigned index_width = static_cast<unsigned>(std::bit_width(spans.size()));
  if (spans.size() < 256 || spans.size() > UINT32_MAX || 2 * width + index_width > 64) {
    std::sort(spans.begin(), spans.end(), by_start_and_end);
    return;
  }
  // key: start, end, index (the index makes every key distinct and finds the record after).
  thread_local std::vector<std::uint64_t> keys;
  thread_local std::vector<std::uint64_t> other;
  keys.resize(spans.size());
  other.resize(spans.size());
  for (std::size_t i = 0; i < spans.size(); ++i) {
    keys[i] =
        ((static_cast<std::uint64_t>(spans[i].start) << width | spans[i].end) << index_width) | i;
  }
  constexpr unsigned kDigit = 11;
  constexpr std::size_t kBuckets = std::size_t{1} << kDigit;
  std::array<std::uint32_t, kBuckets> count;
  // The index's own bits need no pass: the sort is stable and the keys start in index order.
  for (unsigned shift = index_width; shift < 2 * width + index_width; shift += kDigit) {
    count.fill(0);
    for (std::uint64_t key : keys) {
      ++count[(key >> shift) & (kBuckets - 1)];
    }
    if (count[(keys[0] >> shift) & (kBuckets - 1)] == keys.size()) {
      continue;  // one digit value: the pass would not move anything
    }
    std::uint32_t sum = 0;
    for (std::uint32_t& c : count) {
      std::uint32_t n = c;
      c = sum;
      sum += n;
    }
    for (std::uint64_t key : keys) {
      other[count[(key >> shift) & (kBuckets - 1)]++] = key;
    }
    keys.swap(other);
  }
  scratch.resize(spans.size());
  const std::uint64_t index_mask = (std::uint64_t{1} << index_width) - 1;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    scratch[i] = spans[static_cast<std::size_t>(keys[i] & index_mask)];
  }
  spans.swap(scratch);
}

// Overlaps are resolved strongest first (confidence, then length): a weaker span keeps only
// the parts no stronger span covers, so nothing detected is lost from the union. Pieces of the
// same type that touch are joined again. Most spans overlap nothing; only groups of
// overlapping spans go through the ordered resolution.
// `spans` is reordered; `resolved` is scratch space.
std::vector<PiiSpan> MergeSpans(std::vector<PiiSpan>& spans, std::vector<PiiSpan>& resolved) {
  spans.erase(std::remove_if(spans.begin(), spans.end(),
                             [](const PiiSpan& span) { return span.end <= span.start; }),
              spans.end());
  SortByStartAndEnd(spans, resolved);
  resolved.clear();
  resolved.reserve(spans.size());
  std::map<std::size_t, PiiSpan> accepted;
  for (std::size_t i = 0; i < spans.size();) {
    std::size_t j = i + 1;
    std::size_t group_end = spans[i].end;
    while (j < spans.size() && spans[j].start < group_end) {
      group_end = std::max(group_end, spans[j].end);
      ++j;
    }
    if (j == i + 1) {
      resolved.push_back(spans[i]);
    } else {
      accepted.clear();
      ResolveOverlaps(std::span<PiiSpan>(spans.data() + i, j - i), accepted);
      for (const auto& [start, span] : accepted) {
        resolved.push_back(span);
      }
    }
    i = j;
  }
  std::vector<PiiSpan> merged;
  merged.reserve(resolved.size());
  for (const PiiSpan& span : resolved) {
    if (!merged.empty() && merged.back().type == span.type && merged.back().end >= span.start &&
        span.start - merged.back().end <= 1) {
      merged.back().end = std::max(merged.back().end, span.end);
      if (span.confidence > merged.back().confidence) {
        merged.back().confidence = span.confidence;
        merged.back().rule = span.rule;
      }
      continue;
    }
    merged.push_back(span);
  }
  return merged;
}

// The trigger hits of `text` into scratch.hits (through AddHit, in order), given the word
// pass's trigger hits (by end): the hand-found ones slotted in among those of the Hyperscan
// `database`. Without `by_hand`, `database` must hold the number, IPv4, e-mail and IPv6
// triggers too: that is the specification (TriggerHitsForTest).
void CollectTriggerHits(std::string_view text, const hs_database_t* database,
                        hs_scratch_t* hs_scratch, ThreadScratch& scratch,
                        const std::vector<Hit>& word_pass_hits, bool by_hand) {
  const std::vector<Hit>* word_hits = &word_pass_hits;
  std::vector<Hit>& ut = scratch.ut_hits;
  TriggerWords::MatchUt(text, ut);
  if (!ut.empty()) {
    std::vector<Hit>& all = scratch.merged_hits;
    std::merge(word_hits->begin(), word_hits->end(), ut.begin(), ut.end(), std::back_inserter(all),
               [](const Hit& a, const Hit& b) { return a.end < b.end; });
    word_hits = &all;
  }
  pii::TriggerShapes& shapes = scratch.shapes;
  pii::FindTriggerShapes(text, shapes);
  if (!by_hand) {
    shapes.digit_runs.clear();
    shapes.email_ipv6.clear();
  }
  // Hyperscan's hits are few (its triggers are rare words): they are listed first, then they
  // and the e-mail and IPv6 ends go in order of their ends, each after the hand-found hits that
  // come before it. The two lists never hold the same end: an e-mail trigger ends at a letter
  // after a ".", an IPv6 one at a hex digit or ":" after at most four hex digits and a ":", and
  // the words end otherwise.
  std::vector<Hit>& reported = scratch.reported;
  // Hyperscan takes at most 4 GiB per call; documents are far smaller, but stay safe.
  constexpr std::size_t kChunk = std::size_t{1} << 31;
  for (std::size_t base = 0; base < text.size(); base += kChunk) {
    std::size_t length = std::min(kChunk, text.size() - base);
    Reported context{&reported, base};
    hs_scan(database, text.data() + base, static_cast<unsigned>(length), 0, hs_scratch, CollectHit,
            &context);
  }
  HitSink sink(&scratch.hits, word_hits, &shapes);
  auto add = [&](unsigned id, std::size_t end) {
    sink.FlushBefore(end);
    AddHit(scratch.hits, id, end);
  };
  std::size_t next = 0;
  for (const pii::EmailIpv6End& hand : shapes.email_ipv6) {
    for (; next < reported.size() && reported[next].end < hand.end; ++next) {
      add(reported[next].id, reported[next].end);
    }
    add(hand.ipv6 ? kTrigIpv6 : kTrigEmail, hand.end);
  }
  for (; next < reported.size(); ++next) {
    add(reported[next].id, reported[next].end);
  }
  sink.FlushAll();
}

}  // namespace

namespace pii {

std::vector<PiiSpan> SortedSpansForTest(std::vector<PiiSpan> spans) {
  std::vector<PiiSpan> scratch;
  SortByStartAndEnd(spans, scratch);
  return spans;
}

std::string TriggerHitsForTest(std::string_view text, bool reference) {
  // The scanner's database, and the one it had with the number, IPv4, e-mail and IPv6 triggers.
  struct Databases {
    hs_database_t* scanner = Compile(false);
    hs_database_t* reference = Compile(true);
    static hs_database_t* Compile(bool with_hand_matched) {
      std::vector<const char*> expressions;
      std::vector<unsigned> flags;
      std::vector<unsigned> ids;
      if (with_hand_matched) {  // string_views of literals: NUL-terminated
        expressions = {kNumberTriggerPattern.data(), kIpv4TriggerPattern.data(),
                       kEmailTriggerPattern.data(), kIpv6TriggerPattern.data()};
        flags = {0, 0, 0, 0};
        ids = {kTrigNumber, kTrigIpv4, kTrigEmail, kTrigIpv6};
      }
      for (const TriggerPattern& trigger : kTriggers) {
        expressions.push_back(trigger.expression);
        flags.push_back(trigger.flags);
        ids.push_back(trigger.id);
      }
      hs_database_t* database = nullptr;
      hs_compile_error_t* error = nullptr;
      if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                           static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr,
                           &database, &error) != HS_SUCCESS) {
        hs_free_compile_error(error);
        return nullptr;
      }
      return database;
    }
  };
  static const Databases kDatabases;  // for the process
  const hs_database_t* database = reference ? kDatabases.reference : kDatabases.scanner;
  if (database == nullptr) {
    return "no database";
  }
  ThreadScratch scratch;
  if (hs_alloc_scratch(database, &scratch.triggers) != HS_SUCCESS) {
    return "no scratch";
  }
  const WordPassTables& tables = WordPassTables::Get();
  WordPass(text, tables.gazetteer, tables.word_prefixes, scratch.name_hits, scratch.word_hits,
           scratch.capital_starts);
  CollectTriggerHits(text, database, scratch.triggers, scratch, scratch.word_hits, !reference);
  std::string out;
  for (const Hit& hit : scratch.hits) {
    out += std::to_string(hit.id);
    out += '@';
    out += std::to_string(hit.end);
    out += ' ';
  }
  return out;
}

}  // namespace pii

PiiScanner::PiiScanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PiiScanner::~PiiScanner() = default;

Result<const PiiScanner*> PiiScanner::Default() {
  static std::once_flag once;
  static PiiScanner* scanner = nullptr;
  static Status failure;
  std::call_once(once, [] {
    auto impl = std::make_unique<Impl>();
    Status status = impl->Compile();
    if (!status.ok()) {
      failure = status;
      return;
    }
    scanner = new PiiScanner(std::move(impl));  // lives for the process
  });
  if (scanner == nullptr) {
    return failure;
  }
  return static_cast<const PiiScanner*>(scanner);
}

std::vector<PiiSpan> PiiScanner::Scan(std::string_view text, const ScanHints& hints) const {
  const Impl& impl = *impl_;
  thread_local ThreadScratch scratch;
  if (scratch.owner != this) {
    hs_free_scratch(scratch.triggers);
    scratch.triggers = nullptr;
    hs_alloc_scratch(impl.triggers, &scratch.triggers);
    scratch.owner = this;
  }
  if (text.empty()) {
    return {};
  }
  struct ClearAtExit {
    ThreadScratch& scratch;
    ~ClearAtExit() { scratch.ClearAll(); }
  } clear_at_exit{scratch};
  scratch.ClearAll();
  std::vector<PiiSpan>& spans = scratch.spans;
  std::vector<Hit>& hits = scratch.hits;
  std::vector<NameHit>& name_hits = scratch.name_hits;
  impl.FindGivenNames(text, name_hits, scratch.word_hits, scratch.capital_starts);
  CollectTriggerHits(text, impl.triggers, scratch.triggers, scratch, scratch.word_hits, true);

  std::vector<Region>& numbers = scratch.numbers;
  std::vector<Region>& emails = scratch.emails;
  std::vector<Region>& ipv4 = scratch.ipv4;
  std::vector<Region>& ipv6 = scratch.ipv6;
  std::vector<Region>& addresses = scratch.addresses;
  std::vector<Hit>& contextual = scratch.contextual;
  auto clamp = [&](std::size_t before, std::size_t end, std::size_t after) {
    return Region{end > before ? end - before : 0, std::min(text.size(), end + after)};
  };
  for (const Hit& hit : hits) {
    switch (hit.id) {
      case kTrigNumber:
        numbers.push_back(clamp(48, hit.end, 40));
        break;
      case kTrigIpv4:
        ipv4.push_back(clamp(16, hit.end, 1));
        break;
      case kTrigEmail:
        emails.push_back(clamp(72, hit.end, 72));
        break;
      case kTrigIpv6:
        ipv6.push_back(clamp(40, hit.end, 40));
        break;
      case kTrigStreet:
      case kTrigHouse:
      case kTrigUnit:
      case kTrigZip: {
        // The trigger's neighbourhood on its line, plus up to three short lines above and
        // below when the line itself is short (address blocks are short lines; prose
        // paragraphs are not, and regexes over them would cost time for nothing).
        std::size_t at = hit.end > 0 ? hit.end - 1 : 0;
        std::size_t line_start = LineStart(text, at);
        std::size_t line_end = LineEnd(text, at);
        // "Date: Tue, 14 Nov 2000 08:21:00" looks like "number Word number".
        std::string_view line_head =
            text.substr(line_start, std::min<std::size_t>(8, line_end - line_start));
        if (hit.id == kTrigHouse &&
            (line_head.starts_with("Date:") || line_head.starts_with("Sent:") ||
             line_head.starts_with("> Date:"))) {
          break;
        }
        std::size_t s = std::max(line_start, at > 160 ? at - 160 : 0);
        std::size_t e = std::min(line_end, at + 160);
        if (line_end - line_start <= kShortLine) {
          for (int i = 0; i < 3 && s > 0; ++i) {
            std::size_t previous = LineStart(text, s - 1);
            if (s - 1 - previous > kShortLine) {
              break;
            }
            s = previous;
          }
          for (int i = 0; i < 3 && e < text.size(); ++i) {
            std::size_t next = LineEnd(text, e + 1);
            if (next - (e + 1) > kShortLine) {
              break;
            }
            e = next;
          }
        }
        addresses.push_back({s, e});
        break;
      }
      default:
        contextual.push_back(hit);
        break;
    }
  }
  // The windows' bytes were last read by the passes over the whole piece and are out of the
  // CPU's nearer caches by now: each family's loop fetches the next but one window's bytes (up
  // to `most`, and the context before it) while it scans one.
  auto prefetch_after_next = [&](const std::vector<Region>& regions, std::size_t i,
                                 std::size_t before, std::size_t most) {
    if (i + 2 < regions.size()) {
      const Region& next = regions[i + 2];
      std::size_t first = next.start > before ? next.start - before : 0;
      std::size_t last = std::min(next.end + 16, first + most);
      for (std::size_t at = first; at < last; at += 64) {
        __builtin_prefetch(text.data() + std::min(at, text.size() - 1));
      }
    }
  };
  MergeRegions(numbers);
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    prefetch_after_next(numbers, i, 48, std::numeric_limits<std::size_t>::max());
    impl.ScanNumbers(text, numbers[i], spans);
  }
  MergeRegions(emails);
  for (std::size_t i = 0; i < emails.size(); ++i) {
    const Region& region = emails[i];
    prefetch_after_next(emails, i, 0, 512);
    // pii::FindEmail matches patterns.email by hand (an RE2 search per "@" window cost 4% of
    // a scan over mail).
    ForEachShapeMatch(text, region, pii::FindEmail, [&](std::size_t s, std::size_t e) {
      while (s < e && text[s] == '.') {
        ++s;
      }
      spans.push_back({s, e, PiiType::kEmail, "email", 0.99});
    });
  }
  MergeRegions(ipv4);
  for (std::size_t i = 0; i < ipv4.size(); ++i) {
    const Region& region = ipv4[i];
    prefetch_after_next(ipv4, i, 16, 512);
    // pii::FindIpv4 matches patterns.ipv4 by hand.
    ForEachShapeMatch(text, region, pii::FindIpv4, [&](std::size_t s, std::size_t e) {
      if (!pii::IsValidIpv4(text.substr(s, e - s))) {
        return;
      }
      // "1.2.3.4.5" or "version 10.0.0.1" are not addresses.
      if ((e < text.size() && text[e] == '.' && e + 1 < text.size() && IsDigit(text[e + 1])) ||
          (s > 0 && text[s - 1] == '.') || ContextBefore(text, s, 12, kVersionContext)) {
        return;
      }
      spans.push_back({s, e, PiiType::kIpAddress, "ipv4", 0.9});
    });
  }
  for (const Region& region : MergeRegions(ipv6)) {
    // Expand the hex-and-colon run around the trigger and let inet_pton judge it.
    std::size_t pos = region.start;
    while (pos < region.end) {
      auto hexish = [&](char c) {
        return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
               c == '.';
      };
      if (!hexish(text[pos]) || (pos > 0 && IsWordChar(text[pos - 1]) && !hexish(text[pos - 1]))) {
        ++pos;
        continue;
      }
      std::size_t end = pos;
      while (end < text.size() && hexish(text[end])) {
        ++end;
      }
      std::size_t trimmed = end;
      while (trimmed > pos && text[trimmed - 1] == '.') {
        --trimmed;
      }
      bool bounded = end >= text.size() || !IsWordChar(text[end]);
      if (bounded && pii::IsValidIpv6(text.substr(pos, trimmed - pos))) {
        spans.push_back({pos, trimmed, PiiType::kIpAddress, "ipv6", 0.95});
      }
      pos = end + 1;
    }
  }
  MergeRegions(addresses);
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    prefetch_after_next(addresses, i, 0, 512);
    impl.ScanAddresses(text, addresses[i], spans);
  }
  impl.ScanContextual(text, contextual, spans);
  impl.ScanNames(text, name_hits, contextual, scratch.capital_starts, spans);
  impl.ScanKnownNames(text, hints, spans);
  return MergeSpans(spans, scratch.resolved);
}

}  // namespace sunshine
