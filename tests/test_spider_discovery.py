"""Discovery parsers and URL policy as pure functions (no crawl, milliseconds)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from processing.sources import Source
from processing.urls import canonicalize, non_article_reason
from spiders.discovery.feeds import parse_feed
from spiders.discovery.links import page_links
from spiders.discovery.robots import crawl_delay, sitemaps_from_robots
from spiders.discovery.sitemaps import TooLarge, gunzip_capped, parse_sitemap
from spiders.discovery.sniff import sniff
from spiders.middlewares import retry_after_seconds
from spiders.policy import CrawlPolicy, pagination_index
from tests.faultsite import atom, rss1, rss2, sitemap_index, urlset

BASE = "https://news.example"
WHEN = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def test_rss2_links_and_dates() -> None:
    body = rss2([(f"{BASE}/a", WHEN), ("/relative", None)])
    entries = parse_feed(body, BASE + "/feed")
    assert [e.url for e in entries] == [f"{BASE}/a", f"{BASE}/relative"]
    assert entries[0].published == WHEN and entries[1].published is None


def test_rss2_guid_permalink_when_link_missing() -> None:
    body = (b"<rss><channel><item><guid isPermaLink='true'>https://x.org/g</guid></item>"
            b"<item><guid isPermaLink='false'>tag:1</guid></item></channel></rss>")
    assert [e.url for e in parse_feed(body, BASE)] == ["https://x.org/g"]


def test_atom_and_rss1() -> None:
    assert parse_feed(atom([(f"{BASE}/b", WHEN)]), BASE)[0].published == WHEN
    assert [e.url for e in parse_feed(rss1([f"{BASE}/c"]), BASE)] == [f"{BASE}/c"]


def test_feed_parser_refuses_entities() -> None:
    evil = (b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
            b"<rss><channel><item><link>&x;</link></item></channel></rss>")
    assert all("root:" not in e.url for e in parse_feed(evil, BASE))


def test_sitemaps_news_dates_index_and_gzip() -> None:
    news = urlset([(f"{BASE}/n1", WHEN)], news=True)
    sitemap = parse_sitemap(gunzip_capped(gzip.compress(news), 10**6), BASE)
    assert sitemap.kind == "urlset" and sitemap.entries[0].published == WHEN
    plain = parse_sitemap(urlset([(f"{BASE}/p", WHEN)]), BASE)
    assert plain.entries[0].published == datetime(2026, 11, 20, tzinfo=UTC)  # lastmod date
    index = parse_sitemap(sitemap_index([(f"{BASE}/s1.xml", WHEN)]), BASE)
    assert index.kind == "index" and index.entries[0].url == f"{BASE}/s1.xml"


def test_gzip_bomb_is_capped() -> None:
    with pytest.raises(TooLarge):
        gunzip_capped(gzip.compress(b"\0" * 5_000_000), 1_000_000)


def test_sniff_by_content_not_name() -> None:
    assert sniff(rss2([]), "text/html", BASE + "/x") == "feed"
    assert sniff(urlset([]), None, BASE + "/x") == "sitemap"
    assert sniff(gzip.compress(b"x"), None, BASE + "/x") == "gzip"
    assert sniff(b"User-agent: *\n", "text/plain", BASE + "/robots.txt") == "robots"
    assert sniff(b"<!doctype html><html></html>", None, BASE) == "html"
    assert sniff(b"\x89PNG....", "image/png", BASE + "/a.png") == "unknown"


def test_robots_sitemaps_and_crawl_delay() -> None:
    text = "User-agent: *\nCrawl-delay: 2.5\nDisallow: /x\nSitemap: /s.xml\nsitemap: https://o/s\n"
    assert sitemaps_from_robots(text, BASE + "/robots.txt") == [f"{BASE}/s.xml", "https://o/s"]
    assert crawl_delay(text, "akhbar-bot") == 2.5
    assert crawl_delay("User-agent: *\nDisallow:\n", "akhbar-bot") is None


def test_page_links_canonical_and_anchors_in_broken_html() -> None:
    body = (b"<html><head><link rel='canonical' href='/story/1'></head><body><p>unclosed"
            b"<a href='/a'>a<a href='mailto:x@y'>m</a><a href='#top'>t</a><a href='b?x=1'>b")
    found = page_links(body, BASE + "/dir/page")
    assert found.canonical == f"{BASE}/story/1"
    assert found.links == [f"{BASE}/a", f"{BASE}/dir/b?x=1"]


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://News.Example:80/a?utm_source=x&id=3&fbclid=z#frag", "http://news.example/a?id=3"),
        ("https://news.example:443", "https://news.example/"),
        ("https://news.example:8443/a/./b/../c?gclid=1", "https://news.example:8443/a/c"),
        ("https://news.example/a?b=2&a=1", "https://news.example/a?b=2&a=1"),
    ],
)
def test_canonicalize(url: str, canonical: str) -> None:
    assert canonicalize(url) == canonical


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"{BASE}/tag/gaza", "non_article_path"), (f"{BASE}/author/sara", "non_article_path"),
        (f"{BASE}/search?q=x", "non_article_path"), (f"{BASE}/?s=x", "non_article_path"),
        (f"{BASE}/img/a.JPG", "media_file"), (f"{BASE}/files/report.pdf", "media_file"),
        (f"{BASE}/", "non_article_path"), (f"{BASE}/world/2026/11/20/story", None),
    ],
)
def test_non_article_urls(url: str, reason: str | None) -> None:
    assert non_article_reason(url) == reason


def test_policy_scope_allow_deny_and_age() -> None:
    source = Source(name="s", start_urls=[BASE + "/feed"], allow=[r"/world/"],
                    deny=[r"/world/live/"], max_age_days=2)
    policy = CrawlPolicy(source, WHEN)
    assert policy.article_refusal(f"{BASE}/world/1") is None
    assert policy.article_refusal("https://other.example/world/1") == "offsite"
    assert policy.article_refusal("https://www.news.example/world/1") is None  # a subdomain
    assert policy.article_refusal(f"{BASE}/sport/1") == "not_allowed"
    assert policy.article_refusal(f"{BASE}/world/live/1") == "denied"
    assert policy.article_refusal(f"{BASE}/world/{'x' * 600}") == "trap_url"
    assert policy.article_refusal(f"{BASE}/world/1?a=1&b=2&c=3&d=4&e=5") == "trap_url"
    assert policy.too_old(datetime(2026, 11, 17, tzinfo=UTC))
    assert not policy.too_old(datetime(2026, 11, 19, tzinfo=UTC)) and not policy.too_old(None)


def test_pagination_index() -> None:
    assert pagination_index(f"{BASE}/world?page=7") == 7
    assert pagination_index(f"{BASE}/world/page/3/") == 3
    assert pagination_index(f"{BASE}/world/3") is None


def test_retry_after_header() -> None:
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds(b"soon") is None
