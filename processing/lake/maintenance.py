"""Housekeeping: merge a partition's pieces into one file; delete partitions past retention."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from processing.lake import paths, reader
from processing.lake.commit import check_partition, commit_table
from processing.lake.lake import Lake, open_lake
from processing.lake.schemas import conform


def compact_partition(lake: Lake | str, dataset: str, dt: str, source: str) -> dict:
    """Merge data.parquet and any pieces of one partition into a single data.parquet.

    Uses the normal commit: the merged file names the pieces it absorbed, so our reader never
    counts a row twice; plain hive readers may, for the instant between the PUT and the piece
    deletes (compact while no one is reading, e.g. right after the writer finishes).
    """
    lake = open_lake(lake)
    dataset, dt, source = check_partition(dataset, dt, source)
    folder = paths.partition_dir(dataset, dt, source)
    pieces = [k for k in lake.storage.list(folder)
              if (p := paths.parse_file_key(k)) is not None and p.is_piece]
    result = {"dataset": dataset, "dt": dt, "source": source, "pieces": len(pieces), "rows": 0}
    if not pieces:
        return result
    table = lake.read(dataset, start=dt, end=dt, sources=[source]).drop_columns(["dt", "source"])
    commit_table(lake.storage, dataset, dt, source, conform(dataset, table))
    result["rows"] = table.num_rows
    return result


def compact(lake: Lake | str, *, datasets: Iterable[str] | None = None,
            start: str | None = None, end: str | None = None) -> list[dict]:
    """Compact every partition that has pieces (in `datasets`, days [start, end])."""
    lake = open_lake(lake)
    done = []
    for dataset in datasets or lake.datasets():
        listing = reader.list_partitions(lake.storage, dataset, start=start, end=end)
        for (dt, source), keys in listing.items():
            if any(paths.parse_file_key(k).is_piece for k in keys):
                done.append(compact_partition(lake, dataset, dt, source))
    return done


def apply_retention(lake: Lake | str, keep_days: int, today: str | date | None = None,
                    datasets: Iterable[str] | None = None) -> list[str]:
    """Delete partitions whose dt is more than `keep_days` days before `today` (UTC today by
    default) from every dataset; returns the removed `dataset/dt=...` folders."""
    if keep_days < 0:
        raise ValueError(f"keep_days must be >= 0, got {keep_days}")
    lake = open_lake(lake)
    today_date = date.fromisoformat(paths.check_dt(today)) if today else date.today()
    cutoff = (today_date - timedelta(days=keep_days)).isoformat()
    removed = []
    for dataset in datasets or lake.datasets():
        for folder in lake.storage.list_dirs(dataset):
            if folder.startswith("dt=") and folder[3:] < cutoff:
                lake.storage.delete_tree(f"{dataset}/{folder}")
                removed.append(f"{dataset}/{folder}")
    lake.storage.clean_temp()
    return removed


retention = apply_retention
