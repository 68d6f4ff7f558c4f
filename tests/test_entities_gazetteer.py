"""The shipped gazetteer is what build_gazetteer makes from the installed PyPI data."""

import gzip
import json

from processing.entities import build_gazetteer
from processing.entities.arabic_text import lookup_key
from processing.entities.gazetteer import GAZETTEER_PATH, Gazetteer


def test_shipped_file_is_reproducible(tmp_path):
    out = tmp_path / "g.json.gz"
    build_gazetteer.main(["--out", str(out)])
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(GAZETTEER_PATH.read_bytes())


def test_contents_are_filtered_and_labelled():
    data = json.loads(gzip.decompress(GAZETTEER_PATH.read_bytes()))
    assert data["ar"][lookup_key("الدوحة")][0] == "LOC"
    assert data["ar"][lookup_key("الأمم المتحدة")][0] == "ORG"
    assert data["en"]["Qatar"] == ["LOC", "Qatar"]
    assert "Reading" not in data["en"]  # a city named like a common word is filtered out
    assert all(label in {"LOC", "ORG"} for label, _ in data["ar"].values())


def test_longest_match_wins():
    gaz = Gazetteer({"new york": ["LOC", "New York"], "york": ["LOC", "York"]})
    matches = gaz.match(["in", "new", "york", "and", "york"])
    assert [(m.first, m.last, m.canonical) for m in matches] == [(1, 3, "New York"), (4, 5, "York")]
