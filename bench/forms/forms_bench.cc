// Parsing and record building for web-form submissions, on fixed generated exports.
#include <benchmark/benchmark.h>

#include <string>

#include "importers/forms/form_import.h"

namespace sunshine {
namespace {

constexpr std::string_view kDefinition = R"toml(
id = "general-inquiry"
title = "Contact Us"
version = 1
purposes = ["answer the question"]
agencies = []
fields = [
  { name = "first_name", label = "First name", required = true, category = "name" },
  { name = "last_name", label = "Last name", required = true, category = "name" },
  { name = "email", label = "E-mail", required = true, category = "email" },
  { name = "phone", label = "Phone", category = "phone" },
  { name = "message", label = "Message", required = true, category = "free-text" },
]
)toml";

std::string Csv(int rows) {
  std::string out =
      "form_id,submission_id,submitted_at,first_name,last_name,email,phone,message,"
      "home_phone\r\n";
  for (int i = 0; i < rows; ++i) {
    std::string n = std::to_string(i);
    out += "general-inquiry,GI-" + n + ",2026-03-02T09:14:27-06:00,Jane" + n + ",Doe,jane" + n +
           "@example.com,573-555-0142,\"Where do I file my annual report, and is there a late "
           "fee? My accountant says \"\"yes\"\".\nThanks\"," +
           (i % 10 == 0 ? "573-555-0199" : "") + "\r\n";
  }
  return out;
}

std::string JsonLines(int rows) {
  std::string out;
  for (int i = 0; i < rows; ++i) {
    std::string n = std::to_string(i);
    out += "{\"form_id\":\"general-inquiry\",\"submission_id\":\"GI-" + n +
           "\",\"submitted_at\":\"2026-03-02T09:14:27-06:00\",\"fields\":{\"first_name\":\"Jane" +
           n + "\",\"last_name\":\"Doe\",\"email\":\"jane" + n +
           "@example.com\",\"message\":\"Where do I file my annual report, and is there a late "
           "fee?\"}}\n";
  }
  return out;
}

void BM_ParseCsv(benchmark::State& state) {
  std::string input = Csv(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseCsvSubmissions(input));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseCsv)->Arg(10000);

void BM_ParseJsonLines(benchmark::State& state) {
  std::string input = JsonLines(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseJsonLinesSubmissions(input));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseJsonLines)->Arg(10000);

void BM_BuildFormRecord(benchmark::State& state) {
  auto form = ParseFormDefinition(kDefinition, "bench.toml");
  std::vector<SubmissionItem> items = ParseCsvSubmissions(Csv(1000));
  for (auto _ : state) {
    for (const SubmissionItem& item : items) {
      benchmark::DoNotOptimize(BuildFormRecord(*form, *item.submission,
                                               {"bench.csv", SubmissionFormat::kCsv, item.line, {}},
                                               item.original_bytes));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items.size()));
}
BENCHMARK(BM_BuildFormRecord);

}  // namespace
}  // namespace sunshine

BENCHMARK_MAIN();
