"""Distributed mode: several crawler processes share one frontier and seen-set in Redis.

scrapy-redis provides the shared scheduler queue and request dupe filter; keys are named
`<key_prefix>:<source>:<run_id>:...`, so workers of one run cooperate and different runs
never see each other's frontier. Raw rows are collected in a Redis list; the last worker to
leave (an active-worker counter) writes the partition once: one writer per partition.
"""

from __future__ import annotations

import pickle
from collections import Counter
from typing import Any

from processing.sources import Source, SourcesConfig


def run_key(config: SourcesConfig, source: Source, run_id: str) -> str:
    return f"{config.distributed.key_prefix}:{source.name}:{run_id}"


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
        "SCHEDULER_IDLE_BEFORE_CLOSE": 1,
        "REDIS_URL": config.distributed.redis_url,
    }


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
        for suffix in ("requests", "dupefilter", "rows", "logs"):
            self.redis.expire(f"{self.key}:{suffix}", self.ttl)
