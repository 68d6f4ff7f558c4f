"""The pipeline's stages as plain functions: what `python -m processing run` and the DAGs call.

Each function takes paths/URIs and returns a small JSON-able dict of counts, so an Airflow task
can return it as its XCom and the CLI can print it. Hand-offs go through the lake:
crawl → raw partition; process → staged articles/entities/rejects; publish → live partitions.
"""

from __future__ import annotations

import logging
import time
from datetime import date as Date
from datetime import timedelta

from processing.crawl import CrawlError, run_spider
from processing.dedup import DedupIndex
from processing.ids import new_run_id
from processing.lake import open_lake
from processing.pages import process_pages
from processing.quality import QualityError, check_day
from processing.sources import load_sources

log = logging.getLogger(__name__)

DEDUP_HISTORY_DAYS = 7  # near-duplicates are looked for in this many earlier days
# What process_pages reads of a raw row; discovery and cache headers stay on disk.
RAW_COLUMNS = ("url", "final_url", "status", "content_type", "body", "fetched_at", "error",
               "error_detail")


def crawl_source(
    *, sources_file: str, source: str, date: str, lake: str, run_id: str,
    max_pages: int | None = None,
) -> dict:
    """Fetch one source into `raw/dt=DATE/source=NAME` (and its `crawl_log`)."""
    load_sources(sources_file).source(source)  # fail fast, with the file's own message
    stats = run_spider(sources_file=sources_file, source=source, date=date, lake=lake,
                       run_id=run_id, max_pages=max_pages)
    log.info("crawl %s done: %s", source, stats)
    return stats


def _history_index(lake_uri: str, date: str) -> DedupIndex:
    """Earlier days' articles, so a story seen yesterday is flagged, not stored as new."""
    index = DedupIndex()
    day = Date.fromisoformat(date)
    start = (day - timedelta(days=DEDUP_HISTORY_DAYS)).isoformat()
    end = (day - timedelta(days=1)).isoformat()
    table = open_lake(lake_uri).read(
        "articles", start=start, end=end, columns=["article_id", "text_normalized"]
    )
    for row in table.to_pylist():
        index.add(row["article_id"], row["text_normalized"] or "")
    return index


def process_source(
    *, sources_file: str, source: str, date: str, lake: str, run_id: str
) -> dict:
    """Extract, clean, de-duplicate and tag one source-day from its raw pages; stage the result."""
    started = time.monotonic()
    config = load_sources(sources_file)
    language_hint = config.source(source).language
    store = open_lake(lake)
    raw = store.read("raw", start=date, end=date, sources=[source], columns=list(RAW_COLUMNS))
    output = process_pages(
        raw.to_pylist(), run_id=run_id, language_hint=language_hint,
        history=_history_index(lake, date),
    )
    for dataset, rows in (("articles", output.articles), ("entities", output.entities),
                          ("rejects", output.rejects)):
        store.stage(run_id, dataset, date, source, rows)
    counts = {"source": source, "date": date, "pages": raw.num_rows, **output.counts(),
              "seconds": round(time.monotonic() - started, 2)}
    log.info(
        "process %s %s: %d pages -> %d articles, %d rejects %s, %d entities",
        source, date, counts["pages"], counts["articles"], counts["rejects"],
        counts["reject_reasons"], counts["entities"],
    )
    return counts


def publish(*, lake: str, run_id: str) -> dict:
    """Make everything the run staged visible, one atomic partition replace at a time."""
    partitions = open_lake(lake).publish(run_id)
    log.info("published %d partitions for run %s", len(partitions), run_id)
    return {"run_id": run_id, "partitions": [list(p) for p in partitions]}


def run(
    *, sources_file: str, date: str, lake: str, max_pages: int | None = None,
    sources: list[str] | None = None, run_id: str | None = None,
) -> dict:
    """The whole pipeline for one date without Airflow.

    A source whose crawl cannot run is recorded in `failed_sources` and the others go on; an
    error while processing stops the run before publishing, so nothing half-staged goes live.
    """
    config = load_sources(sources_file)
    run_id = run_id or new_run_id(date)
    summary: dict = {"run_id": run_id, "date": date, "lake": lake, "sources": {}}
    for source in config.enabled_sources(sources):
        entry: dict = {}
        try:
            crawl = crawl_source(sources_file=sources_file, source=source.name, date=date,
                                 lake=lake, run_id=run_id, max_pages=max_pages)
            entry["requests"] = crawl.get("requests")
            entry["crawl"] = crawl
            processed = process_source(sources_file=sources_file, source=source.name,
                                       date=date, lake=lake, run_id=run_id)
            entry.update(fetched=processed["pages"], articles=processed["articles"],
                         rejects=processed["rejects"], entities=processed["entities"],
                         reject_reasons=processed["reject_reasons"])
        except CrawlError as exc:
            log.error("source %s failed: %s", source.name, exc)
            entry["error"] = str(exc)
        summary["sources"][source.name] = entry
    summary["published"] = len(publish(lake=lake, run_id=run_id)["partitions"])
    summary["failed_sources"] = sorted(n for n, e in summary["sources"].items() if "error" in e)
    checked = [n for n in summary["sources"] if n not in summary["failed_sources"]]
    summary["quality"] = quality_gate(lake=lake, date=date, sources=checked, run_id=run_id)
    return summary


def quality_gate(*, lake: str, date: str, sources: list[str], run_id: str) -> dict:
    """The same gate as the DAG's `check` task, reported instead of raised."""
    try:
        report = check_day(lake=lake, date=date, sources=sources, run_id=run_id)
    except QualityError as exc:
        report = exc.report
    for failure in report.failures:
        log.error("quality gate: %s", failure.message)
    return {"ok": report.ok, "failures": [c.message for c in report.failures],
            "warnings": [c.message for c in report.checks if c.status == "warn"]}


def _dates(start: str, end: str) -> list[str]:
    first, last = Date.fromisoformat(start), Date.fromisoformat(end)
    if last < first:
        raise ValueError(f"end date {end} is before start date {start}")
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def reprocess(
    *, sources_file: str, lake: str, start: str, end: str, sources: list[str] | None = None,
    run_id: str | None = None,
) -> dict:
    """Re-run extraction onwards from stored raw pages for a date range; no crawling."""
    config = load_sources(sources_file)
    names = [s.name for s in config.enabled_sources(sources)]
    store = open_lake(lake)
    summary: dict = {"start": start, "end": end, "days": {}}
    for day in _dates(start, end):
        day_run = run_id or new_run_id(day, prefix="reprocess")
        present = {source for _dt, source in store.partitions("raw", start=day, end=day)}
        day_counts = {}
        for name in names:
            if name not in present:
                continue
            day_counts[name] = process_source(sources_file=sources_file, source=name,
                                              date=day, lake=lake, run_id=day_run)
        publish(lake=lake, run_id=day_run)
        summary["days"][day] = day_counts
    return summary
