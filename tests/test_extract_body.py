"""Structure-aware chrome removal: what a block IS (a form block, a line that is a link,
a headline echo), not what it says. Invented words prove no phrase list is involved."""

from __future__ import annotations

from processing.extract import extract_article
from processing.extract.chrome import line_is_link, strip_page_chrome

PARAS = [
    "Qorvath Tenmu ilsa prandor vekki sulmet, durano vel kestra moru in palavi tesh.",
    "Velka dorim ustra, kenno falim presta voru dan telmi orstaka ven prado sulinno.",
    "Trasko mellin davra kotu sen, palvo ristan imbelo kar testu vannid oro pesk.",
    "Umbra selvo kandi trem, oskal vetran duli mora pesk aldin korvu talesh vimno.",
]


def _page() -> str:
    related = "".join(
        f'<li><a href="/s/{i}">Zentri volga mastu keppo runal number {i}</a></li>' for i in range(3)
    )
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return f"""<html><head><title>Prandor vekki sulmet tavro - Site</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2024-10-17T09:00:00Z"></head>
<body><article><h1>Prandor vekki sulmet tavro</h1><div class="content">{body}
<p>Grevlo: <a href="/s/9">Zentri volga mastu keppo runal number 9</a></p></div>
<div class="box"><h3>Bleskor ventu</h3><form><p>Nemor vali kestu: plan orvi *</p>
<textarea></textarea><input type="submit" value="Ventu"></form></div>
<ul>{related}</ul></article></body></html>"""


def test_form_block_link_lines_and_headline_echo_removed():
    article = extract_article(_page().encode(), url="https://example.test/a")
    assert article.text.split("\n") == PARAS
    assert "Bleskor ventu" not in article.text
    assert "Nemor vali kestu" not in article.text
    assert "Zentri volga" not in article.text


def test_line_is_link_with_label():
    links = {"zentri volga mastu keppo runal"}
    assert line_is_link("Zentri volga mastu keppo runal", links)
    assert line_is_link("Grevlo: Zentri volga mastu keppo runal", links)
    assert not line_is_link("A sentence that mentions zentri volga mastu keppo runal.", links)


def test_strip_page_chrome_keeps_body_between():
    text = "Headline here today\nPosted by Jane Doe on 2024-10-17\nBody one.\nBody two.\nShare this"
    out = strip_page_chrome(text, titles=["Headline here today"], links=set())
    assert out == "Body one.\nBody two."
