"""Item pipeline: collect raw rows during the crawl, write `raw` + `crawl_log` at close.

One writer per partition: a run replaces its `dt`/`source` partition in one atomic write at
the end (so a same-day rerun refetches and replaces). In distributed mode every worker
appends its rows to a Redis list and the last worker to finish writes the union.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import signals

from spiders.stats import crawl_log_row, summary_lines

logger = logging.getLogger(__name__)


class LakeWriterPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.rows: list[dict[str, Any]] = []
        self.shared = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # Written on spider_closed (not close_spider) because only that signal carries the
        # close reason (finished / shutdown / closespider_...) the crawl_log row reports.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None) -> None:
        spider = spider or self.crawler.spider
        if self.crawler.settings.getbool("AKHBAR_DISTRIBUTED"):
            from spiders.distributed import SharedRows

            self.shared = SharedRows.from_settings(self.crawler.settings, spider)
            self.shared.join()

    def process_item(self, item: dict[str, Any], spider=None) -> dict[str, Any]:
        if self.shared is not None:
            self.shared.push(item)
        else:
            self.rows.append(item)
        self.crawler.stats.inc_value("akhbar/rows")
        if item.get("error"):
            self.crawler.stats.inc_value("akhbar/rejects")
        return item

    def spider_closed(self, spider, reason: str | None = None) -> None:
        finished = datetime.now(UTC)
        log = crawl_log_row(self.crawler.stats.get_stats(), spider, finished, reason)
        own_rows = log["items"]
        rows = self.rows
        if self.shared is not None:
            self.shared.push_log(log)
            if not self.shared.leave():
                logger.info("distributed: other workers still running; the last one writes")
                spider.result = {**log, "rows_written": 0, "written_by": "another worker",
                                 "worker_rows": own_rows}
                return
            rows = self.shared.all_rows()
            log = self.shared.merged_log(log)
            self.shared.cleanup()
        self._write(spider, rows, log)
        spider.result["worker_rows"] = own_rows

    def _write(self, spider, rows: list[dict[str, Any]], log: dict[str, Any]) -> None:
        from processing.lake import open_lake

        lake = open_lake(spider.lake)
        rows.sort(key=lambda row: (row["fetched_at"], row["url"]))
        lake.write_partition("raw", spider.run_date, spider.source.name, rows)
        log["items"] = len(rows)
        lake.write_partition("crawl_log", spider.run_date, spider.source.name, [log])
        for line in summary_lines(spider.source.name, log):
            logger.info(line)
        spider.result = {**log, "rows_written": len(rows), "lake": spider.lake}
        spider.result["stats"] = json.loads(log["stats"]) if isinstance(log["stats"], str) else log[
            "stats"]
