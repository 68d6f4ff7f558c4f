"""Arabic NER recipe by k-fold cross-validation over ANERcorp train + dev (not run by `make bench`:
about 30 minutes with two folds fit at once on a 2-core machine, each fold fitting the recipe's
four members one after another).

    .venv/bin/python bench/ner_cv.py [--data DIR] [--config FILE] [--folds 5] [--jobs 2]

Why: dev holds ~830 entities, and dev gains of +0.012 and +0.017 became +0.001 and +0.002 on
test. Contiguous folds (whole articles stay together, as in the corpus's own split) give a steadier
reading for a recipe change: each fold's model is fit on the other folds exactly as
`make train-ner-ar` fits the shipped one, and scored through the whole pipeline. Test is never
read. Prints the F1 per fold and the mean.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from processing.entities.train_ar import DEFAULT_CONFIG, DEFAULT_DATA, train_crf  # noqa: E402


def contiguous_folds(sentences: list[str], folds: int) -> list[tuple[list[str], list[str]]]:
    """(training, held-out) sentences per fold; the held-out parts tile the corpus in order."""
    bounds = [round(i * len(sentences) / folds) for i in range(folds + 1)]
    return [
        (sentences[: bounds[k]] + sentences[bounds[k + 1] :], sentences[bounds[k] : bounds[k + 1]])
        for k in range(folds)
    ]


def _blocks(path: Path) -> list[str]:
    """The sentences of a CoNLL file, each as its raw block of `TOKEN TAG` lines."""
    return [b.strip("\n") for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]


def _fit_fold(fold: Path, config: Path) -> float:
    return train_crf(fold, fold / "model", config, log=lambda _: None)["dev_f1"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2, help="folds fit at once (one core each)")
    args = parser.parse_args(argv)
    sentences = _blocks(args.data / "train.txt") + _blocks(args.data / "dev.txt")
    with tempfile.TemporaryDirectory() as tmp:
        dirs = []
        for k, (training, held_out) in enumerate(contiguous_folds(sentences, args.folds)):
            fold = Path(tmp) / f"fold{k}"
            fold.mkdir()
            (fold / "train.txt").write_text("\n\n".join(training) + "\n", encoding="utf-8")
            (fold / "dev.txt").write_text("\n\n".join(held_out) + "\n", encoding="utf-8")
            dirs.append(fold)
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            scores = list(pool.map(_fit_fold, dirs, [args.config] * len(dirs)))
    for k, f1 in enumerate(scores):
        print(f"fold {k}: F1 {f1:.4f}")
    print(f"{args.config.name}: mean F1 {statistics.mean(scores):.4f} over {args.folds} folds")


if __name__ == "__main__":
    main()
