"""Identify the language of a message: es, en, fr, pt, ht, ar, or unknown.

Common detectors do not know Haitian Creole and confuse the Romance languages on short
messages, so Amparo trains its own small classifier (character and word n-grams, naive Bayes)
on the NLU training data itself at start-up; it takes well under a second. Very short or
unclear messages fall back to the Telegram language hint.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from nlu.entities import tokens

from nlu.fastscore import FastNaiveBayes

UNKNOWN = "unknown"
CLOSE = 0.25
SHORT = 3
KNOWN_SHARE = 0.5


def read_examples(data_dir: Path) -> Iterable[tuple[str, str, str]]:
    """Yield (language, intent, text) from `<data_dir>/<language>/*.yml` Rasa NLU files."""
    for path in sorted(data_dir.glob("*/*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu") or []:
            for line in str(block.get("examples", "")).splitlines():
                text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
                if text and "intent" in block:
                    yield path.parent.name, block["intent"], text


def _word_count(text: str) -> int:
    return sum(1 for token in text.split() if any(ch.isalpha() for ch in token))


def _words(text: str) -> list[str]:
    return [w for w in tokens(text) if any(ch.isalpha() for ch in w)]


class LanguageIdentifier:
    """Classify a message's language, using the Telegram hint when the text is unclear."""

    def __init__(self, model: Pipeline, languages: tuple[str, ...], vocabulary: frozenset[str] = frozenset()) -> None:
        """Use a fitted scikit-learn pipeline and the words seen in training."""
        self._model = model
        self._fast = FastNaiveBayes(model)
        self.languages = languages
        self._vocabulary = vocabulary

    @classmethod
    def from_training_data(cls, data_dir: Path) -> "LanguageIdentifier":
        """Fit the classifier on the NLU training data, grouped by language folder."""
        rows = list(read_examples(data_dir))
        if not rows:
            raise ValueError(f"no training examples under {data_dir}")
        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\b\w+\b", sublinear_tf=True),
        )
        model = make_pipeline(features, MultinomialNB(alpha=0.05))
        model.fit([r[2] for r in rows], [r[0] for r in rows])
        vocabulary = frozenset(w for r in rows for w in _words(r[2]))
        return cls(model, tuple(model.classes_), vocabulary)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Return the words seen in the training data."""
        return self._vocabulary

    def known_share(self, text: str) -> float:
        """Return the share of the message's words seen in the training data (gibberish scores low)."""
        words = _words(text)
        return sum(w in self._vocabulary for w in words) / len(words) if words else 0.0

    def probabilities(self, text: str) -> dict[str, float]:
        """Return the probability of each language."""
        probs = self._fast.predict_proba(text)
        return dict(zip(self.languages, (float(p) for p in probs)))

    def identify(self, text: str, hint: str | None = None) -> str:
        """Return the language of `text`; the hint decides for short or unfamiliar text or a close call."""
        hint = hint if hint in self.languages else None
        if not any(ch.isalpha() for ch in text):
            return hint or UNKNOWN
        probs = self.probabilities(text)
        best = max(probs, key=probs.__getitem__)
        unclear = _word_count(text) <= SHORT or self.known_share(text) < KNOWN_SHARE
        if hint and (unclear or probs[best] - probs[hint] < CLOSE):
            return hint
        if self._vocabulary and self.known_share(text) < KNOWN_SHARE / 2:
            return UNKNOWN
        return best
