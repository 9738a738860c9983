// Span-level evaluation of the PII detectors over the Presidio synthetic corpus
// (../shared/corpora/pii/presidio-generated/generated_large.json; skipped when absent).
//
// Matching: a labelled span is found when a detection of a mapped type overlaps it; a
// detection is correct when it overlaps a labelled span of a type mapped to it. Corpus types
// we do not redact (ORGANIZATION, TITLE, NRP, DATE_TIME, ...) are not scored; detections of
// types the corpus does not label (dates of birth, passports, bank numbers) are listed but
// not scored either. Corpus offsets are Unicode code points; we convert them to UTF-8 bytes.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/redact/pii_scanner.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

// Corpus type -> our types that count as finding it.
const std::map<std::string, std::set<std::string>>& TypeMap() {
  static const std::map<std::string, std::set<std::string>> kMap = {
      {"PERSON", {"person"}},
      {"ADDRESS", {"street-address"}},
      {"STREET_ADDRESS", {"street-address"}},
      {"CREDIT_CARD", {"card"}},
      {"PHONE_NUMBER", {"phone"}},
      {"US_SSN", {"ssn", "itin"}},
      {"EMAIL_ADDRESS", {"email"}},
      {"IP_ADDRESS", {"ip-address"}},
      {"IBAN_CODE", {"iban"}},
      {"US_DRIVER_LICENSE", {"driver-license"}},
  };
  return kMap;
}

// Our type -> corpus types a detection of it may overlap to count as correct. A street
// address block also covers the city and country lines the corpus labels LOCATION.
const std::map<std::string, std::set<std::string>>& ReverseMap() {
  static const std::map<std::string, std::set<std::string>> kMap = {
      {"person", {"PERSON"}},       {"street-address", {"ADDRESS", "STREET_ADDRESS", "LOCATION"}},
      {"card", {"CREDIT_CARD"}},    {"phone", {"PHONE_NUMBER"}},
      {"ssn", {"US_SSN"}},          {"itin", {"US_SSN"}},
      {"email", {"EMAIL_ADDRESS"}}, {"ip-address", {"IP_ADDRESS"}},
      {"iban", {"IBAN_CODE"}},      {"driver-license", {"US_DRIVER_LICENSE"}},
  };
  return kMap;
}

// Byte offset of each code point index (one past the end included).
std::vector<std::size_t> CodePointOffsets(const std::string& text) {
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      offsets.push_back(i);
    }
  }
  offsets.push_back(text.size());
  return offsets;
}

struct Gold {
  std::size_t start, end;
  std::string type;
};

struct Counts {
  int gold = 0, found = 0, predicted = 0, correct = 0;
};

TEST(PiiEvalTest, PresidioGeneratedCorpus) {
  Path corpora = testing::SharedCorpora();
  Path file = corpora / "pii" / "presidio-generated" / "generated_large.json";
  if (corpora.empty() || !boost::filesystem::exists(file)) {
    GTEST_SKIP() << "shared corpus absent: " << file.string();
  }
  std::ifstream in(file.string(), std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  Poco::JSON::Parser parser;
  auto items = parser.parse(buffer.str()).extract<Poco::JSON::Array::Ptr>();
  auto scanner = PiiScanner::Default();
  ASSERT_TRUE(scanner.ok()) << scanner.status().ToString();

  std::map<std::string, Counts> by_corpus_type;  // recall side
  std::map<std::string, Counts> by_our_type;     // precision side
  std::map<std::string, int> unscored;
  const bool verbose = std::getenv("SUNSHINE_PII_EVAL_VERBOSE") != nullptr;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    std::string text = item->getValue<std::string>("full_text");
    std::vector<std::size_t> offsets = CodePointOffsets(text);
    std::vector<Gold> gold;
    auto spans = item->getArray("spans");
    for (std::size_t j = 0; j < spans->size(); ++j) {
      auto span = spans->getObject(static_cast<unsigned>(j));
      auto start = static_cast<std::size_t>(span->getValue<int>("start_position"));
      auto end = static_cast<std::size_t>(span->getValue<int>("end_position"));
      ASSERT_LT(end, offsets.size());
      gold.push_back({offsets[start], offsets[end], span->getValue<std::string>("entity_type")});
    }
    std::vector<PiiSpan> found = (*scanner)->Scan(text);
    auto overlaps = [](std::size_t a, std::size_t b, std::size_t c, std::size_t d) {
      return a < d && c < b;
    };
    for (const Gold& g : gold) {
      auto mapped = TypeMap().find(g.type);
      if (mapped == TypeMap().end()) {
        continue;
      }
      Counts& counts = by_corpus_type[g.type];
      ++counts.gold;
      bool hit = false;
      for (const PiiSpan& p : found) {
        hit = hit || (overlaps(g.start, g.end, p.start, p.end) &&
                      mapped->second.count(std::string(PiiTypeName(p.type))) > 0);
      }
      counts.found += hit ? 1 : 0;
      if (!hit && verbose) {
        std::printf("MISS %-14s %s\n   in: %s\n", g.type.c_str(),
                    text.substr(g.start, g.end - g.start).c_str(), text.c_str());
      }
    }
    for (const PiiSpan& p : found) {
      std::string type(PiiTypeName(p.type));
      auto reverse = ReverseMap().find(type);
      if (reverse == ReverseMap().end()) {
        ++unscored[type];
        continue;
      }
      Counts& counts = by_our_type[type];
      ++counts.predicted;
      bool ok = false;
      for (const Gold& g : gold) {
        ok = ok || (overlaps(g.start, g.end, p.start, p.end) && reverse->second.count(g.type) > 0);
      }
      counts.correct += ok ? 1 : 0;
      if (!ok && verbose) {
        std::printf("FALSE %-14s %s (%.*s)\n   in: %s\n", type.c_str(),
                    text.substr(p.start, p.end - p.start).c_str(), static_cast<int>(p.rule.size()),
                    p.rule.data(), text.c_str());
      }
    }
  }

  std::printf("\n%-18s %6s %6s %8s   %-15s %6s %6s %9s\n", "corpus type", "gold", "found", "recall",
              "our type", "pred", "right", "precision");
  struct Gate {
    const char* corpus;
    const char* ours;
    double recall;
    double precision;  // 0: not gated
  };
  const Gate gates[] = {
      {"US_SSN", "ssn", 0.98, 0.95},
      {"CREDIT_CARD", "card", 0.98, 0.95},
      {"EMAIL_ADDRESS", "email", 0.98, 0.95},
      {"PHONE_NUMBER", "phone", 0.98, 0.95},
      {"IP_ADDRESS", "ip-address", 0.98, 0.95},
      {"IBAN_CODE", "iban", 0.98, 0.95},
      {"PERSON", "person", 0.85, 0},
      {"ADDRESS", "street-address", 0.85, 0},
      {"US_DRIVER_LICENSE", "driver-license", 0, 0},
  };
  for (const Gate& gate : gates) {
    const Counts& r = by_corpus_type[gate.corpus];
    const Counts& p = by_our_type[gate.ours];
    double recall = r.gold == 0 ? 1.0 : static_cast<double>(r.found) / r.gold;
    double precision = p.predicted == 0 ? 1.0 : static_cast<double>(p.correct) / p.predicted;
    std::printf("%-18s %6d %6d %8.3f   %-15s %6d %6d %9.3f\n", gate.corpus, r.gold, r.found, recall,
                gate.ours, p.predicted, p.correct, precision);
    EXPECT_GE(recall, gate.recall) << gate.corpus << " recall";
    if (gate.precision > 0) {
      EXPECT_GE(precision, gate.precision) << gate.ours << " precision";
    }
  }
  for (const auto& [type, count] : unscored) {
    std::printf("unscored detections: %-15s %d\n", type.c_str(), count);
  }
}

}  // namespace
}  // namespace sunshine
