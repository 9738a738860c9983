#!/usr/bin/env python3
"""Writes a deterministic Apache/nginx combined access log for benchmarks and the demo.

Same arguments, same bytes: a seeded generator picks visitors (IPv4, some IPv6, some
resolved host names), user agents (browsers, phones, bots), pages, static assets,
referrers and statuses with fixed weights; timestamps rise through the days in the
server's zone (-0600). Addresses come from documentation and private ranges only.

  generate_access_log.py --lines 1000000 --days 7 --start 2026-03-01 > big.log
"""
import argparse
import datetime
import random
import sys

AGENTS = [
    (30, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/{v}.0.0.0 Safari/537.36", (118, 121)),
    (12, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
         "Gecko) Version/{v}.1 Safari/605.1.15", (16, 17)),
    (10, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0",
     (119, 121)),
    (6, "Mozilla/5.0 (X11; Linux x86_64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0", (115, 121)),
    (8, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/{v}.0.0.0 Safari/537.36 Edg/{v}.0.0.0", (119, 120)),
    (14, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
         "like Gecko) Version/17.{v} Mobile/15E148 Safari/604.1", (0, 2)),
    (10, "Mozilla/5.0 (Linux; Android {v}; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Mobile Safari/537.36", (12, 14)),
    (3, "Mozilla/5.0 (iPad; CPU OS 16_{v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) Version/16.{v} Mobile/15E148 Safari/604.1", (5, 6)),
    (4, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", (0, 0)),
    (2, "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", (0, 0)),
    (1, "curl/8.{v}.0", (1, 5)),
    (1, "-", (0, 0)),
]
PAGES = ["/", "/elections/", "/elections/voter-registration", "/elections/results",
         "/business/", "/business/corporations/search", "/about", "/contact", "/news/",
         "/news/2026/03/press-release", "/records/sunshine-law", "/records/request",
         "/safeathome/", "/publications/manual", "/archives/", "/library/"]
STATIC = ["/css/site.css", "/js/site.js", "/images/seal.png", "/images/banner.jpg",
          "/favicon.ico", "/fonts/site.woff2", "/robots.txt"]
REFERRERS = ["-", "-", "-", "https://www.google.com/", "https://www.bing.com/search?q=sos",
             "https://duckduckgo.com/", "https://www.mo.gov/", "https://sos.example.gov/",
             "https://news.example.com/story/1", "https://www.facebook.com/"]
STATUSES = [(85, 200), (6, 304), (3, 301), (4, 404), (1, 403), (1, 500)]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def weighted(rng, pairs):
    total = sum(weight for weight, *_ in pairs)
    pick = rng.random() * total
    for pair in pairs:
        pick -= pair[0]
        if pick < 0:
            return pair
    return pairs[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--start", default="2026-03-01")
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--visitors", type=int, default=20000)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    visitors = []
    for i in range(args.visitors):
        kind = rng.random()
        if kind < 0.8:
            host = "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
        elif kind < 0.9:
            host = "2001:db8:%x::%x" % (rng.randrange(65536), rng.randrange(1, 65536))
        else:
            host = "host-%d.%s" % (i, rng.choice(["example.net", "example.com", "example.org",
                                                   "dept.example.co.uk", "example.edu"]))
        agent_weight, template, (low, high) = weighted(rng, AGENTS)
        agent = template.replace("{v}", str(rng.randint(low, high)))
        visitors.append((host, agent))
    start = datetime.datetime.strptime(args.start, "%Y-%m-%d")
    span = args.days * 86400
    out = sys.stdout
    write = out.write
    for n in range(args.lines):
        host, agent = visitors[int(rng.random() ** 2 * len(visitors))]
        t = start + datetime.timedelta(seconds=n * span // args.lines)
        stamp = "%02d/%s/%04d:%02d:%02d:%02d -0600" % (t.day, MONTHS[t.month - 1], t.year,
                                                       t.hour, t.minute, t.second)
        if rng.random() < 0.35:
            path = rng.choice(PAGES)
            if rng.random() < 0.1:
                path += "?page=%d" % rng.randrange(1, 9)
        else:
            path = rng.choice(STATIC)
        status = weighted(rng, STATUSES)[1]
        size = 0 if status in (304, 301) else rng.randrange(200, 60000)
        method = "POST" if path == "/contact" and rng.random() < 0.3 else "GET"
        write('%s - - [%s] "%s %s HTTP/1.1" %d %d "%s" "%s"\n' % (
            host, stamp, method, path, status, size, rng.choice(REFERRERS), agent))


if __name__ == "__main__":
    main()
