"""Writing, rerunning, staging and publishing partitions, on a folder and on moto S3 over HTTP."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.dataset as ds

from processing.lake import open_lake, read_articles
from tests.lake_helpers import article_rows

DAY = "2026-11-28"


def test_rerun_replaces_the_day(lake_uri):
    lake = open_lake(lake_uri)
    lake.write_partition("articles", DAY, "alpha", article_rows(20, version="v1"))
    lake.write_partition("articles", DAY, "alpha", article_rows(20, version="v2"))
    table = read_articles(lake_uri, DAY, DAY)
    assert table.num_rows == 20
    assert len(set(table.column("article_id").to_pylist())) == 20
    assert {t.split()[-1] for t in table.column("title").to_pylist()} == {"v2"}
    assert set(table.column("dt").to_pylist()) == {DAY}
    assert set(table.column("source").to_pylist()) == {"alpha"}


def test_one_object_per_partition_for_plain_readers(lake_uri):
    lake = open_lake(lake_uri)
    for version in ("v1", "v2", "v3"):
        lake.write_partition("articles", DAY, "alpha", article_rows(4, version=version))
    assert lake.storage.list("articles") == [f"articles/dt={DAY}/source=alpha/data.parquet"]
    assert lake.dataset("articles").to_table().num_rows == 4


def test_read_filters_days_sources_languages_and_columns(lake_uri):
    lake = open_lake(lake_uri)
    lake.write_partition("articles", "2026-11-27", "alpha", article_rows(3, day="2026-11-27"))
    lake.write_partition("articles", DAY, "alpha", article_rows(5, language="ar"))
    lake.write_partition("articles", DAY, "beta", article_rows(2, offset=50))
    assert read_articles(lake, DAY, DAY).num_rows == 7
    assert read_articles(lake, "2026-11-27", DAY, sources=["alpha"]).num_rows == 8
    only_ar = read_articles(lake, "2026-11-01", "2026-11-30", languages=["ar"])
    assert set(only_ar.column("language").to_pylist()) == {"ar"} and only_ar.num_rows == 5
    slim = lake.read("articles", start=DAY, columns=["article_id", "title"])
    assert slim.column_names == ["article_id", "title", "dt", "source"]
    assert slim.num_rows == 7
    filtered = lake.read("articles", filter=ds.field("source") == "beta")
    assert filtered.num_rows == 2
    assert read_articles(lake, DAY, DAY).to_pandas().shape[0] == 7


def test_nothing_matching_gives_an_empty_table_with_the_schema(lake_uri):
    table = open_lake(lake_uri).read("entities", start=DAY, end=DAY)
    assert table.num_rows == 0
    assert table.column_names[-2:] == ["dt", "source"]
    assert table.schema.field("start").type == pa.int32()


def test_stage_then_publish_once_and_again(lake_uri):
    lake = open_lake(lake_uri)
    lake.write_partition("articles", DAY, "alpha", article_rows(9, version="old"))
    lake.write_partition("rejects", DAY, "alpha", [{"url": "u", "reason": "not_article",
                                                    "run_id": "old"}])
    lake.stage("run-2", "articles", DAY, "alpha", article_rows(6, version="first-try"))
    lake.stage("run-2", "articles", DAY, "alpha", article_rows(6, version="new"))  # retry
    lake.stage("run-2", "rejects", DAY, "alpha", [])
    assert read_articles(lake, DAY, DAY).num_rows == 9  # staging is invisible
    published = lake.publish("run-2")
    assert published == [("articles", DAY, "alpha"), ("rejects", DAY, "alpha")]
    titles = read_articles(lake, DAY, DAY).column("title").to_pylist()
    assert len(titles) == 6 and all(t.endswith(" new") for t in titles)
    assert lake.read("rejects").num_rows == 0  # an empty rerun replaces old rejects
    assert lake.publish("run-2") == []
    assert read_articles(lake, DAY, DAY).num_rows == 6
    assert not [k for k in lake.storage.list("_staging")]


def test_staged_pieces_are_concatenated_on_publish(lake_uri):
    lake = open_lake(lake_uri)
    lake.stage("run-p", "articles", DAY, "alpha", article_rows(3), piece="a")
    lake.stage("run-p", "articles", DAY, "alpha", article_rows(4, offset=3), piece="b")
    lake.stage("run-p", "articles", DAY, "alpha", article_rows(4, offset=3), piece="b")
    assert lake.staged("run-p") == [("articles", DAY, "alpha")]
    lake.publish("run-p")
    assert read_articles(lake, DAY, DAY).num_rows == 7


def test_rows_within_a_file_are_sorted_for_pruning(local_lake):
    import pyarrow.parquet as pq

    rows = article_rows(10, language="en") + article_rows(10, language="ar", offset=10)
    rows.reverse()
    open_lake(local_lake).write_partition("articles", DAY, "alpha", rows)
    table = pq.read_table(f"{local_lake}/articles/dt={DAY}/source=alpha/data.parquet")
    keys = list(zip(table.column("language").to_pylist(), table.column("published").to_pylist(),
                    strict=True))
    assert keys == sorted(keys)
