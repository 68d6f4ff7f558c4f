"""Politeness: robots.txt Crawl-delay is kept between requests, per-source concurrency caps
parallel requests to a host, and progress lines appear during a crawl."""

from __future__ import annotations

from pathlib import Path

from tests.faultsite import FaultSite, raw_rows, rss2, run_crawl, serve


def _site(site: FaultSite, count: int, latency: float = 0.0) -> list[str]:
    paths = [f"/p/{i}.html" for i in range(count)]
    for path in paths:
        site.article(path, latency=latency)
    site.page("/feed.xml", rss2([(site.base_url + p, None) for p in paths]))
    return paths


def test_crawl_delay_is_a_floor_between_requests(tmp_path: Path) -> None:
    site = FaultSite()
    with serve(site):
        paths = _site(site, 5)
        site.page("/robots.txt", b"User-agent: *\nCrawl-delay: 0.4\n", "text/plain")
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"sources:\n  - name: slow\n    start_urls: ['{site.base_url}/feed.xml']"
                           "\n    concurrency: 8\n")
        run = run_crawl(str(sources), "slow", "2026-11-20", str(tmp_path / "lake"))
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Crawl-delay 0.40s applied" in run.stderr
    arrivals = sorted(t for p in ["/feed.xml", *paths] for t in site.times[p])
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    assert len(arrivals) == 6 and min(gaps) >= 0.38, gaps


def test_source_concurrency_caps_parallel_requests(tmp_path: Path) -> None:
    site = FaultSite()
    with serve(site):
        _site(site, 12, latency=0.15)
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"obey_robots: false\nsources:\n  - name: narrow\n    start_urls: "
                           f"['{site.base_url}/feed.xml']\n    concurrency: 2\n")
        run = run_crawl(str(sources), "narrow", "2026-11-20", str(tmp_path / "lake"),
                        args=["--set", "AKHBAR_PROGRESS_INTERVAL=0.5"])
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(raw_rows(str(tmp_path / "lake"))) == 12
    assert site.max_in_flight == 2
    assert "progress narrow:" in run.stderr  # operator sees progress during the crawl
