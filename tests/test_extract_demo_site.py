"""Every article of the bundled demo site, fetched over HTTP as the spider would see it:
body present, boilerplate absent, metadata exact; non-articles and listings rejected."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from processing.extract import ExtractionError, extract_article

REPO = Path(__file__).resolve().parent.parent
MANIFEST = json.loads((REPO / "demo" / "site" / "manifest.json").read_text(encoding="utf-8"))
ARTICLES = MANIFEST["articles"]


def _fetch(url: str) -> tuple[bytes, str | None]:
    with urllib.request.urlopen(url, timeout=10) as response:  # loopback demo server
        return response.read(), response.headers.get("Content-Type")


@pytest.mark.parametrize("gold", ARTICLES, ids=[a["path"] for a in ARTICLES])
def test_demo_article_extracted(demo_site, gold: dict):
    url = demo_site.url(gold["path"])
    body, content_type = _fetch(url)
    article = extract_article(body, url=url, content_type=content_type)
    missing = [p for p in gold["body_paragraphs"] if p not in article.text]
    assert missing == []
    leaked = [b for b in gold["boilerplate"] if b in article.text]
    assert leaked == []
    assert article.title == gold["title"]
    assert article.subtitle == gold["subtitle"]
    assert article.authors == gold["authors"]
    assert article.published.date().isoformat() == gold["published"]
    assert article.language == gold["language"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [(p, "too_short") for p in MANIFEST["too_short"]]
    + [(p, "not_article") for p in MANIFEST["non_article"] + MANIFEST["listing_pages"]],
)
def test_demo_non_articles_rejected(demo_site, path: str, reason: str):
    url = demo_site.url(path)
    body, content_type = _fetch(url)
    with pytest.raises(ExtractionError) as info:
        extract_article(body, url=url, content_type=content_type)
    assert info.value.reason == reason
