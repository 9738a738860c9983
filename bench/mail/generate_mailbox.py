#!/usr/bin/env python3
"""Generates a fixed synthetic mailbox for the mail import benchmark.

The same seed always gives the same bytes. Writes the messages both as one mbox file and as a
Maildir (one file per message, identical bytes) so `sunshine import mail` and `notmuch new`
see the same mail.

  generate_mailbox.py OUT_DIR [--messages 100000] [--attachment-kb 6] [--seed 20261129]
                      [--no-maildir]

About a third of the messages carry a base64 attachment (PDF-like or CSV), a fifth are
multipart/alternative with HTML, some have RFC 2047 encoded subjects and Latin-1 bodies.
"""
import argparse
import base64
import os
import random

WORDS = ("budget hearing turnpike council minutes motion public record request permit zoning "
         "agenda county clerk ordinance resident petition street repair contract invoice audit "
         "election ballot precinct commission report annual review grant school district water "
         "sewer bridge highway library park license fee schedule meeting notice deadline").split()
NAMES = ["Alice Carter", "Bob Nguyen", "Carmen Diaz", "Dmitri Volkov", "Erin O'Brien",
         "Farah Khan", "George Li", "Hana Sato", "Ivan Petrov", "Julia Rossi", "Renée Dupont",
         "Jürgen Müller"]
DOMAINS = ["sos.mo.example.gov", "county.example.gov", "example.org", "mail.example.com"]


def address(rng):
    name = rng.choice(NAMES)
    local = name.lower().replace(" ", ".").replace("'", "")
    local = local.encode("ascii", "ignore").decode() or "user"
    return name, f"{local}{rng.randrange(100)}@{rng.choice(DOMAINS)}"


def header_name(name):
    try:
        name.encode("ascii")
        return f'"{name}"'
    except UnicodeEncodeError:
        return "=?UTF-8?B?" + base64.b64encode(name.encode()).decode() + "?="


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def body_text(rng):
    paragraphs = []
    for _ in range(rng.randint(1, 5)):
        paragraphs.append(" ".join(sentence(rng, rng.randint(6, 16)) for _ in range(rng.randint(2, 6))))
    return "\n\n".join(paragraphs) + "\n"


def wrap64(data):
    encoded = base64.b64encode(data).decode()
    return "\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76))


def message(rng, i, attachment_kb):
    from_name, from_addr = address(rng)
    to_name, to_addr = address(rng)
    subject = sentence(rng, rng.randint(3, 8))[:-1]
    if rng.random() < 0.1:
        subject = "=?ISO-8859-1?Q?" + subject.replace(" ", "_") + "_=FCber?="
    day = 1 + i % 28
    month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec"][(i // 28) % 12]
    year = 2015 + (i // 336) % 10
    date = f"{['Mon', 'Tue', 'Wed', 'Thu', 'Fri'][i % 5]}, {day:02d} {month} {year} " \
           f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} -0600"
    headers = [
        f"Message-ID: <bench-{i}.{rng.randrange(10**9)}@{rng.choice(DOMAINS)}>",
        f"Date: {date}",
        f"From: {header_name(from_name)} <{from_addr}>",
        f"To: {header_name(to_name)} <{to_addr}>",
        f"Subject: {subject}",
        "MIME-Version: 1.0",
    ]
    if rng.random() < 0.3:
        headers.append(f"Cc: {address(rng)[1]}, {address(rng)[1]}")
    text = body_text(rng)
    kind = rng.random()
    if kind < 0.33:
        boundary = f"=_b{i}"
        size = rng.randint(attachment_kb * 256, attachment_kb * 1792)
        if rng.random() < 0.5:
            name, media = f"report-{i}.pdf", "application/pdf"
            payload = b"%PDF-1.4\n" + rng.randbytes(size)
        else:
            name, media = f"table-{i}.csv", "text/csv"
            rows = ["item,amount"] + [f"{rng.choice(WORDS)},{rng.randrange(10**5)}"
                                      for _ in range(size // 12)]
            payload = ("\n".join(rows) + "\n").encode()
        headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
        body = (f"This is a multi-part message in MIME format.\n\n--{boundary}\n"
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                f"{text}\n--{boundary}\nContent-Type: {media}; name=\"{name}\"\n"
                f"Content-Disposition: attachment; filename=\"{name}\"\n"
                f"Content-Transfer-Encoding: base64\n\n{wrap64(payload)}\n--{boundary}--\n")
    elif kind < 0.53:
        boundary = f"=_a{i}"
        html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
        body = (f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n\n{text}\n"
                f"--{boundary}\nContent-Type: text/html; charset=utf-8\n\n"
                f"<html><body>{html}</body></html>\n--{boundary}--\n")
    elif kind < 0.6:
        headers.append("Content-Type: text/plain; charset=iso-8859-1")
        headers.append("Content-Transfer-Encoding: 8bit")
        body = text.replace("public", "caf\xe9")
        return ("\n".join(headers) + "\n\n").encode() + body.encode("latin-1")
    else:
        headers.append("Content-Type: text/plain; charset=utf-8")
        body = text
    return ("\n".join(headers) + "\n\n" + body).encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--messages", type=int, default=100000)
    parser.add_argument("--attachment-kb", type=int, default=6,
                        help="mean attachment size in KiB (uniform 0.25x..1.75x)")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--no-maildir", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    maildir = os.path.join(args.out, "Maildir")
    if not args.no_maildir:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    total = 0
    with open(os.path.join(args.out, "box.mbox"), "wb") as mbox:
        for i in range(args.messages):
            data = message(rng, i, args.attachment_kb)
            total += len(data)
            # mboxrd quoting of body lines that start with (>*)From .
            lines = data.split(b"\n")
            quoted = b"\n".join(b">" + l if l.lstrip(b">").startswith(b"From ") else l
                                for l in lines)
            mbox.write(b"From bench@example.gov Tue Mar  4 17:12:13 2003\n" + quoted + b"\n\n")
            if not args.no_maildir:
                with open(os.path.join(maildir, "cur", f"{1500000000 + i}.M{i}P1.bench:2,S"),
                          "wb") as f:
                    f.write(data)
    print(f"{args.messages} messages, {total} bytes of messages, in {args.out}")


if __name__ == "__main__":
    main()
