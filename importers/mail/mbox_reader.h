// Streaming mbox splitting. Memory holds one message at a time however large the file.
//
// Rules (docs/formats/mail-input.md): a line starting "From " separates messages only at
// the start of the file or after a blank line, and only when it looks like a real separator
// ("From <addr> <date with a time and a year>"). Content-Length is not trusted. Body lines
// quoted as ">From " (mboxo) or ">>From " (mboxrd) lose one '>'. LF, CRLF and bare-CR line
// endings are all line ends.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/path.h"
#include "engine/core/result.h"

namespace sunshine::mail {

// Sequential bytes from a file (gzip-compressed or not: zlib reads both) or a string.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `size` bytes into `buffer`; 0 at the end.
  virtual Result<std::size_t> Read(char* buffer, std::size_t size) = 0;
};

class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string_view bytes) : bytes_(bytes) {}
  Result<std::size_t> Read(char* buffer, std::size_t size) override;

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

// Opens `file` for streaming; `.gz` content (detected by magic, not name) is decompressed.
Result<std::unique_ptr<ByteSource>> OpenFileSource(const Path& file);

// Reads the whole (decompressed) content: for single-message files.
Result<std::string> ReadAllDecompressed(const Path& file, std::size_t limit);

struct MboxItem {
  std::int64_t offset = 0;  // byte offset of the item in the (decompressed) file
  std::string raw;          // the exact bytes of the item as in the file, separator included
  std::string from_line;    // the "From ..." separator line without its line end
  std::string message;      // the message: separator removed, ">From " unquoted, the blank
                            // line that preceded the next separator removed
  bool preamble = false;    // text before the first separator (not a message)
};

class MboxReader {
 public:
  explicit MboxReader(ByteSource& source) : source_(source) {}
  // Next item, or false at the end.
  Result<bool> Next(MboxItem& item);

  // Does this line (without its line end) look like a real "From " separator?
  static bool LooksLikeSeparator(std::string_view line);
  // True if the file's first line is a separator (so the file is an mbox).
  static bool StartsLikeMbox(std::string_view head);

 private:
  // Next line including its line end into `line`; false at the end of input.
  Result<bool> NextLine(std::string& line);
  Result<bool> Fill();

  ByteSource& source_;
  std::string buffer_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  std::int64_t offset_ = 0;   // offset of the next line
  std::string pending_line_;  // a separator line read ahead
  std::int64_t pending_offset_ = 0;
  bool have_pending_ = false;
};

}  // namespace sunshine::mail
