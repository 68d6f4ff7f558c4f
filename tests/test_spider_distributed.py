"""Distributed mode: two crawler processes share one Redis frontier and seen-set; on a
1,000-page site every page is fetched exactly once and the union is complete."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid

import psutil
import pytest

from processing.lake import open_lake
from tests.faultsite import REPO, FaultSite, raw_rows, serve, sitemap_index, urlset
from tests.services import ensure_redis

PAGES = 1000
DATE = "2026-11-21"


class BothWorkersGate:
    """Holds article responses until both worker processes have asked for one.

    Without it, on a busy host one worker can drain the whole budget while the other is still
    starting (an idle worker looks at the shared queue only every few seconds), and the test
    would measure that race instead of the sharing. Requests are told apart by the worker that
    owns the client port; after `timeout` the gate opens anyway (the test then fails on the
    shares, it does not hang)."""

    def __init__(self, site: FaultSite, timeout: float = 60.0):
        self.site = site
        self.timeout = timeout
        self.pids: list[int] = []
        self.seen: set[int] = set()
        self.lock = threading.Lock()
        self.open = threading.Event()

    def _owner(self, port: int) -> int | None:
        for pid in self.pids:
            try:
                connections = psutil.Process(pid).net_connections(kind="tcp")
            except psutil.Error:
                continue
            if any(c.laddr and c.laddr.port == port for c in connections):
                return pid
        return None

    def wrap(self, handler):
        def gated(query, headers):
            if not self.open.is_set():
                owner = self._owner(self.site.local.client[1])
                with self.lock:
                    if owner is not None:
                        self.seen.add(owner)
                    if len(self.seen) == len(self.pids) == 2:
                        self.open.set()
                self.open.wait(self.timeout)
            return handler(query, headers)

        return gated


@pytest.mark.services
@pytest.mark.parametrize("max_pages", [PAGES, 600])
def test_two_workers_share_the_frontier(tmp_path, max_pages: int) -> None:
    """max_pages is one budget for the run (a Redis counter), not one per worker."""
    import redis

    redis_url = ensure_redis()
    prefix = f"akhbar-test-{uuid.uuid4().hex[:12]}"
    site = FaultSite()
    with serve(site):
        base = site.base_url
        paths = [f"/story/{i}.html" for i in range(PAGES)]
        gate = BothWorkersGate(site)
        for path in paths:
            site.article(path, latency=0.01)
            site.routes[path] = gate.wrap(site.routes[path])
        half = PAGES // 2
        site.page("/a.xml", urlset([(base + p, None) for p in paths[:half]]))
        site.page("/b.xml", urlset([(base + p, None) for p in paths[half:]]))
        site.page("/index.xml", sitemap_index([(base + "/a.xml", None), (base + "/b.xml", None)]))
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"""
obey_robots: false
distributed:
  enabled: true
  redis_url: {redis_url}/0
  key_prefix: {prefix}
sources:
  - name: spread
    start_urls: ["{base}/index.xml"]
    max_pages: {max_pages}
    concurrency: 8
""")
        lake = str(tmp_path / "lake")
        command = [sys.executable, "-m", "spiders", "crawl", "--sources", str(sources),
                   "--source", "spread", "--date", DATE, "--lake", lake, "--run-id", "r1"]
        workers = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True) for _ in range(2)]
        gate.pids = [worker.pid for worker in workers]
        outputs = [worker.communicate(timeout=180) for worker in workers]
    try:
        for worker, (_, err) in zip(workers, outputs, strict=True):
            assert worker.returncode == 0, err[-3000:]
        results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
        shares = [result["worker_rows"] for result in results]
        assert all(share > 0 for share in shares) and sum(shares) == max_pages  # both worked
        rows = raw_rows(lake, DATE, "spread")
        urls = [row["url"] for row in rows]
        assert len(urls) == len(set(urls)) == max_pages  # union complete, nothing twice
        assert all(row["status"] == 200 for row in rows)
        hits = [site.count(path) for path in paths]
        assert set(hits) <= {0, 1} and sum(hits) == max_pages  # each page fetched at most once
        assert site.count("/index.xml") == 1
        log = open_lake(lake).read("crawl_log", start=DATE, end=DATE).to_pylist()
        assert len(log) == 1 and json.loads(log[0]["stats"])["workers"] == 2
        assert log[0]["items"] == max_pages
        print("pages per worker:", shares)
    finally:
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
