// The mbox splitter on strings: separators, quoting, line endings, streaming boundaries.
#include "importers/mail/mbox_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "tests/testutil/temp_dir.h"

namespace sunshine::mail {
namespace {

// Returns at most `step` bytes per Read, to cross every buffer boundary.
class TrickleSource : public ByteSource {
 public:
  TrickleSource(std::string bytes, std::size_t step) : bytes_(std::move(bytes)), step_(step) {}
  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    std::size_t n = std::min({size, step_, bytes_.size() - pos_});
    std::memcpy(buffer, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  std::size_t step_;
  std::size_t pos_ = 0;
};

std::vector<MboxItem> Split(const std::string& mbox, std::size_t step = 0) {
  std::unique_ptr<ByteSource> source;
  if (step == 0) {
    source = std::make_unique<StringSource>(mbox);
  } else {
    source = std::make_unique<TrickleSource>(mbox, step);
  }
  MboxReader reader(*source);
  std::vector<MboxItem> items;
  MboxItem item;
  while (true) {
    auto next = reader.Next(item);
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !*next) {
      break;
    }
    items.push_back(item);
  }
  return items;
}

const char kTwo[] =
    "From alice@example.com Tue Mar  4 11:12:13 2003\n"
    "From: alice@example.com\n"
    "Subject: one\n"
    "\n"
    "Body one.\n"
    "From here on, this line is not a separator (no blank line before it).\n"
    "\n"
    "From the desk of the clerk: not a separator either (no date).\n"
    ">From quoted in mboxo\n"
    ">>From quoted twice in mboxrd\n"
    "\n"
    "From bob@example.com Wed Mar  5 08:00:00 2003\n"
    "From: bob@example.com\n"
    "Subject: two\n"
    "\n"
    "Body two.\n"
    "\n";

TEST(MboxReaderTest, SplitsOnlyOnRealSeparators) {
  auto items = Split(kTwo);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0].offset, 0);
  EXPECT_EQ(items[0].from_line, "From alice@example.com Tue Mar  4 11:12:13 2003");
  EXPECT_EQ(items[0].message,
            "From: alice@example.com\n"
            "Subject: one\n"
            "\n"
            "Body one.\n"
            "From here on, this line is not a separator (no blank line before it).\n"
            "\n"
            "From the desk of the clerk: not a separator either (no date).\n"
            "From quoted in mboxo\n"
            ">From quoted twice in mboxrd\n");
  EXPECT_EQ(items[1].message, "From: bob@example.com\nSubject: two\n\nBody two.\n");
  // Raw items tile the file exactly.
  EXPECT_EQ(items[0].raw + items[1].raw, std::string(kTwo));
  EXPECT_EQ(items[1].offset, static_cast<std::int64_t>(items[0].raw.size()));
  EXPECT_FALSE(items[0].preamble);
}

TEST(MboxReaderTest, ByteAtATimeGivesTheSameResult) {
  auto whole = Split(kTwo);
  for (std::size_t step : {1U, 2U, 3U, 7U, 64U}) {
    auto trickled = Split(kTwo, step);
    ASSERT_EQ(trickled.size(), whole.size()) << step;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(trickled[i].message, whole[i].message) << step;
      EXPECT_EQ(trickled[i].raw, whole[i].raw) << step;
      EXPECT_EQ(trickled[i].offset, whole[i].offset) << step;
    }
  }
}

TEST(MboxReaderTest, CrlfAndBareCrLineEndings) {
  std::string crlf =
      "From a@example.com Tue Mar  4 11:12:13 2003\r\nSubject: one\r\n\r\nx\r\n\r\n"
      "From b@example.com Tue Mar  4 11:12:14 2003\r\nSubject: two\r\n\r\ny\r\n";
  for (std::size_t step : {0U, 1U}) {
    auto items = Split(crlf, step);
    ASSERT_EQ(items.size(), 2U);
    EXPECT_EQ(items[0].message, "Subject: one\r\n\r\nx\r\n");
    EXPECT_EQ(items[1].message, "Subject: two\r\n\r\ny\r\n");
  }
  std::string cr =
      "From a@example.com Tue Mar  4 11:12:13 2003\rSubject: one\r\rx\r\r"
      "From b@example.com Tue Mar  4 11:12:14 2003\rSubject: two\r\ry\r";
  for (std::size_t step : {0U, 1U}) {
    auto items = Split(cr, step);
    ASSERT_EQ(items.size(), 2U);
    EXPECT_EQ(items[0].message, "Subject: one\r\rx\r");
    EXPECT_EQ(items[1].message, "Subject: two\r\ry\r");
  }
}

TEST(MboxReaderTest, ContentLengthIsNotTrusted) {
  std::string mbox =
      "From a@example.com Tue Mar  4 11:12:13 2003\nContent-Length: 5\nSubject: one\n\n"
      "long body that is much longer than five bytes\n\n"
      "From b@example.com Tue Mar  4 11:12:14 2003\nContent-Length: 9999\nSubject: two\n\ny\n";
  auto items = Split(mbox);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_NE(items[0].message.find("much longer"), std::string::npos);
}

TEST(MboxReaderTest, TextBeforeTheFirstSeparatorIsAPreamble) {
  std::string mbox =
      "garbage line\nmore\n\nFrom a@example.com Tue Mar  4 11:12:13 2003\nSubject: x\n\nb\n";
  auto items = Split(mbox);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_TRUE(items[0].preamble);
  EXPECT_EQ(items[0].raw, "garbage line\nmore\n\n");
  EXPECT_EQ(items[0].offset, 0);
  EXPECT_FALSE(items[1].preamble);
  EXPECT_EQ(items[1].offset, 19);
}

TEST(MboxReaderTest, EmptyAndBlankInputs) {
  EXPECT_TRUE(Split("").empty());
  EXPECT_TRUE(Split("\n\n\r\n").empty());
  auto only_separator = Split("From a@example.com Tue Mar  4 11:12:13 2003\n");
  ASSERT_EQ(only_separator.size(), 1U);
  EXPECT_EQ(only_separator[0].message, "");
  auto no_final_newline = Split("From a@example.com Tue Mar  4 11:12:13 2003\nSubject: x\n\nb");
  ASSERT_EQ(no_final_newline.size(), 1U);
  EXPECT_EQ(no_final_newline[0].message, "Subject: x\n\nb");
}

TEST(MboxReaderTest, SeparatorRecognition) {
  EXPECT_TRUE(MboxReader::LooksLikeSeparator("From a@b Tue Mar  4 11:12:13 2003"));
  EXPECT_TRUE(MboxReader::LooksLikeSeparator("From MAILER-DAEMON Fri Jul  8 12:08:34 2011"));
  EXPECT_TRUE(MboxReader::LooksLikeSeparator("From - Sat, 01 Jan 2000 10:00:00 +0000\r\n"));
  EXPECT_FALSE(MboxReader::LooksLikeSeparator("From the desk of the mayor"));
  EXPECT_FALSE(MboxReader::LooksLikeSeparator("From: a@b"));
  EXPECT_FALSE(MboxReader::LooksLikeSeparator("From 10:30 until noon"));
  EXPECT_TRUE(MboxReader::StartsLikeMbox("\nFrom a@b Tue Mar  4 11:12:13 2003\nX: y\n"));
  EXPECT_FALSE(MboxReader::StartsLikeMbox("From: a@b\n"));
  EXPECT_TRUE(MboxReader::StartsLikeMbox("junk\n\nFrom a@b Tue Mar  4 11:12:13 2003\nX: y\n"));
  EXPECT_FALSE(
      MboxReader::StartsLikeMbox("Subject: x\n\nFrom a@b Tue Mar  4 11:12:13 2003\nX: y\n"));
}

TEST(MboxReaderTest, ReadsGzipFilesDirectly) {
  testing::TempDir dir;
  Path file = dir.path() / "box.mbox.gz";
  gzFile gz = gzopen(file.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzwrite(gz, kTwo, sizeof(kTwo) - 1);
  gzclose(gz);
  auto source = OpenFileSource(file);
  ASSERT_TRUE(source.ok());
  MboxReader reader(**source);
  MboxItem item;
  int count = 0;
  while (*reader.Next(item)) {
    ++count;
  }
  EXPECT_EQ(count, 2);
  auto all = ReadAllDecompressed(file, 1 << 20);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, kTwo);
  EXPECT_FALSE(ReadAllDecompressed(file, 10).ok());
}

}  // namespace
}  // namespace sunshine::mail
