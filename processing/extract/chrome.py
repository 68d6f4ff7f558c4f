"""Text-level chrome removal that needs the page: headline echoes, datelines, link-only lines.

Main-content extractors often keep the headline, a "posted on <date> by <name>" line, and the
titles of related stories (which are links) around the body. These rules use facts about the
page (its title, the texts of its links) rather than phrase lists, so they hold in any language.
"""

from __future__ import annotations

import re
from typing import Any

_WORDS = re.compile(r"\w+")
_DATE_LIKE = re.compile(
    r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\b|\b(19|20)\d{2}\b.*\b\d{1,2}:\d{2}\b|"
    r"\b\d{1,2}:\d{2}\s*(am|pm|a\.m\.|p\.m\.)?|\b(19|20)\d{2}\b"
)
_META_WORDS = re.compile(
    r"^(by|posted|published|updated|last updated|written by|photo|image|credit|source|"
    r"publicado|atualizado|por|von|par|автор|опубликовано|بقلم|كتب|نشر|تاريخ النشر|"
    r"آخر تحديث|تحديث|المصدر|تصوير)\b|\b(posted by|publicado por|tags?:|categoria:|category:)",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"\b(share (it|this)|sign up|subscribe|newsletter|"
    r"click here|follow us|also on\b|read more|tell us what you think|"
    r"اشترك|تابعونا|جميع الحقوق محفوظة|اقرأ أيضا|اقرأ أيضاً|شاركها|للمزيد)",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"©|\bcopyright\b|all rights reserved|جميع الحقوق محفوظة", re.IGNORECASE)
_TRAILING_TAG = re.compile(r"\s*[\[(][^\])]{1,20}[\])]\W*$")
# "Read more: <link>", "اقرأ أيضا.. <link>", "Related | <link>", "Also - <link>"
_LABEL_SEP = re.compile(r"\s*(?::|：|\.{2,}|…|\||\s[-–—]\s)\s*")
_TERMINAL = re.compile(r"[.!?。！？؟\"”»)\]…:;]\s*$")


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def link_texts(tree: Any) -> set[str]:
    """Normalised texts of the page's longer links (candidate related-story titles)."""
    out = set()
    for anchor in tree.iter("a"):
        text = anchor.text_content()
        if 15 <= len(text) <= 300 and "://" not in text and not text.lstrip().startswith("www."):
            key = _key(text)
            if key.count(" ") >= 2:
                out.add(key)
    return out


def _is_block_label(line: str) -> bool:
    """A short heading-like line: no sentence punctuation, a few words."""
    return len(line) <= 40 and not _TERMINAL.search(line) and len(line.split()) <= 5


def line_is_link(line: str, links: set[str]) -> bool:
    """The whole line is a link, or a short label ("Read more:") followed by one."""
    if len(line) >= 300:
        return False
    if _key(line) in links:
        return True
    tagged = _TRAILING_TAG.sub("", line)  # "Headline [VIDEO]|" teasers
    if tagged != line and _key(tagged) in links:
        return True
    parts = _LABEL_SEP.split(line, maxsplit=1)
    return len(parts) == 2 and len(parts[0]) <= 30 and _key(parts[1]) in links


def line_starts_with_link(line: str, links: set[str]) -> bool:
    """A list item that opens with a link of several words: a teaser (headline + blurb)."""
    if not line.startswith(("- ", "• ", "* ")):
        return False
    words = _key(line).split()
    return any(" ".join(words[:n]) in links for n in range(4, min(len(words), 30) + 1))


def _is_title_echo(line: str, titles: list[str]) -> bool:
    key = _key(line)
    if not key:
        return True
    for title in titles:
        if key == title or (
            len(title) >= 10 and title in key and len(key) <= 1.3 * len(title) + 10
        ):
            return True
    return False


def _is_meta_line(line: str) -> bool:
    """A byline/dateline/credit line ("Posted by X on 2024-10-17", "Updated 10:45")."""
    if len(line) > 160 or "(@" in line:  # "— Name (@handle) date" closes a quoted post
        return False
    return bool(_META_WORDS.search(line)) or (
        bool(_DATE_LIKE.search(line)) and len(_WORDS.findall(line)) <= 12
    )


def strip_page_chrome(text: str, *, titles: list[str | None], links: set[str]) -> str:
    """Drop headline echoes and datelines at the top, link-only lines, and promo tails."""
    title_keys = [_key(t) for t in titles if t and _key(t)]
    lines = [line for line in text.split("\n") if line.strip()]
    head = 0
    while head < min(len(lines), 4) and (
        _is_title_echo(lines[head], title_keys) or _is_meta_line(lines[head])
    ):
        head += 1
    lines = lines[head:]
    kept: list[str] = []
    for line in lines:
        if not line_is_link(line, links):
            kept.append(line)
        elif kept and _is_block_label(kept[-1]):
            kept.pop()  # the "Don't miss" / "اقرأ أيضاً" label of a list of links
    # Only drop link-only lines when they are a minority: a page of link lists is not prose.
    if len(kept) >= len(lines) * 0.5:
        lines = kept
    tail = 0
    while tail < 4 and len(lines) > 1:
        last = lines[-1]
        if len(last) < 250 and (
            _PROMO.search(last)
            or _is_meta_line(last)
            or (len(last) < 80 and _COPYRIGHT.search(last))
            or (len(last) < 40 and not _TERMINAL.search(last))
        ):
            lines.pop()
            tail += 1
        else:
            break
    return "\n".join(lines)
