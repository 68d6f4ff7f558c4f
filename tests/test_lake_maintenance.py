"""Compaction of a partition written in pieces, and retention across datasets."""

from __future__ import annotations

from processing.lake import open_lake, read_articles
from processing.lake.fileformat import encode
from processing.lake.maintenance import apply_retention, compact, compact_partition
from processing.lake.schemas import to_table
from tests.lake_helpers import article_rows

DAY = "2026-11-28"


def test_pieces_are_read_together_then_compacted_into_one_file(lake_uri):
    lake = open_lake(lake_uri)
    lake.write_partition("articles", DAY, "alpha", article_rows(3))
    lake.write_piece("articles", DAY, "alpha", article_rows(2, offset=3))
    lake.write_piece("articles", DAY, "alpha", article_rows(4, offset=5))
    assert read_articles(lake, DAY, DAY).num_rows == 9
    assert len(lake.storage.list("articles")) == 3

    result = compact_partition(lake, "articles", DAY, "alpha")
    assert result["pieces"] == 2 and result["rows"] == 9
    assert lake.storage.list("articles") == [f"articles/dt={DAY}/source=alpha/data.parquet"]
    ids = read_articles(lake, DAY, DAY).column("article_id").to_pylist()
    assert sorted(ids) == sorted(r["article_id"] for r in article_rows(9))
    assert compact(lake) == []  # nothing left to do


def test_leftover_piece_already_merged_is_not_counted_twice(local_lake):
    """The state between compaction's PUT and its deletes: our reader must not double rows."""
    lake = open_lake(local_lake)
    piece = lake.write_piece("articles", DAY, "alpha", article_rows(2))
    merged = to_table("articles", article_rows(2))
    lake.storage.put(f"articles/dt={DAY}/source=alpha/data.parquet",
                     encode("articles", merged, replaces=[piece]))
    assert len(lake.storage.list("articles")) == 2
    assert read_articles(lake, DAY, DAY).num_rows == 2


def test_compact_all_finds_every_partition_with_pieces(local_lake):
    lake = open_lake(local_lake)
    lake.write_piece("raw", DAY, "alpha", [{"url": "u1", "fetched_at": f"{DAY}T01:00:00Z",
                                            "run_id": "r"}])
    lake.write_piece("raw", DAY, "alpha", [{"url": "u2", "fetched_at": f"{DAY}T02:00:00Z",
                                            "run_id": "r"}])
    lake.write_partition("articles", DAY, "alpha", article_rows(1))
    done = compact(lake)
    assert [(d["dataset"], d["pieces"], d["rows"]) for d in done] == [("raw", 2, 2)]
    assert lake.read("raw").column("url").to_pylist() == ["u1", "u2"]


def test_retention_deletes_old_days_from_every_dataset(lake_uri):
    lake = open_lake(lake_uri)
    for day in ("2026-10-01", "2026-10-29", "2026-10-30", DAY):
        lake.write_partition("articles", day, "alpha", article_rows(1, day=day))
        lake.write_partition("rejects", day, "beta", [{"url": "u", "reason": "not_article",
                                                      "run_id": "r"}])
    removed = apply_retention(lake, keep_days=30, today="2026-11-29")
    assert sorted(removed) == ["articles/dt=2026-10-01", "articles/dt=2026-10-29",
                               "rejects/dt=2026-10-01", "rejects/dt=2026-10-29"]
    for dataset in ("articles", "rejects"):
        assert [dt for dt, _ in lake.partitions(dataset)] == ["2026-10-30", DAY]
    assert apply_retention(lake, keep_days=30, today="2026-11-29") == []
