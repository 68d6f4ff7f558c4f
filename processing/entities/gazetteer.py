"""Look-ups in the shipped place/organisation gazetteer (built by build_gazetteer.py)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEER_PATH = Path(__file__).parent / "resources" / "gazetteer.json.gz"


@dataclass(frozen=True, slots=True)
class GazetteerMatch:
    """Tokens [first, last) of a token sequence that name a known entry."""

    first: int
    last: int
    label: str
    canonical: str


class Gazetteer:
    """Longest-match look-up of token keys (one language's table)."""

    def __init__(self, entries: dict[str, list[str]]):
        self.entries = entries
        self.max_tokens = max((key.count(" ") + 1 for key in entries), default=0)
        self.single_word_keys = frozenset(k for k in entries if " " not in k)
        self.first_words = frozenset(k.split(" ", 1)[0] for k in entries)

    def get(self, key: str) -> tuple[str, str] | None:
        entry = self.entries.get(key)
        return (entry[0], entry[1]) if entry else None

    def match(self, keys: list[str]) -> list[GazetteerMatch]:
        """Non-overlapping longest matches over `keys` (one key per token)."""
        found: list[GazetteerMatch] = []
        i, n = 0, len(keys)
        while i < n:
            if keys[i] not in self.first_words:
                i += 1
                continue
            for size in range(min(self.max_tokens, n - i), 0, -1):
                entry = self.entries.get(" ".join(keys[i : i + size]))
                if entry:
                    found.append(GazetteerMatch(i, i + size, entry[0], entry[1]))
                    i += size
                    break
            else:
                i += 1
        return found


@lru_cache(maxsize=4)
def load_gazetteer(lang: str, path: Path = GAZETTEER_PATH) -> Gazetteer:
    """The shipped table for `lang` ('ar' keys are arabic_text.lookup_key forms)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return Gazetteer(data.get(lang, {}))
