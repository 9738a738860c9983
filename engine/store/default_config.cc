#include "engine/store/config.h"

namespace sunshine {

// Each feature documents its own keys here; every key is optional and shown with its default.
std::string_view DefaultConfigText() {
  return R"toml(# Sunshine configuration. Every key is optional; the value shown is the default.
# Relative paths are relative to the Sunshine home directory (the folder holding this file).

[office]
name = "Office of the Secretary of State (example)"
# Prefix of production numbers stamped on disclosed pages, e.g. SOS-000001.
production_prefix = "SOS"
# The office's own mail domains: staff correspondents' names and addresses are not redacted
# (subdomains count too).
staff_domains = ["sos.mo.gov"]

[redaction]
# Redaction policy file (docs/formats/redaction-policy.md); empty: the built-in default
# (data/redaction/policy.toml in the source tree).
policy = ""

[requests]
# Sunshine Law requests (RSMo 610.023-610.026). Extra days the office is closed (e.g. by
# executive order, like the day after Thanksgiving); weekends and RSMo 9.010 holidays are built in.
closure_days = []
# RSMo 9.010 moves a Sunday holiday to Monday and says nothing of Saturday: "none" or "friday".
saturday_holidays = "none"
juneteenth_from_year = 2022
# Days after a request closes before its automatic hold on the responsive records is released.
hold_release_days = 90
# Fees (RSMo 610.026): paper copies at most 10 cents per page; clerical staff's average hourly
# rate (dollars); research time at actual cost (dollars per hour); minutes per SSN redacted
# (chargeable under RSMo 610.035); default duplication minutes per record for estimates.
copy_cents_per_page = 10
clerical_hourly_rate = 0.0
research_hourly_rate = 0.0
ssn_redaction_minutes = 1.0
clerical_minutes_per_record = 5.0

[fixity]
# Every stored blob is re-hashed once per cycle; the nightly run checks a rotating share.
cycle_days = 30

[forms]
# Folder of web-form definitions, one TOML file per form (docs/formats/form-definition.md).
# `sunshine init` does not create it; examples are in the source tree's examples/forms/.
definitions = "forms"

[import]
# (One [import] table for every importer: add keys here rather than opening a second one.)
# Drop folders the nightly run imports web-form submissions from (JSON, JSON Lines, CSV;
# docs/formats/form-submissions.md). Each file is imported once, however often it is seen.
forms_drop = ["drop/forms"]
# Drop folders the nightly run imports mail from: .eml files, mbox files (also .gz) and
# Maildir folders, detected by content (docs/formats/mail-input.md). A file already imported
# from the same place with the same bytes is skipped.
mail_drop = ["drop/mail"]
# Drop folders the nightly run imports web access logs from (Apache/nginx common, combined,
# %v-prefixed; plain or .gz). Rotated copies are recognised: no line is counted twice.
visits_drop = ["drop/visits"]

[mail]
# ClamAV signature database (a folder of .cvd/.cld/.hdb/.ndb... files, or one file) used to
# scan every attachment. Without signatures attachments are not scanned and every import
# and nightly summary says so loudly. This machine is offline: feed signatures from outside.
clamav_db = "/var/lib/clamav"

[retention]
# Folder of retention schedule files (*.toml, docs/formats/schedule-format.md). Empty:
# HOME/schedules if that folder exists, else the installed example schedules
# (share/sunshine/schedules). The shipped items are EXAMPLES: put the office's approved
# schedule in HOME/schedules.
schedules = ""
# First day of the fiscal year (MM-DD) for fiscal-year cutoffs; Missouri's starts July 1.
fiscal_year_start = "07-01"
# Destroy or transfer only records on a disposition list a person approved
# (`sunshine dispose approve`). false lets the nightly run approve its own lists.
require_approval = true
# Holds not reviewed (`sunshine hold review`) for this many months are flagged nightly.
hold_review_months = 6
# After a verified transfer to the State Archives, keep the local copy (false: remove its content).
transfer_keep_local_copy = true
# Rewrite the database (VACUUM) after destroying records so no freed page keeps their text.
compact_after_destroy = true

[visits]
# Visit statistics (docs/formats/visit-statistics.md). Days are counted in this tz zone.
timezone = "America/Chicago"
# Raw lines (the only place visitor addresses are kept) follow the schedule item for kind
# "visit-log"; this applies only while no item names that kind.
raw_retention_days = 90
# Page views: these methods, status at most page_view_max_status, paths that neither end in a
# static extension nor are excluded. Known bots never count as page views or visitors.
page_view_methods = ["GET", "POST"]
page_view_max_status = 399
static_extensions = [".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".avif", ".bmp", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp4", ".webm", ".mp3", ".json", ".xml", ".txt", ".gz", ".zip"]
excluded_paths = ["/robots.txt", "/favicon.ico", "/sitemap.xml"]
# The site's own host names: referrers from these are internal, not "referring sites".
site_hosts = []
# Pages, referring sites and visitor domains kept per aggregated day (the rest is "(other)").
top_n = 100
uap_regexes = "/usr/share/uap-core/regexes.yaml"
)toml";
}

}  // namespace sunshine
