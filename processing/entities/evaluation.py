"""ANERcorp reading and seqeval-style scoring of a whole extraction pipeline.

The corpus is one `TOKEN TAG` pair per line with clitics left attached to the token, so a
predicted character span is scored on the corpus tokens it touches: the pipeline's span
"قطر" inside the corpus token "وقطر" counts as the token "وقطر". Exact span and label match,
MISC dropped, PERS read as PER.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from processing.entities.entity import LABELS, Entity

CORPUS_LABELS = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC"}

Sentence = list[tuple[str, str]]  # (token, BIO tag)


def read_conll(path: Path) -> list[Sentence]:
    sentences: list[Sentence] = []
    current: Sentence = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        token, _, tag = line.rpartition(" ")
        if token:
            current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def gold_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """BIO -> (first, last, label) chunks like seqeval's default mode; MISC dropped."""
    spans: set[tuple[int, int, str]] = set()
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label and start is not None
        if not continues:
            if start is not None and label in CORPUS_LABELS:
                spans.add((start, i, CORPUS_LABELS[label]))
            start, label = (i, kind) if prefix in ("B", "I") else (None, None)
    return spans


def sentence_text(sentence: Sentence) -> tuple[str, list[tuple[int, int]]]:
    text, offsets, pos = [], [], 0
    for token, _ in sentence:
        offsets.append((pos, pos + len(token)))
        text.append(token)
        pos += len(token) + 1
    return " ".join(text), offsets


def predicted_spans(
    entities: list[Entity], offsets: list[tuple[int, int]]
) -> set[tuple[int, int, str]]:
    spans = set()
    for entity in entities:
        touched = [i for i, (s, e) in enumerate(offsets) if e > entity.start and s < entity.end]
        if touched:
            spans.add((touched[0], touched[-1] + 1, entity.label))
    return spans


@dataclass
class Scores:
    per_label: dict[str, dict[str, float]]
    overall: dict[str, float]

    def as_dict(self) -> dict:
        return {"per_label": self.per_label, "overall": self.overall}


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": n_gold}


def _chunked(sentences: list[Sentence], context: int) -> list[tuple[Sentence, set]]:
    """Consecutive sentences joined into one text (gold spans kept per sentence)."""
    out = []
    for i in range(0, len(sentences), context):
        tokens: Sentence = []
        gold: set[tuple[int, int, str]] = set()
        for sentence in sentences[i : i + context]:
            base = len(tokens)
            spans = gold_spans([tag for _, tag in sentence])
            gold |= {(a + base, b + base, label) for a, b, label in spans}
            tokens.extend(sentence)
        out.append((tokens, gold))
    return out


def score(
    sentences: list[Sentence],
    extract: Callable[[list[str]], list[list[Entity]]],
    *,
    context: int = 1,
) -> Scores:
    """Run `extract` on the texts and score it against the corpus tags.

    `context=1` scores sentence by sentence; `context=N` gives the pipeline N consecutive
    sentences as one text (as an article would be), so within-document propagation can act.
    """
    chunks = _chunked(sentences, max(1, context))
    texts, offsets = zip(*(sentence_text(tokens) for tokens, _ in chunks), strict=True)
    predictions = extract(list(texts))
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for (_, gold), offs, entities in zip(chunks, offsets, predictions, strict=True):
        pred = predicted_spans(entities, offs)
        for spans, counter in ((gold, n_gold), (pred, n_pred)):
            counter.update(label for _, _, label in spans)
        tp.update(label for _, _, label in gold & pred)
    per_label = {lab: _prf(tp[lab], n_pred[lab], n_gold[lab]) for lab in LABELS}
    overall = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return Scores(per_label, overall)


def unique_entity_scores(
    predicted: list[list[Entity]], gold: list[list[tuple[str, str]]]
) -> dict[str, float]:
    """Precision/recall over the unique (text, label) pairs of each document, pooled."""
    tp = n_pred = n_gold = 0
    for entities, expected in zip(predicted, gold, strict=True):
        pred = {(e.text, e.label) for e in entities}
        want = {(text, label) for text, label in expected}
        tp += len(pred & want)
        n_pred += len(pred)
        n_gold += len(want)
    return _prf(tp, n_pred, n_gold)
