// Micro-benchmarks for the per-line work of `sunshine import visits`.
#include <benchmark/benchmark.h>

#include "importers/visits/access_log_parser.h"
#include "importers/visits/host_names.h"
#include "importers/visits/user_agent_classifier.h"

namespace sunshine {
namespace {

constexpr std::string_view kLine =
    R"(10.30.218.214 - - [01/Mar/2026:00:00:00 -0600] "GET /images/banner.jpg HTTP/1.1" 200 )"
    R"(26697 "https://www.facebook.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) )"
    R"(AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")";

void BM_ParseAccessLine(benchmark::State& state) {
  for (auto _ : state) {
    ParsedAccessLine line;
    benchmark::DoNotOptimize(ParseAccessLine(kLine, line));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kLine.size()));
}
BENCHMARK(BM_ParseAccessLine);

void BM_ReferrerHost(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(ReferrerHost("https://www.facebook.com/some/path?x=1"));
  }
}
BENCHMARK(BM_ReferrerHost);

UserAgentClassifier* Classifier() {
  static UserAgentClassifier* classifier = [] {
    auto loaded = UserAgentClassifier::Load(Path(std::string(kUapCoreRegexes)));
    return loaded.ok() ? std::move(*loaded).release() : nullptr;
  }();
  return classifier;
}

void BM_ClassifyCached(benchmark::State& state) {
  UserAgentClassifier* classifier = Classifier();
  if (classifier == nullptr) {
    state.SkipWithError("uap-core not installed");
    return;
  }
  std::string_view agent =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/120.0.0.0 Safari/537.36";
  for (auto _ : state) {
    benchmark::DoNotOptimize(classifier->Classify(agent));
  }
}
BENCHMARK(BM_ClassifyCached);

// A cache miss. Argument 0: through the compiled RE2::Sets (one pass per parser list plus
// one capture run each); 1: pattern by pattern behind the required-literal check, as the
// first few hundred distinct strings of an import are.
void BM_ClassifyUncached(benchmark::State& state) {
  UserAgentClassifier* classifier = Classifier();
  if (classifier == nullptr) {
    state.SkipWithError("uap-core not installed");
    return;
  }
  classifier->set_pattern_by_pattern_limit(state.range(0) == 0 ? 0 : (1 << 30));
  std::string_view agent =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
      "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
  for (auto _ : state) {
    benchmark::DoNotOptimize(classifier->ClassifyUncached(agent));
  }
}
BENCHMARK(BM_ClassifyUncached)->Arg(1)->Arg(0);  // pattern by pattern first: sets compile once

// Start-up: reading regexes.yaml and checking its ~1,160 patterns (no compilation).
void BM_ClassifierLoad(benchmark::State& state) {
  for (auto _ : state) {
    auto loaded = UserAgentClassifier::Load(Path(std::string(kUapCoreRegexes)));
    if (!loaded.ok()) {
      state.SkipWithError("uap-core not installed");
      return;
    }
    benchmark::DoNotOptimize(loaded->get());
  }
}
BENCHMARK(BM_ClassifierLoad)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sunshine

BENCHMARK_MAIN();
