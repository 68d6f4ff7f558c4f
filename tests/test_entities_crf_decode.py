"""The numpy CRF decoder gives crfsuite's own tags and marginals (crf_decode, CrfTagger)."""

import random

import numpy as np
import pycrfsuite
import pytest

from processing.entities.arabic import ArabicPipeline
from processing.entities.arabic_crf import CRF_FILE, CrfFeatures, CrfTagger, bio_to_spans, train_crf
from processing.entities.crf_decode import CrfWeights, marginals, viterbi
from processing.entities.evaluation import read_conll, sentence_text
from processing.entities.name_lists import load_full_names, load_name_codes
from processing.entities.train_ar import DEFAULT_DATA, tag_sentences


def _crfsuite_view(tagger: pycrfsuite.Tagger, xseq, labels):
    tags = tagger.tag(xseq)
    probs = np.array([[tagger.marginal(label, i) for label in labels] for i in range(len(xseq))])
    return tags, probs


def _toy_crf(path, seed: int):
    """A small model whose transitions matter (I-X only after B-X or I-X)."""
    rng = random.Random(seed)
    trainer = pycrfsuite.Trainer(verbose=False)
    vocabulary = [f"w{i}" for i in range(30)]
    for _ in range(300):
        xseq, yseq = [], []
        for _ in range(rng.randint(1, 12)):
            word = rng.choice(vocabulary)
            number = int(word[1:])
            tag = "O" if number < 15 else ("B-X" if number < 25 else "B-Y")
            if tag != "O" and yseq and yseq[-1][2:] == tag[2:] and rng.random() < 0.5:
                tag = "I-" + tag[2:]
            xseq.append([f"w={word}", f"odd={number % 2}", f"-1={xseq[-1][0] if xseq else '^'}"])
            yseq.append(tag)
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 60})
    trainer.train(str(path))
    return path, rng


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory):
    return _toy_crf(tmp_path_factory.mktemp("toy") / "toy.crf", 3)


def _emissions(weights: CrfWeights, xseq) -> np.ndarray:
    """Per item, the sum of its attributes' state weights (what crfsuite scores)."""
    known = weights.attributes
    return np.array(
        [weights.state[[known[a] for a in item if a in known]].sum(axis=0) for item in xseq]
    )


def test_toy_model_decodes_like_crfsuite_in_batches_of_any_length(toy_model):
    path, rng = toy_model
    weights = CrfWeights.from_crfsuite(path)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    words = [f"w{i}" for i in range(32)]  # w30, w31 never seen in training
    docs = []
    for length in [1, 2, 7, 1, 15, 40, 3]:
        seq = [rng.choice(words) for _ in range(length)]
        docs.append(
            [
                [f"w={w}", f"odd={int(w[1:]) % 2}", f"-1={seq[i - 1] if i else '^'}"]
                for i, w in enumerate(seq)
            ]
        )
    emissions = [_emissions(weights, x) for x in docs]
    paths = viterbi(emissions, weights.transition)
    probs = marginals(emissions, weights.transition)
    for xseq, path_, prob in zip(docs, paths, probs, strict=True):
        tags, expected = _crfsuite_view(tagger, xseq, weights.labels)
        assert [weights.labels[k] for k in path_] == tags
        np.testing.assert_allclose(prob, expected, atol=1e-5)
        np.testing.assert_allclose(prob.sum(axis=1), 1.0, atol=1e-9)
    # one document alone decodes as it does inside the padded batch
    assert viterbi(emissions[5:6], weights.transition) == paths[5:6]


def test_transitions_are_used(toy_model):
    """Without its transition weights the decoder would differ from crfsuite somewhere."""
    path, rng = toy_model
    weights = CrfWeights.from_crfsuite(path)
    assert np.abs(weights.transition).sum() > 0
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    docs = [[[f"w=w{rng.randrange(30)}"] for _ in range(rng.randint(2, 10))] for _ in range(200)]
    emissions = [_emissions(weights, x) for x in docs]
    without = viterbi(emissions, np.zeros_like(weights.transition))
    expected = [tagger.tag(x) for x in docs]
    assert [[weights.labels[k] for k in p] for p in without] != expected
    with_ = viterbi(emissions, weights.transition)
    assert [[weights.labels[k] for k in p] for p in with_] == expected


def test_averaged_weights_score_the_mean_of_their_members_and_save_exactly(toy_model, tmp_path):
    first = CrfWeights.from_crfsuite(toy_model[0])
    second = CrfWeights.from_crfsuite(_toy_crf(tmp_path / "other.crf", 4)[0])
    assert first.attributes != second.attributes  # different data: not the same model twice
    averaged = CrfWeights.average([first, second])
    rng = random.Random(5)
    docs = [
        [[f"w=w{rng.randrange(32)}", f"odd={rng.randrange(2)}"] for _ in range(rng.randint(1, 9))]
        for _ in range(50)
    ]
    order = [second.labels.index(label) for label in first.labels]  # crfsuite's label order
    assert order != sorted(order)  # ... differs between the two: averaging must align it
    for xseq in docs:
        expected = (_emissions(first, xseq) + _emissions(second, xseq)[:, order]) / 2
        np.testing.assert_allclose(_emissions(averaged, xseq), expected, atol=1e-12)
    expected = (first.transition + second.transition[np.ix_(order, order)]) / 2
    np.testing.assert_allclose(averaged.transition, expected)
    alone = CrfWeights.average([first])
    assert all(np.array_equal(_emissions(alone, x), _emissions(first, x)) for x in docs)

    averaged.save(tmp_path / "a.json.gz")
    averaged.save(tmp_path / "b.json.gz")
    assert (tmp_path / "a.json.gz").read_bytes() == (tmp_path / "b.json.gz").read_bytes()
    loaded = CrfWeights.load(tmp_path / "a.json.gz")
    assert loaded.labels == averaged.labels
    np.testing.assert_array_equal(loaded.transition, averaged.transition)
    for xseq in docs:
        np.testing.assert_array_equal(_emissions(loaded, xseq), _emissions(averaged, xseq))
    with pytest.raises(ValueError, match="label"):
        CrfWeights.average([first, CrfWeights(("O",), {}, np.zeros((1, 1)), np.zeros((1, 1)))])


@pytest.fixture(scope="module")
def arabic_texts() -> list[str]:
    texts = [sentence_text(s)[0] for s in read_conll(DEFAULT_DATA / "dev.txt")[:150]]
    return texts + ["", " ", "قطر", " ".join(texts[:20])]  # empty, blank, one piece, article-long


@pytest.mark.skipif(not (DEFAULT_DATA / "dev.txt").exists(), reason="shared ANERcorp not mounted")
def test_arabic_features_decode_like_crfsuite(arabic_texts, tmp_path):
    """A CRF fit on a few ANERcorp sentences with the real features: the run-time tagger
    (summed weights per word, numpy decoding) gives crfsuite's tags and marginals."""
    pipeline = ArabicPipeline()
    features = CrfFeatures(
        pipeline.gazetteer, pipeline.featurizer.zipf, {}, load_name_codes(), load_full_names()
    )
    tagged = tag_sentences(pipeline.featurizer, read_conll(DEFAULT_DATA / "train.txt")[:150])
    train_crf(tagged, features, tmp_path / CRF_FILE, {"c1": 0.05, "c2": 0.01, "max_iterations": 50})
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / CRF_FILE))
    crf = CrfTagger(CrfWeights.from_crfsuite(tmp_path / CRF_FILE), features)
    docs = [pipeline.featurizer.pieces(t) for t in arabic_texts]
    for batch_size in (1, 64):
        found = 0
        for pieces, doc in zip(docs, crf.tag(docs, batch_size=batch_size), strict=True):
            if not pieces:
                assert doc.spans == [] and doc.entity_probability(0, 1) == 0.0
                continue
            xseq = features.sequence(pieces)
            assert doc.spans == bio_to_spans(tagger.tag(xseq))
            in_name = np.array([1 - tagger.marginal("O", i) for i in range(len(pieces))])
            np.testing.assert_allclose(doc.in_name, in_name, atol=1e-5)
            found += len(doc.spans)
        assert found > 50


@pytest.mark.skipif(not (DEFAULT_DATA / "dev.txt").exists(), reason="shared ANERcorp not mounted")
def test_shipped_arabic_model_scores_the_sum_of_its_feature_weights(arabic_texts):
    """The shipped (averaged) weights have no crfsuite file: check that the run-time scores
    are the summed weights of the feature strings training gave crfsuite."""
    pipeline = ArabicPipeline()
    crf, checked = pipeline.crf, 0
    for text in arabic_texts:
        pieces = pipeline.featurizer.pieces(text)
        if not pieces:
            continue
        expected = _emissions(crf.weights, crf.features.sequence(pieces))
        np.testing.assert_allclose(crf.scored.emissions(pieces), expected, atol=1e-9)
        checked += 1
    assert checked > 100
