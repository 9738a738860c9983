#!/usr/bin/env bash
# Import + aggregation of a fixed, generated 1,000,000-line combined log by sunshine, side by
# side with goaccess producing its JSON report from the same file. Prints lines/s and peak
# RSS for each, on one core (taskset), from /usr/bin/time -v.
#
#   bench/visits/run_visits_bench.sh BUILD_DIR [WORK_DIR] [LINES]
# BUILD_DIR holds the sunshine binary (a Release build: build-<name>-rel).
# REPEAT=N (default 3) runs every measurement N times and reports the run with the least CPU
# time, for sunshine and goaccess alike: on a shared machine the neighbours only ever add.
# CORE=N (default 0) is the core every command is pinned to (another one when a neighbour
# pins its own benchmarks to core 0).
# Figures and how to read them: bench/visits/README.md.
set -euo pipefail
build_dir=${1:?usage: run_visits_bench.sh BUILD_DIR [WORK_DIR] [LINES]}
work=${2:-/tmp/sunshine-visits-bench}
lines=${3:-1000000}
repeat=${REPEAT:-3}
here=$(cd "$(dirname "$0")" && pwd)
sunshine="$build_dir/engine/sunshine"
[ -x "$sunshine" ] || sunshine="$build_dir/sunshine"
mkdir -p "$work"
log="$work/access-$lines.log"
if [ ! -s "$log" ]; then
  python3 "$here/generate_access_log.py" --lines "$lines" --days 7 --start 2026-03-01 > "$log"
fi
pin=""
command -v taskset > /dev/null && pin="taskset -c ${CORE:-0}"
home="$work/home"
declare -A best_cpu_of best_wall_of

fresh_home() {
  rm -rf "$home"
  "$sunshine" --home "$home" --quiet init > /dev/null
}
imported_home() {
  fresh_home
  "$sunshine" --home "$home" --quiet import visits "$log" > /dev/null || true
}

measure() {  # label, setup function (or ":"), command...
  # Wall time on a shared machine mostly measures the neighbours, so CPU time (user + sys,
  # one core) is the comparison figure; wall time is printed beside it.
  local label=$1 setup=$2
  shift 2
  local best="" best_cpu=""
  for ((run = 1; run <= repeat; run++)); do
    "$setup"
    local report="$work/time-$label-$run.txt"
    /usr/bin/time -v $pin "$@" > /dev/null 2> "$report" || true
    local cpu
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$report")
    if [ -z "$best" ] || [ "$(echo "$cpu < $best_cpu" | bc -l)" = 1 ]; then
      best=$report
      best_cpu=$cpu
    fi
  done
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$best")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$best")
  printf '%-26s cpu %7.2f s %10.0f lines/cpu-s | wall %7.2f s %10.0f lines/s | peak RSS %6.1f MiB\n' \
    "$label" "$best_cpu" "$(echo "$lines / $best_cpu" | bc -l)" "$wall" \
    "$(echo "$lines / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  best_cpu_of[$label]=$best_cpu
  best_wall_of[$label]=$wall
}

echo "input: $log ($lines lines, $(du -mL "$log" | cut -f1) MiB); best of $repeat runs each"
measure "sunshine import" fresh_home "$sunshine" --home "$home" --quiet import visits "$log"
measure "sunshine aggregate" imported_home \
  "$sunshine" --home "$home" --quiet --as-of 2100-01-01 visits aggregate
measure "sunshine import+aggregate" fresh_home sh -c \
  "'$sunshine' --home '$home' --quiet import visits '$log' && '$sunshine' --home '$home' --quiet --as-of 2100-01-01 visits aggregate"
# The same work in one process, as the nightly run does it (`import visits --aggregate`).
measure "sunshine import --aggregate" fresh_home \
  "$sunshine" --home "$home" --quiet --as-of 2100-01-01 import visits --aggregate "$log"
echo "store after import+aggregate: $(du -sm "$home" | cut -f1) MiB, of which raw-line files" \
  "$(du -sm "$home/visits-raw" 2> /dev/null | cut -f1) MiB (LZ4, visits-raw/)"
measure "goaccess JSON report" : goaccess "$log" --log-format=COMBINED -o "$work/report.json"
for label in "sunshine import --aggregate" "sunshine import+aggregate"; do
  printf '%s vs goaccess: %.1f times the throughput in CPU time, %.1f in wall time (goal: 10)\n' \
    "$label" "$(echo "${best_cpu_of[goaccess JSON report]} / ${best_cpu_of[$label]}" | bc -l)" \
    "$(echo "${best_wall_of[goaccess JSON report]} / ${best_wall_of[$label]}" | bc -l)"
done
