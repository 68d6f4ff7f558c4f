"""Linear-chain CRF decoding in numpy, batched over documents, for a crfsuite-trained model.

Why not crfsuite's own tagger: handing ~40 feature strings per token to crfsuite (string
conversion, then its hash look-up) was the largest part of the Arabic pipeline's time. With the
weights in a matrix, scores are summed per word once (arabic_crf.ScoredFeatures), and Viterbi
and forward-backward run for a batch of documents at once. The results are crfsuite's: same
tags, same marginals (tests/test_entities_crf_decode.py compares them).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class CrfWeights:
    """State weights (one row per attribute, plus a zero row last) and transition weights."""

    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: np.ndarray  # (attributes + 1, labels)
    transition: np.ndarray  # (labels, labels): from row label to column label

    @property
    def zero_row(self) -> int:
        return len(self.attributes)

    @classmethod
    def from_crfsuite(cls, model_path: Path) -> CrfWeights:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path))
        try:
            info = tagger.info()
        finally:
            tagger.close()
        labels = tuple(sorted(info.labels, key=info.labels.get))
        label_id = {label: i for i, label in enumerate(labels)}
        attributes: dict[str, int] = {}
        for attribute, _ in info.state_features:
            attributes.setdefault(attribute, len(attributes))
        state = np.zeros((len(attributes) + 1, len(labels)))
        for (attribute, label), weight in info.state_features.items():
            state[attributes[attribute], label_id[label]] = weight
        transition = np.zeros((len(labels), len(labels)))
        for (before, after), weight in info.transitions.items():
            transition[label_id[before], label_id[after]] = weight
        return cls(labels, attributes, state, transition)

    @classmethod
    def average(cls, members: list[CrfWeights]) -> CrfWeights:
        """One model whose scores are the mean of the members' scores (an attribute a member
        lacks weighs 0 there). CRF scores are linear in the weights, so this averages fits of
        the same recipe that differ only in their random mention replacement, at the cost of
        one model when tagging (train_ar; measured in MODEL_CARD.md)."""
        labels = members[0].labels
        if any(set(member.labels) != set(labels) for member in members):
            raise ValueError("members must share their label set")
        attributes: dict[str, int] = {}
        for member in members:
            for attribute in member.attributes:
                attributes.setdefault(attribute, len(attributes))
        state = np.zeros((len(attributes) + 1, len(labels)))
        transition = np.zeros((len(labels), len(labels)))
        for member in members:
            order = [member.labels.index(label) for label in labels]  # crfsuite's own order
            rows = np.fromiter(
                (attributes[a] for a in member.attributes),
                dtype=np.intp,
                count=len(member.attributes),
            )
            state[rows] += member.state[:-1][:, order]
            transition += member.transition[np.ix_(order, order)]
        return cls(labels, attributes, state / len(members), transition / len(members))

    def save(self, path: Path) -> None:
        """Write the non-zero weights as gzipped JSON: exact floats, the same bytes for the same
        weights (no timestamp in the gzip header), readable without crfsuite."""
        state = {}
        for name, row in self.attributes.items():
            row_weights = zip(self.labels, self.state[row], strict=True)
            weights = {label: float(w) for label, w in row_weights if w}
            if weights:
                state[name] = weights
        payload = {
            "labels": list(self.labels),
            "transition": self.transition.tolist(),
            "state": state,
        }
        data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        Path(path).write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))

    @classmethod
    def load(cls, path: Path) -> CrfWeights:
        payload = json.loads(gzip.decompress(Path(path).read_bytes()))
        labels = tuple(payload["labels"])
        label_id = {label: i for i, label in enumerate(labels)}
        attributes = {name: i for i, name in enumerate(payload["state"])}
        state = np.zeros((len(attributes) + 1, len(labels)))
        for name, weights in payload["state"].items():
            for label, weight in weights.items():
                state[attributes[name], label_id[label]] = weight
        return cls(labels, attributes, state, np.array(payload["transition"], dtype=float))


def _padded(emissions: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.array([len(e) for e in emissions])
    padded = np.zeros((len(emissions), lengths.max(), emissions[0].shape[1]))
    for b, e in enumerate(emissions):
        padded[b, : len(e)] = e
    return padded, lengths


def viterbi(emissions: list[np.ndarray], transition: np.ndarray) -> list[list[int]]:
    """Best label path per document (documents of any non-zero length, decoded together)."""
    scores_by_step, lengths = _padded(emissions)
    batch, steps, labels = scores_by_step.shape
    back = np.zeros((batch, steps, labels), dtype=np.intp)
    score = scores_by_step[:, 0].copy()
    for i in range(1, steps):
        candidates = score[:, :, None] + transition[None]  # (batch, from, to)
        back[:, i] = candidates.argmax(axis=1)
        stepped = candidates.max(axis=1) + scores_by_step[:, i]
        score = np.where((i < lengths)[:, None], stepped, score)
    paths = []
    for b, n in enumerate(lengths):
        path = [int(score[b].argmax())]
        for i in range(n - 1, 0, -1):
            path.append(int(back[b, i, path[-1]]))
        paths.append(path[::-1])
    return paths


def marginals(emissions: list[np.ndarray], transition: np.ndarray) -> list[np.ndarray]:
    """P(label at token) per document, by forward-backward with each step rescaled to sum
    to 1 (no logarithms in the loop; the scale cancels when each token's product is
    normalised)."""
    scores_by_step, lengths = _padded(emissions)
    batch, steps, labels = scores_by_step.shape
    potentials = np.exp(scores_by_step - scores_by_step.max(axis=2, keepdims=True))
    forward_weights = np.exp(transition)  # (from, to)
    backward_weights = forward_weights.T.copy()
    alpha = np.empty((batch, steps, labels))
    beta = np.ones((batch, steps, labels))
    alpha[:, 0] = potentials[:, 0] / potentials[:, 0].sum(axis=1, keepdims=True)
    for i in range(1, steps):
        stepped = (alpha[:, i - 1] @ forward_weights) * potentials[:, i]
        alpha[:, i] = stepped / stepped.sum(axis=1, keepdims=True)
    for i in range(steps - 2, -1, -1):
        stepped = (potentials[:, i + 1] * beta[:, i + 1]) @ backward_weights
        stepped /= stepped.sum(axis=1, keepdims=True)
        beta[:, i] = np.where((i + 1 < lengths)[:, None], stepped, 1.0)  # 1 at a doc's end
    product = alpha * beta
    product /= product.sum(axis=2, keepdims=True)
    return [product[b, :n] for b, n in enumerate(lengths)]
