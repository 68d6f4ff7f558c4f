"""Arabic proclitics: names are found inside وقطر / بالدوحة / ولروسيا, without the clitic."""

import pytest

from processing.entities import extract_entities
from processing.entities.arabic_text import CliticSplitter, default_frequencies, fold
from processing.entities.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def splitter():
    return CliticSplitter(default_frequencies(), load_gazetteer("ar").single_word_keys)


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("وقطر", ["و", "قطر"]),
        ("بالدوحة", ["ب", "الدوحة"]),
        ("ولروسيا", ["و", "ل", "روسيا"]),
        ("للأمم", ["ل", "الأمم"]),
        ("بايدن", ["بايدن"]),
        ("لبنان", ["لبنان"]),
        ("وليد", ["وليد"]),
        ("كوفي", ["كوفي"]),
    ],
)
def test_splitter_keeps_names_whole(splitter, word, pieces):
    assert [p[0] for p in splitter.split(word)] == pieces


def test_fold_keeps_length():
    text = "أإآى"
    assert fold(text) == "اااي" and len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("sentence", "surface", "normalized"),
    [
        ("وصل الوفد أمس إلى العاصمة وقطر هي المحطة التالية.", "قطر", "قطر"),
        ("عقد الاجتماع بالدوحة يوم الأحد.", "الدوحة", "الدوحة"),
        ("قالت الحكومة إن لتركيا ولروسيا مصالح مشتركة.", "روسيا", "روسيا"),
        (
            "ألقى كلمة أمام الجمعية العامة للأمم المتحدة في نيويورك.",
            "لأمم المتحدة",
            "الأمم المتحدة",
        ),
    ],
)
def test_clitic_prefixed_mentions(sentence, surface, normalized):
    (entities,) = extract_entities([sentence], "ar")
    hits = [e for e in entities if e.text == surface]
    assert hits, entities
    entity = hits[0]
    assert sentence[entity.start : entity.end] == surface
    assert entity.normalized == normalized
    assert sentence[entity.start - 1] in "وبل"  # the clitic is just outside the span
