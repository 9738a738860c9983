// `sunshine pii scan` and `sunshine redact run|show|add|remove` on the real binary.
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "engine/records/record_repository.h"
#include "engine/store/store.h"
#include "tests/testutil/run_binary.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunResult;
using testing::RunSunshine;

std::string Letter() {
  return testing::ReadTextFile(Path(SUNSHINE_SOURCE_DIR) / "tests/data/redact/citizen-letter.txt");
}

std::vector<Poco::JSON::Object::Ptr> JsonLines(const std::string& text) {
  std::vector<Poco::JSON::Object::Ptr> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      Poco::JSON::Parser parser;
      lines.push_back(parser.parse(line).extract<Poco::JSON::Object::Ptr>());
    }
  }
  return lines;
}

TEST(PiiScanE2eTest, JsonSpansAreByteOffsets) {
  testing::TempDir dir;
  std::string text = Letter();
  Path file = dir.path() / "letter.txt";
  testing::WriteTextFile(file, text);
  RunResult scan = RunSunshine({"pii", "scan", file.string(), "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  std::set<std::string> types;
  for (const auto& span : JsonLines(scan.out)) {
    auto start = span->getValue<std::size_t>("start");
    auto end = span->getValue<std::size_t>("end");
    ASSERT_LT(start, end);
    ASSERT_LE(end, text.size());
    std::string type = span->getValue<std::string>("type");
    types.insert(type);
    EXPECT_TRUE(span->has("rule"));
    EXPECT_TRUE(span->has("confidence"));
    EXPECT_FALSE(span->has("text"));  // values never appear in JSON output
    if (type == "ssn") {
      EXPECT_EQ(text.substr(start, end - start), "536-32-3065");
    }
  }
  for (const char* type : {"ssn", "card", "phone", "email", "person", "street-address"}) {
    EXPECT_EQ(types.count(type), 1u) << type << " in\n" << scan.out;
  }
}

TEST(PiiScanE2eTest, LinesModeFromStdin) {
  testing::RunOptions options;
  options.stdin_text = "nothing here\nSSN 536-32-3065\nmail jo@example.com\n";
  RunResult scan = RunSunshine({"pii", "scan", "-", "--lines", "--json"}, options);
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  auto spans = JsonLines(scan.out);
  ASSERT_EQ(spans.size(), 2u) << scan.out;
  EXPECT_EQ(spans[0]->getValue<int>("line"), 2);
  EXPECT_EQ(spans[0]->getValue<int>("start"), 4);
  EXPECT_EQ(spans[0]->getValue<int>("end"), 15);
  EXPECT_EQ(spans[1]->getValue<int>("line"), 3);
  EXPECT_EQ(spans[1]->getValue<std::string>("type"), "email");
  RunResult human = RunSunshine({"pii", "scan", "--lines"}, options);
  EXPECT_THAT(human.out, HasSubstr("2:4-15  ssn"));
  RunResult missing = RunSunshine({"pii", "scan", "/no/such/file"});
  EXPECT_NE(missing.exit_code, 0);
  // A read error (here: a folder) fails naming the path; it is not an empty text.
  testing::TempDir dir;
  for (bool by_line : {false, true}) {
    std::vector<std::string> args = {"pii", "scan", dir.str()};
    if (by_line) {
      args.push_back("--lines");
    }
    RunResult folder = RunSunshine(args);
    EXPECT_EQ(folder.exit_code, 3) << by_line << folder.err;
    EXPECT_THAT(folder.err, HasSubstr("cannot read " + dir.str())) << by_line;
  }
  RunResult help = RunSunshine({"pii", "scan", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--lines"));
}

// Spans of `pii scan --json` output as "start end rest-of-object", with offsets moved by
// `shift`.
std::vector<std::string> ShiftedSpans(const std::string& json_lines, std::size_t shift) {
  std::vector<std::string> spans;
  std::istringstream in(json_lines);
  std::string line;
  while (std::getline(in, line)) {
    std::size_t start = 0;
    std::size_t end = 0;
    int used = 0;
    if (std::sscanf(line.c_str(), "{\"start\":%zu,\"end\":%zu,%n", &start, &end, &used) != 2) {
      ADD_FAILURE() << "not a span: " << line;
      continue;
    }
    spans.push_back(std::to_string(start + shift) + " " + std::to_string(end + shift) + " " +
                    line.substr(static_cast<std::size_t>(used)));
  }
  return spans;
}

// A file of several MiB is scanned in pieces cut at blank lines: every copy of the letter
// yields exactly the spans the letter yields alone, also where a cut falls inside a copy (the
// letter has blank lines of its own), and offsets stay offsets into the whole file. (Cut at
// the last line break of each piece instead, this fails: an address block is split.)
TEST(PiiScanE2eTest, LargeInputsAreScannedInPiecesWithoutLosingSpans) {
  testing::TempDir dir;
  // With an address written over four lines: a cut at a line break inside it would find it
  // in parts. (With 2 MiB pieces, the last line break of two of the first three pieces falls
  // inside a copy's address: this unit is 404 bytes.)
  const std::string unit =
      Letter() +
      "\nPlease mail the renewal forms to:\nHarold Finchley\n1234 Elm Avenue\nApt 5\n"
      "Springfield, MO 65806\n\n";
  ASSERT_EQ(unit.size(), 404u);
  Path one = dir.path() / "one.txt";
  testing::WriteTextFile(one, unit);
  RunResult single = RunSunshine({"pii", "scan", one.string(), "--json"});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  ASSERT_FALSE(ShiftedSpans(single.out, 0).empty());
  const std::size_t copies = (std::size_t{7} << 20) / unit.size() + 1;  // over three pieces
  std::string all;
  all.reserve(copies * unit.size());
  std::vector<std::string> expected;
  for (std::size_t k = 0; k < copies; ++k) {
    all += unit;
    for (std::string& span : ShiftedSpans(single.out, k * unit.size())) {
      expected.push_back(std::move(span));
    }
  }
  Path many = dir.path() / "many.txt";
  testing::WriteTextFile(many, all);
  RunResult whole = RunSunshine({"pii", "scan", many.string(), "--json"});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  std::vector<std::string> found = ShiftedSpans(whole.out, 0);
  ASSERT_EQ(found.size(), expected.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    ASSERT_EQ(found[i], expected[i]) << "span " << i;
  }
}

class RedactE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = dir_.str() + "/home";
    RunResult init = Run({"init"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    auto store = Store::Open(Home(home_), StoreAccess::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto txn = Transaction::Begin((*store)->db());
    ASSERT_TRUE(txn.ok());
    NewRecord r;
    r.kind = RecordKind::kMail;
    r.original_bytes = "From: harold.finchley@example.net\n\n" + Letter();
    r.dedup_key = "<letter@example.net>";
    r.title = "Renewal question";
    r.sender = "harold.finchley@example.net";
    r.sender_name = "Harold Finchley";
    r.recipients = {"karen.kessler@sos.mo.gov"};
    r.body = Letter();
    r.source = {"eml", "letter.eml", "file"};
    auto put = RecordRepository::Put(**store, "test", r);
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    id_ = std::to_string(put->record_id);
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  RunResult Run(std::vector<std::string> args, testing::RunOptions options = {}) {
    args.insert(args.begin(), {"--home", home_, "--actor", "reviewer"});
    return RunSunshine(args, options);
  }
  testing::TempDir dir_;
  std::string home_;
  std::string id_;
};

TEST_F(RedactE2eTest, RunShowAddRemove) {
  RunResult preview = Run({"redact", "show", id_});
  ASSERT_EQ(preview.exit_code, 0) << preview.err;
  EXPECT_THAT(preview.out, HasSubstr("preview"));

  RunResult run = Run({"redact", "run", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("\"computed\":1"));
  RunResult rerun = Run({"redact", "run", "--json"});
  EXPECT_THAT(rerun.out, HasSubstr("\"computed\":0"));  // idempotent

  RunResult show = Run({"redact", "show", id_, "--text"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("[REDACTED: SSN #1, RSMo 610.035]"));
  EXPECT_THAT(show.out, Not(HasSubstr("536-32-3065")));
  EXPECT_THAT(show.out, Not(HasSubstr("4929 5785")));
  EXPECT_THAT(show.out, HasSubstr("karen.kessler@sos.mo.gov"));  // staff stays

  std::string body = Letter();
  std::size_t ssn = body.find("536-32-3065");
  std::string ssn_span = std::to_string(ssn) + ":" + std::to_string(ssn + 11);
  std::size_t renewal = body.find("renewal");
  std::string renewal_span = std::to_string(renewal) + ":" + std::to_string(renewal + 7);

  RunResult add =
      Run({"redact", "add", id_, "--span", renewal_span, "--reason", "private-personal-data"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  RunResult remove = Run({"redact", "remove", id_, "--span", ssn_span, "--part", "body", "--reason",
                          "false-positive"});
  ASSERT_EQ(remove.exit_code, 0) << remove.err;

  RunResult json = Run({"redact", "show", id_, "--json", "--text"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"origin\":\"manual\""));
  EXPECT_THAT(json.out, HasSubstr("\"state\":\"removed\""));
  EXPECT_THAT(json.out, HasSubstr("\"change_note\":\"false-positive\""));
  EXPECT_THAT(json.out, HasSubstr("536-32-3065"));  // released text now shows
  EXPECT_THAT(json.out, Not(HasSubstr("renewal")));

  RunResult audit = Run({"audit", "log", "--action", "redact.", "--json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("\"action\":\"redact.compute\""));
  EXPECT_THAT(audit.out, HasSubstr("\"action\":\"redact.add\""));
  EXPECT_THAT(audit.out, HasSubstr("\"action\":\"redact.remove\""));
  EXPECT_THAT(audit.out, HasSubstr("\"actor\":\"reviewer\""));
  EXPECT_THAT(audit.out, HasSubstr("false-positive"));
  RunResult verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

TEST_F(RedactE2eTest, BadRequestsFailClearly) {
  RunResult no_span = Run({"redact", "add", id_, "--reason", "ssn"});
  EXPECT_EQ(no_span.exit_code, 2);
  RunResult bad_reason = Run({"redact", "add", id_, "--span", "0:4", "--reason", "nope"});
  EXPECT_NE(bad_reason.exit_code, 0);
  EXPECT_THAT(bad_reason.err, HasSubstr("unknown reason code"));
  RunResult out_of_range = Run({"redact", "add", id_, "--span", "0:999999", "--reason", "ssn"});
  EXPECT_NE(out_of_range.exit_code, 0);
  RunResult nothing = Run({"redact", "remove", id_, "--span", "0:2", "--reason", "x"});
  EXPECT_NE(nothing.exit_code, 0);
  RunResult missing = Run({"redact", "show", "9999"});
  EXPECT_NE(missing.exit_code, 0);
}

TEST_F(RedactE2eTest, PolicyFromConfiguration) {
  Path policy = Path(home_) / "policy.toml";
  std::string text =
      testing::ReadTextFile(Path(SUNSHINE_SOURCE_DIR) / "data/redaction/policy.toml");
  // This office discloses private persons' personal data in mail (only `always` stays closed).
  std::size_t at = text.find("personal_data = \"redact\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("personal_data = \"redact\"").size(),
               "personal_data = \"disclose\"");
  testing::WriteTextFile(policy, text);
  std::string config = testing::ReadTextFile(Path(home_) / "sunshine.toml");
  std::size_t key = config.find("policy = \"\"");
  ASSERT_NE(key, std::string::npos);
  config.replace(key, std::string("policy = \"\"").size(), "policy = \"policy.toml\"");
  testing::WriteTextFile(Path(home_) / "sunshine.toml", config);
  RunResult show = Run({"redact", "show", id_, "--text"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("(573) 555-0142"));    // disclosed now
  EXPECT_THAT(show.out, Not(HasSubstr("536-32-3065")));  // always closed
  testing::WriteTextFile(policy, "version = 2\n");
  RunResult bad = Run({"redact", "show", id_});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("policy.toml"));
}

}  // namespace
}  // namespace sunshine
