"""Article-body benchmark: this project's extractor vs trafilatura 2.3.1 (favor_precision), one run.

Both extractors get the same raw bytes; pages are timed alternately (ours, theirs, ours, ...)
so that load from other processes on a shared machine hits both alike. Scores come from the
benchmark's own score.py (imported, not copied).

    .venv/bin/python bench/extraction.py [--bench-dir DIR] [--save DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import logging
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_BENCH = Path("/work/shared/benchmarks/article-extraction")


def load_scorer(bench_dir: Path):
    spec = importlib.util.spec_from_file_location("bench_score", bench_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours(html: bytes, url: str) -> str:
    from processing.extract import ExtractionError, extract_article

    try:
        return extract_article(html, url=url).text
    except ExtractionError:
        return ""


def theirs(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, favor_precision=True) or ""


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # per-page "discarding" noise
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--save", type=Path, help="write predictions JSON files here")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--only-ours", action="store_true")
    args = parser.parse_args(argv)

    scorer = load_scorer(args.bench_dir)
    truth = json.loads((args.bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[: args.limit] if args.limit else sorted(truth)
    html_dir = args.bench_dir / "html"
    pages = {i: gzip.decompress((html_dir / f"{i}.html.gz").read_bytes()) for i in ids}

    # Warm both (imports, model loading) outside the timed loop.
    ours(pages[ids[0]], truth[ids[0]]["url"])
    theirs(pages[ids[0]], truth[ids[0]]["url"])

    extractors = {"akhbar": ours} if args.only_ours else {"akhbar": ours, "trafilatura": theirs}
    predictions: dict[str, dict[str, str]] = {name: {} for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for page_id in ids:
        for name, func in extractors.items():
            start = time.perf_counter()
            predictions[name][page_id] = func(pages[page_id], truth[page_id]["url"])
            seconds[name] += time.perf_counter() - start

    gold = {i: truth[i]["articleBody"] for i in ids}
    results = {}
    for name in extractors:
        metrics = scorer.score(gold, predictions[name], n_bootstrap=200)
        metrics["pages_per_s"] = len(ids) / seconds[name]
        results[name] = metrics
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            out = {i: {"articleBody": t} for i, t in predictions[name].items()}
            (args.save / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False))

    print(f"article-extraction benchmark, {len(ids)} pages, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"{'extractor':<28} {'P':>6} {'R':>6} {'F1':>6} {'+/-':>6} {'empty':>5} {'pages/s':>8}")
    for name, m in results.items():
        label = name if name == "akhbar" else "trafilatura 2.3.1 precision"
        print(f"{label:<28} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} "
              f"{m.get('f1_std', 0):6.3f} {m['n_empty']:5d} {m['pages_per_s']:8.1f}")
    if "trafilatura" in results:
        a, t = results["akhbar"], results["trafilatura"]
        print(f"ratio akhbar/trafilatura: F1 {a['f1'] / t['f1']:.3f}, "
              f"pages/s {a['pages_per_s'] / t['pages_per_s']:.2f}")
        ok = a["f1"] >= 0.965 and a["f1"] >= t["f1"] and a["pages_per_s"] >= t["pages_per_s"]
        print("targets (F1 >= 0.965, >= trafilatura, pages/s >= trafilatura):",
              "MET" if ok else "NOT MET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
