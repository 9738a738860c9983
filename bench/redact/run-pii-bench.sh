#!/usr/bin/env bash
# End-to-end PII scan benchmark: 1 GiB of generated e-mail-like text with planted personal
# data (fixed seed), `sunshine pii scan` with every detector on one core, side by side with
# ripgrep running one combined regex over the same file; then precision and recall.
#   bench/redact/run-pii-bench.sh BUILD_DIR [MEGABYTES]
# BUILD_DIR: a Release build configured with -DSUNSHINE_BUILD_BENCH=ON. Inputs go to /tmp.
#
# Measured 2026-11-29 (RelWithDebInfo, one core of the shared 2-core dev VM, 1 GiB):
#   sunshine  13.65 s CPU = 78.7 MB/s (wall 14.85 s = 72.3 MB/s), 4,644,922 spans;
#             start-up 0.08 s CPU
#   ripgrep    2.98 s CPU = 360.3 MB/s; sunshine / ripgrep CPU time 4.6
#   Back to back on the same file, the previous round's binary and this one: 14.20 s CPU =
#   75.6 MB/s (wall 14.23 s) before, 13.51 s CPU = 79.5 MB/s (wall 13.59 s) after, output
#   byte-identical. (Earlier rounds: 66.2 and 36.4 MB/s.) Issue #6's goal -- 100 MB/s and
#   within 2x ripgrep -- is NOT reached.
#   This round: the NANP and international phone shapes are matched by hand (a backtracking
#   matcher per pattern that follows RE2's leftmost-first priority order; the RE2 patterns
#   stay as the specification; a randomized differential test against RE2, 28 million NANP
#   and 38 million international cases, found no difference), so the RE2 number set holds
#   only IBAN and runs only where two letters and two digits occur. RE2 fell from 19.6% to 10.6% of CPU, but the hand matchers
#   and the phone context words they feed cost most of that back: 5% less CPU in all.
#   Where the time goes now (perf, 50 MB): the word pass (given names + trigger words, with
#   its hash look-ups) ~19%, Hyperscan triggers 16%, the kernel (reading the file, page
#   faults, zeroing fresh pages) 10-15%, RE2 (addresses, e-mail, IBAN) 10%, context words 5%,
#   phone matchers 5.5%, name rules 4%, other number-window work ~7%.
#   Recall/precision on this corpus: card, e-mail, IP, street 1.00/1.00;
#   IBAN 0.999/1.00; person 1.00/0.999; phone 1.00/0.968; SSN 1.00/0.984.
#   pii_scan_benchmark (8 MiB in memory): 250 MiB/s sparse, 91 MiB/s dense in personal data
#   (before, same machine back to back: 249 and 88).
set -euo pipefail
build="${1:?usage: run-pii-bench.sh BUILD_DIR [MEGABYTES]}"
megabytes="${2:-1024}"
here="$(cd "$(dirname "$0")" && pwd)"
work="${TMPDIR:-/tmp}/sunshine-pii-bench"
mkdir -p "$work"
corpus="$work/corpus-${megabytes}m.txt"
truth="$work/truth-${megabytes}m.tsv"
if [ ! -s "$corpus" ]; then
  "$build/bench/redact/generate_pii_corpus" "$corpus" "$truth" "$megabytes" 20261129
fi
bytes=$(stat -L -c %s "$corpus")
cat "$corpus" > /dev/null  # warm the page cache for both tools

# CPU seconds (user + system) as well as wall time: on a shared machine wall time measures the
# neighbours too.
measure() {  # measure NAME OUTFILE COMMAND...
  local name="$1" out="$2"
  shift 2
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/$name.time" "$@" > "$out" || true
  end=$(date +%s.%N)
  python3 - "$name" "$bytes" "$start" "$end" "$work/$name.time" "$out" <<'PY'
import sys
name, size, start, end, timefile, out = sys.argv[1:]
user, system = map(float, open(timefile).read().split()[-2:])
cpu, wall = user + system, float(end) - float(start)
lines = sum(1 for _ in open(out, 'rb'))
print(f"{name:10} cpu {cpu:7.2f} s = {int(size) / cpu / 1e6:7.1f} MB/s   wall {wall:7.2f} s = {int(size) / wall / 1e6:7.1f} MB/s   {lines} lines out")
open(f"{timefile}.cpu", "w").write(str(cpu))
PY
}

echo "input: $bytes bytes ($corpus)"
measure sunshine "$work/scan.jsonl" taskset -c 0 "$build/engine/sunshine" --quiet pii scan "$corpus" --json

# ripgrep: one alternation of the structured patterns (SSN, card, NANP phone, e-mail, IPv4,
# IBAN, street address), printing every match with its byte offset, on one thread.
regex='\b\d{3}-\d{2}-\d{4}\b|\b(?:\d[ -]?){12,18}\d\b|\(?\b\d{3}\)?[ .-]?\d{3}[ .-]\d{4}\b|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}|\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b|\b\d{1,6} [A-Z][a-z]+ (?:Street|St|Ave|Avenue|Road|Rd|Drive|Dr|Lane|Ln|Blvd)\b'
measure ripgrep "$work/rg.txt" taskset -c 0 rg --threads 1 --no-filename --only-matching --byte-offset "$regex" "$corpus"
python3 -c "import sys; a=float(open(sys.argv[1]).read()); b=float(open(sys.argv[2]).read()); print(f'sunshine / ripgrep CPU time: {a / b:.2f}')" "$work/sunshine.time.cpu" "$work/ripgrep.time.cpu"
python3 "$here/evaluate.py" "$truth" "$work/scan.jsonl"
