"""Cleaning: NFC, whitespace, quotes kept; Arabic normalisation for text_normalized only."""

from __future__ import annotations

import unicodedata

from processing.arabic import normalize_arabic, strip_diacritics
from processing.clean import clean_text, normalize_for_matching, trim_edge_chrome


def test_clean_text_nfc_whitespace_and_quotes_kept():
    decomposed = unicodedata.normalize("NFD", "café")
    raw = f"  {decomposed}\u00a0 said   “hello”\u200b  \r\n\r\n\n  — ‘quoted’ «guillemets»  \n"
    assert clean_text(raw) == "café said “hello”\n— ‘quoted’ «guillemets»"


def test_normalize_arabic_folds_variants():
    assert normalize_arabic("أحمد وإبراهيم وآمنة") == "احمد وابراهيم وامنه"
    assert normalize_arabic("مستشفى") == "مستشفي"
    assert normalize_arabic("مدرسة") == "مدرسه"
    assert normalize_arabic("عـــاجل") == "عاجل"
    assert normalize_arabic("مُحَمَّدٌ") == "محمد"


def test_strip_diacritics_keeps_letters():
    assert strip_diacritics("عُمان") == "عمان"
    assert strip_diacritics("أَحمد") == "أحمد"


def test_normalize_for_matching_by_language():
    assert normalize_for_matching("The ＣＡＴ Straße", "en") == "the cat strasse"
    assert normalize_for_matching("قالت الوزارة", "ar") == "قالت الوزاره"


def test_trim_edge_chrome_only_at_edges():
    middle = "الفقرة الأولى.\nاترك تعليقاً في منتصف النص.\nالفقرة الأخيرة."
    body = f"مقالات ذات صلة\n{middle}\nاترك تعليقاً"
    assert trim_edge_chrome(body) == middle
