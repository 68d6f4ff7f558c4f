"""robots.txt: the `Sitemap:` lines and our Crawl-delay."""

from __future__ import annotations

from urllib.parse import urljoin

from protego import Protego


def sitemaps_from_robots(text: str, base_url: str) -> list[str]:
    urls = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            urls.append(urljoin(base_url, value.strip()))
    return urls


def crawl_delay(text: str, user_agent: str) -> float | None:
    """The Crawl-delay (s) robots.txt asks of `user_agent`, or None."""
    try:
        delay = Protego.parse(text).crawl_delay(user_agent)
    except Exception:  # a broken robots.txt must not stop the crawl
        return None
    return float(delay) if delay else None
