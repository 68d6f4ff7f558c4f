"""Every fault the real web throws ends as a retry and/or a raw row with the right reason,
and the run's other articles are all written (one crawl of the fault site, ~10 s)."""

from __future__ import annotations

import pytest

from tests.faultsite import (
    FaultSite,
    always,
    endless,
    fail_first,
    gzip_bomb,
    hang,
    raw_rows,
    redirect,
    rss2,
    run_crawl,
    serve,
    stall,
)

DATE = "2026-11-20"
GOOD = [f"/news/good-{i}.html" for i in range(6)]
MAXSIZE = 64 * 1024


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("faults")
    site = FaultSite()
    with serve(site):
        base = site.base_url
        for path in GOOD:
            site.article(path)
        site.routes["/fault/500"] = always(500)
        site.routes["/fault/404"] = always(404)
        site.routes["/fault/flaky"] = fail_first(2, 503, then=b"<html><p>recovered</p></html>")
        site.routes["/fault/429"] = fail_first(1, 429, {"Retry-After": "1"},
                                               then=b"<html><p>after a pause</p></html>")
        site.routes["/fault/hang"] = hang(6)
        site.routes["/fault/stall"] = stall(b"<html><p>half a page", 5000, 6)
        site.page("/fault/image.html", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
        site.article("/news/orig.html")
        site.article("/news/alias.html", canonical="/news/orig.html")
        site.page("/fault/big", b"<html>" + b"x" * (4 * MAXSIZE) + b"</html>")
        site.routes["/fault/bomb"] = gzip_bomb(50 * MAXSIZE)
        site.routes["/fault/loop"] = redirect("/fault/loop")
        site.page("/fault/malformed", b"<html><body><p>unclosed <div><b>bold <a href='/news/good-0"
                                      b".html'>x</a></table>&nbsp</body")
        arabic = "<html><body><p>خبر عاجل من الدوحة</p></body></html>".encode()
        site.page("/fault/charset", arabic, "text/html; charset=iso-8859-1")
        site.page("/fault/nocharset", arabic, "text/html")
        site.routes["/calendar"] = endless("/calendar", "month")
        site.routes["/section/"] = endless("/section/", "page")
        site.page("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
        site.article("/private/secret.html")
        faults = ["/fault/500", "/fault/404", "/fault/flaky", "/fault/429", "/fault/hang",
                  "/fault/stall", "/fault/image.html", "/news/orig.html", "/news/alias.html",
                  "/fault/big", "/fault/bomb", "/fault/loop", "/fault/malformed",
                  "/fault/charset", "/fault/nocharset", "/private/secret.html"]
        site.page("/feed.xml", rss2([(base + p, None) for p in GOOD + faults]),
                  "application/rss+xml")
        site.page("/home", (
            "<html><body>" + "".join(f"<a href='{p}'>a</a>" for p in GOOD)
            + "<a href='/calendar?month=1'>cal</a><a href='/section/?page=1'>more</a>"
            + "<a href='/tag/x'>t</a><a href='/author/y'>a</a><a href='/search?q=z'>s</a>"
            + "<a href='/img/a.jpg'>i</a><a href='/news/good-1.html?utm_source=x#top'>dup</a>"
            + "</body></html>").encode())
        sources = tmp / "sources.yaml"
        sources.write_text(f"""
download_timeout: 1.5
download_maxsize: {MAXSIZE}
retry_times: 2
sources:
  - name: faulty
    start_urls: ["{base}/feed.xml", "{base}/home"]
    max_pagination: 3
    max_depth: 2
    concurrency: 8
""")
        lake = str(tmp / "lake")
        run = run_crawl(str(sources), "faulty", DATE, lake,
                        args=["--set", "AKHBAR_RETRY_BACKOFF_BASE=0.2"])
        yield run, {row["url"].replace(base, ""): row for row in raw_rows(lake)}, site


def test_the_crawl_completes_and_reports(crawl) -> None:
    run, rows, _ = crawl
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stats["rows_written"] == len(rows)
    assert run.stats["retries"] >= 5  # 500 x2, flaky x2, 429 x1, hang x2 (some may overlap)
    assert "crawl faulty" in run.stderr  # the operator summary is in the log


def test_all_good_articles_are_written(crawl) -> None:
    _, rows, _ = crawl
    for path in GOOD:
        assert rows[path]["status"] == 200 and rows[path]["error"] is None
        assert b"Body of" in rows[path]["body"]


@pytest.mark.parametrize(
    ("path", "reason", "hits"),
    [
        ("/fault/500", "http_error", 3),  # first try + 2 retries
        ("/fault/404", "http_error", 1),  # not retried
        ("/fault/hang", "timeout", 3),
        ("/fault/stall", "timeout", 3),  # headers and half a body, then silence
        ("/fault/image.html", "unsupported_content", 1),
        ("/fault/big", "too_large", 1),
        ("/fault/bomb", "too_large", 1),
        ("/fault/loop", "redirect_loop", None),
        ("/private/secret.html", "robots_disallowed", 0),
    ],
)
def test_fault_becomes_an_error_row(crawl, path: str, reason: str, hits: int | None) -> None:
    _, rows, site = crawl
    row = rows[path]
    assert row["error"] == reason, row["error_detail"]
    assert row["body"] is None and row["error_detail"]
    if hits is not None:
        assert site.count(path) == hits


def test_transient_errors_are_retried_then_stored(crawl) -> None:
    _, rows, site = crawl
    assert site.count("/fault/flaky") == 3
    assert rows["/fault/flaky"]["status"] == 200 and b"recovered" in rows["/fault/flaky"]["body"]
    assert site.count("/fault/429") == 2
    first, second = site.times["/fault/429"]
    assert second - first >= 0.9  # Retry-After: 1 was honoured
    assert rows["/fault/429"]["error"] is None


def test_backoff_grows_between_retries(crawl) -> None:
    _, _, site = crawl
    t = site.times["/fault/500"]
    assert t[1] - t[0] >= 0.15 and t[2] - t[1] >= 0.3  # base 0.2 s, doubled (jitter +-20%)


def test_bad_markup_and_charsets_are_stored_as_bytes(crawl) -> None:
    _, rows, _ = crawl
    assert rows["/fault/malformed"]["error"] is None
    assert rows["/fault/malformed"]["body"].startswith(b"<html><body><p>unclosed")
    charset = rows["/fault/charset"]
    assert charset["content_type"] == "text/html; charset=iso-8859-1"
    assert "خبر عاجل".encode() in charset["body"]  # bytes untouched, decoding is processing's job
    assert rows["/fault/nocharset"]["content_type"] == "text/html"


def test_crawl_traps_are_bounded(crawl) -> None:
    _, _, site = crawl
    assert site.count("/section/") == 3  # ?page=1..3; max_pagination 3
    assert 1 <= site.count("/calendar") <= 2  # max_depth 2 from the home page


def test_non_article_urls_are_never_requested(crawl) -> None:
    _, rows, site = crawl
    for path in ("/tag/x", "/author/y", "/search", "/img/a.jpg"):
        assert site.count(path) == 0
    assert site.count("/news/good-1.html") == 1  # the utm_/fragment spelling is the same page
    assert not [url for url in rows if "utm_" in url]


def test_identifying_user_agent(crawl) -> None:
    _, _, site = crawl
    agents = {ua for ua in site.user_agents if ua}
    assert agents and all("akhbar-bot" in ua and "+https://" in ua for ua in agents)


def test_summary_counts_failures_by_reason(crawl) -> None:
    run, rows, _ = crawl
    failed = sum(1 for row in rows.values() if row["error"])
    assert run.stats["rejects"] == failed
    assert run.stats["stats"]["error/timeout"] == 2


def test_same_page_under_two_urls_is_stored_once(crawl) -> None:
    run, rows, _ = crawl
    stored = [path for path in ("/news/orig.html", "/news/alias.html") if path in rows]
    assert len(stored) == 1  # alias declares rel=canonical -> orig; whichever came first
    assert run.stats["stats"]["duplicate_canonical"] == 1
