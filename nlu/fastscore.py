"""Score one text with a fitted TF-IDF + naive Bayes or logistic regression pipeline, fast.

`Pipeline.predict_proba` on one short message spends milliseconds building sparse matrices,
validating inputs and (for logistic regression) copying the whole coefficient matrix; the
arithmetic itself is a few hundred multiplications. These scorers read the fitted vocabularies,
idf weights and class parameters once and compute the same probabilities (to floating-point
rounding) several times faster. Anything they do not reproduce exactly raises ValueError, and
callers keep scikit-learn's own path.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import FeatureUnion, Pipeline


class _Block:
    """Hold one fitted TF-IDF vectorizer and its rows of the classifier's per-feature parameters."""

    def __init__(self, vectorizer: TfidfVectorizer, per_feature: np.ndarray) -> None:
        if not isinstance(vectorizer, TfidfVectorizer) or vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.binary:
            raise ValueError("only l2-normalised TF-IDF vectorizers with idf are supported")
        self.analyze: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self.sublinear = bool(vectorizer.sublinear_tf)
        self.rows = np.ascontiguousarray(per_feature, dtype=np.float64)  # (features, classes)

    def score(self, text: str) -> np.ndarray | None:
        """Return this block's TF-IDF vector times its parameter rows, or None when no term is known."""
        counts = Counter(t for t in self.analyze(text) if t in self.vocabulary)
        if not counts:
            return None
        columns = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = (np.log(tf) + 1.0 if self.sublinear else tf) * self.idf[columns]
        weights /= np.sqrt(weights @ weights)
        return weights @ self.rows[columns]


class _LinearScorer:
    """Compute bias + TF-IDF features × per-feature parameters for one text."""

    def __init__(self, pipeline: Pipeline, per_feature: np.ndarray, bias: np.ndarray) -> None:
        """Split `per_feature` (features, classes) among the pipeline's vectorizers."""
        featurizer = pipeline.steps[0][1]
        if isinstance(featurizer, FeatureUnion):
            if featurizer.transformer_weights:
                raise ValueError("weighted feature unions are not supported")
            vectorizers = [t for _, t in featurizer.transformer_list]
        else:
            vectorizers = [featurizer]
        if len(pipeline.steps) != 2:
            raise ValueError("expected a featurizer and a classifier")
        self._bias = np.asarray(bias, dtype=np.float64)
        self._blocks: list[_Block] = []
        offset = 0
        for vectorizer in vectorizers:
            width = len(getattr(vectorizer, "vocabulary_", ()))
            self._blocks.append(_Block(vectorizer, per_feature[offset : offset + width]))
            offset += width
        if offset != per_feature.shape[0]:
            raise ValueError("feature count does not match the classifier")

    def linear(self, text: str) -> np.ndarray:
        """Return the per-class linear score of the text."""
        total = self._bias.copy()
        for block in self._blocks:
            part = block.score(text)
            if part is not None:
                total += part
        return total


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max()
    exp = np.exp(scores)
    return exp / exp.sum()


class FastNaiveBayes:
    """Compute `predict_proba` of TfidfVectorizer(s) + MultinomialNB for one text."""

    def __init__(self, pipeline: Pipeline) -> None:
        """Read the fitted parts; raise ValueError for a pipeline this scorer does not reproduce."""
        classifier = pipeline.steps[-1][1]
        if not isinstance(classifier, MultinomialNB):
            raise ValueError("the last step must be MultinomialNB")
        self.classes = tuple(str(c) for c in classifier.classes_)
        self._scorer = _LinearScorer(pipeline, classifier.feature_log_prob_.T, classifier.class_log_prior_)

    def predict_proba(self, text: str) -> np.ndarray:
        """Return the class probabilities for one text, in the order of `classes`."""
        return _softmax(self._scorer.linear(text))


class FastLogisticRegression:
    """Compute `predict_proba` of TfidfVectorizer(s) + multinomial LogisticRegression for one text."""

    def __init__(self, pipeline: Pipeline) -> None:
        """Read the fitted parts; raise ValueError for a pipeline this scorer does not reproduce."""
        classifier = pipeline.steps[-1][1]
        if not isinstance(classifier, LogisticRegression):
            raise ValueError("the last step must be LogisticRegression")
        multinomial = classifier.multi_class == "multinomial" or (
            classifier.multi_class == "auto" and len(classifier.classes_) > 2 and classifier.solver != "liblinear"
        )
        if not multinomial:
            raise ValueError("only multinomial logistic regression is supported")
        self.classes = tuple(str(c) for c in classifier.classes_)
        self._scorer = _LinearScorer(pipeline, classifier.coef_.T, classifier.intercept_)

    def predict_proba(self, text: str) -> np.ndarray:
        """Return the class probabilities for one text, in the order of `classes`."""
        return _softmax(self._scorer.linear(text))
