"""Arabic NER as a linear-chain CRF over hand-made token features (trained with
python-crfsuite, decoded at run time in numpy: crf_decode).

Why a CRF: ANERcorp is small (~120k training tokens) and most test misses are names never
seen in training. A CRF with affix, letter-pattern, frequency-band, gazetteer and context
features generalises from word form and context at least as well as the small CNN, and it tags
a 400-word article in a few milliseconds. Features are computed per model piece (clitics
already split off, letters folded; see arabic_text), the same way in training and at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from processing.entities.arabic_text import ARTICLE, Piece, is_arabic_word, lookup_key
from processing.entities.arabic_titles import TITLES
from processing.entities.crf_decode import CrfWeights, marginals, viterbi
from processing.entities.gazetteer import Gazetteer
from processing.entities.name_lists import FullNames

CRF_FILE = "crf.model"  # one crfsuite fit (training)
WEIGHTS_FILE = "crf_weights.json.gz"  # the shipped weights: members averaged (crf_decode)
LEXICON_FILE = "lexicon.json"
_VOWELS = frozenset("اويىآأإؤئء")
Span = tuple[int, int, str]  # (first piece, last piece, label)
_FULL_NAME_MARKS = "-BI"  # FullNames.marks: outside, first word, later word of a known full name
_OFFSETS = (-2, -1, 1, 2)  # neighbours that contribute features
# Topic cue words (ordinary vocabulary): in a sports or business text a city name is often a
# club and an unknown word a club or a company, which the ±2 window alone cannot see.
_TOPIC_CUES_TEXT = {
    "sport": """مباراة مباراته المباراة فريق الفريق فريقه الدوري دوري كأس الكأس هدف هدفا الهدف
        أهداف الأهداف لاعب اللاعب لاعبي المنتخب منتخب البطولة بطولة نادي النادي الملعب ملعب
        مدرب المدرب الموسم التعادل فوز فاز خسر المرمى الشوط نهائي النهائي""",
    "business": """شركة الشركة شركات الشركات أسهم الأسهم سهم البورصة بورصة مصرف المصرف بنك
        البنك الاستثمار استثمار أرباح الأرباح إيرادات المبيعات السوق الأسواق مليار صفقة
        الصفقة المستثمرين التجارية""",
}


_TOPIC_CUES = {
    topic: frozenset(lookup_key(w) for w in text.split())
    for topic, text in _TOPIC_CUES_TEXT.items()
}


def _stem(key: str) -> str:
    return key[2:] if key.startswith(ARTICLE) and len(key) > 4 else key


def _pattern(stem: str) -> str:
    """Consonant/vowel skeleton (foreign names have long-vowel patterns native words lack)."""
    return "".join("V" if c in _VOWELS else "C" for c in stem[:8])


def _name_kinds(code: str) -> str:
    """Which name lists hold the word (build_names: "t" persons, "c" clubs, "o" companies),
    "-" for none."""
    return "".join(c for c in code if c.isalpha()) or "-"


def _shape(source: str) -> str:
    if is_arabic_word(source):
        return "ar"
    if source.isdigit():
        return "d"
    if source.isalpha():
        return "Aa" if source[:1].isupper() else "a"
    return "p:" + source if len(source) == 1 else "o"


class CrfFeatures:
    """Piece -> feature strings; per-word features are cached, context is assembled per piece."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        zipf: Callable[[str], float],
        lexicon: dict[str, str] | None = None,
        names: dict[str, str] | None = None,
        full_names: FullNames | None = None,
        *,
        cache_strings: bool = True,
    ):
        """`cache_strings`: keep each word's feature strings (training asks for them again and
        again); at run time ScoredFeatures keeps only their summed weights."""
        self.gazetteer = gazetteer
        self.zipf = zipf
        self.lexicon = lexicon or {}
        self.names = names or {}
        self.full_names = full_names or FullNames([])
        self.word_features = self._word_features
        self.context_features = self._context_features
        if cache_strings:
            self.word_features = lru_cache(maxsize=300_000)(self._word_features)
            self.context_features = lru_cache(maxsize=300_000)(self._context_features)

    def _name_code(self, key: str, stem: str) -> str:
        return self.names.get(key) or self.names.get(stem, "")

    def gazetteer_label(self, key: str) -> str:
        entry = self.gazetteer.get(key)
        return entry[0] if entry else "-"

    def _word_features(self, source: str, word: str) -> tuple[str, ...]:
        key = lookup_key(word)
        stem = _stem(key)
        zipf = int(self.zipf(source))
        feats = [
            "w=" + key,
            "s=" + stem,
            "sh=" + _shape(source),
            f"z={zipf}",
            "g=" + self.gazetteer_label(key),
            "gs=" + self.gazetteer_label(stem),
            "def=" + str(stem != key),
            "len=" + str(min(len(stem), 10)),
            "pat=" + _pattern(stem),
            "t=" + str(word in TITLES),
            "lx=" + self.lexicon.get(key, "-"),
        ]
        code = self._name_code(key, stem)
        kinds = _name_kinds(code)
        feats.append("nm=" + kinds)
        feats.append(f"nmz={kinds}|{zipf}")  # a known name that is also a common word
        for n in (1, 2, 3, 4):
            if len(stem) > n:
                feats.append(f"p{n}={stem[:n]}")
                feats.append(f"x{n}={stem[-n:]}")
        return tuple(feats)

    def _context_features(self, source: str, word: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
        """The look-up key, and the feature strings the word contributes as neighbour at offsets
        -2, -1, +1, +2 (word, band, gazetteer/lexicon label, name-list codes; at ±1 also
        stem and last two letters). Formatted once per word: this is the tagger's hot loop."""
        key = lookup_key(word)
        stem = _stem(key)
        gaz = self.gazetteer_label(key) + "/" + self.lexicon.get(key, "-")
        kinds = _name_kinds(self._name_code(key, stem))
        band = str(int(self.zipf(source)))
        by_offset = []
        for off in _OFFSETS:
            feats = [f"{off}w={key}", f"{off}z={band}", f"{off}g={gaz}", f"{off}nm={kinds}"]
            if off in (-1, 1):
                feats += [f"{off}s={stem}", f"{off}x={stem[-2:]}"]
            by_offset.append(tuple(feats))
        return key, tuple(by_offset)

    def sequence(self, pieces: list[Piece]) -> list[list[str]]:
        """Feature strings per piece, for training (crfsuite). ScoredFeatures.emissions
        mirrors this for run time; a test checks that the two agree."""
        n = len(pieces)
        context = [self.context_features(p.source, p.word) for p in pieces]
        keys = {key for key, _ in context}
        topics = [t for t, cues in _TOPIC_CUES.items() if not keys.isdisjoint(cues)]
        full_names = self.full_names.marks([key for key, _ in context])
        out: list[list[str]] = []
        for i, piece in enumerate(pieces):
            feats = list(self.word_features(piece.source, piece.word))
            feats.append("fn=" + full_names[i])
            attached = i + 1 < n and pieces[i + 1].start == piece.end
            feats.append("att=" + str(attached))
            for topic in topics:
                feats.append("top=" + topic)
                feats.append(f"top={topic}|g={self.gazetteer_label(context[i][0])}")
            for k, off in enumerate(_OFFSETS):
                j = i + off
                if 0 <= j < n:
                    feats.extend(context[j][1][k])
                else:
                    feats.append(f"{off}w=<B>" if off < 0 else f"{off}w=<E>")
            if i > 0:
                feats.append(f"-1w|w={context[i - 1][0]}|{context[i][0]}")
                feats.append(f"-1t={pieces[i - 1].word in TITLES}")
            if i + 1 < n:
                feats.append(f"w|+1w={context[i][0]}|{context[i + 1][0]}")
            out.append(feats)
        return out


def build_lexicon(sequences: Iterable[tuple[list[Piece], list[str]]]) -> dict[str, str]:
    """Word -> the entity label it mostly carries in training ("amb" when mostly not one).

    Used as a feature; when training it is built jackknife-style (from the other folds), so
    the CRF learns how far to trust it for words it has not seen, as at run time.
    """
    counts: dict[str, dict[str, int]] = {}
    for pieces, tags in sequences:
        for piece, tag in zip(pieces, tags, strict=True):
            label = tag[2:] if tag != "O" else "O"
            by_label = counts.setdefault(lookup_key(piece.word), {})
            by_label[label] = by_label.get(label, 0) + 1
    lexicon = {}
    for key, by_label in counts.items():
        entity = {k: v for k, v in by_label.items() if k != "O"}
        if not entity:
            continue
        label, n = max(sorted(entity.items()), key=lambda kv: kv[1])
        lexicon[key] = label if n * 2 > sum(by_label.values()) else "amb"
    return lexicon


def bio_to_spans(tags: Iterable[str]) -> list[Span]:
    """BIO tags -> (first, last, label); a stray I- opens a span (as seqeval reads it)."""
    spans: list[Span] = []
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if start is not None and not (prefix == "I" and kind == label):
            spans.append((start, i, label))
            start, label = None, None
        if prefix == "B" or (prefix == "I" and start is None):
            start, label = i, kind
    return spans


class ScoredFeatures:
    """The model's state scores of CrfFeatures.sequence, computed without feature strings.

    Scores add up, so the weights of each word's own features and of the features it lends
    its neighbours are summed once per word (cached), and a document's (pieces, labels) score
    matrix is built from those by shifted array additions. Handing crfsuite ~40 strings per
    token was the Arabic pipeline's largest cost.
    """

    def __init__(self, features: CrfFeatures, weights: CrfWeights):
        self.features = features
        self.weights = weights
        self.word_block = lru_cache(maxsize=300_000)(self._word_block)
        self.string_vector = lru_cache(maxsize=256)(self._string_vector)

    def _word_block(self, source: str, word: str) -> tuple[str, np.ndarray]:
        """The look-up key, and a (1 + offsets, labels) block: row 0 the word's own score,
        row 1 + k what it adds to the piece at -_OFFSETS[k] from it."""
        index = self.weights.attributes
        groups = [self.features.word_features(source, word)]
        key, by_offset = self.features.context_features(source, word)
        groups.extend(by_offset)
        rows, starts = [], []
        for feats in groups:
            starts.append(len(rows))
            rows.append(self.weights.zero_row)  # no group is empty for reduceat
            rows.extend(index[f] for f in feats if f in index)
        return key, np.add.reduceat(self.weights.state[rows], starts, axis=0)

    def _string_vector(self, feature: str) -> np.ndarray:
        row = self.weights.attributes.get(feature, self.weights.zero_row)
        return self.weights.state[row]

    def emissions(self, pieces: list[Piece]) -> np.ndarray:
        """(pieces, labels) state scores, equal to summing the weights of sequence(pieces)."""
        n = len(pieces)
        blocks = [self.word_block(p.source, p.word) for p in pieces]
        keys = [key for key, _ in blocks]
        stacked = np.stack([block for _, block in blocks])  # (pieces, 1 + offsets, labels)
        scores = stacked[:, 0].copy()
        vector = self.string_vector
        for k, off in enumerate(_OFFSETS, start=1):  # piece i gets what i + off lends it
            if off < 0:
                scores[-off:] += stacked[: n + off, k]
                scores[: min(-off, n)] += vector(f"{off}w=<B>")
            else:
                scores[: n - off] += stacked[off:, k]
                scores[max(n - off, 0) :] += vector(f"{off}w=<E>")
        full_name_rows = np.stack([vector("fn=" + m) for m in _FULL_NAME_MARKS])
        marks = self.features.full_names.marks(keys)
        scores += full_name_rows[[_FULL_NAME_MARKS.index(m) for m in marks]]
        attached = [pieces[i + 1].start == pieces[i].end for i in range(n - 1)] + [False]
        scores += np.where(np.array(attached)[:, None], vector("att=True"), vector("att=False"))
        if n > 1:
            titled = np.array([p.word in TITLES for p in pieces[:-1]])[:, None]
            scores[1:] += np.where(titled, vector("-1t=True"), vector("-1t=False"))
        for topic, cues in _TOPIC_CUES.items():
            if not cues.isdisjoint(keys):
                scores += vector("top=" + topic)
                gazetteer = self.features.gazetteer_label
                scores += np.array([vector(f"top={topic}|g={gazetteer(key)}") for key in keys])
        index = self.weights.attributes
        for i in range(1, n):  # word bigrams: only the few the model knows carry weight
            row = index.get(f"-1w|w={keys[i - 1]}|{keys[i]}")
            if row is not None:
                scores[i] += self.weights.state[row]
            row = index.get(f"w|+1w={keys[i - 1]}|{keys[i]}")
            if row is not None:
                scores[i - 1] += self.weights.state[row]
        return scores


class CrfTagger:
    """A trained crfsuite model, decoded in numpy batches (crf_decode): `tag(docs)` gives
    entity spans per document and the marginals the title rule asks for."""

    def __init__(self, weights: CrfWeights, features: CrfFeatures):
        self.weights = weights
        self.features = features
        self.scored = ScoredFeatures(features, weights)
        self.outside = weights.labels.index("O")

    def tag(self, docs: list[list[Piece]], batch_size: int = 64) -> list[TaggedDoc]:
        out = [TaggedDoc([], np.zeros(0))] * len(docs)
        todo = sorted((i for i, d in enumerate(docs) if d), key=lambda i: len(docs[i]))
        for batch_start in range(0, len(todo), batch_size):
            batch = todo[batch_start : batch_start + batch_size]  # similar lengths: less padding
            emissions = [self.scored.emissions(docs[i]) for i in batch]
            paths = viterbi(emissions, self.weights.transition)
            probabilities = marginals(emissions, self.weights.transition)
            for i, path, probability in zip(batch, paths, probabilities, strict=True):
                spans = bio_to_spans(self.weights.labels[k] for k in path)
                out[i] = TaggedDoc(spans, 1.0 - probability[:, self.outside])
        return out


@dataclass(frozen=True)
class TaggedDoc:
    spans: list[Span]
    in_name: np.ndarray  # per piece: marginal probability of being inside some name

    def entity_probability(self, first: int, last: int) -> float:
        """Highest probability that one of pieces [first, last) is inside some name."""
        return float(self.in_name[first:last].max(initial=0.0))


def train_crf(
    sequences: Iterable[tuple[list[Piece], list[str]]],
    features: CrfFeatures,
    out: Path,
    params: dict,
) -> None:
    """Fit a CRF (L-BFGS, elastic net; deterministic) and write it to `out`."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for pieces, tags in sequences:
        trainer.append(features.sequence(pieces), tags)
    _fit(trainer, out, params)


def train_crf_jackknife(
    sequences: list[tuple[list[Piece], list[str]]],
    make_features: Callable[[dict[str, str]], CrfFeatures],
    out: Path,
    params: dict,
    folds: int,
    extra: list[tuple[list[Piece], list[str]]] = (),
) -> dict[str, str]:
    """Like train_crf, with lexicon features built from the other folds for each sentence;
    returns the lexicon of the whole training set for run time. `extra` (augmented copies,
    extra[i] made from sequences[i % len(sequences)]) is featurised with its source's fold."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    n = len(sequences)
    for fold in range(folds):
        lexicon = build_lexicon(s for i, s in enumerate(sequences) if i % folds != fold)
        features = make_features(lexicon)
        for i in range(fold, n, folds):
            pieces, tags = sequences[i]
            trainer.append(features.sequence(pieces), tags)
        for i in range(len(extra)):
            if (i % n) % folds == fold:
                trainer.append(features.sequence(extra[i][0]), extra[i][1])
    _fit(trainer, out, params)
    return build_lexicon(sequences)


def _fit(trainer, out: Path, params: dict) -> None:
    trainer.set_params(params)
    trainer.train(str(out))
