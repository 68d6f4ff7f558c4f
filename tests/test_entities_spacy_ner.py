"""The numpy greedy decoder must give exactly spaCy's own entities for en_core_web_sm."""

import json
from pathlib import Path

import pytest

from processing.entities.registry import get_pipeline
from processing.entities.spacy_ner import GreedyNer

FIXTURES = Path(__file__).parent / "fixtures" / "ner"
SHARED_PAGES = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "benchmarks"
    / "article-extraction"
    / "ground-truth.json"
)
EDGE_CASES = [
    "",
    "   ",
    "Biden",
    "Joe Biden",
    "\n\nJoe Biden  met\n Putin in  Geneva .\n",
    "The talks in New York ended. Angela Merkel flew home to Berlin",
    "NEW YORK (Reuters) - Apple Inc. and Microsoft Corp. said on Tuesday ...",
]


def _texts() -> list[str]:
    paragraphs = json.loads((FIXTURES / "en_paragraphs.json").read_text(encoding="utf-8"))
    texts = [p["text"] for p in paragraphs]
    texts.append(" ".join(texts))  # one long document beside short ones in a batch
    if SHARED_PAGES.exists():  # real article bodies (present here and in CI)
        pages = json.loads(SHARED_PAGES.read_text(encoding="utf-8"))
        texts.extend(v["articleBody"] for v in list(pages.values())[:40] if v.get("articleBody"))
    return texts + EDGE_CASES


@pytest.fixture(scope="module")
def nlp():
    return get_pipeline("en").nlp


@pytest.fixture(scope="module")
def spacy_entities(nlp):
    texts = _texts()
    return texts, [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]


@pytest.mark.parametrize("batch_size", [1, 7, 64])
def test_same_entities_as_spacy(nlp, spacy_entities, batch_size):
    texts, expected = spacy_entities
    assert sum(map(len, expected)) > 100  # the comparison covers many entities
    decode = GreedyNer(nlp.get_pipe("ner"))
    docs = [nlp.make_doc(t) for t in texts]
    found = []
    for first in range(0, len(docs), batch_size):
        found.extend(decode(docs[first : first + batch_size]))
    mismatches = [
        (text[:40], sorted(set(a) ^ set(b)))
        for text, a, b in zip(texts, expected, found, strict=True)
        if a != b
    ]
    assert mismatches == []


def test_refuses_beam_search(nlp):
    ner = nlp.get_pipe("ner")
    beam = type("BeamNer", (), {"cfg": {**ner.cfg, "beam_width": 4}, "model": ner.model})()
    with pytest.raises(ValueError, match="beam_width"):
        GreedyNer(beam)
