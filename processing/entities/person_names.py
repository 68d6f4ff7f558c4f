"""Look-ups in the shipped Arabic-script person-name list (built by build_names.py)."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

NAMES_PATH = Path(__file__).parent / "resources" / "ar_names.json.gz"


@lru_cache(maxsize=2)
def load_person_names(path: Path | None = None) -> dict[str, str]:
    """lookup_key form -> kinds code ("t": a word of a transliterated personal name). A missing
    file raises: the shipped CRF was trained with this feature."""
    path = Path(path or NAMES_PATH)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)["names"]
