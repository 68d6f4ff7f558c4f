"""The numpy CRF decoder gives crfsuite's own tags and marginals (crf_decode, CrfTagger)."""

import random

import numpy as np
import pycrfsuite
import pytest

from processing.entities.arabic import MODEL_DIR, ArabicPipeline
from processing.entities.arabic_crf import bio_to_spans
from processing.entities.crf_decode import CrfWeights, marginals, viterbi
from processing.entities.evaluation import read_conll, sentence_text
from processing.entities.train_ar import DEFAULT_DATA


def _crfsuite_view(tagger: pycrfsuite.Tagger, xseq, labels):
    tags = tagger.tag(xseq)
    probs = np.array([[tagger.marginal(label, i) for label in labels] for i in range(len(xseq))])
    return tags, probs


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory):
    """A small model whose transitions matter (I-X only after B-X or I-X)."""
    rng = random.Random(3)
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
    path = tmp_path_factory.mktemp("toy") / "toy.crf"
    trainer.train(str(path))
    return path, rng


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


@pytest.mark.skipif(not (DEFAULT_DATA / "dev.txt").exists(), reason="shared ANERcorp not mounted")
def test_shipped_arabic_model_tags_like_crfsuite():
    pipeline = ArabicPipeline()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_DIR / "crf.model"))
    texts = [sentence_text(s)[0] for s in read_conll(DEFAULT_DATA / "dev.txt")[:150]]
    texts += ["", " ", "قطر", " ".join(texts[:20])]  # empty, blank, one piece, article-long
    docs = [pipeline.featurizer.pieces(t) for t in texts]
    for batch_size in (1, 64):
        tagged = pipeline.crf.tag(docs, batch_size=batch_size)
        found = 0
        for pieces, doc in zip(docs, tagged, strict=True):
            if not pieces:
                assert doc.spans == [] and doc.entity_probability(0, 1) == 0.0
                continue
            xseq = pipeline.crf.features.sequence(pieces)
            assert doc.spans == bio_to_spans(tagger.tag(xseq))
            in_name = np.array([1 - tagger.marginal("O", i) for i in range(len(pieces))])
            np.testing.assert_allclose(doc.in_name, in_name, atol=1e-5)
            found += len(doc.spans)
        assert found > 100
