"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds → article entries with their dates."""

from __future__ import annotations

from urllib.parse import urljoin

from processing.dates import parse_datetime
from spiders.discovery import Entry
from spiders.discovery.xmlsafe import child_text, children, local_name, parse_xml

FEED_ROOTS = frozenset({"rss", "feed", "rdf"})


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """Entries of a feed in document order; an unreadable feed gives an empty list."""
    root = parse_xml(body)
    if root is None:
        return []
    kind = local_name(root)
    if kind == "feed":
        return _atom_entries(root, base_url)
    if kind == "rss":
        channels = children(root, "channel")
        items = [item for channel in channels for item in children(channel, "item")]
    elif kind == "rdf":  # RSS 1.0: items are siblings of the channel
        items = children(root, "item")
    else:
        return []
    entries = []
    for item in items:
        link = child_text(item, "link")
        if not link:
            for guid in children(item, "guid"):
                if guid.get("isPermaLink", "true").lower() == "true" and guid.text:
                    link = guid.text.strip()
        if not link:
            continue
        published = parse_datetime(child_text(item, "pubdate", "date", "updated", "published"))
        entries.append(Entry(urljoin(base_url, link), published))
    return entries


def _atom_entries(root, base_url: str) -> list[Entry]:
    entries = []
    for entry in children(root, "entry"):
        href = None
        for link in children(entry, "link"):
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                href = link.get("href")
                break
        if not href:
            continue
        published = parse_datetime(child_text(entry, "published", "updated"))
        entries.append(Entry(urljoin(base_url, href.strip()), published))
    return entries
