"""Greedy decoding of a spaCy transition-based NER model, vectorised over a batch of docs.

Why not `nlp.pipe`: spaCy 3.8's compiled parser loop takes and releases the GIL several times
per candidate action and token (its StateC helpers carry C++ exception checks), which on
CPython 3.11 made the decoding loop ~60% of en_core_web_sm's NER time. Here the model's own
layers (tok2vec, the precomputed lower layer, the output layer) run unchanged and the greedy
BILUO transition system is replayed with numpy, one token position at a time for every doc of
the batch at once. It implements spaCy's rules for docs straight from the tokenizer (no preset
entities or sentence starts: the only kind this pipeline passes) and gives the same entities;
tests/test_entities_spacy_ner.py compares it with spaCy's own output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TokenSpan = tuple[int, int, str]  # (first token, end token, OntoNotes label)


@dataclass(frozen=True)
class _Moves:
    """The model's action table as boolean masks over its classes."""

    begin: np.ndarray
    inside: np.ndarray
    last: np.ndarray
    unit: np.ndarray
    out: np.ndarray
    label: np.ndarray  # label id per class (0 = none)
    names: list[str]  # label id -> label string


def _moves(ner) -> _Moves:
    names: list[str] = [""]
    label_ids: dict[str, int] = {"": 0}
    kinds, labels = [], []
    for i in range(ner.moves.n_moves):
        kind, _, label = ner.moves.get_class_name(i).partition("-")
        kinds.append(kind)
        if label not in label_ids:
            label_ids[label] = len(names)
            names.append(label)
        labels.append(label_ids[label])
    kinds_arr, labels_arr = np.array(kinds), np.array(labels)
    with_label = labels_arr != 0
    return _Moves(
        begin=(kinds_arr == "B") & with_label,
        inside=(kinds_arr == "I") & with_label,
        last=(kinds_arr == "L") & with_label,
        unit=(kinds_arr == "U") & with_label,
        out=kinds_arr == "O",
        label=labels_arr,
        names=names,
    )


class GreedyNer:
    """Entity spans per doc from a loaded spaCy `EntityRecognizer` (greedy, beam width 1)."""

    def __init__(self, ner):
        if ner.cfg.get("beam_width", 1) != 1:
            raise ValueError("GreedyNer replays greedy decoding only (beam_width must be 1)")
        self.tok2vec, self.lower, self.upper = ner.model.layers
        if self.lower.get_dim("nP") < 2 or not ner.model.attrs.get("has_upper", True):
            raise ValueError("GreedyNer replays a maxout lower layer with an output layer only")
        self.moves = _moves(ner)
        unseen = np.zeros(ner.moves.n_moves, dtype=bool)
        unseen[list(ner.model.attrs.get("unseen_classes", ()))] = True
        self.unseen = unseen
        self.bias = np.asarray(self.lower.get_param("b"))  # (nO, nP)
        self.weights = np.asarray(self.upper.get_param("W"))  # (classes, nO)
        self.class_bias = np.asarray(self.upper.get_param("b"))

    def __call__(self, docs: list) -> list[list[TokenSpan]]:
        docs_with_tokens = [doc for doc in docs if len(doc)]
        spans = iter(self._decode(docs_with_tokens) if docs_with_tokens else [])
        return [next(spans) if len(doc) else [] for doc in docs]

    def _decode(self, docs: list) -> list[list[TokenSpan]]:
        from spacy.attrs import IS_SPACE

        tokvecs = self.tok2vec.predict(docs)
        cached = np.asarray(self.lower.predict(tokvecs))  # (tokens + 1, nF, nO, nP); row 0 pads
        padding = cached[0]
        lengths = np.array([len(doc) for doc in docs])
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        is_space = np.concatenate([doc.to_array(IS_SPACE) for doc in docs]).astype(bool)
        n = len(docs)
        open_start = np.full(n, -1)  # global token id where the open entity starts
        open_label = np.zeros(n, dtype=np.int64)
        found: list[list[TokenSpan]] = [[] for _ in range(n)]
        for step in range(int(lengths.max())):
            active = np.flatnonzero(lengths > step)
            token = offsets[active] + step
            start = open_start[active]
            is_open = start >= 0
            # features: the token, the open entity's first token, the token before this one
            hidden = cached[token + 1, 0] + self.bias
            hidden += np.where(
                is_open[:, None, None], cached[np.maximum(start, 0) + 1, 1], padding[1]
            )
            hidden += np.where(is_open[:, None, None], cached[token, 2], padding[2])
            maxout = np.maximum(hidden[:, :, 0], hidden[:, :, 1])
            for piece in range(2, hidden.shape[2]):
                np.maximum(maxout, hidden[:, :, piece], out=maxout)
            scores = maxout @ self.weights.T + self.class_bias
            if self.unseen.any():
                scores[:, self.unseen] = scores.min()
            valid = self._valid(
                is_open, open_label[active], step + 1 >= lengths[active], is_space[token]
            )
            guess = np.where(valid, scores, -np.inf).argmax(axis=1)
            self._apply(guess, active, token, open_start, open_label, offsets, found)
        return found

    def _valid(
        self, is_open: np.ndarray, label: np.ndarray, at_end: np.ndarray, space: np.ndarray
    ) -> np.ndarray:
        """spaCy's BiluoPushDown validity for docs without preset entities."""
        m = self.moves
        same_label = m.label[None, :] == label[:, None]
        closed, can_open = ~is_open[:, None], (~is_open & ~space)[:, None]
        return (
            (m.begin & can_open & ~at_end[:, None])
            | (m.inside & is_open[:, None] & same_label & ~at_end[:, None])
            | (m.last & is_open[:, None] & same_label)
            | (m.unit & can_open)
            | (m.out & closed)
        )

    def _apply(self, guess, active, token, open_start, open_label, offsets, found) -> None:
        m = self.moves
        for row in np.flatnonzero(m.begin[guess] | m.last[guess] | m.unit[guess]):
            doc, tok, move = active[row], token[row], guess[row]
            if m.begin[move]:
                open_start[doc], open_label[doc] = tok, m.label[move]
                continue
            first = open_start[doc] if m.last[move] else tok
            found[doc].append(
                (int(first - offsets[doc]), int(tok - offsets[doc] + 1), m.names[m.label[move]])
            )
            open_start[doc] = -1
