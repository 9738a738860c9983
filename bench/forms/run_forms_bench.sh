#!/usr/bin/env bash
# End-to-end import of a fixed, generated export of web-form submissions (CSV and JSON Lines,
# 100,000 each by default) into a fresh home with FTS indexing, on one core (taskset). Prints
# submissions/s, MB/s and peak RSS from /usr/bin/time -v.
#
#   bench/forms/run_forms_bench.sh BUILD_DIR [WORK_DIR] [COUNT]
# BUILD_DIR holds the sunshine binary (a Release build: build-<name>-rel).
set -euo pipefail
build_dir=${1:?usage: run_forms_bench.sh BUILD_DIR [WORK_DIR] [COUNT]}
work=${2:-/tmp/sunshine-forms-bench}
count=${3:-100000}
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
sunshine="$build_dir/engine/sunshine"
[ -x "$sunshine" ] || sunshine="$build_dir/sunshine"
mkdir -p "$work"
pin=""
command -v taskset > /dev/null && pin="taskset -c 0"

for format in csv jsonl; do
  input="$work/submissions-$count.$format"
  [ -s "$input" ] || python3 "$here/generate_submissions.py" --count "$count" --format "$format" > "$input"
  home="$work/home-$format"
  rm -rf "$home"
  "$sunshine" --home "$home" --quiet init > /dev/null
  report="$work/time-$format.txt"
  /usr/bin/time -v $pin "$sunshine" --home "$home" --quiet import forms \
    --definitions "$source_dir/examples/forms" "$input" > "$work/out-$format.txt" 2> "$report" || true
  seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$report")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$report")
  mb=$(du -m "$input" | cut -f1)
  printf 'import forms %-5s %7d submissions %5d MiB  %7.2f s  %9.0f submissions/s  %6.1f MB/s  peak RSS %7.1f MiB\n' \
    "$format" "$count" "$mb" "$seconds" "$(echo "$count / $seconds" | bc -l)" \
    "$(echo "$mb / $seconds" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  tail -n 3 "$work/out-$format.txt"
done
