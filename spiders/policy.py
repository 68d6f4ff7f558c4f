"""Crawl policy for one source: which discovered URLs are worth a request, and how far to go.

Kept apart from the discovery parsers so that "what a sitemap says" and "what we do about
it" change independently. Every refusal has a short reason that ends up in the crawl stats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

from processing.sources import Source
from processing.urls import host_of, is_listing_url, non_article_reason, url_matches_domains

PAGINATION = re.compile(
    r"(?:[?&](?:page|p|pg|paged|start|offset)=(?P<q>\d+))|(?:/(?:page|p|seite|pagina)/(?P<p>\d+)/?$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Limits:
    """Trap bounds shared by all sources (from settings)."""

    max_url_length: int = 512
    max_query_params: int = 4


class CrawlPolicy:
    """Scope and limits of one source's crawl on one run date."""

    def __init__(self, source: Source, run_started: datetime, limits: Limits | None = None) -> None:
        self.source = source
        self.limits = limits or Limits()
        self.domains = [d.lower().lstrip(".") for d in source.allowed_domains] or sorted(
            {host_of(url) for url in source.start_urls}
        )
        self.allow = [re.compile(p) for p in source.allow]
        self.deny = [re.compile(p) for p in source.deny]
        self.sections = [re.compile(p) for p in source.sections]
        self.cutoff = (
            run_started - timedelta(days=source.max_age_days)
            if source.max_age_days is not None
            else None
        )

    def in_scope(self, url: str) -> str | None:
        """None when `url` may be requested at all, else the reason (`offsite`, `trap_url`...)."""
        if not url_matches_domains(url, self.domains):
            return "offsite"
        if len(url) > self.limits.max_url_length:
            return "trap_url"
        params = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        if len(params) > self.limits.max_query_params:
            return "trap_url"
        if any(p.search(url) for p in self.deny):
            return "denied"
        return None

    def article_refusal(self, url: str) -> str | None:
        """None when `url` may be an article page worth fetching, else why not."""
        reason = self.in_scope(url) or non_article_reason(url)
        if reason:
            return reason
        if self.allow and not any(p.search(url) for p in self.allow):
            return "not_allowed"
        return None

    def is_section(self, url: str) -> bool:
        """A listing page (followed for links, not stored): configured or recognised."""
        return any(p.search(url) for p in self.sections) or is_listing_url(url)

    def too_old(self, published: datetime | None) -> bool:
        """Feed/sitemap entries dated before the run minus `max_age_days` are skipped."""
        return self.cutoff is not None and published is not None and published < self.cutoff


def pagination_index(url: str) -> int | None:
    """The page number of a listing URL (`?page=3`, `/page/3`), or None if not paginated."""
    match = PAGINATION.search(url)
    if not match:
        return None
    return int(match.group("q") or match.group("p"))
