"""Language of the body text: py3langid (offline model); the page's lang attribute is a hint."""

from __future__ import annotations

import re

_ARABIC = re.compile("[\u0600-\u06ff]")
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
        # py3langid mixes up ar/fa/ur on short texts; the hint decides between them.
        return hint if hint in {"fa", "ur", "ps", "ku"} else "ar"
    if letters < 40 and hint:
        return hint
    lang, prob = _classifier().classify(sample)
    if hint and prob < 0.5:
        return hint
    return lang
