"""Arabic entity extraction: a CRF trained on ANERcorp (arabic_crf) plus rules and gazetteer.

Text is cut into tokens with clitics split off (arabic_text) and folded letter for letter; every
model token remembers its raw-text span, so entity offsets always point at the raw text and
never include a clitic (وقطر -> قطر). The shipped model directory holds a CRF's weights
(`crf_weights.json.gz`: several fits of the recipe averaged, see train_ar); a directory holding
a spaCy pipeline instead (the earlier CNN, `train_ar --model cnn`) still loads, fed
pre-tokenised Docs whose NORM slot carries a feature string (frequency band + gazetteer label).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from processing.entities.arabic_crf import LEXICON_FILE, WEIGHTS_FILE, CrfFeatures, CrfTagger
from processing.entities.arabic_text import (
    ARTICLE,
    CONJUNCTIONS,
    PREPOSITIONS,
    CliticSplitter,
    Piece,
    default_frequencies,
    fold,
    is_arabic_word,
    lookup_key,
    tokenize,
)
from processing.entities.arabic_titles import titled_names
from processing.entities.crf_decode import CrfWeights
from processing.entities.entity import LABELS, Entity
from processing.entities.gazetteer import Gazetteer, load_gazetteer
from processing.entities.name_lists import load_full_names, load_name_codes
from processing.entities.propagate import propagate

MODEL_DIR = Path(__file__).parent / "models" / "ar_anercorp"
_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u0640]")
_WORDLIKE_RE = re.compile(r"\w")
# Adding gazetteer matches to the model's spans lowered ANERcorp dev F1 (0.700 -> 0.690 all
# matches, 0.694 multi-word only; sports clubs named after cities): the gazetteer informs the
# model as a feature, splits clitics and gives canonical names, but adds no spans by default.
USE_GAZETTEER_MATCHES = False
# A name after a title (arabic_titles) is taken when the CRF gives one of its words at least this
# probability of being inside some name: the titles then decide the label and the extent. The
# bare rule also took verbs and nouns after titles (اجتماعا, لشؤون) and cost 0.008 dev F1.
TITLED_NAME_MIN_PROBABILITY = 0.2
TITLED_NAME_RARE_ZIPF = 3.0  # ... or the name's last word is this rare (and none common)
FUNCTION_WORD_ZIPF = 6.6  # في, من, على, إن ... never start or end a name
ALIAS_MAX_ZIPF = 5.3  # a bare surname more common than this is a common word ("الله")
InName = Callable[[int, int], float]  # (first, last piece) -> the CRF's P(some piece in a name)
# Annotation convention (ANERcorp's "حركة [طالبان]", and tests/fixtures/ner/ar_paragraphs.json's):
# a generic organisation noun in front of a name without the article is a description, not part
# of the name: "منظمة [أوبك]", "بنك [غولدمان ساكس]", "شركة [طيران الإمارات]". Followed by a
# definite word it is part of the official name and stays: "[منظمة الصحة العالمية]", "[حزب الله]".
_ORG_TYPE_NOUNS_TEXT = "منظمة حركة شركة بنك مصرف مجموعة وكالة حزب جماعة صحيفة قناة"
ORG_TYPE_NOUNS = frozenset(fold(_ORG_TYPE_NOUNS_TEXT).split())


class ArabicFeaturizer:
    """Raw text -> model tokens and feature strings; shared by training and inference."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        frequencies: dict[str, float] | None = None,
        lexeme_features: str = "v1",
    ):
        self.gazetteer = gazetteer
        self.lexeme_features = lexeme_features
        self.frequencies = frequencies if frequencies is not None else default_frequencies()
        self.splitter = CliticSplitter(self.frequencies, gazetteer.single_word_keys)
        self._feature = lru_cache(maxsize=200_000)(self._compute_feature)

    def pieces(self, text: str) -> list[Piece]:
        return tokenize(text, self.splitter)

    def zipf(self, word: str) -> float:
        freq = self.frequencies.get(word) or self.frequencies.get(lookup_key(word), 0.0)
        return math.log10(freq) + 9 if freq else 0.0

    def feature(self, piece: Piece) -> str:
        """NORM feature: frequency band, gazetteer label, Arabic/other."""
        return self._feature(piece.source, piece.word)

    def _compute_feature(self, source: str, word: str) -> str:
        if not is_arabic_word(source):
            return "x" if _WORDLIKE_RE.search(source) else "p"
        entry = self.gazetteer.get(lookup_key(word))
        gaz = entry[0] if entry else "-"
        return f"z{int(self.zipf(source))}{gaz}"

    def make_doc(self, vocab, pieces: list[Piece]):
        import numpy
        from spacy.attrs import NORM
        from spacy.tokens import Doc

        install_lexeme_features(vocab, self.lexeme_features)
        doc = Doc(vocab, words=[p.word for p in pieces])
        if pieces:
            add = vocab.strings.add
            norms = numpy.array([[add(self.feature(p))] for p in pieces], dtype="uint64")
            doc.from_array([NORM], norms)
        return doc


def _stem(word: str) -> str:
    """The word without the article: الدوحة and دوحة share stem features."""
    return word[2:] if word.startswith(ARTICLE) and len(word) > 4 else word


_VOWELS = frozenset("اويىآأإؤئء")


def _letter_pattern(word: str) -> str:
    """Consonant/vowel skeleton of the stem (شوفكوفسكي -> CVCCVCCCV): foreign names
    transliterated into Arabic have long-vowel patterns that native word patterns lack."""
    stem = _stem(word)
    return "".join("V" if c in _VOWELS else "T" if c == "ة" else "C" for c in stem[:10])


# Lexeme features the model embeds (besides the word itself and the NORM feature string),
# chosen for Arabic morphology: stem, its first two and last three letters, and (v1) last letter
# + length or (v2) the consonant/vowel pattern. The version is stored in the model's meta.
LEXEME_FEATURES = {
    "v1": {
        "LOWER": _stem,
        "PREFIX": lambda w: _stem(w)[:2],
        "SUFFIX": lambda w: _stem(w)[-3:],
        "SHAPE": lambda w: _stem(w)[-1:] + str(min(len(_stem(w)), 9)),
    },
    "v2": {
        "LOWER": _stem,
        "PREFIX": lambda w: _stem(w)[:2],
        "SUFFIX": lambda w: _stem(w)[-3:],
        "SHAPE": _letter_pattern,
    },
}
META_KEY = "akhbar_lexeme_features"


def install_lexeme_features(vocab, version: str) -> None:
    """Make new lexemes in `vocab` carry the Arabic features (train and run time alike)."""
    from spacy import attrs

    for name, getter in LEXEME_FEATURES[version].items():
        vocab.lex_attr_getters[getattr(attrs, name)] = getter


def _is_clitic(pieces: list[Piece], i: int) -> bool:
    piece = pieces[i]
    follows = i + 1 < len(pieces) and pieces[i + 1].start == piece.end
    return follows and piece.source in CONJUNCTIONS + PREPOSITIONS


def _trim(pieces: list[Piece], first: int, last: int) -> tuple[int, int]:
    """Drop clitics and punctuation at the edges of a span of pieces [first, last)."""
    while first < last and (
        _is_clitic(pieces, first) or not _WORDLIKE_RE.search(pieces[first].source)
    ):
        first += 1
    while last > first and not _WORDLIKE_RE.search(pieces[last - 1].source):
        last -= 1
    return first, last


def _normalized(pieces: list[Piece], first: int, last: int, gazetteer: Gazetteer) -> str:
    keys = " ".join(lookup_key(p.word) for p in pieces[first:last])
    entry = gazetteer.get(keys)
    if entry:
        return entry[1]
    out = ""
    for k in range(first, last):
        if k > first and pieces[k].start != pieces[k - 1].end:
            out += " "
        out += pieces[k].source
    return _DIACRITICS_RE.sub("", out)


def spans_to_entities(
    text: str,
    pieces: list[Piece],
    spans: Iterable[tuple[int, int, str]],
    gazetteer: Gazetteer,
) -> list[Entity]:
    """(first piece, last piece, label) spans -> entities with raw offsets."""
    out = []
    for first, last, label in spans:
        if label not in LABELS:
            continue
        first, last = _trim(pieces, first, last)
        if first >= last:
            continue
        start, end = pieces[first].start, pieces[last - 1].end
        normalized = _normalized(pieces, first, last, gazetteer)
        out.append(Entity(text[start:end], normalized, label, start, end))
    return out


class ArabicPipeline:
    """Model (CRF, or a spaCy pipeline) + span rules + within-document propagation."""

    def __init__(
        self,
        model_dir: Path | None = MODEL_DIR,
        *,
        nlp=None,
        use_gazetteer: bool = USE_GAZETTEER_MATCHES,
        use_titles: bool = True,
        gazetteer_single_words: bool = True,
        merge_persons: bool = True,
    ):
        self.gazetteer = load_gazetteer("ar")
        self.use_gazetteer = use_gazetteer
        self.use_titles = use_titles
        self.gazetteer_single_words = gazetteer_single_words
        self.merge_persons = merge_persons
        self.nlp = nlp
        self.crf: CrfTagger | None = None
        weights_path = Path(model_dir) / WEIGHTS_FILE if model_dir is not None else None
        if nlp is None and weights_path is not None and weights_path.exists():
            pass  # the CRF is loaded below, once the featurizer exists
        elif nlp is None and model_dir is not None and (Path(model_dir) / "config.cfg").exists():
            import spacy

            self.nlp = spacy.load(model_dir)
        version = self.nlp.meta.get(META_KEY, "v1") if self.nlp is not None else "v1"
        self.featurizer = ArabicFeaturizer(self.gazetteer, lexeme_features=version)
        if self.nlp is None and weights_path is not None and weights_path.exists():
            lexicon_path = weights_path.parent / LEXICON_FILE
            lexicon = (
                json.loads(lexicon_path.read_text(encoding="utf-8"))
                if lexicon_path.exists()
                else {}
            )
            weights = CrfWeights.load(weights_path)
            features = CrfFeatures(
                self.gazetteer,
                self.featurizer.zipf,
                lexicon,
                load_name_codes(),
                load_full_names(),
                cache_strings=False,  # the tagger caches each word's summed weights instead
            )
            self.crf = CrfTagger(weights, features)

    def _alias_ok(self, key: str) -> bool:
        return len(key) >= 3 and self.featurizer.zipf(key) < ALIAS_MAX_ZIPF

    def _spans(
        self, pieces: list[Piece], model: list[tuple[int, int, str]], in_name: InName | None
    ) -> list[tuple[int, int, str]]:
        """Model spans without function words at their edges, merged with the gazetteer:
        a gazetteer name is added where the model found nothing, and a longer multi-word
        gazetteer name replaces a model span it contains (أمريكا -> أمريكا الجنوبية)."""
        model = [self._strip_function_words(pieces, *span) for span in model]
        model = [span for span in model if span[0] < span[1]]
        model = [part for span in model for part in self._split_at_conjunction(pieces, *span)]
        if self.use_titles:
            model = self._add_titled_names(pieces, model, in_name)
        if self.merge_persons:
            model = self._merge_adjacent_persons(pieces, model)
        model = [self._strip_type_noun(pieces, *span) for span in model]
        model = [span for span in model if span[0] < span[1]]
        if not self.use_gazetteer:
            return sorted(model)
        keys = [lookup_key(p.word) for p in pieces]
        for match in self.gazetteer.match(keys):
            if self.gazetteer_single_words is False and match.last - match.first == 1:
                continue
            inside = [s for s in model if s[0] < match.last and s[1] > match.first]
            contained = all(match.first <= s[0] and s[1] <= match.last for s in inside)
            if not inside or (contained and match.last - match.first > 1):
                model = [s for s in model if s not in inside]
                model.append((match.first, match.last, match.label))
        return sorted(model)

    def _add_titled_names(
        self, pieces: list[Piece], spans: list[tuple[int, int, str]], in_name: InName | None
    ) -> list[tuple[int, int, str]]:
        """Names after titles are PER. Where the model found something there, the titled name
        replaces it (جورجيا LOC inside جورجيا ميلوني; سعيد -> قيس سعيد) only if it covers the
        model's spans and each word it adds looks like part of a name to the CRF: the title
        rule's own name end is a guess (صدام for صدام حسين, شيراك سيقرر), the CRF's usually
        better (5-fold cross-validation on ANERcorp train + dev: +0.005 F1 on every fold)."""
        for first, last in titled_names(pieces, self.featurizer.zipf):
            if in_name is not None and not self._titled_name_ok(pieces, first, last, in_name):
                continue
            overlap = [s for s in spans if s[0] < last and s[1] > first]
            if overlap and not self._titled_name_wins(first, last, overlap, in_name):
                continue
            kept = [(s[0], first, s[2]) for s in overlap if s[2] != "PER" and s[0] < first]
            spans = [s for s in spans if s not in overlap] + kept  # المنظمة [تيدروس ...]
            spans.append((first, last, "PER"))
        return spans

    @staticmethod
    def _titled_name_wins(
        first: int, last: int, overlap: list[tuple[int, int, str]], in_name: InName | None
    ) -> bool:
        if any(span[1] > last for span in overlap):
            return False  # the model's name runs on past the titled one
        covered = {i for span in overlap for i in range(span[0], span[1])}
        added = [i for i in range(first, last) if i not in covered]
        return in_name is None or all(
            in_name(i, i + 1) >= TITLED_NAME_MIN_PROBABILITY for i in added
        )

    def _titled_name_ok(self, pieces: list[Piece], first: int, last: int, in_name: InName) -> bool:
        """Take a name after a title when the CRF sees some name there, or when it is two or
        more uncommon words ending in a rare one (unseen foreign names: أنتوني بلينكن); not
        اجتماعا, لشؤون, برئاسة."""
        if in_name(first, last) >= TITLED_NAME_MIN_PROBABILITY:
            return True
        zipfs = [self.featurizer.zipf(p.source) for p in pieces[first:last]]
        return len(zipfs) >= 2 and max(zipfs) < 4.5 and zipfs[-1] < TITLED_NAME_RARE_ZIPF

    @staticmethod
    def _split_at_conjunction(
        pieces: list[Piece], first: int, last: int, label: str
    ) -> list[tuple[int, int, str]]:
        """A conjunction clitic inside a span starts a new name: "أرسنال وموناكو" is two clubs
        (ANERcorp tags such lists name by name; dev F1 +0.003)."""
        out, start = [], first
        for k in range(first + 1, last - 1):
            if pieces[k].source in CONJUNCTIONS and pieces[k + 1].start == pieces[k].end:
                if start < k:
                    out.append((start, k, label))
                start = k + 1
        out.append((start, last, label))
        return out

    @staticmethod
    def _merge_adjacent_persons(
        pieces: list[Piece], spans: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """قيس | سعيد tagged as two people with only a space between them are one name."""
        merged: list[tuple[int, int, str]] = []
        for span in sorted(spans):
            if (
                merged
                and span[2] == "PER"
                and merged[-1][2] == "PER"
                and merged[-1][1] == span[0]
                and not _is_clitic(pieces, span[0])
                and pieces[span[0]].start > pieces[span[0] - 1].end
            ):
                merged[-1] = (merged[-1][0], span[1], "PER")
            else:
                merged.append(span)
        return merged

    def _strip_type_noun(
        self, pieces: list[Piece], first: int, last: int, label: str
    ) -> tuple[int, int, str]:
        """منظمة أوبك -> أوبك (see ORG_TYPE_NOUNS); a lone type noun is no name at all."""
        if label != "ORG" or first >= last:
            return first, last, label
        word = pieces[first].word
        if last - first == 1 and word.startswith(ARTICLE) and word[2:] in ORG_TYPE_NOUNS:
            return first, first, label  # "المنظمة" alone refers back to a name
        if word not in ORG_TYPE_NOUNS:
            return first, last, label
        if last - first == 1:
            return first, first, label
        if pieces[first + 1].source.startswith(ARTICLE):
            return first, last, label
        return first + 1, last, label

    def _strip_function_words(
        self, pieces: list[Piece], first: int, last: int, label: str
    ) -> tuple[int, int, str]:
        """Drop very frequent words (في, من, على) that the model sometimes runs into a span."""
        while first < last and self.featurizer.zipf(pieces[first].source) >= FUNCTION_WORD_ZIPF:
            first += 1
        while last > first and self.featurizer.zipf(pieces[last - 1].source) >= FUNCTION_WORD_ZIPF:
            last -= 1
        return first, last, label

    def _model_spans(
        self, all_pieces: list[list[Piece]], batch_size: int
    ) -> Iterable[tuple[list[tuple[int, int, str]], InName | None]]:
        """Spans over pieces, with the CRF's in-name probability (CRF, else the spaCy
        model without one, else none)."""
        if self.crf is not None:
            tagged = self.crf.tag(all_pieces, batch_size)
            return ((doc.spans, doc.entity_probability) for doc in tagged)
        if self.nlp is not None:
            docs = (self.featurizer.make_doc(self.nlp.vocab, p) for p in all_pieces)
            return (
                ([(e.start, e.end, e.label_) for e in doc.ents], None)
                for doc in self.nlp.pipe(docs, batch_size=batch_size)
            )
        return (([], None) for _ in all_pieces)

    def extract(self, texts: list[str], batch_size: int = 64) -> list[list[Entity]]:
        all_pieces = [self.featurizer.pieces(text) for text in texts]
        parsed = self._model_spans(all_pieces, batch_size)
        results = []
        for text, pieces, (model, in_name) in zip(texts, all_pieces, parsed, strict=True):
            spans = self._spans(pieces, model, in_name)
            entities = spans_to_entities(text, pieces, spans, self.gazetteer)
            tokens = [(lookup_key(p.word), p.start, p.end) for p in pieces]
            results.append(propagate(text, entities, tokens, alias_ok=self._alias_ok))
        return results
