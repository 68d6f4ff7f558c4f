"""The entity record handed to the rest of the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass

LABELS = ("PER", "ORG", "LOC")


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention: `text == source[start:end]`; `normalized` groups mentions of one name."""

    text: str
    normalized: str
    label: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return asdict(self)
