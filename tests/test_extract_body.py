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
    assert line_is_link("اقرأ أيضا.. Zentri volga mastu keppo runal", links)
    assert not line_is_link("A sentence that mentions zentri volga mastu keppo runal.", links)


def test_strip_page_chrome_keeps_body_between():
    text = "Headline here today\nPosted by Jane Doe on 2024-10-17\nBody one.\nBody two.\nShare this"
    out = strip_page_chrome(text, titles=["Headline here today"], links=set())
    assert out == "Body one.\nBody two."


def _tree(body: str):
    from processing.extract.metadata import parse_tree

    return parse_tree(f"<html><body>{body}</body></html>")


def test_prune_hidden_and_named_chrome_with_content_guard():
    from processing.extract.prune import prune_hidden, prune_named_chrome

    tree = _tree(
        '<div style="display: none">hidden menu</div><div aria-hidden="true">icon</div>'
        '<div style="color: red">visible</div>'
        '<div class="share-buttons">Facebook X</div>'
        '<div class="entry-content-read-more"><p>The story itself.</p></div>'
        '<section class="related-posts"><h1>Main headline</h1></section>'
    )
    prune_hidden(tree)
    prune_named_chrome(tree)
    text = tree.text_content()
    assert "hidden menu" not in text and "icon" not in text
    assert "visible" in text
    assert "Facebook" not in text
    assert "The story itself." in text  # named like content: kept
    assert "Main headline" in text  # holds the <h1>: kept


def test_join_split_bodies_keeps_every_part_in_one_container():
    from processing.extract.prune import join_split_bodies

    long = "This paragraph is long enough to count as article prose for the joining rule. "
    parts = "".join(
        f'<div class="article__body"><p>{long}{i}a</p><p>{long}{i}b</p></div><div class="ad"></div>'
        for i in range(3)
    )
    tree = _tree(f"<main>{parts}</main>")
    join_split_bodies(tree)
    bodies = tree.findall(".//div[@class='article__body']")
    assert len(bodies) == 1
    assert len(bodies[0].findall("p")) == 6


def test_inline_hover_card_removed_but_sentence_kept():
    from processing.extract.prune import prune_inline_cards

    tree = _tree(
        '<p><span class="w">Charges against Rep. <span class="person"><a href="/p/1">Jane Roe</a>'
        '<span class="card"><img src="/j.jpg"><a href="/p/1">Jane Roe</a>'
        '<a href="/s/2">Another story headline</a></span></span> were filed today.</span></p>'
    )
    prune_inline_cards(tree)
    assert tree.text_content() == "Charges against Rep. Jane Roe were filed today."


def test_unlabelled_arabic_related_list_and_share_row_removed():
    paras = [
        "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة بسعة مئتي سرير لخدمة السكان.",
        "وقال الوزير إن المستشفى سيخدم أكثر من نصف مليون نسمة في المناطق المحيطة بالعاصمة.",
        "وأضاف أن المستشفى مجهز بأحدث الأجهزة الطبية ويضم أقساماً للطوارئ والعناية المركزة.",
        "ومن المتوقع أن يبدأ استقبال المرضى مطلع الشهر المقبل بعد استكمال تعيين الكوادر الطبية.",
    ]
    related = "".join(
        f"<li><a href='/n/{i}'>عنوان خبر آخر رقم {i} عن موضوع مختلف تماما</a></li>"
        for i in range(4)
    )
    body = "".join(f"<p>{p}</p>" for p in paras)
    html = (
        "<html lang='ar'><head><meta property='og:type' content='article'>"
        "<title>افتتاح مستشفى جديد</title></head><body><div class='post'>"
        f"<h1>افتتاح مستشفى جديد</h1><div class='txt'>{body}<h3>مواضيع قد تهمك</h3>"
        f"<ul>{related}</ul><div class='x'><span>شارك:</span> <a href='#'>فيسبوك</a>"
        "</div></div></div></body></html>"
    )
    article = extract_article(html.encode(), url="https://example.test/ar/1")
    assert article.text.split("\n") == paras
