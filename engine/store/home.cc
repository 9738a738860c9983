#include "engine/store/home.h"

#include <cstdlib>

namespace sunshine {

Home Home::Resolve(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) {
    return Home(Path(*flag));
  }
  if (const char* env = std::getenv("SUNSHINE_HOME"); env != nullptr && *env != '\0') {
    return Home(Path(env));
  }
  return Home(Path("sunshine-home"));
}

Path Home::Resolve(const std::string& configured) const {
  Path path(configured);
  return path.is_absolute() ? path : root_ / path;
}

bool Home::Exists() const {
  boost::system::error_code ec;
  return boost::filesystem::exists(database_file(), ec);
}

}  // namespace sunshine
