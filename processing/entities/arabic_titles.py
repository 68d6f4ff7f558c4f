"""Names after titles: "الرئيس قيس سعيد", "وزير الخارجية الأمريكي أنتوني بلينكن".

Most person names the model misses are names it never saw; in Arabic news almost every first
mention of a person follows a title or function, optionally qualified by definite adjectives
(الخارجية, الأمريكي). The words after them, up to punctuation or a common word, are the name.
The title words are ordinary Arabic vocabulary (not names), folded like model tokens.
"""

from __future__ import annotations

from collections.abc import Callable

from processing.entities.arabic_text import Piece, fold

TITLES = frozenset(
    fold(w)
    for w in """
    الرئيس الرئيسة رئيس رئيسة وزير وزيرة الوزير الوزيرة نائب النائب المدرب مدرب اللاعب لاعب
    النجم السيد السيدة الشيخ الشيخة الأمير الأميرة الملك الملكة العاهل الدكتور الدكتورة
    الفنان الفنانة المستشار المستشارة السفير السفيرة الجنرال العقيد اللواء العميد المشير
    البابا الإمام المتحدث الناطق المدير مدير المديرة الأمين القاضي المحامي الكاتب الكاتبة
    الصحفي الصحفية المخرج الممثل الممثلة المطرب المطربة الحارس المدافع المهاجم الروائي
    الزعيم زعيم قائد القائد المرشح المرشحة الأستاذ الأستاذة البروفيسور المفوض المبعوث
    نظيره نظيرته أمينة المعرض المحلل
    """.split()
)
# Words that continue a title phrase without being part of the name.
_TITLE_CONTINUATIONS = frozenset(
    fold(w) for w in "الوزراء الحكومة الدولة الجمهورية العام العامة باسم السابق السابقة".split()
)
NAME_PARTICLES = frozenset(fold(w) for w in "عبد أبو ابو بن بنت آل ولد".split())
MAX_NAME_TOKENS = 5
MAX_TITLE_MODIFIERS = 4
FIRST_NAME_MAX_ZIPF = 5.0  # a first word more common than this is a word, not a name
LATER_MAX_ZIPF = 5.4
DEFINITE_SURNAME_MAX_ZIPF = 4.7  # السيسي yes, الخميس no


def _is_word(piece: Piece) -> bool:
    return piece.word.isalpha() and len(piece.word) > 1


def titled_names(
    pieces: list[Piece], zipf: Callable[[str], float]
) -> list[tuple[int, int]]:
    """(first, last) piece ranges of names that follow a title."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(pieces)
    while i < n:
        if pieces[i].word not in TITLES:
            i += 1
            continue
        j = i + 1
        skipped = 0
        while (
            j < n
            and skipped < MAX_TITLE_MODIFIERS
            and _is_word(pieces[j])
            and (pieces[j].word.startswith("ال") or pieces[j].word in _TITLE_CONTINUATIONS)
            and pieces[j].word not in NAME_PARTICLES
        ):
            j += 1
            skipped += 1
        start = j
        while j < n and j - start < MAX_NAME_TOKENS and _is_word(pieces[j]):
            word = pieces[j]
            if pieces[j].word in TITLES:
                break
            if j > start and pieces[j - 1].end == word.start:
                break  # a clitic glued to the next word: و starts a new phrase
            frequency = zipf(word.source)
            after_particle = j > start and pieces[j - 1].word in NAME_PARTICLES
            if word.word in NAME_PARTICLES:
                j += 1
                continue
            if j == start:
                if word.word.startswith("ال") or frequency > FIRST_NAME_MAX_ZIPF:
                    break
            elif word.word.startswith("ال") and not after_particle:
                if frequency > DEFINITE_SURNAME_MAX_ZIPF:
                    break
            elif frequency > LATER_MAX_ZIPF and not after_particle:
                break
            j += 1
        while j > start and pieces[j - 1].word in NAME_PARTICLES:
            j -= 1
        if j > start:
            spans.append((start, j))
            i = j
        else:
            i += 1
    return spans
