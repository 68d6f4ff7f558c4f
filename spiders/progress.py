"""Progress lines during long crawls, in words an operator reads in the Airflow task log."""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger("spiders.progress")


class ProgressLog:
    def __init__(self, crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("AKHBAR_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider=None) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def report(self) -> None:
        stats = self.crawler.stats.get_stats()
        spider = self.crawler.spider
        counts = getattr(spider, "counts", {})
        elapsed = time.monotonic() - self.started
        rows = int(stats.get("akhbar/rows", 0))
        pending = self._queued()
        logger.info(
            "progress %s: %d pages stored (%d failed) in %.0fs = %.1f pages/s; %d requests, "
            "%s queued, %d already seen, %d retries, %.1f MB",
            getattr(getattr(spider, "source", None), "name", "?"), rows,
            int(stats.get("akhbar/rejects", 0)), elapsed, rows / elapsed if elapsed else 0.0,
            int(stats.get("downloader/request_count", 0)), pending,
            counts.get("already_seen", 0), int(stats.get("retry/count", 0)),
            stats.get("downloader/response_bytes", 0) / 1e6,
        )

    def _queued(self) -> int | str:
        try:
            return len(self.crawler.engine.scheduler)
        except Exception:  # no scheduler yet, or one without __len__
            return "?"

    def closed(self, spider=None, reason: str | None = None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
