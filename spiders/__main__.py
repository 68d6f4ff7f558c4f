"""`python -m spiders crawl --sources FILE --source NAME --date YYYY-MM-DD --lake URI
[--max-pages N] [--run-id ID]`: crawl one source into the lake's `raw` + `crawl_log`.

Stdout's last line is a JSON object of crawl stats; logs go to stderr. Exit codes: 0 the crawl
ran (even if some or all fetches failed — those are rows with `error`), 2 bad arguments or
sources file, 1 the crawl could not run or its output could not be written.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from datetime import date
from typing import Any

from processing.sources import SourcesError, load_sources

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


def _date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a YYYY-MM-DD date") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m spiders", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    crawl = sub.add_parser("crawl", help="crawl one source into the lake")
    crawl.add_argument("--sources", required=True, help="sources.yaml")
    crawl.add_argument("--source", required=True, help="source name from the sources file")
    crawl.add_argument("--date", required=True, type=_date, help="run date (the dt partition)")
    crawl.add_argument("--lake", required=True, help="lake URI: folder or s3://bucket/prefix")
    crawl.add_argument("--max-pages", type=int, default=None, help="override the source's max")
    crawl.add_argument("--run-id", default=None,
                       help="run id stored in rows (distributed workers of one run share it)")
    crawl.add_argument("--log-level", default=None, help="Scrapy log level (default INFO)")
    crawl.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override one crawler setting (see spiders/settings.py)")
    return parser


def crawl(args: argparse.Namespace) -> tuple[int, dict[str, Any]]:
    try:
        config = load_sources(args.sources)
        source = config.source(args.source)
    except SourcesError as exc:
        return EXIT_CONFIG, {"status": "failed", "error": "bad_config", "message": str(exc)}
    if args.max_pages is not None and args.max_pages < 1:
        return EXIT_CONFIG, {"status": "failed", "error": "bad_config",
                             "message": "--max-pages must be >= 1"}
    run_id = args.run_id or (
        f"crawl-{args.date}" if config.distributed.enabled
        else f"crawl-{args.date}-{uuid.uuid4().hex[:8]}"
    )

    # Scrapy and Twisted are imported only here, in our own process (FIELD-NOTES).
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from spiders import settings as defaults
    from spiders.config import scrapy_settings
    from spiders.news import NewsSpider

    settings = Settings()
    settings.setmodule(defaults, priority="project")
    settings.update(scrapy_settings(config, source, run_id=run_id), priority="cmdline")
    for pair in args.set:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            return EXIT_CONFIG, {"status": "failed", "error": "bad_config",
                                 "message": f"--set {pair!r}: expected NAME=VALUE"}
        settings.set(name.strip(), value, priority="cmdline")
    if args.log_level:
        settings.set("LOG_LEVEL", args.log_level.upper(), priority="cmdline")
    process = CrawlerProcess(settings)  # LOG_INSTALL_ROOT_HANDLER=True: logs go to stderr
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, sources_file=args.sources, source=source.name, run_date=args.date,
                  lake=args.lake, run_id=run_id, max_pages=args.max_pages)
    process.start()
    spider = crawler.spider
    result = getattr(spider, "result", None)
    if result is None:
        return EXIT_FAILED, {"status": "failed", "source": source.name, "run_id": run_id,
                             "error": "not_written",
                             "message": "the crawl's rows were not written (see log above)"}
    return EXIT_OK, {"source": source.name, "date": args.date, **result}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code, result = crawl(args)
    if code == EXIT_CONFIG:
        print(result["message"], file=sys.stderr)
    sys.stdout.flush()
    print(json.dumps(result, default=str, sort_keys=True), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
