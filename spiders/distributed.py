"""Distributed mode: several crawler processes share one frontier and seen-set in Redis.

scrapy-redis provides the shared scheduler queue and request dupe filter; keys are named
`<key_prefix>:<source>:<run_id>:...`, so workers of one run cooperate and different runs
never see each other's frontier. Raw rows are collected in a Redis list; the last worker to
leave (an active-worker counter) writes the partition once: one writer per partition.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import time
from collections import Counter
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

from processing.sources import Source, SourcesConfig
from spiders import settings as defaults

logger = logging.getLogger(__name__)
BUSY_TTL = 60.0  # s; a worker silent for longer (crashed) no longer keeps the others waiting


def run_key(config: SourcesConfig, source: Source, run_id: str) -> str:
    """`<prefix>:<source>:<run_id>`; '%' is replaced because scrapy-redis %-formats keys."""
    return f"{config.distributed.key_prefix}:{source.name}:{run_id.replace('%', '_')}"


def distributed_settings(config: SourcesConfig, source: Source, *, run_id: str) -> dict[str, Any]:
    key = run_key(config, source, run_id)
    return {
        "AKHBAR_DISTRIBUTED": True,
        "AKHBAR_RUN_KEY": key,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{key}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{key}:dupefilter",
        "DUPEFILTER_KEY": f"{key}:dupefilter",
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor on an empty queue
        "REDIS_URL": config.distributed.redis_url,
        "EXTENSIONS": {**defaults.EXTENSIONS, "spiders.distributed.FrontierIdleGuard": 600},
    }


class SharedFrontier:
    """What all workers of a run agree on: which canonical URLs are claimed (each is
    requested by exactly one worker) and how much of `max_pages` is used (one budget for
    the run, not one per worker). Claiming happens before a request is made, so start URLs
    and links found by several workers are fetched once (see FIELD-NOTES on start URLs)."""

    def __init__(self, redis_url: str, key: str, ttl: int) -> None:
        import redis

        self.redis = redis.Redis.from_url(redis_url)
        self.claims_key = f"{key}:claimed"
        self.budget_key = f"{key}:article_requests"
        self.ttl = ttl
        self.exhausted = False

    @classmethod
    def from_settings(cls, settings) -> SharedFrontier:
        return cls(settings.get("REDIS_URL"), settings.get("AKHBAR_RUN_KEY"),
                   settings.getint("AKHBAR_ROWS_TTL"))

    def claim(self, url: str) -> bool:
        """True for the one worker that gets to request `url` in this run."""
        pipe = self.redis.pipeline()
        pipe.sadd(self.claims_key, url)
        pipe.expire(self.claims_key, self.ttl)
        return bool(pipe.execute()[0])

    def take(self, limit: int) -> bool:
        """One article request out of `limit` for the whole run."""
        if self.exhausted:
            return False
        pipe = self.redis.pipeline()
        pipe.incr(self.budget_key)
        pipe.expire(self.budget_key, self.ttl)
        taken = int(pipe.execute()[0])
        self.exhausted = taken >= limit
        return taken <= limit


class SharedRows:
    """Rows and crawl stats of all workers of one run, kept in Redis until the last leaves."""

    def __init__(self, redis_url: str, key: str, ttl: int) -> None:
        import redis

        self.redis = redis.Redis.from_url(redis_url)
        self.key = key
        self.ttl = ttl

    @classmethod
    def from_settings(cls, settings, spider) -> SharedRows:
        return cls(settings.get("REDIS_URL"), settings.get("AKHBAR_RUN_KEY"),
                   settings.getint("AKHBAR_ROWS_TTL"))

    def join(self) -> None:
        pipe = self.redis.pipeline()
        pipe.incr(f"{self.key}:active")
        pipe.expire(f"{self.key}:active", self.ttl)
        pipe.execute()

    def push(self, row: dict[str, Any]) -> None:
        pipe = self.redis.pipeline()
        pipe.rpush(f"{self.key}:rows", pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))
        pipe.expire(f"{self.key}:rows", self.ttl)
        pipe.execute()

    def push_log(self, log: dict[str, Any]) -> None:
        pipe = self.redis.pipeline()
        pipe.rpush(f"{self.key}:logs", pickle.dumps(log, protocol=pickle.HIGHEST_PROTOCOL))
        pipe.expire(f"{self.key}:logs", self.ttl)
        pipe.execute()

    def leave(self) -> bool:
        """True when this was the last active worker (it must write the partition)."""
        return int(self.redis.decr(f"{self.key}:active")) <= 0

    def all_rows(self) -> list[dict[str, Any]]:
        return [pickle.loads(raw) for raw in self.redis.lrange(f"{self.key}:rows", 0, -1)]

    def merged_log(self, own: dict[str, Any]) -> dict[str, Any]:
        """Sums of every worker's crawl_log row (earliest start, latest finish)."""
        logs = [pickle.loads(raw) for raw in self.redis.lrange(f"{self.key}:logs", 0, -1)] or [own]
        merged = dict(own)
        merged["started_at"] = min(log["started_at"] for log in logs)
        merged["finished_at"] = max(log["finished_at"] for log in logs)
        merged["duration_s"] = round(
            (merged["finished_at"] - merged["started_at"]).total_seconds(), 3)
        for field in ("requests", "responses", "bytes", "retries", "rejects", "new_urls",
                      "already_seen", "items", "errors"):
            merged[field] = sum(int(log.get(field) or 0) for log in logs)
        statuses: Counter[str] = Counter()
        extra: Counter[str] = Counter()
        for log in logs:
            statuses.update(log.get("responses_by_status") or {})
            extra.update({k: v for k, v in (log.get("stats") or {}).items()
                          if isinstance(v, int | float)})
        merged["responses_by_status"] = dict(statuses)
        merged["stats"] = {**dict(extra), "workers": len(logs)}
        return merged

    def cleanup(self) -> None:
        """Everything of the run expires after the TTL. Rows are kept until then: a worker
        that starts late finds the frontier done and rewrites the same union, not an empty one."""
        self.redis.delete(f"{self.key}:active")
        for suffix in ("requests", "dupefilter", "rows", "logs", "busy", "claimed",
                       "article_requests"):
            self.redis.expire(f"{self.key}:{suffix}", self.ttl)


class FrontierIdleGuard:
    """Keeps an idle worker alive while the shared frontier may still grow.

    A worker whose local work is done closes only when the Redis queue is empty and no other
    worker is busy (busy workers may still discover links). Busy = it received a response in
    the last BUSY_TTL seconds and has not gone idle since; kept in a sorted set by time.
    """

    def __init__(self, crawler) -> None:
        import redis

        settings = crawler.settings
        if not settings.getbool("AKHBAR_DISTRIBUTED"):
            raise NotConfigured
        self.crawler = crawler
        self.redis = redis.Redis.from_url(settings.get("REDIS_URL"))
        key = settings.get("AKHBAR_RUN_KEY")
        self.busy_key = f"{key}:busy"
        self.queue_key = settings.get("SCHEDULER_QUEUE_KEY")
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.last_mark = 0.0
        crawler.signals.connect(self.mark_busy, signal=signals.response_received)
        crawler.signals.connect(self.mark_busy, signal=signals.spider_opened)
        crawler.signals.connect(self.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.on_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def mark_busy(self, *args: Any, **kwargs: Any) -> None:
        now = time.time()
        if now - self.last_mark >= 1.0:
            self.redis.zadd(self.busy_key, {self.worker: now})
            self.last_mark = now

    def on_idle(self, *args: Any, **kwargs: Any) -> None:
        self.redis.zrem(self.busy_key, self.worker)
        self.last_mark = 0.0
        self.redis.zremrangebyscore(self.busy_key, 0, time.time() - BUSY_TTL)
        queued = self._queued()
        others = self.redis.zcard(self.busy_key)
        if queued or others:
            logger.info("distributed: idle, waiting (%d queued, %d busy workers)", queued, others)
            raise DontCloseSpider

    def _queued(self) -> int:
        kind = self.redis.type(self.queue_key)
        if kind == b"zset":  # scrapy-redis PriorityQueue
            return int(self.redis.zcard(self.queue_key))
        if kind == b"list":  # FifoQueue / LifoQueue
            return int(self.redis.llen(self.queue_key))
        return 0

    def on_closed(self, *args: Any, **kwargs: Any) -> None:
        self.redis.zrem(self.busy_key, self.worker)
