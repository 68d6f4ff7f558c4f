"""One page in, one article (or a reason) out: decode, parse once, metadata, body, clean."""

from __future__ import annotations

from processing.extract.article import REJECT_REASONS, Article, ExtractionError
from processing.extract.pipeline import extract_article

__all__ = ["REJECT_REASONS", "Article", "ExtractionError", "extract_article"]
