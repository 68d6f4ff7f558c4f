"""`python -m processing ...`: the pipeline without Airflow, one subcommand per job.

Output contract: `extract` prints one JSON object per input file (JSON Lines, in order),
`entities` prints one JSON array, `run`/`reprocess` end with one JSON summary line.
Errors go to stderr with exit code 2 (bad input) or 1 (a stage failed).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, date, datetime
from pathlib import Path

DEFAULT_LAKE = "./data/lake"


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _emit(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n")
    sys.stdout.flush()


def _valid_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from exc


EXTRACT_KEYS = ("url", "canonical_url", "title", "subtitle", "text", "authors", "published",
                "modified", "language", "site_name", "section", "tags", "image")


def cmd_extract(args: argparse.Namespace) -> int:
    from processing.extract import ExtractionError, extract_article

    status = 0
    for name in args.files:
        path = Path(name)
        url = args.url or path.resolve().as_uri()
        try:
            article = extract_article(path.read_bytes(), url=url, content_type=args.content_type)
        except ExtractionError as exc:
            _emit({"url": url, "file": name, "error": exc.reason, "detail": exc.detail})
            status = 1
            continue
        except OSError as exc:
            _emit({"url": url, "file": name, "error": "unreadable", "detail": str(exc)})
            status = 1
            continue
        record = article.as_dict()
        _emit({key: record.get(key) for key in EXTRACT_KEYS})
    return status


def cmd_entities(args: argparse.Namespace) -> int:
    from processing.entities import extract_entities

    text = sys.stdin.read()
    spans = extract_entities([text], args.lang)[0]
    _emit([{"text": s.text, "normalized": s.normalized, "label": s.label,
            "start": s.start, "end": s.end} for s in spans])
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from processing.pipeline import run

    summary = run(sources_file=args.sources, date=args.date, lake=args.lake,
                  max_pages=args.max_pages, sources=args.source or None)
    _emit(summary_line(summary))
    return 1 if summary["failed_sources"] or not summary["quality"]["ok"] else 0


def summary_line(summary: dict) -> dict:
    """The compact per-source counts an operator reads (the crawl stats stay in crawl_log)."""
    per_source = {}
    for name, entry in summary["sources"].items():
        per_source[name] = {k: entry.get(k) for k in ("requests", "fetched", "articles", "rejects",
                                                      "entities", "reject_reasons", "error")
                            if k in entry}
    return {"run_id": summary["run_id"], "date": summary["date"], "lake": summary["lake"],
            "sources": per_source, "failed_sources": summary["failed_sources"],
            "quality": summary.get("quality")}


def cmd_reprocess(args: argparse.Namespace) -> int:
    from processing.pipeline import reprocess

    _emit(reprocess(sources_file=args.sources, lake=args.lake, start=args.start,
                    end=args.end, sources=args.source or None))
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from processing.lake import open_lake
    from processing.lake.maintenance import apply_retention

    removed = apply_retention(open_lake(args.lake), keep_days=args.keep_days,
                              today=args.today or datetime.now(UTC).date().isoformat())
    _emit({"removed_partitions": removed})
    return 0


def cmd_compact(args: argparse.Namespace) -> int:
    from processing.lake import open_lake
    from processing.lake.maintenance import compact_partition

    store = open_lake(args.lake)
    _emit({"compacted": compact_partition(store, args.dataset, args.date, args.source)})
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m processing", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract articles from raw HTML files (JSON Lines out)")
    p.add_argument("files", nargs="+")
    p.add_argument("--url", help="the page's URL (default: the file's file:// URI)")
    p.add_argument("--content-type", help="Content-Type as the server sent it (may be wrong)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("entities", help="entities in text read from stdin (JSON array out)")
    p.add_argument("--lang", required=True, choices=["ar", "en"])
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("run", help="crawl, process and publish one date")
    p.add_argument("--sources", required=True, help="sources file (sources.yaml)")
    p.add_argument("--date", required=True, type=_valid_date)
    p.add_argument("--lake", default=DEFAULT_LAKE, help="folder or s3://bucket/prefix")
    p.add_argument("--max-pages", type=int, help="cap pages per source for this run")
    p.add_argument("--source", action="append", help="only this source (repeatable)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("reprocess", help="re-extract a date range from stored raw pages")
    p.add_argument("--sources", required=True)
    p.add_argument("--lake", default=DEFAULT_LAKE)
    p.add_argument("--start", required=True, type=_valid_date)
    p.add_argument("--end", required=True, type=_valid_date)
    p.add_argument("--source", action="append")
    p.set_defaults(func=cmd_reprocess)

    p = sub.add_parser("retention", help="delete partitions older than N days")
    p.add_argument("--lake", default=DEFAULT_LAKE)
    p.add_argument("--keep-days", type=int, required=True)
    p.add_argument("--today", type=_valid_date)
    p.set_defaults(func=cmd_retention)

    p = sub.add_parser("compact", help="merge a partition written in several pieces")
    p.add_argument("--lake", default=DEFAULT_LAKE)
    p.add_argument("--dataset", required=True)
    p.add_argument("--date", required=True, type=_valid_date)
    p.add_argument("--source", required=True)
    p.set_defaults(func=cmd_compact)
    return parser


def main(argv: list[str] | None = None) -> int:
    from processing.sources import SourcesError

    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args)
    except SourcesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
