#include "engine/visits/visit_settings.h"

namespace sunshine {

Result<VisitSettings> LoadVisitSettings(const Config& config) {
  VisitSettings s;
  SUNSHINE_ASSIGN_OR_RETURN(s.timezone, config.String("visits.timezone", s.timezone));
  SUNSHINE_ASSIGN_OR_RETURN(s.raw_retention_days,
                            config.Int("visits.raw_retention_days", s.raw_retention_days));
  if (s.raw_retention_days < 1) {
    return Status::InvalidInput(config.source() + ": visits.raw_retention_days must be >= 1");
  }
  if (config.Has("visits.raw_retention_days")) {
    s.retention_source = "config visits.raw_retention_days";
  }
  SUNSHINE_ASSIGN_OR_RETURN(s.page_view_methods,
                            config.StringList("visits.page_view_methods", s.page_view_methods));
  SUNSHINE_ASSIGN_OR_RETURN(std::int64_t max_status,
                            config.Int("visits.page_view_max_status", s.page_view_max_status));
  if (max_status < 100 || max_status > 599) {
    return Status::InvalidInput(config.source() + ": visits.page_view_max_status must be 100..599");
  }
  s.page_view_max_status = static_cast<int>(max_status);
  SUNSHINE_ASSIGN_OR_RETURN(s.static_extensions,
                            config.StringList("visits.static_extensions", s.static_extensions));
  SUNSHINE_ASSIGN_OR_RETURN(s.excluded_paths,
                            config.StringList("visits.excluded_paths", s.excluded_paths));
  SUNSHINE_ASSIGN_OR_RETURN(s.site_hosts, config.StringList("visits.site_hosts", s.site_hosts));
  SUNSHINE_ASSIGN_OR_RETURN(s.top_n, config.Int("visits.top_n", s.top_n));
  if (s.top_n < 1) {
    return Status::InvalidInput(config.source() + ": visits.top_n must be >= 1");
  }
  SUNSHINE_ASSIGN_OR_RETURN(s.uap_regexes, config.String("visits.uap_regexes", s.uap_regexes));
  SUNSHINE_ASSIGN_OR_RETURN(s.drop_folders,
                            config.StringList("import.visits_drop", s.drop_folders));
  return s;
}

}  // namespace sunshine
