#include "importers/forms/submission_parse.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sunshine {
namespace {

std::vector<std::string> Fields(const CsvRow& row) { return row.fields; }

TEST(CsvReaderTest, PlainRowsWithLfAndCrlf) {
  auto rows = ReadCsvRows("a,b,c\r\n1,2,3\n4,5,6");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(Fields(rows[0]), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Fields(rows[1]), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(Fields(rows[2]), (std::vector<std::string>{"4", "5", "6"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[1].begin, 7u);
  EXPECT_EQ(rows[1].end, 12u);
}

TEST(CsvReaderTest, QuotedFieldsWithCommasQuotesAndNewlines) {
  std::string text =
      "name,comment\n"
      "\"Smith, Jane\",\"She said \"\"hi\"\"\"\n"
      "Bob,\"line one\r\nline two\nline three\"\n"
      "Ann,\"\"\n";
  auto rows = ReadCsvRows(text);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(Fields(rows[1]), (std::vector<std::string>{"Smith, Jane", "She said \"hi\""}));
  EXPECT_EQ(Fields(rows[2]), (std::vector<std::string>{"Bob", "line one\r\nline two\nline three"}));
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(Fields(rows[3]), (std::vector<std::string>{"Ann", ""}));
  EXPECT_EQ(rows[3].line, 6);  // the embedded line breaks are counted
  EXPECT_EQ(text.substr(rows[2].begin, rows[2].end - rows[2].begin),
            "Bob,\"line one\r\nline two\nline three\"");
}

TEST(CsvReaderTest, EmptyFieldsTrailingCommaAndBlankLines) {
  auto rows = ReadCsvRows("a,b,\n\n,,\n\r\nx,\"\",y");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(Fields(rows[0]), (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(Fields(rows[1]), (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(Fields(rows[2]), (std::vector<std::string>{"x", "", "y"}));
  EXPECT_EQ(rows[2].line, 5);
}

TEST(CsvReaderTest, BareCarriageReturnEndsALine) {
  auto rows = ReadCsvRows("a,b\r1,2\r");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Fields(rows[1]), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(rows[1].line, 2);
}

TEST(CsvReaderTest, ByteOrderMarkIsSkipped) {
  auto rows = ReadCsvRows(
      "\xEF\xBB\xBF"
      "form_id,x\nf,1\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[0], "form_id");
  EXPECT_EQ(rows[0].begin, 3u);
}

TEST(CsvReaderTest, MalformedRowsAreReportedAndReadingGoesOn) {
  std::string text =
      "a,b\n"
      "\"x\"y,1\n"  // text after a closing quote
      "ab\"c,2\n"   // quote inside an unquoted field
      "ok,3\n"
      "\"never closed,4\n"
      "after,5\n";
  auto rows = ReadCsvRows(text);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[1].error, "unexpected text after a closing quote");
  EXPECT_EQ(text.substr(rows[1].begin, rows[1].end - rows[1].begin), "\"x\"y,1");
  EXPECT_EQ(rows[2].error, "quote inside an unquoted field");
  EXPECT_EQ(text.substr(rows[2].begin, rows[2].end - rows[2].begin), "ab\"c,2");
  EXPECT_TRUE(rows[3].error.empty());
  EXPECT_EQ(Fields(rows[3]), (std::vector<std::string>{"ok", "3"}));
  EXPECT_EQ(rows[4].error, "quoted field is never closed");
  EXPECT_EQ(text.substr(rows[4].begin, rows[4].end - rows[4].begin), "\"never closed,4");
  EXPECT_EQ(rows[4].line, 5);
  EXPECT_EQ(Fields(rows[5]), (std::vector<std::string>{"after", "5"}));
  EXPECT_EQ(rows[5].line, 6);
}

TEST(CsvSubmissionsTest, RowsBecomeSubmissionsWithHeaderContext) {
  std::string text =
      "Form ID,Submitted At,First Name,Comment\r\n"
      "general-inquiry,2026-03-02 09:15,Jane,\"Call me at\n573-555-0142\"\r\n"
      "general-inquiry,2026-03-02 09:20,Bob\r\n";
  auto items = ParseCsvSubmissions(text);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].submission.has_value()) << items[0].problem;
  EXPECT_EQ(items[0].line, 2);
  EXPECT_EQ(items[0].original_bytes,
            "Form ID,Submitted At,First Name,Comment\r\n"
            "general-inquiry,2026-03-02 09:15,Jane,\"Call me at\n573-555-0142\"");
  const RawSubmission& submission = *items[0].submission;
  EXPECT_EQ(submission.form_id, "general-inquiry");
  EXPECT_EQ(submission.submitted_at, "2026-03-02 09:15");
  EXPECT_FALSE(submission.submission_id.has_value());
  ASSERT_EQ(submission.values.size(), 2u);
  EXPECT_EQ(submission.values[0].name, "First Name");
  EXPECT_EQ(submission.values[0].value, "Jane");
  EXPECT_EQ(submission.values[1].value, "Call me at\n573-555-0142");

  EXPECT_FALSE(items[1].submission.has_value());
  EXPECT_EQ(items[1].problem, "CSV row has 3 field(s), the header has 4");
  EXPECT_EQ(items[1].line, 4);
  EXPECT_EQ(items[1].original_bytes,
            "Form ID,Submitted At,First Name,Comment\r\ngeneral-inquiry,2026-03-02 09:20,Bob");
}

TEST(CsvSubmissionsTest, EmptyAndHeaderOnlyInputsHaveNoItems) {
  EXPECT_TRUE(ParseCsvSubmissions("").empty());
  EXPECT_TRUE(ParseCsvSubmissions("form_id,name\n").empty());
  EXPECT_TRUE(ParseCsvSubmissions("\n\n").empty());
}

TEST(CsvSubmissionsTest, BrokenHeaderQuarantinesTheWholeFile) {
  auto items = ParseCsvSubmissions("form_id,\"name\nx,y\n");
  ASSERT_EQ(items.size(), 1u);  // without a header no row can be read
  EXPECT_EQ(items[0].problem, "CSV header row is malformed: quoted field is never closed");
  EXPECT_EQ(items[0].original_bytes, "form_id,\"name\nx,y\n");
}

TEST(JsonSubmissionsTest, ArrayOfObjectsKeepsExactBytes) {
  std::string text =
      "[\n"
      "  {\"form_id\": \"general-inquiry\", \"submission_id\": \"A-1\",\n"
      "   \"submitted_at\": \"2026-03-02T09:15:00-06:00\",\n"
      "   \"fields\": {\"first_name\": \"Jane\", \"message\": \"Hi, \\\"there\\\" {not a "
      "brace}\"},\n"
      "   \"home_phone\": \"573-555-0142\"},\n"
      "  {\"form_id\": \"general-inquiry\", \"fields\": {\"first_name\": \"Bob\", \"age\": 42,\n"
      "   \"subscribe\": true, \"topics\": [\"a\", \"b\"], \"note\": null}}\n"
      "]\n";
  auto items = ParseJsonSubmissions(text);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].submission.has_value()) << items[0].problem;
  EXPECT_EQ(items[0].line, 2);
  EXPECT_EQ(items[0].original_bytes.substr(0, 30), "{\"form_id\": \"general-inquiry\",");
  EXPECT_EQ(items[0].original_bytes.back(), '}');
  EXPECT_NE(text.find(items[0].original_bytes), std::string::npos);
  const RawSubmission& first = *items[0].submission;
  EXPECT_EQ(first.form_id, "general-inquiry");
  EXPECT_EQ(first.submission_id, "A-1");
  EXPECT_EQ(first.submitted_at, "2026-03-02T09:15:00-06:00");
  ASSERT_EQ(first.values.size(), 3u);
  EXPECT_EQ(first.values[0].name, "first_name");
  EXPECT_EQ(first.values[1].value, "Hi, \"there\" {not a brace}");
  EXPECT_EQ(first.values[2].name, "home_phone");  // top-level extra keys are values too

  ASSERT_TRUE(items[1].submission.has_value()) << items[1].problem;
  EXPECT_EQ(items[1].line, 6);
  const RawSubmission& second = *items[1].submission;
  ASSERT_EQ(second.values.size(), 5u);
  EXPECT_EQ(second.values[1].value, "42");
  EXPECT_EQ(second.values[2].value, "true");
  EXPECT_EQ(second.values[3].value, "a; b");
  EXPECT_EQ(second.values[4].value, "");
}

TEST(JsonSubmissionsTest, OneObjectOrSeveral) {
  auto one = ParseJsonSubmissions("{\"form_id\": \"f\",\n \"x\": \"1\"}\n");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_TRUE(one[0].submission.has_value());
  auto several = ParseJsonSubmissions("{\"form_id\": \"f\"}\n{\"form_id\": \"g\"}");
  ASSERT_EQ(several.size(), 2u);
  EXPECT_EQ(several[1].line, 2);
}

TEST(JsonSubmissionsTest, BrokenElementsAreItemsWithProblems) {
  std::string text =
      "[{\"form_id\": \"f\"},\n"
      " {\"form_id\": \"f\", \"x\": },\n"
      " 42,\n"
      " {\"form_id\": \"f\"}\n"
      "] trailing";
  auto items = ParseJsonSubmissions(text);
  ASSERT_EQ(items.size(), 5u);
  EXPECT_TRUE(items[0].submission.has_value());
  EXPECT_FALSE(items[1].submission.has_value());
  EXPECT_EQ(items[1].original_bytes, "{\"form_id\": \"f\", \"x\": }");
  EXPECT_EQ(items[1].line, 2);
  EXPECT_EQ(items[1].problem.substr(0, 13), "invalid JSON:");
  EXPECT_EQ(items[2].original_bytes, "42");
  EXPECT_EQ(items[2].problem,
            "not a JSON object (a submission is an object of field names and values)");
  EXPECT_TRUE(items[3].submission.has_value());
  EXPECT_EQ(items[4].original_bytes, "trailing");
  EXPECT_EQ(items[4].problem, "text after the end of the JSON array");
}

TEST(JsonSubmissionsTest, UnclosedValueTakesTheRestOfTheFile) {
  auto items = ParseJsonSubmissions("[{\"form_id\": \"f\"}, {\"form_id\": \"f\n");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].original_bytes, "{\"form_id\": \"f\n");
  EXPECT_EQ(items[1].problem, "JSON value is never closed (missing '}' or '\"')");
}

TEST(JsonSubmissionsTest, NotJsonAtAll) {
  auto items = ParseJsonSubmissions("hello");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].problem, "not JSON submissions: expected '[' or '{'");
  EXPECT_TRUE(ParseJsonSubmissions("").empty());
  EXPECT_TRUE(ParseJsonSubmissions("[]").empty());
  EXPECT_TRUE(ParseJsonSubmissions("  \n").empty());
}

TEST(JsonSubmissionsTest, FieldsMustBeAnObject) {
  auto items = ParseJsonSubmissions("{\"form_id\": \"f\", \"fields\": [1]}");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].problem, "'fields' must be a JSON object of field names and values");
}

TEST(JsonLinesSubmissionsTest, OneObjectPerLine) {
  std::string text =
      "{\"form_id\": \"f\", \"a\": \"1\"}\r\n"
      "\n"
      "{\"form_id\": \"f\", \"a\": \n"
      "{\"form_id\": \"f\", \"a\": \"3\"}";
  auto items = ParseJsonLinesSubmissions(text);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].original_bytes, "{\"form_id\": \"f\", \"a\": \"1\"}");
  EXPECT_TRUE(items[0].submission.has_value());
  EXPECT_EQ(items[1].line, 3);
  EXPECT_EQ(items[1].original_bytes, "{\"form_id\": \"f\", \"a\": ");
  EXPECT_FALSE(items[1].submission.has_value());
  EXPECT_EQ(items[2].line, 4);
  EXPECT_TRUE(items[2].submission.has_value());
  EXPECT_TRUE(ParseJsonLinesSubmissions("").empty());
}

TEST(SubmissionFormatTest, DetectsByNameThenContent) {
  EXPECT_EQ(DetectSubmissionFormat("a.JSON", "x"), SubmissionFormat::kJson);
  EXPECT_EQ(DetectSubmissionFormat("a.jsonl", "x"), SubmissionFormat::kJsonLines);
  EXPECT_EQ(DetectSubmissionFormat("a.ndjson", "x"), SubmissionFormat::kJsonLines);
  EXPECT_EQ(DetectSubmissionFormat("a.csv", "[x"), SubmissionFormat::kCsv);
  EXPECT_EQ(DetectSubmissionFormat("export", " [{}]"), SubmissionFormat::kJson);
  EXPECT_EQ(DetectSubmissionFormat("export", "{\"a\":1}\n{\"a\":2}\n"),
            SubmissionFormat::kJsonLines);
  EXPECT_EQ(DetectSubmissionFormat("export", "{\n  \"a\": 1\n}\n"), SubmissionFormat::kJson);
  EXPECT_EQ(DetectSubmissionFormat("export", "form_id,x\n"), SubmissionFormat::kCsv);
  EXPECT_EQ(ParseSubmissionFormat("ndjson"), SubmissionFormat::kJsonLines);
  EXPECT_FALSE(ParseSubmissionFormat("xml").has_value());
}

}  // namespace
}  // namespace sunshine

namespace sunshine {
namespace {

// Whatever the bytes, the parsers return items (never crash, never loop), each item's bytes
// come from the input, and every item starts on a real line.
TEST(SubmissionParseRobustnessTest, ArbitraryBytes) {
  std::uint32_t state = 12345;
  auto next = [&] {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7fff;
  };
  const std::string alphabet = "{}[]\",:\\\r\n abc01\x80\xff";
  for (int round = 0; round < 2000; ++round) {
    std::string input;
    std::size_t length = next() % 64;
    for (std::size_t i = 0; i < length; ++i) {
      input += alphabet[next() % alphabet.size()];
    }
    std::int64_t lines =
        1 + static_cast<std::int64_t>(std::count(input.begin(), input.end(), '\n') +
                                      std::count(input.begin(), input.end(), '\r'));
    for (SubmissionFormat format :
         {SubmissionFormat::kJson, SubmissionFormat::kJsonLines, SubmissionFormat::kCsv}) {
      for (const SubmissionItem& item : ParseSubmissions(format, input)) {
        EXPECT_GE(item.line, 1) << input;
        EXPECT_LE(item.line, lines) << input;
        EXPECT_TRUE(item.submission.has_value() || !item.problem.empty()) << input;
        if (format != SubmissionFormat::kCsv) {
          EXPECT_NE(input.find(item.original_bytes), std::string::npos) << input;
        }
      }
    }
  }
}

}  // namespace
}  // namespace sunshine
