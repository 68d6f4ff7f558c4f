"""The crawler on the bundled demo site with the repo's own sources.yaml: every article of
both sources is fetched, robots.txt is obeyed, listing pages are followed but not stored."""

from __future__ import annotations

import pytest

from demo.server import load_manifest
from tests.faultsite import REPO, raw_rows, run_crawl

DATE = "2026-11-22"


@pytest.fixture(scope="module")
def demo_crawl(demo_site, tmp_path_factory: pytest.TempPathFactory):
    lake = str(tmp_path_factory.mktemp("demo") / "lake")
    env = {"AKHBAR_DEMO_URL": demo_site.base_url}
    runs = {name: run_crawl(str(REPO / "sources.yaml"), name, DATE, lake, env=env)
            for name in ("alwaha", "harbor")}
    return runs, lake, demo_site.base_url


def test_every_demo_article_is_fetched(demo_crawl) -> None:
    runs, lake, base = demo_crawl
    manifest = load_manifest()
    for name, run in runs.items():
        assert run.returncode == 0, run.stderr[-3000:]
        rows = {row["url"]: row for row in raw_rows(lake, DATE, name)}
        expected = [a["path"] for a in manifest["articles"] if a["source"] == name]
        assert expected
        for path in expected:
            row = rows[base + path]
            assert row["status"] == 200 and row["error"] is None and row["body"]


def test_robots_and_listings_are_respected(demo_crawl) -> None:
    _, lake, base = demo_crawl
    manifest = load_manifest()
    stored = {row["url"].replace(base, "") for row in raw_rows(lake, DATE)}
    fetched_ok = {row["url"].replace(base, "") for row in raw_rows(lake, DATE)
                  if row["error"] is None}
    assert not fetched_ok & set(manifest["robots_disallowed"])
    assert not stored & (set(manifest["feeds"]) | set(manifest["sitemaps"]))
    assert not stored & {"/en/tag/energy/", "/en/author/jane-doe/"}  # filtered before fetching
    assert not stored & {"/ar/", "/en/", "/ar/category/economy/"}  # sections: followed only
