"""`make demo`: serve the bundled demo site, run the whole pipeline on it, show what landed.

The same `processing.pipeline.run` that the CLI and the DAG use; only the site is local.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATASETS = ("raw", "articles", "entities", "rejects", "crawl_log")


def _print_summary(summary: dict, lake: str) -> None:
    import pyarrow.dataset as ds

    print()
    print(f"Parquet landed in {lake}/<dataset>/dt={summary['date']}/source=<name>/")
    for dataset in DATASETS:
        folder = Path(lake) / dataset / f"dt={summary['date']}"
        if folder.exists():
            files = sorted(str(p.relative_to(Path(lake))) for p in folder.rglob("*.parquet"))
            for name in files:
                print(f"  {name}")
    print()
    header = (f"{'source':<10} {'requests':>9} {'pages':>6} {'articles':>9} {'rejects':>8} "
              f"{'entities':>9}")
    print(header)
    print("-" * len(header))
    for name, entry in summary["sources"].items():
        if "error" in entry:
            print(f"{name:<10} FAILED: {entry['error'].splitlines()[0]}")
            continue
        print(f"{name:<10} {entry.get('requests') or 0:>9} {entry.get('fetched') or 0:>6} "
              f"{entry.get('articles', 0):>9} "
              f"{entry.get('rejects', 0):>8} {entry.get('entities', 0):>9}")
    articles = ds.dataset(Path(lake) / "articles", partitioning="hive").to_table(
        columns=["source", "language", "title"], filter=ds.field("dt") == summary["date"]
    ).to_pylist()
    print()
    print(f"{len(articles)} articles for {summary['date']}; a few titles:")
    for row in articles[:6]:
        print(f"  [{row['source']}/{row['language']}] {row['title']}")
    print()
    print("Read it back, e.g.:")
    print(f"  .venv/bin/python -c \"import pandas as pd; "
          f"print(pd.read_parquet('{lake}/articles').head())\"")


def main(argv: list[str] | None = None) -> int:
    from demo.server import serve_demo_site
    from processing.cli import summary_line
    from processing.pipeline import run

    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    parser.add_argument("--lake", default="./data/lake")
    parser.add_argument("--date", default=datetime.now(UTC).date().isoformat())
    parser.add_argument("--sources", default=str(REPO_ROOT / "sources.yaml"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    lake = str(Path(args.lake).resolve())
    with serve_demo_site(port=0) as site:
        os.environ["AKHBAR_DEMO_URL"] = site.base_url
        print(f"demo site serving on {site.base_url}", flush=True)
        summary = run(sources_file=args.sources, date=args.date, lake=lake)
    _print_summary(summary, lake)
    print(json.dumps(summary_line(summary), ensure_ascii=False))
    quality = summary["quality"]
    print(f"quality gate: {'ok' if quality['ok'] else 'FAILED: ' + '; '.join(quality['failures'])}")
    return 1 if summary["failed_sources"] or not quality["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
