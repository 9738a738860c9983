// Virus scanning of attachments with libclamav (the office scans what it receives).
// Signatures come from a database folder (config `mail.clamav_db`, default the system's
// /var/lib/clamav); tests ship their own EICAR signature so they run offline.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/core/result.h"

struct cl_engine;

namespace sunshine::mail {

struct ScanResult {
  std::string status = "not-scanned";  // clean | infected | not-scanned | error
  std::string detail;                  // signature name or error text
};

class VirusScanner {
 public:
  // Loads every signature file in `database` (a folder or one file). A missing or empty
  // database is not an error: the scanner is then unavailable (signatures() == 0) and
  // every scan returns "not-scanned"; callers warn loudly.
  static std::unique_ptr<VirusScanner> Open(const std::string& database);
  ~VirusScanner();
  VirusScanner(const VirusScanner&) = delete;
  VirusScanner& operator=(const VirusScanner&) = delete;

  bool available() const { return engine_ != nullptr; }
  unsigned signatures() const { return signatures_; }
  // Why the scanner is unavailable ("" when available).
  const std::string& problem() const { return problem_; }
  const std::string& database() const { return database_; }

  ScanResult Scan(std::string_view bytes, std::string_view name) const;

 private:
  VirusScanner() = default;
  ::cl_engine* engine_ = nullptr;
  unsigned signatures_ = 0;
  std::string problem_;
  std::string database_;
};

}  // namespace sunshine::mail
