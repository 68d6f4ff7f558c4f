"""Hand-labelled news paragraphs (written for this project, not from ANERcorp)."""

import json
from pathlib import Path

import pytest

from processing.entities import extract_entities
from processing.entities.evaluation import unique_entity_scores

FIXTURES = Path(__file__).parent / "fixtures" / "ner"


def _load(lang: str) -> list[dict]:
    return json.loads((FIXTURES / f"{lang}_paragraphs.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_fixture_is_large_and_varied(lang):
    paragraphs = _load(lang)
    assert len(paragraphs) >= 10
    assert len({p["topic"] for p in paragraphs}) == len(paragraphs)
    for p in paragraphs:
        for text, label in p["entities"]:
            assert text in p["text"] and label in {"PER", "ORG", "LOC"}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_unique_entity_precision_and_recall(lang):
    paragraphs = _load(lang)
    predicted = extract_entities([p["text"] for p in paragraphs], lang)
    gold = [[tuple(e) for e in p["entities"]] for p in paragraphs]
    scores = unique_entity_scores(predicted, gold)
    missed = [
        sorted({tuple(g) for g in p["entities"]} - {(e.text, e.label) for e in found})
        for p, found in zip(paragraphs, predicted, strict=True)
    ]
    assert scores["precision"] >= 0.85, (scores, missed)
    assert scores["recall"] >= 0.80, (scores, missed)
