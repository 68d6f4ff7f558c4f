"""Arabic text normalisation for search and matching (``text_normalized``).

The stored ``text`` keeps the letters as written; this normalised form unifies the spelling
variants that writers and keyboards use interchangeably, so that matching and de-duplication
see the same word whichever variant a site used.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, tanwin, shadda, sukun, superscript alef and Quranic marks: optional in running text.
_DIACRITICS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]"
)
_TATWEEL = "\u0640"
_LETTER_MAP = str.maketrans(
    {
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u06cc": "\u064a",  # Farsi yeh -> ي
        "\u06a9": "\u0643",  # keheh -> ك
    }
)


def strip_diacritics(text: str) -> str:
    """Remove harakat/tanwin/shadda and tatweel; letters are kept as written."""
    return _DIACRITICS.sub("", text).replace(_TATWEEL, "")


def normalize_arabic(text: str) -> str:
    """Search form of Arabic text: no tatweel or diacritics, alef/yeh/teh-marbuta unified."""
    text = unicodedata.normalize("NFC", text)
    return strip_diacritics(text).translate(_LETTER_MAP)
