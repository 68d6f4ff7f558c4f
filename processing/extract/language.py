"""Language of the body text: py3langid (offline model); the page's lang attribute is a hint."""

from __future__ import annotations

import re

_ARABIC = re.compile("[\u0600-\u06ff]")
_PERSIAN_ONLY = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
_URDU_ONLY = re.compile("[\u0679\u0688\u0691\u06ba\u06d2\u06be]")  # ٹ ڈ ڑ ں ے ھ
_identifier = None


def _classifier():
    global _identifier
    if _identifier is None:
        from py3langid.langid import _load_identifier

        _identifier = _load_identifier(norm_probs=True)
    return _identifier


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code. Short texts fall back on the hint; Arabic script is decided directly."""
    sample = text[:700]
    letters = sum(1 for c in sample if c.isalpha())
    if letters == 0:
        return hint
    arabic = len(_ARABIC.findall(sample))
    if arabic / letters > 0.6:
        # py3langid mixes up ar/fa/ur on short texts: letters Arabic does not use decide.
        if len(_URDU_ONLY.findall(sample)) > 0.02 * arabic:
            return "ur"
        if len(_PERSIAN_ONLY.findall(sample)) > 0.02 * arabic:
            return "fa"
        return hint if hint in {"fa", "ur", "ps", "ku"} else "ar"
    if letters < 40 and hint:
        return hint
    lang, prob = _classifier().classify(sample)
    if hint and prob < 0.5:
        return hint
    return lang
