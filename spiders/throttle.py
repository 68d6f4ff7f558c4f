"""AutoThrottle that never goes below a host's robots.txt Crawl-delay.

Stock AutoThrottle adapts each host's delay to its latency and would lower a Crawl-delay we
set on the download slot; this keeps the per-host floor (`spider.crawl_delays`).
"""

from __future__ import annotations

from scrapy.extensions.throttle import AutoThrottle


class PoliteAutoThrottle(AutoThrottle):
    def _response_downloaded(self, response, request, spider=None) -> None:
        super()._response_downloaded(response, request, spider)
        key = request.meta.get("download_slot")
        floor = getattr(self.crawler.spider, "crawl_delays", {}).get(key)
        slot = self.crawler.engine.downloader.slots.get(key) if key else None
        if floor and slot is not None and slot.delay < floor:
            slot.delay = floor
