#include "importers/mail/mail_importer.h"

#include <Poco/Crypto/OpenSSLInitializer.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "engine/core/clock.h"
#include "engine/core/sha256.h"
#include "engine/core/time_format.h"
#include "engine/records/record_repository.h"
#include "engine/store/quarantine.h"
#include "importers/mail/mbox_reader.h"
#include "importers/mail/mime_parse.h"
#include "importers/mail/text_convert.h"
#include "importers/mail/virus_scanner.h"

namespace sunshine::mail {

namespace fs = boost::filesystem;

namespace {

// source_files.importer for every mail input: an mbox and an .eml with the same bytes are
// the same file.
constexpr std::string_view kSourceImporter = "mail";

JsonArray AddressesJson(const std::vector<MailAddress>& addresses) {
  JsonArray array = NewJsonArray();
  for (const MailAddress& address : addresses) {
    JsonObject item = NewJsonObject();
    item->set("name", address.name);
    item->set("address", address.address);
    array->add(item);
  }
  return array;
}

struct ItemContext {
  std::string importer;  // mbox | maildir | eml
  std::string file;
  std::string position;  // "byte 1234" | "file"
  std::string folder;
  std::string from_line;  // mbox separator, "" otherwise
  std::string maildir_flags;
  std::optional<std::int64_t> file_mtime;
};

class Importer {
 public:
  Importer(Store& store, const MailImportOptions& options) : store_(store), options_(options) {}

  Status Init() {
    std::string database = options_.clamav_db;
    if (database.empty()) {
      SUNSHINE_ASSIGN_OR_RETURN(database,
                                store_.config().String("mail.clamav_db", "/var/lib/clamav"));
      database = store_.home().Resolve(database).string();
    }
    scanner_ = VirusScanner::Open(database);
    counts_.virus_signatures = scanner_->signatures();
    if (!scanner_->available()) {
      counts_.warnings.push_back("NO VIRUS SIGNATURES: " + scanner_->problem() +
                                 "; attachments were NOT scanned (set mail.clamav_db or install "
                                 "a signature feed)");
    }
    return {};
  }

  Status Run(const std::vector<MailInputFile>& inputs) {
    std::int64_t total = 0;
    for (const MailInputFile& input : inputs) {
      total += static_cast<std::int64_t>(input.size);
    }
    std::ostream& out = options_.progress_out != nullptr ? *options_.progress_out : std::cerr;
    Progress progress("importing mail", total, options_.progress_mode, out);
    progress_ = &progress;
    std::int64_t done = 0;
    for (const MailInputFile& input : inputs) {
      progress_base_ = done;
      SUNSHINE_RETURN_IF_ERROR(ImportFile(input));
      done += static_cast<std::int64_t>(input.size);
      progress.Set(done);
    }
    SUNSHINE_RETURN_IF_ERROR(Commit());
    progress.Finish();
    progress_ = nullptr;
    return {};
  }

  MailImportCounts& counts() { return counts_; }

 private:
  Status EnsureTransaction() {
    if (!txn_) {
      SUNSHINE_ASSIGN_OR_RETURN(txn_, Transaction::Begin(store_.db()));
    }
    return {};
  }

  Status Commit() {
    if (!txn_) {
      return {};
    }
    // The store makes the batch's blob files durable (one syncfs) before the rows commit.
    Status status = txn_->Commit();
    txn_.reset();
    batch_messages_ = 0;
    batch_bytes_ = 0;
    return status;
  }

  Status MaybeCommit() {
    if (batch_messages_ >= options_.batch_messages || batch_bytes_ >= options_.batch_bytes) {
      return Commit();
    }
    return {};
  }

  Status FileFailed(const MailInputFile& input, const Status& status) {
    ++counts_.files_failed;
    counts_.errors.push_back(input.path.string() + ": " + status.message());
    return {};
  }

  // Same path, same bytes: read before. The same bytes under another path are read again
  // so that location is recorded too (RecordRepository::Put adds it to the record).
  Result<bool> AlreadyImported(const std::string& sha, const std::string& path) {
    SUNSHINE_ASSIGN_OR_RETURN(
        auto found, store_.db().QueryInt("SELECT count(*) FROM mail_files WHERE path = $1 AND "
                                         "sha256 = $2",
                                         {path, sha}));
    return found.value_or(0) > 0;
  }

  Status MarkCompleted(const MailInputFile& input, const std::string& sha, std::int64_t items) {
    SUNSHINE_RETURN_IF_ERROR(EnsureTransaction());
    JsonObject file_counts = NewJsonObject();
    file_counts->set("items", items);
    SUNSHINE_RETURN_IF_ERROR(
        MarkSourceFileCompleted(store_.db(),
                                {std::string(kSourceImporter), input.path.string(), sha,
                                 static_cast<std::int64_t>(input.size)},
                                ToJson(file_counts)));
    SUNSHINE_RETURN_IF_ERROR(store_.db().Exec(
        "INSERT INTO mail_files (path, sha256, completed_at, items) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (path, sha256) DO NOTHING",
        {input.path.string(), sha, ToEpoch(Clock::WallNow()), items}));
    return MaybeCommit();
  }

  Status ImportFile(const MailInputFile& input) {
    ++counts_.files;
    ItemContext context;
    context.file = input.path.string();
    context.folder = input.folder;
    context.maildir_flags = input.maildir_flags;
    boost::system::error_code ec;
    std::time_t mtime = fs::last_write_time(input.path, ec);
    if (!ec) {
      context.file_mtime = static_cast<std::int64_t>(mtime);
    }

    // Peek: an mbox starts with a separator line (after the optional gzip layer).
    auto source = OpenFileSource(input.path);
    if (!source.ok()) {
      return FileFailed(input, source.status());
    }
    std::string head(4096, '\0');
    auto head_size = (*source)->Read(head.data(), head.size());
    if (!head_size.ok()) {
      return FileFailed(input, head_size.status());
    }
    head.resize(*head_size);
    bool mbox = MboxReader::StartsLikeMbox(head);
    source->reset();

    if (!mbox) {
      return ImportSingle(input, context);
    }
    auto sha = Sha256File(input.path);
    if (!sha.ok()) {
      return FileFailed(input, sha.status());
    }
    SUNSHINE_ASSIGN_OR_RETURN(bool done, AlreadyImported(*sha, context.file));
    if (done) {
      ++counts_.files_skipped;
      return {};
    }
    auto reopened = OpenFileSource(input.path);
    if (!reopened.ok()) {
      return FileFailed(input, reopened.status());
    }
    context.importer = "mbox";
    MboxReader reader(**reopened);
    MboxItem item;
    std::int64_t items = 0;
    while (true) {
      auto next = reader.Next(item);
      if (!next.ok()) {
        // A read error part-way (truncated gzip): what was read stays imported.
        return FileFailed(input, next.status());
      }
      if (!*next) {
        break;
      }
      ++items;
      context.position = "byte " + std::to_string(item.offset);
      context.from_line = item.from_line;
      if (item.preamble) {
        SUNSHINE_RETURN_IF_ERROR(
            QuarantineItem(context, item.raw, "text before the first \"From \" separator line"));
      } else {
        SUNSHINE_RETURN_IF_ERROR(ImportItem(context, item.message, item.raw));
      }
      if (progress_ != nullptr && input.size > 0 &&
          item.offset <= static_cast<std::int64_t>(input.size)) {
        progress_->Set(progress_base_ + item.offset);
      }
    }
    return MarkCompleted(input, *sha, items);
  }

  Status ImportSingle(const MailInputFile& input, ItemContext& context) {
    context.importer = input.in_maildir ? "maildir" : "eml";
    context.position = "file";
    if (input.size > static_cast<std::uintmax_t>(options_.max_message_bytes) * 2) {
      return FileFailed(input, Status::InvalidInput("larger than the message size limit"));
    }
    auto raw = ReadFile(input.path);
    if (!raw.ok()) {
      return FileFailed(input, raw.status());
    }
    std::string sha = Sha256Hex(*raw);
    SUNSHINE_ASSIGN_OR_RETURN(bool done, AlreadyImported(sha, context.file));
    if (done) {
      ++counts_.files_skipped;
      return {};
    }
    std::string content;
    if (raw->size() >= 2 && static_cast<unsigned char>((*raw)[0]) == 0x1f &&
        static_cast<unsigned char>((*raw)[1]) == 0x8b) {
      auto decompressed =
          ReadAllDecompressed(input.path, static_cast<std::size_t>(options_.max_message_bytes) + 1);
      if (!decompressed.ok()) {
        return FileFailed(input, decompressed.status());
      }
      content = std::move(*decompressed);
    } else {
      content = std::move(*raw);
    }
    std::int64_t items = 0;
    if (content.find_first_not_of("\r\n \t") != std::string::npos) {
      // An empty file holds no message; anything else is one item.
      items = 1;
      SUNSHINE_RETURN_IF_ERROR(ImportItem(context, content, content));
    }
    return MarkCompleted(input, sha, items);
  }

  Status QuarantineItem(const ItemContext& context, std::string_view raw,
                        const std::string& reason) {
    ++counts_.seen;
    counts_.bytes += static_cast<std::int64_t>(raw.size());
    SUNSHINE_RETURN_IF_ERROR(EnsureTransaction());
    auto id = QuarantineItemBytes(store_, options_.actor,
                                  {context.importer, context.file, context.position, reason, raw});
    if (!id.ok()) {
      return id.status();
    }
    ++counts_.quarantined;
    ++batch_messages_;
    batch_bytes_ += static_cast<std::int64_t>(raw.size());
    return MaybeCommit();
  }

  Status ImportItem(const ItemContext& context, const std::string& message, std::string_view raw) {
    if (static_cast<std::int64_t>(message.size()) > options_.max_message_bytes) {
      return QuarantineItem(
          context, raw,
          "message larger than " + std::to_string(options_.max_message_bytes) + " bytes");
    }
    auto parsed = ParseMail(message);
    if (!parsed.ok()) {
      return QuarantineItem(context, raw, parsed.status().message());
    }
    ++counts_.seen;
    counts_.bytes += static_cast<std::int64_t>(raw.size());
    SUNSHINE_RETURN_IF_ERROR(EnsureTransaction());
    NewRecord record = BuildRecord(context, message, *parsed);
    SUNSHINE_RETURN_IF_ERROR(ScanAttachments(context, record));
    SUNSHINE_ASSIGN_OR_RETURN(PutResult put, RecordRepository::Put(store_, options_.actor, record));
    switch (put.outcome) {
      case PutOutcome::kInserted:
        ++counts_.imported;
        break;
      case PutOutcome::kDuplicate:
        ++counts_.duplicates;
        ++counts_.linked_duplicates;
        break;
      case PutOutcome::kAlreadyPresent:
        ++counts_.duplicates;
        ++counts_.already_present;
        break;
    }
    if (put.outcome != PutOutcome::kAlreadyPresent) {
      counts_.attachments += static_cast<std::int64_t>(record.attachments.size());
      if (!record.flags.empty()) {
        ++counts_.flagged;
      }
    }
    ++batch_messages_;
    batch_bytes_ += static_cast<std::int64_t>(message.size());
    return MaybeCommit();
  }

  NewRecord BuildRecord(const ItemContext& context, const std::string& message,
                        ParsedMail& parsed) {
    NewRecord record;
    record.kind = RecordKind::kMail;
    record.original_bytes = message;
    record.dedup_key = parsed.message_id;
    record.flags = parsed.flags;
    JsonObject metadata = NewJsonObject();
    metadata->set("message_id", parsed.message_id);
    metadata->set("date", parsed.date_header);
    metadata->set("from", AddressesJson(parsed.from));
    metadata->set("to", AddressesJson(parsed.to));
    metadata->set("cc", AddressesJson(parsed.cc));
    metadata->set("bcc", AddressesJson(parsed.bcc));
    if (!parsed.reply_to.empty()) {
      metadata->set("reply_to", AddressesJson(parsed.reply_to));
    }
    metadata->set("subject", parsed.subject);
    metadata->set("in_reply_to", parsed.in_reply_to);
    JsonArray references = NewJsonArray();
    for (const std::string& reference : parsed.references) {
      references->add(reference);
    }
    metadata->set("references", references);
    metadata->set("body_source", parsed.body_source);
    if (!context.from_line.empty()) {
      metadata->set("mbox_from", MakeValidUtf8(context.from_line));
    }
    if (!context.maildir_flags.empty()) {
      metadata->set("maildir_flags", MakeValidUtf8(context.maildir_flags));
    }

    if (parsed.date) {
      record.received_at = parsed.date;
      record.received_source = "header";
    } else {
      // Labelled fallback: the mbox envelope date, else the file's modification time.
      std::optional<std::int64_t> envelope;
      if (!context.from_line.empty()) {
        envelope = ParseMboxFromDate(context.from_line);
      }
      if (envelope) {
        record.received_at = envelope;
        record.received_source = "mbox-from";
      } else if (context.file_mtime) {
        record.received_at = context.file_mtime;
        record.received_source = "file-mtime";
      } else {
        record.received_source = "unknown";
      }
      metadata->set("date_fallback", record.received_source);
    }
    record.metadata_json = ToJson(metadata);
    record.title = parsed.subject;
    if (!parsed.from.empty()) {
      record.sender = parsed.from.front().address;
      record.sender_name = parsed.from.front().name;
    }
    for (const auto* list : {&parsed.to, &parsed.cc, &parsed.bcc}) {
      for (const MailAddress& address : *list) {
        if (!address.address.empty()) {
          record.recipients.push_back(address.address);
        }
      }
    }
    record.folder = MakeValidUtf8(context.folder);
    record.body = std::move(parsed.body);
    for (MailAttachment& attachment : parsed.attachments) {
      AttachmentData data;
      data.filename = attachment.filename;
      data.media_type = attachment.media_type;
      data.bytes = std::move(attachment.bytes);
      data.text = std::move(attachment.text);
      record.attachments.push_back(std::move(data));
    }
    record.source = {context.importer, MakeValidUtf8(context.file), context.position};
    return record;
  }

  Status ScanAttachments(const ItemContext& context, NewRecord& record) {
    int ordinal = 0;
    for (AttachmentData& attachment : record.attachments) {
      ++ordinal;
      ScanResult result = scanner_->Scan(attachment.bytes, attachment.filename);
      attachment.scan_status = result.status;
      attachment.scan_detail = result.detail;
      if (result.status != "infected") {
        continue;
      }
      ++counts_.infected_attachments;
      if (std::find(record.flags.begin(), record.flags.end(), "infected-attachment") ==
          record.flags.end()) {
        record.flags.push_back("infected-attachment");
      }
      // Withheld: the bytes go to quarantine (audited there), the record keeps a stub.
      auto id = QuarantineItemBytes(
          store_, options_.actor,
          {"mail-attachment", context.file,
           context.position + " attachment " + std::to_string(ordinal),
           "virus " + result.detail + " in attachment '" + attachment.filename + "'",
           attachment.bytes});
      if (!id.ok()) {
        return id.status();
      }
      attachment.text.reset();
    }
    return {};
  }

  // Poco re-initialises OpenSSL (reading /dev/urandom) whenever its last user goes away,
  // i.e. on every SHA-256 and audit hash: ~8 opens per message, a third of import time.
  // Holding one initializer for the whole import keeps OpenSSL initialised.
  Poco::Crypto::OpenSSLInitializer openssl_;
  Store& store_;
  const MailImportOptions& options_;
  std::unique_ptr<VirusScanner> scanner_;
  std::unique_ptr<Transaction> txn_;
  std::int64_t batch_messages_ = 0;
  std::int64_t batch_bytes_ = 0;
  MailImportCounts counts_;
  Progress* progress_ = nullptr;
  std::int64_t progress_base_ = 0;
};

}  // namespace

JsonObject MailImportCounts::ToJsonObject() const {
  JsonObject out = NewJsonObject();
  out->set("seen", seen);
  out->set("imported", imported);
  out->set("duplicates", duplicates);
  out->set("quarantined", quarantined);
  out->set("balanced", balanced());
  out->set("linked_duplicates", linked_duplicates);
  out->set("already_present", already_present);
  out->set("files", files);
  out->set("files_skipped", files_skipped);
  out->set("files_failed", files_failed);
  out->set("bytes", bytes);
  out->set("attachments", attachments);
  out->set("infected_attachments", infected_attachments);
  out->set("flagged", flagged);
  out->set("virus_signatures", static_cast<std::int64_t>(virus_signatures));
  JsonArray warning_list = NewJsonArray();
  for (const std::string& warning : warnings) {
    warning_list->add(warning);
  }
  out->set("warnings", warning_list);
  JsonArray error_list = NewJsonArray();
  for (const std::string& error : errors) {
    error_list->add(error);
  }
  out->set("errors", error_list);
  return out;
}

std::vector<std::string> MailImportCounts::SummaryLines() const {
  std::vector<std::string> lines;
  for (const std::string& warning : warnings) {
    lines.push_back("WARNING: " + warning);
  }
  lines.push_back("messages seen " + std::to_string(seen) + " = imported " +
                  std::to_string(imported) + " + duplicates " + std::to_string(duplicates) +
                  " + quarantined " + std::to_string(quarantined) +
                  (balanced() ? "" : "  (BALANCE DOES NOT HOLD)"));
  lines.push_back("  duplicates: " + std::to_string(linked_duplicates) +
                  " same Message-ID stored and linked, " + std::to_string(already_present) +
                  " identical copies already stored");
  lines.push_back("  files: " + std::to_string(files) + " read, " + std::to_string(files_skipped) +
                  " already imported, " + std::to_string(files_failed) + " unreadable; " +
                  std::to_string(bytes) + " bytes");
  lines.push_back("  attachments: " + std::to_string(attachments) +
                  ", infected (withheld): " + std::to_string(infected_attachments) +
                  "; records flagged: " + std::to_string(flagged));
  for (const std::string& error : errors) {
    lines.push_back("ERROR: " + error);
  }
  return lines;
}

Result<MailImportCounts> ImportMail(Store& store, const std::vector<Path>& paths,
                                    const MailImportOptions& options) {
  SUNSHINE_ASSIGN_OR_RETURN(auto inputs, CollectMailInputs(paths));
  Importer importer(store, options);
  SUNSHINE_RETURN_IF_ERROR(importer.Init());
  SUNSHINE_RETURN_IF_ERROR(importer.Run(inputs));
  return importer.counts();
}

}  // namespace sunshine::mail
