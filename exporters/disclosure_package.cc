#include "exporters/disclosure_package.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <set>

#include "engine/core/sha256.h"
#include "engine/core/time_format.h"
#include "engine/store/blob_store.h"
#include "exporters/pdf_renderer.h"
#include "exporters/zip_archive.h"

namespace sunshine {

namespace {

std::string Received(const RedactedRecord& record) {
  return record.received_at() ? FormatUtc(FromEpoch(*record.received_at())) : "unknown";
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    out += (out.empty() ? "" : std::string(separator)) + part;
  }
  return out;
}

std::string Correspondent(const RedactedRecord& record) {
  if (record.sender_name().empty()) {
    return record.sender();
  }
  if (record.sender().empty()) {
    return record.sender_name();
  }
  return record.sender_name() + " <" + record.sender() + ">";
}

}  // namespace

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(value);
  }
  std::string out = "\"";
  for (char c : value) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

DisclosurePackage::DisclosurePackage(PackageMetadata metadata) : metadata_(std::move(metadata)) {
  index_csv_ =
      "production_begin,production_end,pages,record_id,kind,date,from,to,subject,form,"
      "redactions,withheld_attachments,pdf,text\n";
  redaction_csv_ = "record_id,production_number,part,category,statute,description,reason,origin\n";
}

void DisclosurePackage::Withhold(WithheldItem item) { withheld_.push_back(std::move(item)); }

void DisclosurePackage::SetCoverLetter(std::vector<std::string> opening,
                                       std::vector<std::string> closing) {
  opening_ = std::move(opening);
  closing_ = std::move(closing);
}

Status DisclosurePackage::Add(const RedactedRecord& record, const LeakCheckList& leak_check) {
  // Category names for the gate's message; the list carries values only, so a hit names the
  // record's redaction categories rather than guess which one it was.
  std::set<std::string> categories;
  for (const RedactionLogEntry& entry : record.log()) {
    categories.insert(entry.category);
  }
  std::string category_text;
  for (const std::string& category : categories) {
    category_text += (category_text.empty() ? "" : "/") + category;
  }
  for (const std::string& value : leak_check.values()) {
    bool own = false;
    for (const std::string& mine : metadata_.recipient_own_values) {
      own = own || (!mine.empty() && mine.size() == value.size() &&
                    std::equal(mine.begin(), mine.end(), value.begin(), [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b));
                    }));
    }
    if (!own) {
      probes_.push_back({record.record_id(), category_text, value});
    }
  }

  std::vector<PdfSection> sections;
  std::string kind(RecordKindName(record.kind()));
  std::string header = "Record " + std::to_string(record.record_id()) + " (" + kind + ")\n" +
                       "Received: " + Received(record) + "\n";
  if (record.kind() == RecordKind::kMail) {
    header += "From: " + Correspondent(record) + "\nTo: " + record.recipients() + "\n";
  } else {
    header += "Submitted by: " + Correspondent(record) + "\n";
  }
  if (record.form_id()) {
    header += "Form: " + *record.form_id() + "\n";
  }
  header += "Subject: " + record.title();
  sections.push_back({"", header, false});
  if (!record.body().empty()) {
    sections.push_back(
        {record.kind() == RecordKind::kMail ? "Message" : "Text", record.body(), false});
  }
  if (!record.fields().empty()) {
    std::string fields;
    for (const RedactedRecord::Field& field : record.fields()) {
      fields += (field.label.empty() ? field.name : field.label) + ": " + field.value + "\n";
    }
    sections.push_back({"Form fields", fields, false});
  }
  int withheld_attachments = 0;
  for (const RedactedRecord::Attachment& attachment : record.attachments()) {
    std::string title = "Attachment " + std::to_string(attachment.ordinal) + ": " +
                        attachment.filename + " (" + attachment.media_type + ", " +
                        std::to_string(attachment.size) + " bytes)";
    if (attachment.text) {
      sections.push_back({title, *attachment.text, false});
    } else {
      ++withheld_attachments;
      sections.push_back({title,
                          "Withheld in full: this attachment has no text form in which exempt "
                          "material can be separated (RSMo 610.024). See withheld-log.csv.",
                          false});
      withheld_.push_back(
          {record.record_id(),
           "attachment " + std::to_string(attachment.ordinal) + " (" + attachment.filename + ")",
           "RSMo 610.024: exempt material cannot be separated in this format",
           attachment.media_type + ", " + std::to_string(attachment.size) +
               " bytes, not reviewed for release"});
    }
  }
  std::vector<std::string> markers;
  for (const RedactionLogEntry& entry : record.log()) {
    if (!entry.marker.empty() &&
        std::find(markers.begin(), markers.end(), entry.marker) == markers.end()) {
      markers.push_back(entry.marker);
    }
  }

  PdfDocumentSpec spec;
  spec.title = "Record " + std::to_string(record.record_id());
  spec.created = metadata_.created;
  spec.sections = sections;
  spec.redaction_markers = markers;
  spec.production_prefix = metadata_.production_prefix;
  spec.first_production = next_number_;
  spec.footer = metadata_.footer + (metadata_.footer.empty() ? "" : ", ") + "record " +
                std::to_string(record.record_id());
  SUNSHINE_ASSIGN_OR_RETURN(RenderedPdf pdf, RenderPdf(spec));

  RecordProduction production;
  production.record_id = record.record_id();
  production.begin = ProductionNumber(metadata_.production_prefix, next_number_);
  production.end = ProductionNumber(metadata_.production_prefix, next_number_ + pdf.pages - 1);
  production.pages = pdf.pages;
  production.redactions = static_cast<int>(record.log().size());
  production.withheld_attachments = withheld_attachments;

  std::string text = "Production " + production.begin + " - " + production.end + "\n";
  for (const PdfSection& section : sections) {
    text += "\n";
    if (!section.heading.empty()) {
      text += section.heading + "\n";
    }
    text += section.text;
    if (!section.text.empty() && section.text.back() != '\n') {
      text += "\n";
    }
  }
  std::string base = "records/" + production.begin;
  records_.push_back({base + ".pdf", std::move(pdf.bytes)});
  records_.push_back({base + ".txt", std::move(text)});

  index_csv_ += Join({production.begin, production.end, std::to_string(pdf.pages),
                      std::to_string(record.record_id()), kind, Received(record),
                      CsvField(Correspondent(record)), CsvField(record.recipients()),
                      CsvField(record.title()), CsvField(record.form_id().value_or("")),
                      std::to_string(production.redactions), std::to_string(withheld_attachments),
                      "data/" + base + ".pdf", "data/" + base + ".txt"},
                     ",") +
                "\n";
  // The page of each redaction: the marker's occurrences in order, matched to log entries.
  std::map<std::string, std::vector<int>> pages_by_marker;
  for (const auto& [marker, page] : pdf.marker_pages) {
    pages_by_marker[marker].push_back(page);
  }
  std::map<std::string, std::size_t> used;
  for (const RedactionLogEntry& entry : record.log()) {
    std::string page_number = production.begin;
    auto found = pages_by_marker.find(entry.marker);
    if (found != pages_by_marker.end() && !found->second.empty()) {
      std::size_t index = std::min(used[entry.marker]++, found->second.size() - 1);
      page_number =
          ProductionNumber(metadata_.production_prefix, next_number_ + found->second[index]);
    }
    redaction_csv_ +=
        Join({std::to_string(record.record_id()), page_number, CsvField(entry.part),
              CsvField(entry.category), CsvField(entry.citation), CsvField(entry.description),
              CsvField(entry.reason), CsvField(entry.origin)},
             ",") +
        "\n";
    if (!entry.citation.empty() &&
        std::find(citations_.begin(), citations_.end(), entry.citation) == citations_.end()) {
      citations_.push_back(entry.citation);
    }
  }
  redaction_count_ += production.redactions;
  next_number_ += pdf.pages;
  productions_.push_back(production);
  return Status();
}

Result<std::string> DisclosurePackage::RenderCoverLetterPdf(const std::string& text) const {
  PdfDocumentSpec spec;
  spec.title = "Cover letter";
  spec.created = metadata_.created;
  spec.sections = {{"", text, false}};
  spec.footer = metadata_.footer;
  SUNSHINE_ASSIGN_OR_RETURN(RenderedPdf pdf, RenderPdf(spec));
  return pdf.bytes;
}

Result<PublishedPackage> DisclosurePackage::Publish(const Path& out_dir) {
  PublishedPackage result;
  result.productions = productions_;
  result.withheld = withheld_;
  for (const RecordProduction& production : productions_) {
    result.pages += production.pages;
  }

  std::string withheld_csv = "record_id,part,grounds,description\n";
  for (const WithheldItem& item : withheld_) {
    withheld_csv += Join({std::to_string(item.record_id), CsvField(item.part),
                          CsvField(item.grounds), CsvField(item.description)},
                         ",") +
                    "\n";
  }
  std::sort(citations_.begin(), citations_.end());
  std::string letter;
  for (const std::string& paragraph : opening_) {
    letter += paragraph + "\n\n";
  }
  letter += "Enclosed: " + std::to_string(productions_.size()) + " record(s)";
  if (!productions_.empty()) {
    letter += ", " + std::to_string(result.pages) + " page(s) numbered " +
              productions_.front().begin + " to " + productions_.back().end;
  }
  letter += ". Each record is given as a PDF and as UTF-8 text; data/index.csv lists them.\n\n";
  if (redaction_count_ > 0) {
    letter += std::to_string(redaction_count_) +
              " passage(s) were redacted because they are closed by law; each is marked where "
              "it was removed and described in data/redaction-log.csv (RSMo 610.024). "
              "Provisions relied on: " +
              Join(citations_, "; ") + ".\n\n";
  }
  if (!withheld_.empty()) {
    letter += std::to_string(withheld_.size()) +
              " item(s) were withheld in full; data/withheld-log.csv gives the grounds for "
              "each.\n\n";
  }
  letter +=
      "On request, the custodian will give a written statement of the grounds for any "
      "closure, citing the specific provision of law relied on (RSMo 610.023.4).\n\n"
      "This package is a BagIt bag (RFC 8493). Check that nothing changed on the way with "
      "'sunshine package verify " +
      metadata_.name + ".zip' or any BagIt tool.\n";
  for (const std::string& paragraph : closing_) {
    letter += "\n" + paragraph + "\n";
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::string letter_pdf, RenderCoverLetterPdf(letter));

  std::vector<BagFile> payload;
  payload.push_back({"cover-letter.txt", letter});
  payload.push_back({"cover-letter.pdf", std::move(letter_pdf)});
  payload.push_back({"index.csv", index_csv_});
  payload.push_back({"redaction-log.csv", redaction_csv_});
  payload.push_back({"withheld-log.csv", withheld_csv});
  payload.push_back({"audit-excerpt.jsonl", audit_excerpt_});
  for (const BagFile& file : records_) {
    payload.push_back(file);
  }
  BagInfo info = {{"Source-Organization", metadata_.office_name},
                  {"Bagging-Date", metadata_.bagging_date},
                  {"External-Identifier", metadata_.name},
                  {"Sunshine-Package-Version", "1"}};
  for (const auto& field : metadata_.info) {
    info.push_back(field);
  }
  SUNSHINE_ASSIGN_OR_RETURN(std::vector<ZipEntry> entries, BuildBag(metadata_.name, payload, info));

  boost::system::error_code error;
  boost::filesystem::create_directories(out_dir, error);
  if (error) {
    return Status::IoError("cannot create " + out_dir.string() + ": " + error.message());
  }
  Path final_zip = out_dir / (metadata_.name + ".zip");
  if (boost::filesystem::exists(final_zip)) {
    return Status::AlreadyExists(final_zip.string() + " already exists");
  }
  Path partial = out_dir / ("." + metadata_.name + ".zip.partial");
  SUNSHINE_RETURN_IF_ERROR(WriteZip(partial, entries));
  auto remove_partial = [&] {
    boost::system::error_code ignored;
    boost::filesystem::remove(partial, ignored);
  };
  auto hits = ScanZipForLeaks(partial, probes_, out_dir);
  if (!hits.ok()) {
    remove_partial();
    return hits.status();
  }
  if (!hits->empty()) {
    remove_partial();
    result.leaks = std::move(*hits);
    return result;
  }
  auto digest = Sha256File(partial);
  if (!digest.ok()) {
    remove_partial();
    return digest.status();
  }
  result.sha256 = *digest;
  result.bytes = static_cast<std::int64_t>(boost::filesystem::file_size(partial, error));
  boost::filesystem::rename(partial, final_zip, error);
  if (error) {
    remove_partial();
    return Status::IoError("cannot publish " + final_zip.string() + ": " + error.message());
  }
  result.zip = final_zip;
  result.published = true;
  return result;
}

}  // namespace sunshine
