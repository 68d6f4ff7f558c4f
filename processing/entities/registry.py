"""Which pipeline serves which language — the one place to configure it.

Pipelines are built lazily, once per process (lru_cache), because loading spaCy weights and the
word-frequency tables costs about a second.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Protocol

from processing.entities.entity import Entity


class Pipeline(Protocol):
    def extract(self, texts: list[str], batch_size: int = 64) -> list[list[Entity]]: ...


def _english() -> Pipeline:
    from processing.entities.english import EnglishPipeline

    return EnglishPipeline()


def _arabic() -> Pipeline:
    from processing.entities.arabic import ArabicPipeline

    return ArabicPipeline()


PIPELINES: dict[str, Callable[[], Pipeline]] = {"en": _english, "ar": _arabic}
SUPPORTED_LANGUAGES = frozenset(PIPELINES)


@cache
def get_pipeline(lang: str) -> Pipeline:
    """The process-wide pipeline for `lang` (KeyError for an unsupported language)."""
    return PIPELINES[lang]()
