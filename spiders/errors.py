"""Failed fetch -> (reason code, human detail), the `error`/`error_detail` of a raw row."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error
from twisted.python.failure import Failure

from spiders.netguard import PrivateNetworkRefused, refusal_for

REASON_CODES = (
    "http_error", "timeout", "too_large", "private_network", "dns_error", "connection_refused",
    "connection_error", "redirect_loop", "robots_disallowed", "unsupported_content", "ignored",
    "fetch_failed",
)


def classify_failure(failure: Failure, url: str) -> tuple[str, str, int | None]:
    """Reason code, detail and HTTP status (if a response arrived) of a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        response = exc.response
        retries = response.request.meta.get("retry_times", 0) if response.request else 0
        tail = f" after {retries} retries" if retries else ""
        return "http_error", f"HTTP {response.status}{tail}", response.status
    if isinstance(exc, PrivateNetworkRefused):
        return "private_network", str(exc), None
    if isinstance(exc, CannotResolveHostError | tx_error.DNSLookupError):
        refusal = refusal_for(url)
        if refusal:
            return "private_network", f"refused: {refusal}", None
        return "dns_error", f"DNS lookup failed: {exc}", None
    if isinstance(exc, DownloadCancelledError):
        return "too_large", str(exc) or "download cancelled: body over DOWNLOAD_MAXSIZE", None
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "max redirections" in message:
            return "redirect_loop", "redirect chain too long or looping", None
        if "DOWNLOAD_MAXSIZE" in message:
            return "too_large", message, None
        if "robots.txt" in message.lower():
            return "robots_disallowed", "forbidden by robots.txt", None
        return "ignored", message or type(exc).__name__, None
    if isinstance(exc, DownloadTimeoutError | tx_error.TimeoutError | tx_error.TCPTimedOutError):
        return "timeout", str(exc) or "no complete response in time", None
    if isinstance(exc, DownloadConnectionRefusedError | tx_error.ConnectionRefusedError):
        return "connection_refused", "connection refused", None
    if isinstance(exc, DownloadFailedError | ResponseDataLossError | tx_error.ConnectError):
        return "connection_error", f"{type(exc).__name__}: {exc}", None
    if isinstance(exc, tx_error.ConnectionLost | tx_error.ConnectionDone | OSError):
        return "connection_error", f"{type(exc).__name__}: {exc}", None
    return "fetch_failed", f"{type(exc).__name__}: {exc}", None
