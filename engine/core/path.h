#pragma once

#include <boost/filesystem.hpp>

namespace sunshine {

using Path = boost::filesystem::path;

}  // namespace sunshine
