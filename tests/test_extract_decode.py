"""Charset handling: HTTP header > <meta> > BOM > detection; wrong declarations survive."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest

from processing.extract import ExtractionError, extract_article
from processing.extract.decode import DecodeError, decode_html

REPO = Path(__file__).resolve().parent.parent
BODY_AR = (
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة بسعة مئتي سرير، "
    "وقال الوزير إن المستشفى سيخدم أكثر من نصف مليون نسمة في المناطق المحيطة. "
)
TITLE_AR = "افتتاح مستشفى جديد في العاصمة"
MORE_AR = [
    "وأضاف الوزير أن المستشفى مجهز بأحدث الأجهزة الطبية ويضم أقساماً للطوارئ والعناية المركزة.",
    "ومن المتوقع أن يبدأ استقبال المرضى مطلع الشهر المقبل بعد استكمال تعيين الكوادر الطبية.",
    "وأشار إلى أن الحكومة تخطط لافتتاح ثلاثة مستشفيات أخرى في المحافظات خلال العامين المقبلين.",
]


def _page(meta_charset: str | None) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={meta_charset}">' if (
        meta_charset
    ) else ""
    paragraphs = f"<p>{BODY_AR}</p>" + "".join(f"<p>{p}</p>" for p in MORE_AR)
    return (
        f'<html lang="ar" dir="rtl"><head>{meta}<title>{TITLE_AR}</title>'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-10-17T09:00:00+03:00">'
        f"</head><body><article><h1>{TITLE_AR}</h1>{paragraphs}</article></body></html>"
    )


def test_windows_1256_charset_in_http_header_only():
    data = _page(None).encode("windows-1256")
    header = "text/html; charset=windows-1256"
    article = extract_article(data, url="http://x/a", content_type=header)
    assert article.title == TITLE_AR
    assert BODY_AR.strip() in article.text


def test_windows_1256_charset_in_meta_only():
    data = _page("windows-1256").encode("windows-1256")
    article = extract_article(data, url="http://x/a")
    assert article.title == TITLE_AR
    assert "وزارة الصحة" in article.text


def test_windows_1256_undeclared_is_detected():
    text, codec = decode_html(_page(None).encode("windows-1256"))
    assert TITLE_AR in text
    assert codec in {"cp1256", "iso8859-6"}


def test_iso_8859_6_in_meta():
    # ISO-8859-6 has no curly quotes or tatweel-free problems: plain Arabic letters only.
    data = _page("iso-8859-6").encode("iso-8859-6")
    text, codec = decode_html(data)
    assert codec == "iso8859-6"
    assert TITLE_AR in text


def test_wrong_header_charset_latin1_for_arabic_page():
    data = _page("windows-1256").encode("windows-1256")
    text, _ = decode_html(data, "text/html; charset=ISO-8859-1")
    assert TITLE_AR in text


def test_wrong_meta_charset_for_utf8_page():
    data = _page("windows-1256").encode("utf-8")
    text, codec = decode_html(data)
    assert codec == "utf-8"
    assert TITLE_AR in text


def test_header_beats_meta_when_both_fit():
    # Latin text valid in both: the HTTP header wins over the <meta> declaration.
    data = '<html><head><meta charset="iso-8859-15"></head><body>caf\xe9 \xa4</body></html>'.encode(
        "cp1252"
    )
    text, codec = decode_html(data, "text/html; charset=windows-1252")
    assert codec == "cp1252"
    assert "café" in text


def test_utf8_bom_without_declaration():
    data = codecs.BOM_UTF8 + _page(None).encode("utf-8")
    text, codec = decode_html(data)
    assert codec == "utf-8"
    assert text.startswith("<html")


def test_utf16_with_bom():
    data = codecs.BOM_UTF16_LE + _page(None).encode("utf-16-le")
    text, _ = decode_html(data)
    assert TITLE_AR in text


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02PK\x03\x04" + bytes(range(256)) * 8])
def test_binary_or_empty_is_decode_failed(data: bytes):
    with pytest.raises(DecodeError):
        decode_html(data)
    with pytest.raises(ExtractionError) as info:
        extract_article(data, url="http://x/bin")
    assert info.value.reason == "decode_failed"


@pytest.mark.parametrize("declared", ["header", "meta"])
def test_cli_extract_windows_1256(tmp_path: Path, declared: str):
    path = tmp_path / "page.html"
    meta = "windows-1256" if declared == "meta" else None
    path.write_bytes(_page(meta).encode("windows-1256"))
    command = [sys.executable, "-m", "processing", "extract", str(path), "--url", "http://x/a"]
    if declared == "header":
        command += ["--content-type", "text/html; charset=windows-1256"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["title"] == TITLE_AR
    assert "وزارة الصحة" in record["text"]


@pytest.mark.parametrize(
    ("actual", "declared"),
    [("iso-8859-6", None), ("iso-8859-6", "windows-1256"), ("windows-1256", "iso-8859-6")],
)
def test_arabic_code_pages_told_apart(actual: str, declared: str | None):
    text, codec = decode_html(_page(declared).encode(actual))
    assert TITLE_AR in text
    assert codec == codecs.lookup(actual).name
