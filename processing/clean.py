"""Unicode and whitespace cleaning of extracted text, plus a last-line-of-defence trim.

Boilerplate is removed structurally in ``processing.extract.body`` (by what a block *is*:
forms, share bars, related-link lists...). What reaches this module is text; here we only
normalise it and drop chrome lines that survived at the edges of the body.
"""

from __future__ import annotations

import re
import unicodedata

from processing.arabic import normalize_arabic

# Invisible characters that carry no meaning in stored text (ZWNJ/ZWJ are kept: they shape
# letters in Persian/Urdu and emoji sequences).
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_HSPACE = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{2,}")

# Chrome lines typical of news themes. Used only at the END (or START) of a body, where
# structural pruning may have left a stray heading behind; never to cut inside the text.
_EDGE_CHROME = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(مقالات|أخبار|اخبار|مواضيع|موضوعات|قد يعجبك|اقرأ|إقرأ|شاهد) "
        r"(ذات صلة|أيضا|أيضاً|ايضا|المزيد|متعلقة|مشابهة)\s*[:：]?$",
        r"^(اترك|أضف|اكتب) تعليق[اً]{0,2}\s*$|^التعليقات\s*$|^تعليقات\s*$",
        r"^لن يتم نشر عنوان بريدك الإلكتروني",
        r"^الحقول الإلزامية مشار إليها",
        r"^زر الذهاب إلى الأعلى\s*$|^العودة إلى الأعلى\s*$",
        r"^شارك(ها)?\s*(على|عبر)?\s*[:：]?$|^مشاركة\s*[:：]?$",
        r"^(related|more) (articles|stories|news|from)\b.{0,40}$",
        r"^(read|see) (more|also)\s*[:：]?$",
        r"^(leave a (reply|comment)|comments?)\s*$",
        r"^your email address will not be published",
        r"^required fields are marked",
        r"^(share|share this( article| story)?|follow us)\s*[:：]?$",
        r"^(back to top|scroll to top)\s*$",
        r"^(advertisement|sponsored|\u0625\u0639\u0644\u0627\u0646)\s*$",
    )
]


def clean_text(text: str) -> str:
    """NFC, invisible characters dropped, spaces collapsed per line, one newline per paragraph.

    Quotes, dashes and digits are kept as the site wrote them.
    """
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [_HSPACE.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    return _MANY_NEWLINES.sub("\n", text).strip()


def is_chrome_line(line: str) -> bool:
    """A line that is page chrome whatever the page (a related-links heading, a form notice)."""
    line = line.strip()
    return len(line) < 120 and any(p.search(line) for p in _EDGE_CHROME)


def trim_edge_chrome(text: str) -> str:
    """Drop chrome lines left at the start or end of a body; the middle is never touched."""
    lines = text.split("\n")
    while lines and is_chrome_line(lines[-1]):
        lines.pop()
    while lines and is_chrome_line(lines[0]):
        lines.pop(0)
    return "\n".join(lines)


def normalize_for_matching(text: str, language: str | None) -> str:
    """``text_normalized``: Arabic folded with ``normalize_arabic``, others NFKC + casefold."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if language == "ar" or re.search("[\u0600-\u06ff]", text[:2000]):
        folded = normalize_arabic(folded)
    return folded
