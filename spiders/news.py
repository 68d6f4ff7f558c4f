"""The one generic news spider: start URLs -> feeds/sitemaps/sections -> article pages.

It discovers and fetches; it never parses article content (that is `processing.extract`).
Every article fetch, successful or not, becomes one `raw` row (an item); discovery documents
that fail become rows too, so an unreachable start URL is visible downstream as a reject.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request, Spider
from scrapy.http import Response
from twisted.python.failure import Failure

from processing.sources import SourcesConfig, load_sources
from processing.urls import canonicalize, trusted_canonical
from spiders.discovery import Entry
from spiders.discovery.feeds import parse_feed
from spiders.discovery.links import page_links
from spiders.discovery.robots import crawl_delay, sitemaps_from_robots
from spiders.discovery.sitemaps import TooLarge, gunzip_capped, parse_sitemap
from spiders.discovery.sniff import sniff
from spiders.errors import classify_failure
from spiders.policy import CrawlPolicy, Limits, pagination_index
from spiders.seen import SeenEntry, due_for_refetch, load_seen

logger = logging.getLogger(__name__)

META = "akhbar"  # request.meta key holding our bookkeeping (plain types: Redis-serialisable)
NON_DOCUMENT_TYPES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                      "application/octet-stream")


class NewsSpider(Spider):
    name = "news"

    def __init__(
        self,
        *,
        sources_file: str,
        source: str,
        run_date: str,
        lake: str,
        run_id: str,
        max_pages: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.config: SourcesConfig = load_sources(sources_file)
        self.source = self.config.source(source)
        self.run_date = run_date
        self.lake = lake
        self.run_id = run_id
        self.max_pages = max_pages or self.source.max_pages
        self.started_at = datetime.now(UTC)
        # "now" for age and refetch decisions is the end of the run date, so backfills agree
        self.as_of = datetime.combine(date.fromisoformat(run_date) + timedelta(days=1), time(),
                                      tzinfo=UTC)
        self.policy = CrawlPolicy(self.source, self.as_of)
        self.seen: dict[str, SeenEntry] = {}
        self.requested: set[str] = set()  # canonical article URLs requested by this process
        self.listings: set[str] = set()
        self.stored: set[str] = set()  # canonical URLs (and rel=canonical targets) stored
        self.counts: Counter[str] = Counter()
        self.distributed = False
        self.shared = None  # distributed mode: URL claims and the page budget live in Redis
        self.crawl_delays: dict[str, float] = {}  # download-slot key -> robots.txt Crawl-delay

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.policy.limits = Limits(
            max_url_length=settings.getint("AKHBAR_MAX_URL_LENGTH"),
            max_query_params=settings.getint("AKHBAR_MAX_QUERY_PARAMS"),
        )
        spider.distributed = settings.getbool("AKHBAR_DISTRIBUTED")
        if spider.distributed:
            from spiders.distributed import SharedFrontier

            spider.shared = SharedFrontier.from_settings(settings)
        spider.max_crawl_delay = settings.getfloat("AKHBAR_MAX_CRAWL_DELAY")
        spider.maxsize = settings.getint("DOWNLOAD_MAXSIZE")
        spider.max_listings = settings.getint("AKHBAR_MAX_LISTINGS")
        spider.seen_lookback_days = settings.getint("AKHBAR_SEEN_LOOKBACK_DAYS")
        spider.obey_robots = settings.getbool("ROBOTSTXT_OBEY")
        spider.robots_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        return spider

    def _load_seen(self) -> None:
        try:
            self.seen = load_seen(self.lake, self.source.name, self.run_date,
                                  self.seen_lookback_days or None)
        except Exception as exc:  # an unreadable seen-set must not stop the crawl
            logger.error("cannot read the seen-set from %s (%s); fetching as if new", self.lake,
                         exc)
            self.counts["seen_set_unreadable"] += 1

    # ------------------------------------------------------------------ start

    async def start(self):
        self._load_seen()
        by_host: dict[str, list[str]] = {}
        for url in self.source.start_urls:
            url = canonicalize(url)
            parts = urlsplit(url)
            by_host.setdefault(urlunsplit((parts.scheme, parts.netloc, "", "", "")), []).append(url)
        for root, urls in by_host.items():
            if self.obey_robots or self.source.robots_sitemaps:
                yield Request(
                    f"{root}/robots.txt",
                    callback=self.parse_robots,
                    errback=self.robots_failed,
                    dont_filter=True,
                    priority=100,
                    meta={"dont_obey_robotstxt": True, "dont_retry": True,
                          META: {"role": "robots", "start_urls": urls}},
                )
            else:
                for url in urls:
                    if request := self._listing(url, discovery="start", discovered_from=None,
                                                hops=0):
                        yield request

    def parse_robots(self, response: Response):
        meta = response.meta[META]
        text = response.body.decode("utf-8", "replace") if response.status == 200 else ""
        if self.obey_robots and text:
            delay = crawl_delay(text, self.robots_agent)
            if delay:
                self._apply_crawl_delay(response, min(delay, self.max_crawl_delay))
        for url in meta["start_urls"]:
            if request := self._listing(url, discovery="start", discovered_from=None, hops=0):
                yield request
        if self.source.robots_sitemaps and text:
            for url in sitemaps_from_robots(text, response.url):
                if request := self._listing(canonicalize(url), discovery="sitemap",
                                            discovered_from=response.url, hops=0):
                    yield request

    def robots_failed(self, failure: Failure):
        for url in failure.request.meta[META]["start_urls"]:
            if request := self._listing(url, discovery="start", discovered_from=None, hops=0):
                yield request

    def _apply_crawl_delay(self, response: Response, delay: float) -> None:
        """Crawl-delay becomes the host's download-slot delay, without jitter below it
        (PoliteAutoThrottle keeps it as a floor)."""
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(response.request)
        downloader.per_slot_settings.setdefault(key, {}).update({"delay": delay, "jitter": 0.0})
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0
        self.crawl_delays[key] = delay
        self.counts["crawl_delay_ms"] = max(self.counts["crawl_delay_ms"], int(delay * 1000))
        logger.info("%s: robots.txt Crawl-delay %.2fs applied", key, delay)

    # ------------------------------------------------------------------ requests

    def _listing(self, url: str, *, discovery: str, discovered_from: str | None,
                 hops: int) -> Request | None:
        if url in self.listings:
            return None
        refusal = self.policy.in_scope(url) if discovery != "start" else None
        if refusal:
            self.counts[f"filtered/{refusal}"] += 1
            return None
        self.listings.add(url)
        if self.shared is not None and not self.shared.claim(url):
            return None  # another worker fetches it
        return Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            dont_filter=True,  # de-duplicated above (self.listings, shared claims)
            priority=50,
            meta={META: {"role": "listing", "url": url, "discovery": discovery,
                         "from": discovered_from, "hops": hops}},
        )

    def _article(self, url: str, *, discovery: str, discovered_from: str,
                 hops: int) -> Request | None:
        url = canonicalize(url)
        if url in self.requested or url in self.stored or url in self.listings:
            return None
        refusal = self.policy.article_refusal(url)
        if refusal:
            self.counts[f"filtered/{refusal}"] += 1
            return None
        self.requested.add(url)
        previous = None
        entry = self.seen.get(url)
        if entry is not None:
            if not due_for_refetch(entry, self.as_of, self.source.refetch_after_days):
                self.counts["already_seen"] += 1
                return None
            self.counts["refetched"] += 1
            previous = [entry.etag, entry.last_modified]
        if self.shared is not None and not self.shared.claim(url):
            self.counts["claimed_by_other_worker"] += 1
            return None
        if not self._take_budget():
            self.counts["over_max_pages"] += 1
            return None
        self.counts["article_requests"] += 1
        if entry is None:
            self.counts["new_urls"] += 1
        meta: dict[str, Any] = {META: {"role": "article", "url": url, "discovery": discovery,
                                       "from": discovered_from, "hops": hops}}
        if previous and any(previous):
            meta["akhbar_previous"] = previous
            meta["handle_httpstatus_list"] = [304]
        return Request(url, callback=self.parse_article, errback=self.on_error,
                       dont_filter=True, priority=10 - hops, meta=meta)

    def _take_budget(self) -> bool:
        """One article request out of `max_pages`; shared by all workers in distributed mode."""
        if self.shared is not None:
            return self.shared.take(self.max_pages)
        return self.counts["article_requests"] < self.max_pages

    def _entries(self, entries: list[Entry], *, discovery: str, source_url: str):
        for entry in entries:
            if self.policy.too_old(entry.published):
                self.counts["too_old"] += 1
                continue
            request = self._article(entry.url, discovery=discovery, discovered_from=source_url,
                                    hops=1)
            if request is not None:
                yield request

    # ------------------------------------------------------------------ callbacks

    def parse_listing(self, response: Response):
        meta = response.meta[META]
        body = response.body
        content_type = _header(response, b"Content-Type")
        kind = sniff(body, content_type, response.url)
        if kind == "gzip":
            try:
                body = gunzip_capped(body, self.maxsize)
            except TooLarge as exc:
                yield self._error_row(meta, "too_large", str(exc), response.status, response.url)
                return
            except ValueError as exc:
                yield self._error_row(meta, "unsupported_content", str(exc), response.status,
                                      response.url)
                return
            kind = sniff(body, None, response.url)
        self.counts[f"listing/{kind}"] += 1
        if kind == "feed":
            yield from self._entries(parse_feed(body, response.url), discovery="feed",
                                     source_url=response.url)
        elif kind == "sitemap":
            sitemap = parse_sitemap(body, response.url)
            if sitemap is not None and sitemap.kind == "index":
                for entry in sitemap.entries:
                    if self.policy.too_old(entry.published):
                        self.counts["too_old"] += 1
                        continue
                    request = self._listing(canonicalize(entry.url), discovery="sitemap",
                                            discovered_from=response.url, hops=meta["hops"])
                    if request is not None:
                        yield request
            elif sitemap is not None:
                yield from self._entries(sitemap.entries, discovery="sitemap",
                                         source_url=response.url)
        elif kind == "robots":
            for url in sitemaps_from_robots(body.decode("utf-8", "replace"), response.url):
                request = self._listing(canonicalize(url), discovery="sitemap",
                                        discovered_from=response.url, hops=meta["hops"])
                if request is not None:
                    yield request
        elif kind == "html":
            yield from self._follow_links(body, response.url, hops=meta["hops"])
        else:
            yield self._error_row(meta, "unsupported_content",
                                  f"not a feed, sitemap, robots.txt or HTML page ({content_type})",
                                  response.status, response.url)

    def _follow_links(self, body: bytes, page_url: str, *, hops: int,
                      links: list[str] | None = None):
        for link in page_links(body, page_url).links if links is None else links:
            url = canonicalize(link)
            page = pagination_index(url)
            if page is not None and page > self.source.max_pagination:
                self.counts["filtered/pagination_limit"] += 1
                continue
            if page is not None or self.policy.is_section(url):
                if len(self.listings) >= self.max_listings:
                    self.counts["filtered/listing_limit"] += 1
                    continue
                request = self._listing(url, discovery="section", discovered_from=page_url,
                                        hops=hops)
            else:
                request = self._article(url, discovery="section", discovered_from=page_url,
                                        hops=hops + 1)
            if request is not None:
                yield request

    def parse_article(self, response: Response) -> list[Any]:
        """A list, not a generator: Scrapy re-inspects generator callbacks on every call."""
        return list(self._article_outputs(response))

    def _article_outputs(self, response: Response):
        meta = response.meta[META]
        if response.status == 304:
            self.counts["not_modified"] += 1
            return
        content_type = _header(response, b"Content-Type")
        if content_type and content_type.lower().startswith(NON_DOCUMENT_TYPES):
            yield self._error_row(meta, "unsupported_content", f"not a page: {content_type}",
                                  response.status, response.url)
            return
        follow = meta["hops"] < self.source.max_depth
        found = page_links(response.body, response.url, want_links=follow)
        canonical = trusted_canonical(found.canonical, is_section=self.policy.is_section)
        keys = {meta["url"], canonicalize(response.url)} | ({canonical} if canonical else set())
        if (canonical or meta["url"]) in self.stored or meta["url"] in self.stored:
            self.counts["duplicate_canonical"] += 1  # another URL of this run stored this page
            return
        self.stored.update(keys)
        yield {
            "url": meta["url"],
            "final_url": response.url,
            "status": response.status,
            "content_type": content_type,
            "body": response.body,
            "fetched_at": datetime.now(UTC),
            "etag": _header(response, b"ETag"),
            "last_modified": _header(response, b"Last-Modified"),
            "discovered_from": meta["from"],
            "discovery": meta["discovery"],
            "error": None,
            "error_detail": None,
            "run_id": self.run_id,
        }
        if follow:
            yield from self._follow_links(response.body, response.url, hops=meta["hops"],
                                          links=found.links)

    def on_error(self, failure: Failure) -> list[dict[str, Any]]:
        request = failure.request
        meta = request.meta[META]
        reason, detail, status = classify_failure(failure, request.url)
        final_url = getattr(getattr(failure.value, "response", None), "url", None)
        if request.url != meta["url"] and reason in ("private_network", "redirect_loop"):
            detail = f"{detail} (redirected from {meta['url']} to {request.url})"
        return [self._error_row(meta, reason, detail, status, final_url)]

    def _error_row(self, meta: dict[str, Any], reason: str, detail: str, status: int | None,
                   final_url: str | None) -> dict[str, Any]:
        self.counts[f"error/{reason}"] += 1
        logger.warning("%s %s: %s", reason, meta["url"], detail)
        return {
            "url": meta["url"],
            "final_url": final_url,
            "status": status,
            "content_type": None,
            "body": None,
            "fetched_at": datetime.now(UTC),
            "etag": None,
            "last_modified": None,
            "discovered_from": meta["from"],
            "discovery": meta["discovery"],
            "error": reason,
            "error_detail": detail[:2000],
            "run_id": self.run_id,
        }


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
