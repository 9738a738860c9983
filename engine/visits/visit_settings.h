// Visit-statistics settings from sunshine.toml (keys under [visits], documented in
// docs/formats/visit-statistics.md), read once per command or nightly step.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/store/config.h"

namespace sunshine {

// Why 90 days: Missouri's schedules name no item for web visit logs (missouri-law.md:
// "NOT FOUND"), so the default must be a placeholder until the office's approved item is
// configured. 90 days covers a quarter of statistics re-runs and incident look-backs while
// keeping addresses for the shortest time that serves the stated purpose (the privacy
// policy: statistics only); Matomo's "delete old raw data" suggests the same order.
inline constexpr std::int64_t kDefaultRawRetentionDays = 90;

struct VisitSettings {
  std::string timezone = "America/Chicago";
  std::int64_t raw_retention_days = kDefaultRawRetentionDays;
  std::string retention_source = "config visits.raw_retention_days (default 90)";
  // Page views: these methods, status below page_view_max_status, and a path that neither
  // ends in a static extension nor is listed in excluded_paths. Known bots never count.
  std::vector<std::string> page_view_methods = {"GET", "POST"};
  int page_view_max_status = 399;
  std::vector<std::string> static_extensions = {
      ".css", ".js",   ".mjs",  ".map",  ".png",  ".jpg",   ".jpeg", ".gif", ".svg",
      ".ico", ".webp", ".avif", ".bmp",  ".woff", ".woff2", ".ttf",  ".otf", ".eot",
      ".mp4", ".webm", ".mp3",  ".json", ".xml",  ".txt",   ".gz",   ".zip"};
  std::vector<std::string> excluded_paths = {"/robots.txt", "/favicon.ico", "/sitemap.xml"};
  // Host names of the site itself: a referrer from one of these is internal.
  std::vector<std::string> site_hosts;
  // How many pages and referring sites an aggregated day keeps; the rest is "(other)".
  std::int64_t top_n = 100;
  std::string uap_regexes = "/usr/share/uap-core/regexes.yaml";
  std::vector<std::string> drop_folders = {"drop/visits"};
};

// InvalidInput naming the key when a value has the wrong type or is out of range.
Result<VisitSettings> LoadVisitSettings(const Config& config);

}  // namespace sunshine
