#include "engine/retention/retention_config.h"

#include "schedules/schedule_loader.h"

namespace sunshine {

namespace {

bool IsDir(const Path& path) {
  boost::system::error_code ec;
  return boost::filesystem::is_directory(path, ec);
}

}  // namespace

Path DefaultSchedulesDir(const Home& home) {
  Path in_home = home.root() / "schedules";
  if (IsDir(in_home)) {
    return in_home;
  }
  Path installed(SUNSHINE_SCHEDULES_INSTALL_DIR);
  if (IsDir(installed)) {
    return installed;
  }
  return Path(SUNSHINE_SCHEDULES_SOURCE_DIR);
}

Result<RetentionSettings> LoadRetentionSettings(const Store& store) {
  const Config& config = store.config();
  RetentionSettings settings;
  SUNSHINE_ASSIGN_OR_RETURN(std::string dir, config.String("retention.schedules", ""));
  settings.schedules_dir =
      dir.empty() ? DefaultSchedulesDir(store.home()) : store.home().Resolve(dir);
  SUNSHINE_ASSIGN_OR_RETURN(std::string fy, config.String("retention.fiscal_year_start", "07-01"));
  auto start = ParseFiscalYearStart(fy);
  if (!start.ok()) {
    return Status::InvalidInput(config.source() +
                                ": retention.fiscal_year_start: " + start.status().message());
  }
  settings.fiscal_year_start = *start;
  SUNSHINE_ASSIGN_OR_RETURN(settings.require_approval,
                            config.Bool("retention.require_approval", true));
  SUNSHINE_ASSIGN_OR_RETURN(settings.hold_review_months,
                            config.Int("retention.hold_review_months", 6));
  if (settings.hold_review_months < 1 || settings.hold_review_months > 120) {
    return Status::InvalidInput(config.source() +
                                ": retention.hold_review_months must be between 1 and 120");
  }
  SUNSHINE_ASSIGN_OR_RETURN(settings.transfer_keep_local_copy,
                            config.Bool("retention.transfer_keep_local_copy", true));
  SUNSHINE_ASSIGN_OR_RETURN(settings.compact_after_destroy,
                            config.Bool("retention.compact_after_destroy", true));
  return settings;
}

Result<RetentionContext> LoadRetentionContext(const Store& store) {
  RetentionContext context;
  SUNSHINE_ASSIGN_OR_RETURN(context.settings, LoadRetentionSettings(store));
  SUNSHINE_ASSIGN_OR_RETURN(context.schedules, LoadScheduleSet(context.settings.schedules_dir));
  return context;
}

std::optional<SysDays> KindRetention::DueDate(SysDays day) const {
  if (period.permanent || disposition == Disposition::kPermanent) {
    return std::nullopt;
  }
  return AddPeriod(ApplyCutoff(day, cutoff, fiscal_year_start), period.years, period.months,
                   period.days);
}

bool KindRetention::IsDue(SysDays day, SysDays today) const {
  auto due = DueDate(day);
  return due.has_value() && *due <= today;
}

Result<KindRetention> RetentionForRecordKind(const Store& store, std::string_view kind) {
  SUNSHINE_ASSIGN_OR_RETURN(RetentionContext context, LoadRetentionContext(store));
  SUNSHINE_ASSIGN_OR_RETURN(const ScheduleItem* item, context.schedules.ItemForKind(kind));
  if (item->retention.event_based()) {
    return Status::FailedPrecondition("schedule item " + item->id + " for '" + std::string(kind) +
                                      "' is event-based; rows of this kind need a fixed period");
  }
  KindRetention out;
  out.item_id = item->id;
  out.title = item->title;
  out.citation = item->citation;
  out.authority = item->authority;
  out.schedule_id = item->schedule_id;
  out.schedule_version = item->schedule_version;
  out.period = item->retention;
  out.period_text = item->retention.ToString();
  out.cutoff = item->cutoff;
  out.disposition = item->disposition;
  out.fiscal_year_start = context.settings.fiscal_year_start;
  return out;
}

}  // namespace sunshine
