"""Reader edge cases: older files, corrupt files, partitions vanishing mid-read."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from processing.lake import LakeReadError, SchemaError, open_lake, read_articles
from processing.lake.schemas import SCHEMAS
from tests.lake_helpers import article_rows

DAY = "2026-11-28"


def test_file_from_an_older_schema_reads_with_nulls_for_new_columns(local_lake):
    lake = open_lake(local_lake)
    lake.write_partition("articles", DAY, "alpha", article_rows(3))
    path = f"{local_lake}/articles/dt={DAY}/source=alpha/data.parquet"
    old = pq.read_table(path).drop_columns(["subtitle", "entities"])  # as if written by v0
    pq.write_table(old, path)
    table = read_articles(lake, DAY, DAY)
    assert table.num_rows == 3
    assert table.column("subtitle").null_count == 3
    assert table.schema.field("entities").type == SCHEMAS["articles"].field("entities").type


def test_a_file_that_is_not_parquet_is_a_clear_read_error(local_lake):
    lake = open_lake(local_lake)
    lake.storage.put(f"articles/dt={DAY}/source=alpha/data.parquet", b"not parquet at all")
    with pytest.raises(LakeReadError, match="source=alpha/data.parquet"):
        read_articles(lake, DAY, DAY)


def test_unknown_column_request_is_refused(local_lake):
    with pytest.raises(SchemaError, match="colour"):
        open_lake(local_lake).read("articles", columns=["colour"])


def test_a_file_deleted_between_listing_and_reading_is_relisted(local_lake, monkeypatch):
    lake = open_lake(local_lake)
    lake.write_partition("articles", DAY, "alpha", article_rows(2))
    piece = lake.write_piece("articles", DAY, "alpha", article_rows(2, offset=2))
    from processing.lake.maintenance import compact_partition

    real_open = lake.storage.open_version
    calls = []

    def open_after_compaction(key):
        calls.append(key)
        if len(calls) == 1:  # the first open happens after a compaction removed the piece
            monkeypatch.setattr(lake.storage, "open_version", real_open)
            compact_partition(lake, "articles", DAY, "alpha")
            monkeypatch.setattr(lake.storage, "open_version", open_after_compaction)
        return real_open(key)

    monkeypatch.setattr(lake.storage, "open_version", open_after_compaction)
    table = lake.read("articles")
    assert sorted(table.column("article_id").to_pylist()) == sorted(
        r["article_id"] for r in article_rows(4))
    assert len(calls) >= 2 and not any(piece in k for k in lake.storage.list("articles"))


def test_dt_and_source_are_strings(local_lake):
    lake = open_lake(local_lake)
    lake.write_partition("articles", DAY, "123", article_rows(1))
    table = lake.read("articles")
    assert table.schema.field("dt").type == pa.string()
    assert table.column("source").to_pylist() == ["123"]


def test_filtered_read_fetches_only_wanted_and_filtered_columns(local_lake, monkeypatch):
    """A language filter must not pull every article's text off storage."""
    from processing.lake import reader

    open_lake(local_lake).write_partition("articles", DAY, "alpha",
                                          article_rows(3, language="ar")
                                          + article_rows(2, language="en", offset=3))
    asked: list[list[str]] = []
    real = reader._read_file

    def spy(dataset, source_file, columns):
        asked.append(list(columns))
        return real(dataset, source_file, columns)

    monkeypatch.setattr(reader, "_read_file", spy)
    table = read_articles(local_lake, DAY, DAY, languages=["ar"])
    assert table.num_rows == 3 and "text" in table.column_names
    table = reader.read_articles(open_lake(local_lake).storage, DAY, DAY, languages=["en"],
                                 columns=["article_id"])
    assert table.column_names == ["article_id", "dt", "source"] and table.num_rows == 2
    assert sorted(asked[-1]) == ["article_id", "language"]
