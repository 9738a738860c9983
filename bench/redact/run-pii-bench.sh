#!/usr/bin/env bash
# End-to-end PII scan benchmark: 1 GiB of generated e-mail-like text with planted personal
# data (fixed seed), `sunshine pii scan` with every detector on one core, side by side with
# ripgrep running one combined regex over the same file; then precision and recall.
#   bench/redact/run-pii-bench.sh BUILD_DIR [MEGABYTES]
# BUILD_DIR: a Release build configured with -DSUNSHINE_BUILD_BENCH=ON. Inputs go to /tmp.
#
# Measured 2026-11-29, sixth round (RelWithDebInfo, one core of the 2-core dev VM, quiet):
#   this script:  sunshine 4.75 s CPU = 226.1 MB/s (wall 4.97 s), 4,644,920 spans;
#                 ripgrep  2.99 s CPU = 359.1 MB/s; sunshine / ripgrep CPU time 1.59
#                 real mail: sunshine 1.83 s = 117.1 MB/s, ripgrep 0.54 s; ratio 3.39
#   Back to back, the fifth round's binary and this one: 6.27, 6.00 and 5.97 s CPU before,
#   4.72, 4.65 and 4.68 s after on the 1 GiB corpus (-22%; ripgrep 2.96-3.01 s in the same
#   minutes: ratio 1.55-1.59); real mail 2.39 and 2.24 s before, 1.76 and 1.78 s after.
#   Instructions (cachegrind): -22% on 20 MB of the corpus, -25% on 30 MB of the Enron text.
#   Output: byte-identical to the fifth round's on every input (the 20 MB, 200 MB and 1 GiB
#   corpus, the Enron text whole and --lines, sisimai, mikel-mail, Presidio), each step checked.
#   The round, by share of the gain: US street lines matched by hand from the house numbers and
#   the address RE2::Set replaced by hand gates each address pattern implies (RE2 fell from 11%
#   to 3% of the samples); the number windows (a hand IBAN matcher, IBAN starts found with the
#   others, context words rejected by one bit per word start, the card pass only where 13
#   digits can chain); the surname rules read the capitalised word starts the word pass marks
#   instead of a pass of their own; the block passes on AVX2 where the CPU has it (chosen at run
#   time; the SSE2 path stays and is tested against it; alone 4.4% fewer instructions, CPU
#   medians 4.86 s without and 4.76 s with it over 7 alternated pairs, within the noise); the bytes of the next windows and
#   around the name hits prefetched (the 2 MiB piece is out of L2 by then); spans sorted by a
#   radix sort; the fixed word lists in NameTable sets instead of std::unordered_set (real mail);
#   the name-list rounds without a node-allocating set. Tried and dropped: mapping the input
#   file instead of read(2) (no gain; the kernel's copy is 2% and mapping costs faults), one
#   pass for all before-number context words (+5.8% instructions), a branch-free surname
#   pre-check, SSN and NANP digit gates like the card one.
#
# Fifth round (same machine):
#   this script:  sunshine 6.29 s CPU = 170.7 MB/s (wall 6.48 s), 4,644,920 spans;
#                 ripgrep  3.03 s CPU = 354.4 MB/s; sunshine / ripgrep CPU time 2.08
#                 real mail: sunshine 2.33 s = 91.9 MB/s, ripgrep 0.52 s; ratio 4.48
#   Back to back, the fourth round's binary and this one: 9.25 and 9.19 s CPU before, 6.01
#   and 6.15 s after on the 1 GiB corpus (-34%); real mail 5.13 and 4.52 s before, 2.21 and
#   2.19 s after (-55%). Other runs of this binary: 5.95-6.34 s, ripgrep 2.95-3.09 s: the
#   ratio is 1.99-2.10 from run to run, at issue #6's "within 2x ripgrep" and not below it
#   with any margin.
#   Output: the same spans as the fourth round on real mail (Enron, sisimai, mikel-mail,
#   Presidio, whole and --lines); on the bench corpus two fewer false positives ("00 -0800"
#   read as a phone with "office" in the next paragraph as context), because `pii scan`
#   now cuts its 2 MiB pieces after a blank line. Each step of the round was checked
#   byte-identical against the one before on all these inputs.
#   The round, by share of the gain: the word pass by 32-byte blocks with a branch-free
#   four-byte prefix filter (capitals too), given names folded and checked 16 bytes at a time;
#   number windows sharing one set of candidate starts and digit counts (NumberStarts);
#   address RE2 tried only at possible starts and anchored (address_shapes.h); the number,
#   IPv4, house, postal-code, licence, e-mail and IPv6 triggers in one hand pass (Hyperscan
#   keeps the birth-date and passport words); the gazetteer in an open-addressing table
#   (name_table.h) with a small given-name table for the word pass; surnames checked 16 bytes
#   at a time; 2 MiB pieces and output written every 64 KiB (cache); libphonenumber's answers
#   cached per thread; a span's JSON tail built once per (type, rule, confidence); popcount
#   inline. Tried and dropped (no gain): a batched word filter, 2-way caches, a Bloom filter
#   for plain surnames, merging ascending runs instead of sorting spans, 1 or 4 MiB pieces.
#   Real mail first showed the gazetteer look-ups at a third of the time (std::unordered_map).
#
# Fourth round (same machine):
#   this script:  sunshine 8.52 s CPU = 126.0 MB/s (wall 8.72 s = 123.2 MB/s), 4,644,922 spans;
#                 ripgrep  2.98 s CPU = 360.3 MB/s; sunshine / ripgrep CPU time 2.86
#   Back to back on the same file, the third round's binary and this one, three times, output
#   byte-identical (cmp): 9.71, 9.09 and 9.26 s CPU before, 8.45, 8.56 and 8.55 s after
#   (127.1, 125.4, 125.6 MB/s; wall 8.64-8.75 s): 6-13% less CPU, 9% on the average.
#   Fourth round: the word pass reads one fused prefix table (two bits a key: trigger word?
#   lower-case given name?) instead of TriggerWords' and the gazetteer's tables of about 60 KB
#   each, and enters the trigger-word matching only for words that pass (about 7%); the IBAN
#   start test in number windows checks 16 positions at a time (number_shapes.h); the
#   gazetteer's per-thread look-up cache is 64 KB instead of 256 KB (2-3%). Same output also on
#   the Enron, sisimai, mikel-mail and Presidio texts, whole and --lines; the fused pass is
#   compared with the former one and the IBAN test with its byte loop on random inputs.
#   Tried and dropped: building the gazetteer cache key from overlapping fixed-size loads
#   instead of a memcpy of variable length (no difference measurable).
#   Issue #6's "within 2x ripgrep" (about 6 s here) is still NOT reached: 2.86x.
#
# Third round (same machine): this script: sunshine 9.71 s CPU = 110.6 MB/s, ripgrep 2.99 s,
#   ratio 3.25.
#   That round, all with the same output (also on the Enron, sisimai and Presidio texts, whole
#   and --lines) and each hand matcher checked against its specification on random inputs:
#   - the unit and introduction trigger words moved from Hyperscan into the word pass; the
#     postal-code, house-number and licence-word triggers are matched by hand over the whole
#     text (number_shapes.h; their hits are slotted in where Hyperscan reported them, ties
#     included). Hyperscan fell from 17.5% to 7% of the CPU (the postal-code pattern alone
#     cost it as much as all the others);
#   - e-mail and IPv4 addresses are matched by hand instead of RE2 in their windows (e-mail
#     alone was 4-5%); RE2 fell from 10-12% to 9% (now addresses, IBAN, dates, licences);
#   - the number-shape matchers skip to candidate starts 16 bytes at a time; context words
#     are grouped by first letter and looked for only at word starts found 16 bytes at a time;
#     the trigger-word table is one probe of a small hash table instead of a hundred string
#     compares;
#   - per-thread scratch vectors for Scan (no page faults on fresh vectors per 16 MiB piece);
#     the CLI reads into one reused buffer with read(2) (no copy, no fresh pages per piece) and
#     formats the confidence once per distinct value instead of printf per span.
#   Where the time went then (perf, 100 MB, start-up included): the word pass (given names +
#   trigger words, with its look-ups) ~22%, number windows (shape matchers, context words,
#   validation) ~19%, kernel ~12% (writing the 400 MB of output is 5% of it, reading 1%),
#   RE2 (addresses, IBAN, dates) 9%, libc (memchr, memmove, malloc) 8%, name rules 8%,
#   Hyperscan 7%, scan loop, merging and sorting spans 6.5%, hand triggers 2.4%.
#   Tried and dropped (no gain measurable above the 2% noise): smaller hashed prefix filters
#   for the word pass, a three-letter pre-filter, per-window start masks shared by the shape
#   matchers, a digit gate or street-word gate in front of the street-address RE2, SIMD word
#   ends in the word pass.
#   Recall/precision on this corpus (unchanged): card, e-mail, IP, street 1.00/1.00;
#   IBAN 0.999/1.00; person 1.00/0.999; phone 1.00/0.968; SSN 1.00/0.984.
#   pii_scan_benchmark (8 MiB in memory), back to back: 255 and 254 MiB/s sparse, 95 and 93
#   MiB/s dense in personal data before; 322 and 335 sparse, 108 and 111 dense after.
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

# Real mail, if the shared corpora are there: the Enron mailbox (5.4 MB, 3,034 messages)
# forty times over, the same two tools. Real mail has three times as many capitalised words
# per byte as the generated text, and long header lists of names and addresses; its speed is
# reported beside the generated corpus's, not instead of it.
enron="$here/../../../shared/corpora/mail/enron-allen-p"
if [ -d "$enron" ]; then
  mail="$work/enron-x40.txt"
  if [ ! -s "$mail" ]; then
    for _ in $(seq 1 40); do cat "$enron"/*; done > "$mail"
  fi
  bytes=$(stat -L -c %s "$mail")
  cat "$mail" > /dev/null
  echo "real mail: $bytes bytes ($mail)"
  measure sunshine-mail "$work/scan-mail.jsonl" taskset -c 0 "$build/engine/sunshine" --quiet pii scan "$mail" --json
  measure ripgrep-mail "$work/rg-mail.txt" taskset -c 0 rg --threads 1 --no-filename --only-matching --byte-offset "$regex" "$mail"
  python3 -c "import sys; a=float(open(sys.argv[1]).read()); b=float(open(sys.argv[2]).read()); print(f'real mail: sunshine / ripgrep CPU time: {a / b:.2f}')" "$work/sunshine-mail.time.cpu" "$work/ripgrep-mail.time.cpu"
else
  echo "real mail: skipped ($enron not found)"
fi
