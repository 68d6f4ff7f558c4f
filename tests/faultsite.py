"""A local news site that misbehaves on purpose, served on 127.0.0.1 in a background thread.

It has what the crawler must discover (RSS 2.0, Atom, RSS 1.0 feeds, a sitemap index with a
gzip child, a Google News sitemap, robots.txt with Crawl-delay and Sitemap lines, a paginated
section) and what it must survive (5xx, 429 + Retry-After, a hang, an oversized body, a gzip
bomb, a redirect loop, malformed HTML, a wrong charset, endless calendar/pagination traps,
redirects to private addresses). Every request is counted per path so tests can assert on
retries and on what was (not) fetched.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

Reply = tuple[int, dict[str, str], bytes]


def article_html(path: str, title: str, links: list[str] = ()) -> bytes:
    related = "".join(f'<li><a href="{href}">related</a></li>' for href in links)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title><link rel='canonical' href='{path}'></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/tag/politics'>Politics</a></nav>"
        f"<article><h1>{title}</h1><p>Body of {title}. " + "Lorem ipsum dolor sit amet. " * 20
        + f"</p></article><ul class='related'>{related}</ul>"
        "<footer><a href='/author/jane'>Jane</a> <a href='/img/logo.png'>logo</a></footer>"
        "</body></html>"
    ).encode()


@dataclass
class FaultSite:
    """Routes are `path -> handler(query) -> (status, headers, body)`; tests add their own."""

    routes: dict[str, Callable[[dict[str, list[str]], dict[str, str]], Reply]] = field(
        default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    times: dict[str, list[float]] = field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0
    user_agents: set[str] = field(default_factory=set)
    base_url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    # per request thread: `client`, the (host, port) the request came from
    local: threading.local = field(default_factory=threading.local)

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8",
             **headers: str) -> None:
        self.routes[path] = lambda q, h: (200, {"Content-Type": content_type, **headers}, body)

    def article(self, path: str, title: str | None = None, links: list[str] = (),
                latency: float = 0.0, canonical: str | None = None) -> None:
        """An article page with an ETag that honours If-None-Match (304)."""
        body = article_html(canonical or path, title or path, list(links))
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'

        def handler(query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
            if latency:
                time.sleep(latency)
            if headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": "text/html; charset=utf-8", "ETag": etag}, body

        self.routes[path] = handler

    def count(self, path: str) -> int:
        with self.lock:
            return self.hits[path]

    @property
    def host_port(self) -> str:
        return self.base_url.split("://", 1)[1]


def _handler_class(site: FaultSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            site.local.client = self.client_address
            with site.lock:
                site.hits[parts.path] += 1
                site.times.setdefault(parts.path, []).append(time.monotonic())
                site.user_agents.add(self.headers.get("User-Agent", ""))
            handler = site.routes.get(parts.path)
            with site.lock:
                site.in_flight += 1
                site.max_in_flight = max(site.max_in_flight, site.in_flight)
            try:
                if handler is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                else:
                    headers_in = {k.lower(): v for k, v in self.headers.items()}
                    status, headers, body = handler(parse_qs(parts.query), headers_in)
            finally:
                with site.lock:
                    site.in_flight -= 1
            try:
                self.send_response(status)
                if "Content-Length" not in headers and status != 304 and not callable(body):
                    headers = {**headers, "Content-Length": str(len(body))}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if callable(body):  # a streaming body: writes (and stalls) by itself
                    body(self.wfile)
                elif body and status != 304:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@contextmanager
def serve(site: FaultSite) -> Iterator[FaultSite]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(site))
    server.daemon_threads = True
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- ready-made behaviours


def fail_first(times: int, status: int, headers: dict[str, str] | None = None,
               then: bytes = b"") -> Callable[..., Reply]:
    """Answer `status` to the first `times` requests, then a normal article page."""
    state = {"n": 0}
    lock = threading.Lock()

    def handler(query: dict[str, list[str]], request_headers: dict[str, str]) -> Reply:
        with lock:
            state["n"] += 1
            n = state["n"]
        if n <= times:
            return status, {"Content-Type": "text/plain", **(headers or {})}, b"try later"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, then

    return handler


def always(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Callable:
    return lambda q, h: (status, {"Content-Type": "text/plain", **(headers or {})}, body)


def hang(seconds: float) -> Callable[..., Reply]:
    def handler(query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        time.sleep(seconds)
        return 200, {"Content-Type": "text/html"}, b"<html>too late</html>"

    return handler


def stall(first: bytes, total: int, seconds: float) -> Callable[..., Reply]:
    """Send the headers and `first` bytes of a `total`-byte body, then go silent."""

    def write(stream: BinaryIO) -> None:
        stream.write(first)
        stream.flush()
        time.sleep(seconds)

    headers = {"Content-Type": "text/html", "Content-Length": str(total)}
    return lambda q, h: (200, headers, write)


def gzip_bomb(inflated_size: int) -> Callable[..., Reply]:
    body = gzip.compress(b"\0" * inflated_size, compresslevel=9)
    return lambda q, h: (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, body)


def redirect(location: str | Callable[[], str], status: int = 302) -> Callable[..., Reply]:
    def handler(query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        target = location() if callable(location) else location
        return status, {"Location": target, "Content-Type": "text/plain"}, b""

    return handler


def endless(prefix: str, param: str | None = None) -> Callable[..., Reply]:
    """A page that always links to 'the next one': calendar months or ?page=N+1."""

    def handler(query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        n = int((query.get(param or "n") or ["1"])[0])
        href = f"{prefix}?{param}={n + 1}" if param else f"{prefix}?n={n + 1}"
        body = f"<html><body><a href='{href}'>next</a></body></html>".encode()
        return 200, {"Content-Type": "text/html; charset=utf-8"}, body

    return handler


def rss2(items: list[tuple[str, datetime | None]]) -> bytes:
    entries = "".join(
        f"<item><title>t</title><link>{url}</link>"
        + (f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>" if when else "")
        + "</item>"
        for url, when in items
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel>{entries}</channel></rss>".encode()


def atom(items: list[tuple[str, datetime | None]]) -> bytes:
    entries = "".join(
        f"<entry><title>t</title><link rel='alternate' href='{url}'/>"
        + (f"<updated>{when.isoformat()}</updated>" if when else "") + "</entry>"
        for url, when in items
    )
    return ("<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"{entries}</feed>").encode()


def rss1(urls: list[str]) -> bytes:
    items = "".join(f"<item rdf:about='{u}'><title>t</title><link>{u}</link></item>" for u in urls)
    return (
        "<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
        f"xmlns='http://purl.org/rss/1.0/'><channel rdf:about='x'/>{items}</rdf:RDF>"
    ).encode()


def urlset(items: list[tuple[str, datetime | None]], news: bool = False) -> bytes:
    ns = " xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'" if news else ""
    nodes = []
    for url, when in items:
        date = ""
        if when and news:
            date = (f"<news:news><news:publication><news:name>x</news:name></news:publication>"
                    f"<news:publication_date>{when.isoformat()}</news:publication_date></news:news>")
        elif when:
            date = f"<lastmod>{when.date().isoformat()}</lastmod>"
        nodes.append(f"<url><loc>{url}</loc>{date}</url>")
    return (f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'"
            f"{ns}>{''.join(nodes)}</urlset>").encode()


def sitemap_index(items: list[tuple[str, datetime | None]]) -> bytes:
    nodes = "".join(
        f"<sitemap><loc>{url}</loc>"
        + (f"<lastmod>{when.date().isoformat()}</lastmod>" if when else "") + "</sitemap>"
        for url, when in items
    )
    return ("<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            f"{nodes}</sitemapindex>").encode()


def days_ago(days: float, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=days)


# ---------------------------------------------------------------- running the crawler


REPO = Path(__file__).resolve().parent.parent


@dataclass
class CrawlRun:
    returncode: int
    stats: dict
    stdout: str
    stderr: str


def run_crawl(sources_file: str, source: str, date: str, lake: str, *, args: list[str] = (),
              env: dict[str, str] | None = None, allow_private: bool = True,
              timeout: float = 120) -> CrawlRun:
    """`python -m spiders crawl ...` as a subprocess (never in-process: FIELD-NOTES)."""
    environment = {**os.environ, **(env or {})}
    if not allow_private:
        environment.pop("AKHBAR_ALLOW_PRIVATE_NETWORKS", None)
    command = [sys.executable, "-m", "spiders", "crawl", "--sources", sources_file,
               "--source", source, "--date", date, "--lake", lake, *args]
    done = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True,
                          timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    stats = json.loads(lines[-1]) if lines else {}
    return CrawlRun(done.returncode, stats, done.stdout, done.stderr)


def raw_rows(lake: str, date: str | None = None, source: str | None = None) -> list[dict]:
    from processing.lake import open_lake

    table = open_lake(lake).read("raw", start=date, end=date,
                                 sources=[source] if source else None)
    return table.to_pylist()
