// libFuzzer target: the mbox splitter. Invariants checked on every input: the raw items
// tile the input exactly (no byte lost or duplicated) and offsets are consistent.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "importers/mail/mbox_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  sunshine::mail::StringSource source(input);
  sunshine::mail::MboxReader reader(source);
  sunshine::mail::MboxItem item;
  std::string tiled;
  std::size_t leading_blank = input.find_first_not_of("\r\n");
  while (true) {
    auto next = reader.Next(item);
    if (!next.ok()) {
      std::abort();
    }
    if (!*next) {
      break;
    }
    if (item.offset < 0 || static_cast<std::size_t>(item.offset) > size ||
        input.substr(static_cast<std::size_t>(item.offset), item.raw.size()) != item.raw) {
      std::abort();
    }
    tiled += item.raw;
  }
  // Everything except leading blank lines (and a blank-only input) belongs to some item.
  std::size_t skipped = leading_blank == std::string_view::npos ? size : leading_blank;
  if (tiled.size() + skipped != size && tiled.size() != size) {
    std::abort();
  }
  return 0;
}
