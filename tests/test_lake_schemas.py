"""to_table enforces the schemas: clear errors for bad rows, faithful values for good ones."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pyarrow.parquet as pq
import pytest

from processing.lake import SCHEMA_VERSION, SCHEMAS, SchemaError, open_lake, to_table
from tests.lake_helpers import article_rows


def test_good_rows_keep_their_values_and_fill_missing_nullables():
    rows = article_rows(2)
    table = to_table("articles", rows)
    assert table.schema.equals(SCHEMAS["articles"])
    first = table.to_pylist()[0]
    assert first["title"] == rows[0]["title"]
    assert first["subtitle"] is None and first["duplicate_of"] is None
    assert first["entities"][0]["label"] == "LOC"


def test_timestamps_become_utc():
    row = article_rows(1)[0]
    row["published"] = datetime(2026, 11, 28, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    row["modified"] = "2026-11-28T10:00:00Z"
    out = to_table("articles", [row]).to_pylist()[0]
    assert out["published"] == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert out["modified"] == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_naive_datetime_is_refused_naming_the_column():
    row = article_rows(1)[0]
    row["published"] = datetime(2026, 11, 28, 12, 0)
    with pytest.raises(SchemaError, match=r"articles\.published row 0.*naive"):
        to_table("articles", [row])


def test_unknown_key_is_an_error():
    row = article_rows(1)[0] | {"colour": "red"}
    with pytest.raises(SchemaError, match="colour"):
        to_table("articles", [row])


def test_missing_required_value_is_an_error():
    rows = article_rows(3)
    del rows[2]["title"]
    with pytest.raises(SchemaError, match=r"articles\.title row 2: required"):
        to_table("articles", rows)


def test_wrong_type_names_column_and_row():
    rows = article_rows(3)
    rows[1]["word_count"] = "many"
    with pytest.raises(SchemaError, match=r"articles\.word_count row 1"):
        to_table("articles", rows)


def test_values_outside_the_allowed_set_are_refused():
    row = {"article_id": "a", "text": "Doha", "label": "CITY", "start": 0, "end": 4}
    with pytest.raises(SchemaError, match="CITY"):
        to_table("entities", [row])


def test_dataclass_entities_and_dict_stats_are_accepted():
    from processing.entities.entity import Entity

    row = article_rows(1)[0] | {"entities": [Entity("Doha", "doha", "LOC", 0, 4)]}
    assert to_table("articles", [row]).column("entities").to_pylist()[0][0]["end"] == 4
    log = {"run_id": "r", "started_at": datetime.now(UTC), "responses_by_status": {"200": 3}}
    stored = to_table("crawl_log", [log]).column("responses_by_status")[0].as_py()
    assert json.loads(stored) == {"200": 3}


def test_unknown_dataset_is_an_error():
    with pytest.raises(SchemaError, match="unknown dataset"):
        to_table("tweets", [])


def test_files_carry_schema_version_and_no_partition_columns(local_lake):
    lake = open_lake(local_lake)
    rows = [r | {"dt": "2026-11-28", "source": "s"} for r in article_rows(2)]
    lake.write_partition("articles", date(2026, 11, 28), "s", rows)
    path = f"{local_lake}/articles/dt=2026-11-28/source=s/data.parquet"
    schema = pq.read_schema(path)
    assert schema.metadata[b"akhbar.schema_version"] == str(SCHEMA_VERSION).encode()
    assert "dt" not in schema.names and "source" not in schema.names
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"


def test_partition_key_that_contradicts_the_partition_is_refused(local_lake):
    rows = [r | {"source": "elsewhere"} for r in article_rows(1)]
    with pytest.raises(SchemaError, match="source"):
        open_lake(local_lake).write_partition("articles", "2026-11-28", "s", rows)


def test_a_table_is_conformed_casting_types_and_dropping_matching_partition_keys(local_lake):
    import pyarrow as pa

    table = to_table("articles", article_rows(3))
    table = table.set_column(table.schema.get_field_index("word_count"), "word_count",
                             pa.array([5, 6, 7], pa.int64()))
    table = table.select(list(reversed(table.column_names)))
    table = table.append_column("source", pa.array(["s"] * 3)).drop_columns(["subtitle"])
    lake = open_lake(local_lake)
    lake.write_partition("articles", "2026-11-28", "s", table)
    back = lake.read("articles")
    assert back.schema.field("word_count").type == pa.int32()
    assert sorted(back.column("word_count").to_pylist()) == [5, 6, 7]
    assert back.column("subtitle").null_count == 3
