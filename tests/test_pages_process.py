"""processing.pages: every raw row becomes an article or a reject with a reason, none is lost."""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime

import pytest

from demo.server import load_manifest
from processing.dedup import DedupIndex
from processing.pages import process_pages

FETCHED = datetime(2026, 11, 28, 12, tzinfo=UTC)


def raw_row(url: str, body: bytes | None, *, status: int | None = 200,
            content_type: str | None = "text/html; charset=utf-8",
            error: str | None = None) -> dict:
    return {"url": url, "final_url": url, "status": status, "content_type": content_type,
            "body": body, "fetched_at": FETCHED, "error": error,
            "error_detail": f"{error} detail" if error else None}


@pytest.fixture(scope="module")
def pages(demo_site) -> dict[str, tuple[str, bytes, str]]:
    """path -> (url, body, content type) for every demo article, fetched from the live site."""
    out = {}
    for article in load_manifest()["articles"]:
        url = demo_site.base_url + article["path"]
        with urllib.request.urlopen(url) as response:
            out[article["path"]] = (url, response.read(), response.headers["Content-Type"])
    return out


def test_articles_and_every_kind_of_reject(pages) -> None:
    (url1, body1, ct1), (url2, body2, ct2) = list(pages.values())[:2]
    rows = [
        raw_row(url1, body1, content_type=ct1),
        raw_row(url1 + "?utm_source=x", body1, content_type=ct1),  # same canonical URL
        raw_row(url2, body2, content_type=ct2),
        raw_row("http://x.test/a", None, status=None, error="timeout"),
        raw_row("http://x.test/b", b"<html>gone</html>", status=404),
        raw_row("http://x.test/c.pdf", b"%PDF-1.4", content_type="application/pdf"),
        raw_row("http://x.test/d", b"", status=200),
    ]
    out = process_pages(rows, run_id="r1")
    assert len(out.articles) == 2
    assert len(out.articles) + len(out.rejects) == len(rows)
    reasons = sorted(r["reason"] for r in out.rejects)
    assert reasons == ["duplicate", "empty_body", "http_error", "not_html", "timeout"]
    timeout = next(r for r in out.rejects if r["reason"] == "timeout")
    assert timeout["stage"] == "crawl" and timeout["detail"] == "timeout detail"
    for article in out.articles:
        assert article["article_id"] and article["content_hash"] and article["run_id"] == "r1"
        assert article["word_count"] > 50
        assert article["entities"], article["url"]
        for entity in article["entities"]:
            assert article["text"][entity["start"]:entity["end"]] == entity["text"]
    assert {e["article_id"] for e in out.entities} == {a["article_id"] for a in out.articles}
    assert out.counts()["reject_reasons"]["duplicate"] == 1


def test_story_seen_on_an_earlier_day_is_flagged_not_dropped(pages) -> None:
    path, (url, body, content_type) = next(iter(pages.items()))
    first = process_pages([raw_row(url, body, content_type=content_type)], run_id="day1")
    history = DedupIndex()
    for article in first.articles:
        history.add(article["article_id"], article["text_normalized"])
    # The same story republished at another address (every self-reference moved with it).
    moved_path = path.replace("/2026/11/", "/2026/11/republished-")
    copy = body.replace(path.encode(), moved_path.encode())
    moved = url.replace(path, moved_path)
    second = process_pages([raw_row(moved, copy, content_type=content_type)], run_id="day2",
                           history=history)
    assert second.articles[0]["article_id"] != first.articles[0]["article_id"]
    assert len(second.articles) == 1
    assert second.articles[0]["duplicate_of"] == first.articles[0]["article_id"]


def test_page_that_is_not_an_article_is_rejected(demo_site) -> None:
    manifest = load_manifest()
    path = manifest["non_article"][0]
    url = demo_site.base_url + path
    with urllib.request.urlopen(url) as response:
        body = response.read()
    out = process_pages([raw_row(url, body)], run_id="r")
    assert not out.articles
    assert [r["reason"] for r in out.rejects] == ["not_article"]


def test_canonical_pointing_at_home_page_does_not_merge_articles(pages) -> None:
    """A CMS that sets every page's rel=canonical to the home page must not make them one."""
    (url1, body1, ct1), (url2, body2, ct2) = list(pages.values())[:2]
    home = url1.split("/", 3)[:3]
    bogus = f'<link rel="canonical" href="{"/".join(home)}/">'.encode()
    rows = [raw_row(url, body.replace(b"<head>", b"<head>" + bogus, 1), content_type=ct)
            for url, body, ct in ((url1, body1, ct1), (url2, body2, ct2))]
    out = process_pages(rows, run_id="r1")
    assert not out.rejects
    assert {a["canonical_url"] for a in out.articles} == {url1, url2}
