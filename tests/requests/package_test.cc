// BagIt build and verify, ZIP round trip, PDF rendering and the leak gate's matching.
#include <gtest/gtest.h>

#include "exporters/bagit.h"
#include "exporters/leak_gate.h"
#include "exporters/pdf_renderer.h"
#include "exporters/zip_archive.h"
#include "tests/testutil/temp_dir.h"

namespace sunshine {
namespace {

using testing::TempDir;

std::vector<ZipEntry> SampleBag() {
  std::vector<BagFile> payload = {{"index.csv", "a,b\n1,2\n"},
                                  {"records/SOS-000001.txt", "hello\n"}};
  BagInfo info = {{"Source-Organization", "Office"}, {"Bagging-Date", "2026-11-29"}};
  return BuildBag("request-2026-0001", payload, info).value();
}

bool HasProblem(const BagReport& report, const std::string& path, const std::string& kind) {
  for (const BagProblem& problem : report.problems) {
    if (problem.path == path && problem.kind == kind) {
      return true;
    }
  }
  return false;
}

TEST(BagItTest, BuiltBagVerifies) {
  std::vector<ZipEntry> entries = SampleBag();
  BagReport report = VerifyBag(entries, {});
  EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0].detail);
  EXPECT_EQ(report.top_dir, "request-2026-0001");
  EXPECT_EQ(report.payload_files, 2);
  EXPECT_EQ(report.manifests, (std::vector<std::string>{"sha256", "sha512"}));
  bool oxum = false;
  for (const ZipEntry& entry : entries) {
    if (entry.name == "request-2026-0001/bag-info.txt") {
      oxum = entry.bytes.find("Payload-Oxum: 14.2\n") != std::string::npos;
    }
  }
  EXPECT_TRUE(oxum);
}

TEST(BagItTest, NamesMissingExtraAndCorruptedFiles) {
  std::vector<ZipEntry> entries = SampleBag();
  for (ZipEntry& entry : entries) {
    if (entry.name == "request-2026-0001/data/index.csv") {
      entry.bytes[0] = 'X';
    }
  }
  entries.push_back({"request-2026-0001/data/smuggled.txt", "x"});
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [](const ZipEntry& e) {
                                 return e.name == "request-2026-0001/data/records/SOS-000001.txt";
                               }),
                entries.end());
  BagReport report = VerifyBag(entries, {});
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(HasProblem(report, "data/index.csv", "corrupted"));
  EXPECT_TRUE(HasProblem(report, "data/smuggled.txt", "extra"));
  EXPECT_TRUE(HasProblem(report, "data/records/SOS-000001.txt", "missing"));
}

TEST(BagItTest, EditedTagFileIsCaughtByTheTagManifest) {
  std::vector<ZipEntry> entries = SampleBag();
  for (ZipEntry& entry : entries) {
    if (entry.name == "request-2026-0001/bag-info.txt") {
      entry.bytes += "Note: edited\n";
    }
  }
  EXPECT_TRUE(HasProblem(VerifyBag(entries, {}), "bag-info.txt", "corrupted"));
}

TEST(BagItTest, RefusesPathsDifferingOnlyInCase) {
  auto bag = BuildBag("b", {{"a.txt", "1"}, {"A.txt", "2"}}, {});
  EXPECT_FALSE(bag.ok());
}

TEST(BagItTest, ManifestPathsArePercentEncoded) {
  EXPECT_EQ(EncodeManifestPath("a%b\nc"), "a%25b%0Ac");
  EXPECT_EQ(DecodeManifestPath("a%25b%0Ac"), "a%b\nc");
}

TEST(ZipTest, RoundTripAndByteFlipIsNamed) {
  TempDir dir;
  Path zip = dir.path() / "p.zip";
  std::vector<ZipEntry> entries = SampleBag();
  ASSERT_TRUE(WriteZip(zip, entries).ok());
  auto report = VerifyBagZip(zip);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());

  std::string bytes = testing::ReadTextFile(zip);
  std::size_t at = bytes.find("request-2026-0001/data/index.csv");
  ASSERT_NE(at, std::string::npos);
  // The first local header's data follows its name; flip a byte of the compressed data.
  std::size_t data = at + std::string("request-2026-0001/data/index.csv").size() + 20 + 4;
  bytes[data] = static_cast<char>(bytes[data] ^ 0x5a);
  testing::WriteTextFile(zip, bytes);
  auto broken = VerifyBagZip(zip);
  ASSERT_TRUE(broken.ok()) << broken.status().ToString();
  EXPECT_FALSE(broken->ok());
  EXPECT_TRUE(HasProblem(*broken, "data/index.csv", "corrupted"));
}

TEST(PdfRendererTest, RendersSelectableTextBoxesAndProductionNumbers) {
  PdfDocumentSpec spec;
  spec.title = "Record 12";
  spec.created = "2026-11-29T00:00:00";
  std::string long_body;
  for (int i = 0; i < 120; ++i) {
    long_body += "Line " + std::to_string(i) + " about the parking fee increase.\n";
  }
  spec.sections = {{"Subject", "Parking fee [REDACTED: SSN #1, RSMo 610.035] follow-up", false},
                   {"Body", long_body, false}};
  spec.redaction_markers = {"[REDACTED: SSN #1, RSMo 610.035]"};
  spec.production_prefix = "SOS";
  spec.first_production = 7;
  spec.footer = "Request 2026-0001, record 12";
  auto pdf = RenderPdf(spec);
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  EXPECT_GE(pdf->pages, 2);
  auto again = RenderPdf(spec);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(pdf->bytes, again->bytes) << "output must be reproducible";
  TempDir dir;
  auto text = PdfToText(pdf->bytes, dir.path());
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("SOS-000007"), std::string::npos);
  EXPECT_NE(text->find("SOS-000008"), std::string::npos);
  EXPECT_NE(text->find("REDACTED: SSN #1, RSMo 610.035"), std::string::npos);
  EXPECT_NE(text->find("Line 119 about the parking fee"), std::string::npos);
  EXPECT_FALSE(InflatedPdfStreams(pdf->bytes).empty());
}

TEST(LeakGateTest, FindsValuesInOtherCaseSeparatorsAndDigitsOnly) {
  EXPECT_TRUE(ContainsRedactedValue("ssn 123-45-6789 here", "123-45-6789", true));
  EXPECT_TRUE(ContainsRedactedValue("ssn 123456789 here", "123-45-6789", false));
  EXPECT_TRUE(ContainsRedactedValue("ssn 123 45 6789 here", "123-45-6789", true));
  EXPECT_TRUE(ContainsRedactedValue("ssn 123.45.6789 here", "123-45-6789", true));
  EXPECT_TRUE(ContainsRedactedValue("scan-123-45-6789.pdf", "123456789", true));
  EXPECT_TRUE(ContainsRedactedValue("Mail JANE.DOE@EXAMPLE.ORG", "jane.doe@example.org", false));
  EXPECT_TRUE(ContainsRedactedValue("card 4111 1111 1111 1111", "4111111111111111", true));
  EXPECT_TRUE(ContainsRedactedValue("call (573) 555-0142", "573-555-0142", true));
  // Not inside a longer number, not spread over unrelated words.
  EXPECT_FALSE(ContainsRedactedValue("order 91234567890", "123-45-6789", true));
  EXPECT_FALSE(ContainsRedactedValue("SOS-000001 SOS-000002", "123-45-6789", true));
  EXPECT_FALSE(ContainsRedactedValue("plann leeway", "Ann Lee", true));
  EXPECT_TRUE(ContainsRedactedValue("from ann  lee today", "Ann Lee", true));
}

TEST(LeakGateTest, ScansEntryNamesContentAndPdfText) {
  TempDir dir;
  PdfDocumentSpec spec;
  spec.created = "2026-11-29T00:00:00";
  spec.sections = {{"", "Resident phone 573 555 0142 left in by mistake", false}};
  auto pdf = RenderPdf(spec);
  ASSERT_TRUE(pdf.ok());
  std::vector<ZipEntry> entries = {{"bag/data/ok.txt", "nothing here"},
                                   {"bag/data/scan-123-45-6789.txt", "x"},
                                   {"bag/data/r.pdf", pdf->bytes}};
  Path zip = dir.path() / "leak.zip";
  ASSERT_TRUE(WriteZip(zip, entries).ok());
  std::vector<LeakProbe> probes = {{12, "ssn", "123-45-6789"}, {13, "phone", "(573) 555-0142"}};
  auto hits = ScanZipForLeaks(zip, probes, dir.path());
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  bool name_hit = false;
  bool pdf_hit = false;
  for (const LeakHit& hit : *hits) {
    name_hit = name_hit || (hit.where == "file name" && hit.record_id == 12);
    pdf_hit = pdf_hit || (hit.where == "pdftotext" && hit.record_id == 13);
    EXPECT_EQ(hit.Describe().find("6789"), std::string::npos) << "never the value";
    EXPECT_EQ(hit.Describe().find("0142"), std::string::npos) << "never the value";
  }
  EXPECT_TRUE(name_hit);
  EXPECT_TRUE(pdf_hit);
}

}  // namespace
}  // namespace sunshine
