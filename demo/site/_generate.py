# ruff: noqa: E501  (HTML templates read best with one element per line)
"""Write the demo site's pages, feeds, sitemaps and manifest.json from _content.py.

Run from the repo root after editing the stories: `.venv/bin/python demo/site/_generate.py`.
The output is committed; the server only serves it. Generating keeps the gold in manifest.json
exactly equal to what the pages say, and the checks at the end refuse to write a site whose
boilerplate strings leak into a body or whose gold text is missing from its page.
`{{BASE}}` is replaced by the server with the live base URL.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from email.utils import format_datetime
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

SITE = Path(__file__).resolve().parent
sys.path.insert(0, str(SITE))
from _content import ALWAHA_ARTICLES, HARBOR_ARTICLES, HARBOR_STUB  # noqa: E402

B = "{{BASE}}"
AR_MONTHS = {11: "نوفمبر"}
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
AR_CATEGORIES = {"politics": "سياسة", "economy": "اقتصاد", "sports": "رياضة"}
EN_SECTIONS = {"world": "World", "business": "Business", "sport": "Sport"}

AR_SITE_NAME = "الواحة نيوز"
AR_TICKER = [
    "عاجل: الحكومة العراقية تعلن عطلة رسمية يوم الأحد المقبل",
    "منتخب الكويت يتأهل إلى نصف نهائي بطولة غرب آسيا للشباب",
    "انخفاض أسعار الذهب في الأسواق المحلية مع ارتفاع الدولار",
]
AR_COMMENT_NOTICE = "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *"
AR_SAVE_CONSENT = (
    "احفظ اسمي، بريدي الإلكتروني، والموقع الإلكتروني في هذا المتصفح لاستخدامها المرة المقبلة في تعليقي."
)
AR_NEWSLETTER = "احصل على أهم الأخبار يومياً في بريدك الإلكتروني مجاناً"
AR_COPYRIGHT = "جميع الحقوق محفوظة © 2026 الواحة نيوز"

EN_SITE_NAME = "The Harbor Times"
EN_COOKIE = "We use cookies to personalise content and ads and to analyse our traffic."
EN_COMMENT_NOTICE = "Your email address will not be published. Required fields are marked *"
EN_NEWSLETTER = "The day's top stories, in your inbox every morning."
EN_COPYRIGHT = "© 2026 The Harbor Times. All rights reserved."


# ---------------------------------------------------------------------------------------------
# small helpers


def t(text: str) -> str:
    """Escape text for an HTML text node (quotes stay as written)."""
    return escape(text, quote=False)


def a(text: str) -> str:
    """Escape text for an HTML attribute."""
    return escape(text, quote=True)


def parse_ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def ar_date(value: str) -> str:
    d = parse_ts(value)
    return f"{AR_WEEKDAYS[d.weekday()]} {d.day} {AR_MONTHS[d.month]} {d.year}"


def en_date(value: str) -> str:
    d = parse_ts(value)
    return f"{d:%B} {d.day}, {d.year}"


def ar_path(article: dict) -> str:
    return f"/ar/news/2026/11/{article['slug']}.html"


def en_path(article: dict) -> str:
    return f"/en/2026/11/{article['slug']}/"


def inline_markup(paragraph: str, article: dict, link_base: str) -> str:
    """The paragraph as HTML, with the article's links/strong phrases marked up once each."""
    html = t(paragraph)
    for phrase, href in article.get("links", {}).items():
        html = html.replace(t(phrase), f'<a href="{link_base}{href}">{t(phrase)}</a>', 1)
    if article.get("strong"):
        html = html.replace(t(article["strong"]), f"<strong>{t(article['strong'])}</strong>", 1)
    return html


def jsonld_script(data: dict) -> str:
    payload = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{payload}\n</script>'


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """Text a naive scraper sees: tags and scripts gone, whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(html)
    return " ".join(unescape("".join(collector.parts)).split())


# ---------------------------------------------------------------------------------------------
# alwaha (Arabic, WordPress news theme)


def ar_head(title: str, extra: str, charset_variant: str | None) -> str:
    if charset_variant == "cp1256":
        charset = ""  # only the HTTP header names the charset
    elif charset_variant == "meta1256":
        charset = '<meta charset="windows-1256">\n'
    else:
        charset = '<meta charset="UTF-8">\n'
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{charset}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t(title)}</title>
<link rel="stylesheet" href="{B}/assets/alwaha.css" type="text/css" media="all">
<link rel="alternate" type="application/rss+xml" title="{AR_SITE_NAME} &raquo; الخلاصة" href="{B}/ar/feed/">
{extra}</head>
"""


def ar_header() -> str:
    menu = "".join(
        f'<li class="menu-item"><a href="{B}/ar/category/{slug}/">{name}</a></li>'
        for slug, name in AR_CATEGORIES.items()
    )
    ticker = "\n".join(
        f'<li class="news-item"><a href="{B}/ar/">{t(item)}</a></li>' for item in AR_TICKER
    )
    return f"""<div id="tie-container" class="site tie-container">
<div class="top-nav"><span class="today-date">الأحد 29 نوفمبر 2026</span>
<ul class="top-menu"><li><a href="{B}/ar/about.html">من نحن</a></li><li><a href="{B}/ar/about.html#contact">اتصل بنا</a></li></ul></div>
<header id="theme-header" class="theme-header">
<div class="logo"><a href="{B}/ar/" rel="home"><span class="logo-text">{AR_SITE_NAME}</span></a></div>
<nav id="main-nav" class="main-nav" aria-label="القائمة الرئيسية">
<ul id="menu-main" class="menu"><li class="menu-item"><a href="{B}/ar/">الرئيسية</a></li>{menu}<li class="menu-item"><a href="{B}/ar/about.html">من نحن</a></li></ul>
</nav>
<div class="breaking-news"><span class="breaking-title">عاجل</span>
<ul id="breaking-news-in-header" class="breaking-news-items">
{ticker}
</ul></div>
</header>
"""


def ar_sidebar(exclude: str | None) -> str:
    items = "".join(
        f'<li><a href="{B}{ar_path(other)}">{t(other["title"])}</a></li>'
        for other in ALWAHA_ARTICLES[::-1]
        if other["slug"] != exclude
    )
    return f"""<aside class="sidebar" aria-label="الشريط الجانبي">
<div class="widget posts-list"><div class="widget-title"><h4>الأكثر قراءة</h4></div>
<ul>{items}</ul></div>
<div class="widget newsletter-widget"><h4>اشترك في النشرة البريدية</h4>
<p>{AR_NEWSLETTER}</p>
<form action="{B}/ar/newsletter" method="post"><input type="email" name="email" placeholder="بريدك الإلكتروني"><button type="submit">اشترك</button></form>
</div>
</aside>
"""


def ar_footer() -> str:
    return f"""<footer id="footer" class="site-footer">
<ul class="footer-menu"><li><a href="{B}/ar/about.html">من نحن</a></li><li><a href="{B}/ar/about.html#privacy">سياسة الخصوصية</a></li><li><a href="{B}/ar/feed/">الخلاصة RSS</a></li></ul>
<div class="copyright">{AR_COPYRIGHT}</div>
</footer>
<a id="go-to-top" class="go-to-top-button" href="#go-to-tie-body"><span class="screen-reader-text">زر الذهاب إلى الأعلى</span></a>
</div>
</body>
</html>
"""


def ar_byline(authors: list[str]) -> str:
    names = " و".join(f'<a class="author-name" href="{B}/ar/about.html#team">{t(n)}</a>'
                      for n in authors)
    return f'<span class="meta-author">بقلم: {names}</span>'


def ar_article(article: dict, related: list[dict]) -> tuple[str, list[str]]:
    path = ar_path(article)
    cat = AR_CATEGORIES[article["category"]]
    meta = [
        f'<link rel="canonical" href="{B}{path}">',
        f'<meta name="description" content="{a(article["subtitle"])}">',
        '<meta property="og:locale" content="ar_AR">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{a(article["title"])}">',
        f'<meta property="og:description" content="{a(article["subtitle"])}">',
        f'<meta property="og:url" content="{B}{path}">',
        f'<meta property="og:site_name" content="{AR_SITE_NAME}">',
        f'<meta property="article:section" content="{cat}">',
        f'<meta property="article:published_time" content="{article["published"]}">',
    ]
    if article.get("modified"):
        meta.append(f'<meta property="article:modified_time" content="{article["modified"]}">')
    if article.get("jsonld"):
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article["title"],
            "description": article["subtitle"],
            "datePublished": article["published"],
            "dateModified": article.get("modified") or article["published"],
            "author": [{"@type": "Person", "name": n} for n in article["authors"]],
            "publisher": {"@type": "Organization", "name": AR_SITE_NAME},
            "mainEntityOfPage": {"@type": "WebPage", "@id": f"{B}{path}"},
            "articleSection": cat,
            "inLanguage": "ar",
        }
        if article["jsonld"] == "body":
            data["articleBody"] = "\n".join(article["paragraphs"])
        meta.append(jsonld_script(data))
    title = f"{article['title']} - {AR_SITE_NAME}"
    head = ar_head(title, "\n".join(meta) + "\n", article.get("charset_variant"))

    body_parts = []
    for i, paragraph in enumerate(article["paragraphs"]):
        body_parts.append(f"<p>{inline_markup(paragraph, article, B)}</p>")
        if i == 1:
            body_parts.append('<div class="stream-item stream-item-in-post">'
                              '<span class="stream-title">- إعلان -</span></div>')
    body = "\n".join(body_parts)
    figure = ""
    boiler_extra: list[str] = []
    if article.get("figure_caption"):
        figure = (f'<figure class="single-featured-image"><img src="{B}/assets/placeholder.svg" '
                  f'alt="" width="780" height="440"><figcaption class="single-caption-text">'
                  f'{t(article["figure_caption"])}</figcaption></figure>\n')
        boiler_extra.append(article["figure_caption"])
    share = ('<div class="share-links"><span class="share-title">شارك هذا المقال</span> '
             '<a class="facebook-share-btn" href="#">فيسبوك</a> <a class="twitter-share-btn" '
             'href="#">إكس</a> <a class="whatsapp-share-btn" href="#">واتساب</a> '
             '<a class="telegram-share-btn" href="#">تيلقرام</a> '
             '<a class="copy-link-btn" href="#">نسخ الرابط</a></div>')
    tags = " ".join(f'<span class="tag">{t(tag)}</span>' for tag in article["tags"])
    related_items = "\n".join(
        f'<div class="related-item"><a href="{B}{ar_path(r)}" class="post-title">{t(r["title"])}</a>'
        f'<span class="date">{ar_date(r["published"])}</span></div>'
        for r in related
    )
    page = f"""{head}<body id="tie-body" class="rtl post-template-default single single-post single-format-standard">
{ar_header()}<div id="content" class="site-content container"><div class="main-content-row">
<div class="main-content">
<article id="the-post" class="container-wrapper post-content tie-standard">
<header class="entry-header-outer">
<nav id="breadcrumb"><a href="{B}/ar/">الرئيسية</a> <em class="delimiter">/</em> <a href="{B}/ar/category/{article['category']}/">{cat}</a></nav>
<div class="entry-header">
<span class="post-cat-wrap"><a class="post-cat" href="{B}/ar/category/{article['category']}/">{cat}</a></span>
<h1 class="post-title entry-title">{t(article['title'])}</h1>
<h2 class="entry-sub-title">{t(article['subtitle'])}</h2>
<div class="post-meta">{ar_byline(article['authors'])} <span class="date meta-item"><time class="entry-date" datetime="{article['published']}">{ar_date(article['published'])}</time></span></div>
</div>
</header>
{share}
{figure}<div class="entry-content entry clearfix">
{body}
</div>
<div class="post-bottom-meta post-bottom-tags"><span class="post-bottom-meta-title">الوسوم:</span> {tags}</div>
</article>
{share}
<div id="related-posts" class="container-wrapper"><div class="mag-box-title"><h3>مقالات ذات صلة</h3></div>
<div class="related-posts-list">
{related_items}
</div></div>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">اترك تعليقاً</h3>
<form action="{B}/ar/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes">لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ <span class="required">*</span></p>
<p class="comment-form-comment"><label for="comment">التعليق <span class="required">*</span></label><textarea id="comment" name="comment" required></textarea></p>
<p class="comment-form-author"><label for="author">الاسم <span class="required">*</span></label><input id="author" name="author" type="text" required></p>
<p class="comment-form-email"><label for="email">البريد الإلكتروني <span class="required">*</span></label><input id="email" name="email" type="email" required></p>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes"><label for="wp-comment-cookies-consent">{AR_SAVE_CONSENT}</label></p>
<p class="form-submit"><button type="submit" id="submit" class="submit">إرسال التعليق</button></p>
</form></div></div>
</div>
{ar_sidebar(article['slug'])}</div></div>
{ar_footer()}"""
    boilerplate = [
        "مقالات ذات صلة",
        "اترك تعليقاً",
        AR_COMMENT_NOTICE,
        "زر الذهاب إلى الأعلى",
        "اشترك في النشرة البريدية",
        AR_NEWSLETTER,
        AR_COPYRIGHT,
        *AR_TICKER,
        "شارك هذا المقال",
        "نسخ الرابط",
        "بقلم: " + " و".join(article["authors"]),
        "الأكثر قراءة",
        "الوسوم:",
        "- إعلان -",
        AR_SAVE_CONSENT,
        "إرسال التعليق",
        *(r["title"] for r in related),
        *boiler_extra,
    ]
    return page, boilerplate


def ar_listing_page(title: str, heading: str, articles: list[dict], extra_links: str) -> str:
    items = "\n".join(
        f'<article class="post-item"><h2 class="post-title"><a href="{B}{ar_path(x)}">{t(x["title"])}</a></h2>'
        f'<p class="post-excerpt">{t(x["subtitle"])}</p><span class="date">{ar_date(x["published"])}</span></article>'
        for x in articles
    )
    extra = ""
    return f"""{ar_head(title, extra, None)}<body id="tie-body" class="rtl archive category">
{ar_header()}<div id="content" class="site-content container"><div class="main-content">
<header class="entry-header-outer container-wrapper"><h1 class="page-title">{t(heading)}</h1></header>
<div class="mag-box"><div class="posts-items">
{items}
</div>
{extra_links}
</div></div>
{ar_sidebar(None)}</div>
{ar_footer()}"""


def ar_about() -> str:
    return f"""{ar_head("من نحن - " + AR_SITE_NAME, "", None)}<body id="tie-body" class="rtl page">
{ar_header()}<div id="content" class="site-content container"><div class="main-content">
<article class="page type-page"><h1 class="page-title">من نحن</h1>
<div class="entry-content">
<p>الواحة نيوز موقع إخباري مستقل يقدم الأخبار العربية والدولية على مدار الساعة.</p>
<h2 id="team">فريق التحرير</h2>
<ul><li>رئيس التحرير: سارة المنصوري</li><li>مدير التحرير: خالد العمري</li></ul>
<h2 id="contact">اتصل بنا</h2><p>البريد الإلكتروني: newsroom@alwaha.example</p>
<h2 id="privacy">سياسة الخصوصية</h2><p>لا نشارك بيانات القراء مع أي طرف ثالث.</p>
</div></article></div>
{ar_sidebar(None)}</div>
{ar_footer()}"""


def ar_feed(articles: list[dict]) -> str:
    items = []
    for x in sorted(articles, key=lambda x: x["published"], reverse=True):
        items.append(f"""<item>
<title>{xml_escape(x['title'])}</title>
<link>{B}{ar_path(x)}</link>
<dc:creator><![CDATA[{' و'.join(x['authors'])}]]></dc:creator>
<pubDate>{format_datetime(parse_ts(x['published']))}</pubDate>
<category><![CDATA[{AR_CATEGORIES[x['category']]}]]></category>
<guid isPermaLink="true">{B}{ar_path(x)}</guid>
<description><![CDATA[{x['subtitle']}]]></description>
</item>""")
    newest = max(x["published"] for x in articles)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{AR_SITE_NAME}</title>
<atom:link href="{B}/ar/feed/" rel="self" type="application/rss+xml"/>
<link>{B}/ar/</link>
<description>أخبار عربية ودولية على مدار الساعة</description>
<lastBuildDate>{format_datetime(parse_ts(newest))}</lastBuildDate>
<language>ar</language>
<generator>https://wordpress.org/?v=6.8</generator>
{chr(10).join(items)}
</channel>
</rss>
"""


def ar_sitemap(articles: list[dict]) -> str:
    urls = "\n".join(f"""<url>
<loc>{B}{ar_path(x)}</loc>
<lastmod>{x.get('modified') or x['published']}</lastmod>
<news:news>
<news:publication><news:name>{AR_SITE_NAME}</news:name><news:language>ar</news:language></news:publication>
<news:publication_date>{x['published']}</news:publication_date>
<news:title>{xml_escape(x['title'])}</news:title>
</news:news>
</url>""" for x in articles)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
"""


# ---------------------------------------------------------------------------------------------
# harbor (English, modern news site)


EN_ARTICLES_ALL = [*HARBOR_ARTICLES]


def en_head(title: str, extra: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t(title)}</title>
<link rel="stylesheet" href="/assets/harbor.css">
<link rel="alternate" type="application/atom+xml" title="{EN_SITE_NAME}" href="/en/feed.atom">
{extra}</head>
"""


def en_header() -> str:
    nav = "".join(f'<li><a href="/en/{slug}/">{name}</a></li>' for slug, name in EN_SECTIONS.items())
    return f"""<div id="cookie-banner" class="cookie-banner" role="dialog" aria-label="Cookie consent">
<p>{EN_COOKIE} <a href="/en/">Cookie policy</a></p>
<button type="button" class="cookie-accept">Accept all cookies</button> <button type="button" class="cookie-settings">Manage settings</button>
</div>
<header class="site-header">
<a class="skip-link" href="#main">Skip to content</a>
<div class="masthead"><a href="/en/" class="logo">{EN_SITE_NAME}</a> <a class="subscribe" href="/en/">Subscribe</a> <a class="sign-in" href="/en/">Sign in</a></div>
<nav class="primary-nav" aria-label="Sections"><ul><li><a href="/en/">Home</a></li>{nav}<li><a href="/en/tag/energy/">Energy</a></li></ul></nav>
</header>
"""


def en_most_read(exclude: str | None) -> tuple[str, list[str]]:
    picks = [x for x in EN_ARTICLES_ALL[::-1] if x["slug"] != exclude][:4]
    items = "".join(f'<li><a href="{en_path(x)}">{t(x["title"])}</a></li>' for x in picks)
    return (f'<aside class="most-read" aria-labelledby="most-read-h"><h2 id="most-read-h">Most read</h2>'
            f"<ol>{items}</ol></aside>\n", [x["title"] for x in picks])


def en_newsletter() -> str:
    return f"""<section class="newsletter-signup"><h2>Sign up for The Harbor Brief</h2>
<p>{EN_NEWSLETTER}</p>
<form action="/en/newsletter" method="post"><label for="nl-email">Email address</label><input id="nl-email" type="email" name="email"><button type="submit">Sign up</button></form>
</section>
"""


def en_footer() -> str:
    return f"""<footer class="site-footer">
<nav aria-label="Footer"><ul><li><a href="/en/">About us</a></li><li><a href="/en/feed.atom">RSS</a></li><li><a href="/ar/">العربية</a></li></ul></nav>
<p class="copyright">{EN_COPYRIGHT}</p>
</footer>
</body>
</html>
"""


def en_byline(authors: list[str]) -> str:
    def one(name: str) -> str:
        if name == "Jane Doe":
            return '<a rel="author" href="/en/author/jane-doe/">Jane Doe</a>'
        return f'<span class="author">{t(name)}</span>'

    names = [one(n) for n in authors]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f'<p class="byline">By {joined}</p>'


def en_byline_text(authors: list[str]) -> str:
    if len(authors) == 1:
        return "By " + authors[0]
    return "By " + ", ".join(authors[:-1]) + " and " + authors[-1]


def en_article(article: dict, related: list[dict], *, stub: bool = False) -> tuple[str, list[str]]:
    path = en_path(article)
    section = EN_SECTIONS[article["section"]]
    meta = [f'<link rel="canonical" href="{B}{path}">']
    if article.get("subtitle"):
        meta.append(f'<meta name="description" content="{a(article["subtitle"])}">')
    if article.get("opengraph"):
        meta += [
            '<meta property="og:type" content="article">',
            f'<meta property="og:site_name" content="{EN_SITE_NAME}">',
            f'<meta property="og:title" content="{a(article["title"])}">',
            f'<meta property="og:description" content="{a(article["subtitle"])}">',
            f'<meta property="og:url" content="{B}{path}">',
            f'<meta property="article:published_time" content="{article["published"]}">',
            f'<meta property="article:section" content="{section}">',
            '<meta name="twitter:card" content="summary_large_image">',
        ]
    if article.get("jsonld"):
        meta.append(jsonld_script({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article["title"],
            "description": article["subtitle"],
            "datePublished": article["published"],
            "dateModified": article.get("modified") or article["published"],
            "author": [{"@type": "Person", "name": n} for n in article["authors"]],
            "publisher": {"@type": "NewsMediaOrganization", "name": EN_SITE_NAME},
            "mainEntityOfPage": f"{B}{path}",
            "articleSection": section,
            "inLanguage": "en",
        }))
    head = en_head(f"{article['title']} | {EN_SITE_NAME}", "\n".join(meta) + "\n")

    boiler_extra: list[str] = []
    parts = []
    for i, paragraph in enumerate(article["paragraphs"], start=1):
        parts.append(f"<p>{inline_markup(paragraph, article, '')}</p>")
        if i == 2 and not stub:
            parts.append('<div class="ad-slot" aria-hidden="true"><span class="ad-label">'
                         "Advertisement</span></div>")
        if article.get("read_more_after") == i:
            target = related[0]
            parts.append(f'<p class="read-more"><strong>Read more:</strong> '
                         f'<a href="{en_path(target)}">{t(target["title"])}</a></p>')
            boiler_extra.append("Read more: " + target["title"])
    figure = ""
    if article.get("figure_caption"):
        figure = (f'<figure class="lead-image"><img src="/assets/placeholder.svg" alt="" '
                  f'width="1200" height="675"><figcaption>{t(article["figure_caption"])}'
                  f"</figcaption></figure>\n")
        boiler_extra.append(article["figure_caption"])
    tags = ", ".join(
        f'<a href="/en/tag/energy/">{t(tag)}</a>' if tag == "Energy" else t(tag)
        for tag in article["tags"]
    )
    related_items = "".join(
        f'<li><a href="{en_path(r)}">{t(r["title"])}</a></li>' for r in related
    )
    most_read, most_read_titles = en_most_read(article["slug"])
    subtitle = f'<p class="standfirst">{t(article["subtitle"])}</p>\n' if article["subtitle"] else ""
    page = f"""{head}<body class="article-page">
{en_header()}<main id="main" class="layout">
<article class="story">
<header class="story-header">
<a class="kicker" href="/en/{article['section']}/">{section}</a>
<h1 class="headline">{t(article['title'])}</h1>
{subtitle}{en_byline(article['authors'])}
<p class="dateline"><time datetime="{article['published']}">{en_date(article['published'])}</time></p>
<div class="share-bar"><span>Share this article</span> <a href="#">Facebook</a> <a href="#">X</a> <a href="#">LinkedIn</a> <a href="#">Email</a></div>
</header>
{figure}<div class="story-body">
{chr(10).join(parts)}
</div>
<footer class="story-footer"><p class="topics">Topics: {tags}</p></footer>
</article>
<aside class="related" aria-labelledby="related-h"><h2 id="related-h">Related stories</h2><ul>{related_items}</ul></aside>
{most_read}{en_newsletter()}<section id="comments" class="comments"><h2>Leave a comment</h2>
<form action="/en/comments" method="post"><p class="comment-notes">{EN_COMMENT_NOTICE}</p>
<label for="c-name">Name *</label><input id="c-name" name="name" required>
<label for="c-email">Email *</label><input id="c-email" name="email" type="email" required>
<label for="c-text">Comment *</label><textarea id="c-text" name="comment" required></textarea>
<button type="submit">Post Comment</button></form>
<p class="no-comments">Be the first to comment on this story.</p></section>
</main>
{en_footer()}"""
    boilerplate = [
        EN_COOKIE,
        "Accept all cookies",
        "Share this article",
        "Related stories",
        "Most read",
        "Sign up for The Harbor Brief",
        EN_NEWSLETTER,
        "Leave a comment",
        EN_COMMENT_NOTICE,
        "Be the first to comment on this story.",
        "Post Comment",
        EN_COPYRIGHT,
        "Advertisement",
        en_byline_text(article["authors"]),
        "Topics:",
        *(r["title"] for r in related),
        *most_read_titles,
        *boiler_extra,
    ]
    if stub:
        boilerplate.remove("Advertisement")
    return page, list(dict.fromkeys(boilerplate))


def en_listing_page(title: str, heading: str, articles: list[dict], extra: str,
                    intro: str = "") -> str:
    items = "\n".join(
        f'<li class="card"><a class="card-link" href="{en_path(x)}"><h3>{t(x["title"])}</h3></a>'
        f'<p>{t(x["subtitle"])}</p><time datetime="{x["published"]}">{en_date(x["published"])}</time></li>'
        for x in articles
    )
    most_read, _ = en_most_read(None)
    return f"""{en_head(f"{title} | {EN_SITE_NAME}", "")}<body class="section-page">
{en_header()}<main id="main" class="layout">
<h1 class="section-title">{t(heading)}</h1>
{intro}<ul class="cards">
{items}
</ul>
{extra}{most_read}{en_newsletter()}</main>
{en_footer()}"""


def en_feed(articles: list[dict]) -> str:
    entries = []
    for x in sorted(articles, key=lambda x: x["published"], reverse=True):
        authors = "".join(f"<author><name>{xml_escape(n)}</name></author>" for n in x["authors"])
        entries.append(f"""<entry>
<title>{xml_escape(x['title'])}</title>
<link rel="alternate" type="text/html" href="{B}{en_path(x)}"/>
<id>tag:harbortimes.example,2026:{x['slug']}</id>
<published>{x['published']}</published>
<updated>{x.get('modified') or x['published']}</updated>
{authors}
<category term="{EN_SECTIONS[x['section']]}"/>
<summary>{xml_escape(x['subtitle'])}</summary>
</entry>""")
    newest = max(x.get("modified") or x["published"] for x in articles)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>{EN_SITE_NAME}</title>
<subtitle>News from the region and the world</subtitle>
<link rel="self" type="application/atom+xml" href="{B}/en/feed.atom"/>
<link rel="alternate" type="text/html" href="{B}/en/"/>
<id>tag:harbortimes.example,2026:feed</id>
<updated>{newest}</updated>
{chr(10).join(entries)}
</feed>
"""


def en_sitemap(articles: list[dict]) -> str:
    urls = "\n".join(
        f"<url><loc>{B}{en_path(x)}</loc><lastmod>{x.get('modified') or x['published']}</lastmod>"
        f"<changefreq>daily</changefreq></url>"
        for x in articles
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>
"""


# ---------------------------------------------------------------------------------------------
# the whole site


def related_for(articles: list[dict], index: int) -> list[dict]:
    others = articles[index + 1:] + articles[:index]
    return others[:3]


def manifest_entry(path: str, source: str, language: str, article: dict,
                   boilerplate: list[str], file: str) -> dict:
    variant = article.get("charset_variant")
    return {
        "path": path,
        "file": file,
        "source": source,
        "language": language,
        "title": article["title"],
        "subtitle": article["subtitle"],
        "authors": article["authors"],
        "published": article["published"][:10],
        "published_at": article["published"],
        "section": article.get("category") or article.get("section"),
        "charset": "windows-1256" if variant else "utf-8",
        "charset_in_header": variant != "meta1256",
        "charset_in_meta": variant != "cp1256",
        "has_jsonld": bool(article.get("jsonld")),
        "body_paragraphs": article["paragraphs"],
        "boilerplate": boilerplate,
    }


def check_page(entry: dict, page: str) -> None:
    """Refuse to write gold that the page contradicts."""
    text = visible_text(page)
    gold = [entry["title"], entry["subtitle"], *entry["body_paragraphs"]]
    for piece in gold:
        if piece and piece not in text:
            raise SystemExit(f"{entry['path']}: gold text not on page: {piece[:60]}")
    for phrase in entry["boilerplate"]:
        if phrase not in text:
            raise SystemExit(f"{entry['path']}: boilerplate not on page: {phrase}")
        if any(phrase in piece for piece in gold):
            raise SystemExit(f"{entry['path']}: boilerplate inside gold text: {phrase}")
    if entry["charset"] == "windows-1256":
        page.encode("cp1256")  # raises if a character cannot be served in windows-1256


def build(out: Path = SITE) -> dict:
    """Write every served file and manifest.json under `out` (the site folder by default)."""
    entries: list[dict] = []

    def write(rel: str, content: str) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")

    for i, article in enumerate(ALWAHA_ARTICLES):
        page, boiler = ar_article(article, related_for(ALWAHA_ARTICLES, i))
        variant = article.get("charset_variant")
        file = f"ar/news/2026/11/{article['slug']}" + (f".{variant}" if variant else "") + ".html"
        entry = manifest_entry(ar_path(article), "alwaha", "ar", article, boiler, file)
        check_page(entry, page)
        write(file, page)
        entries.append(entry)

    for i, article in enumerate(HARBOR_ARTICLES):
        page, boiler = en_article(article, related_for(HARBOR_ARTICLES, i))
        file = en_path(article).lstrip("/") + "index.html"
        entry = manifest_entry(en_path(article), "harbor", "en", article, boiler, file)
        check_page(entry, page)
        write(file, page)
        entries.append(entry)

    stub_page, _ = en_article(HARBOR_STUB, HARBOR_ARTICLES[:3], stub=True)
    write(en_path(HARBOR_STUB).lstrip("/") + "index.html", stub_page)

    # Arabic listings and non-article pages
    by_cat = {c: [x for x in ALWAHA_ARTICLES if x["category"] == c] for c in AR_CATEGORIES}
    private_link = (f'<div class="archive-links"><a href="{B}/private/secret.html">'
                    "أرشيف المشتركين</a> | <a href=\"" + B + '/ar/about.html">من نحن</a></div>')
    for cat, name in AR_CATEGORIES.items():
        write(f"ar/category/{cat}/index.html",
              ar_listing_page(f"{name} - {AR_SITE_NAME}", name, by_cat[cat],
                              private_link if cat == "politics" else ""))
    write("ar/index.html", ar_listing_page(AR_SITE_NAME, "آخر الأخبار", ALWAHA_ARTICLES[::-1], ""))
    write("ar/about.html", ar_about())
    write("ar/feed/index.rss", ar_feed(ALWAHA_ARTICLES))
    write("ar/sitemap.xml", ar_sitemap(ALWAHA_ARTICLES))

    # English listings and non-article pages
    world_extra = f"""<section class="more-links"><h2>Also in World</h2><ul>
<li><a href="{en_path(HARBOR_STUB)}">{t(HARBOR_STUB['title'])}</a></li>
<li><a href="/en/tag/energy/">More on energy</a></li>
<li><a href="/en/author/jane-doe/">Stories by Jane Doe</a></li>
<li><a href="/private/secret.html">Subscriber archive</a></li>
</ul></section>
"""
    write("en/world/index.html", en_listing_page("World", "World", HARBOR_ARTICLES[::-1], world_extra))
    for section in ("business", "sport"):
        picks = [x for x in HARBOR_ARTICLES if x["section"] == section]
        write(f"en/{section}/index.html",
              en_listing_page(EN_SECTIONS[section], EN_SECTIONS[section], picks, ""))
    write("en/index.html", en_listing_page("Home", EN_SITE_NAME, HARBOR_ARTICLES[::-1], world_extra))
    energy = [x for x in HARBOR_ARTICLES if "Energy" in x["tags"] or "Oil" in x["tags"]]
    write("en/tag/energy/index.html",
          en_listing_page("Energy", "Energy", energy, "",
                          '<p class="tag-intro">All our coverage of oil, gas and power.</p>\n'))
    jane = [x for x in HARBOR_ARTICLES if "Jane Doe" in x["authors"]]
    write("en/author/jane-doe/index.html",
          en_listing_page("Jane Doe", "Jane Doe", jane, "",
                          '<p class="author-bio">Jane Doe is the Middle East correspondent of '
                          "The Harbor Times, based in Amman.</p>\n"))
    write("en/feed.atom", en_feed(HARBOR_ARTICLES))
    write("en/sitemap.xml", en_sitemap(HARBOR_ARTICLES))

    # root
    write("robots.txt", f"""# The Harbor Times and Al Waha News demo site
User-agent: *
Disallow: /private/
Allow: /

Sitemap: {B}/ar/sitemap.xml
Sitemap: {B}/en/sitemap.xml
""")
    write("index.html", f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Demo news sites</title></head>
<body><h1>Demo news sites</h1><ul>
<li><a href="{B}/ar/">{AR_SITE_NAME}</a></li><li><a href="{B}/en/">{EN_SITE_NAME}</a></li>
</ul></body></html>
""")
    write("private/secret.html", """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Subscriber archive</title></head>
<body><h1>Subscriber archive</h1><p>Disallowed by robots.txt: a polite crawler never fetches
this page.</p></body></html>
""")
    write("assets/alwaha.css", "body{font-family:Tahoma,sans-serif;direction:rtl}\n")
    write("assets/harbor.css", "body{font-family:Georgia,serif}\n")
    write("assets/placeholder.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="16" '
          'height="9"><rect width="16" height="9" fill="#ccc"/></svg>\n')

    manifest = {
        "description": "Gold for the demo site: every article page with its exact title, "
                       "subtitle, authors, published date (local date of the page's timestamp), "
                       "body paragraphs, and boilerplate strings that are on the page but must not "
                       "be in the extracted text. Paths are URL paths; prefix the served base URL.",
        "sources": {
            "alwaha": {"language": "ar", "site_name": AR_SITE_NAME,
                       "feed": "/ar/feed/", "sitemap": "/ar/sitemap.xml",
                       "section": "/ar/category/politics/"},
            "harbor": {"language": "en", "site_name": EN_SITE_NAME,
                       "feed": "/en/feed.atom", "sitemap": "/en/sitemap.xml",
                       "section": "/en/world/"},
        },
        "articles": entries,
        "too_short": [en_path(HARBOR_STUB)],
        "non_article": ["/en/tag/energy/", "/en/author/jane-doe/", "/ar/about.html"],
        "listing_pages": ["/ar/", *[f"/ar/category/{c}/" for c in AR_CATEGORIES],
                          "/en/", *[f"/en/{s}/" for s in EN_SECTIONS]],
        "robots_disallowed": ["/private/secret.html"],
        "feeds": ["/ar/feed/", "/en/feed.atom"],
        "sitemaps": ["/ar/sitemap.xml", "/en/sitemap.xml"],
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    built = build()
    print(f"wrote {len(built['articles'])} article pages and manifest.json under {SITE}")
