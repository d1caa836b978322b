"""The SituationGuard NLU component (addons/nlu/situation_guard.py), without a model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.situation_guard import SITUATION, SituationGuard

THREE_FACTS = "my girlfriend is 25, rrms, already had a relapse this year"


@pytest.fixture(scope="module")
def guard(knowledge):
    return SituationGuard({"min_facts": 3, "keep_faq_above": 0.9}, check=knowledge.self_check)


def parsed(guard, text, name, confidence):
    message = Message(data={TEXT: text})
    message.set(INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)
    [out] = guard.process([message])
    return out.get(INTENT)[INTENT_NAME_KEY]


def test_three_facts_the_classifier_was_unsure_of_make_a_situation(guard, knowledge):
    from actions.situation import understand

    assert len(understand(knowledge.self_check, THREE_FACTS)) >= 3
    for name, confidence in (("nlu_fallback", 0.25), ("faq_cost", 0.6)):
        assert parsed(guard, THREE_FACTS, name, confidence) == SITUATION


def test_a_sure_topic_fewer_facts_and_other_intents_are_kept(guard):
    assert parsed(guard, THREE_FACTS, "faq_cost", 0.95) == "faq_cost"
    assert parsed(guard, "im 41 and what does it cost", "faq_cost", 0.3) == "faq_cost"  # one fact
    # Out of scope stays: MS details, then a question about something else.
    assert parsed(guard, THREE_FACTS + ". is vitamin d worth taking", "out_of_scope", 0.6) == "out_of_scope"
    for name in ("crisis", "red_flag", "stop", "express_feelings", "start_eligibility_check", "greet", "out_of_scope"):
        assert parsed(guard, THREE_FACTS, name, 0.3) == name
    assert parsed(guard, "/faq_cost", "faq_cost", 0.3) == "faq_cost"


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=300) | st.sampled_from([THREE_FACTS, THREE_FACTS + " and im suicidal"]),
    name=st.sampled_from(["crisis", "red_flag", "stop", "help", "express_feelings", "faq_cost", "out_of_scope"]),
    confidence=st.floats(0, 1),
)
def test_only_unsure_or_faq_intents_ever_change_and_only_to_a_situation(guard, text, name, confidence):
    out = parsed(guard, text, name, confidence)
    assert out == name or (out == SITUATION and name == "faq_cost")


def ranked(guard, text, name, confidence, ranking):
    message = Message(data={TEXT: text})
    message.set(INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)
    message.set(
        INTENT_RANKING_KEY,
        [{INTENT_NAME_KEY: n, PREDICTED_CONFIDENCE_KEY: c} for n, c in ranking],
        add_to_output=True,
    )
    [out] = guard.process([message])
    return out.get(INTENT)[INTENT_NAME_KEY]


@pytest.fixture(scope="module")
def second_look(knowledge):
    config = {
        "min_facts": 3,
        "keep_faq_above": 0.9,
        "out_of_scope_below": 0.8,
        "situation_at_least": 0.1,
        "out_of_scope_min_facts": 1,
    }
    return SituationGuard(config, check=knowledge.self_check)


def test_out_of_scope_the_classifier_doubted_becomes_a_situation_when_it_saw_one(second_look):
    text = "ppms, 52, walking with a frame"
    unsure = [("out_of_scope", 0.71), ("describe_situation", 0.15)]
    assert ranked(second_look, text, "out_of_scope", 0.71, unsure) == SITUATION


def test_out_of_scope_stays_when_sure_when_no_situation_was_ranked_or_no_fact_is_read(second_look):
    text = "ppms, 52, walking with a frame"
    assert ranked(second_look, text, "out_of_scope", 0.85, [("out_of_scope", 0.85), ("describe_situation", 0.12)]) == (
        "out_of_scope"
    )
    assert ranked(second_look, text, "out_of_scope", 0.6, [("out_of_scope", 0.6), ("describe_situation", 0.05)]) == (
        "out_of_scope"
    )
    no_facts = "what is the best pizza topping"
    assert ranked(second_look, no_facts, "out_of_scope", 0.5, [("out_of_scope", 0.5), ("describe_situation", 0.3)]) == (
        "out_of_scope"
    )


def test_by_default_out_of_scope_is_never_taken(guard):
    text = "ppms, 52, walking with a frame"
    assert ranked(guard, text, "out_of_scope", 0.3, [("out_of_scope", 0.3), ("describe_situation", 0.29)]) == (
        "out_of_scope"
    )
