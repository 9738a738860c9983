// Corpus tests over ../shared/corpora/mail (real mail nobody here wrote): every message is
// accounted for by the balance, nothing crashes, nothing stored is invalid UTF-8 and
// encoded subjects come out decoded. Skipped cleanly when the corpora are absent.
#include <gtest/gtest.h>

#include "engine/records/record_repository.h"
#include "importers/mail/mail_importer.h"
#include "importers/mail/text_convert.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine::mail {
namespace {

namespace fs = boost::filesystem;

class MailCorpusTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (testing::SharedCorpora().empty()) {
      GTEST_SKIP() << "no shared corpora (../shared/corpora) on this machine";
    }
    corpus_ = testing::SharedCorpora() / "mail" / GetParam();
    if (!fs::exists(corpus_)) {
      GTEST_SKIP() << corpus_.string() << " is absent";
    }
    auto store = Store::Init(Home(dir_.path() / "home"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  testing::TempDir dir_;
  Path corpus_;
  std::unique_ptr<Store> store_;
};

TEST_P(MailCorpusTest, EveryMessageIsAccountedForAndStoredAsValidUtf8) {
  MailImportOptions options;
  options.actor = "corpus-test";
  options.clamav_db = (dir_.path() / "no-signatures").string();
  auto counts = ImportMail(*store_, {corpus_}, options);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_TRUE(counts->balanced()) << ToJson(counts->ToJsonObject());
  EXPECT_EQ(counts->files_failed, 0) << ToJson(counts->ToJsonObject());
  EXPECT_GT(counts->imported, 0);

  Database& db = store_->db();
  auto records = db.QueryInt("SELECT count(*) FROM records");
  auto quarantined = db.QueryInt("SELECT count(*) FROM quarantine");
  ASSERT_TRUE(records.ok() && quarantined.ok());
  // Records plus quarantined items plus identical copies equal what was seen.
  EXPECT_EQ(**records + **quarantined + counts->already_present, counts->seen);
  // Only files that are not mail at all (licence, manifest, tiny junk) are quarantined.
  EXPECT_LE(counts->quarantined, 5) << ToJson(counts->ToJsonObject());

  std::int64_t checked = 0;
  std::int64_t encoded_subjects = 0;
  Status status = RecordRepository::List(db, {}, [&](const Record& record) {
    ++checked;
    for (const std::string* text : {&record.title, &record.sender, &record.sender_name,
                                    &record.body, &record.metadata_json, &record.folder}) {
      EXPECT_TRUE(IsValidUtf8(*text)) << "record " << record.id;
    }
    for (const StoredAttachment& attachment : record.attachments) {
      EXPECT_TRUE(IsValidUtf8(attachment.filename)) << "record " << record.id;
      if (attachment.text) {
        EXPECT_TRUE(IsValidUtf8(*attachment.text)) << "record " << record.id;
      }
    }
    // An RFC 2047 word left undecoded in a subject would show as "=?charset?".
    if (record.title.find("=?") != std::string::npos &&
        record.title.find("?=") != std::string::npos) {
      ++encoded_subjects;
      ADD_FAILURE() << "record " << record.id << " subject not decoded: " << record.title;
    }
    return Status();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(checked, **records);
  EXPECT_EQ(encoded_subjects, 0);
}

TEST_P(MailCorpusTest, ReimportingTheCorpusChangesNothing) {
  MailImportOptions options;
  options.actor = "corpus-test";
  options.clamav_db = (dir_.path() / "no-signatures").string();
  ASSERT_TRUE(ImportMail(*store_, {corpus_}, options).ok());
  auto events = store_->db().QueryInt("SELECT count(*) FROM audit_events");
  auto again = ImportMail(*store_, {corpus_}, options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->seen, 0);
  EXPECT_EQ(*store_->db().QueryInt("SELECT count(*) FROM audit_events"), *events);
}

INSTANTIATE_TEST_SUITE_P(Corpora, MailCorpusTest,
                         ::testing::Values("enron-allen-p", "mikel-mail-fixtures", "sisimai"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Subjects the fixtures are known to carry encoded (RFC 2047 / RFC 6532).
TEST(MailCorpusSpotTest, KnownEncodedSubjectsAreDecoded) {
  Path corpora = testing::SharedCorpora();
  if (corpora.empty()) {
    GTEST_SKIP() << "no shared corpora (../shared/corpora) on this machine";
  }
  testing::TempDir dir;
  auto store = Store::Init(Home(dir.path() / "home"));
  ASSERT_TRUE(store.ok());
  MailImportOptions options;
  options.clamav_db = (dir.path() / "none").string();
  Path folder = corpora / "mail" / "mikel-mail-fixtures" / "multi_charset";
  if (!fs::exists(folder)) {
    GTEST_SKIP() << folder.string() << " is absent";
  }
  auto counts = ImportMail(**store, {folder}, options);
  ASSERT_TRUE(counts.ok());
  auto non_ascii =
      (*store)->db().QueryInt("SELECT count(*) FROM records WHERE title GLOB '*[^ -~]*'");
  ASSERT_TRUE(non_ascii.ok());
  EXPECT_GT(**non_ascii, 0) << "no decoded non-ASCII subject in multi_charset";
}

}  // namespace
}  // namespace sunshine::mail
