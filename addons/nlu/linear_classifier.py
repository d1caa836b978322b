"""NLU component: the intent classifier. A logistic regression over TF-IDF word (1-2) and character
(2-5, within words) n-grams of the message, trained on data/nlu.

Chosen over DIET on the tuning sets (docs/understanding.md): with the same training data it gave
AHSCT questions their topic far more often (tuning set 0.951 against 0.891, stories 0.963 against
0.812) and declined more unrelated questions, in seconds of training instead of minutes.

With `sentence_encoder_layers` above 0, the features also hold a sentence embedding: the mean of the
word pieces' states after that many layers of all-MiniLM-L6-v2 (addons/nlu/minilm_encoder.py, NumPy,
files verified against their published sha256; a failed check stops training and loading), times
`sentence_weight`. docs/understanding.md has how the layers and the weight were chosen.

What is stored is plain numbers and words (vocabularies as JSON, weights as .npy without pickles),
so loading a model runs no code from it. Training is deterministic.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from addons.nlu.minilm_encoder import MiniLMEncoder, load_encoder

logger = logging.getLogger(__name__)

_VECTORIZERS = ("words", "chars")


def _vectorizer(kind: str, config: dict[str, Any], vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    if kind == "words":
        low, high = config["word_ngrams"]
        return TfidfVectorizer(ngram_range=(low, high), sublinear_tf=True, vocabulary=vocabulary, dtype=np.float32)
    low, high = config["char_ngrams"]
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(low, high),
        sublinear_tf=True,
        min_df=1 if vocabulary is not None else config["char_min_df"],
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Sets `intent` and `intent_ranking` (the top `ranking_length`) on every message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "char_min_df": 2,
            "C": 50.0,
            "max_iter": 5000,
            "ranking_length": 10,
            "sentence_encoder_layers": 0,
            "sentence_weight": 1.0,
            # Intents set by a guard alone, whose training lines only document them (define_term).
            "exclude_intents": [],
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vectorizers: dict[str, TfidfVectorizer] | None = None,
        classes: list[str] | None = None,
        coef: np.ndarray | None = None,
        intercept: np.ndarray | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.vectorizers = vectorizers or {}
        self.classes = classes or []
        self.intercept = intercept
        # The weights features x classes, contiguous (stored as classes x features, sklearn's coef_): a
        # sparse row times this is 6 times faster than times coef.T (0.7 against 4.1 ms a message).
        self.weights = None if coef is None else np.ascontiguousarray(coef.T)
        self._encoder: MiniLMEncoder | None = None  # read once, then kept: not looked up per message

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def _sentence_encoder(self) -> MiniLMEncoder:
        if self._encoder is None:
            self._encoder = load_encoder()
        return self._encoder

    def _features(self, texts: list[str]) -> csr_matrix:
        parts = [self.vectorizers[kind].transform(texts) for kind in _VECTORIZERS]
        layers = int(self.config["sentence_encoder_layers"])
        if layers > 0:
            embeddings = self._sentence_encoder().encode(texts, layers=layers)
            parts.append(csr_matrix(embeddings * np.float32(self.config["sentence_weight"])))
        return hstack(parts).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        excluded = set(self.config["exclude_intents"] or [])
        examples = [
            e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT) and e.get(INTENT) not in excluded
        ]
        texts = [str(e.get(TEXT)) for e in examples]
        labels = [str(e.get(INTENT)) for e in examples]
        if len(set(labels)) < 2:
            raise ValueError("LinearIntentClassifier needs training examples of at least two intents")
        self.vectorizers = {kind: _vectorizer(kind, self.config) for kind in _VECTORIZERS}
        for vectorizer in self.vectorizers.values():
            vectorizer.fit(texts)
            # The weights as a loaded model has them (sklearn's setter keeps them as float64), so a
            # stored model gives exactly the probabilities the trained one gave.
            vectorizer.idf_ = np.asarray(vectorizer.idf_, dtype=np.float64)
        features = self._features(texts)
        model = LogisticRegression(C=float(self.config["C"]), max_iter=int(self.config["max_iter"]))
        model.fit(features, labels)
        self.classes = [str(c) for c in model.classes_]
        self.weights = np.ascontiguousarray(model.coef_.T, dtype=np.float32)
        self.intercept = model.intercept_.astype(np.float32)
        self.persist()
        return self._resource

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """One row per text: the probability of each of `self.classes`."""
        if self.weights is None or self.intercept is None:
            raise RuntimeError("the classifier has not been trained")
        scores = self._features(texts) @ self.weights + self.intercept
        return _softmax(np.asarray(scores, dtype=np.float64))

    def process(self, messages: list[Message]) -> list[Message]:
        if self.weights is None or not messages:
            return messages
        texts = [str(m.get(TEXT) or "") for m in messages]
        length = int(self.config["ranking_length"])
        for message, row in zip(messages, self.probabilities(texts), strict=True):
            order = np.argsort(-row, kind="stable")
            ranking = [
                {INTENT_NAME_KEY: self.classes[i], PREDICTED_CONFIDENCE_KEY: float(row[i])}
                for i in (order[:length] if length > 0 else order)
            ]
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        if self.weights is None or self.intercept is None:
            raise RuntimeError("the classifier has not been trained")
        with self._storage.write_to(self._resource) as folder:
            for kind in _VECTORIZERS:
                vectorizer = self.vectorizers[kind]
                vocabulary = {term: int(index) for term, index in vectorizer.vocabulary_.items()}
                (folder / f"{kind}_vocabulary.json").write_text(json.dumps(vocabulary), encoding="utf-8")
                np.save(folder / f"{kind}_idf.npy", np.asarray(vectorizer.idf_, dtype=np.float64), allow_pickle=False)
            (folder / "classes.json").write_text(json.dumps(self.classes), encoding="utf-8")
            np.save(folder / "coef.npy", self.weights.T, allow_pickle=False)
            np.save(folder / "intercept.npy", self.intercept, allow_pickle=False)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        config = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as folder:
                vectorizers = {}
                for kind in _VECTORIZERS:
                    vocabulary = json.loads((folder / f"{kind}_vocabulary.json").read_text(encoding="utf-8"))
                    vectorizer = _vectorizer(kind, config, vocabulary)
                    vectorizer.idf_ = np.load(folder / f"{kind}_idf.npy", allow_pickle=False)
                    vectorizers[kind] = vectorizer
                classes = json.loads((folder / "classes.json").read_text(encoding="utf-8"))
                coef = np.load(folder / "coef.npy", allow_pickle=False)
                intercept = np.load(folder / "intercept.npy", allow_pickle=False)
        except ValueError:
            # Nothing was trained (no NLU data): an untrained classifier leaves messages alone.
            logger.warning("LinearIntentClassifier: no trained model in %s; intents will be missing", resource.name)
            return cls(config, model_storage, resource)
        classifier = cls(config, model_storage, resource, vectorizers, classes, coef, intercept)
        if int(classifier.config["sentence_encoder_layers"]) > 0:
            classifier._sentence_encoder()  # read and checked now, not on the first message; raises if the files differ
        return classifier
