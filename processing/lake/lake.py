"""`Lake`: one object per lake URI bundling storage, the commit protocol and the reader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from processing.lake import commit, paths, reader
from processing.lake.commit import TableOrRows
from processing.lake.schemas import schema_for
from processing.lake.storage import S3Options, Storage, storage_for


class Lake:
    """A lake at a URI. Create with `open_lake(uri)`; methods follow docs/architecture.md."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    @property
    def uri(self) -> str:
        return self.storage.uri

    def __repr__(self) -> str:
        return f"Lake({self.uri!r})"

    # -- writing
    def write_partition(self, dataset: str, dt: str, source: str, table_or_rows: TableOrRows
                        ) -> None:
        """Replace that partition atomically: readers see the old or the new one, never both."""
        commit.write_partition(self.storage, dataset, dt, source, table_or_rows)

    def write_piece(self, dataset: str, dt: str, source: str, table_or_rows: TableOrRows) -> str:
        """Append rows as a new piece of the partition (batch writers); compact later."""
        return commit.write_piece(self.storage, dataset, dt, source, table_or_rows)

    def stage(self, run_id: str, dataset: str, dt: str, source: str,
              table_or_rows: TableOrRows, *, piece: str | None = None) -> None:
        """Stage a partition for `publish(run_id)` (replaces what the run staged there)."""
        commit.stage(self.storage, run_id, dataset, dt, source, table_or_rows, piece=piece)

    def publish(self, run_id: str) -> list[tuple[str, str, str]]:
        """Commit everything staged for the run; returns [(dataset, dt, source), ...]."""
        return commit.publish(self.storage, run_id)

    def staged(self, run_id: str) -> list[tuple[str, str, str]]:
        return sorted(commit.staged(self.storage, run_id))

    def discard(self, run_id: str) -> None:
        commit.discard(self.storage, run_id)

    def delete_partition(self, dataset: str, dt: str, source: str) -> None:
        dataset, dt, source = commit.check_partition(dataset, dt, source)
        self.storage.delete_tree(paths.partition_dir(dataset, dt, source))

    # -- reading
    def read(self, dataset: str, *, start: str | None = None, end: str | None = None,
             sources: Iterable[str] | None = None, columns: list[str] | None = None,
             filter: Any = None) -> pa.Table:
        return reader.read(self.storage, dataset, start=start, end=end, sources=sources,
                           columns=columns, filter=filter)

    def read_articles(self, start: str, end: str, sources: Iterable[str] | None = None,
                      languages: Iterable[str] | None = None) -> pa.Table:
        return reader.read_articles(self.storage, start, end, sources, languages)

    def partitions(self, dataset: str, *, start: str | None = None, end: str | None = None,
                   sources: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """[(dt, source), ...] that exist for `dataset`."""
        return list(reader.list_partitions(self.storage, dataset, start=start, end=end,
                                           sources=sources))

    def datasets(self) -> list[str]:
        """Top-level datasets present (staging and hidden folders excluded)."""
        return [d for d in self.storage.list_dirs("") if not d.startswith(("_", "."))]

    def dataset(self, name: str) -> ds.Dataset:
        """A pyarrow.dataset over `name` with dt/source as string hive partitions (for big
        scans; unlike `read`, it does ranged reads, see docs/lake.md)."""
        filesystem, base = self.storage.pyarrow_filesystem()
        partitioning = ds.partitioning(
            pa.schema([("dt", pa.string()), ("source", pa.string())]), flavor="hive")
        return ds.dataset(f"{base}/{name}", filesystem=filesystem, format="parquet",
                          schema=_with_keys(schema_for(name)), partitioning=partitioning,
                          exclude_invalid_files=False)


def _with_keys(schema: pa.Schema) -> pa.Schema:
    return schema.append(pa.field("dt", pa.string())).append(pa.field("source", pa.string()))


def open_lake(uri: str | Lake, *, s3: S3Options | None = None) -> Lake:
    """`./data/lake`, `/abs/path`, `file:///abs/path` or `s3://bucket/prefix`. For S3 the
    endpoint/region/credentials come from `s3` or else the AWS_* variables."""
    if isinstance(uri, Lake):
        return uri
    return Lake(storage_for(uri, s3))
