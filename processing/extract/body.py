"""Main text of the page: structural pruning + trafilatura, checked against JSON-LD articleBody.

Chrome is removed by what a block is (a form, a share bar, a list of links under a heading,
a node whose class says "related"...), not by matching its words.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

import trafilatura

from processing.extract.chrome import link_texts, strip_page_chrome

SHORT_TEXT = 1000
_WORD = re.compile(r"\w+")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def trafilatura_text(tree: Any, url: str | None, *, fast: bool = True) -> str:
    text = trafilatura.extract(
        tree,
        url=url,
        fast=fast,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
        with_metadata=False,
    )
    return text or ""


def _overlap(a: str, b: str) -> float:
    """Share of ``a``'s tokens that also occur in ``b`` (a cheap containment check)."""
    ta, tb = _tokens(a), set(_tokens(b))
    if not ta:
        return 0.0
    return sum(1 for t in ta if t in tb) / len(ta)


def jsonld_body_plausible(jsonld_body: str | None, page_text: str) -> bool:
    """articleBody is trusted when it is long and really printed on the page (not a teaser)."""
    if not jsonld_body or len(jsonld_body) < 200:
        return False
    return _overlap(jsonld_body, page_text) > 0.9


def extract_body(
    tree: Any, *, url: str | None, jsonld_body: str | None, titles: list[str | None] = ()
) -> str:
    """The article text, paragraphs separated by newlines ('' when nothing was found)."""
    text = trafilatura_text(tree, url)
    if len(text) < SHORT_TEXT:
        # The fast path found little: pay for trafilatura's fallback comparison on this page only.
        slow = trafilatura_text(tree, url, fast=False)
        if len(slow) > len(text):
            text = slow
    if jsonld_body and len(text) < SHORT_TEXT // 2 and len(jsonld_body) > 2 * len(text):
        # articleBody often carries captions and inline promos, so it only wins when the
        # extractors found little and it is really printed on the page (not a teaser).
        if jsonld_body_plausible(
            jsonld_body, tree.text_content()
        ):
            text = jsonld_body
    return strip_page_chrome(text, titles=list(titles), links=link_texts(tree))


__all__ = ["deepcopy", "extract_body", "jsonld_body_plausible", "trafilatura_text"]
