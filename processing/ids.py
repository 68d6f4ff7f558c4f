"""Stable identifiers: the same article gets the same id on every run and every machine."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

ARTICLE_ID_HEX = 20  # 80 bits: collisions are negligible at billions of articles


def article_id(canonical_url: str) -> str:
    """Id derived from the canonical URL only, so re-crawls and reprocessing keep it."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:ARTICLE_ID_HEX]


def new_run_id(date: str, prefix: str = "manual") -> str:
    """A run id that sorts by time and says where the run came from."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{prefix}__{date}__{stamp}"
