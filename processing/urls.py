"""URL hygiene: one spelling per page, and cheap rejection of URLs that are never articles.

Canonicalisation lower-cases scheme and host, drops default ports, fragments and tracking
parameters (utm_*, fbclid, gclid...), and keeps the remaining query order: the same article
reached by two spellings must become one key for the seen-set, the spider's dupe filter and
the article id. It lives here (not in spiders/) because the crawler and the process step must
agree on it: a URL the spider treats as one page must get one article id.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid",
     "igshid", "_ga", "_gl", "ref_src", "cmpid", "ocid", "spm"}
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}

MEDIA_EXTENSIONS = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff", ".avif",
    ".heic", ".mp3", ".mp4", ".m4a", ".m4v", ".mov", ".avi", ".wmv", ".webm", ".ogg", ".ogv",
    ".wav", ".flac", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".gz",
    ".tgz", ".rar", ".7z", ".exe", ".dmg", ".apk", ".css", ".js", ".json", ".woff", ".woff2",
    ".ttf", ".eot", ".rss", ".atom",
})
# Path segments and query keys of listing/utility pages that are never articles.
NON_ARTICLE_SEGMENTS = re.compile(
    r"/(tag|tags|topic|topics|author|authors|writer|writers|search|login|logout|register|signin|"
    r"signup|subscribe|account|profile|user|users|wp-admin|wp-login\.php|feed|amp-stories|"
    r"print|share|cdn-cgi|video|videos|gallery|galleries|photos|podcast|podcasts|"
    r"وسوم|كاتب|بحث)(/|$)",
    re.IGNORECASE,
)
# Section/category index pages: followed for their links like a start section, never stored.
LISTING_PATH = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:category|categories|section|sections|rubrique|archive|"
    r"archives|قسم|اقسام|أقسام)(?:/[^/]+)*/?$|^/[a-z]{2}(?:-[a-z]{2})?/?$",
    re.IGNORECASE,
)
NON_ARTICLE_QUERY_KEYS = frozenset({"s", "q", "query", "search", "replytocom", "share", "print"})


@lru_cache(maxsize=65536)  # menus and related links repeat on every page of a site
def canonicalize(url: str) -> str:
    """The one spelling of `url` used as its identity (request URL, seen-set key)."""
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = parts.path or "/"
    if "/." in path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        path = path + "/" if trailing and not path.endswith("/") else path
        path = "/" + path.lstrip("/")
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def host_of(url: str) -> str:
    """Lower-case host name of `url` ('' when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def url_matches_domains(url: str, domains: list[str]) -> bool:
    """True when the URL's host is one of `domains` or a subdomain of one."""
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


def non_article_reason(url: str) -> str | None:
    """Why `url` cannot be an article page (`media_file`, `non_article_path`), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "unsupported_scheme"
    if parts.path in ("", "/"):
        return "non_article_path"  # a home page is a listing, never an article
    extension = posixpath.splitext(parts.path.lower())[1]
    if extension in MEDIA_EXTENSIONS:
        return "media_file"
    if NON_ARTICLE_SEGMENTS.search(unquote(parts.path)):
        return "non_article_path"
    keys = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if keys & NON_ARTICLE_QUERY_KEYS:
        return "non_article_path"
    return None


def is_listing_url(url: str) -> bool:
    """True for section/category index pages and language home pages (`/en/`)."""
    return bool(LISTING_PATH.match(unquote(urlsplit(url).path)))


def trusted_canonical(
    declared: str | None, *, is_section: Callable[[str], bool] = is_listing_url
) -> str | None:
    """The page's declared rel=canonical, canonicalised, or None when it cannot be trusted.

    Some CMSs point every page's canonical at the home page or a section index; trusting that
    would merge every article of the site into one, so such targets are ignored.
    """
    if not declared or not declared.strip():
        return None
    canonical = canonicalize(declared)
    if non_article_reason(canonical) or is_section(canonical):
        return None
    return canonical
