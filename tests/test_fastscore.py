"""The fast scorers give scikit-learn's probabilities for the pipelines Amparo fits."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

from bot.settings import Settings
from nlu.components import TfidfIntentClassifier, _fast_scorer
from nlu.fastscore import FastLogisticRegression, FastNaiveBayes
from nlu.langid import LanguageIdentifier, read_examples
from nlu.quick import QuickIntentModel
from tests.bench.messages import MESSAGES

ODD = ["", " ", "!!!", "zzzz qqqq", "a" * 3000, "😀😀 hola", "\x00\u202e مرحبا", "PASAPORTE!!", "l'ambassade d'Haïti"]


def texts(data: Path, count: int = 300) -> list[str]:
    rows = [r[2] for r in read_examples(data)]
    return random.Random(1).sample(rows, min(count, len(rows))) + [t for _, t in MESSAGES] + ODD


def test_language_identifier_and_quick_model_match_scikit_learn(base_settings: Settings, language_identifier: LanguageIdentifier) -> None:
    quick = QuickIntentModel.from_training_data(base_settings.nlu_data)
    for text in texts(base_settings.nlu_data):
        np.testing.assert_allclose(language_identifier._fast.predict_proba(text), language_identifier._model.predict_proba([text])[0], atol=1e-12)
        np.testing.assert_allclose(quick._fast.predict_proba(text), quick._model.predict_proba([text])[0], atol=1e-12)


def test_intent_classifier_matches_scikit_learn(base_settings: Settings) -> None:
    rows = random.Random(2).sample(list(read_examples(base_settings.nlu_data)), 500)
    pipeline = TfidfIntentClassifier(TfidfIntentClassifier.get_default_config(), None, None)._pipeline()  # type: ignore[arg-type]
    pipeline.fit([r[2] for r in rows], [r[1] for r in rows])
    fast = _fast_scorer(pipeline)
    assert isinstance(fast, FastLogisticRegression)
    assert list(fast.classes) == [str(c) for c in pipeline.classes_]
    for text in texts(base_settings.nlu_data):
        np.testing.assert_allclose(fast.predict_proba(text), pipeline.predict_proba([text])[0], atol=1e-12)


def test_pipelines_it_cannot_reproduce_are_refused() -> None:
    counts = make_pipeline(CountVectorizer(), MultinomialNB()).fit(["alpha beta", "gamma delta"], ["x", "y"])
    with pytest.raises(ValueError):
        FastNaiveBayes(counts)
    assert _fast_scorer(counts) is None
