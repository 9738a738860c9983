#include "exporters/leak_gate.h"

#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <zlib.h>

#include <cctype>
#include <sstream>

#include "engine/store/blob_store.h"
#include "exporters/zip_archive.h"

namespace sunshine {

namespace {

char Fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Letters, digits and every non-ASCII byte (UTF-8 letters) are the characters a value is made
// of; everything else is a separator.
bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || u >= 0x80;
}

std::string Folded(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = Fold(c);
  }
  return out;
}

std::string DigitsOnly(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (IsDigit(c)) {
      out += c;
    }
  }
  return out;
}

// A digit run equal to `digits`, not inside a longer run of digits.
bool ContainsDigitRun(std::string_view haystack, const std::string& digits) {
  std::size_t at = 0;
  while ((at = haystack.find(digits, at)) != std::string_view::npos) {
    bool left_ok = at == 0 || !IsDigit(haystack[at - 1]);
    std::size_t end = at + digits.size();
    bool right_ok = end >= haystack.size() || !IsDigit(haystack[end]);
    if (left_ok && right_ok) {
      return true;
    }
    ++at;
  }
  return false;
}

struct Skeleton {
  std::string chars;              // word bytes only, folded
  std::vector<bool> token_start;  // chars[i] began a run of word bytes in the original
  std::vector<bool> token_end;
};

Skeleton MakeSkeleton(std::string_view text) {
  Skeleton skeleton;
  bool previous_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool word = IsWordByte(text[i]);
    if (word) {
      skeleton.chars += Fold(text[i]);
      skeleton.token_start.push_back(!previous_word);
      skeleton.token_end.push_back(i + 1 >= text.size() || !IsWordByte(text[i + 1]));
    }
    previous_word = word;
  }
  return skeleton;
}

int CharClass(char c) { return IsDigit(c) ? 1 : 2; }

bool ContainsSkeleton(const Skeleton& haystack, const std::string& needle) {
  std::size_t at = 0;
  const std::string& chars = haystack.chars;
  while ((at = chars.find(needle, at)) != std::string::npos) {
    std::size_t end = at + needle.size();
    bool left_ok =
        at == 0 || haystack.token_start[at] || CharClass(chars[at - 1]) != CharClass(chars[at]);
    bool right_ok = end >= chars.size() || haystack.token_end[end - 1] ||
                    CharClass(chars[end]) != CharClass(chars[end - 1]);
    if (left_ok && right_ok) {
      return true;
    }
    ++at;
  }
  return false;
}

// `needle` in `haystack` (both folded) where it does not continue a word or number: the
// byte before and after must not be of the same kind (letter or digit) as the needle's ends.
bool ContainsBounded(const std::string& haystack, const std::string& needle) {
  if (needle.empty()) {
    return false;
  }
  auto same_kind = [](char a, char b) {
    return IsWordByte(a) && IsWordByte(b) && CharClass(a) == CharClass(b);
  };
  std::size_t at = 0;
  while ((at = haystack.find(needle, at)) != std::string::npos) {
    std::size_t end = at + needle.size();
    bool left_ok = at == 0 || !same_kind(haystack[at - 1], needle.front());
    bool right_ok = end >= haystack.size() || !same_kind(haystack[end], needle.back());
    if (left_ok && right_ok) {
      return true;
    }
    ++at;
  }
  return false;
}

bool Matches(std::string_view haystack, const std::string& folded_haystack,
             const Skeleton* skeleton, std::string_view value) {
  if (ContainsBounded(folded_haystack, Folded(value))) {
    return true;
  }
  std::string digits = DigitsOnly(value);
  // In binary data (fonts, hex glyph strings in content streams) short digit runs occur by
  // chance; there only runs of 7 or more digits count. The extracted text gets every length.
  std::size_t min_digits = skeleton != nullptr ? 4 : 7;
  bool mostly_digits = digits.size() >= min_digits && digits.size() * 2 >= value.size();
  if (mostly_digits && ContainsDigitRun(haystack, digits)) {
    return true;
  }
  if (skeleton != nullptr) {
    std::string needle = MakeSkeleton(value).chars;
    if (needle.size() >= 4 && ContainsSkeleton(*skeleton, needle)) {
      return true;
    }
  }
  return false;
}

bool LooksLikeText(std::string_view name) {
  for (std::string_view suffix : {".txt", ".csv", ".jsonl", ".json", ".xml", ".md"}) {
    if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string LeakHit::Describe() const {
  return entry + " (" + where + "): a redacted " + (category.empty() ? "value" : category) +
         " value of record " + std::to_string(record_id) + " is still present";
}

bool ContainsRedactedValue(std::string_view haystack, std::string_view value, bool text_like) {
  std::string folded = Folded(haystack);
  if (text_like) {
    Skeleton skeleton = MakeSkeleton(haystack);
    return Matches(haystack, folded, &skeleton, value);
  }
  return Matches(haystack, folded, nullptr, value);
}

std::vector<std::string> InflatedPdfStreams(std::string_view pdf) {
  std::vector<std::string> streams;
  std::size_t at = 0;
  while ((at = pdf.find("stream", at)) != std::string_view::npos) {
    if (at >= 3 && pdf.substr(at - 3, 3) == "end") {
      at += 6;
      continue;
    }
    std::size_t begin = at + 6;
    if (begin < pdf.size() && pdf[begin] == '\r') {
      ++begin;
    }
    if (begin < pdf.size() && pdf[begin] == '\n') {
      ++begin;
    }
    std::size_t end = pdf.find("endstream", begin);
    if (end == std::string_view::npos) {
      break;
    }
    std::string_view raw = pdf.substr(begin, end - begin);
    // Every stream is tried: a stream that does not inflate is searched raw by the caller
    // (the whole file's bytes), so nothing is skipped.
    z_stream z{};
    if (inflateInit(&z) == Z_OK) {
      std::string out;
      char buffer[16384];
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
      z.avail_in = static_cast<uInt>(raw.size());
      int rc = Z_OK;
      while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buffer);
        z.avail_out = sizeof buffer;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - z.avail_out);
      }
      inflateEnd(&z);
      if (rc == Z_STREAM_END || (!out.empty() && rc == Z_BUF_ERROR)) {
        streams.push_back(std::move(out));
      }
    }
    at = end + 9;
  }
  return streams;
}

Result<std::string> PdfToText(std::string_view pdf, const Path& scratch_dir) {
  static int counter = 0;
  Path file = scratch_dir / ("leak-check-" + std::to_string(++counter) + ".pdf");
  SUNSHINE_RETURN_IF_ERROR(WriteFileAtomically(file, pdf));
  std::string text;
  int exit_code = -1;
  try {
    Poco::Pipe out_pipe;
    Poco::Process::Args args = {"-q", "-enc", "UTF-8", file.string(), "-"};
    Poco::ProcessHandle handle =
        Poco::Process::launch("pdftotext", args, nullptr, &out_pipe, nullptr);
    Poco::PipeInputStream in(out_pipe);
    std::ostringstream collected;
    Poco::StreamCopier::copyStream(in, collected);
    exit_code = handle.wait();
    text = collected.str();
  } catch (const Poco::Exception& error) {
    boost::system::error_code ignored;
    boost::filesystem::remove(file, ignored);
    return Status::Internal("the leak gate cannot run pdftotext (poppler-utils): " +
                            error.displayText());
  }
  boost::system::error_code ignored;
  boost::filesystem::remove(file, ignored);
  if (exit_code != 0) {
    return Status::Internal("pdftotext failed (exit " + std::to_string(exit_code) +
                            "): the leak gate fails closed");
  }
  return text;
}

Result<std::vector<LeakHit>> ScanZipForLeaks(const Path& zip_file,
                                             const std::vector<LeakProbe>& probes,
                                             const Path& scratch_dir) {
  std::vector<ZipReadProblem> problems;
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<ZipEntry> entries, ReadZip(zip_file, &problems));
  if (!problems.empty()) {
    return Status::Corruption("the finished package cannot be read back: " + problems[0].name +
                              ": " + problems[0].problem);
  }
  std::vector<LeakHit> hits;
  auto scan = [&](const std::string& entry, const std::string& where, std::string_view haystack,
                  bool text_like) {
    std::string folded = Folded(haystack);
    Skeleton skeleton;
    if (text_like) {
      skeleton = MakeSkeleton(haystack);
    }
    for (const LeakProbe& probe : probes) {
      if (Matches(haystack, folded, text_like ? &skeleton : nullptr, probe.value)) {
        hits.push_back({entry, where, probe.record_id, probe.category});
      }
    }
  };
  int number = 0;
  for (const ZipEntry& entry : entries) {
    ++number;
    // A message must never repeat a value: an entry whose own name holds one is named by its
    // position in the archive instead.
    std::size_t before = hits.size();
    std::string label = "entry " + std::to_string(number) + " (its name holds a redacted value)";
    scan(label, "file name", entry.name, true);
    std::string name = hits.size() > before ? label : entry.name;
    bool is_pdf = entry.bytes.rfind("%PDF", 0) == 0;
    scan(name, "content", entry.bytes, !is_pdf && LooksLikeText(entry.name));
    if (is_pdf) {
      int index = 0;
      for (const std::string& stream : InflatedPdfStreams(entry.bytes)) {
        scan(name, "PDF stream " + std::to_string(++index), stream, false);
      }
      SUNSHINE_ASSIGN_OR_RETURN(std::string text, PdfToText(entry.bytes, scratch_dir));
      scan(name, "pdftotext", text, true);
    }
  }
  return hits;
}

}  // namespace sunshine
