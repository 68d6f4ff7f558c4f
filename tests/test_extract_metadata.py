"""Metadata: JSON-LD first, then OpenGraph/article meta, then markup; timestamps in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from processing.dates import parse_datetime, parse_text_date
from processing.extract import extract_article
from processing.extract.language import detect_language
from processing.extract.metadata import clean_author, extract_metadata, parse_tree

PROSE = "".join(
    f"<p>Paragraph {i}: the regional council voted on the new water plan after months of "
    f"hearings, and officials said work on the pipeline would begin next spring.</p>"
    for i in range(5)
)


def _md(head: str, body: str = ""):
    tree = parse_tree(f"<html lang='en'><head>{head}</head><body>{body}{PROSE}</body></html>")
    return extract_metadata(tree, "https://news.example/a/1", use_htmldate=False)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("by Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("بقلم: سارة محمود", ["سارة محمود"]),
        ("بقلم سارة محمود، أحمد علي", ["سارة محمود", "أحمد علي"]),
        ("كتب: أحمد يوسف", ["أحمد يوسف"]),
        ("Sarah E. Needleman", ["Sarah E. Needleman"]),
        ("https://www.facebook.com/someone", []),
    ],
)
def test_clean_author(byline: str, names: list[str]):
    assert clean_author(byline) == names


def test_jsonld_wins_and_dates_become_utc():
    md = _md(
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"WebSite","name":"Example News"},'
        '{"@type":"NewsArticle","headline":"Water plan approved",'
        '"datePublished":"2024-10-17T01:30:00+03:00","dateModified":"2024-10-17T12:00:00Z",'
        '"author":[{"@type":"Person","name":"By Jane Doe"},{"@type":"Person","name":"John Roe"}],'
        '"articleSection":"Politics","keywords":"water, council","image":{"url":"/img/a.jpg"}}]}'
        "</script>"
        '<meta property="og:title" content="Something else - Example News">'
        '<meta property="article:published_time" content="2020-01-01T00:00:00Z">'
        '<link rel="canonical" href="/a/1?amp=0">'
    )
    assert md.title == "Water plan approved"
    assert md.published == datetime(2024, 10, 16, 22, 30, tzinfo=UTC)
    assert md.modified == datetime(2024, 10, 17, 12, 0, tzinfo=UTC)
    assert md.authors == ["Jane Doe", "John Roe"]
    assert md.section == "Politics"
    assert md.tags == ["water", "council"]
    assert md.image == "https://news.example/img/a.jpg"
    assert md.canonical_url == "https://news.example/a/1?amp=0"
    assert md.site_name == "Example News"
    assert md.article_signals >= 1


def test_opengraph_fallback_and_site_suffix_stripped():
    md = _md(
        '<meta property="og:title" content="Council backs water plan | Example News">'
        '<meta property="og:site_name" content="Example News">'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-10-17T09:00:00+02:00">'
        '<meta property="article:tag" content="water">'
        '<meta property="article:tag" content="council">'
        '<meta name="author" content="By Jane Doe">'
        '<meta property="og:description" content="The plan passed by 12 votes to 3.">'
    )
    assert md.title == "Council backs water plan"
    assert md.published == datetime(2024, 10, 17, 7, 0, tzinfo=UTC)
    assert md.authors == ["Jane Doe"]
    assert md.tags == ["water", "council"]
    assert md.subtitle == "The plan passed by 12 votes to 3."


def test_markup_fallbacks_h1_time_byline_and_standfirst():
    md = _md(
        "<title>Council backs water plan - Example News</title>",
        '<header><h1>Council backs water plan</h1><p class="article-standfirst">'
        "The plan passed by twelve votes to three.</p>"
        '<span class="byline">By <a rel="author" href="/jane">Jane Doe</a></span>'
        '<time datetime="2024-10-17T09:00:00-04:00">Oct 17</time></header>',
    )
    assert md.title == "Council backs water plan"
    assert md.published == datetime(2024, 10, 17, 13, 0, tzinfo=UTC)
    assert md.authors == ["Jane Doe"]
    assert md.subtitle == "The plan passed by twelve votes to three."
    assert md.standfirst_in_page


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("17 أكتوبر 2024", (2024, 10, 17)),
        ("الخميس ١٧ تشرين الأول ٢٠٢٤", (2024, 10, 17)),
        ("Oct. 17, 2024", (2024, 10, 17)),
        ("2024/10/17 10:00", (2024, 10, 17)),
    ],
)
def test_written_dates(text: str, day: tuple[int, int, int]):
    parsed = parse_text_date(text)
    assert parsed is not None
    assert (parsed.year, parsed.month, parsed.day) == day


def test_parse_datetime_formats():
    assert parse_datetime("2024-10-17T09:00:00+0300") == datetime(2024, 10, 17, 6, 0, tzinfo=UTC)
    assert parse_datetime("Thu, 17 Oct 2024 09:00:00 GMT") == datetime(
        2024, 10, 17, 9, 0, tzinfo=UTC
    )
    assert parse_datetime("not a date") is None


def test_language_detection_with_hint():
    assert detect_language("The council approved the plan after a long debate on Tuesday.") == "en"
    assert detect_language("وافق المجلس على الخطة بعد نقاش طويل يوم الثلاثاء") == "ar"
    assert detect_language("ok", hint="fr") == "fr"
    assert detect_language("وزیر خارجه ایران گفت که گفتگوها با کشورهای همسایه ادامه دارد") == "fa"


def test_article_fields_and_json_dict():
    html = (
        '<html lang="en"><head><meta property="og:type" content="article">'
        '<meta property="og:title" content="Council backs water plan">'
        '<meta property="article:published_time" content="2024-10-17T09:00:00Z"></head>'
        f"<body><article><h1>Council backs water plan</h1>{PROSE}</article></body></html>"
    )
    article = extract_article(html.encode(), url="https://news.example/a/1")
    record = article.as_json_dict()
    assert record["published"] == "2024-10-17T09:00:00+00:00"
    assert record["language"] == "en"
    assert record["text"].count("\n") == 4
    assert "Council backs water plan" not in record["text"]
    assert set(article.as_dict()) >= {
        "url", "canonical_url", "site_name", "language", "title", "subtitle", "text",
        "text_normalized", "authors", "published", "modified", "section", "tags", "image",
    }


def test_clean_author_drops_roles_and_analysis_prefix():
    assert clean_author("Analysis by Chris Cillizza, CNN Editor-at-large") == ["Chris Cillizza"]
    assert clean_author("بقلم: ليلى حسن، مراسلة الجزيرة") == ["ليلى حسن"]
