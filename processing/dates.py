"""Timestamp parsing: ISO 8601 / RFC 2822 strings and Arabic or English written dates -> UTC.

One parser for every date we read — feed and sitemap entries in the spider, page metadata in
extraction — so a date the crawler used to decide "too old" reads the same in the article.
Kept free of heavy imports: the spider process loads it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_MONTHS = {
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
    # Arabic: Egyptian/Gulf (Gregorian transliterated) and Levantine (Syriac) names
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "اب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10,
    "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12,
}
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"(\d{{1,2}})\s*(?:st|nd|rd|th)?\s+({_MONTH_ALT})\.?,?\s+(\d{{4}})", re.I
)
_MONTH_DAY_YEAR = re.compile(
    rf"({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I
)
_NUMERIC = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")


def _to_utc(value: datetime) -> datetime:
    # A timestamp without an offset is taken as UTC: we cannot know the site's zone.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 or RFC 2822 timestamp as an aware UTC datetime (None if unreadable)."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip().translate(_EASTERN_DIGITS)
    if not value or len(value) > 64:
        return None
    iso = value.replace("Z", "+00:00").replace("z", "+00:00")
    iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)
    iso = re.sub(r"\.(\d{6})\d+", r".\1", iso)
    try:
        parsed = datetime.fromisoformat(iso.replace(" ", "T", 1) if " " in iso[:11] else iso)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        return parse_text_date(value)
    if not 1990 <= parsed.year <= 2100:
        return None
    return _to_utc(parsed)


def parse_text_date(text: str | None) -> datetime | None:
    """A date written in words ("17 أكتوبر 2024", "Oct. 17, 2024") as midnight UTC."""
    if not text:
        return None
    text = text.translate(_EASTERN_DIGITS)[:200]
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        match = pattern.search(text)
        if match:
            a, b, year = match.groups()
            day, month = (a, b) if order == "dmy" else (b, a)
            try:
                return datetime(int(year), _MONTHS[month.lower()], int(day), tzinfo=UTC)
            except (KeyError, ValueError):
                continue
    match = _NUMERIC.search(text)
    if match:
        try:
            year, month, day = (int(g) for g in match.groups())
            return datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            return None
    return None
