#!/usr/bin/env bash
# End-to-end mail import benchmark: `sunshine import mail` (MIME parsing, blobs, FTS5 index,
# audit trail) on a generated mailbox, side by side with `notmuch new` indexing the same
# messages as a Maildir. Both pinned to one core (taskset -c 0). Peak RSS from
# /usr/bin/time -v.
#
#   bench/mail/run_mail_bench.sh [MESSAGES] [WORK_DIR]     default 100000, /tmp/sunshine-mail-bench
#   BIG=1 bench/mail/run_mail_bench.sh                     also a ~1 GB mbox (large attachments)
#                                                          for the flat-memory check
# Builds Release into build-mail-rel (override with SUNSHINE_BENCH_BUILD).
set -euo pipefail
cd "$(dirname "$0")/../.."
messages=${1:-100000}
work=${2:-/tmp/sunshine-mail-bench}
build=${SUNSHINE_BENCH_BUILD:-build-mail-rel}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSUNSHINE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j 2 --target sunshine mail_bench >/dev/null
sunshine=$PWD/$build/engine/sunshine

mkdir -p "$work"
if [ ! -f "$work/mail-$messages/box.mbox" ]; then
  python3 bench/mail/generate_mailbox.py "$work/mail-$messages" --messages "$messages"
fi
data=$work/mail-$messages
mbox_bytes=$(stat -c %s "$data/box.mbox")

# Field from `/usr/bin/time -v` output.
tv() { grep -F "$1" "$2" | head -1 | awk -F': ' '{print $2}'; }
seconds() {  # h:mm:ss or m:ss.ss -> seconds
  awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }' <<<"$1"
}

echo "== micro-benchmarks (parser only)"
"$build/bench/mail/mail_bench" --benchmark_min_time=1 2>/dev/null | grep -E "^BM_" || true

echo "== sunshine import mail (mbox, $messages messages, $mbox_bytes bytes)"
rm -rf "$work/home"
"$sunshine" --home "$work/home" init >/dev/null
/usr/bin/time -v -o "$work/sunshine.time" taskset -c 0 \
  "$sunshine" --home "$work/home" --quiet import mail "$data/box.mbox" --json \
  >"$work/sunshine.json" || true
cat "$work/sunshine.json"
s_wall=$(seconds "$(tv 'Elapsed (wall clock)' "$work/sunshine.time")")
s_user=$(tv 'User time' "$work/sunshine.time")
s_sys=$(tv 'System time' "$work/sunshine.time")
s_rss=$(tv 'Maximum resident set size' "$work/sunshine.time")

echo "== notmuch new (Maildir, same messages)"
rm -rf "$data/Maildir/.notmuch"
cat >"$work/notmuch-config" <<CONF
[database]
path=$data/Maildir
[new]
tags=inbox;
ignore=
[search]
exclude_tags=
[maildir]
synchronize_flags=false
CONF
NOTMUCH_CONFIG=$work/notmuch-config /usr/bin/time -v -o "$work/notmuch.time" taskset -c 0 \
  notmuch new --quiet || true
n_wall=$(seconds "$(tv 'Elapsed (wall clock)' "$work/notmuch.time")")
n_user=$(tv 'User time' "$work/notmuch.time")
n_sys=$(tv 'System time' "$work/notmuch.time")
n_rss=$(tv 'Maximum resident set size' "$work/notmuch.time")
n_count=$(NOTMUCH_CONFIG=$work/notmuch-config notmuch count '*')

python3 - "$messages" "$mbox_bytes" "$s_wall" "$s_user" "$s_sys" "$s_rss" \
  "$n_wall" "$n_user" "$n_sys" "$n_rss" "$n_count" <<'PY'
import sys
m, b = int(sys.argv[1]), int(sys.argv[2])
sw, su, ss, sr = (float(x) for x in sys.argv[3:7])
nw, nu, ns, nr = (float(x) for x in sys.argv[7:11])
nc = int(sys.argv[11])
print()
print(f"{'':28}{'sunshine import':>18}{'notmuch new':>18}")
print(f"{'messages':28}{m:>18}{nc:>18}")
print(f"{'wall seconds':28}{sw:>18.1f}{nw:>18.1f}")
print(f"{'cpu seconds (user+sys)':28}{su+ss:>18.1f}{nu+ns:>18.1f}")
print(f"{'messages/s (wall)':28}{m/sw:>18.0f}{nc/nw:>18.0f}")
print(f"{'messages/s (cpu)':28}{m/(su+ss):>18.0f}{nc/(nu+ns):>18.0f}")
print(f"{'MB/s (wall)':28}{b/sw/1e6:>18.1f}{b/nw/1e6:>18.1f}")
print(f"{'peak RSS MB':28}{sr/1024:>18.0f}{nr/1024:>18.0f}")
print(f"speed-up (wall): {(m/sw)/(nc/nw):.1f}x   (cpu): {(m/(su+ss))/(nc/(nu+ns)):.1f}x")
PY

if [ "${BIG:-0}" = 1 ]; then
  echo "== flat memory: ~1 GB mbox"
  if [ ! -f "$work/big/box.mbox" ]; then
    python3 bench/mail/generate_mailbox.py "$work/big" --messages 9000 --attachment-kb 240 \
      --no-maildir
  fi
  rm -rf "$work/home-big"
  "$sunshine" --home "$work/home-big" init >/dev/null
  /usr/bin/time -v -o "$work/big.time" taskset -c 0 \
    "$sunshine" --home "$work/home-big" --quiet import mail "$work/big/box.mbox" --json || true
  echo "mbox bytes: $(stat -c %s "$work/big/box.mbox")"
  echo "wall: $(tv 'Elapsed (wall clock)' "$work/big.time")  peak RSS KB: $(tv 'Maximum resident set size' "$work/big.time")"
fi
