"""Reading partitions back, consistently even while a rerun replaces them.

Each file is read through `Storage.open_version`: locally one open() (the inode stays ours even
if os.replace swaps the name), on S3 a tail GET that also pins the ETag, then only the needed
column ranges with If-Match — a concurrent replace gives us the old or the new object, never a
torn mix of byte ranges (after a 412 we read the partition again, each object in one GET).
Pieces already merged into data.parquet (listed in its `akhbar.replaces` metadata) are
skipped; a file that vanished between listing and fetching (compaction, retention) makes us
list that partition again.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from processing.lake import paths
from processing.lake.errors import LakeReadError, SchemaError
from processing.lake.fileformat import replaced_pieces
from processing.lake.schemas import PARTITION_KEYS, schema_for
from processing.lake.storage import ObjectChangedError, Storage

FETCH_THREADS = 8
RELIST_ATTEMPTS = 4
Partition = tuple[str, str]  # (dt, source)
# pyarrow has no public API for the fields an Expression refers to; the words of its text are a
# superset of them (a literal may add a column, never hide one), which is all projection needs.
_IDENTIFIER = re.compile(r"\w+")


def list_partitions(storage: Storage, dataset: str, *, start: str | None = None,
                    end: str | None = None, sources: Iterable[str] | None = None,
                    ) -> dict[Partition, list[str]]:
    """(dt, source) -> file keys, for partitions in [start, end] (inclusive) and `sources`."""
    schema_for(dataset)
    start = paths.check_dt(start) if start is not None else None
    end = paths.check_dt(end) if end is not None else None
    wanted = set(sources) if sources is not None else None
    if start is None and end is None:
        keys = storage.list(dataset)
    else:
        keys = []
        for folder in storage.list_dirs(dataset):
            if not folder.startswith("dt="):
                continue
            dt = folder[3:]
            if (start and dt < start) or (end and dt > end):
                continue
            keys += storage.list(f"{dataset}/{folder}")
    found: dict[Partition, list[str]] = defaultdict(list)
    for key in keys:
        parsed = paths.parse_file_key(key)
        if parsed is None or parsed.dataset != dataset:
            continue
        if (start and parsed.dt < start) or (end and parsed.dt > end):
            continue
        if wanted is not None and parsed.source not in wanted:
            continue
        found[(parsed.dt, parsed.source)].append(key)
    return dict(sorted(found.items()))


def _fit(dataset: str, table: pa.Table, columns: list[str]) -> pa.Table:
    """Project/cast a file's table to the current schema (older files gain null columns)."""
    schema = schema_for(dataset)
    arrays = []
    for name in columns:
        field = schema.field(name)
        if name in table.column_names:
            col = table.column(name)
            arrays.append(col if col.type == field.type else col.cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, type=field.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema([schema.field(c) for c in columns]))


def _read_file(dataset: str, source_file: Any, columns: list[str]) -> tuple[pa.Table, set[str]]:
    """(table fitted to `columns`, pieces this file says it replaces)."""
    pf = pq.ParquetFile(source_file, pre_buffer=True)
    present = set(pf.schema_arrow.names)
    table = pf.read(columns=[c for c in columns if c in present])
    return _fit(dataset, table, columns), replaced_pieces(dict(pf.schema_arrow.metadata or {}))


def _read_partition(storage: Storage, dataset: str, partition: Partition, keys: list[str],
                    columns: list[str]) -> pa.Table:
    dt, source = partition
    folder = paths.partition_dir(dataset, dt, source)
    whole = False  # after a 412, fetch whole objects: one GET can never mix two versions
    for _attempt in range(RELIST_ATTEMPTS):
        handles: list[Any] = []
        try:
            results = {}
            for key in sorted(keys):
                handles.append(io.BytesIO(storage.get(key)) if whole
                               else storage.open_version(key))
                try:
                    results[key] = _read_file(dataset, handles[-1], columns)
                except (ObjectChangedError, FileNotFoundError):
                    raise
                except (pa.ArrowInvalid, OSError) as exc:
                    if getattr(handles[-1], "changed", False):
                        raise ObjectChangedError(str(exc)) from exc
                    raise LakeReadError(
                        f"{storage.key_uri(key)} cannot be read as {dataset} (not Parquet, "
                        f"or a column of the wrong type): {exc}") from exc
        except (FileNotFoundError, ObjectChangedError) as exc:
            whole = whole or isinstance(exc, ObjectChangedError)
            keys = [k for k in storage.list(folder) if paths.parse_file_key(k)]
            continue
        finally:
            for handle in handles:
                handle.close()
        data_key = f"{folder}/{paths.DATA_FILE}"
        skip = results[data_key][1] if data_key in results else set()
        tables = [t for key, (t, _) in results.items() if key.rsplit("/", 1)[1] not in skip]
        table = (pa.concat_tables(tables) if tables
                 else _fit(dataset, schema_for(dataset).empty_table(), columns))
        n = table.num_rows
        return table.append_column(pa.field("dt", pa.string()), pa.array([dt] * n, pa.string())
                                   ).append_column(pa.field("source", pa.string()),
                                                   pa.array([source] * n, pa.string()))
    raise LakeReadError(f"{storage.key_uri(folder)} kept changing while being read")


def _empty(dataset: str, columns: list[str]) -> pa.Table:
    table = _fit(dataset, schema_for(dataset).empty_table(), columns)
    return table.append_column(pa.field("dt", pa.string()), pa.array([], pa.string())
                               ).append_column(pa.field("source", pa.string()),
                                               pa.array([], pa.string()))


def read(storage: Storage, dataset: str, *, start: str | None = None, end: str | None = None,
         sources: Iterable[str] | None = None, columns: list[str] | None = None,
         filter: ds.Expression | None = None) -> pa.Table:
    """Rows of `dataset` with `dt`/`source` string columns appended; empty (with the schema)
    when nothing matches. `filter` is a pyarrow expression and may use `dt` and `source`."""
    schema = schema_for(dataset)
    wanted = list(columns) if columns is not None else list(schema.names)
    unknown = [c for c in wanted if c not in schema.names and c not in PARTITION_KEYS]
    if unknown:
        raise SchemaError(f"{dataset}: unknown column(s) {unknown}; the schema has "
                          f"{schema.names} (+ dt, source)")
    file_columns = [c for c in wanted if c not in PARTITION_KEYS]
    read_columns = file_columns
    if filter is not None:
        # Only the columns the filter names are read besides the wanted ones (not the text).
        referenced = set(_IDENTIFIER.findall(str(filter)))
        read_columns = file_columns + [c for c in schema.names
                                       if c in referenced and c not in file_columns]
    partitions = list_partitions(storage, dataset, start=start, end=end, sources=sources)
    if not partitions:
        table = _empty(dataset, read_columns)
    else:
        with ThreadPoolExecutor(max_workers=min(FETCH_THREADS, len(partitions))) as pool:
            tables = list(pool.map(
                lambda item: _read_partition(storage, dataset, item[0], item[1], read_columns),
                partitions.items(),
            ))
        table = pa.concat_tables(tables)
    if filter is not None:
        table = table.filter(filter)
    out = file_columns + [c for c in wanted if c in PARTITION_KEYS]
    out += [k for k in PARTITION_KEYS if k not in out]
    return table.select(out)


def read_articles(storage: Storage, start: str, end: str, sources: Iterable[str] | None = None,
                  languages: Iterable[str] | None = None, columns: list[str] | None = None,
                  ) -> pa.Table:
    """Articles of days [start, end] (inclusive), optionally only some sources/languages."""
    expr: Any = None
    if languages is not None:
        expr = pc.field("language").isin(list(languages))
    return read(storage, "articles", start=start, end=end, sources=sources, columns=columns,
                filter=expr)
