"""A reader looping while a rerun rewrites the day never sees duplicates, gaps or a mix."""

from __future__ import annotations

import threading

from processing.lake import open_lake, read_articles
from tests.lake_helpers import article_rows

DAY, SOURCE, ROWS, REWRITES = "2026-11-28", "alpha", 300, 15


def test_reader_during_reruns_sees_whole_versions_only(lake_uri):
    lake = open_lake(lake_uri)
    versions = [article_rows(ROWS, version=f"v{k}") for k in range(REWRITES + 1)]
    expected_ids = {r["article_id"] for r in versions[0]}
    lake.write_partition("articles", DAY, SOURCE, versions[0])
    errors: list[BaseException] = []

    def rerun() -> None:
        try:
            writer = open_lake(lake_uri)
            for rows in versions[1:]:
                writer.write_partition("articles", DAY, SOURCE, rows)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=rerun)
    thread.start()
    seen_versions, reads = set(), 0
    while thread.is_alive() or reads < 3:
        table = read_articles(lake_uri, DAY, DAY, sources=[SOURCE])
        ids = table.column("article_id").to_pylist()
        assert len(ids) == ROWS, f"read {reads}: {len(ids)} rows"
        assert set(ids) == expected_ids, f"read {reads}: duplicate or missing ids"
        run_ids = set(table.column("run_id").to_pylist())
        assert len(run_ids) == 1, f"read {reads}: rows of several versions {run_ids}"
        seen_versions |= run_ids
        reads += 1
    thread.join()
    assert not errors, errors
    assert reads >= 3
    assert len(seen_versions) >= 2, "the reads never overlapped a rewrite"
    final = read_articles(lake_uri, DAY, DAY).column("run_id").to_pylist()
    assert set(final) == {f"run-v{REWRITES}"} and len(final) == ROWS


def test_plain_pyarrow_dataset_on_a_folder_never_sees_duplicates(local_lake):
    """Locally os.replace swaps the one file atomically, so even a plain scanner is safe."""
    lake = open_lake(local_lake)
    lake.write_partition("articles", DAY, SOURCE, article_rows(ROWS, version="v0"))
    done = threading.Event()

    def rerun() -> None:
        for k in range(1, REWRITES):
            lake.write_partition("articles", DAY, SOURCE, article_rows(ROWS, version=f"v{k}"))
        done.set()

    thread = threading.Thread(target=rerun)
    thread.start()
    while not done.is_set():
        table = lake.dataset("articles").to_table(columns=["article_id", "run_id"])
        assert table.num_rows == ROWS
        assert len(set(table.column("run_id").to_pylist())) == 1
    thread.join()


def test_ranged_s3_reads_never_mix_versions(s3_lake, monkeypatch):
    """Column reads of big files go by byte ranges pinned to one ETag (If-Match); a rewrite in
    between must make the reader start over, never return rows of two versions."""
    from processing.lake.storage import S3VersionFile

    monkeypatch.setattr(S3VersionFile, "TAIL", 4096)  # force ranged reads on small test files
    lake = open_lake(s3_lake)
    lake.write_partition("articles", DAY, SOURCE, article_rows(ROWS, version="v0"))
    errors: list[BaseException] = []

    def rerun() -> None:
        try:
            for k in range(1, REWRITES):
                lake.write_partition("articles", DAY, SOURCE, article_rows(ROWS, version=f"v{k}"))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=rerun)
    thread.start()
    reads = 0
    while thread.is_alive() or reads < 3:
        table = lake.read("articles", columns=["article_id", "title", "run_id"])
        assert table.num_rows == ROWS
        versions = {t.split()[-1] for t in table.column("title").to_pylist()}
        assert len(versions) == 1 and {f"run-{v}" for v in versions} == set(
            table.column("run_id").to_pylist()), f"read {reads} mixed {versions}"
        reads += 1
    thread.join()
    assert not errors, errors


def test_a_replaced_object_is_detected_by_its_etag(s3_lake, monkeypatch):
    from processing.lake.storage import S3VersionFile

    monkeypatch.setattr(S3VersionFile, "TAIL", 4096)
    lake = open_lake(s3_lake)
    lake.write_partition("articles", DAY, SOURCE, article_rows(ROWS))
    handle = lake.storage.open_version(f"articles/dt={DAY}/source={SOURCE}/data.parquet")
    changed_under_us = False
    lake.write_partition("articles", DAY, SOURCE, article_rows(ROWS, version="v9"))
    try:
        handle.seek(0)
        handle.read(100)
    except Exception as exc:
        changed_under_us = type(exc).__name__ == "ObjectChangedError"
    assert changed_under_us


def test_column_reads_on_s3_fetch_only_those_columns(s3_lake, monkeypatch):
    """Reading `url` from raw must not download every HTML body (the spider's incremental check
    reads past raw partitions this way)."""
    import os

    lake = open_lake(s3_lake)
    rows = [{"url": f"https://news.example/{i}", "body": os.urandom(20_000),
             "fetched_at": f"{DAY}T01:00:00Z", "run_id": "r"} for i in range(200)]
    lake.write_partition("raw", DAY, SOURCE, rows)
    opened = []
    real_open = lake.storage.open_version
    monkeypatch.setattr(lake.storage, "open_version",
                        lambda key: opened.append(real_open(key)) or opened[-1])
    urls = lake.read("raw", start=DAY, end=DAY, columns=["url"]).column("url").to_pylist()
    assert sorted(urls) == sorted(r["url"] for r in rows)
    size = lake.storage.client.head_object(
        Bucket=lake.storage.bucket,
        Key=f"{lake.storage.prefix}/raw/dt={DAY}/source={SOURCE}/data.parquet")["ContentLength"]
    fetched = sum(h.bytes_fetched for h in opened)
    assert size > 3_000_000 and fetched < size / 2, (fetched, size)
