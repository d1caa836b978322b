"""The intent classifier (addons/nlu/linear_classifier.py), trained on a small data set of its own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.nlu.linear_classifier import LinearIntentClassifier

EXAMPLES = {
    "faq_cost": ["how much does it cost", "what is the price of hsct", "cost of the transplant", "is it expensive"],
    "faq_risks": ["is it dangerous", "what are the risks", "how risky is hsct", "is the transplant safe"],
    "out_of_scope": ["what is the weather", "tell me a joke", "best pizza near me", "who won the match"],
}


def training_data() -> TrainingData:
    return TrainingData(
        [Message(data={TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts]
    )


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    return LocalModelStorage(tmp_path_factory.mktemp("linear"))


@pytest.fixture(scope="module")
def trained(storage):
    context = ExecutionContext(GraphSchema({}), "test")
    resource = Resource("linear_intent")
    classifier = LinearIntentClassifier.create({"char_min_df": 1, "ranking_length": 2}, storage, resource, context)
    classifier.train(training_data())
    return classifier, resource, context


def classify(classifier, *texts):
    messages = [Message(data={TEXT: text}) for text in texts]
    classifier.process(messages)
    return messages


def test_recognises_unseen_wording_of_what_it_was_trained_on(trained):
    classifier, _, _ = trained
    cost, risk, other = classify(classifier, "how much would hsct cost me", "what risks does it have", "any joke?")
    assert cost.get(INTENT)[INTENT_NAME_KEY] == "faq_cost"
    assert risk.get(INTENT)[INTENT_NAME_KEY] == "faq_risks"
    assert other.get(INTENT)[INTENT_NAME_KEY] == "out_of_scope"


def test_ranking_is_sorted_cut_to_its_length_and_starts_with_the_intent(trained):
    classifier, _, _ = trained
    [message] = classify(classifier, "price of the transplant")
    ranking = message.get(INTENT_RANKING_KEY)
    assert len(ranking) == 2
    confidences = [r[PREDICTED_CONFIDENCE_KEY] for r in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert ranking[0] == message.get(INTENT)


def test_a_stored_model_loads_and_gives_the_same_probabilities(trained, storage):
    classifier, resource, context = trained
    loaded = LinearIntentClassifier.load({"char_min_df": 1, "ranking_length": 2}, storage, resource, context)
    texts = ["how much does it cost", "is it safe", "", "pizza"]
    assert loaded.classes == classifier.classes
    np.testing.assert_allclose(loaded.probabilities(texts), classifier.probabilities(texts), rtol=1e-6)


def test_training_twice_gives_the_same_model(storage):
    context = ExecutionContext(GraphSchema({}), "test")
    runs = []
    for name in ("again_1", "again_2"):
        classifier = LinearIntentClassifier.create({"char_min_df": 1}, storage, Resource(name), context)
        classifier.train(training_data())
        runs.append(classifier.probabilities(["what does it cost and is it risky"]))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_stored_weights_are_plain_arrays_never_pickles(trained, storage, tmp_path):
    _, resource, _ = trained
    with storage.read_from(resource) as folder:
        names = sorted(p.name for p in folder.iterdir())
        assert names == sorted(
            [
                "chars_idf.npy",
                "chars_vocabulary.json",
                "classes.json",
                "coef.npy",
                "intercept.npy",
                "words_idf.npy",
                "words_vocabulary.json",
            ]
        )
        # An object array (a pickle inside .npy) is refused when loading.
        np.save(tmp_path / "evil.npy", np.array([object()], dtype=object), allow_pickle=True)
        with pytest.raises(ValueError):
            np.load(tmp_path / "evil.npy", allow_pickle=False)


def test_an_untrained_model_leaves_messages_alone(storage):
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = LinearIntentClassifier.load({}, storage, Resource("never_trained"), context)
    [message] = classify(loaded, "how much does it cost")
    assert message.get(INTENT) is None


def test_one_intent_is_not_enough_to_train(storage):
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = LinearIntentClassifier.create({}, storage, Resource("one"), context)
    with pytest.raises(ValueError):
        classifier.train(TrainingData([Message(data={TEXT: "hi", INTENT: "greet"})]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=5))
def test_any_text_gets_a_distribution_over_the_known_intents(trained, texts):
    classifier, _, _ = trained
    rows = classifier.probabilities(texts)
    assert rows.shape == (len(texts), len(EXAMPLES))
    assert np.all(np.isfinite(rows))
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=1e-6)
    for message in classify(classifier, *texts):
        assert message.get(INTENT)[INTENT_NAME_KEY] in EXAMPLES


def test_sentence_features_from_the_encoders_first_layers(storage):
    """With sentence_encoder_layers, the features end in the 384 numbers of the sentence embedding
    after those layers (times sentence_weight), and a stored model gives the same probabilities."""
    from addons.nlu.minilm_encoder import DIMENSION, load_encoder

    context = ExecutionContext(GraphSchema({}), "test")
    config = {"char_min_df": 1, "sentence_encoder_layers": 4, "sentence_weight": 2.0}
    resource = Resource("linear_with_sentences")
    classifier = LinearIntentClassifier.create(config, storage, resource, context)
    classifier.train(training_data())
    texts = ["what will i have to pay for this", "is it dangerous"]
    features = classifier._features(texts).toarray()
    sparse = sum(len(v.vocabulary_) for v in classifier.vectorizers.values())
    assert features.shape == (2, sparse + DIMENSION) and classifier.weights.shape[0] == sparse + DIMENSION
    assert np.allclose(features[:, sparse:], 2.0 * load_encoder().encode(texts, layers=4), atol=1e-6)
    loaded = LinearIntentClassifier.load(config, storage, resource, context)
    assert np.allclose(loaded.probabilities(texts), classifier.probabilities(texts), atol=1e-6)
    [message] = classify(loaded, "is it dangerous")
    assert message.get(INTENT)[INTENT_NAME_KEY] == "faq_risks"
