"""Bytes -> str for HTML pages: HTTP charset, then <meta>, then BOM, then detection.

A declaration is trusted only while the bytes agree with it: a page declared as one
single-byte charset but written in UTF-8 or in another code page is still decoded right.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: these labels mean windows-1252 in browsers; other aliases map to Python codecs.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-6-i": "iso-8859-6",
    "iso-8859-6-e": "iso-8859-6",
    "arabic": "iso-8859-6",
    "x-user-defined": "cp1252",
}


class DecodeError(ValueError):
    """The bytes are not a text page in any encoding we can tell."""


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset label of a Content-Type header, as written (None when absent)."""
    if not content_type:
        return None
    match = _CT_CHARSET.search(content_type)
    return match.group(1) if match else None


def charset_from_meta(data: bytes) -> str | None:
    """The charset a <meta> in the first 4 KB declares (where browsers look for it)."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def charset_from_bom(data: bytes) -> str | None:
    """The codec a byte-order mark at the start names, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _is_single_byte(codec: str) -> bool:
    return not codec.startswith(("utf", "gb", "big5", "euc", "shift", "iso2022", "cp9", "hz"))


def _plausible(data: bytes, codec: str) -> str | None:
    """The decoded text if ``codec`` fits the bytes, else None."""
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    if not _is_single_byte(codec) or data.isascii():
        return text
    # Valid multi-byte UTF-8 almost never happens by chance in a single-byte page.
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None:
        return None
    # A single-byte code page decodes any bytes: ask the detector whether this one reads well.
    best = _detect(data)
    if best is None or best == codec:
        return text
    if _mess(data, codec) > _mess(data, best) + 0.1:
        return None
    return text


def _sample(data: bytes) -> bytes:
    """The part of the page most likely to hold text, capped: detection cost grows with size."""
    body = data.find(b"<body")
    start = body if body >= 0 else 0
    return data[start : start + 60_000]


def _detect(data: bytes) -> str | None:
    result = from_bytes(_sample(data)).best()
    return _codec(result.encoding) if result else None


def _mess(data: bytes, codec: str) -> float:
    result = from_bytes(_sample(data), cp_isolation=[codec]).best()
    return result.chaos if result else 1.0


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return ``(text, codec)``; raise ``DecodeError`` when the bytes are not a text page."""
    if not data or not data.strip():
        raise DecodeError("empty body")
    bom = charset_from_bom(data)
    declared = [charset_from_content_type(content_type), charset_from_meta(data), bom]
    head = data[:2048]
    if b"\x00" in head and not bom:
        raise DecodeError("binary content (NUL bytes)")
    tried: set[str] = set()
    for label in declared:
        codec = _codec(label)
        if codec is None or codec in tried:
            continue  # header and meta often agree: judging a codec twice costs a detection
        tried.add(codec)
        text = _plausible(data, codec)
        if text is not None:
            return text.lstrip("\ufeff"), codec
    try:
        return data.decode("utf-8").lstrip("\ufeff"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = _detect(data)
    if codec is None:
        raise DecodeError("no encoding fits the bytes")
    return data.decode(codec, errors="replace"), codec
