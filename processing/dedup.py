"""Duplicate detection: exact (hash of the normalised text) then near-duplicate (MinHash/LSH).

The index is filled with what is already known (earlier articles of the run, the articles of
recent days loaded from the lake) and asked, article by article, for an earlier twin.
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


def _tokens(text_normalized: str) -> list[str]:
    return _TOKEN.findall(text_normalized.casefold())


def _digest(tokens: list[str]) -> str:
    return hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()


def content_hash(text_normalized: str) -> str:
    """SHA-256 of the normalised text's tokens: punctuation and spacing do not change it."""
    return _digest(_tokens(text_normalized))


def _shingles(tokens: list[str]) -> set[bytes]:
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

    def _fingerprint(self, text_normalized: str) -> tuple[str, MinHash | None]:
        """Content hash and MinHash from one tokenisation (the MinHash is the costly part)."""
        tokens = _tokens(text_normalized)
        shingles = _shingles(tokens)
        if not shingles:
            return _digest(tokens), None
        minhash = MinHash(num_perm=self.num_perm)
        minhash.update_batch(list(shingles))
        return _digest(tokens), minhash

    def add_hash(self, article_id: str, digest: str) -> None:
        """Register a known content hash only (exact matches only, no near-duplicates)."""
        self._by_hash.setdefault(digest, article_id)

    def add(self, article_id: str, text_normalized: str) -> None:
        """Register an article so later ones can be matched against it (first id wins)."""
        self._add(article_id, *self._fingerprint(text_normalized))

    def match(self, article_id: str, text_normalized: str) -> str | None:
        """The id of an earlier article with the same or nearly the same text, else None."""
        return self._match(article_id, *self._fingerprint(text_normalized))

    def check_and_add(self, article_id: str, text_normalized: str) -> str | None:
        """``match`` then ``add`` when the article is new: the usual one-pass loop."""
        digest, minhash = self._fingerprint(text_normalized)
        earlier = self._match(article_id, digest, minhash)
        if earlier is None:
            self._add(article_id, digest, minhash)
        return earlier

    def match_and_add(self, article_id: str, text_normalized: str) -> tuple[str, str | None]:
        """(content hash, earlier twin or None), registering the article either way.

        For callers that store every article, duplicates included, and need its hash: the
        text is tokenised and MinHashed once instead of once per call.
        """
        digest, minhash = self._fingerprint(text_normalized)
        earlier = self._match(article_id, digest, minhash)
        self._add(article_id, digest, minhash)
        return digest, earlier

    def _add(self, article_id: str, digest: str, minhash: MinHash | None) -> None:
        self._by_hash.setdefault(digest, article_id)
        if minhash is not None and article_id not in self._minhashes:
            self._minhashes[article_id] = minhash
            self._lsh.insert(article_id, minhash)

    def _match(self, article_id: str, digest: str, minhash: MinHash | None) -> str | None:
        earlier = self._by_hash.get(digest)
        if earlier is not None and earlier != article_id:
            return earlier
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
