"""The other question of a two-question message (actions/topics.py) and what is offered under the
answer (actions/answers.also_asked_about)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.answers import also_asked_about
from actions.topics import TOPIC_WORDS, other_topic, parts


@pytest.mark.parametrize(
    ("text", "answered", "other"),
    [
        ("is it FDA approved and how much would it cost me", "fda_status", "cost"),
        ("how much does it cost? is it FDA approved?", "cost", "fda_status"),
        ("what are the risks. also can i still have kids after", "risks", "fertility"),
        ("does it work for progressive ms and are there any trials", "progressive_ms", "clinical_trials"),
        ("How much is it? And what about the side effects?", "cost", "side_effects"),
    ],
)
def test_the_other_question_is_found(text, answered, other):
    assert other_topic(text, answered) == other


@pytest.mark.parametrize(
    ("text", "answered"),
    [
        ("how much does it cost", "cost"),  # one question
        ("is it safe? is it dangerous?", "risks"),  # the same topic twice
        ("what is it? thanks", "what_is_ahsct"),  # the other part names no topic
        ("", "cost"),
    ],
)
def test_no_other_question_when_there_is_none(text, answered):
    assert other_topic(text, answered) is None


def test_every_topic_word_list_names_an_entry(knowledge):
    assert set(TOPIC_WORDS) <= set(knowledge.entries)


def test_the_named_topic_comes_before_the_classifiers_second_guess():
    ranking = [{"name": "faq_fda_status", "confidence": 0.7}, {"name": "faq_risks", "confidence": 0.3}]
    text = "is it approved by the fda and what does it cost"
    assert also_asked_about(text, "fda_status", ranking, 0.2, TOPIC_WORDS) == ["cost"]
    assert also_asked_about("is it fda approved", "fda_status", ranking, 0.2, TOPIC_WORDS) == ["risks"]
    assert also_asked_about("is it fda approved", "fda_status", ranking, 0.5, TOPIC_WORDS) == []
    # A topic the knowledge file does not have is not offered.
    assert also_asked_about(text, "fda_status", ranking, 0.5, ["fda_status"]) == []


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400), answered=st.sampled_from(sorted(TOPIC_WORDS)))
def test_never_offers_what_was_answered_and_never_fails(text, answered):
    other = other_topic(text, answered)
    assert other is None or (other in TOPIC_WORDS and other != answered)
    assert all(len(p.split()) >= 2 for p in parts(text))
