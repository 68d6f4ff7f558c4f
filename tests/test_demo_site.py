"""The bundled demo site: served correctly, and its manifest.json gold matches what it serves.

Other tests (extraction, pipeline) trust manifest.json, so these checks hold it to the pages.
"""

from __future__ import annotations

import importlib.util
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.robotparser import RobotFileParser

import pytest

from demo.server import SITE_DIR, load_manifest, serve_demo_site

MANIFEST = load_manifest()
ARTICLES = MANIFEST["articles"]
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def _load_generator():
    """demo/site/_generate.py (a script in the served folder, not a package), loaded by path."""
    spec = importlib.util.spec_from_file_location("_demo_generate", SITE_DIR / "_generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _load_generator()
# What a naive scrape of a page shows; the generator checks its gold with the same function.
page_text = GENERATOR.visible_text


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def served_text(site, path: str) -> str:
    status, headers, body = fetch(site.url(path))
    assert status == 200, path
    charset = "windows-1256" if "1256" in body[:300].decode("ascii", "replace") else "utf-8"
    if "charset=" in headers["Content-Type"]:
        charset = headers["Content-Type"].split("charset=")[1]
    return body.decode(charset)


def article_urls(site, source: str) -> set[str]:
    return {site.url(a["path"]) for a in ARTICLES if a["source"] == source}


def test_manifest_covers_both_sources_and_languages():
    by_source = {(a["source"], a["language"]) for a in ARTICLES}
    assert by_source == {("alwaha", "ar"), ("harbor", "en")}
    for source in ("alwaha", "harbor"):
        assert sum(a["source"] == source for a in ARTICLES) >= 6
    for article in ARTICLES:
        assert "2026-11-20" <= article["published"] <= "2026-11-28"
        assert article["published_at"].startswith(article["published"])
        assert 4 <= len(article["body_paragraphs"]) <= 8
        words = sum(len(p.split()) for p in article["body_paragraphs"])
        assert 180 <= words <= 450, (article["path"], words)
        assert article["authors"] and not any(
            n.startswith(("By ", "بقلم")) for n in article["authors"]
        )


def test_rss_feed_lists_alwaha_articles_with_live_base_url(demo_site):
    status, headers, body = fetch(demo_site.url("/ar/feed/"))
    assert status == 200
    assert headers["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(body).find("channel")
    links = {item.findtext("link") for item in channel.findall("item")}
    assert links == article_urls(demo_site, "alwaha")


def test_atom_feed_lists_harbor_articles(demo_site):
    status, headers, body = fetch(demo_site.url("/en/feed.atom"))
    assert status == 200
    assert headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(body)
    links = {e.find("atom:link", NS).get("href") for e in root.findall("atom:entry", NS)}
    assert links == article_urls(demo_site, "harbor")


def test_sitemaps_list_articles_and_news_dates(demo_site):
    for source, path in (("alwaha", "/ar/sitemap.xml"), ("harbor", "/en/sitemap.xml")):
        status, headers, body = fetch(demo_site.url(path))
        assert status == 200 and headers["Content-Type"].startswith("application/xml")
        urls = ET.fromstring(body).findall("sm:url", NS)
        assert {u.findtext("sm:loc", namespaces=NS) for u in urls} == article_urls(
            demo_site, source
        )
    news_dates = {
        u.findtext("sm:loc", namespaces=NS): u.findtext("news:news/news:publication_date", None, NS)
        for u in ET.fromstring(fetch(demo_site.url("/ar/sitemap.xml"))[2]).findall("sm:url", NS)
    }
    for article in ARTICLES:
        if article["source"] == "alwaha":
            assert news_dates[demo_site.url(article["path"])] == article["published_at"]


def test_robots_disallows_private_and_names_both_sitemaps(demo_site):
    status, headers, body = fetch(demo_site.url("/robots.txt"))
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    robots = RobotFileParser()
    robots.parse(body.decode().splitlines())
    assert robots.site_maps() == [demo_site.url(p) for p in MANIFEST["sitemaps"]]
    for path in MANIFEST["robots_disallowed"]:
        assert not robots.can_fetch("akhbar-bot", demo_site.url(path))
        # The page exists, so only obeying robots.txt keeps a crawler away from it.
        assert fetch(demo_site.url(path))[0] == 200
    assert robots.can_fetch("akhbar-bot", demo_site.url(ARTICLES[0]["path"]))


def test_section_pages_link_articles_and_the_traps(demo_site):
    world = served_text(demo_site, "/en/world/")
    politics = served_text(demo_site, "/ar/category/politics/")
    for article in ARTICLES:
        if article["source"] == "harbor":
            assert f'href="{article["path"]}"' in world
        elif article["section"] == "politics":
            assert f'href="{demo_site.url(article["path"])}"' in politics
    for path in ("/en/tag/energy/", "/en/author/jane-doe/", "/private/secret.html",
                 *MANIFEST["too_short"]):
        assert f'href="{path}"' in world
    assert f'href="{demo_site.url("/private/secret.html")}"' in politics
    assert f'href="{demo_site.url("/ar/about.html")}"' in politics


def test_every_page_in_the_manifest_is_served(demo_site):
    paths = [a["path"] for a in ARTICLES] + MANIFEST["too_short"]
    paths += MANIFEST["non_article"] + MANIFEST["listing_pages"]
    for path in paths:
        status, headers, body = fetch(demo_site.url(path))
        assert status == 200, path
        assert headers["Content-Type"].startswith("text/html"), path
        assert b"{{BASE}}" not in body, path


@pytest.mark.parametrize("article", ARTICLES, ids=[a["path"] for a in ARTICLES])
def test_gold_text_is_on_the_served_page(demo_site, article):
    html = served_text(demo_site, article["path"])
    text = page_text(html)
    lang = 'lang="ar" dir="rtl"' if article["language"] == "ar" else 'lang="en"'
    assert lang in html
    assert f'rel="canonical" href="{demo_site.url(article["path"])}"' in html
    assert f'datetime="{article["published_at"]}"' in html
    for piece in [article["title"], article["subtitle"], *article["body_paragraphs"]]:
        assert piece in text
    gold = " ".join([article["title"], article["subtitle"], *article["body_paragraphs"]])
    for phrase in article["boilerplate"]:
        assert phrase in text, phrase
        assert phrase not in gold, phrase
    for name in article["authors"]:
        assert name in text


def test_arabic_boilerplate_of_the_seed_is_on_arabic_pages():
    seed_chrome = ["مقالات ذات صلة", "اترك تعليقاً", "زر الذهاب إلى الأعلى",
                   "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *"]
    for article in ARTICLES:
        if article["language"] == "ar":
            assert set(seed_chrome) <= set(article["boilerplate"])


def test_windows_1256_pages_are_served_in_windows_1256(demo_site):
    variants = [a for a in ARTICLES if a["charset"] == "windows-1256"]
    assert {(a["charset_in_header"], a["charset_in_meta"]) for a in variants} == {
        (True, False), (False, True)}
    for article in variants:
        status, headers, body = fetch(demo_site.url(article["path"]))
        assert status == 200
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        html = body.decode("windows-1256")  # strict: every byte is valid windows-1256
        assert article["body_paragraphs"][0] in page_text(html)
        if article["charset_in_header"]:
            assert headers["Content-Type"] == "text/html; charset=windows-1256"
            assert "<meta charset" not in html
        else:
            assert headers["Content-Type"] == "text/html"
            assert '<meta charset="windows-1256">' in html


def test_internal_files_and_variant_names_are_not_served(demo_site):
    hidden = ["/manifest.json", "/_generate.py", "/_content.py",
              "/ar/news/2026/11/oil-prices.cp1256.html", "/../server.py", "/nope.html"]
    for path in hidden:
        assert fetch(demo_site.url(path))[0] == 404, path


def test_head_and_directory_redirect(demo_site):
    status, headers, body = fetch(demo_site.url("/en/world/"), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    request = urllib.request.Request(demo_site.url("/ar/feed"))
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.url == demo_site.url("/ar/feed/")
        assert response.headers["Content-Type"].startswith("application/rss+xml")


def test_server_stops_on_exit():
    with serve_demo_site(port=0) as site:
        assert fetch(site.url("/robots.txt"))[0] == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(site.url("/robots.txt"), timeout=2)


def test_committed_site_matches_its_generator(tmp_path: Path):
    """Pages and manifest are generated from demo/site/_content.py; they must not drift."""
    GENERATOR.build(out=tmp_path)
    generated = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    assert generated
    for rel in generated:
        assert (SITE_DIR / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel
