"""The lake: hive-partitioned Parquet on a folder or S3, explicit schemas, atomic partition
replace, and a consistent reader. See docs/lake.md and docs/schema.md."""

from collections.abc import Iterable

import pyarrow as pa

from processing.lake.errors import LakeError, LakeReadError, LakeWriteError, SchemaError
from processing.lake.lake import Lake, open_lake
from processing.lake.schemas import DATASETS, SCHEMA_VERSION, SCHEMAS, to_table
from processing.lake.storage import S3Options


def read_articles(lake: Lake | str, start: str, end: str, sources: Iterable[str] | None = None,
                  languages: Iterable[str] | None = None) -> pa.Table:
    """Articles of days [start, end] (inclusive) -> pyarrow Table (`.to_pandas()` for pandas).

    `lake` is a `Lake` or a URI; `sources`/`languages` restrict to those values.
    """
    return open_lake(lake).read_articles(start, end, sources=sources, languages=languages)


__all__ = [
    "DATASETS", "SCHEMAS", "SCHEMA_VERSION", "Lake", "LakeError", "LakeReadError",
    "LakeWriteError", "S3Options", "SchemaError", "open_lake", "read_articles", "to_table",
]
