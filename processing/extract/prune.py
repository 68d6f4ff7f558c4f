"""Structure-aware removal of page chrome from the parsed tree, before text extraction.

Blocks are judged by what they are -- hidden, built around a form, named as chrome by their
class and small, never article text by their tag -- not by the words they contain, so the
rules hold for Arabic, English or any other language.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

# Never article text; trafilatura drops them too, but only after copying the whole tree.
# Removing them first (in C) makes every later copy and XPath pass cheaper.
_NEVER_CONTENT = (
    "head", "script", "style", "noscript", "svg", "iframe", "object", "embed", "canvas",
    "audio", "video", "map", "applet", "link", "select", "option", "textarea", "input",
    "button", "source", "track", "param", "frame", "frameset", "fencedframe", "dialog",
)

FORM_BLOCK_MAX_CHARS = 400
_PROTECTED = {"html", "body", "article", "main"}


_FORM_ANCHORS = etree.XPath("//form | //input[@type='email'] | //textarea")
# Attribute values come back from C in one XPath call: far cheaper than testing predicates on
# every element.
_HIDING_ATTRS = etree.XPath("//@hidden | //@aria-hidden | //@style")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def prune_hidden(tree: Any) -> None:
    """Drop what the reader never sees (hidden attribute, aria-hidden, inline display:none)."""
    doomed = []
    for value in _HIDING_ATTRS(tree):
        name = value.attrname
        if name == "style":
            if ("none" not in value and "hidden" not in value) or not _HIDDEN_STYLE.search(value):
                continue
        elif name == "aria-hidden" and value != "true":
            continue
        node = value.getparent()
        if node.tag not in _PROTECTED:
            doomed.append(node)
    for node in doomed:
        if node.getparent() is not None:
            node.drop_tree()


def prune_form_blocks(tree: Any) -> None:
    """Remove each small block built around a form: comment forms with their heading and
    e-mail notice, newsletter sign-ups, search boxes. Whole-page forms (ASP.NET) are kept."""
    blocks = []
    for form in _FORM_ANCHORS(tree):
        if len(form.text_content()) > FORM_BLOCK_MAX_CHARS:
            continue
        block = form
        for parent in form.iterancestors():
            if parent.tag in _PROTECTED or len(parent.text_content()) > FORM_BLOCK_MAX_CHARS:
                break
            block = parent
        if block.getparent() is not None and block not in blocks:
            blocks.append(block)
    chosen = set(blocks)
    for block in blocks:
        if not any(ancestor in chosen for ancestor in block.iterancestors()):
            block.drop_tree()



# Class/id words that name chrome on news sites; a block so named is dropped when it is small
# (a guard against themes that put e.g. "related" on the main column).
_CHROME_NAME = re.compile(
    r"(?:^|[\s_-])(?:newsletter|subscribe|subscription|signup|sign-up|cookie|consent|gdpr|"
    r"share|sharing|social|sharedaddy|related|relatedposts|recommended|recommendations|"
    r"comments?|respond|breadcrumbs?|tagcloud|post-tags|tags|author-?bio|author-?box|"
    r"about-author|promo|advert|advertisement|ads?|ad-slot|adslot|sponsored|"
    r"go-?to-?top|back-?to-?top|scroll-?up|scroll-?top|most-?read|popular|trending|"
    r"read-?more|read-?also|more-?stories|outbrain|taboola)(?:$|[\s_-])",
    re.IGNORECASE,
)
CHROME_BLOCK_MAX_CHARS = 1200
# Chrome blocks are containers; inline elements (a, span, img, i) are not worth the look.
_NAME_ATTRS = etree.XPath(
    "//div/@class | //section/@class | //aside/@class | //ul/@class | //nav/@class"
    " | //footer/@class | //p/@class | //header/@class | //ol/@class | //figure/@class"
    " | //div/@id | //section/@id | //aside/@id | //ul/@id"
)
# A block also named like the story itself ("entry-content-read-more") is never chrome.
_CONTENT_NAME = re.compile(r"content|body|article|story|entry|text|main", re.IGNORECASE)


def _text_at_most(node: Any, limit: int) -> bool:
    """len(text_content()) <= limit, stopping early on big blocks."""
    total = 0
    for piece in node.itertext():
        total += len(piece)
        if total > limit:
            return False
    return True


def prune_named_chrome(tree: Any) -> None:
    """Drop small blocks whose class or id names them as chrome (share bars, related lists)."""
    doomed = []
    for value in _NAME_ATTRS(tree):
        if not _CHROME_NAME.search(value) or _CONTENT_NAME.search(value):
            continue
        node = value.getparent()
        other = node.get("id" if value.attrname == "class" else "class")
        if node.tag in _PROTECTED or (other and _CONTENT_NAME.search(other)):
            continue
        if _text_at_most(node, CHROME_BLOCK_MAX_CHARS) and node.find(".//h1") is None:
            doomed.append(node)
    chosen = set(doomed)
    for node in doomed:
        if node.getparent() is not None and not any(a in chosen for a in node.iterancestors()):
            node.drop_tree()


LONG_PARAGRAPH = 80


def join_split_bodies(tree: Any) -> None:
    """Join an article body that the page splits into several same-named containers (ads or
    embeds in between), so the extractor does not keep only the first part."""
    long_paragraphs: dict[Any, int] = {}
    for para in tree.iter("p"):
        parent = para.getparent()
        if parent is not None and _text_at_least(para, LONG_PARAGRAPH):
            long_paragraphs[parent] = long_paragraphs.get(parent, 0) + 1
    groups: dict[tuple, list[Any]] = {}
    for container, count in long_paragraphs.items():
        cls = container.get("class")
        if count >= 2 and cls and container.tag not in _PROTECTED:
            groups.setdefault((container.tag, cls), []).append(container)
    for parts in groups.values():
        if len(parts) < 2:
            continue
        first = parts[0]
        family = {first.getparent(), first.getparent().getparent()}
        for part in parts[1:]:
            if part.getparent() not in family and part.getparent().getparent() not in family:
                continue
            if any(a is first for a in part.iterancestors()):
                continue
            for child in list(part):
                first.append(child)
            part.drop_tree()


def _text_at_least(node: Any, limit: int) -> bool:
    total = 0
    for piece in node.itertext():
        total += len(piece)
        if total >= limit:
            return True
    return False


# A card tucked inside a paragraph (a person's photo and links shown on hover): not prose.
_CARD = "span[.//img][count(.//a) >= 2]"
_INLINE_CARDS = etree.XPath(f"//p//{_CARD}[not(.//{_CARD})]")  # innermost only


def prune_inline_cards(tree: Any) -> None:
    """Drop hover cards inside paragraphs, keeping the text that follows them."""
    for card in _INLINE_CARDS(tree):
        if card.getparent() is not None:
            card.drop_tree()


_EMBEDDED_POSTS = etree.XPath(
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
    " or contains(@class, 'tiktok-embed')]"
)


def keep_embedded_posts(tree: Any) -> None:
    """A quoted post (tweet, Instagram) is part of the story: drop the class that makes
    extractors discard it as a social widget."""
    for quote in _EMBEDDED_POSTS(tree):
        quote.attrib.pop("class", None)
        size = len(quote.text_content().strip())
        # Wrappers that hold nothing but the post carry the same "social" names.
        for wrapper in quote.iterancestors():
            if wrapper.tag in _PROTECTED or len(wrapper.text_content().strip()) > size + 40:
                break
            wrapper.attrib.pop("class", None)
            wrapper.attrib.pop("id", None)


def prune_page_chrome(tree: Any) -> None:
    """All tree-level rules, cheapest first. Mutates ``tree``."""
    keep_embedded_posts(tree)
    prune_hidden(tree)
    prune_form_blocks(tree)
    prune_inline_cards(tree)
    prune_named_chrome(tree)
    join_split_bodies(tree)
    etree.strip_elements(tree, *_NEVER_CONTENT, with_tail=False)
