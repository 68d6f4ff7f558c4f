"""Main text of the page, chosen per page from what it offers.

1. the tree is pruned structurally (``prune``: hidden blocks, form blocks, small blocks named
   as chrome, split bodies joined);
2. trafilatura's fast path extracts the main text; only when it finds little do we pay for its
   fallback comparison (readability/jusText);
3. JSON-LD ``articleBody`` wins when the markup gave little (client-rendered pages);
4. text-level rules that need the page (``chrome``: headline echoes, datelines, link lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import Any

import trafilatura

from processing.extract.chrome import (
    line_is_link,
    line_starts_with_link,
    link_texts,
    strip_page_chrome,
)
from processing.extract.prune import prune_page_chrome

SHORT_TEXT = 1000
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BREAKS = re.compile(r"<br\s*/?>|</p>|</div>|</h\d>|</li>", re.IGNORECASE)


def trafilatura_text(tree: Any, url: str | None, *, fast: bool = True) -> str:
    """trafilatura on the shared tree (it copies it; our pruning has already run)."""
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


def _jsonld_text(body: str) -> str:
    """articleBody as plain text (some sites put HTML in it)."""
    if "<" in body and _HTML_TAG.search(body):
        body = _BREAKS.sub("\n", body)
        body = unescape(_HTML_TAG.sub("", body))
    return body


@dataclass
class Body:
    text: str
    link_line_share: float  # share of the text (chars) in link lines or teasers: listings


def extract_body(
    tree: Any, *, url: str | None, jsonld_body: str | None, titles: list[str | None] = ()
) -> Body:
    """The article text, paragraphs separated by newlines ('' when nothing was found).

    Mutates ``tree`` (non-content elements are removed): read the metadata first.
    """
    prune_page_chrome(tree)
    text = trafilatura_text(tree, url)
    if len(text) < SHORT_TEXT:
        # The fast path found little: pay for trafilatura's fallback comparison on this page only.
        slow = trafilatura_text(tree, url, fast=False)
        if len(slow) > len(text):
            text = slow
    if jsonld_body and len(text) < SHORT_TEXT // 2:
        # articleBody often carries captions and inline promos, so it only wins when the
        # extractors found little: a page rendered client-side, or a body split oddly.
        candidate = _jsonld_text(jsonld_body)
        if len(candidate) >= 200 and len(candidate) > 2 * len(text):
            text = candidate
    links = link_texts(tree)
    lines = [line for line in text.split("\n") if line.strip()]
    linked = sum(
        len(line)
        for line in lines
        if line_is_link(line, links) or line_starts_with_link(line, links)
    )
    share = linked / sum(len(line) for line in lines) if lines else 0.0
    return Body(strip_page_chrome(text, titles=list(titles), links=links), share)


__all__ = ["Body", "extract_body", "trafilatura_text"]
