"""Lake benchmark: write and read synthetic articles on a local folder and on a moto S3 server.

    .venv/bin/python bench/lake.py [--articles 100000] [--days 30] [--sources 5]

Prints a markdown table: write/read MB/s (Arrow, i.e. uncompressed, bytes per second), bytes per
article on disk, and a filtered read of one day/one source against a full scan of all days
(the acceptance wants the filtered read >= 10x faster). The moto server runs as a subprocess
so it does not share this process's GIL.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from processing.lake import S3Options, open_lake, read_articles, to_table

SYLLABLES = ["al", "ma", "ra", "ti", "on", "ke", "su", "ba", "de", "li", "mo", "na", "qa", "ha",
             "ze", "in", "or", "et", "us", "ya", "wa", "fi", "lo", "gu", "ne", "sa", "ri", "ko"]


def vocabulary(size: int, rng: np.random.Generator) -> np.ndarray:
    """Pseudo-words of 1-4 syllables; drawn with a Zipf law they compress like real prose."""
    words = set()
    while len(words) < size:
        n = int(rng.integers(1, 5))
        words.add("".join(rng.choice(SYLLABLES, size=n)))
    return np.array(sorted(words), dtype=object)


def synth_partition(day: str, source: str, count: int, start_id: int, vocab: np.ndarray,
                    rng: np.random.Generator) -> pa.Table:
    """`count` articles with ~3 KB of text each, validated through `to_table` like real ones."""
    ranks = np.minimum(rng.zipf(1.3, size=(count, 520)) - 1, len(vocab) - 1)
    base = datetime.fromisoformat(f"{day}T00:00:00+00:00")
    language = "ar" if zlib.crc32(source.encode()) % 2 else "en"  # same split every run
    rows = []
    for i in range(count):
        words = vocab[ranks[i]]
        paragraphs = [" ".join(words[j:j + 65]) + "." for j in range(0, len(words), 65)]
        text = "\n".join(paragraphs)
        aid = f"{start_id + i:020x}"
        url = f"https://{source}.example/{day}/{aid}"
        minute = int(rng.integers(0, 1440))
        rows.append({
            "article_id": aid, "url": url + "?utm_source=rss", "canonical_url": url,
            "site_name": source.title(), "language": language,
            "title": " ".join(words[:9]).capitalize(), "subtitle": " ".join(words[9:25]),
            "text": text, "text_normalized": text.lower(),
            "authors": [" ".join(words[30:32]).title()],
            "published": base + timedelta(minutes=minute),
            "modified": None, "fetched_at": base + timedelta(hours=23),
            "section": ["world", "economy", "sport", "culture"][i % 4],
            "tags": list(words[40:44]), "image": f"{url}/lead.jpg",
            "content_hash": f"{zlib.crc32(text.encode()):016x}", "duplicate_of": None,
            "word_count": len(words),
            "entities": [{"text": w, "normalized": w, "label": ("PER", "ORG", "LOC")[k % 3],
                          "start": k * 10, "end": k * 10 + len(w)}
                         for k, w in enumerate(words[50:56])],
            "run_id": f"bench__{day}",
        })
    return to_table("articles", rows)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto() -> tuple[subprocess.Popen, str]:
    port = free_port()
    moto = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
    proc = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("moto_server did not start")


def lake_bytes(lake) -> int:
    storage = lake.storage
    if hasattr(storage, "root"):
        return sum(p.stat().st_size for p in Path(storage.root).rglob("*.parquet"))
    total = 0
    for page in storage.client.get_paginator("list_objects_v2").paginate(
            Bucket=storage.bucket, Prefix=storage.prefix + "/"):
        total += sum(o["Size"] for o in page.get("Contents", []))
    return total


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def bench_backend(name: str, uri: str, tables: dict, options: S3Options | None) -> dict:
    lake = open_lake(uri, s3=options)
    arrow_bytes = sum(t.nbytes for t in tables.values())
    n = sum(t.num_rows for t in tables.values())

    def write_all() -> None:
        for (day, source), table in tables.items():
            lake.write_partition("articles", day, source, table)

    _, write_s = timed(write_all)
    disk = lake_bytes(lake)
    days = sorted({d for d, _ in tables})
    full, full_s = timed(lambda: read_articles(lake, days[0], days[-1]))
    assert full.num_rows == n, (full.num_rows, n)
    day, source = sorted(tables)[len(tables) // 2]
    one, one_s = timed(lambda: read_articles(lake, day, day, sources=[source]))
    assert one.num_rows == tables[(day, source)].num_rows
    dataset = lake.dataset("articles")
    _, scan_s = timed(lambda: dataset.to_table())
    import pyarrow.dataset as ds
    _, scan_one_s = timed(lambda: dataset.to_table(
        filter=(ds.field("dt") == day) & (ds.field("source") == source)))
    return {
        "backend": name, "articles": n, "write_s": write_s,
        "write_mbps": arrow_bytes / write_s / 1e6, "bytes_per_article": disk / n,
        "disk_mb": disk / 1e6, "full_s": full_s, "read_mbps": arrow_bytes / full_s / 1e6,
        "one_s": one_s, "speedup": full_s / one_s, "scan_s": scan_s, "scan_one_s": scan_one_s,
        "scan_speedup": scan_s / scan_one_s,
    }


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
            f"pyarrow {pa.__version__}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--sources", type=int, default=5)
    parser.add_argument("--skip-s3", action="store_true")
    args = parser.parse_args()

    rng = np.random.default_rng(7)
    vocab = vocabulary(20_000, rng)
    first = date(2026, 10, 1)
    partitions = [((first + timedelta(days=d)).isoformat(), f"source{s}")
                  for d in range(args.days) for s in range(args.sources)]
    per = args.articles // len(partitions)
    extra = args.articles - per * len(partitions)
    tables, made = {}, 0
    start = time.perf_counter()
    for k, (day, source) in enumerate(partitions):
        count = per + (1 if k < extra else 0)
        tables[(day, source)] = synth_partition(day, source, count, made, vocab, rng)
        made += count
    gen_s = time.perf_counter() - start
    avg_text = sum(pa.compute.sum(pa.compute.utf8_length(t.column("text"))).as_py()
                   for t in tables.values()) / made

    results = []
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-lake-") as tmp:
        results.append(bench_backend("local folder", f"{tmp}/lake", tables, None))
    if not args.skip_s3:
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
        proc, endpoint = start_moto()
        try:
            import boto3

            boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
                Bucket="akhbar-bench")
            results.append(bench_backend("moto S3 (HTTP, loopback)", "s3://akhbar-bench/lake",
                                         tables, S3Options(endpoint_url=endpoint)))
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\nLake benchmark, {now}; {machine()}")
    print(f"{made:,} synthetic articles (avg text {avg_text:,.0f} chars, + normalized text), "
          f"{args.days} days x {args.sources} sources = {len(partitions)} partitions; "
          f"generation + validation (to_table) {gen_s:.1f} s\n")
    print("| backend | write MB/s | read MB/s | bytes/article | lake size "
          f"| full scan {args.days} d "
          "| one day+source | speedup | pyarrow.dataset full / filtered |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['backend']} | {r['write_mbps']:.0f} | {r['read_mbps']:.0f} | "
              f"{r['bytes_per_article']:,.0f} | {r['disk_mb']:.0f} MB | {r['full_s']:.2f} s | "
              f"{r['one_s'] * 1000:.0f} ms | {r['speedup']:.0f}x | "
              f"{r['scan_s']:.2f} s / {r['scan_one_s'] * 1000:.0f} ms |")
    print("\nMB/s = Arrow (uncompressed) bytes per second through write_partition / "
          "read_articles; speedup = full-scan time / one-day-one-source time.")
    failed = [r["backend"] for r in results if r["speedup"] < 10]
    if failed:
        print(f"FAIL: filtered read not >= 10x faster than the full scan on {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
