"""How one partition becomes Parquet bytes and back: sort order, row groups, zstd, metadata.

Row groups are sized by rows per dataset so that each is roughly 16-64 MB uncompressed: big
enough for efficient scans and zstd, small enough that a `published`/`language` filter can skip
groups of a large day and a reader never holds more than one group per column in memory.
Page indexes (column index + offset index) are written too, so engines that use them
(Arrow, DuckDB, Spark) also prune pages inside a group.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from processing.lake.schemas import SORT_KEYS, schema_for

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 3
META_REPLACES = b"akhbar.replaces"
META_WRITTEN_AT = b"akhbar.written_at"

# ~8 KB/article (text + normalized text + metadata) -> 4096 rows ~ 32 MB uncompressed per group.
ROW_GROUP_ROWS: dict[str, int] = {
    "articles": 4096,
    "entities": 128 * 1024,  # ~60 B/row
    "raw": 512,  # whole HTML pages, ~60-150 KB each
    "rejects": 64 * 1024,
    "crawl_log": 64 * 1024,
    "quality": 64 * 1024,
}


def sort_for_file(dataset: str, table: pa.Table) -> pa.Table:
    keys = [(name, order) for name, order in SORT_KEYS[dataset] if name in table.column_names]
    if not keys or table.num_rows < 2:
        return table
    return table.sort_by(keys)


def encode(dataset: str, table: pa.Table, *, replaces: list[str] | None = None) -> bytes:
    """A conformed table -> the bytes of one Parquet file (sorted, zstd, versioned metadata)."""
    table = sort_for_file(dataset, table)
    metadata = dict(schema_for(dataset).metadata or {})
    metadata[META_WRITTEN_AT] = datetime.now(UTC).isoformat().encode()
    if replaces:
        metadata[META_REPLACES] = json.dumps(sorted(replaces)).encode()
    table = table.replace_schema_metadata(metadata)
    sorting = list(pq.SortingColumn.from_ordering(table.schema, SORT_KEYS[dataset])
                   ) if SORT_KEYS.get(dataset) else None
    sink = pa.BufferOutputStream()
    pq.write_table(
        table,
        sink,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        row_group_size=ROW_GROUP_ROWS.get(dataset, 64 * 1024),
        write_page_index=True,
        sorting_columns=sorting,
        write_statistics=True,
    )
    return sink.getvalue().to_pybytes()


def replaced_pieces(metadata: dict[bytes, bytes]) -> set[str]:
    raw = metadata.get(META_REPLACES)
    return set(json.loads(raw)) if raw else set()


def decode(data: bytes, columns: list[str] | None = None) -> pa.Table:
    """Bytes of one file -> table (only `columns` that the file has, when given)."""
    pf = pq.ParquetFile(pa.BufferReader(data))
    if columns is not None:
        present = set(pf.schema_arrow.names)
        columns = [c for c in columns if c in present]
    return pf.read(columns=columns)
