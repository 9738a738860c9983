#include "importers/mail/virus_scanner.h"

#include <clamav.h>

#include <mutex>
#include <string>

#include "engine/core/path.h"

namespace sunshine::mail {

namespace {

// libclamav logs to stderr by default; the importer reports in its own summary instead.
void QuietClamav(enum cl_msg, const char*, const char*, void*) {}

cl_error_t InitOnce() {
  static cl_error_t result = [] {
    cl_set_clcb_msg(QuietClamav);
    return cl_init(CL_INIT_DEFAULT);
  }();
  return result;
}

}  // namespace

std::unique_ptr<VirusScanner> VirusScanner::Open(const std::string& database) {
  std::unique_ptr<VirusScanner> scanner(new VirusScanner());
  scanner->database_ = database;
  cl_error_t init = InitOnce();
  if (init != CL_SUCCESS) {
    scanner->problem_ = std::string("libclamav init failed: ") + cl_strerror(init);
    return scanner;
  }
  boost::system::error_code ec;
  if (!boost::filesystem::exists(Path(database), ec)) {
    scanner->problem_ = "virus signature folder " + database + " does not exist";
    return scanner;
  }
  if (boost::filesystem::is_directory(Path(database), ec) &&
      boost::filesystem::is_empty(Path(database), ec)) {
    scanner->problem_ = "no virus signatures in " + database;
    return scanner;
  }
  struct cl_engine* engine = cl_engine_new();
  if (engine == nullptr) {
    scanner->problem_ = "libclamav could not create an engine";
    return scanner;
  }
  unsigned signatures = 0;
  cl_error_t loaded = cl_load(database.c_str(), engine, &signatures, CL_DB_STDOPT);
  if (loaded != CL_SUCCESS || signatures == 0) {
    scanner->problem_ = loaded != CL_SUCCESS ? "cannot load virus signatures from " + database +
                                                   ": " + cl_strerror(loaded)
                                             : "no virus signatures in " + database;
    cl_engine_free(engine);
    return scanner;
  }
  cl_error_t compiled = cl_engine_compile(engine);
  if (compiled != CL_SUCCESS) {
    scanner->problem_ = std::string("cannot compile virus signatures: ") + cl_strerror(compiled);
    cl_engine_free(engine);
    return scanner;
  }
  scanner->engine_ = engine;
  scanner->signatures_ = signatures;
  return scanner;
}

VirusScanner::~VirusScanner() {
  if (engine_ != nullptr) {
    cl_engine_free(engine_);
  }
}

ScanResult VirusScanner::Scan(std::string_view bytes, std::string_view name) const {
  ScanResult result;
  if (engine_ == nullptr) {
    return result;
  }
  cl_fmap_t* map = cl_fmap_open_memory(bytes.data(), bytes.size());
  if (map == nullptr) {
    result.status = "error";
    result.detail = "cannot map attachment for scanning";
    return result;
  }
  struct cl_scan_options options = {};
  options.parse = ~0U;  // unpack archives, mail, documents: scan what is inside too
  options.general = 0;
  const char* virus = nullptr;
  unsigned long scanned = 0;
  std::string filename(name);
  cl_error_t rc =
      cl_scanmap_callback(map, filename.c_str(), &virus, &scanned, engine_, &options, nullptr);
  cl_fmap_close(map);
  if (rc == CL_VIRUS) {
    result.status = "infected";
    result.detail = virus != nullptr ? virus : "unknown";
  } else if (rc == CL_CLEAN) {
    result.status = "clean";
  } else {
    result.status = "error";
    result.detail = cl_strerror(rc);
  }
  return result;
}

}  // namespace sunshine::mail
