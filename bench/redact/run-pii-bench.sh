#!/usr/bin/env bash
# End-to-end PII scan benchmark: 1 GiB of generated e-mail-like text with planted personal
# data (fixed seed), `sunshine pii scan` with every detector on one core, side by side with
# ripgrep running one combined regex over the same file; then precision and recall.
#   bench/redact/run-pii-bench.sh BUILD_DIR [MEGABYTES]
# BUILD_DIR: a Release build configured with -DSUNSHINE_BUILD_BENCH=ON. Inputs go to /tmp.
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
bytes=$(stat -c %s "$corpus")
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
