"""Synthetic lake rows for the lake tests (small, deterministic, valid against SCHEMAS)."""

from __future__ import annotations

from datetime import datetime, timedelta


def article_rows(n: int, *, version: str = "v1", language: str = "en", day: str = "2026-11-28",
                 offset: int = 0) -> list[dict]:
    base = datetime.fromisoformat(f"{day}T00:00:00+00:00")
    rows = []
    for i in range(offset, offset + n):
        url = f"https://news.example/{day}/{i}"
        rows.append({
            "article_id": f"{i:020x}",
            "url": url,
            "canonical_url": url,
            "site_name": "Example News",
            "language": language,
            "title": f"title {i} {version}",
            "text": f"body of article {i} ({version})\nsecond paragraph",
            "text_normalized": f"body of article {i} ({version})\nsecond paragraph",
            "authors": ["Sara Ali"],
            "published": base + timedelta(minutes=i),
            "fetched_at": base + timedelta(hours=6),
            "tags": ["t"],
            "content_hash": f"hash-{i}-{version}",
            "word_count": 7,
            "entities": [{"text": "Doha", "normalized": "doha", "label": "LOC",
                          "start": 0, "end": 4}],
            "run_id": f"run-{version}",
        })
    return rows
