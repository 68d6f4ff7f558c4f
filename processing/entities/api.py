"""Public entry point: `extract_entities(texts, lang)`."""

from __future__ import annotations

import logging

from processing.entities.entity import Entity
from processing.entities.registry import SUPPORTED_LANGUAGES, get_pipeline

log = logging.getLogger(__name__)
_warned: set[str] = set()


def _base_language(lang: str | None) -> str:
    """'ar-EG' / 'en_US' / ' EN ' -> 'ar' / 'en'."""
    return (lang or "").strip().lower().replace("_", "-").split("-", 1)[0]


def extract_entities(texts: list[str], lang: str | None) -> list[list[Entity]]:
    """One list of PER/ORG/LOC entities per text, offsets into that text.

    Languages without a pipeline get empty lists (logged once): an article in another language
    is still a good article, it just has no entities.
    """
    if isinstance(texts, str):
        raise TypeError("extract_entities takes a list of texts, not one string")
    base = _base_language(lang)
    if base not in SUPPORTED_LANGUAGES:
        if base not in _warned:
            _warned.add(base)
            log.warning("no entity pipeline for language %r; returning no entities", lang)
        return [[] for _ in texts]
    if not texts:
        return []
    return get_pipeline(base).extract([t or "" for t in texts])
