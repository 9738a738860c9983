// Importer conformance: empty input, broken items quarantined with their exact bytes,
// re-import is a no-op, the balance holds; plus dedup, virus scanning and date fallbacks.
#include <gtest/gtest.h>
#include <zlib.h>

#include "engine/core/sha256.h"
#include "engine/records/record_repository.h"
#include "importers/mail/mail_importer.h"
#include "importers/mail/text_convert.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine::mail {
namespace {

namespace fs = boost::filesystem;

std::string Message(const std::string& id, const std::string& subject,
                    const std::string& body = "Body text.\n") {
  return "Message-ID: <" + id +
         ">\nDate: Tue, 04 Mar 2003 11:12:13 -0600\n"
         "From: Clerk <clerk@example.gov>\nTo: public@example.org\nSubject: " +
         subject + "\n\n" + body;
}

std::string MboxOf(const std::vector<std::string>& messages) {
  std::string out;
  for (const std::string& message : messages) {
    out += "From clerk@example.gov Tue Mar  4 17:12:13 2003\n" + message + "\n";
  }
  return out;
}

// Built at run time so that no file in the repository carries the test string.
std::string Eicar() {
  return std::string("X5O!P%@AP[4\\PZX54(P^)7CC)7}$") + "EICAR-STANDARD-ANTIVIRUS-" +
         "TEST-FILE!$H+H*";
}

class MailImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Init(Home(dir_.path() / "home"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    fs::create_directories(empty_db_);
  }

  MailImportCounts Import(const std::vector<Path>& paths, std::string clamav_db = "") {
    MailImportOptions options;
    options.actor = "tester";
    options.clamav_db = clamav_db.empty() ? empty_db_.string() : clamav_db;
    options.batch_messages = 2;  // exercise batch boundaries
    auto counts = ImportMail(*store_, paths, options);
    EXPECT_TRUE(counts.ok()) << counts.status().ToString();
    if (!counts.ok()) {
      return {};
    }
    EXPECT_TRUE(counts->balanced()) << ToJson(counts->ToJsonObject());
    return *counts;
  }

  std::int64_t Count(const std::string& sql) {
    auto n = store_->db().QueryInt(sql);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? n->value_or(-1) : -1;
  }

  Record OnlyRecord() {
    std::vector<Record> records;
    EXPECT_TRUE(RecordRepository::List(store_->db(), {}, [&](const Record& r) {
                  records.push_back(r);
                  return Status();
                }).ok());
    EXPECT_EQ(records.size(), 1U);
    return records.empty() ? Record() : records.front();
  }

  Path In(const std::string& name) { return dir_.path() / "in" / name; }

  testing::TempDir dir_;
  Path empty_db_ = dir_.path() / "no-signatures";
  std::unique_ptr<Store> store_;
};

TEST_F(MailImportTest, EmptyInputImportsNothing) {
  testing::WriteTextFile(In("empty.mbox"), "");
  fs::create_directories(In("empty-folder"));
  fs::create_directories(In("Maildir/cur"));
  MailImportCounts counts = Import({In("empty.mbox"), In("empty-folder"), In("Maildir")});
  EXPECT_EQ(counts.seen, 0);
  EXPECT_EQ(counts.quarantined, 0);
  EXPECT_FALSE(counts.problems());
  EXPECT_EQ(Count("SELECT count(*) FROM records"), 0);
}

TEST_F(MailImportTest, MissingPathIsAnError) {
  MailImportOptions options;
  options.clamav_db = empty_db_.string();
  auto counts = ImportMail(*store_, {In("nope.mbox")}, options);
  EXPECT_EQ(counts.status().code(), StatusCode::kNotFound);
}

TEST_F(MailImportTest, ReadsMboxMaildirEmlAndGzipDetectedByContent) {
  testing::WriteTextFile(In("box.txt"), MboxOf({Message("m1@x", "one"), Message("m2@x", "two")}));
  testing::WriteTextFile(In("Maildir/cur/1.host:2,S"), Message("m3@x", "three"));
  testing::WriteTextFile(In("Maildir/new/2.host"), Message("m4@x", "four"));
  testing::WriteTextFile(In("Maildir/tmp/3.host"), Message("m9@x", "in delivery"));
  testing::WriteTextFile(In("Maildir/.Sent/cur/5.host:2,S"), Message("m5@x", "sent"));
  testing::WriteTextFile(In("letter.mbox"), Message("m6@x", "an eml despite its name"));
  std::string gz_mbox = MboxOf({Message("m7@x", "seven"), Message("m8@x", "eight")});
  gzFile gz = gzopen(In("old.mbox.gz").c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzwrite(gz, gz_mbox.data(), static_cast<unsigned>(gz_mbox.size()));
  gzclose(gz);

  MailImportCounts counts = Import({dir_.path() / "in"});
  EXPECT_EQ(counts.seen, 8);
  EXPECT_EQ(counts.imported, 8);
  EXPECT_EQ(counts.quarantined, 0);
  EXPECT_EQ(Count("SELECT count(*) FROM records WHERE title = 'in delivery'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM records WHERE folder = 'in/Maildir/Sent'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM record_sources WHERE importer = 'maildir'"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM record_sources WHERE importer = 'mbox'"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM record_sources WHERE importer = 'eml'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM records WHERE json_extract(metadata, '$.maildir_flags') "
                  "= 'S'"),
            2);
  // The stored original of an mbox message is the message without the separator line.
  auto sha = store_->db().QueryText("SELECT content_sha256 FROM records WHERE title = 'one'");
  ASSERT_TRUE(sha.ok() && sha->has_value());
  auto original = store_->blobs().Read(**sha);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(*original, Message("m1@x", "one"));
  EXPECT_EQ(Count("SELECT count(*) FROM records_fts WHERE records_fts MATCH 'seven'"), 1);
}

TEST_F(MailImportTest, BrokenItemsAreQuarantinedWithTheirExactBytes) {
  std::string preamble = "This text precedes any separator.\n\n";
  std::string mbox = preamble + MboxOf({Message("a@x", "good")});
  testing::WriteTextFile(In("box.mbox"), mbox);
  std::string junk = "just some notes\nwith no header at all\n";
  testing::WriteTextFile(In("notes.eml"), junk);

  MailImportCounts counts = Import({In("box.mbox"), In("notes.eml")});
  EXPECT_EQ(counts.seen, 3);
  EXPECT_EQ(counts.imported, 1);
  EXPECT_EQ(counts.quarantined, 2);
  EXPECT_TRUE(counts.problems());

  for (const auto& [bytes, position] :
       std::vector<std::pair<std::string, std::string>>{{preamble, "byte 0"}, {junk, "file"}}) {
    std::string sha = Sha256Hex(bytes);
    auto row = store_->db().QueryText("SELECT position FROM quarantine WHERE sha256 = $1", {sha});
    ASSERT_TRUE(row.ok() && row->has_value()) << bytes;
    EXPECT_EQ(**row, position);
    EXPECT_EQ(testing::ReadTextFile(store_->home().quarantine_dir() / (sha + ".bin")), bytes);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'import.quarantine'"), 2);
  // The good message's byte offset is right after the preamble.
  EXPECT_EQ(Count("SELECT count(*) FROM record_sources WHERE position = 'byte " +
                  std::to_string(preamble.size()) + "'"),
            1);
}

TEST_F(MailImportTest, ReimportIsANoOp) {
  testing::WriteTextFile(In("box.mbox"), MboxOf({Message("a@x", "a"), Message("b@x", "b")}));
  testing::WriteTextFile(In("one.eml"), Message("c@x", "c"));
  testing::WriteTextFile(In("junk.eml"), "not mail\n");
  MailImportCounts first = Import({dir_.path() / "in"});
  EXPECT_EQ(first.seen, 4);
  std::int64_t events = Count("SELECT count(*) FROM audit_events");
  std::int64_t records = Count("SELECT count(*) FROM records");

  MailImportCounts second = Import({dir_.path() / "in"});
  EXPECT_EQ(second.seen, 0);
  EXPECT_EQ(second.files_skipped, 3);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events"), events);
  EXPECT_EQ(Count("SELECT count(*) FROM records"), records);
  EXPECT_EQ(Count("SELECT count(*) FROM quarantine"), 1);
}

TEST_F(MailImportTest, IdenticalCopiesAreOneRecordWithEverySource) {
  std::string message = Message("same@x", "same");
  testing::WriteTextFile(In("a/copy.eml"), message);
  testing::WriteTextFile(In("b/copy.eml"), message);
  testing::WriteTextFile(In("box.mbox"), MboxOf({message}));
  MailImportCounts counts = Import({dir_.path() / "in"});
  EXPECT_EQ(counts.seen, 3);
  EXPECT_EQ(counts.imported, 1);
  EXPECT_EQ(counts.duplicates, 2);
  EXPECT_EQ(counts.already_present, 2);
  Record record = OnlyRecord();
  EXPECT_EQ(record.sources.size(), 3U);
}

TEST_F(MailImportTest, SameMessageIdOtherBytesIsALinkedDuplicate) {
  testing::WriteTextFile(In("a.eml"), Message("dup@x", "first copy"));
  testing::WriteTextFile(In("b.eml"), Message("dup@x", "second copy", "Edited body.\n"));
  MailImportCounts counts = Import({In("a.eml"), In("b.eml")});
  EXPECT_EQ(counts.imported, 1);
  EXPECT_EQ(counts.linked_duplicates, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM records WHERE duplicate_of IS NOT NULL"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM records WHERE dedup_key = 'dup@x'"), 2);
}

std::string WithAttachment(const std::string& id, const std::string& name,
                           const std::string& content) {
  return "Message-ID: <" + id +
         ">\nFrom: a@example.com\nSubject: with attachment\n"
         "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
         "See attached.\n--b\nContent-Type: application/octet-stream\n"
         "Content-Disposition: attachment; filename=" +
         name + "\n\n" + content + "\n--b--\n";
}

TEST_F(MailImportTest, InfectedAttachmentIsWithheldQuarantinedAndFlagged) {
  std::string db = std::string(SUNSHINE_SOURCE_DIR) + "/tests/data/mail/clamav";
  testing::WriteTextFile(In("virus.eml"), WithAttachment("v@x", "invoice.com", Eicar()));
  testing::WriteTextFile(In("clean.eml"), WithAttachment("c@x", "minutes.txt", "minutes"));
  MailImportCounts counts = Import({In("virus.eml"), In("clean.eml")}, db);
  EXPECT_GT(counts.virus_signatures, 0U);
  EXPECT_TRUE(counts.warnings.empty());
  EXPECT_EQ(counts.imported, 2);
  EXPECT_EQ(counts.infected_attachments, 1);
  EXPECT_TRUE(counts.problems());

  auto infected =
      store_->db().QueryText("SELECT sha256 FROM attachments WHERE scan_status = 'infected'");
  ASSERT_TRUE(infected.ok() && infected->has_value());
  EXPECT_FALSE(store_->blobs().Exists(**infected));  // withheld
  EXPECT_EQ(testing::ReadTextFile(store_->home().quarantine_dir() / (**infected + ".bin")),
            Eicar());
  EXPECT_EQ(Count("SELECT count(*) FROM attachments WHERE scan_status = 'infected' AND "
                  "scan_detail LIKE '%Sunshine.Test.EICAR%'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM attachments WHERE scan_status = 'clean'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM records WHERE flags LIKE '%infected-attachment%'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM quarantine WHERE importer = 'mail-attachment'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_events WHERE action = 'import.quarantine'"), 1);
}

TEST_F(MailImportTest, NoSignaturesWarnsAndScansNothing) {
  testing::WriteTextFile(In("a.eml"), WithAttachment("a@x", "x.bin", Eicar()));
  MailImportCounts counts = Import({In("a.eml")});
  ASSERT_EQ(counts.warnings.size(), 1U);
  EXPECT_NE(counts.warnings[0].find("NO VIRUS SIGNATURES"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM attachments WHERE scan_status = 'not-scanned'"), 1);
}

TEST_F(MailImportTest, DateFallbacksAreLabelled) {
  testing::WriteTextFile(
      In("box.mbox"),
      "From clerk@example.gov Tue Mar  4 17:12:13 2003\nFrom: a@x.example\nDate: soon\n"
      "Subject: mbox\n\nx\n");
  testing::WriteTextFile(In("file.eml"), "From: a@x.example\nSubject: eml\n\nx\n");
  Import({In("box.mbox"), In("file.eml")});
  EXPECT_EQ(Count("SELECT received_at FROM records WHERE title = 'mbox' AND "
                  "received_source = 'mbox-from' AND flags LIKE '%date-unparseable%'"),
            1046797933);
  EXPECT_EQ(Count("SELECT count(*) FROM records WHERE title = 'eml' AND "
                  "received_source = 'file-mtime' AND flags LIKE '%date-missing%' AND "
                  "json_extract(metadata, '$.date_fallback') = 'file-mtime'"),
            1);
}

TEST_F(MailImportTest, NothingStoredIsInvalidUtf8) {
  testing::WriteTextFile(In("bad.eml"),
                         "From: \xFF\xFE <a@x.example>\nSubject: =?utf-8?B?/w==?= \xC3\n"
                         "Content-Type: text/plain; charset=utf-8\n\n\xFF bad \x00 bytes\n");
  Import({In("bad.eml")});
  Record record = OnlyRecord();
  for (const std::string& text :
       {record.title, record.sender_name, record.body, record.metadata_json}) {
    EXPECT_TRUE(IsValidUtf8(text)) << text;
  }
  EXPECT_FALSE(record.flags.empty());
}

}  // namespace
}  // namespace sunshine::mail
