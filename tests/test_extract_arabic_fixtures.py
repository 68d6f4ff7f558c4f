"""Arabic fixture pages (4 templates, 12 pages): body, title, date, authors, boilerplate."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from processing.extract import extract_article

FIXTURES = Path(__file__).parent / "fixtures" / "arabic_pages"
PAGES = sorted(FIXTURES.glob("*.html"))
_WORD = re.compile(r"\w+")


def shingle_f1(truth: str, predicted: str, n: int = 4) -> float:
    """Page F1 of token 4-gram shingle multisets: the article-extraction benchmark's metric."""

    def shingles(text: str) -> Counter:
        tokens = _WORD.findall(text)
        if len(tokens) < n:
            return Counter([tuple(tokens)]) if tokens else Counter()
        return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))

    t, p = shingles(truth), shingles(predicted)
    tp = sum((t & p).values())
    if tp == 0:
        return 1.0 if not t and not p else 0.0
    precision, recall = tp / sum(p.values()), tp / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def _extract(page: Path):
    gold = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return gold, extract_article(page.read_bytes(), url=gold["url"])


def test_fixture_set_covers_four_templates_and_twelve_pages():
    templates = {json.loads(p.with_suffix(".json").read_text())["template"] for p in PAGES}
    families = {t.split("_")[0] for t in templates}
    assert len(PAGES) >= 12
    assert {"wordpress", "modern", "wire", "amp"} <= families


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_arabic_page_metadata_exact(page: Path):
    gold, article = _extract(page)
    assert article.title == gold["title"]
    assert article.subtitle == gold["subtitle"]
    assert article.published is not None
    assert article.published.tzinfo is not None
    assert article.published.date().isoformat() == gold["published"]
    assert article.authors == gold["authors"]
    assert article.language == "ar"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_arabic_page_boilerplate_absent(page: Path):
    gold, article = _extract(page)
    leaked = [phrase for phrase in gold["boilerplate"] if phrase in article.text]
    assert leaked == []
    assert gold["title"] not in article.text.split("\n")


def test_arabic_body_f1_average_at_least_095():
    scores = {}
    for page in PAGES:
        gold, article = _extract(page)
        scores[page.stem] = shingle_f1(gold["body"], article.text)
    average = sum(scores.values()) / len(scores)
    assert average >= 0.95, scores
    assert min(scores.values()) >= 0.85, scores


def test_text_keeps_letters_and_normalized_folds_them():
    page = next(p for p in PAGES if "12-amp" in p.name)
    _, article = _extract(page)
    assert "عُمان" in article.text  # damma kept in text
    assert "عمان" in article.text_normalized
    assert "ة" not in article.text_normalized and "أ" not in article.text_normalized


def test_shingle_f1_can_fail():
    assert shingle_f1("a b c d e f", "a b c d e f") == 1.0
    assert shingle_f1("a b c d e f", "x y z w v u") == 0.0
