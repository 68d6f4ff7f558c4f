"""Train the shipped Arabic NER model on ANERcorp (`make train-ner-ar`).

    python -m processing.entities.train_ar [--data DIR] [--out DIR] [--config FILE]
                                           [--model crf|cnn] [--jobs N]

The shipped model is a CRF (arabic_crf, config ar_anercorp_crf.cfg): the weights of several
fits of the recipe that differ only in their mention-replacement seed, averaged (`--jobs` fits
run at once; the result is the same). `--model cnn` retrains the earlier spaCy CNN
(ar_anercorp.cfg) for comparison.

The data directory defaults to $ANERCORP_DIR, else ../shared/datasets/arabic-ner/anercorp
relative to the repository root.

Reproducible: fixed seeds, single-threaded maths, a fixed number of iterations or epochs (no
wall-clock stopping). Dev is scored through the whole Arabic pipeline (model + gazetteer +
propagation), exactly as bench/ner.py scores test. Writes the model files to --out plus
`scores.json` (dev scores, seed, config hash) that a check can compare against.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy loads: sums in one fixed order

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from contextlib import nullcontext  # noqa: E402
from pathlib import Path  # noqa: E402

from processing.entities.arabic import (  # noqa: E402
    META_KEY,
    MODEL_DIR,
    ArabicFeaturizer,
    ArabicPipeline,
)
from processing.entities.arabic_crf import (  # noqa: E402
    CRF_FILE,
    LEXICON_FILE,
    WEIGHTS_FILE,
    CrfFeatures,
    train_crf_jackknife,
)
from processing.entities.arabic_text import CONJUNCTIONS, PREPOSITIONS, Piece  # noqa: E402
from processing.entities.crf_decode import CrfWeights  # noqa: E402
from processing.entities.evaluation import CORPUS_LABELS, Sentence, read_conll, score  # noqa: E402
from processing.entities.gazetteer import load_gazetteer  # noqa: E402
from processing.entities.name_lists import load_full_names, load_name_codes  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = Path(
    os.environ.get("ANERCORP_DIR")
    or REPO_ROOT.parent / "shared" / "datasets" / "arabic-ner" / "anercorp"
)
CNN_CONFIG = Path(__file__).parent / "ar_anercorp.cfg"
DEFAULT_CONFIG = Path(__file__).parent / "ar_anercorp_crf.cfg"


def piece_tags(pieces: list[Piece], tag: str) -> list[str]:
    """Tags for the pieces of one corpus token: leading clitics leave the entity (B- moves)."""
    prefix, _, kind = tag.partition("-")
    label = CORPUS_LABELS.get(kind)
    if label is None or prefix not in ("B", "I"):
        return ["O"] * len(pieces)
    if prefix == "I":
        return [f"I-{label}"] * len(pieces)
    tags, begun = [], False
    for i, piece in enumerate(pieces):
        is_clitic = (
            not begun
            and i + 1 < len(pieces)
            and pieces[i + 1].start == piece.end
            and piece.source in CONJUNCTIONS + PREPOSITIONS
        )
        if is_clitic:
            tags.append("O")
        else:
            tags.append(f"I-{label}" if begun else f"B-{label}")
            begun = True
    return tags


def repair_bio(tags: list[str]) -> list[str]:
    """I-X after O or another type opens an entity (as seqeval reads it): make it B-X."""
    out, previous = [], "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        previous = tag
    return out


TaggedSentence = tuple[list[Piece], list[str]]


def tag_sentences(featurizer: ArabicFeaturizer, sentences: list[Sentence]) -> list[TaggedSentence]:
    """Corpus sentences -> model pieces (exactly as at run time) with BIO tags."""
    out = []
    for sentence in sentences:
        pieces: list[Piece] = []
        tags: list[str] = []
        for token, tag in sentence:
            token_pieces = featurizer.pieces(token)
            pieces.extend(token_pieces)
            tags.extend(piece_tags(token_pieces, tag))
        if pieces:
            out.append((pieces, repair_bio(tags)))
    return out


def mention_inventory(
    featurizer: ArabicFeaturizer, tagged: list[TaggedSentence]
) -> dict[str, list[list[Piece]]]:
    """Entity mentions by label (training mentions; plus gazetteer places for LOC)."""
    inventory: dict[str, list[list[Piece]]] = {"PER": [], "ORG": [], "LOC": []}
    for pieces, tags in tagged:
        for first, last, label in _chunks(tags):
            inventory[label].append(pieces[first:last])
    for label, canonical in sorted(set(map(tuple, featurizer.gazetteer.entries.values()))):
        if label == "LOC":
            inventory[label].append(featurizer.pieces(canonical))
    return inventory


def _chunks(tags: list[str]) -> list[tuple[int, int, str]]:
    chunks, start = [], None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not tag.startswith("I-"):
            chunks.append((start, i, tags[start][2:]))
            start = None
        if tag.startswith("B-"):
            start = i
    return chunks


def replace_mentions(
    tagged: TaggedSentence,
    inventory: dict[str, list[list[Piece]]],
    rng: random.Random,
    probability: float,
) -> TaggedSentence:
    """Swap some mentions for random others of the same label, so that the model learns
    from context rather than from the few names it has seen (most test misses are unseen)."""
    pieces, tags = tagged
    chunks = _chunks(tags)
    if not chunks or probability <= 0:
        return tagged
    new_pieces: list[Piece] = []
    new_tags: list[str] = []
    pos = 0
    for first, last, label in chunks:
        new_pieces.extend(pieces[pos:first])
        new_tags.extend(tags[pos:first])
        mention = pieces[first:last]
        if rng.random() < probability:
            mention = rng.choice(inventory[label])
        new_pieces.extend(mention)
        new_tags.extend([f"B-{label}"] + [f"I-{label}"] * (len(mention) - 1))
        pos = last
    new_pieces.extend(pieces[pos:])
    new_tags.extend(tags[pos:])
    return new_pieces, new_tags


def to_example(nlp, featurizer: ArabicFeaturizer, tagged: TaggedSentence):
    from spacy.tokens import Doc
    from spacy.training import Example

    pieces, tags = tagged
    predicted = featurizer.make_doc(nlp.vocab, pieces)
    reference = Doc(nlp.vocab, words=[p.word for p in pieces], ents=tags)
    return Example(predicted, reference)


def train(
    data: Path,
    out: Path,
    config_path: Path,
    log=print,
    *,
    max_sentences: int | None = None,
    max_epochs: int | None = None,
) -> dict:
    """Train, keep the best epoch on dev, save to `out`; the two limits are for quick checks."""
    import spacy
    from spacy.util import compounding, fix_random_seed, load_config, minibatch
    from thinc.api import Config, registry

    config = load_config(config_path)
    training = config["training"]
    seed = int(training["seed"])
    fix_random_seed(seed)
    rng = random.Random(seed)
    model_config = {key: config[key] for key in ("nlp", "components")}
    nlp = spacy.util.load_model_from_config(Config(model_config), auto_fill=True, validate=True)
    gazetteer = load_gazetteer("ar")
    version = str(training.get("lexeme_features", "v1"))
    nlp.meta[META_KEY] = version
    featurizer = ArabicFeaturizer(gazetteer, lexeme_features=version)
    tagged = tag_sentences(featurizer, read_conll(data / "train.txt")[:max_sentences])
    inventory = mention_inventory(featurizer, tagged)
    augment = float(training.get("replace_mention_probability", 0.0))
    dev_sentences = read_conll(data / "dev.txt")
    optimizer = registry.resolve({"o": training["optimizer"]})["o"]
    nlp.initialize(lambda: [to_example(nlp, featurizer, t) for t in tagged], sgd=optimizer)
    pipeline = ArabicPipeline(nlp=nlp)
    best_f1, best_epoch, best_bytes, best_scores = -1.0, -1, None, None
    started = time.monotonic()
    for epoch in range(max_epochs or int(training["max_epochs"])):
        train_examples = [
            to_example(nlp, featurizer, replace_mentions(t, inventory, rng, augment))
            for t in tagged
        ]
        rng.shuffle(train_examples)
        sizes = compounding(
            training["batch_start"], training["batch_stop"], training["batch_compound"]
        )
        losses: dict[str, float] = {}
        for batch in minibatch(train_examples, size=sizes):
            nlp.update(batch, drop=float(training["dropout"]), sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages) if optimizer.averages else nullcontext():
            dev = score(dev_sentences, pipeline.extract)
            f1 = dev.overall["f1"]
            if f1 > best_f1:
                best_f1, best_epoch, best_scores = f1, epoch, dev
                best_bytes = nlp.to_bytes()
        log(
            f"epoch {epoch:2d} loss {losses.get('ner', 0):9.1f} dev F1 {f1:.4f} "
            f"(best {best_f1:.4f} @ {best_epoch}) {time.monotonic() - started:6.0f}s"
        )
        if epoch - best_epoch >= int(training["patience_epochs"]):
            break
    nlp.from_bytes(best_bytes)
    _write_model_dir(out, nlp.to_disk)
    result = {
        "dev": best_scores.as_dict(),
        "dev_f1": best_f1,
        "best_epoch": best_epoch,
        "seed": seed,
        "config_sha256": hashlib.sha256(config_path.read_bytes()).hexdigest(),
        "data": str(data),
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "train_seconds": round(time.monotonic() - started),
    }
    (out / "scores.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result


def _write_model_dir(out: Path, write) -> None:
    """Replace `out` with a fresh model directory; the hand-written card survives."""
    card_path = out / "MODEL_CARD.md"
    card = card_path.read_text(encoding="utf-8") if card_path.exists() else None
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    write(out)
    if card is not None:
        card_path.write_text(card, encoding="utf-8")


def _fit_member(
    tagged: list[TaggedSentence],
    training: dict,
    seed: int,
    out: Path,
    max_iterations: int | None,
) -> dict[str, str]:
    """One fit of the configured recipe (augmentation with this seed, jackknifed lexicon,
    L-BFGS) to `out`/crf.model; returns the lexicon of the whole training set."""
    featurizer = ArabicFeaturizer(load_gazetteer("ar"))
    rng = random.Random(seed)
    inventory = mention_inventory(featurizer, tagged)
    probability = float(training["replace_mention_probability"])
    extra = [
        replace_mentions(t, inventory, rng, probability)
        for _ in range(int(training["augment_copies"]))
        for t in tagged
    ]
    params = {
        "c1": float(training["c1"]),
        "c2": float(training["c2"]),
        "max_iterations": int(max_iterations or training["max_iterations"]),
        "feature.possible_transitions": True,
    }
    out.mkdir(parents=True, exist_ok=True)
    return train_crf_jackknife(
        tagged,
        lambda lex: CrfFeatures(
            featurizer.gazetteer, featurizer.zipf, lex, load_name_codes(), load_full_names()
        ),
        out / CRF_FILE,
        params,
        int(training["lexicon_folds"]),
        extra,
    )


def _fit_crf_recipe(
    tagged: list[TaggedSentence],
    training: dict,
    work: Path,
    max_iterations: int | None,
    jobs: int = 1,
) -> None:
    """The configured number of member fits (mention-replacement seeds seed, seed + 1, ...),
    their weights averaged into `work`/crf_weights.json.gz, plus the lexicon."""
    seed, members = int(training["seed"]), int(training.get("members", 1))
    dirs = [work / f"member{m}" for m in range(members)]
    args = [(tagged, training, seed + m, d, max_iterations) for m, d in enumerate(dirs)]
    if jobs > 1 and members > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, members)) as pool:
            lexicons = list(pool.map(_fit_member, *zip(*args, strict=True)))
    else:
        lexicons = [_fit_member(*a) for a in args]
    weights = CrfWeights.average([CrfWeights.from_crfsuite(d / CRF_FILE) for d in dirs])
    weights.save(work / WEIGHTS_FILE)
    assert all(lexicon == lexicons[0] for lexicon in lexicons)  # it depends on the data only
    (work / LEXICON_FILE).write_text(
        json.dumps(lexicons[0], ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8"
    )


def train_crf(
    data: Path,
    out: Path,
    config_path: Path,
    log=print,
    *,
    max_sentences: int | None = None,
    max_iterations: int | None = None,
    jobs: int = 1,
) -> dict:
    """Fit the recipe on train and score the whole pipeline on dev (the held-out score used for
    every choice); with `refit_with_dev` the shipped model is then refit on train + dev, the
    usual last step once the choices are made (dev is the corpus part next to test)."""
    import tempfile

    from spacy.util import load_config

    training = load_config(config_path)["training"]
    refit = str(training.get("refit_with_dev", "false")).lower() == "true"
    featurizer = ArabicFeaturizer(load_gazetteer("ar"))
    train_sentences = read_conll(data / "train.txt")[:max_sentences]
    dev_sentences = read_conll(data / "dev.txt")
    tagged = tag_sentences(featurizer, train_sentences)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        selection = Path(tmp) / "train-only"
        _fit_crf_recipe(tagged, training, selection, max_iterations, jobs)
        log(
            f"fit {training.get('members', 1)} members on {len(tagged)} train sentences in "
            f"{time.monotonic() - started:.0f}s"
        )
        dev = score(dev_sentences, ArabicPipeline(model_dir=selection).extract)
        log(f"dev F1 (held out) {dev.overall['f1']:.4f}")
        shipped, refit_info = selection, None
        if refit:
            shipped = Path(tmp) / "train-dev"
            all_tagged = tagged + tag_sentences(featurizer, dev_sentences[:max_sentences])
            _fit_crf_recipe(all_tagged, training, shipped, max_iterations, jobs)
            seen = score(dev_sentences, ArabicPipeline(model_dir=shipped).extract)
            refit_info = {"sentences": len(all_tagged), "dev_f1_seen": seen.overall["f1"]}
            log(
                f"refit on {len(all_tagged)} train+dev sentences; dev F1 (seen) "
                f"{seen.overall['f1']:.4f}"
            )

        def write(target: Path) -> None:
            for name in (WEIGHTS_FILE, LEXICON_FILE):
                shutil.copy(shipped / name, target / name)

        _write_model_dir(out, write)
    result = {
        "model": "crf",
        "dev": dev.as_dict(),
        "dev_f1": dev.overall["f1"],
        "dev_f1_is": "the recipe fit on train only, scored on dev (held out)",
        "refit_with_dev": refit_info,
        # what the shipped files score on dev: a consistency check, held out only without refit
        "shipped_dev_f1": refit_info["dev_f1_seen"] if refit_info else dev.overall["f1"],
        "seed": int(training["seed"]),
        "members": int(training.get("members", 1)),
        "config_sha256": hashlib.sha256(config_path.read_bytes()).hexdigest(),
        "data": str(data),
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "train_seconds": round(time.monotonic() - started),
    }
    (out / "scores.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="ANERcorp split dir")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument(
        "--model",
        choices=("crf", "cnn"),
        default="crf",
        help="crf (shipped) or the earlier spaCy CNN (for comparison)",
    )
    parser.add_argument("--config", type=Path, help="default: the model's config in the repo")
    parser.add_argument("--max-sentences", type=int, help="quick check: first N train sentences")
    parser.add_argument("--max-epochs", type=int, help="quick check: fewer epochs")
    parser.add_argument(
        "--jobs", type=int, default=2, help="CRF members fit at once (one core each; same result)"
    )
    args = parser.parse_args(argv)
    if not (args.data / "train.txt").exists():
        parser.error(f"no train.txt under {args.data} (use --data)")
    log = lambda m: print(m, flush=True)  # noqa: E731
    if args.model == "crf":
        result = train_crf(
            args.data,
            args.out,
            args.config or DEFAULT_CONFIG,
            log,
            max_sentences=args.max_sentences,
            jobs=args.jobs,
        )
    else:
        result = train(
            args.data,
            args.out,
            args.config or CNN_CONFIG,
            log,
            max_sentences=args.max_sentences,
            max_epochs=args.max_epochs,
        )
    print(json.dumps({"out": str(args.out), "model": args.model, "dev_f1": result["dev_f1"]}))


if __name__ == "__main__":
    main()
