// Parser micro-benchmarks: MIME parsing and mbox splitting, single thread, in memory.
// The end-to-end figures (store, FTS, blobs, notmuch side by side) come from
// run_mail_bench.sh.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "engine/store/database.h"
#include "engine/store/sqlite_database.h"
#include "importers/mail/mbox_reader.h"
#include "importers/mail/mime_parse.h"

namespace {

std::string Message(int i, std::mt19937& rng, bool attachment) {
  static const char* kWords[] = {"budget", "hearing", "turnpike", "council", "minutes",
                                 "record", "request", "permit",   "zoning",  "agenda"};
  std::string body;
  for (int w = 0; w < 300; ++w) {
    body += kWords[rng() % 10];
    body += (w % 12 == 11) ? "\n" : " ";
  }
  std::string message = "Message-ID: <m" + std::to_string(i) +
                        "@example.gov>\nDate: Tue, 04 Mar 2003 11:12:13 -0600\n"
                        "From: Clerk <clerk@example.gov>\nTo: a@example.org, b@example.org\n"
                        "Subject: =?ISO-8859-1?Q?Budget_=FCbersicht?= " +
                        std::to_string(i) + "\nMIME-Version: 1.0\n";
  if (!attachment) {
    return message + "Content-Type: text/plain; charset=utf-8\n\n" + body;
  }
  std::string base64;
  for (int line = 0; line < 80; ++line) {
    base64 += std::string(76, "QUJDRA=="[rng() % 4]) + "\n";
  }
  return message +
         "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n" + body +
         "\n--b\nContent-Type: application/pdf; name=r.pdf\nContent-Transfer-Encoding: base64\n\n" +
         base64 + "--b--\n";
}

void BM_ParseMail(benchmark::State& state) {
  std::mt19937 rng(20261129);
  std::vector<std::string> messages;
  for (int i = 0; i < 100; ++i) {
    messages.push_back(Message(i, rng, state.range(0) != 0 && i % 3 == 0));
  }
  std::size_t bytes = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& message = messages[i++ % messages.size()];
    auto parsed = sunshine::mail::ParseMail(message);
    benchmark::DoNotOptimize(parsed);
    bytes += message.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseMail)->Arg(0)->Arg(1);

void BM_MboxSplit(benchmark::State& state) {
  std::mt19937 rng(20261129);
  std::string mbox;
  for (int i = 0; i < 2000; ++i) {
    mbox += "From clerk@example.gov Tue Mar  4 17:12:13 2003\n" + Message(i, rng, false) + "\n";
  }
  for (auto _ : state) {
    sunshine::mail::StringSource source(mbox);
    sunshine::mail::MboxReader reader(source);
    sunshine::mail::MboxItem item;
    std::int64_t count = 0;
    while (*reader.Next(item)) {
      ++count;
    }
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * mbox.size()));
  state.SetItemsProcessed(state.iterations() * 2000);
}
BENCHMARK(BM_MboxSplit);

// The floor under import: only the FTS5 insert of each message's text (same table definition
// as the store, 500 rows per transaction, WAL, nothing else). Compared with notmuch's cost per
// message, it shows how much of a speed-up any design built on FTS5 can reach.
void BM_Fts5IndexOnly(benchmark::State& state) {
  std::mt19937 rng(20261129);
  std::vector<std::string> bodies;
  for (int i = 0; i < 100; ++i) {
    auto parsed = sunshine::mail::ParseMail(Message(i, rng, false));
    bodies.push_back(parsed.ok() ? parsed->body : std::string());
  }
  std::string file = "/tmp/sunshine-fts5-bench-" + std::to_string(::getpid()) + ".db";
  auto db = sunshine::OpenSqliteDatabase(file);
  if (!db.ok()) {
    state.SkipWithError(db.status().ToString().c_str());
    return;
  }
  (void)(*db)->Exec(
      "CREATE VIRTUAL TABLE records_fts USING fts5(title, addresses, body, attachments, fields, "
      "tokenize = 'unicode61 remove_diacritics 2')");
  std::int64_t row = 0;
  (void)(*db)->BeginWrite();
  for (auto _ : state) {
    ++row;
    (void)(*db)->Exec(
        "INSERT INTO records_fts (rowid, title, addresses, body, attachments, fields) VALUES ($1, "
        "$2, $3, $4, '', '')",
        {row,
         std::string("Budget \xc3\xbc"
                     "bersicht ") +
             std::to_string(row),
         std::string("Clerk clerk@example.gov a@example.org b@example.org"),
         bodies[static_cast<std::size_t>(row) % bodies.size()]});
    if (row % 500 == 0) {
      (void)(*db)->Commit();
      (void)(*db)->BeginWrite();
    }
  }
  (void)(*db)->Commit();
  db->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((file + suffix).c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fts5IndexOnly)->Iterations(20000);

}  // namespace

BENCHMARK_MAIN();
