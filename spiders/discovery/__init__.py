"""Discovery parsers: bytes of a feed, sitemap, robots.txt or listing page in, URLs out.

Pure functions without Scrapy, so each format is tested on its own; what to do with the
URLs (scope, age, depth, limits) is crawl policy and lives in `spiders.policy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    """One URL found by discovery, with the date the document gave for it (if any)."""

    url: str
    published: datetime | None = None
