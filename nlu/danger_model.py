"""A small classifier for danger, beside the lexicon: it catches paraphrases no pattern lists.

Character and word n-grams over normalised text with logistic regression, trained on the danger
examples in `danger_data/` (kinds) against ordinary messages: the `ordinary` lists there and the
intent training data, minus what the lexicon already calls danger. Each sentence is scored too,
so a danger told in the last line of a long story still counts. It only adds kinds: it never
overrules the lexicon.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Callable, Iterable

import joblib
import yaml

from nlu.danger import KINDS
from nlu.danger_patterns import normalise
from nlu.fastscore import FastLogisticRegression
from nlu.langid import read_examples
from nlu.needs import segments
from nlu.train import training_files

log = logging.getLogger(__name__)

DANGER_DATA = Path(__file__).with_name("danger_data")
NONE = "none"
# A kind is reported from this probability up: on 5-fold cross-validation of the training data it
# flags about 1 % of ordinary messages (see README, "Danger").
THRESHOLD = 0.5
MIN_SEGMENT_WORDS = 3


def read_danger_data(folder: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """Return (kind, text) danger examples and ordinary texts from the danger training files."""
    danger: list[tuple[str, str]] = []
    ordinary: list[str] = []
    for path in sorted(folder.glob("*.yml")):
        document: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind, texts in (document.get("danger") or {}).items():
            if kind not in KINDS:
                raise ValueError(f"{path.name}: unknown danger kind {kind!r}")
            danger += [(kind, str(t)) for t in texts or ()]
        ordinary += [str(t) for t in document.get("ordinary") or ()]
    return danger, ordinary


def training_set(folder: Path, nlu_data: Path, is_danger: Callable[[str], bool]) -> tuple[list[str], list[str]]:
    """Return texts and labels: danger kinds, and 'none' for ordinary messages the lexicon leaves alone."""
    danger, ordinary = read_danger_data(folder)
    texts = [t for _, t in danger] + ordinary
    labels = [k for k, _ in danger] + [NONE] * len(ordinary)
    for _, _, text in read_examples(nlu_data):
        if not is_danger(text):
            texts.append(text)
            labels.append(NONE)
    return texts, labels


def _pipeline(c: float = 4.0) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=normalise, sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), preprocessor=normalise, sublinear_tf=True, min_df=1),
    )
    return make_pipeline(features, LogisticRegression(C=c, max_iter=2000, class_weight="balanced"))


class DangerModel:
    """Score a message and its sentences for each kind of danger."""

    def __init__(self, pipeline: Any, threshold: float = THRESHOLD) -> None:
        """Wrap a fitted pipeline; score it directly (nlu/fastscore.py), as scikit-learn would, but faster."""
        self._pipeline = pipeline
        self._fast = FastLogisticRegression(pipeline)
        self._classes = list(self._fast.classes)
        self.threshold = threshold

    @classmethod
    def train(cls, texts: list[str], labels: list[str], threshold: float = THRESHOLD) -> "DangerModel":
        """Fit the classifier."""
        pipeline = _pipeline()
        pipeline.fit(texts, labels)
        return cls(pipeline, threshold)

    @classmethod
    def cached(cls, folder: Path, nlu_data: Path, cache_dir: Path, is_danger: Callable[[str], bool]) -> "DangerModel | None":
        """Load the model for the current data from the cache, training it first if needed; None without data."""
        own = sorted(folder.glob("*.yml"))
        if not own:
            return None
        here = Path(__file__)
        digest = hashlib.sha256(b"".join(here.with_name(n).read_bytes() for n in (here.name, "danger_patterns.py", "danger.yml")))
        for path in own + training_files(nlu_data):
            digest.update(path.read_bytes())
        target = cache_dir / f"danger-{digest.hexdigest()[:20]}.joblib"
        if target.exists():
            try:
                return cls(joblib.load(target))
            except Exception:  # noqa: BLE001 - a damaged cache file is retrained, not fatal
                log.warning("danger model cache unreadable; training again")
        log.info("training the danger classifier")
        model = cls.train(*training_set(folder, nlu_data, is_danger))
        cache_dir.mkdir(parents=True, exist_ok=True)
        joblib.dump(model._pipeline, target)
        for old in cache_dir.glob("danger-*.joblib"):
            if old != target:
                old.unlink(missing_ok=True)  # models for earlier data are never read again
        return model

    def scores(self, texts: Iterable[str], with_none: bool = False) -> list[dict[str, float]]:
        """Return each text's probability per kind (and of 'none' if asked)."""
        rows = [self._fast.predict_proba(text) for text in texts]
        return [{k: float(p) for k, p in zip(self._classes, row) if with_none or k != NONE} for row in rows]

    def kinds(self, message: str, threshold: float | None = None) -> list[tuple[str, float]]:
        """Return the kinds whose probability, in the whole message or one sentence, reaches the threshold.

        Below the model's own threshold a kind must also be likelier than no danger at all.
        """
        threshold = self.threshold if threshold is None else threshold
        parts = [message] + [s for s in segments(message) if len(s.split()) >= MIN_SEGMENT_WORDS and s != message]
        best: dict[str, float] = {}
        for row in self.scores(parts, with_none=True):
            calm = row.pop(NONE, 0.0)
            for kind, p in row.items():
                if p >= self.threshold or p >= calm:
                    best[kind] = max(best.get(kind, 0.0), p)
        return sorted(((k, p) for k, p in best.items() if p >= threshold), key=lambda kp: -kp[1])
