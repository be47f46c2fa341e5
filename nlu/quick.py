"""A quick intent model fitted at start-up, used only while the Rasa model loads or if it is broken."""
from __future__ import annotations

from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline, make_pipeline

from nlu.entities import fold
from nlu.fastscore import FastNaiveBayes
from nlu.langid import read_examples


class QuickIntentModel:
    """Classify intents with naive Bayes over character n-grams (fits in about a second)."""

    def __init__(self, model: Pipeline) -> None:
        """Use a fitted pipeline."""
        self._model = model
        self._fast = FastNaiveBayes(model)

    @classmethod
    def from_training_data(cls, data_dir: Path) -> "QuickIntentModel":
        """Fit on the NLU training data."""
        rows = list(read_examples(data_dir))
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, preprocessor=fold)
        model = make_pipeline(vectorizer, MultinomialNB(alpha=0.1))
        model.fit([r[2] for r in rows], [r[1] for r in rows])
        return cls(model)

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Return (intent, probability) pairs, best first."""
        probabilities = self._fast.predict_proba(text)
        return sorted(((c, float(p)) for c, p in zip(self._fast.classes, probabilities)), key=lambda x: -x[1])
