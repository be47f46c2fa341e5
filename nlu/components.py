"""A Rasa intent classifier: TF-IDF character and word n-grams with logistic regression.

Rasa's own LogisticRegressionClassifier takes raw counts and fixes C=1; on Amparo's
multilingual evaluation set TF-IDF (sublinear tf) with C=10 over accent-folded text scores
about 0.06 macro-F1 higher and still trains in seconds. See README, "NLU".
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Text

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from nlu.entities import fold
from nlu.fastscore import FastLogisticRegression

MODEL_FILE = "tfidf_intent.joblib"


def _fast_scorer(model: Optional[Pipeline]) -> Optional[FastLogisticRegression]:
    """Return a fast scorer for the fitted pipeline, or None (scikit-learn then scores each text)."""
    if model is None:
        return None
    try:
        return FastLogisticRegression(model)
    except ValueError:
        return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TfidfIntentClassifier(GraphComponent, IntentClassifier):
    """Classify intents with TF-IDF n-grams and logistic regression."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Return the default settings (overridable in config.yml)."""
        return {"C": 10.0, "max_iter": 2000, "char_ngram": [2, 5], "word_ngram": [1, 2], "ranking_length": 10}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, model: Optional[Pipeline] = None) -> None:
        """Hold the config and, once trained or loaded, the scikit-learn pipeline."""
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model
        self._fast = _fast_scorer(model)

    def _probabilities(self, text: str) -> Sequence[float]:
        """Score one text: the fast scorer when it reproduces the pipeline, else scikit-learn itself."""
        assert self._model is not None
        return self._fast.predict_proba(text) if self._fast else self._model.predict_proba([text])[0]

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext) -> "TfidfIntentClassifier":
        """Create an untrained classifier."""
        return cls(config, model_storage, resource)

    def _pipeline(self) -> Pipeline:
        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self._config["char_ngram"]), sublinear_tf=True, preprocessor=fold),
            TfidfVectorizer(analyzer="word", ngram_range=tuple(self._config["word_ngram"]), sublinear_tf=True, preprocessor=fold, token_pattern=r"(?u)\b\w+\b"),
        )
        classifier = LogisticRegression(C=self._config["C"], max_iter=self._config["max_iter"], class_weight="balanced", random_state=42)
        return make_pipeline(features, classifier)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the pipeline on the intent examples and persist it."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        self._model = self._pipeline().fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples])
        self._fast = _fast_scorer(self._model)
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Set the intent and the ranking on each message."""
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            probabilities = self._probabilities(text)
            ranked = sorted(zip(self._model.classes_, probabilities), key=lambda pair: -pair[1])
            ranking = [{"name": str(name), "confidence": float(p)} for name, p in ranked[: self._config["ranking_length"]]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        """Write the fitted pipeline into the model archive."""
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext, **kwargs: Any) -> "TfidfIntentClassifier":
        """Load the fitted pipeline from the model archive."""
        with model_storage.read_from(resource) as directory:
            return cls(config, model_storage, resource, joblib.load(directory / MODEL_FILE))
