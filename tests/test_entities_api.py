"""The public contract of processing.entities.extract_entities."""

import pytest

from processing.entities import LABELS, Entity, extract_entities

EN = "Antony Blinken met officials of the United Nations in Doha on Monday."
AR = "التقى وزير الخارجية أنتوني بلينكن مسؤولين من الأمم المتحدة في الدوحة يوم الاثنين."


@pytest.mark.parametrize(("lang", "text"), [("en", EN), ("ar", AR), ("ar-EG", AR), ("EN", EN)])
def test_offsets_point_at_the_text(lang, text):
    (entities,) = extract_entities([text], lang)
    assert entities, "expected some entities"
    for entity in entities:
        assert isinstance(entity, Entity)
        assert text[entity.start : entity.end] == entity.text
        assert entity.label in LABELS
        assert entity.normalized


def test_one_result_per_text_in_order():
    texts = [EN, "", "Nothing to see here.", EN]
    results = extract_entities(texts, "en")
    assert len(results) == 4
    assert results[1] == []
    assert results[0] == results[3]


def test_labels_are_mapped_and_norp_dropped():
    (entities,) = extract_entities(
        ["Palestinian officials said Emmanuel Macron visited Beirut with Lebanese ministers."],
        "en",
    )
    found = {(e.text, e.label) for e in entities}
    assert ("Emmanuel Macron", "PER") in found
    assert ("Beirut", "LOC") in found
    assert not {t for t, _ in found} & {"Palestinian", "Lebanese"}


def test_unsupported_language_gives_empty_lists():
    assert extract_entities(["Bonjour Paris"], "fr") == [[]]
    assert extract_entities(["x"], None) == [[]]


def test_a_single_string_is_rejected():
    with pytest.raises(TypeError):
        extract_entities(EN, "en")
