"""The `python -m spiders crawl` contract: exit codes, last stdout line, unreachable sites."""

from __future__ import annotations

from pathlib import Path

from tests.faultsite import FaultSite, raw_rows, rss2, run_crawl, serve
from tests.services import free_port


def test_bad_sources_file_exits_2_with_a_message(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: Bad Name\n    start_urls: [ftp://x]\n")
    run = run_crawl(str(sources), "bad", "2026-11-20", str(tmp_path / "lake"))
    assert run.returncode == 2
    assert run.stats["error"] == "bad_config"
    assert "sources[0]" in run.stderr and "start_urls" in run.stderr
    assert not (tmp_path / "lake").exists()


def test_unknown_source_exits_2(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: one\n    start_urls: ['http://127.0.0.1:9/x']\n")
    run = run_crawl(str(sources), "two", "2026-11-20", str(tmp_path / "lake"))
    assert run.returncode == 2 and "unknown source 'two'" in run.stderr


def test_unreachable_start_url_is_a_row_not_a_crash(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}/feed.xml"  # nothing listens there
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"retry_times: 1\nsources:\n  - name: dead\n    start_urls: ['{dead}']\n")
    lake = str(tmp_path / "lake")
    run = run_crawl(str(sources), "dead", "2026-11-20", lake,
                    args=["--set", "AKHBAR_RETRY_BACKOFF_BASE=0.05"])
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stats["status"] == "failed" and run.stats["rows_written"] == 1
    [row] = raw_rows(lake, "2026-11-20", "dead")
    assert row["url"] == dead and row["discovery"] == "start"
    assert row["error"] == "connection_refused" and row["body"] is None
    log = run.stats
    assert log["rejects"] == 1 and log["requests"] >= 2  # robots.txt + the feed (+ retry)


def test_max_pages_bounds_the_crawl(tmp_path: Path) -> None:
    site = FaultSite()
    with serve(site):
        for i in range(10):
            site.article(f"/p/{i}.html")
        site.page("/feed.xml", rss2([(f"{site.base_url}/p/{i}.html", None) for i in range(10)]))
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"obey_robots: false\nsources:\n  - name: capped\n    start_urls: "
                           f"['{site.base_url}/feed.xml']\n")
        run = run_crawl(str(sources), "capped", "2026-11-20", str(tmp_path / "lake"),
                        args=["--max-pages", "3"])
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stats["rows_written"] == 3
    assert "max_pages (3) reached" in run.stats["message"]
    assert sum(site.count(f"/p/{i}.html") for i in range(10)) == 3


def test_unwritable_lake_exits_1(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the lake folder should be")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"retry_times: 0\nsources:\n  - name: nowhere\n    start_urls: "
                       f"['http://127.0.0.1:{free_port()}/feed.xml']\n")
    run = run_crawl(str(sources), "nowhere", "2026-11-20", str(blocker / "lake"))
    assert run.returncode == 1
    assert run.stats["status"] == "failed" and run.stats["error"] == "not_written"
