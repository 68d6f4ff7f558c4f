"""Names after titles: "الرئيس قيس سعيد", "وزير الخارجية الأمريكي أنتوني بلينكن".

Most person names the model misses are names it never saw; in Arabic news almost every first
mention of a person follows a title or function, optionally qualified by definite adjectives
(الخارجية, الأمريكي). The words after them, up to punctuation or a common word, are the name.
The title words are ordinary Arabic vocabulary (not names), folded like model tokens.
"""

from __future__ import annotations

from collections.abc import Callable

from processing.entities.arabic_text import Piece, fold


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


TITLES = _folded(
    """
    الرئيس الرئيسة رئيس رئيسة وزير وزيرة الوزير الوزيرة نائب النائب المدرب مدرب اللاعب لاعب
    النجم السيد السيدة الشيخ الشيخة الأمير الأميرة الملك الملكة العاهل الدكتور الدكتورة
    الفنان الفنانة المستشار المستشارة السفير السفيرة الجنرال العقيد اللواء العميد المشير
    البابا الإمام المتحدث الناطق المدير مدير المديرة الأمين القاضي المحامي الكاتب الكاتبة
    الصحفي الصحفية المخرج الممثل الممثلة المطرب المطربة الحارس المدافع المهاجم الروائي
    الزعيم زعيم قائد القائد المرشح المرشحة الأستاذ الأستاذة البروفيسور المفوض المبعوث
    نظيره نظيرته
    """
)
# Words that continue a title phrase without being part of the name.
_TITLE_CONTINUATIONS = _folded("الوزراء الحكومة الدولة الجمهورية العام العامة باسم السابق السابقة")
NAME_PARTICLES = _folded("عبد أبو ابو بن بنت آل ولد")
MAX_TITLE_MODIFIERS = 4
# Checked on ANERcorp dev: after a title, Arabic news also puts ordinary nouns in construct
# (رئيس مجلس الإدارة, وزير خارجية إسرائيل), so only rare words count as name words here.
FIRST_NAME_MAX_ZIPF = 4.5  # a lone first word more common than this is a word, not a name
COMMON_FIRST_NAME_MAX_ZIPF = 4.5  # (محمد, علي are left to the model)
SECOND_MAX_ZIPF = 4.5
DEFINITE_SURNAME_MAX_ZIPF = 4.5
LATER_MAX_ZIPF = 3.0  # a third name word must be rare (غيبريسوس), else the name has ended


def _is_word(piece: Piece) -> bool:
    return piece.word.isalpha() and len(piece.word) > 1


def _definite(piece: Piece) -> bool:
    return piece.source.startswith("ال")  # source, not folded word: ألكسندر is not definite


def _is_clitic_of_next(pieces: list[Piece], i: int) -> bool:
    return len(pieces[i].word) == 1 and i + 1 < len(pieces) and pieces[i + 1].start == pieces[i].end


def _name_end(pieces: list[Piece], start: int, zipf: Callable[[str], float]) -> int:
    """End of the name starting at `start` (== start when there is none)."""
    j, k, n = start, 0, len(pieces)  # k counts name words (particles excluded)
    while j < n and _is_word(pieces[j]) and pieces[j].word not in TITLES:
        piece = pieces[j]
        if j > start and pieces[j - 1].end == piece.start:
            break  # a clitic glued to this word (وX): a new phrase starts
        if piece.word in NAME_PARTICLES:
            j += 1
            continue
        after_particle = j > start and pieces[j - 1].word in NAME_PARTICLES
        frequency = zipf(piece.source)
        if after_particle:
            ok = True
        elif k == 0:
            ok = not _definite(piece) and frequency <= COMMON_FIRST_NAME_MAX_ZIPF
        elif _definite(piece):
            ok = k == 1 and frequency <= DEFINITE_SURNAME_MAX_ZIPF
        elif k == 1:
            ok = frequency <= SECOND_MAX_ZIPF
        else:
            ok = frequency < LATER_MAX_ZIPF
        if not ok:
            break
        j += 1
        k += 1
    while j > start and pieces[j - 1].word in NAME_PARTICLES:
        j -= 1
    names = [p for p in pieces[start:j] if p.word not in NAME_PARTICLES]
    if len(names) == 1 and zipf(names[0].source) > FIRST_NAME_MAX_ZIPF:
        return start  # a lone common word after a title ("الرئيس قال")
    return j


def titled_names(pieces: list[Piece], zipf: Callable[[str], float]) -> list[tuple[int, int]]:
    """(first, last) piece ranges of names that follow a title."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(pieces)
    while i < n:
        if pieces[i].word not in TITLES:
            i += 1
            continue
        j, skipped = i + 1, 0
        while j < n and skipped < MAX_TITLE_MODIFIERS:
            if _is_clitic_of_next(pieces, j):
                j += 1  # للمنظمة = ل + المنظمة: "العام للمنظمة" qualifies the title
                continue
            if not _is_word(pieces[j]) or not (
                _definite(pieces[j]) or pieces[j].word in _TITLE_CONTINUATIONS
            ):
                break
            j += 1
            skipped += 1
        end = _name_end(pieces, j, zipf)
        if end > j:
            spans.append((j, end))
            i = end
        else:
            i += 1
    return spans
