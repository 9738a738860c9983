#include "importers/mail/mbox_reader.h"

#include <cctype>
#include <cstring>

namespace sunshine::mail {

namespace {

constexpr std::size_t kChunk = 1 << 20;

class GzFileSource : public ByteSource {
 public:
  GzFileSource(gzFile file, std::string name) : file_(file), name_(std::move(name)) {}
  ~GzFileSource() override { gzclose(file_); }
  GzFileSource(const GzFileSource&) = delete;
  GzFileSource& operator=(const GzFileSource&) = delete;

  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    int n = gzread(file_, buffer, static_cast<unsigned>(std::min<std::size_t>(size, 1U << 30)));
    if (n < 0) {
      int code = 0;
      const char* message = gzerror(file_, &code);
      return Status::IoError(name_ + ": read failed: " + (message != nullptr ? message : "?"));
    }
    return static_cast<std::size_t>(n);
  }

 private:
  gzFile file_;
  std::string name_;
};

std::string_view StripLineEnd(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  return line;
}

bool IsBlank(std::string_view line) { return StripLineEnd(line).empty(); }

// ">From ", ">>From " ... : one '>' less (mboxrd; for mboxo it is the same on ">From ").
bool IsQuotedFrom(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == '>') {
    ++i;
  }
  return i > 0 && line.substr(i, 5) == "From ";
}

}  // namespace

Result<std::size_t> StringSource::Read(char* buffer, std::size_t size) {
  std::size_t n = std::min(size, bytes_.size() - pos_);
  std::memcpy(buffer, bytes_.data() + pos_, n);
  pos_ += n;
  return n;
}

Result<std::unique_ptr<ByteSource>> OpenFileSource(const Path& file) {
  gzFile handle = gzopen(file.c_str(), "rb");
  if (handle == nullptr) {
    return Status::IoError("cannot open " + file.string() + ": " + std::strerror(errno));
  }
  gzbuffer(handle, 256 * 1024);
  return std::unique_ptr<ByteSource>(new GzFileSource(handle, file.string()));
}

Result<std::string> ReadAllDecompressed(const Path& file, std::size_t limit) {
  SUNSHINE_ASSIGN_OR_RETURN(auto source, OpenFileSource(file));
  std::string out;
  std::string chunk(kChunk, '\0');
  while (true) {
    SUNSHINE_ASSIGN_OR_RETURN(std::size_t n, source->Read(chunk.data(), chunk.size()));
    if (n == 0) {
      break;
    }
    out.append(chunk.data(), n);
    if (out.size() > limit) {
      return Status::InvalidInput(file.string() + ": larger than " + std::to_string(limit) +
                                  " bytes");
    }
  }
  return out;
}

bool MboxReader::LooksLikeSeparator(std::string_view line) {
  line = StripLineEnd(line);
  if (line.size() < 12 || line.substr(0, 5) != "From ") {
    return false;
  }
  std::string_view rest = line.substr(5);
  // The envelope sender: one token (may be "-" or MAILER-DAEMON), then the date.
  std::size_t token_end = rest.find(' ');
  if (token_end == 0 || token_end == std::string_view::npos) {
    return false;
  }
  std::string_view date = rest.substr(token_end);
  // A time "H:MM" and a four-digit year 19xx/20xx somewhere in the date part.
  bool has_time = false;
  bool has_year = false;
  for (std::size_t i = 0; i < date.size(); ++i) {
    auto digit = [&](std::size_t k) {
      return k < date.size() && std::isdigit(static_cast<unsigned char>(date[k])) != 0;
    };
    if (date[i] == ':' && i > 0 && digit(i - 1) && digit(i + 1) && digit(i + 2)) {
      has_time = true;
    }
    if ((i == 0 || !digit(i - 1)) && digit(i) && digit(i + 1) && digit(i + 2) && digit(i + 3) &&
        !digit(i + 4) && (date[i] == '1' || date[i] == '2')) {
      has_year = true;
    }
  }
  return has_time && has_year;
}

bool MboxReader::StartsLikeMbox(std::string_view head) {
  std::size_t start = head.find_first_not_of("\r\n");
  if (start == std::string_view::npos) {
    return false;
  }
  head = head.substr(start);
  std::size_t eol = head.find_first_of("\r\n");
  std::string_view first = head.substr(0, eol == std::string_view::npos ? head.size() : eol);
  if (LooksLikeSeparator(first)) {
    return true;
  }
  // A message starts with a header field; text that does not, followed by a real separator
  // after a blank line, is an mbox with junk in front (quarantined as a preamble).
  std::size_t colon = first.find(':');
  if (colon != std::string_view::npos && colon > 0 &&
      first.substr(0, colon).find_first_of(" \t") == std::string_view::npos) {
    return false;
  }
  for (std::string_view blank : {"\n\nFrom ", "\r\n\r\nFrom ", "\r\rFrom "}) {
    std::size_t at = head.find(blank);
    if (at != std::string_view::npos) {
      std::string_view line = head.substr(at + blank.size() - 5);
      std::size_t end = line.find_first_of("\r\n");
      if (end != std::string_view::npos && LooksLikeSeparator(line.substr(0, end))) {
        return true;
      }
    }
  }
  return false;
}

Result<bool> MboxReader::Fill() {
  if (eof_) {
    return false;
  }
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  std::size_t old = buffer_.size();
  buffer_.resize(old + kChunk);
  auto n = source_.Read(buffer_.data() + old, kChunk);
  if (!n.ok()) {
    buffer_.resize(old);
    return n.status();
  }
  buffer_.resize(old + *n);
  if (*n == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

Result<bool> MboxReader::NextLine(std::string& line) {
  line.clear();
  while (true) {
    const char* begin = buffer_.data() + pos_;
    const char* end = buffer_.data() + buffer_.size();
    const char* p = begin;
    while (p < end && *p != '\n' && *p != '\r') {
      ++p;
    }
    if (p < end) {
      if (*p == '\r' && p + 1 == end && !eof_) {
        // CR at the buffer's end: CRLF or a bare CR? Need the next byte.
        line.append(begin, static_cast<std::size_t>(p - begin));
        pos_ = buffer_.size();
        SUNSHINE_ASSIGN_OR_RETURN(bool more, Fill());
        if (more && !buffer_.empty() && buffer_[0] == '\n') {
          line += "\r\n";
          pos_ = 1;
        } else {
          line += '\r';
        }
        offset_ += static_cast<std::int64_t>(line.size());
        return true;
      }
      std::size_t length = static_cast<std::size_t>(p - begin) + 1;
      if (*p == '\r' && p + 1 < end && p[1] == '\n') {
        ++length;
      }
      line.append(begin, length);
      pos_ += length;
      offset_ += static_cast<std::int64_t>(line.size());
      return true;
    }
    line.append(begin, static_cast<std::size_t>(end - begin));
    pos_ = buffer_.size();
    SUNSHINE_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) {
      offset_ += static_cast<std::int64_t>(line.size());
      return !line.empty();
    }
  }
}

Result<bool> MboxReader::Next(MboxItem& item) {
  item = MboxItem();
  std::string line;
  bool previous_blank = true;  // the start of the file counts as after a blank line
  if (have_pending_) {
    item.offset = pending_offset_;
    item.raw = pending_line_;
    item.from_line = std::string(StripLineEnd(pending_line_));
    have_pending_ = false;
    previous_blank = false;
  } else {
    // Start of file: skip blank lines; anything else before a separator is a preamble.
    item.offset = offset_;
    bool any_text = false;
    while (true) {
      std::int64_t line_offset = offset_;
      SUNSHINE_ASSIGN_OR_RETURN(bool got, NextLine(line));
      if (!got) {
        if (any_text) {
          item.preamble = true;
          item.message = item.raw;
          return true;
        }
        return false;
      }
      if (previous_blank && line.rfind("From ", 0) == 0 && LooksLikeSeparator(line)) {
        if (any_text) {
          pending_line_ = line;
          pending_offset_ = line_offset;
          have_pending_ = true;
          item.preamble = true;
          item.message = item.raw;
          return true;
        }
        item.offset = line_offset;
        item.raw = line;
        item.from_line = std::string(StripLineEnd(line));
        previous_blank = false;
        break;
      }
      if (!IsBlank(line)) {
        any_text = true;
      }
      if (!any_text) {
        item.offset = offset_;  // leading blank lines belong to nobody
        previous_blank = true;
        continue;
      }
      item.raw += line;
      previous_blank = IsBlank(line);
    }
  }
  // The message lines up to the next real separator.
  std::string last_blank_line;  // a blank line held back: it may be the separator's
  bool holding_blank = false;
  while (true) {
    std::int64_t line_offset = offset_;
    SUNSHINE_ASSIGN_OR_RETURN(bool got, NextLine(line));
    if (!got) {
      // End of file: the trailing blank line (if any) was the writer's separator.
      return true;
    }
    if (previous_blank && line.rfind("From ", 0) == 0 && LooksLikeSeparator(line)) {
      pending_line_ = line;
      pending_offset_ = line_offset;
      have_pending_ = true;
      return true;
    }
    item.raw += line;
    if (holding_blank) {
      item.message += last_blank_line;
      holding_blank = false;
    }
    if (IsBlank(line)) {
      last_blank_line = line;
      holding_blank = true;
      previous_blank = true;
      continue;
    }
    previous_blank = false;
    if (line[0] == '>' && IsQuotedFrom(line)) {
      item.message.append(line, 1, std::string::npos);
    } else {
      item.message += line;
    }
  }
}

}  // namespace sunshine::mail
