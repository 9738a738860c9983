// sunshine pii scan: run the PII detectors over any text (for scripts and for checking what
// the redactor will find). Needs no Sunshine home.
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>

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

// One span as a JSON Lines object or a human-readable line.
void AppendSpan(std::string& out, const PiiSpan& span, std::string_view text, bool json,
                std::size_t base, std::size_t line) {
  char confidence[16];
  std::snprintf(confidence, sizeof(confidence), "%.2f", span.confidence);
  if (json) {
    out += "{";
    if (line > 0) {
      out += "\"line\":";
      AppendNumber(out, line);
      out += ",";
    }
    out += "\"start\":";
    AppendNumber(out, base + span.start);
    out += ",\"end\":";
    AppendNumber(out, base + span.end);
    out += ",\"type\":\"";
    out += PiiTypeName(span.type);
    out += "\",\"rule\":\"";
    out += span.rule;
    out += "\",\"confidence\":";
    out += confidence;
    out += "}\n";
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
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      return context.Fail(Status::IoError("cannot read " + path));
    }
    in = &file;
  }
  auto scanner = PiiScanner::Default();
  if (!scanner.ok()) {
    return context.Fail(scanner.status());
  }
  const bool json = context.global.json;
  const bool lines = context.args.Has("lines");
  std::string out;
  std::size_t total_spans = 0;
  auto flush = [&]() {
    context.Out() << out;
    out.clear();
  };
  auto emit = [&](std::string_view text, std::size_t base, std::size_t line) {
    for (const PiiSpan& span : (*scanner)->Scan(text)) {
      if (span.confidence >= min_confidence) {
        AppendSpan(out, span, text, json, base, line);
        ++total_spans;
      }
    }
    if (out.size() > (1u << 20)) {
      flush();
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
  } else {
    // Large inputs are scanned in pieces cut at line breaks, so memory stays bounded.
    constexpr std::size_t kPiece = std::size_t{16} << 20;
    std::string buffer;
    std::string carry;
    std::size_t base = 0;
    std::vector<char> chunk(kPiece);
    while (true) {
      in->read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      std::size_t got = static_cast<std::size_t>(in->gcount());
      buffer = std::move(carry);
      carry.clear();
      buffer.append(chunk.data(), got);
      bool at_end = got < chunk.size();
      if (!at_end) {
        std::size_t cut = buffer.rfind('\n');
        if (cut != std::string::npos && cut + 1 < buffer.size()) {
          carry = buffer.substr(cut + 1);
          buffer.resize(cut + 1);
        }
      }
      emit(buffer, base, 0);
      base += buffer.size();
      if (at_end) {
        break;
      }
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
