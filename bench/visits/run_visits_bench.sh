#!/usr/bin/env bash
# Import + aggregation of a fixed, generated 1,000,000-line combined log by sunshine, side by
# side with goaccess producing its JSON report from the same file. Prints lines/s and peak
# RSS for each, on one core (taskset), from /usr/bin/time -v.
#
#   bench/visits/run_visits_bench.sh BUILD_DIR [WORK_DIR] [LINES]
# BUILD_DIR holds the sunshine binary (a Release build: build-<name>-rel).
set -euo pipefail
build_dir=${1:?usage: run_visits_bench.sh BUILD_DIR [WORK_DIR] [LINES]}
work=${2:-/tmp/sunshine-visits-bench}
lines=${3:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
sunshine="$build_dir/engine/sunshine"
[ -x "$sunshine" ] || sunshine="$build_dir/sunshine"
mkdir -p "$work"
log="$work/access-$lines.log"
if [ ! -s "$log" ]; then
  python3 "$here/generate_access_log.py" --lines "$lines" --days 7 --start 2026-03-01 > "$log"
fi
pin=""
command -v taskset > /dev/null && pin="taskset -c 0"

measure() {  # label, command...
  # Wall time on a shared machine mostly measures the neighbours, so CPU time (user + sys,
  # one core) is the comparison figure; wall time is printed beside it.
  local label=$1
  shift
  local report="$work/time-$label.txt"
  /usr/bin/time -v $pin "$@" > /dev/null 2> "$report" || true
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$report")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$report")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$report")
  printf '%-26s cpu %7.2f s %10.0f lines/cpu-s | wall %7.2f s %10.0f lines/s | peak RSS %6.1f MiB\n' \
    "$label" "$cpu" "$(echo "$lines / $cpu" | bc -l)" "$wall" "$(echo "$lines / $wall" | bc -l)" \
    "$(echo "$rss / 1024" | bc -l)"
}

home="$work/home"
rm -rf "$home"
"$sunshine" --home "$home" --quiet init > /dev/null
echo "input: $log ($lines lines, $(du -m "$log" | cut -f1) MiB)"
measure "sunshine import" "$sunshine" --home "$home" --quiet import visits "$log"
measure "sunshine aggregate" "$sunshine" --home "$home" --quiet --as-of 2100-01-01 visits aggregate
rm -rf "$home"
"$sunshine" --home "$home" --quiet init > /dev/null
measure "sunshine import+aggregate" sh -c "'$sunshine' --home '$home' --quiet import visits '$log' && '$sunshine' --home '$home' --quiet --as-of 2100-01-01 visits aggregate"
measure "goaccess JSON report" goaccess "$log" --log-format=COMBINED -o "$work/report.json"
