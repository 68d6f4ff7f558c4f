"""The incremental seen-set: what earlier runs fetched, read from the lake's own `raw` dataset.

Keeping it in the lake (not a local file or a database) means it works on S3, survives
machines, and cannot drift from what was actually stored. Only URLs fetched successfully on
dates before the run date count: the run date's own partition is replaced by this run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from processing.urls import canonicalize

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeenEntry:
    last_fetched: datetime
    etag: str | None = None
    last_modified: str | None = None


def load_seen(lake_uri: str, source: str, run_date: str,
              lookback_days: int | None = None) -> dict[str, SeenEntry]:
    """URL -> its latest successful fetch before `run_date` (request and final URLs both),
    looking back `lookback_days` partitions at most (None: the whole history)."""
    from processing.lake import open_lake

    day = date.fromisoformat(run_date)
    before = (day - timedelta(days=1)).isoformat()
    start = (day - timedelta(days=lookback_days)).isoformat() if lookback_days else None
    table = open_lake(lake_uri).read(
        "raw",
        start=start,
        end=before,
        sources=[source],
        columns=["url", "final_url", "status", "fetched_at", "etag", "last_modified", "error"],
    )
    seen: dict[str, SeenEntry] = {}
    if table.num_rows == 0:
        return seen
    rows = table.to_pydict()
    for i in range(table.num_rows):
        if rows["error"][i] is not None or rows["status"][i] is None or rows["status"][i] >= 400:
            continue
        entry = SeenEntry(rows["fetched_at"][i], rows["etag"][i], rows["last_modified"][i])
        for key in (rows["url"][i], rows["final_url"][i]):
            key = canonicalize(key) if key else None
            if key and (key not in seen or seen[key].last_fetched < entry.last_fetched):
                seen[key] = entry
    logger.info("seen-set for %s: %d URLs fetched before %s", source, len(seen), run_date)
    return seen


def due_for_refetch(entry: SeenEntry, now: datetime, refetch_after_days: int | None) -> bool:
    return refetch_after_days is not None and now - entry.last_fetched >= timedelta(
        days=refetch_after_days
    )
