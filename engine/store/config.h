// sunshine.toml, read with toml++ (hand-edited files want comments and line-numbered errors).
// Keys are dotted paths ("fixity.cycle_days"). Absent keys give the default; a key of the
// wrong type is an InvalidInput naming the file, line and key.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/path.h"
#include "engine/core/result.h"

namespace sunshine {

class Config {
 public:
  Config();  // empty: every key takes its default
  ~Config();
  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;

  // InvalidInput "file:line:col: reason" on a syntax error; NotFound if missing.
  static Result<Config> Load(const Path& file);
  static Result<Config> Parse(std::string_view text, const std::string& source_name);

  Result<std::string> String(std::string_view key, std::string_view fallback) const;
  Result<std::int64_t> Int(std::string_view key, std::int64_t fallback) const;
  Result<double> Real(std::string_view key, double fallback) const;
  Result<bool> Bool(std::string_view key, bool fallback) const;
  Result<std::vector<std::string>> StringList(std::string_view key,
                                              std::vector<std::string> fallback) const;
  bool Has(std::string_view key) const;
  const std::string& source() const { return source_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string source_;
};

// The commented configuration written by `sunshine init`.
std::string_view DefaultConfigText();

}  // namespace sunshine
