"""Corpus conversion and scoring used by train_ar and bench/ner.py, and the shipped model card."""

import importlib.util
import json
import re

import pytest

from processing.entities.arabic import MODEL_DIR, ArabicPipeline
from processing.entities.arabic_crf import LEXICON_FILE, WEIGHTS_FILE, bio_to_spans, build_lexicon
from processing.entities.arabic_text import Piece
from processing.entities.crf_decode import CrfWeights
from processing.entities.entity import Entity
from processing.entities.evaluation import (
    gold_spans,
    predicted_spans,
    read_conll,
    score,
    sentence_text,
)
from processing.entities.train_ar import (
    DEFAULT_CONFIG,
    DEFAULT_DATA,
    REPO_ROOT,
    piece_tags,
    repair_bio,
    train_crf,
)


def test_clitic_leaves_the_entity():
    pieces = [Piece("و", "و", 0, 1), Piece("قطر", "قطر", 1, 4)]
    assert piece_tags(pieces, "B-LOC") == ["O", "B-LOC"]
    assert piece_tags(pieces, "I-LOC") == ["I-LOC", "I-LOC"]
    assert piece_tags(pieces, "B-MISC") == ["O", "O"]
    assert piece_tags(pieces, "B-PERS") == ["O", "B-PER"]


def test_repair_bio_opens_dangling_inside_tags():
    assert repair_bio(["O", "I-ORG", "I-ORG", "I-LOC"]) == ["O", "B-ORG", "I-ORG", "B-LOC"]


def test_gold_spans_seqeval_style():
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "B-MISC", "B-ORG", "I-LOC"]
    assert gold_spans(tags) == {(0, 2, "PER"), (3, 4, "LOC"), (5, 6, "ORG"), (6, 7, "LOC")}


def test_character_spans_score_on_corpus_tokens():
    sentence = [("زار", "O"), ("وقطر", "B-LOC"), ("أمس", "O")]
    text, offsets = sentence_text(sentence)
    start = text.index("قطر")
    entity = Entity("قطر", "قطر", "LOC", start, start + 3)
    assert predicted_spans([entity], offsets) == {(1, 2, "LOC")}
    perfect = score([sentence], lambda texts: [[entity]])
    assert perfect.overall["f1"] == 1.0
    wrong = score([sentence], lambda texts: [[Entity("قطر", "قطر", "ORG", start, start + 3)]])
    assert wrong.overall["f1"] == 0.0


@pytest.mark.skipif(not (DEFAULT_DATA / "dev.txt").exists(), reason="shared ANERcorp not mounted")
def test_shipped_model_matches_its_recorded_dev_score():
    recorded = json.loads((MODEL_DIR / "scores.json").read_text())
    dev = score(read_conll(DEFAULT_DATA / "dev.txt"), ArabicPipeline().extract)
    assert abs(dev.overall["f1"] - recorded["shipped_dev_f1"]) <= 0.01


def test_shipped_model_is_the_crf_with_its_card():
    labels = set(CrfWeights.load(MODEL_DIR / WEIGHTS_FILE).labels)
    assert {"B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "O"} == labels
    recorded = json.loads((MODEL_DIR / "scores.json").read_text())
    assert recorded["model"] == "crf"
    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in card and "Benajiba" in card and "Obeid" in card
    assert f"{recorded['dev_f1']:.3f}" in card  # the card states the recorded dev score


def test_crf_reads_bio_like_seqeval():
    assert bio_to_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC"]) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "ORG"),
        (5, 6, "LOC"),
    ]


def test_lexicon_keeps_the_majority_label():
    pieces = [Piece("قطر", "قطر", 0, 3), Piece("امس", "أمس", 4, 7)]
    data = [(pieces, ["B-LOC", "O"]), (pieces, ["B-ORG", "O"]), (pieces, ["B-LOC", "O"])]
    assert build_lexicon(data) == {"قطر": "LOC"}
    assert build_lexicon([(pieces, ["B-LOC", "O"]), (pieces, ["O", "O"])]) == {"قطر": "amb"}


@pytest.mark.skipif(not (DEFAULT_DATA / "train.txt").exists(), reason="shared ANERcorp not mounted")
def test_training_is_deterministic(tmp_path):
    """The same files whether the members are fit one after another or two at once."""
    runs = []
    for name, jobs in (("a", 1), ("b", 2)):
        out = tmp_path / name
        result = train_crf(
            DEFAULT_DATA, out, DEFAULT_CONFIG, log=lambda _: None, max_sentences=60, jobs=jobs
        )
        runs.append(
            (result["dev_f1"], (out / WEIGHTS_FILE).read_bytes(), (out / LEXICON_FILE).read_text())
        )
    assert runs[0] == runs[1]
    assert runs[0][0] > 0.0  # 60 sentences already find some entities on dev


@pytest.mark.skipif(not (DEFAULT_DATA / "train.txt").exists(), reason="shared ANERcorp not mounted")
def test_refit_ships_a_model_fit_on_train_and_dev(tmp_path):
    """dev_f1 stays the held-out score; the shipped files come from the train + dev refit."""
    configs = {}
    for flag in ("false", "true"):
        text = DEFAULT_CONFIG.read_text()
        assert text.count("\nrefit_with_dev = ") == 1
        configs[flag] = tmp_path / f"refit-{flag}.cfg"
        configs[flag].write_text(
            re.sub(r"\nrefit_with_dev = \w+", f"\nrefit_with_dev = {flag}", text)
        )
    kept, refit = (
        train_crf(DEFAULT_DATA, tmp_path / d, configs[f], log=lambda _: None, max_sentences=40)
        for d, f in (("a", "false"), ("b", "true"))
    )
    assert kept["refit_with_dev"] is None and refit["refit_with_dev"]["sentences"] == 80
    assert refit["dev_f1"] == kept["dev_f1"]  # same held-out fit either way
    assert kept["shipped_dev_f1"] == kept["dev_f1"]
    assert refit["shipped_dev_f1"] > kept["dev_f1"]  # the shipped model has seen dev
    shipped = [(tmp_path / d / WEIGHTS_FILE).read_bytes() for d in ("a", "b")]
    assert shipped[0] != shipped[1]


def test_cross_validation_folds_tile_the_corpus_in_order():
    spec = importlib.util.spec_from_file_location("ner_cv", REPO_ROOT / "bench" / "ner_cv.py")
    ner_cv = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ner_cv)
    sentences = [f"s{i}" for i in range(10)]
    folds = ner_cv.contiguous_folds(sentences, 3)
    assert [held for _, held in folds] == [sentences[:3], sentences[3:7], sentences[7:]]
    for training, held in folds:
        assert sorted(training + held) == sorted(sentences) and not set(training) & set(held)
