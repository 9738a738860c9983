// PiiScanner::Scan throughput on e-mail-like text, sparse and dense in personal data.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "engine/redact/pii_scanner.h"

namespace {

std::string MakeText(std::size_t bytes, int pii_per_thousand_words) {
  static const char* kWords[] = {"the",    "meeting",  "report",  "attached", "please",   "review",
                                 "budget", "office",   "records", "request",  "schedule", "with",
                                 "vendor", "contract", "Friday",  "invoice",  "payment",  "team"};
  static const char* kPii[] = {"536-32-3065",          "4929 5785 6933 9117",   "(573) 751-4936",
                               "jane.roe@example.com", "207.155.150.156",       "Maria Okafor",
                               "1234 Elm Street",      "GB82WEST12345698765432"};
  std::mt19937 rng(7);
  std::string text;
  while (text.size() < bytes) {
    if (static_cast<int>(rng() % 1000) < pii_per_thousand_words) {
      text += kPii[rng() % 8];
    } else {
      text += kWords[rng() % 18];
    }
    text += rng() % 12 == 0 ? ".\n" : " ";
  }
  return text;
}

void BM_Scan(benchmark::State& state) {
  auto scanner = sunshine::PiiScanner::Default();
  std::string text = MakeText(8 << 20, static_cast<int>(state.range(0)));
  std::size_t spans = 0;
  for (auto _ : state) {
    spans = (*scanner)->Scan(text).size();
    benchmark::DoNotOptimize(spans);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["spans"] = static_cast<double>(spans);
}
BENCHMARK(BM_Scan)->Arg(1)->Arg(20)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
