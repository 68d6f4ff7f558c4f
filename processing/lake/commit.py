"""The commit protocol: how a partition is replaced so readers never see a mix or half a file.

A partition is ONE object at a deterministic key, `<dataset>/dt=D/source=S/data.parquet`.
Replacing it is one atomic put (S3: a single PUT/multipart upload — a GET returns the old or
the new object whole; local: temp file + fsync + os.replace). There is no rename and no
delete in the normal path, so a plain hive reader (pandas, DuckDB, Polars) listing the folder
always finds exactly one file with exactly one version of the day: never duplicates.

Optional appended pieces (`write_piece`) sit next to it until compaction merges them; the
merged `data.parquet` lists the pieces it absorbed in its metadata (`akhbar.replaces`), so our
reader ignores leftovers even before they are deleted. See docs/lake.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from processing.lake import paths
from processing.lake.errors import LakeError, LakeWriteError, SchemaError
from processing.lake.fileformat import decode, encode
from processing.lake.schemas import DATASETS, PARTITION_KEYS, conform, schema_for, to_table
from processing.lake.storage import Storage

TableOrRows = pa.Table | Sequence[Mapping[str, Any]]


def check_partition(dataset: str, dt: Any, source: str) -> tuple[str, str, str]:
    if dataset not in DATASETS:
        raise SchemaError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    return dataset, paths.check_dt(dt), paths.check_name("source", source)


def prepare(dataset: str, dt: str, source: str, data: TableOrRows) -> pa.Table:
    """Rows or a table -> a table with exactly the schema; `dt`/`source` values, if a caller
    included them, must match the partition and are dropped (they live in the path)."""
    expected = {"dt": dt, "source": source}
    if isinstance(data, pa.Table):
        for key in PARTITION_KEYS:
            if key in data.column_names:
                values = {v for v in data.column(key).to_pylist()}
                if values - {expected[key], None}:
                    raise SchemaError(f"{dataset}: column {key} has {sorted(map(str, values))}, "
                                      f"but the partition is {key}={expected[key]}")
                data = data.drop_columns([key])
        return conform(dataset, data)
    if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
        raise SchemaError(f"{dataset}: expected a pyarrow Table or a list of row dicts")
    rows = []
    for i, row in enumerate(data):
        if isinstance(row, Mapping) and any(k in row for k in PARTITION_KEYS):
            row = dict(row)
            for key in PARTITION_KEYS:
                if key in row:
                    value = row.pop(key)
                    if value is not None and str(value) != expected[key]:
                        raise SchemaError(f"{dataset} row {i}: {key}={value!r} but the "
                                          f"partition is {key}={expected[key]}")
        rows.append(row)
    return to_table(dataset, rows)


def _where(dataset: str, dt: str, source: str) -> str:
    return f"{dataset} dt={dt} source={source}"


def write_partition(storage: Storage, dataset: str, dt: Any, source: str,
                    data: TableOrRows) -> None:
    """Replace the partition with `data` in one atomic put (see module docstring)."""
    dataset, dt, source = check_partition(dataset, dt, source)
    table = prepare(dataset, dt, source, data)
    commit_table(storage, dataset, dt, source, table)


def commit_table(storage: Storage, dataset: str, dt: str, source: str, table: pa.Table) -> None:
    folder = paths.partition_dir(dataset, dt, source)
    try:
        pieces = [k.rsplit("/", 1)[1] for k in storage.list(folder)
                  if k.rsplit("/", 1)[1].startswith(paths.PIECE_PREFIX)]
        payload = encode(dataset, table, replaces=pieces)
        storage.put(paths.data_key(dataset, dt, source), payload)
    except LakeError as exc:
        raise LakeWriteError(
            f"{_where(dataset, dt, source)} at {storage.uri}: not written, the previous "
            f"partition is unchanged: {exc}"
        ) from exc
    if pieces:
        # Already superseded (data.parquet names them); deleting is housekeeping.
        storage.delete(f"{folder}/{name}" for name in pieces)


def write_piece(storage: Storage, dataset: str, dt: Any, source: str, data: TableOrRows) -> str:
    """Add rows to a partition as a new immutable piece (for writers that flush in batches);
    `compact_partition` later merges pieces into data.parquet. Returns the piece's file name."""
    dataset, dt, source = check_partition(dataset, dt, source)
    table = prepare(dataset, dt, source, data)
    name = paths.new_piece_name()
    try:
        storage.put(f"{paths.partition_dir(dataset, dt, source)}/{name}", encode(dataset, table))
    except LakeError as exc:
        raise LakeWriteError(f"{_where(dataset, dt, source)}: piece not written: {exc}") from exc
    return name


def stage(storage: Storage, run_id: str, dataset: str, dt: Any, source: str,
          data: TableOrRows, *, piece: str | None = None) -> None:
    """Keep `data` under _staging/<run_id>/ until `publish`. Without `piece`, replaces whatever
    the run staged for that partition (a retried task does not double rows); with `piece`,
    adds/replaces that named piece (publish concatenates all pieces)."""
    run_id = paths.check_name("run_id", run_id)
    dataset, dt, source = check_partition(dataset, dt, source)
    name = f"{paths.check_name('piece', piece) if piece else 'all'}.parquet"
    table = prepare(dataset, dt, source, data)
    folder = paths.staging_dir(run_id, dataset, dt, source)
    try:
        storage.put(f"{folder}/{name}", encode(dataset, table))
        if piece is None:
            stale = [k for k in storage.list(folder) if k != f"{folder}/{name}"]
            if stale:
                storage.delete(stale)
    except LakeError as exc:
        raise LakeWriteError(f"staging {_where(dataset, dt, source)} for run {run_id} at "
                             f"{storage.uri}: {exc}") from exc


def staged(storage: Storage, run_id: str) -> dict[tuple[str, str, str], list[str]]:
    """(dataset, dt, source) -> staged keys, for one run."""
    base = paths.staging_run_dir(paths.check_name("run_id", run_id))
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for key in storage.list(base):
        parsed = _parse_staged(key[len(base) + 1:])
        if parsed:
            groups[parsed].append(key)
    return dict(groups)


def _parse_staged(rel: str) -> tuple[str, str, str] | None:
    parts = rel.split("/")
    if (len(parts) != 4 or not parts[1].startswith("dt=") or not parts[2].startswith("source=")
            or not parts[3].endswith(".parquet")):
        return None
    return parts[0], parts[1][3:], parts[2][7:]


def publish(storage: Storage, run_id: str) -> list[tuple[str, str, str]]:
    """Replace every partition the run staged (each one atomically), then drop the staging.

    A staging group is deleted only after its partition is committed, so a publish that fails
    halfway can simply be run again; publishing an already published run does nothing.
    """
    published = []
    try:
        groups = staged(storage, run_id)
    except LakeError as exc:
        raise LakeWriteError(f"publishing run {run_id} at {storage.uri}: nothing published, "
                             f"cannot list the staging area: {exc}") from exc
    for (dataset, dt, source), keys in sorted(groups.items()):
        try:
            tables = [conform(dataset, decode(storage.get(k))) for k in sorted(keys)]
        except (LakeError, OSError) as exc:
            raise LakeWriteError(f"publishing run {run_id}: cannot read staged "
                                 f"{_where(dataset, dt, source)}: {exc}") from exc
        table = pa.concat_tables(tables) if tables else schema_for(dataset).empty_table()
        commit_table(storage, dataset, dt, source, table)
        storage.delete(keys)
        published.append((dataset, dt, source))
    storage.delete_tree(paths.staging_run_dir(run_id))
    return published


def discard(storage: Storage, run_id: str) -> None:
    """Forget what a run staged (e.g. a failed run that will not be published)."""
    storage.delete_tree(paths.staging_run_dir(paths.check_name("run_id", run_id)))
