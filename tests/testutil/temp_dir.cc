#include "tests/testutil/temp_dir.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sunshine::testing {

namespace fs = boost::filesystem;

TempDir::TempDir() {
  path_ = fs::temp_directory_path() / fs::unique_path("sunshine-test-%%%%-%%%%-%%%%");
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  if (std::getenv("SUNSHINE_KEEP_TEST_DIRS") == nullptr) {
    boost::system::error_code ec;
    fs::remove_all(path_, ec);
  }
}

void WriteTextFile(const Path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file.string(), std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string ReadTextFile(const Path& file) {
  std::ifstream in(file.string(), std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Path SharedCorpora() {
  Path corpora = Path(SUNSHINE_SOURCE_DIR).parent_path() / "shared" / "corpora";
  boost::system::error_code ec;
  return fs::is_directory(corpora, ec) ? corpora : Path();
}

}  // namespace sunshine::testing
