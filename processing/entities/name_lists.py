"""Look-ups in the shipped Arabic name lists (built by build_names.py): which lists a word
belongs to, and which word runs are known full names of people."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

NAMES_PATH = Path(__file__).parent / "resources" / "ar_names.json.gz"


@lru_cache(maxsize=2)
def _load(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def load_name_codes(path: Path | None = None) -> dict[str, str]:
    """lookup_key form -> list codes ("t": a word of a transliterated personal name, "c": of a
    sports club's name, "o": of a company's, bank's or university's). A missing file raises:
    the shipped CRF was trained with this feature."""
    return _load(Path(path or NAMES_PATH))["names"]


class FullNames:
    """Known full names of people (2+ words, lookup_key forms): a run of words that spells one
    is a much surer sign of a person than each word being a name word on its own."""

    def __init__(self, names: list[str]):
        self.names = frozenset(tuple(name.split()) for name in names)
        self.longest = max((len(name) for name in self.names), default=0)
        self.first_words = frozenset(name[0] for name in self.names)

    def marks(self, keys: list[str]) -> list[str]:
        """Per word: "B" first word of a known full name, "I" a later one, "-" none; the
        longest name starting at a word wins and matches do not overlap."""
        marks = ["-"] * len(keys)
        i = 0
        while i < len(keys):
            if keys[i] not in self.first_words:  # most words start no name: one look-up
                i += 1
                continue
            for length in range(min(self.longest, len(keys) - i), 1, -1):
                if tuple(keys[i : i + length]) in self.names:
                    marks[i : i + length] = ["B"] + ["I"] * (length - 1)
                    i += length
                    break
            else:
                i += 1
        return marks


@lru_cache(maxsize=2)
def load_full_names(path: Path | None = None) -> FullNames:
    return FullNames(_load(Path(path or NAMES_PATH))["full_names"])
