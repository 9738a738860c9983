#!/usr/bin/env python3
"""Span-level precision and recall of `sunshine pii scan --json` against the generator's truth.

usage: evaluate.py TRUTH.tsv SCAN.jsonl
A planted span is found when a detection of the same type overlaps it; a detection is
correct when it overlaps a planted span of its type (ITIN counts as SSN)."""
import collections
import json
import sys

ALIASES = {"itin": "ssn"}


def load_truth(path):
    spans = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            start, end, kind = line.rstrip("\n").split("\t")
            spans[kind].append((int(start), int(end)))
    return spans


def load_scan(path):
    spans = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            o = json.loads(line)
            kind = ALIASES.get(o["type"], o["type"])
            spans[kind].append((o["start"], o["end"]))
    return spans


def matched(a, b):
    """How many spans of sorted list a overlap some span of sorted list b."""
    count, j = 0, 0
    for start, end in a:
        while j < len(b) and b[j][1] <= start:
            j += 1
        k = j
        hit = False
        while k < len(b) and b[k][0] < end:
            if b[k][1] > start:
                hit = True
                break
            k += 1
        count += hit
    return count


truth = load_truth(sys.argv[1])
scan = load_scan(sys.argv[2])
print(f"{'type':16} {'planted':>8} {'found':>8} {'recall':>7} {'detected':>9} {'right':>8} {'precision':>9}")
for kind in sorted(set(truth) | set(scan)):
    t = sorted(truth.get(kind, []))
    s = sorted(scan.get(kind, []))
    found = matched(t, s)
    right = matched(s, t)
    recall = found / len(t) if t else float("nan")
    precision = right / len(s) if s else float("nan")
    print(f"{kind:16} {len(t):8} {found:8} {recall:7.4f} {len(s):9} {right:8} {precision:9.4f}")
