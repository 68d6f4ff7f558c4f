"""Every reject reason of extract_article is produced: not_article, too_short,
extraction_failed, decode_failed (``duplicate`` is set later by the pipeline)."""

from __future__ import annotations

import pytest

from processing.extract import REJECT_REASONS, ExtractionError, extract_article

PROSE = (
    "The city council approved the new transport budget on Tuesday after a long debate. "
    "Members said the plan would add bus lanes and extend the tram line to the airport. "
)


def _reason(html: str) -> str:
    with pytest.raises(ExtractionError) as info:
        extract_article(html.encode("utf-8"), url="https://example.test/page")
    return info.value.reason


def test_reasons_are_the_contract():
    assert set(REJECT_REASONS) == {"not_article", "too_short", "extraction_failed", "decode_failed"}
    with pytest.raises(ValueError):
        ExtractionError("duplicate_of_something")


def test_tag_page_is_not_article():
    teasers = "".join(
        f'<li><a href="/news/{i}">Headline number {i} about the city budget vote</a>'
        f"<p>{PROSE[:90]}</p><time datetime='2024-10-0{i}'>Oct {i}</time></li>"
        for i in range(1, 7)
    )
    html = (
        '<html><head><title>Tag: budget</title><meta property="og:type" content="website">'
        f"</head><body><h1>budget</h1><ul>{teasers}</ul></body></html>"
    )
    assert _reason(html) == "not_article"


def test_about_page_is_not_article():
    html = (
        "<html><head><title>About us</title></head><body><h1>About us</h1>"
        "<p>We are an independent newsroom covering the city since 1998.</p>"
        "<p>Contact the editors at the address below.</p></body></html>"
    )
    assert _reason(html) == "not_article"


def test_profile_jsonld_is_not_article():
    html = (
        '<html><head><script type="application/ld+json">{"@type": "ProfilePage", '
        '"name": "Jane Doe"}</script></head><body><h1>Jane Doe</h1>'
        f"<p>{PROSE * 8}</p></body></html>"
    )
    assert _reason(html) == "not_article"


def test_short_story_is_too_short():
    html = (
        '<html><head><meta property="og:type" content="article"><title>Brief</title></head>'
        "<body><article><h1>Brief</h1><p>Council meets at noon.</p></article></body></html>"
    )
    assert _reason(html) == "too_short"


def test_article_without_text_is_extraction_failed():
    html = (
        '<html><head><meta property="og:type" content="article"><title>Video</title></head>'
        "<body><article><h1>Video</h1><div class='player'></div></article></body></html>"
    )
    assert _reason(html) == "extraction_failed"


def test_binary_is_decode_failed():
    with pytest.raises(ExtractionError) as info:
        extract_article(b"%PDF-1.7\x00\x00\x01\x02" * 50, url="https://example.test/x.pdf")
    assert info.value.reason == "decode_failed"


def test_real_article_passes():
    html = (
        '<html><head><meta property="og:type" content="article"><title>Budget</title></head>'
        f"<body><article><h1>Budget</h1><p>{PROSE}</p><p>{PROSE[::-1]}</p></article></body></html>"
    )
    article = extract_article(html.encode(), url="https://example.test/a")
    assert "bus lanes" in article.text
