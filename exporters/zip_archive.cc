#include "exporters/zip_archive.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/Compress.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <fstream>
#include <sstream>

#include "engine/store/blob_store.h"

namespace sunshine {

Status WriteZip(const Path& target, const std::vector<ZipEntry>& entries) {
  std::ostringstream out(std::ios::binary);
  try {
    // seekableOut = true writes sizes into the local headers; forceZip64 per dependencies.md.
    Poco::Zip::Compress compress(out, true, true);
    const Poco::DateTime fixed(2000, 1, 1);
    for (const ZipEntry& entry : entries) {
      std::istringstream in(entry.bytes);
      compress.addFile(in, fixed, Poco::Path(entry.name, Poco::Path::PATH_UNIX),
                       Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_NORMAL);
    }
    compress.close();
  } catch (const Poco::Exception& error) {
    return Status::IoError("cannot write " + target.string() + ": " + error.displayText());
  }
  // Temp file, fsync, rename: a crash leaves no half-written archive under `target`.
  return WriteFileAtomically(target, out.str());
}

Result<std::vector<ZipEntry>> ReadZip(const Path& file, std::vector<ZipReadProblem>* problems) {
  std::ifstream in(file.string(), std::ios::binary);
  if (!in) {
    return Status::NotFound("cannot open " + file.string());
  }
  std::vector<ZipEntry> entries;
  try {
    Poco::Zip::ZipArchive archive(in);
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
      if (it->second.isDirectory()) {
        continue;
      }
      ZipEntry entry;
      entry.name = it->first;
      try {
        in.clear();
        Poco::Zip::ZipInputStream stream(in, it->second);
        std::ostringstream bytes;
        Poco::StreamCopier::copyStream(stream, bytes);
        if (!stream.crcValid()) {
          if (problems != nullptr) {
            problems->push_back({entry.name, "CRC mismatch"});
          }
          continue;
        }
        entry.bytes = bytes.str();
      } catch (const Poco::Exception& error) {
        if (problems != nullptr) {
          problems->push_back({entry.name, "cannot read: " + error.displayText()});
        }
        continue;
      }
      entries.push_back(std::move(entry));
    }
  } catch (const Poco::Exception& error) {
    return Status::Corruption(file.string() +
                              " is not a readable ZIP archive: " + error.displayText());
  }
  return entries;
}

}  // namespace sunshine
