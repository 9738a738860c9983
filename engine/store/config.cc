#include "engine/store/config.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include <utility>

namespace sunshine {

struct Config::Impl {
  toml::table table;
};

Config::Config() : impl_(std::make_unique<Impl>()) {}
Config::~Config() = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;

Result<Config> Config::Parse(std::string_view text, const std::string& source_name) {
  Config config;
  config.source_ = source_name;
  try {
    config.impl_->table = toml::parse(text, source_name);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << source_name << ":" << error.source().begin.line << ":" << error.source().begin.column
            << ": " << error.description();
    return Status::InvalidInput(message.str());
  }
  return config;
}

Result<Config> Config::Load(const Path& file) {
  boost::system::error_code ec;
  if (!boost::filesystem::exists(file, ec)) {
    return Status::NotFound("configuration file " + file.string() + " does not exist");
  }
  std::ifstream in(file.string(), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    return Status::IoError("cannot read " + file.string());
  }
  return Parse(text.str(), file.string());
}

namespace {

template <typename T>
Result<T> Typed(const toml::table& table, std::string_view key, const std::string& source,
                T fallback, const char* type_name) {
  auto node = table.at_path(key);
  if (!node) {
    return fallback;
  }
  if constexpr (std::is_same_v<T, double>) {
    if (auto v = node.value<double>()) {
      return *v;
    }
  } else {
    if (auto v = node.template value_exact<T>()) {
      return *v;
    }
  }
  std::ostringstream message;
  message << source << ":" << node.node()->source().begin.line << ": key '" << key << "' must be "
          << type_name;
  return Status::InvalidInput(message.str());
}

}  // namespace

Result<std::string> Config::String(std::string_view key, std::string_view fallback) const {
  return Typed<std::string>(impl_->table, key, source_, std::string(fallback), "a string");
}

Result<std::int64_t> Config::Int(std::string_view key, std::int64_t fallback) const {
  return Typed<std::int64_t>(impl_->table, key, source_, fallback, "an integer");
}

Result<double> Config::Real(std::string_view key, double fallback) const {
  return Typed<double>(impl_->table, key, source_, fallback, "a number");
}

Result<bool> Config::Bool(std::string_view key, bool fallback) const {
  return Typed<bool>(impl_->table, key, source_, fallback, "true or false");
}

Result<std::vector<std::string>> Config::StringList(std::string_view key,
                                                    std::vector<std::string> fallback) const {
  auto node = std::as_const(impl_->table).at_path(key);
  if (!node) {
    return fallback;
  }
  std::vector<std::string> out;
  if (auto single = node.value_exact<std::string>()) {
    out.push_back(*single);
    return out;
  }
  const toml::array* array = node.as_array();
  bool ok = array != nullptr;
  if (ok) {
    for (const toml::node& element : *array) {
      auto value = element.value_exact<std::string>();
      if (!value) {
        ok = false;
        break;
      }
      out.push_back(*value);
    }
  }
  if (!ok) {
    std::ostringstream message;
    message << source_ << ":" << node.node()->source().begin.line << ": key '" << key
            << "' must be a list of strings";
    return Status::InvalidInput(message.str());
  }
  return out;
}

bool Config::Has(std::string_view key) const {
  return static_cast<bool>(impl_->table.at_path(key));
}

}  // namespace sunshine
