// Classification and due-date arithmetic per record, with fixed generated inputs.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/core/time_format.h"
#include "schedules/classifier.h"
#include "schedules/period.h"
#include "schedules/schedule_loader.h"

namespace {

using sunshine::ClassifyInput;

std::vector<ClassifyInput> Inputs(int n) {
  const char* subjects[] = {"Budget question",
                            "Automatic reply: out of office",
                            "Sunshine request: travel",
                            "Complaint about parking",
                            "Meeting notes",
                            "Re: contract"};
  const char* senders[] = {"jane@example.org", "secretary@sos.example.gov", "x@vendor.com",
                           "pat@sos.example.gov"};
  std::vector<ClassifyInput> inputs;
  for (int i = 0; i < n; ++i) {
    ClassifyInput in;
    in.kind = i % 7 == 0 ? "form" : "mail";
    in.form_id = i % 14 == 0 ? "sunshine-request" : "contact-us";
    in.folder = i % 5 == 0 ? "Sunshine Requests/2026" : "Inbox";
    in.sender = senders[i % 4];
    in.recipients = {"clerk@sos.example.gov", "records@sos.example.gov"};
    in.subject = subjects[i % 6];
    in.body = std::string(2000, 'x') + " the body of message " + std::to_string(i);
    in.attachment_media_types = {"application/pdf"};
    in.attachment_filenames = {"report.pdf"};
    inputs.push_back(std::move(in));
  }
  return inputs;
}

void BM_ClassifyModelSchedule(benchmark::State& state) {
  auto set = sunshine::LoadScheduleSet(sunshine::Path(SUNSHINE_SOURCE_DIR) / "schedules" / "data");
  if (!set.ok()) {
    state.SkipWithError(set.status().message().c_str());
    return;
  }
  std::vector<ClassifyInput> inputs = Inputs(1000);
  std::size_t i = 0;
  for (auto _ : state) {
    auto outcome = sunshine::Classify(*set, inputs[i++ % inputs.size()]);
    benchmark::DoNotOptimize(outcome);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClassifyModelSchedule);

void BM_DueDateFiscalYear(benchmark::State& state) {
  sunshine::ScheduleItem item;
  item.retention = *sunshine::ParseRetentionPeriod("3 years 6 months");
  item.cutoff = sunshine::Cutoff::kFiscalYear;
  sunshine::SysDays day = *sunshine::ParseDate("2020-01-31");
  for (auto _ : state) {
    auto due = sunshine::DueDate(item, day, sunshine::FiscalYearStart{});
    benchmark::DoNotOptimize(due);
    day += std::chrono::days{1};
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DueDateFiscalYear);

void BM_LoadAndValidateShippedSchedules(benchmark::State& state) {
  sunshine::Path root(SUNSHINE_SOURCE_DIR);
  for (auto _ : state) {
    auto load = sunshine::LoadScheduleFiles({root / "schedules" / "data"});
    benchmark::DoNotOptimize(load);
  }
}
BENCHMARK(BM_LoadAndValidateShippedSchedules);

}  // namespace

BENCHMARK_MAIN();
