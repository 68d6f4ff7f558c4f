"""One hardened XML parser for feeds and sitemaps: no entities, no network, huge trees off."""

from __future__ import annotations

from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
)


def parse_xml(body: bytes) -> etree._Element | None:
    """The document root, or None when `body` is not XML at all."""
    try:
        root = etree.fromstring(body.lstrip(), parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]


def child_text(element: etree._Element, *names: str) -> str | None:
    for name in names:
        for child in element:
            if local_name(child) == name and child.text and child.text.strip():
                return child.text.strip()
    return None
