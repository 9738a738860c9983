// sunshine pii scan: run the PII detectors over any text (for scripts and for checking what
// the redactor will find). Needs no Sunshine home.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "engine/cli/command.h"
#include "engine/core/json.h"
#include "engine/redact/pii_scanner.h"

namespace sunshine {

namespace {

void ScanOptions(Poco::Util::OptionSet& options) {
  options.addOption(FlagOption("lines", "scan each line as its own document; offsets per line"));
  options.addOption(ValueOption("min-confidence", "X", "only spans with confidence >= X (0..1)"));
}

void AppendNumber(std::string& out, std::size_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  (void)ec;
  out.append(buffer, end);
}

// printf("%.2f") of a confidence. A scan prints millions of spans but only a dozen distinct
// confidences, and printf's float formatting was a visible share of the scan's time: the text
// is cached per exact value (by its bits), so the output is what printf prints.
class ConfidenceText {
 public:
  std::string_view Get(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(bits));
    Slot& slot = slots_[(bits * 0x9E3779B97F4A7C15ull) >> (64 - kBits)];
    if (!slot.used || slot.bits != bits) {
      int size = std::snprintf(slot.text, sizeof(slot.text), "%.2f", value);
      slot.size = size > 0
                      ? std::min<std::size_t>(static_cast<std::size_t>(size), sizeof(slot.text) - 1)
                      : 0;
      slot.bits = bits;
      slot.used = true;
    }
    return {slot.text, slot.size};
  }

 private:
  static constexpr int kBits = 6;
  struct Slot {
    std::uint64_t bits = 0;
    bool used = false;
    std::size_t size = 0;
    char text[32] = {};
  };
  Slot slots_[std::size_t{1} << kBits];
};

// The end of a span's JSON object after its offsets, `,"type":...,"confidence":0.99}` and the
// line break: a scan prints millions of spans but only some dozens of distinct (type, rule,
// confidence), so each is put together once (rules are static strings: their address names
// them).
class JsonTail {
 public:
  std::string_view Get(const PiiSpan& span, std::string_view confidence) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &span.confidence, sizeof(bits));
    auto rule = reinterpret_cast<std::uintptr_t>(span.rule.data());
    std::uint64_t hash = (bits * 0x9E3779B97F4A7C15ull) ^
                         ((rule + static_cast<std::uint64_t>(span.type)) * 0xC2B2AE3D27D4EB4Full);
    Slot& slot = slots_[hash >> (64 - kBits)];
    if (!slot.used || slot.bits != bits || slot.rule != span.rule.data() ||
        slot.rule_size != span.rule.size() || slot.type != span.type) {
      slot.text = ",\"type\":\"";
      slot.text += PiiTypeName(span.type);
      slot.text += "\",\"rule\":\"";
      slot.text += span.rule;
      slot.text += "\",\"confidence\":";
      slot.text += confidence;
      slot.text += "}\n";
      slot.bits = bits;
      slot.rule = span.rule.data();
      slot.rule_size = span.rule.size();
      slot.type = span.type;
      slot.used = true;
    }
    return slot.text;
  }

 private:
  static constexpr int kBits = 7;
  struct Slot {
    std::uint64_t bits = 0;
    const char* rule = nullptr;
    std::size_t rule_size = 0;
    PiiType type = PiiType::kPerson;
    bool used = false;
    std::string text;
  };
  Slot slots_[std::size_t{1} << kBits];
};

// One span as a JSON Lines object or a human-readable line.
void AppendSpan(std::string& out, const PiiSpan& span, std::string_view text, bool json,
                std::size_t base, std::size_t line, ConfidenceText& confidences, JsonTail& tails) {
  std::string_view confidence = confidences.Get(span.confidence);
  if (json) {
    out += '{';
    if (line > 0) {
      out += "\"line\":";
      AppendNumber(out, line);
      out += ',';
    }
    out += "\"start\":";
    AppendNumber(out, base + span.start);
    out += ",\"end\":";
    AppendNumber(out, base + span.end);
    out += tails.Get(span, confidence);
    return;
  }
  if (line > 0) {
    AppendNumber(out, line);
    out += ":";
  }
  AppendNumber(out, base + span.start);
  out += "-";
  AppendNumber(out, base + span.end);
  out += "  ";
  out += PiiTypeName(span.type);
  out += "  ";
  out += span.rule;
  out += "  ";
  out += confidence;
  out += "  ";
  std::string_view value = text.substr(span.start, span.end - span.start);
  for (char c : value) {
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  out += "\n";
}

// Where a piece of `text` ends: after the last blank line ("\n\n", "\n\r\n") in the
// second half of the text, else after the last line break, else at the end.
std::size_t CutAfterParagraph(std::string_view text) {
  const char* data = text.data();
  std::size_t last_newline = text.size();
  std::size_t end = text.size();
  while (end > text.size() / 2) {
    const void* found = memrchr(data, '\n', end);
    if (found == nullptr) {
      break;
    }
    std::size_t at = static_cast<std::size_t>(static_cast<const char*>(found) - data);
    if (last_newline == text.size()) {
      last_newline = at;
    }
    std::size_t before = at;
    if (before > 0 && data[before - 1] == '\r') {
      --before;
    }
    if (before > 0 && data[before - 1] == '\n') {
      return at + 1;
    }
    end = at;
  }
  if (last_newline == text.size()) {
    const void* found = memrchr(data, '\n', end);
    return found == nullptr ? text.size()
                            : static_cast<std::size_t>(static_cast<const char*>(found) - data) + 1;
  }
  return last_newline + 1;
}

int RunScan(CommandContext& context) {
  const auto& positionals = context.args.positionals();
  if (positionals.size() > 1) {
    return context.UsageError("give one FILE (or - for standard input)");
  }
  double min_confidence = 0;
  if (auto value = context.args.Optional("min-confidence")) {
    try {
      min_confidence = std::stod(*value);
    } catch (const std::exception&) {
      return context.UsageError("--min-confidence needs a number between 0 and 1");
    }
  }
  std::string path = positionals.empty() ? "-" : positionals[0];
  const bool lines = context.args.Has("lines");
  std::ifstream file;
  std::istream* in = &std::cin;
  int fd = 0;  // whole-text mode reads with read(2): see below
  if (path != "-") {
    if (lines) {
      file.open(path, std::ios::binary);
      if (!file) {
        return context.Fail(Status::IoError("cannot read " + path));
      }
      in = &file;
    } else {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        return context.Fail(Status::IoError("cannot read " + path));
      }
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
  }
  struct CloseFd {
    int fd;
    ~CloseFd() {
      if (fd > 0) {
        ::close(fd);
      }
    }
  } close_fd{fd};
  auto scanner = PiiScanner::Default();
  if (!scanner.ok()) {
    return context.Fail(scanner.status());
  }
  const bool json = context.global.json;
  ConfidenceText confidences;
  JsonTail tails;
  std::string out;
  std::size_t total_spans = 0;
  auto flush = [&]() {
    context.Out() << out;
    out.clear();
  };
  // Written every 64 KiB, not once per piece: the kernel copies the output into the page
  // cache while it is still in the CPU's cache (written once per 16 MiB piece, that copy was
  // 6% of a scan's samples; now it is 0.2%).
  constexpr std::size_t kFlushAt = std::size_t{64} << 10;
  auto emit = [&](std::string_view text, std::size_t base, std::size_t line) {
    for (const PiiSpan& span : (*scanner)->Scan(text)) {
      if (span.confidence >= min_confidence) {
        AppendSpan(out, span, text, json, base, line, confidences, tails);
        ++total_spans;
        if (out.size() >= kFlushAt) {
          flush();
        }
      }
    }
  };
  if (lines) {
    std::string line;
    std::size_t number = 0;
    while (std::getline(*in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      emit(line, 0, number);
    }
    if (in->bad()) {  // a read error, not the end of the text
      flush();
      return context.Fail(
          Status::IoError("cannot read " + path + " after line " + std::to_string(number)));
    }
  } else {
    // Large inputs are scanned in pieces, so memory stays bounded: each piece is what is left
    // of the previous one plus the next kPiece bytes, cut after its last paragraph break (a
    // blank line) in its second half, or else after its last line break (the pieces, and so
    // the output, do not depend on how the reads below happen to return). A blank line ends an
    // address block, and context read across one is another paragraph's: on the bench corpus
    // the only change from 16 MiB pieces cut at line breaks was two false phone numbers that
    // had taken their context word from the next paragraph. 2 MiB rather than 16 keeps a piece
    // and the scanner's per-piece tables in the CPU's caches while its passes go over them
    // (3-4% less CPU; 1 and 4 MiB measured no better). One buffer serves every piece and is filled
    // by read(2) in place: a fresh string per piece cost a copy of the input and page faults on
    // fresh memory for every piece.
    constexpr std::size_t kPiece = std::size_t{2} << 20;
    // The carried tail is shorter than a piece: it is less than half of one after a paragraph
    // cut, and holds no line break after a line cut. (new[], not make_unique, which would
    // zero memory that the reads overwrite anyway.)
    std::unique_ptr<char[]> buffer(new char[2 * kPiece]);
    std::size_t carry = 0;  // bytes at the front of buffer left from the previous piece
    std::size_t base = 0;
    while (true) {
      std::size_t got = 0;
      while (got < kPiece) {
        ssize_t n = ::read(fd, buffer.get() + carry + got, kPiece - got);
        if (n < 0 && errno == EINTR) {
          continue;
        }
        if (n < 0) {  // a read error is not the end of the text: nothing is dropped silently
          Status error =
              Status::IoError("cannot read " + path + " at byte " +
                              std::to_string(base + carry + got) + ": " + std::strerror(errno));
          flush();
          return context.Fail(error);
        }
        if (n == 0) {
          break;
        }
        got += static_cast<std::size_t>(n);
      }
      std::size_t size = carry + got;
      std::size_t piece = size;
      bool at_end = got < kPiece;
      if (!at_end) {
        piece = CutAfterParagraph(std::string_view(buffer.get(), size));
      }
      emit(std::string_view(buffer.get(), piece), base, 0);
      base += piece;
      if (at_end) {
        break;
      }
      carry = size - piece;
      std::memmove(buffer.get(), buffer.get() + piece, carry);
    }
  }
  flush();
  context.Note("pii scan: " + std::to_string(total_spans) + " spans");
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> PiiCommands() {
  return {
      {"pii scan", "find personal data in any text (what the redactor would see)",
       "[FILE|-] [--lines] [--min-confidence X] [--json]",
       "Runs every PII detector over FILE (or standard input) and prints one line per span:\n"
       "start-end (byte offsets into the UTF-8 input, end exclusive), type, rule, confidence\n"
       "and the text found. With --json, one JSON object per line with start, end, type,\n"
       "rule and confidence (never the text). With --lines each input line is scanned as its\n"
       "own document and every span also carries `line` (1-based) with offsets relative to\n"
       "that line. Types: ssn, itin, card, routing-number, bank-account, iban, phone, email,\n"
       "ip-address, date-of-birth, street-address, driver-license, passport, person.\n"
       "Needs no Sunshine home; reads nothing else and writes nothing.",
       StoreAccess::kNone, ScanOptions, RunScan},
  };
}

}  // namespace sunshine
