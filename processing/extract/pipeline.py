"""``extract_article``: the order of the stages and the reject decisions."""

from __future__ import annotations

from typing import Any

from lxml.etree import ParserError

from processing.clean import clean_text, normalize_for_matching, trim_edge_chrome
from processing.extract.article import Article, ExtractionError
from processing.extract.body import extract_body
from processing.extract.decode import DecodeError, decode_html
from processing.extract.language import detect_language
from processing.extract.metadata import PageMetadata, extract_metadata, parse_tree

MIN_TEXT_CHARS = 150
MIN_TEXT_WORDS = 25
LISTING_TEASER_BLOCKS = 4  # <article>/<time> elements that make a page a listing
UNDECLARED_MIN_CHARS = 1000  # prose needed when a page declares nothing about itself


def _parse(text: str) -> Any:
    try:
        return parse_tree(text)
    except (ParserError, ValueError) as exc:
        raise ExtractionError("extraction_failed", f"unparsable HTML: {exc}") from exc


def _looks_like_article(md: PageMetadata, text: str, link_share: float) -> bool:
    """Article markup (JSON-LD, og:type article, article:published_time, itemtype) or,
    lacking any, a long body that is prose rather than a list of teasers."""
    if md.non_article_signals:
        return md.article_signals >= 2
    if md.article_signals:
        return True
    if md.teaser_blocks >= LISTING_TEASER_BLOCKS or link_share >= 0.5:
        return False
    if md.published_source in {"declared", "markup"}:
        return True  # a dated single story (maybe short: too_short decides that)
    if md.published_source == "htmldate":
        return len(text) >= UNDECLARED_MIN_CHARS // 2
    return len(text) >= UNDECLARED_MIN_CHARS


def _too_short(text: str) -> bool:
    if len(text) < MIN_TEXT_CHARS:
        return True
    # Scripts written without spaces (CJK, Thai) are judged by characters alone.
    spaced = text.count(" ") > len(text) / 20
    return spaced and len(text.split()) < MIN_TEXT_WORDS


def extract_article(
    html: bytes,
    *,
    url: str,
    content_type: str | None = None,
    language_hint: str | None = None,
    final_url: str | None = None,
) -> Article:
    """Decode, parse once, read metadata and body, clean.

    Raises ``ExtractionError`` (reason ``decode_failed``, ``extraction_failed``,
    ``not_article`` or ``too_short``) when the page yields no article.
    """
    if isinstance(html, str):
        text_html = html
    else:
        try:
            text_html, _codec = decode_html(html, content_type)
        except DecodeError as exc:
            raise ExtractionError("decode_failed", str(exc)) from exc
    page_url = final_url or url
    tree = _parse(text_html)
    md = extract_metadata(tree, page_url)
    # Lines echoing the headline (or a standfirst printed in its own element) leave the body.
    echoes = [md.title, md.og_title, md.subtitle if md.standfirst_in_page else None]
    try:
        body = extract_body(tree, url=page_url, jsonld_body=md.jsonld_body, titles=echoes)
    except Exception as exc:  # an extractor crash on odd markup must become a reject row
        raise ExtractionError("extraction_failed", f"{type(exc).__name__}: {exc}") from exc
    text = trim_edge_chrome(clean_text(body.text))
    if not _looks_like_article(md, text, body.link_line_share):
        raise ExtractionError("not_article", f"no article signals (type={md.page_type})")
    if not text:
        raise ExtractionError("extraction_failed", "no main text found")
    if _too_short(text):
        raise ExtractionError("too_short", f"{len(text)} characters")
    language = detect_language(text, language_hint or md.lang_hint)
    title = clean_text(md.title) if md.title else None
    subtitle = clean_text(md.subtitle) if md.subtitle else None
    if subtitle and title and subtitle == title:
        subtitle = None
    return Article(
        url=url,
        canonical_url=md.canonical_url,
        site_name=md.site_name,
        language=language,
        title=title,
        subtitle=subtitle,
        text=text,
        text_normalized=normalize_for_matching(text, language),
        authors=md.authors,
        published=md.published,
        modified=md.modified,
        section=md.section,
        tags=md.tags,
        image=md.image,
    )
