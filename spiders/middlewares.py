"""Downloader middlewares for faults and caching: retry with backoff, Retry-After, ETag.

Scrapy's stock retry re-queues at once; a site that is failing or rate-limiting us needs a
pause instead. `BackoffRetryMiddleware` marks the retried request with the earliest time it
may go (exponential backoff with jitter, or the server's `Retry-After`), and
`BackoffDelayMiddleware` holds it until then without blocking other requests.
"""

from __future__ import annotations

import asyncio
import random
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import CannotResolveHostError

from spiders.netguard import refusal_for

if TYPE_CHECKING:  # annotations only: the crawler module must not load outside a crawl
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

NOT_BEFORE = "akhbar_not_before"


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds asked by a `Retry-After` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware whose retries wait: Retry-After when given, else exponential backoff."""

    def __init__(self, settings: BaseSettings, crawler: Crawler | None = None) -> None:
        super().__init__(settings)
        self.crawler = crawler
        self.base = settings.getfloat("AKHBAR_RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("AKHBAR_RETRY_BACKOFF_MAX")
        self.retry_after_max = settings.getfloat("AKHBAR_RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        instance = cls(crawler.settings, crawler)
        instance.crawler = crawler
        return instance

    def _stats(self):
        return self.crawler.stats if self.crawler else None

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is not None and wait > self.retry_after_max:
            return response  # the server asks for longer than we stay: give up on this URL
        retried = self._retry(request, f"HTTP {response.status}")
        if retried is None:
            return response
        self._schedule(retried, wait)
        return retried

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if isinstance(exception, CannotResolveHostError) and refusal_for(request.url):
            return None  # refused by the network guard: retrying cannot help
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        retried = self._retry(request, exception)
        if retried is not None:
            self._schedule(retried, None)
        return retried

    def _schedule(self, request: Request, wait: float | None) -> None:
        attempt = request.meta.get("retry_times", 1)
        if wait is None:
            wait = min(self.cap, self.base * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
        request.meta[NOT_BEFORE] = time.monotonic() + wait
        stats = self._stats()
        if stats is not None:
            stats.inc_value("akhbar/retry_wait_seconds", round(wait, 3))


class BackoffDelayMiddleware:
    """Holds a request until its `akhbar_not_before` time (set by the retry middleware)."""

    async def process_request(self, request: Request) -> None:
        not_before = request.meta.pop(NOT_BEFORE, None)
        if not_before is not None:
            delay = not_before - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        return None


class ConditionalGetMiddleware:
    """Adds If-None-Match / If-Modified-Since from the previous fetch when re-fetching."""

    def process_request(self, request: Request) -> None:
        previous = request.meta.get("akhbar_previous")
        if previous:
            etag, last_modified = previous
            if etag and b"If-None-Match" not in request.headers:
                request.headers[b"If-None-Match"] = etag
            if last_modified and b"If-Modified-Since" not in request.headers:
                request.headers[b"If-Modified-Since"] = last_modified
        return None
