"""Page metadata from the parsed tree: JSON-LD first, then OpenGraph/article meta, then markup.

Every source is read once from the shared lxml tree; ``htmldate`` is only a fallback for the
publication date because it is the slowest step.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from processing.dates import parse_datetime, parse_text_date

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenews",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "scholarlyarticle",
    "techarticle",
    "report",
}
NON_ARTICLE_TYPES = {
    "collectionpage",
    "profilepage",
    "aboutpage",
    "contactpage",
    "searchresultspage",
    "itemlist",
    "person",
}
_BYLINE_PREFIX = re.compile(
    r"^\s*((analysis|opinion|commentary|review|story|text|words|reporting|written|posted)\s+by|"
    r"by|von|por|par|di|door|av|przez|написал[аи]?|автор[:]?|"
    r"بقلم|كتب[ته]?|كتبه|كتبت|إعداد|اعداد|تحرير|تقرير|حرره|بواسطة|نشر بواسطة)\s*[:：\-–]?\s*",
    re.IGNORECASE,
)
# A byline part naming a job, not a person ("CNN Editor-at-large", "مراسل الجزيرة").
_ROLE = re.compile(
    r"\b(editor|correspondent|reporter|columnist|contributor|staff|writer|producer|"
    r"analyst|bureau|chief)\b|^(محرر|مراسل|مراسلة|مندوب|رئيس تحرير)",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|،|;|&|\b[Aa]nd\b|\sund\s|\sy\s|\se\s|\sو\s)\s*")
_SPACE = re.compile(r"\s+")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+")


@dataclass
class PageMetadata:
    """What the page says about itself, before the body is read."""

    title: str | None = None
    og_title: str | None = None  # as the page's <meta>/<title> gives it, for echo removal
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    lang_hint: str | None = None
    page_type: str | None = None  # og:type / JSON-LD type, lower-case
    article_signals: int = 0
    published_source: str | None = None  # declared (JSON-LD/meta), markup, htmldate
    teaser_blocks: int = 0  # <article>/<time> elements: many of them mark a listing page
    non_article_signals: int = 0
    jsonld_body: str | None = None
    standfirst_in_page: bool = False  # the subtitle is printed in its own element


def _text(node: Any) -> str:
    return _SPACE.sub(" ", node.text_content()).strip() if node is not None else ""


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if value is None:
            return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or value.get("@id")
    if not isinstance(value, str):
        return None
    value = _SPACE.sub(" ", value).strip()
    return value or None


def read_meta(tree: Any) -> dict[str, list[str]]:
    """All <meta> values keyed by lower-case property/name/itemprop (several values kept)."""
    meta: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        content = node.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), []).append(content.strip())
    return meta


def read_jsonld(tree: Any) -> list[dict]:
    """Every JSON-LD object on the page, @graph and lists flattened."""
    objects: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(re.sub(r"[\x00-\x1f]", " ", raw), strict=False)
            except ValueError:
                continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                objects.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
    return objects


def _types(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.lower() for v in values if isinstance(v, str)}


def _find_article_object(objects: list[dict]) -> dict | None:
    for obj in objects:
        if _types(obj) & ARTICLE_TYPES:
            return obj
    for obj in objects:  # WebPage with a mainEntity article
        main = obj.get("mainEntity") or obj.get("mainEntityOfPage")
        if isinstance(main, dict) and _types(main) & ARTICLE_TYPES:
            return main
    return None


def clean_author(name: str) -> list[str]:
    """Split a byline into names, without "By"/"بقلم" and without trailing roles."""
    name = _SPACE.sub(" ", name).strip()
    if not name or name.startswith(("http://", "https://", "/")):
        return []
    name = _BYLINE_PREFIX.sub("", name)
    name = re.sub(r"^\s*(by|بقلم)\s*[:：]?\s*", "", name, flags=re.IGNORECASE)
    out = []
    for part in _AUTHOR_SPLIT.split(name):
        part = part.strip(" -–—|:：,.،")
        part = re.sub(r"\s*\|.*$", "", part)
        if 1 < len(part) <= 60 and not re.search(r"\d{3,}|@|www\.", part):
            out.append(part)
    people = [part for part in out if not _ROLE.search(part)]
    return people or out


def _authors_from_jsonld(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in values:
        if isinstance(item, dict):
            item = item.get("name")
            if isinstance(item, list):
                item = " , ".join(str(x) for x in item)
        if isinstance(item, str):
            names.extend(clean_author(item))
    return names


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key][0]
    return None


def _strip_site_suffix(title: str, site_name: str | None) -> str:
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if site_name:
        key = site_name.casefold()
        if parts[-1].casefold() in key or key in parts[-1].casefold():
            return _TITLE_SEPARATORS.split(title, maxsplit=len(parts) - 2)[0].strip()
        if parts[0].casefold() in key or key in parts[0].casefold():
            return title[len(parts[0]) :].lstrip(" |-–—:·•»").strip()
    return title


def _title(tree: Any, meta: dict, article: dict | None, site_name: str | None) -> str | None:
    h1s = [t for t in (_text(h) for h in tree.iter("h1")) if t]
    if article:
        headline = _clean(article.get("headline")) or _clean(article.get("name"))
        if headline:
            return headline
    page_title = _text(next(iter(tree.iter("title")), None))
    og_title = _first(meta, "og:title", "twitter:title", "title")
    for h1 in h1s:
        for candidate in (og_title, page_title):
            if candidate and len(h1) >= 8 and h1.casefold() in candidate.casefold():
                return h1
    if og_title:
        return _strip_site_suffix(og_title, site_name)
    if h1s:
        return h1s[0]
    return _strip_site_suffix(page_title, site_name) if page_title else None


_ITEMTYPE_XPATH = "//*[contains(@itemtype, 'Article') or contains(@itemtype, 'Posting')]"
_BYLINE_XPATH = etree.XPath(
    "//*[@itemprop='author'] | //a[@rel='author'] | "
    "//*[contains(@class, 'author') or contains(@class, 'byline')]"
)
_BYLINE_CLASSES = {"byline", "author", "author-name", "article-author", "post-author", "writer"}


def _authors(tree: Any, meta: dict, article: dict | None) -> list[str]:
    if article and article.get("author"):
        names = _authors_from_jsonld(article["author"])
        if names:
            return _unique(names)
    for key in ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author"):
        names = [n for value in meta.get(key, []) for n in clean_author(value)]
        if names:
            return _unique(names)
    nodes = [
        n
        for n in _BYLINE_XPATH(tree)
        if n.get("itemprop") == "author"
        or n.get("rel") == "author"
        or _BYLINE_CLASSES & set((n.get("class") or "").lower().split())
    ]
    for index, node in enumerate(nodes[:5]):
        names = _byline_names(node)
        if not names or sum(len(n) for n in names) >= 120:
            continue
        # Co-authors are usually sibling links in the same byline element.
        parent = node.getparent()
        for other in nodes[index + 1 : index + 6]:
            if other.getparent() is parent and parent is not None:
                names.extend(_byline_names(other))
        return _unique(names)
    return []


def _byline_names(node: Any) -> list[str]:
    name_node = node.find(".//*[@itemprop='name']")
    text = (name_node.get("content") or _text(name_node)) if name_node is not None else ""
    return clean_author(text or _text(node))


_STANDFIRST_CLASS = re.compile(
    r"(^|[\s_-])(standfirst|sub-?title|sub-?headline|strapline|dek)($|[\s_-])", re.IGNORECASE
)


def _headline_neighbourhood(tree: Any, limit: int = 40) -> list[Any]:
    """Elements that follow the first <h1> inside its container (two levels up), up to the
    first list or teaser: where the standfirst and the dateline live. Searching only here is
    fast, and listing pages' teaser dates are never taken for the page's own."""
    h1 = next(tree.iter("h1"), None)
    if h1 is None:
        return []
    container = h1
    for _ in range(2):
        if container.getparent() is None or container.getparent().tag == "body":
            break
        container = container.getparent()
    out: list[Any] = []
    seen_h1 = False
    for node in container.iter(etree.Element):
        if node is h1:
            seen_h1 = True
            continue
        if not seen_h1:
            continue
        standfirst_like = _STANDFIRST_CLASS.search(node.get("class") or "")
        if (node.tag in _LIST_TAGS and not standfirst_like) or len(out) >= limit:
            break
        out.append(node)
    return out


def _standfirst(neighbourhood: list[Any]) -> str | None:
    """The standfirst when the page prints it in an element of its own, next to the <h1>."""
    for node in neighbourhood:
        cls = node.get("class")
        if cls and _STANDFIRST_CLASS.search(cls):
            text = _text(node)
            if 20 <= len(text) <= 400 and len(node) <= 3:
                return text
    return None


def _bold_lead(neighbourhood: list[Any]) -> str | None:
    """A first paragraph set wholly in bold: the standfirst of themes without a field for it."""
    for node in neighbourhood:
        if node.tag != "p":
            continue
        text = _text(node)
        if not text:
            continue
        if (
            len(node) == 1
            and node[0].tag in {"strong", "b"}
            and not (node.text or "").strip()
            and not (node[0].tail or "").strip()
            and 30 <= len(text) <= 300
        ):
            return text
        return None  # only the first non-empty paragraph can be the standfirst
    return None


_LIST_TAGS = {"ul", "ol", "li", "article", "h2", "h3"}
_DATELINE_CLASS = re.compile(r"date|time|stamp|published", re.IGNORECASE)


def _dateline(neighbourhood: list[Any]) -> datetime | None:
    """A date written in words in a dateline element next to the headline."""
    for node in neighbourhood:
        cls = node.get("class")
        if cls and _DATELINE_CLASS.search(cls):
            text = _text(node)
            if len(text) <= 120:
                parsed = parse_text_date(text)
                if parsed:
                    return parsed
    return None


def _date_from_markup(tree: Any, which: str) -> datetime | None:
    prop = "datePublished" if which == "published" else "dateModified"
    for node in tree.xpath(f"//*[@itemprop='{prop}']"):
        parsed = parse_datetime(node.get("content") or node.get("datetime") or _text(node))
        if parsed:
            return parsed
    if which == "published":
        for node in _story_times(tree):
            parsed = parse_datetime(node.get("datetime") or "") or parse_text_date(_text(node))
            if parsed:
                return parsed
    return None


def _story_times(tree: Any) -> list[Any]:
    """<time> elements that date the story: near its single <h1>, or the page's only one.

    Listing pages carry a <time> per teaser; those must not date (or qualify) the page.
    """
    times = list(tree.iter("time"))
    h1s = tree.findall(".//h1")
    if len(h1s) == 1 and times:
        container = h1s[0]
        for _ in range(2):
            if container.getparent() is None or container.getparent().tag == "body":
                break
            container = container.getparent()
        near = [t for t in times if any(a is container for a in t.iterancestors())]
        if near:
            return near
    return times if len(times) == 1 else []


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,،]", value) if v.strip()]
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) and value.strip() else None


def extract_metadata(tree: Any, url: str, *, use_htmldate: bool = True) -> PageMetadata:
    """Read title, authors, dates, canonical URL, site name, section, tags and image."""
    meta = read_meta(tree)
    objects = read_jsonld(tree)
    article = _find_article_object(objects)
    md = PageMetadata()

    site = next((o for o in objects if _types(o) & {"website", "newsmediaorganization"}), None)
    publisher = article.get("publisher") if article else None
    md.site_name = (
        _first(meta, "og:site_name", "application-name")
        or (_clean(publisher) if isinstance(publisher, dict) else None)
        or (_clean(site.get("name")) if site else None)
    )
    md.title = _title(tree, meta, article, md.site_name)
    md.og_title = _first(meta, "og:title", "twitter:title")
    desc = _first(meta, "og:description", "description", "twitter:description")
    neighbourhood = _headline_neighbourhood(tree)
    standfirst = _standfirst(neighbourhood)
    md.subtitle = standfirst or (
        (_clean(article.get("alternativeHeadline")) if article else None)
        or (_clean(article.get("description")) if article else None)
        or desc
    )
    if md.subtitle is None:
        standfirst = md.subtitle = _bold_lead(neighbourhood)
    md.standfirst_in_page = standfirst is not None
    md.authors = _authors(tree, meta, article)

    published = parse_datetime(_clean(article.get("datePublished"))) if article else None
    published = published or parse_datetime(
        _first(meta, "article:published_time", "og:published_time", "datepublished",
               "pubdate", "publishdate", "dc.date.issued", "dc.date", "date", "sailthru.date",
               "parsely-pub-date", "publish-date", "article.published")
    )
    md.published_source = "declared" if published else None
    if published is None:
        published = _date_from_markup(tree, "published") or _dateline(neighbourhood)
        md.published_source = "markup" if published else None
    md.published = published
    modified = parse_datetime(_clean(article.get("dateModified"))) if article else None
    md.modified = modified or parse_datetime(
        _first(meta, "article:modified_time", "og:updated_time", "datemodified", "last-modified")
    ) or _date_from_markup(tree, "modified")
    if md.published is None and use_htmldate:
        md.published = _htmldate(tree, url)
        md.published_source = "htmldate" if md.published else None

    canonical = next((link.get("href") for link in tree.xpath("//link[@rel='canonical']")), None)
    canonical = canonical or _first(meta, "og:url")
    md.canonical_url = urljoin(url, canonical.strip()) if canonical and canonical.strip() else None
    md.section = (_clean(article.get("articleSection")) if article else None) or _first(
        meta, "article:section", "section", "parsely-section"
    )
    md.tags = _unique(
        meta.get("article:tag", [])
        + (_keywords(article.get("keywords")) if article else [])
        or _keywords(_first(meta, "news_keywords", "keywords") or "")
    )[:30]
    image = (_image(article.get("image")) if article else None) or _first(
        meta, "og:image", "og:image:url", "twitter:image"
    )
    md.image = urljoin(url, image) if image else None
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    md.lang_hint = (root.get("lang") or root.get("xml:lang") or _first(meta, "og:locale",
                    "content-language", "language") or None)
    if md.lang_hint:
        md.lang_hint = md.lang_hint.replace("_", "-").split("-")[0].lower() or None

    og_type = (_first(meta, "og:type") or "").lower()
    all_types = set().union(*(_types(o) for o in objects)) if objects else set()
    md.page_type = og_type or (next(iter(all_types), None))
    # Declarations a site makes only on story pages; a date or an <article> element alone is
    # not one (listing pages carry both for every teaser).
    md.article_signals = sum(
        (
            article is not None,
            og_type.startswith("article") or og_type in {"news", "blog"},
            bool(meta.get("article:published_time")),
            bool(tree.xpath(_ITEMTYPE_XPATH)),
        )
    )
    md.teaser_blocks = max(len(tree.findall(".//article")), len(tree.findall(".//time")))
    md.non_article_signals = sum(
        (
            bool(all_types & NON_ARTICLE_TYPES) and article is None,
            og_type in {"profile", "book"} and article is None,
        )
    )
    if article:
        body = article.get("articleBody") or article.get("text")
        md.jsonld_body = body if isinstance(body, str) else None
    return md


def _htmldate(tree: Any, url: str) -> datetime | None:
    try:
        from htmldate import find_date

        found = find_date(tree, url=url, outputformat="%Y-%m-%d", extensive_search=False)
    except Exception:  # htmldate raises assorted errors on odd markup; a date is optional
        return None
    if not found:
        return None
    return datetime.strptime(found, "%Y-%m-%d").replace(tzinfo=UTC)


_PARSER = lxml_html.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False,
    encoding="utf-8",
)
# Every element is an HtmlElement (what trafilatura needs), chosen in C: lxml.html's default
# per-tag class lookup is a Python callback run on every element access.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(element=lxml_html.HtmlElement))
# Control characters XML text may not hold (deleted from the UTF-8 bytes: far faster than a
# regex over the str); and a leading doctype, which can make libxml2 drop content.
_BAD_XML_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32)])
_DOCTYPE = re.compile(rb"^\s*<!doctype[^>]*>", re.IGNORECASE)


def parse_tree(text: str) -> Any:
    """Parse once (comments dropped); every later stage reads this tree."""
    data = text.encode("utf-8", "replace").translate(None, _BAD_XML_BYTES)
    return lxml_html.document_fromstring(_DOCTYPE.sub(b"", data, count=1), parser=_PARSER)
