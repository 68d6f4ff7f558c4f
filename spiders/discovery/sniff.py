"""What kind of discovery document a response is, from its bytes first and headers second."""

from __future__ import annotations

from spiders.discovery.xmlsafe import local_name, parse_xml

GZIP_MAGIC = b"\x1f\x8b"


def sniff(body: bytes, content_type: str | None, url: str) -> str:
    """One of `gzip`, `feed`, `sitemap`, `robots`, `html`, `unknown`."""
    if body.startswith(GZIP_MAGIC):
        return "gzip"
    head = body[:512].lstrip().lower()
    ctype = (content_type or "").lower()
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<urlset", b"<rdf")) or (
        "xml" in ctype and not head.startswith((b"<!doctype html", b"<html"))
    ):
        root = parse_xml(body)
        name = local_name(root) if root is not None else ""
        if name in ("rss", "feed", "rdf"):
            return "feed"
        if name in ("urlset", "sitemapindex"):
            return "sitemap"
        if name == "html":
            return "html"
        return "unknown"
    if url.rstrip("/").endswith("/robots.txt") or ctype.startswith("text/plain"):
        return "robots"
    if "html" in ctype or head.startswith((b"<!doctype", b"<html")) or b"<body" in body[:4096]:
        return "html"
    return "unknown"
