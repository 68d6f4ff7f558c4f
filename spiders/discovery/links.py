"""Links and the `<link rel=canonical>` of an HTML page (malformed HTML is fine)."""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree, html

_HEAD_BYTES = 256 * 1024  # rel=canonical lives in <head>; no need to parse a huge body for it


def _document(body: bytes) -> etree._Element | None:
    try:
        return html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return None


def extract_links(body: bytes, base_url: str) -> list[str]:
    """Absolute href targets of <a>, in document order, without duplicates."""
    doc = _document(body)
    if doc is None:
        return []
    base = doc.xpath("string(//base/@href)") or base_url
    seen: dict[str, None] = {}
    for href in doc.xpath("//a/@href"):
        href = str(href).strip()
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            seen.setdefault(urljoin(urljoin(base_url, base), href), None)
    return list(seen)


def canonical_link(body: bytes, base_url: str) -> str | None:
    doc = _document(body[:_HEAD_BYTES])
    if doc is None:
        return None
    for href in doc.xpath("//link[@rel][@href]"):
        if "canonical" in href.get("rel", "").lower().split():
            return urljoin(base_url, href.get("href").strip())
    return None
