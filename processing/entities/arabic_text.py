"""Arabic token handling shared by training and inference.

The model must see the same tokens at training time (ANERcorp) and at run time (news text),
so tokenising, letter folding and clitic splitting live here, in one place. Folding is letter
for letter (one character in, one character out), so positions in the folded text are positions
in the raw text and spans can always be cut from the raw text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

_FOLD_TABLE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
# Characters that are part of an Arabic word (letters, diacritics, tatweel).
_AR_LETTERS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u064b-\u065f\u0670\u0640"
TOKEN_RE = re.compile(
    rf"[{_AR_LETTERS}]+|[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?|\d+(?:[.,٫]\d+)*|[٠-٩]+|\S"
)
_ARABIC_WORD_RE = re.compile(rf"^[{_AR_LETTERS}]+$")
_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u0640]")

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"


def fold(text: str) -> str:
    """Unify alef/hamza seats and final ya, keeping the length (ANERcorp spells them freely)."""
    return text.translate(_FOLD_TABLE)


@lru_cache(maxsize=200_000)
def lookup_key(text: str) -> str:
    """Key for dictionary look-ups: folded, without diacritics/tatweel, ta marbuta as ha."""
    return _DIACRITICS_RE.sub("", fold(text)).replace("ة", "ه")


def is_arabic_word(token: str) -> bool:
    return bool(_ARABIC_WORD_RE.match(token))


@dataclass(frozen=True, slots=True)
class Piece:
    """One model token: `word` is what the model sees (folded `source`), `start:end` the raw-text
    span it covers. `source` is unfolded, with ال restored after ل (للأمم -> ل + الأمم)."""

    word: str
    source: str
    start: int
    end: int


# How much more frequent (in zipf units) the remainder must be than the whole word before a
# clitic is split off. Checked on ANERcorp names: كوفي (ك+وفي), فيصل, وليد, بسام stay whole;
# وقطر, لروسيا, ولروسيا, بالدوحة, للأمم split. Before ال the split is nearly always right.
CLITIC_MARGIN = {"و": 1.0, "ف": 1.5, "ب": 1.0, "ل": 1.0, "ك": 2.5}
ARTICLE_MARGIN = 0.3


class CliticSplitter:
    """Splits proclitics (و ف ب ل ك) off a word only when the rest is the likelier word.

    A blind strip breaks names such as بايدن or لبنان; comparing corpus frequencies of the whole
    word and of the remainder (wordfreq, shipped with the package) keeps them whole while وقطر,
    بالدوحة and ولروسيا are split. `known_stems` (gazetteer keys) also count as evidence.
    """

    def __init__(self, frequencies: dict[str, float], known_stems: frozenset[str] = frozenset()):
        self._freq = frequencies
        self._known = known_stems
        self.split = lru_cache(maxsize=200_000)(self._split)

    def _zipf(self, word: str) -> float:
        freq = self._freq.get(word, 0.0)
        zipf = math.log10(freq) + 9 if freq else 0.0
        if lookup_key(word) in self._known:
            zipf = max(zipf, 5.0)
        return zipf

    def _candidates(self, word: str) -> list[tuple[list[str], str]]:
        """All (clitics, remainder) readings of `word`, remainder with ال restored after لل."""
        out: list[tuple[list[str], str]] = []
        conj_options = [""] + [c for c in CONJUNCTIONS if word.startswith(c)]
        for conj in conj_options:
            rest = word[len(conj) :]
            if conj and len(rest) >= 2:
                out.append(([conj], rest))
            for prep in PREPOSITIONS:
                if not rest.startswith(prep):
                    continue
                stem = rest[1:]
                if prep == "ل" and stem.startswith("ل") and len(stem) >= 3:
                    out.append(([c for c in (conj, prep) if c], ARTICLE + stem[1:]))
                elif len(stem) >= 2:
                    out.append(([c for c in (conj, prep) if c], stem))
        return out

    def _split(self, word: str) -> tuple[tuple[str, int, int], ...]:
        """Pieces of one word as (model_word, start, end) relative to the word."""
        if len(word) < 3 or not is_arabic_word(word):
            return ((word, 0, len(word)),)
        whole = self._zipf(word)
        best: tuple[list[str], str] | None = None
        best_gain = 0.0
        for clitics, rest in self._candidates(word):
            if rest.startswith(ARTICLE):
                margin = ARTICLE_MARGIN * len(clitics)
            else:
                margin = sum(CLITIC_MARGIN[c] for c in clitics)
            gain = self._zipf(rest) - whole - margin
            if gain > best_gain:
                best_gain, best = gain, (clitics, rest)
        if best is None:
            return ((word, 0, len(word)),)
        clitics, rest = best
        pieces: list[tuple[str, int, int]] = []
        pos = 0
        for clitic in clitics:
            pieces.append((clitic, pos, pos + 1))
            pos += 1
        pieces.append((rest, pos, len(word)))
        return tuple(pieces)


def tokenize(text: str, splitter: CliticSplitter | None) -> list[Piece]:
    """Raw text to model pieces with raw offsets; words are folded for the model."""
    pieces: list[Piece] = []
    for match in TOKEN_RE.finditer(text):
        token, start = match.group(), match.start()
        if splitter is None:
            pieces.append(Piece(fold(token), token, start, match.end()))
            continue
        for word, rel_start, rel_end in splitter.split(token):
            pieces.append(Piece(fold(word), word, start + rel_start, start + rel_end))
    return pieces


@lru_cache(maxsize=1)
def default_frequencies() -> dict[str, float]:
    """wordfreq's Arabic list (local package data, no network)."""
    import wordfreq

    return wordfreq.get_frequency_dict("ar", wordlist="best")
