"""Crawl benchmark: this project's crawler vs a bare Scrapy spider on the same local site.

Serves a generated news site (N article pages, a sitemap index, a robots.txt) from a separate
process on 127.0.0.1, then, in the same run and alternating, crawls it with
`python -m spiders crawl` (discovery, policy, seen-set, guard, retries, lake write) and with a
bare `scrapy.Spider` that requests the same article URLs with the same concurrency and does
nothing with them. Prints a markdown table: pages/s (crawl phase and end to end) and peak
RSS of each crawler process. Target: ours >= 0.8 x baseline pages/s, peak < 1 GB.

    .venv/bin/python bench/crawl.py [--pages 2000] [--concurrency 16] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = ["minister", "talks", "border", "trade", "summit", "council", "water", "energy",
         "market", "port", "harbour", "election", "budget", "reform", "court", "storm"]


def article(i: int) -> bytes:
    words = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(60))
    paragraphs = "".join(f"<p>{words} ({i}.{k})</p>" for k in range(12))
    related = "".join(f"<li><a href='/news/{(i + k) % 997}.html'>more</a></li>" for k in (1, 2, 3))
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Story " + str(i) + "</title>"
        f"<link rel='canonical' href='/news/{i}.html'></head><body><header><nav>"
        "<a href='/'>Home</a><a href='/tag/world'>World</a><a href='/author/x'>X</a></nav>"
        f"</header><article><h1>Story {i}</h1>{paragraphs}</article><ul>{related}</ul>"
        "<footer>(c) bench</footer></body></html>"
    ).encode()


def build_site(pages: int, base: str) -> dict[str, tuple[str, bytes]]:
    site = {f"/news/{i}.html": ("text/html; charset=utf-8", article(i)) for i in range(pages)}
    chunk = 1000
    children = []
    for n, start in enumerate(range(0, pages, chunk)):
        locs = "".join(f"<url><loc>{base}/news/{i}.html</loc></url>"
                       for i in range(start, min(pages, start + chunk)))
        path = f"/sitemap-{n}.xml"
        children.append(path)
        site[path] = ("application/xml", (
            "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            f"{locs}</urlset>").encode())
    index = "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
    site["/sitemap_index.xml"] = ("application/xml", (
        "<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"{index}</sitemapindex>").encode())
    site["/robots.txt"] = ("text/plain", b"User-agent: *\nAllow: /\n")
    return site


def serve(pages: int, port_queue: multiprocessing.Queue) -> None:
    """Child process: a keep-alive HTTP server with every page pre-rendered in memory."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    site = build_site(pages, base)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            content_type, body = site.get(self.path.split("?", 1)[0], ("text/plain", b""))
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server.RequestHandlerClass = Handler
    server.daemon_threads = True
    port_queue.put(base)
    server.serve_forever()


BASELINE = textwrap.dedent('''
    import json, sys, time
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = json.load(open(sys.argv[1]))
    concurrency = int(sys.argv[2])
    result = {}

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, dont_filter=True)

        def parse(self, response):
            result["pages"] = result.get("pages", 0) + 1

        def closed(self, reason):
            result["crawl_s"] = time.monotonic() - result["t0"]

    process = CrawlerProcess({"CONCURRENT_REQUESTS": max(16, 2 * concurrency),
                              "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                              "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "WARNING"})
    process.crawl(Bare)
    result["t0"] = time.monotonic()
    process.start()
    print(json.dumps({"pages": result.get("pages", 0), "crawl_s": result["crawl_s"]}))
''')


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int, str, str]:
    """Wall seconds, peak RSS (bytes) of the child, stdout, stderr."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({child.returncode}):\n{stderr[-3000:]}")
    return wall, usage.ru_maxrss * 1024, stdout, stderr


def ours(base: str, pages: int, concurrency: int, workdir: Path, n: int) -> dict:
    sources = workdir / "sources.yaml"
    sources.write_text(textwrap.dedent(f"""
        allow_private_networks: true
        sources:
          - name: bench
            start_urls: ["{base}/sitemap_index.xml"]
            max_pages: {pages}
            concurrency: {concurrency}
    """))
    command = [sys.executable, "-m", "spiders", "crawl", "--sources", str(sources), "--source",
               "bench", "--date", "2026-01-01", "--lake", str(workdir / f"lake{n}"),
               "--log-level", "WARNING"]
    wall, rss, stdout, _ = run_measured(command, dict(os.environ))
    stats = json.loads(stdout.strip().splitlines()[-1])
    fetched = stats["stats"].get("akhbar/rows", stats["rows_written"])
    return {"pages": fetched, "crawl_s": stats["duration_s"], "wall_s": wall, "rss": rss}


def baseline(base: str, pages: int, concurrency: int, workdir: Path) -> dict:
    urls = workdir / "urls.json"
    urls.write_text(json.dumps([f"{base}/news/{i}.html" for i in range(pages)]))
    script = workdir / "bare.py"
    script.write_text(BASELINE)
    wall, rss, stdout, _ = run_measured(
        [sys.executable, str(script), str(urls), str(concurrency)], dict(os.environ))
    result = json.loads(stdout.strip().splitlines()[-1])
    return {**result, "wall_s": wall, "rss": rss}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)

    queue: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(args.pages, queue), daemon=True)
    server.start()
    base = queue.get(timeout=30)
    results: dict[str, list[dict]] = {"akhbar": [], "bare Scrapy": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            for n in range(args.rounds):
                results["bare Scrapy"].append(baseline(base, args.pages, args.concurrency, workdir))
                results["akhbar"].append(ours(base, args.pages, args.concurrency, workdir, n))
    finally:
        server.terminate()

    def best(name: str, key: str) -> dict:
        return max(results[name], key=lambda r: r["pages"] / r[key])

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\nCrawl benchmark, {when}: {args.pages} article pages on 127.0.0.1, concurrency "
          f"{args.concurrency}, best of {args.rounds} rounds, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}\n")
    print("| crawler | pages | crawl pages/s | end-to-end pages/s | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for name in results:
        crawl, wall = best(name, "crawl_s"), best(name, "wall_s")
        peak = max(r["rss"] for r in results[name])
        print(f"| {name} | {crawl['pages']} | {crawl['pages'] / crawl['crawl_s']:.0f} | "
              f"{wall['pages'] / wall['wall_s']:.0f} | {peak / 2**20:.0f} MB |")
    ours_rate = best("akhbar", "crawl_s")
    base_rate = best("bare Scrapy", "crawl_s")
    ours_speed = ours_rate["pages"] / ours_rate["crawl_s"]
    ratio = ours_speed / (base_rate["pages"] / base_rate["crawl_s"])
    peak = max(r["rss"] for r in results["akhbar"])
    ok = ratio >= 0.8 and peak < 2**30 and ours_rate["pages"] == args.pages
    print(f"\nakhbar / bare Scrapy (crawl pages/s): {ratio:.2f} (target >= 0.80); "
          f"akhbar peak RSS {peak / 2**20:.0f} MB (target < 1024 MB): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
