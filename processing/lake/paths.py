"""Where things live inside a lake: keys relative to the lake root, always '/'-separated.

    <dataset>/dt=YYYY-MM-DD/source=NAME/data.parquet            the partition (one object)
    <dataset>/dt=YYYY-MM-DD/source=NAME/piece-<stamp>-<id>.parquet  appended pieces (optional)
    _staging/<run_id>/<dataset>/dt=.../source=.../<piece>.parquet    staged by a run
    _tmp/<id>.partial                                                 local temp files
Names starting with '_' or '.' are never datasets, so hive readers of `<dataset>/` never meet
staging or temporary files.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from processing.lake.errors import LakeError

DATA_FILE = "data.parquet"
PIECE_PREFIX = "piece-"
STAGING = "_staging"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")
_DT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_dt(dt: str | date) -> str:
    """'YYYY-MM-DD' (a real date); a `date` is accepted and formatted."""
    if isinstance(dt, datetime):
        dt = dt.date()
    if isinstance(dt, date):
        return dt.isoformat()
    if not isinstance(dt, str) or not _DT.match(dt):
        raise LakeError(f"dt must be 'YYYY-MM-DD', got {dt!r}")
    try:
        date.fromisoformat(dt)
    except ValueError:
        raise LakeError(f"dt {dt!r} is not a real date") from None
    return dt


def check_name(kind: str, value: str) -> str:
    """Source names, datasets and run ids become path segments: keep them boring."""
    if not isinstance(value, str) or not _NAME.match(value) or ".." in value:
        raise LakeError(
            f"{kind} {value!r} is not usable in a path "
            "(letters, digits, '_', '-', '.', not starting with '_' or '.')"
        )
    return value


def partition_dir(dataset: str, dt: str, source: str) -> str:
    return f"{dataset}/dt={dt}/source={source}"


def data_key(dataset: str, dt: str, source: str) -> str:
    return f"{partition_dir(dataset, dt, source)}/{DATA_FILE}"


def new_piece_name() -> str:
    """Unique and time-ordered, so a listing shows pieces in write order."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{PIECE_PREFIX}{stamp}-{uuid.uuid4().hex[:8]}.parquet"


def staging_run_dir(run_id: str) -> str:
    return f"{STAGING}/{run_id}"


def staging_dir(run_id: str, dataset: str, dt: str, source: str) -> str:
    return f"{staging_run_dir(run_id)}/{partition_dir(dataset, dt, source)}"


@dataclass(frozen=True)
class FileKey:
    """A data file's key parsed back into dataset / dt / source / file name."""

    dataset: str
    dt: str
    source: str
    name: str

    @property
    def is_piece(self) -> bool:
        return self.name.startswith(PIECE_PREFIX)


def parse_file_key(key: str) -> FileKey | None:
    """`<dataset>/dt=D/source=S/<name>.parquet` -> FileKey; anything else -> None."""
    parts = key.split("/")
    if len(parts) != 4:
        return None
    dataset, dt_part, source_part, name = parts
    if not (dt_part.startswith("dt=") and source_part.startswith("source=")):
        return None
    if not name.endswith(".parquet") or name.startswith((".", "_")):
        return None
    if name != DATA_FILE and not name.startswith(PIECE_PREFIX):
        return None
    dt, source = dt_part[3:], source_part[7:]
    if not _DT.match(dt):
        return None
    return FileKey(dataset, dt, source, name)
