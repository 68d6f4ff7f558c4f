"""XML sitemaps: urlset, sitemap index, gzip, Google News (`news:publication_date`)."""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin

from processing.dates import parse_datetime
from spiders.discovery import Entry
from spiders.discovery.xmlsafe import child_text, children, local_name, parse_xml

GZIP_MAGIC = b"\x1f\x8b"


class TooLarge(ValueError):
    """A compressed document inflates beyond the size cap (decompression bomb)."""


@dataclass
class Sitemap:
    kind: str  # "urlset" or "index"
    entries: list[Entry] = field(default_factory=list)


def gunzip_capped(body: bytes, max_size: int) -> bytes:
    """Inflate a gzip body, refusing to produce more than `max_size` bytes."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            while chunk := stream.read(64 * 1024):
                out.write(chunk)
                if out.tell() > max_size:
                    raise TooLarge(f"gzip body inflates beyond {max_size} B")
    except (OSError, EOFError, zlib.error) as exc:
        if out.tell() == 0:
            raise ValueError(f"not valid gzip: {exc}") from exc
    return out.getvalue()


def parse_sitemap(body: bytes, base_url: str) -> Sitemap | None:
    """Entries of a sitemap or index; the date is news:publication_date, else lastmod."""
    root = parse_xml(body)
    if root is None:
        return None
    kind = local_name(root)
    if kind == "sitemapindex":
        return Sitemap(
            "index",
            [
                Entry(urljoin(base_url, loc), parse_datetime(child_text(node, "lastmod")))
                for node in children(root, "sitemap")
                if (loc := child_text(node, "loc"))
            ],
        )
    if kind != "urlset":
        return None
    entries = []
    for node in children(root, "url"):
        loc = child_text(node, "loc")
        if not loc:
            continue
        published = None
        for news in children(node, "news"):
            published = parse_datetime(child_text(news, "publication_date"))
        if published is None:
            published = parse_datetime(child_text(node, "lastmod"))
        entries.append(Entry(urljoin(base_url, loc), published))
    return Sitemap("urlset", entries)
