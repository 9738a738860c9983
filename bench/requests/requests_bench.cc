// Throughput of the pieces of a disclosure export. Fixed generated inputs; run in Release.
#include <benchmark/benchmark.h>

#include "engine/core/time_format.h"
#include "engine/requests/business_calendar.h"
#include "exporters/bagit.h"
#include "exporters/leak_gate.h"
#include "exporters/pdf_renderer.h"

namespace sunshine {
namespace {

std::string Text(std::size_t bytes) {
  std::string out;
  int i = 0;
  while (out.size() < bytes) {
    out += "Line " + std::to_string(i++) +
           ": the parking fee increase was discussed with the vendor on 2026-01-12.\n";
  }
  return out;
}

void BM_ResponseDue(benchmark::State& state) {
  BusinessCalendar calendar;
  SysDays day = ParseDate("2026-01-01").value();
  for (auto _ : state) {
    benchmark::DoNotOptimize(calendar.ResponseDue(day));
    day += std::chrono::days{1};
  }
}
BENCHMARK(BM_ResponseDue);

void BM_LeakMatchText(benchmark::State& state) {
  std::string text = Text(1 << 20);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ContainsRedactedValue(text, "123-45-6789", true));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_LeakMatchText);

void BM_RenderPdf(benchmark::State& state) {
  PdfDocumentSpec spec;
  spec.created = "2026-11-29T00:00:00";
  spec.sections = {{"Message", Text(static_cast<std::size_t>(state.range(0))), false}};
  spec.production_prefix = "SOS";
  int pages = 0;
  for (auto _ : state) {
    auto pdf = RenderPdf(spec);
    pages = pdf->pages;
  }
  state.counters["pages"] = pages;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_RenderPdf)->Arg(4 << 10)->Arg(64 << 10);

void BM_BuildBag(benchmark::State& state) {
  std::vector<BagFile> payload;
  for (int i = 0; i < 100; ++i) {
    payload.push_back({"records/r" + std::to_string(i) + ".txt", Text(64 << 10)});
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildBag("bag", payload, {}));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 100 * (64 << 10));
}
BENCHMARK(BM_BuildBag);

}  // namespace
}  // namespace sunshine

BENCHMARK_MAIN();
