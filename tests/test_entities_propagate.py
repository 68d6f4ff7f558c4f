"""Within-document propagation of full names to bare surnames."""

from processing.entities import extract_entities
from processing.entities.entity import Entity
from processing.entities.propagate import propagate


def _tokens(text: str) -> list[tuple[str, int, int]]:
    out, pos = [], 0
    for word in text.split(" "):
        out.append((word, pos, pos + len(word)))
        pos += len(word) + 1
    return out


def test_bare_surname_gets_label_and_full_name():
    text = "Antony Blinken arrived . Later Blinken left and Blinken returned"
    full = Entity("Antony Blinken", "Antony Blinken", "PER", 0, 14)
    wrong = Entity("Blinken", "Blinken", "ORG", 31, 38)  # model mislabelled this one
    out = propagate(text, [full, wrong], _tokens(text))
    bare = [e for e in out if e.text == "Blinken"]
    assert [(e.start, e.label, e.normalized) for e in bare] == [
        (31, "PER", "Antony Blinken"),
        (48, "PER", "Antony Blinken"),  # missed by the model, added
    ]
    assert all(text[e.start : e.end] == e.text for e in out)


def test_shared_surname_is_left_alone():
    text = "Joe Smith and Ann Smith met ; Smith spoke"
    ents = [
        Entity("Joe Smith", "Joe Smith", "PER", 0, 9),
        Entity("Ann Smith", "Ann Smith", "PER", 14, 23),
    ]
    out = propagate(text, ents, _tokens(text))
    assert [e.text for e in out] == ["Joe Smith", "Ann Smith"]


def test_english_article():
    text = (
        "Italian Prime Minister Giorgia Meloni visited Tunis on Monday. "
        "In the afternoon Meloni met union leaders."
    )
    (entities,) = extract_entities([text], "en")
    bare = [e for e in entities if e.text == "Meloni"]
    assert bare and bare[0].normalized == "Giorgia Meloni" and bare[0].label == "PER"


def test_arabic_article_with_clitic():
    text = (
        "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى الدوحة يوم الثلاثاء. "
        "وقال بلينكن إن المحادثات كانت مثمرة، ثم غادر وبلينكن يأمل في اتفاق."
    )
    (entities,) = extract_entities([text], "ar")
    bare = [e for e in entities if e.text == "بلينكن"]
    assert len(bare) == 2, entities
    assert {(e.label, e.normalized) for e in bare} == {("PER", "أنتوني بلينكن")}
    assert all(text[e.start : e.end] == e.text for e in entities)
