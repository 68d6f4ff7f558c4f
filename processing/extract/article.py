"""The extracted article and the error that says why a page is not one."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

REJECT_REASONS = ("not_article", "too_short", "extraction_failed", "decode_failed")


class ExtractionError(Exception):
    """A page that yields no article; ``reason`` is the reject code stored in the lake."""

    def __init__(self, reason: str, detail: str = "") -> None:
        if reason not in REJECT_REASONS:
            raise ValueError(f"unknown reject reason {reason!r}")
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class Article:
    url: str
    canonical_url: str | None
    site_name: str | None
    language: str | None
    title: str | None
    subtitle: str | None
    text: str
    text_normalized: str
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain dict; datetimes stay datetimes (the lake schema types them)."""
        return asdict(self)

    def as_json_dict(self) -> dict[str, Any]:
        """Like ``as_dict`` with timestamps as ISO 8601 strings, for the CLI."""
        out = self.as_dict()
        for key in ("published", "modified"):
            if out[key] is not None:
                out[key] = out[key].isoformat()
        return out
