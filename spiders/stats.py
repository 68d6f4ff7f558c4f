"""Crawl stats in two shapes: a `crawl_log` row for the lake and lines an operator reads."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any


def _count(stats: dict[str, Any], key: str) -> int:
    return int(stats.get(key, 0) or 0)


def responses_by_status(stats: dict[str, Any]) -> dict[str, int]:
    prefix = "downloader/response_status_count/"
    return {k[len(prefix):]: int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)}


def crawl_log_row(stats: dict[str, Any], spider, finished: datetime,
                  close_reason: str | None) -> dict[str, Any]:
    """One `crawl_log` row (schema in processing.lake.schemas) for this crawl."""
    counts = spider.counts
    started = spider.started_at
    rejects = sum(v for k, v in counts.items() if k.startswith("error/"))
    status = "ok"
    message = None
    if close_reason not in (None, "finished"):
        status, message = "partial", f"stopped: {close_reason}"
    elif counts["over_max_pages"]:
        message = f"max_pages ({spider.max_pages}) reached; {counts['over_max_pages']} URLs left"
    rows = _count(stats, "akhbar/rows")
    if rows and rejects >= rows:
        status, message = "failed", message or "every fetch failed"
    extra = {k: v for k, v in counts.items()}
    extra.update({k: v for k, v in stats.items() if isinstance(v, int | float) and "/" in k})
    return {
        "run_id": spider.run_id,
        "started_at": started,
        "finished_at": finished,
        "duration_s": round((finished - started).total_seconds(), 3),
        "requests": _count(stats, "downloader/request_count"),
        "responses": _count(stats, "downloader/response_count"),
        "responses_by_status": responses_by_status(stats),
        "bytes": _count(stats, "downloader/response_bytes"),
        "retries": _count(stats, "retry/count"),
        "rejects": rejects,
        "new_urls": counts["new_urls"],
        "already_seen": counts["already_seen"],
        "items": _count(stats, "akhbar/rows"),
        "errors": _count(stats, "log_count/ERROR"),
        "status": status,
        "message": message,
        "stats": extra,
    }


def summary_lines(source: str, log: dict[str, Any]) -> list[str]:
    """The close-of-crawl summary as a few aligned lines for the Airflow task log."""
    extra = log.get("stats") or {}
    if isinstance(extra, str):
        extra = json.loads(extra)
    errors = {k.split("/", 1)[1]: v for k, v in extra.items() if k.startswith("error/")}
    filtered = {k.split("/", 1)[1]: v for k, v in extra.items() if k.startswith("filtered/")}
    mb = (log.get("bytes") or 0) / 1e6
    duration = log.get("duration_s") or 0.0
    lines = [
        f"crawl {source} {log['status'].upper()} in {duration:.1f}s: "
        f"{log.get('items', 0)} rows written ({log.get('rejects', 0)} failed fetches), "
        f"{log.get('requests', 0)} requests, {mb:.2f} MB",
        f"  urls: {log.get('new_urls', 0)} new, {log.get('already_seen', 0)} already seen, "
        f"{extra.get('refetched', 0)} refetched ({extra.get('not_modified', 0)} not modified), "
        f"{extra.get('too_old', 0)} too old, {extra.get('duplicate_canonical', 0)} duplicates",
        f"  responses by status: {log.get('responses_by_status') or {}}; "
        f"retries: {log.get('retries', 0)}",
    ]
    if errors:
        lines.append(f"  failed fetches by reason: {errors}")
    if filtered:
        lines.append(f"  URLs filtered before fetching: {filtered}")
    if log.get("message"):
        lines.append(f"  note: {log['message']}")
    return lines
