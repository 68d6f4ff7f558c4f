"""Discovery through every format, then incremental runs over consecutive dates: the second
run fetches only new pages (asserted on crawl_log and on the server), a same-day rerun replaces
its partition, and `refetch_after_days` re-asks with If-None-Match (304 = no new row)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

import pytest

from processing.lake import open_lake
from tests.faultsite import (
    FaultSite,
    atom,
    days_ago,
    raw_rows,
    rss1,
    run_crawl,
    serve,
    sitemap_index,
    urlset,
)

TODAY = datetime.now(UTC).date()
D1, D2, D3 = (TODAY + timedelta(days=n) for n in (0, 1, 3))


def _publish(site: FaultSite, articles: dict[str, str]) -> None:
    """(Re)build feeds and sitemaps listing `articles` (path -> channel)."""
    base = site.base_url
    by = {c: [(base + p, days_ago(0.1)) for p, ch in articles.items() if ch == c]
          for c in ("atom", "rss1", "news", "plain")}
    site.page("/atom.xml", atom(by["atom"]), "application/atom+xml")
    site.page("/rss1.xml", rss1([u for u, _ in by["rss1"]]), "application/rdf+xml")
    news = urlset(by["news"] + [(base + "/news/ancient.html", days_ago(30))], news=True)
    site.page("/sitemap-news.xml.gz", gzip.compress(news), "application/x-gzip")
    site.page("/sitemap-plain.xml", urlset(by["plain"]), "application/xml")
    site.page("/sitemap-old.xml", urlset([(base + "/news/in-old-sitemap.html", None)]))
    site.page("/sitemap_index.xml", sitemap_index([
        (base + "/sitemap-news.xml.gz", days_ago(0)), (base + "/sitemap-plain.xml", None),
        (base + "/sitemap-old.xml", days_ago(40))]))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("incremental")
    site = FaultSite()
    with serve(site):
        base = site.base_url
        articles = {"/news/a1.html": "atom", "/news/a2.html": "rss1", "/news/a3.html": "news",
                    "/news/a4.html": "plain", "/news/a5.html": "news"}
        for path in [*articles, "/news/ancient.html", "/news/in-old-sitemap.html",
                     "/news/a6.html", "/news/a7.html"]:
            site.article(path)
        site.page("/robots.txt", f"User-agent: *\nSitemap: {base}/sitemap_index.xml\n".encode(),
                  "text/plain")
        _publish(site, articles)
        sources = tmp / "sources.yaml"
        sources.write_text(f"""
sources:
  - name: daily
    start_urls: ["{base}/atom.xml", "{base}/rss1.xml"]
    robots_sitemaps: true
    max_age_days: 3
  - name: refetch
    start_urls: ["{base}/atom.xml"]
    refetch_after_days: 1
""")
        lake = str(tmp / "lake")
        result = {"site": site, "lake": lake, "base": base}
        result["first"] = run_crawl(str(sources), "daily", D1.isoformat(), lake)
        result["hits_after_first"] = dict(site.hits)
        articles.update({"/news/a6.html": "atom", "/news/a7.html": "news"})
        _publish(site, articles)
        result["second"] = run_crawl(str(sources), "daily", D2.isoformat(), lake)
        result["hits_after_second"] = dict(site.hits)
        result["rerun"] = run_crawl(str(sources), "daily", D2.isoformat(), lake)
        # refetch source: day 1, then two days later with one article changed
        result["r1"] = run_crawl(str(sources), "refetch", D1.isoformat(), lake)
        site.article("/news/a6.html", title="a6 corrected")
        result["r3"] = run_crawl(str(sources), "refetch", D3.isoformat(), lake)
        yield result


def _urls(rows: list[dict], base: str) -> set[str]:
    return {row["url"].replace(base, "") for row in rows}


def test_first_run_discovers_through_every_format(runs) -> None:
    assert runs["first"].returncode == 0, runs["first"].stderr[-3000:]
    rows = raw_rows(runs["lake"], D1.isoformat(), "daily")
    by_url = {row["url"].replace(runs["base"], ""): row for row in rows}
    assert set(by_url) == {f"/news/a{i}.html" for i in range(1, 6)}
    assert by_url["/news/a1.html"]["discovery"] == "feed"  # Atom
    assert by_url["/news/a2.html"]["discovery"] == "feed"  # RSS 1.0
    assert by_url["/news/a3.html"]["discovery"] == "sitemap"  # gzip Google News sitemap
    assert by_url["/news/a3.html"]["discovered_from"].endswith("/sitemap-news.xml.gz")
    assert by_url["/news/a4.html"]["discovery"] == "sitemap"  # via robots.txt -> index
    assert runs["site"].count("/news/ancient.html") == 0  # publication_date older than 3 days
    assert runs["site"].count("/sitemap-old.xml") == 0  # index lastmod older than 3 days


def test_second_day_fetches_only_new_pages(runs) -> None:
    assert runs["second"].returncode == 0
    rows = raw_rows(runs["lake"], D2.isoformat(), "daily")
    assert _urls(rows, runs["base"]) == {"/news/a6.html", "/news/a7.html"}
    before, after = runs["hits_after_first"], runs["hits_after_second"]
    for i in range(1, 6):
        assert after[f"/news/a{i}.html"] == before[f"/news/a{i}.html"] == 1
    log = open_lake(runs["lake"]).read("crawl_log", start=D2.isoformat(), end=D2.isoformat(),
                                       sources=["daily"]).to_pylist()
    assert len(log) == 1
    assert log[0]["new_urls"] == 2 and log[0]["already_seen"] == 5 and log[0]["items"] == 2


def test_same_day_rerun_replaces_the_partition(runs) -> None:
    assert runs["rerun"].returncode == 0
    rows = raw_rows(runs["lake"], D2.isoformat(), "daily")
    assert sorted(_urls(rows, runs["base"])) == ["/news/a6.html", "/news/a7.html"]
    assert runs["site"].count("/news/a6.html") >= 3  # day 2 and its rerun both fetched it
    every = raw_rows(runs["lake"], source="daily")
    assert len(every) == len({row["url"] for row in every}) == 7  # no page stored twice


def test_refetch_after_days_uses_conditional_requests(runs) -> None:
    assert runs["r1"].returncode == runs["r3"].returncode == 0
    assert runs["r1"].stats["rows_written"] == 2  # a1, a6 from the Atom feed
    stats = runs["r3"].stats
    assert stats["stats"]["refetched"] == 2
    assert stats["stats"]["not_modified"] == 1  # a1 answered 304 to If-None-Match
    rows = raw_rows(runs["lake"], D3.isoformat(), "refetch")
    assert [row["url"].replace(runs["base"], "") for row in rows] == ["/news/a6.html"]
    assert b"a6 corrected" in rows[0]["body"]


def test_seen_set_works_on_an_s3_lake(s3_lake: str, tmp_path) -> None:
    site = FaultSite()
    with serve(site):
        for i in range(3):
            site.article(f"/s3/{i}.html")
        site.page("/atom.xml", atom([(f"{site.base_url}/s3/{i}.html", None) for i in range(2)]))
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"obey_robots: false\nsources:\n  - name: ons3\n    start_urls: "
                           f"['{site.base_url}/atom.xml']\n")
        first = run_crawl(str(sources), "ons3", D1.isoformat(), s3_lake)
        site.page("/atom.xml", atom([(f"{site.base_url}/s3/{i}.html", None) for i in range(3)]))
        second = run_crawl(str(sources), "ons3", D2.isoformat(), s3_lake)
    assert first.returncode == second.returncode == 0, second.stderr[-2000:]
    assert first.stats["rows_written"] == 2
    assert second.stats["rows_written"] == 1 and second.stats["already_seen"] == 2
    assert [site.count(f"/s3/{i}.html") for i in range(3)] == [1, 1, 1]
