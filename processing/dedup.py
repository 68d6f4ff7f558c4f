"""Duplicate detection: exact (hash of the normalised text) then near-duplicate (MinHash/LSH).

The index is filled with what is already known (earlier articles of the run, content hashes
of recent days loaded from the lake) and asked, article by article, for an earlier twin.
A duplicate is never dropped here: the caller stores it with ``duplicate_of`` set.
"""

from __future__ import annotations

import hashlib
import re

from datasketch import MinHash, MinHashLSH

_TOKEN = re.compile(r"\w+")
NUM_PERM = 128
SHINGLE = 3
THRESHOLD = 0.7


def _canonical(text_normalized: str) -> str:
    return " ".join(_TOKEN.findall(text_normalized.casefold()))


def content_hash(text_normalized: str) -> str:
    """SHA-256 of the normalised text's tokens: punctuation and spacing do not change it."""
    return hashlib.sha256(_canonical(text_normalized).encode("utf-8")).hexdigest()


def _shingles(text_normalized: str) -> set[bytes]:
    tokens = _TOKEN.findall(text_normalized.casefold())
    if len(tokens) < SHINGLE:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    count = len(tokens) - SHINGLE + 1
    return {" ".join(tokens[i : i + SHINGLE]).encode("utf-8") for i in range(count)}


class DedupIndex:
    """Exact-hash map plus a MinHash LSH index over word 3-gram shingles.

    ``threshold`` is the estimated Jaccard similarity above which two texts are the same story
    (0.7 catches a story re-published with a sentence changed; distinct stories on one topic
    score far lower).
    """

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._by_hash: dict[str, str] = {}
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._minhashes: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._by_hash)

    def _minhash(self, text_normalized: str) -> MinHash | None:
        shingles = _shingles(text_normalized)
        if not shingles:
            return None
        minhash = MinHash(num_perm=self.num_perm)
        minhash.update_batch(list(shingles))
        return minhash

    def add_hash(self, article_id: str, digest: str) -> None:
        """Register a known content hash only (history from the lake: exact matches only)."""
        self._by_hash.setdefault(digest, article_id)

    def add(self, article_id: str, text_normalized: str) -> None:
        """Register an article so later ones can be matched against it (first id wins)."""
        digest = content_hash(text_normalized)
        self._by_hash.setdefault(digest, article_id)
        if article_id in self._minhashes:
            return
        minhash = self._minhash(text_normalized)
        if minhash is not None:
            self._minhashes[article_id] = minhash
            self._lsh.insert(article_id, minhash)

    def match(self, article_id: str, text_normalized: str) -> str | None:
        """The id of an earlier article with the same or nearly the same text, else None."""
        earlier = self._by_hash.get(content_hash(text_normalized))
        if earlier is not None and earlier != article_id:
            return earlier
        minhash = self._minhash(text_normalized)
        if minhash is None:
            return None
        best_id, best_sim = None, 0.0
        for candidate in self._lsh.query(minhash):
            if candidate == article_id:
                continue
            similarity = minhash.jaccard(self._minhashes[candidate])
            if similarity >= self.threshold and similarity > best_sim:
                best_id, best_sim = candidate, similarity
        return best_id

    def check_and_add(self, article_id: str, text_normalized: str) -> str | None:
        """``match`` then ``add`` when the article is new: the usual one-pass loop."""
        earlier = self.match(article_id, text_normalized)
        if earlier is None:
            self.add(article_id, text_normalized)
        return earlier
