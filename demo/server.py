"""Serve the bundled demo news site (demo/site/) on loopback for the demo and the tests.

The site is static, but three things happen at serve time so it behaves like a real site:
- `{{BASE}}` in any text file becomes the live base URL (feeds, sitemaps and canonical links
  need absolute URLs, and the port is only known once the server is bound);
- a file named `NAME.cp1256.html` is served at `NAME.html` as windows-1256 bytes with
  `Content-Type: text/html; charset=windows-1256`, and `NAME.meta1256.html` at `NAME.html` as
  windows-1256 bytes with a bare `Content-Type: text/html` (the page's own `<meta charset>` is
  the only hint). The repo keeps every file in UTF-8 so it stays readable and diffable;
- `index.html` / `index.rss` / `index.xml` answer for their directory URL (`/ar/feed/`).
Files whose name starts with `_` or `.`, and `manifest.json` (the gold for tests), are not served.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

SITE_DIR = Path(__file__).resolve().parent / "site"
MANIFEST_PATH = SITE_DIR / "manifest.json"
BASE_PLACEHOLDER = "{{BASE}}"
NOT_SERVED = {"manifest.json"}
INDEX_NAMES = ("index.html", "index.rss", "index.xml", "index.atom")

CONTENT_TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}
BINARY_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".ico": "image/x-icon"}

# NAME.<variant>.html -> (served charset, charset named in the Content-Type header or None)
CHARSET_VARIANTS = {
    "cp1256": ("windows-1256", "windows-1256"),
    "meta1256": ("windows-1256", None),
}
_VARIANT_RE = re.compile(r"^(?P<stem>.+)\.(?P<variant>" + "|".join(CHARSET_VARIANTS) + r")\.html$")


@dataclass(frozen=True)
class Route:
    """How one URL path is answered: which file, with which bytes and header."""

    file: Path
    content_type: str
    charset: str | None  # None: serve the file's bytes untouched (binary)
    header_charset: str | None


@dataclass(frozen=True)
class DemoSite:
    """A running demo site."""

    host: str
    port: int
    base_url: str  # "http://127.0.0.1:41234", no trailing slash

    def url(self, path: str) -> str:
        """Absolute URL for a site path such as "/ar/feed/"."""
        return self.base_url + (path if path.startswith("/") else "/" + path)


def load_manifest() -> dict:
    """The gold description of every page (see demo/site/manifest.json)."""
    return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))


def build_routes(site_dir: Path = SITE_DIR) -> dict[str, Route]:
    """Map every public URL path to its file; charset-variant suffixes never show in URLs."""
    routes: dict[str, Route] = {}
    for file in sorted(site_dir.rglob("*")):
        rel = file.relative_to(site_dir)
        if not file.is_file() or any(part.startswith(("_", ".")) for part in rel.parts):
            continue
        if rel.as_posix() in NOT_SERVED:
            continue
        url_path = "/" + rel.as_posix()
        match = _VARIANT_RE.match(file.name)
        if match:
            charset, header_charset = CHARSET_VARIANTS[match["variant"]]
            url_path = "/" + rel.with_name(match["stem"] + ".html").as_posix()
            route = Route(file, "text/html", charset, header_charset)
        elif file.suffix in CONTENT_TYPES:
            route = Route(file, CONTENT_TYPES[file.suffix], "utf-8", "utf-8")
        elif file.suffix in BINARY_TYPES:
            route = Route(file, BINARY_TYPES[file.suffix], None, None)
        else:
            continue
        routes[url_path] = route
        if file.name in INDEX_NAMES:
            routes.setdefault(url_path[: -len(file.name)], route)
    return routes


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], routes: dict[str, Route], quiet: bool) -> None:
        super().__init__(address, _DemoHandler)
        self.routes = routes
        self.base_url = f"http://{address[0]}:{self.server_address[1]}"
        self.quiet = quiet


class _DemoHandler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    server_version = "AkhbarDemo/1.0"
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def _answer(self, *, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path) or "/"
        route = self.server.routes.get(path)
        if route is None and not path.endswith("/") and path + "/" in self.server.routes:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", self.server.base_url + path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if route is None:
            body = b"<!DOCTYPE html><html><head><title>404</title></head>" \
                   b"<body><h1>Not Found</h1></body></html>"
            self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, send_body)
            return
        data = route.file.read_bytes()
        if route.charset is not None:
            text = data.decode("utf-8").replace(BASE_PLACEHOLDER, self.server.base_url)
            data = text.encode(route.charset, errors="xmlcharrefreplace")
        content_type = route.content_type
        if route.header_charset:
            content_type += f"; charset={route.header_charset}"
        self._send(HTTPStatus.OK, content_type, data, send_body)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


@contextmanager
def serve_demo_site(
    port: int = 0, host: str = "127.0.0.1", *, quiet: bool = True
) -> Iterator[DemoSite]:
    """Serve demo/site/ from a daemon thread for the duration of the `with` block."""
    server = _DemoHTTPServer((host, port), build_routes(), quiet)
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield DemoSite(host=host, port=server.server_address[1], base_url=server.base_url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    with serve_demo_site(port=args.port, host=args.host, quiet=False) as site:
        print(f"demo site serving on {site.base_url} (Ctrl-C to stop)", flush=True)
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
