#!/usr/bin/env python3
"""Writes a fixed (seeded) export of general-inquiry submissions for the import benchmark:
CSV or JSON Lines, with quoted commas and line breaks, and an unrequested home phone on one
submission in ten."""
import argparse, csv, json, random, sys

parser = argparse.ArgumentParser()
parser.add_argument("--count", type=int, default=100000)
parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
args = parser.parse_args()
rng = random.Random(20260302)
first = ["Jane", "Dale", "Marisol", "Keisha", "Harold", "Ingrid", "Carlos", "Amelia", "Wen", "Pete"]
last = ["Okafor", "Hendricks", "Tran", "Lambert", "Nguyen", "Solberg", "Medina", "Rhodes", "Li"]
topics = ["Business Services", "Elections", "Securities", "Archives", "Library", "Notary"]
words = ("how do i file renew reserve a business name certified copy polling place absentee "
         "ballot registered agent annual report fee online deadline county records").split()
names = ["first_name", "last_name", "email", "phone", "topic", "message", "home_phone"]
out = sys.stdout
writer = csv.writer(out, lineterminator="\r\n") if args.format == "csv" else None
if writer:
    writer.writerow(["form_id", "submission_id", "submitted_at"] + names)
for i in range(args.count):
    f, l = rng.choice(first), rng.choice(last)
    message = " ".join(rng.choice(words) for _ in range(rng.randint(8, 40)))
    if i % 7 == 0:
        message += ", thanks.\nSent from my phone"
    values = {"first_name": f, "last_name": l, "email": f"{f.lower()}.{l.lower()}{i}@example.com",
              "phone": f"573-555-01{i % 100:02d}" if i % 3 == 0 else "",
              "topic": rng.choice(topics), "message": message,
              "home_phone": f"314-555-01{i % 100:02d}" if i % 10 == 0 else ""}
    at = f"2026-03-{1 + i % 28:02d}T{8 + i % 9:02d}:{i % 60:02d}:{(i * 7) % 60:02d}-06:00"
    sid = f"GI-2026-{i:07d}"
    if writer:
        writer.writerow(["general-inquiry", sid, at] + [values[n] for n in names])
    else:
        fields = {k: v for k, v in values.items() if v}
        out.write(json.dumps({"form_id": "general-inquiry", "submission_id": sid,
                              "submitted_at": at, "fields": fields}) + "\n")
