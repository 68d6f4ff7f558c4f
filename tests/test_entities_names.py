"""The shipped Arabic person-name list (a CRF feature) is filtered and rebuildable."""

import gzip
import json
import zipfile

from processing.entities import build_names
from processing.entities.arabic_crf import CrfFeatures
from processing.entities.arabic_text import lookup_key
from processing.entities.gazetteer import Gazetteer
from processing.entities.person_names import NAMES_PATH, load_person_names


def test_names_are_coded_and_filtered():
    names = load_person_names()
    assert len(names) > 10_000
    assert names[lookup_key("أبركرومبي")] == "t"  # a transliterated foreign name
    assert lookup_key("فينغر") in names  # (a surname ANERcorp's training part lacks)
    assert lookup_key("الحكومة") not in names
    assert set(names.values()) == {"t"}


def test_name_feature_reaches_the_crf():
    features = CrfFeatures(Gazetteer({}), lambda _: 3.0, names={"فينغر": "t"})
    word = features.word_features("فينغر", "فينغر")
    assert "nm=t" in word and "nmz=t|3" in word
    assert "nm=-" in features.word_features("ذهب", "ذهب")


def test_build_reads_the_wheel_and_filters(tmp_path, monkeypatch):
    wheel = tmp_path / "arabnamer.whl"
    pairs = {"Arsene Wenger": "أرسين فينغر", "X Ray": "X راي", "Mo": "م", "Noor": "نور 2"}
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("arabnamer/data/dict_FINAL.json", json.dumps(pairs, ensure_ascii=False))
    monkeypatch.setattr(build_names, "_wheel", lambda name, wheels: wheel)
    names = build_names.build(tmp_path)["names"]
    # Latin letters, digits and one-letter words are dropped; keys are look-up forms
    assert names == {lookup_key(w): "t" for w in ("أرسين", "فينغر", "راي", "نور")}


def test_shipped_file_is_deterministic_json():
    data = json.loads(gzip.decompress(NAMES_PATH.read_bytes()))
    assert data["sources"] == {"arabnamer": "arabnamer==0.1.3"}
    assert list(data["names"]) == sorted(data["names"])
