"""De-duplication: exact content hash, near-duplicate MinHash/LSH, history from earlier days."""

from __future__ import annotations

from processing.clean import normalize_for_matching
from processing.dedup import DedupIndex, content_hash

STORY = [
    "The regional council approved the new water plan on Tuesday after months of hearings.",
    "Officials said construction of the desalination plant would begin next spring.",
    "The plant is expected to supply three hundred million cubic metres a year.",
    "Opposition members argued that the cost estimates were too optimistic.",
    "The mayor said the city would seek additional funding from international lenders.",
    "Residents have faced water rationing for three consecutive summers.",
    "Engineers will also repair leaking mains that lose a third of the supply.",
    "A final vote on the financing package is scheduled for next month.",
]
OTHER = [
    "The national football team won its qualifier four goals to nil on Saturday night.",
    "The striker opened the scoring after twelve minutes with a header from a corner.",
    "The coach praised the defence, which has not conceded in five matches.",
    "The team now leads its group with twelve points and has qualified for the finals.",
]


def _norm(paragraphs: list[str]) -> str:
    return normalize_for_matching("\n".join(paragraphs), "en")


def test_content_hash_ignores_punctuation_and_spacing():
    assert content_hash("a, b  c.") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b d")


def test_exact_duplicate_matches_earlier_id():
    index = DedupIndex()
    index.add("a1", _norm(STORY))
    assert index.match("a2", _norm(STORY)) == "a1"
    assert index.match("a1", _norm(STORY)) is None  # an article is not its own duplicate


def test_near_duplicate_with_one_changed_sentence():
    changed = list(STORY)
    changed[3] = "Critics in the opposition called the budget figures unrealistic and vague."
    index = DedupIndex()
    index.add("first", _norm(STORY))
    assert content_hash(_norm(changed)) != content_hash(_norm(STORY))
    assert index.match("second", _norm(changed)) == "first"


def test_different_story_is_not_flagged():
    index = DedupIndex()
    index.add("first", _norm(STORY))
    assert index.match("other", _norm(OTHER)) is None


def test_history_hashes_from_earlier_days():
    index = DedupIndex()
    index.add_hash("yesterday-id", content_hash(_norm(STORY)))
    assert index.match("today-id", _norm(STORY)) == "yesterday-id"
    assert index.match("today-other", _norm(OTHER)) is None


def test_check_and_add_one_pass():
    index = DedupIndex()
    assert index.check_and_add("a", _norm(STORY)) is None
    assert index.check_and_add("b", _norm(OTHER)) is None
    assert index.check_and_add("c", _norm(STORY)) == "a"
    assert len(index) == 2


def test_arabic_near_duplicate():
    base = [
        "أعلنت وزارة المياه عن توقيع اتفاقية لتنفيذ مشروع الناقل الوطني لتحلية المياه.",
        "ويهدف المشروع إلى تحلية ثلاثمئة مليون متر مكعب سنوياً من مياه البحر في العقبة.",
        "وقال الوزير إن المشروع سيسهم في سد جزء كبير من العجز المائي المتزايد في المملكة.",
        "وتبلغ الكلفة التقديرية للمشروع نحو ثلاثة مليارات دولار بتمويل من مؤسسات دولية.",
        "ومن المتوقع أن يبدأ الضخ التجريبي خلال خمس سنوات من بدء أعمال البناء.",
    ]
    variant = list(base)
    variant[0] = "وقّعت وزارة المياه اتفاقية تنفيذ مشروع الناقل الوطني لتحلية المياه ونقلها."
    index = DedupIndex()
    index.add("ar1", normalize_for_matching("\n".join(base), "ar"))
    assert index.match("ar2", normalize_for_matching("\n".join(variant), "ar")) == "ar1"


def test_match_and_add_registers_duplicates_too():
    index = DedupIndex()
    assert index.match_and_add("a", _norm(STORY)) == (content_hash(_norm(STORY)), None)
    digest, earlier = index.match_and_add("b", _norm(STORY))
    assert (digest, earlier) == (content_hash(_norm(STORY)), "a")
    assert index.match_and_add("c", _norm(OTHER))[1] is None
    assert len(index) == 2  # two distinct texts; "b" is kept as a duplicate of "a"
