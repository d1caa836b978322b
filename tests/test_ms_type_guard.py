"""A progressive-MS guess for a message about relapsing MS only (addons/nlu/ms_type_guard.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.ms_type_guard import RelapsingMsGuard, about_relapsing_ms_only


def guarded(text, intent="faq_progressive_ms", confidence=0.27):
    message = Message(data={TEXT: text})
    message.set(INTENT, {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence})
    message.set(INTENT_RANKING_KEY, [{INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}])
    [out] = RelapsingMsGuard({}).process([message])
    return out.get(INTENT)


@pytest.mark.parametrize(
    "text",
    [
        "i was just diagnosed with rrms. could hsct help me?",
        "does it help relapsing remitting ms",
        "RRMS here, would it work",
    ],
)
def test_a_question_about_relapsing_ms_gets_how_well_it_works(text):
    """The first got "AHSCT seems to help less in progressive MS" (a seventh stranger, 2026-12-02)."""
    assert guarded(text) == {INTENT_NAME_KEY: "faq_effectiveness", PREDICTED_CONFIDENCE_KEY: 0.27}


@pytest.mark.parametrize(
    "text",
    [
        "does it work on progresive or is it just for the relapsing remiting kind",  # both named
        "my neuro says i moved from rrms to spms, can i still have hsct",
        "is it for primary progressive",
        "could hsct help me",  # no MS type named
        "relapsing ms but not active for years, worth it?",
    ],
)
def test_progressive_ms_named_or_no_type_named_keeps_the_guess(text):
    assert guarded(text)[INTENT_NAME_KEY] == "faq_progressive_ms"


def test_other_intents_are_left_alone():
    assert guarded("rrms, what are the risks", intent="faq_risks", confidence=0.9)[INTENT_NAME_KEY] == "faq_risks"


@given(st.text(max_size=300))
def test_any_text_is_handled(text):
    assert isinstance(about_relapsing_ms_only(text), bool)
    assert guarded(text)[INTENT_NAME_KEY] in ("faq_progressive_ms", "faq_effectiveness")
