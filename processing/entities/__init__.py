"""Named entities (PER/ORG/LOC) for Arabic and English, offline. See docs/architecture.md."""

from processing.entities.api import extract_entities
from processing.entities.entity import LABELS, Entity
from processing.entities.registry import SUPPORTED_LANGUAGES

__all__ = ["LABELS", "SUPPORTED_LANGUAGES", "Entity", "extract_entities"]
