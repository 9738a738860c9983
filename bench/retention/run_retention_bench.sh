#!/bin/sh
# End-to-end retention benchmark with fixed generated input: N e-mails (default 5000) in one
# mbox, imported, classified, listed as due, proposed, approved and destroyed; then a byte
# search of the database files for the destroyed bodies. Prints the wall time of each step.
#   bench/retention/run_retention_bench.sh [SUNSHINE_BINARY] [N]
set -eu
BIN=${1:-build/engine/sunshine}
N=${2:-5000}
WORK=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
HOME_DIR="$WORK/home"

python3 - "$WORK/in.mbox" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
subjects = ["Budget question", "Automatic reply: out of office", "Delivery schedule",
            "Meeting notes", "Re: contract", "Complaint about parking"]
with open(path, "w", newline="\n") as out:
    for i in range(n):
        day = 1 + i % 28
        out.write(f"From bench@example.org Tue Mar {day:2d}09:00:00 2022\n")
        out.write(f"From: sender{i % 50}@example.org\nTo: clerk@sos.example.gov\n")
        out.write(f"Subject: {subjects[i % len(subjects)]} {i}\n")
        out.write(f"Date: Tue, {day:02d} Mar 2022 09:00:00 +0000\n")
        out.write(f"Message-ID: <bench-{i}@example.org>\n\n")
        out.write(f"Benchmark body {i}: the quokkabench{i:06d} ledger for district {i % 97}.\n")
        out.write(("Filler line of ordinary correspondence text. " * 8 + "\n") * 4 + "\n")
PY

step() {
  label=$1
  shift
  start=$(date +%s.%N)
  status=0
  "$@" >"$WORK/out" 2>"$WORK/err" || status=$?
  [ "$status" -le 1 ] || { echo "$label failed ($status):" >&2; cat "$WORK/err" >&2; }
  end=$(date +%s.%N)
  printf '%-28s %8.2f s\n' "$label" "$(echo "$end - $start" | bc)"
}

"$BIN" --home "$HOME_DIR" --quiet init >/dev/null
step "import mail ($N)" "$BIN" --home "$HOME_DIR" --quiet import mail "$WORK/in.mbox"
step "classify" "$BIN" --home "$HOME_DIR" --quiet --as-of 2025-08-01 classify
step "dispose --dry-run" "$BIN" --home "$HOME_DIR" --quiet --as-of 2025-08-01 dispose --dry-run
tail -1 "$WORK/out"
step "dispose propose" "$BIN" --home "$HOME_DIR" --quiet --as-of 2025-08-01 dispose propose
LIST=$("$BIN" --home "$HOME_DIR" --json dispose lists | python3 -c 'import json,sys; print(json.load(sys.stdin)["lists"][-1]["id"])')
step "dispose approve" "$BIN" --home "$HOME_DIR" --quiet dispose approve "$LIST" --approver Bench
step "dispose run (destroy)" "$BIN" --home "$HOME_DIR" --quiet --as-of 2025-08-01 dispose run
DESTROYED=$("$BIN" --home "$HOME_DIR" --json dispose lists | python3 -c 'import json,sys; print(json.load(sys.stdin)["lists"][-1]["done"])')
# Complaints (every 6th message, i % 6 == 5) join an event-based file and are kept; every other
# body was destroyed, so none of its marker words may remain in the database or WAL.
LEFT=$(cat "$HOME_DIR"/sunshine.db* | grep -a -o -E 'quokkabench[0-9]{6}' | sort -u |
       python3 -c 'import sys; print(sum(1 for l in sys.stdin if int(l.strip()[11:]) % 6 != 5))')
KEPT=$(cat "$HOME_DIR"/sunshine.db* | grep -a -o -E 'quokkabench[0-9]{6}' | sort -u | wc -l)
echo "destroyed $DESTROYED of $N; destroyed bodies still found in sunshine.db/-wal: $LEFT" \
     "(kept complaint bodies found: $KEPT)"
