"""TreatmentNamedGuard: a question that names AHSCT is not declined on a weak out-of-scope guess."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.treatment_guard import TreatmentNamedGuard, names_only_this_treatment

GUARD = TreatmentNamedGuard({"unsure_below": 0.6, "next_at_least": 0.2})


def parsed(text, ranking):
    msg = Message(data={TEXT: text})
    msg.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    msg.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return msg


def test_a_first_message_that_names_the_treatment_gets_the_topic():
    """A stranger's first message (2026-12-01) was declined: out_of_scope 0.44, what is AHSCT 0.42."""
    text = (
        "hi im 29 and just got diagnosed with rrms last month in dublin. my neuro mentioned ocrevus but i "
        "saw stuff online about stem cell transplant. what even is it"
    )
    [out] = GUARD.process([parsed(text, [("out_of_scope", 0.44), ("faq_what_is_ahsct", 0.42)])])
    assert out.get(INTENT)["name"] == "faq_what_is_ahsct"
    assert out.get(INTENT_RANKING_KEY)[1]["name"] == "out_of_scope"


@pytest.mark.parametrize(
    ("text", "ranking"),
    [
        # A confident out-of-scope guess stands.
        ("what is a stem cell transplant", [("out_of_scope", 0.7), ("faq_what_is_ahsct", 0.3)]),
        # Another illness's transplant or stem cells.
        ("stem cell transplant for lupus, does it work", [("out_of_scope", 0.5), ("faq_effectiveness", 0.4)]),
        ("stem cells for spinal cord injury - any progress", [("out_of_scope", 0.5), ("faq_unproven_clinics", 0.4)]),
        # No name of the treatment.
        ("what even is it", [("out_of_scope", 0.5), ("faq_what_is_ahsct", 0.4)]),
        # The next intent is weak, or not a topic.
        ("hsct and my cat", [("out_of_scope", 0.5), ("faq_risks", 0.1)]),
        ("i did hsct, thanks", [("out_of_scope", 0.5), ("thanks", 0.4)]),
    ],
)
def test_other_messages_keep_their_intent(text, ranking):
    [out] = GUARD.process([parsed(text, ranking)])
    assert out.get(INTENT)["name"] == ranking[0][0]


@given(st.text(max_size=300))
def test_any_text_is_handled(text):
    names_only_this_treatment(text)
    [out] = GUARD.process([parsed(text, [("out_of_scope", 0.5), ("faq_risks", 0.3)])])
    assert out.get(INTENT)["name"] in ("out_of_scope", "faq_risks")


@pytest.mark.parametrize(
    "text",
    [
        "what is star ms",
        "any news on beat ms",
        "tell me about star-ms",
        "is the NET-MS trial recruiting",
        "ram ms results",
        # The Canadian trial (an eleventh stranger got the 2025 UK study and "and in Canada?").
        "What did the Ottawa trial find?",
        "the Canadian HSCT study with busulfan, did someone die in it?",
        "what about the canadian trial, atkins 2016",
    ],
)
def test_a_trial_named_is_the_trials_topic_though_declined_or_not_understood_or_eligibility(text):
    for guess in ("out_of_scope", "nlu_fallback", "faq_eligibility", "faq_uk_study", "followup_context"):
        [out] = GUARD.process([parsed(text, [(guess, 0.98), ("faq_clinical_trials", 0.01)])])
        assert out.get(INTENT)["name"] == "faq_clinical_trials", (text, guess)


@pytest.mark.parametrize(
    "text",
    [
        "can diet beat ms",
        "how to beat ms naturally",
        "post-ms fatigue tips",
        "is there a trial of lupus stem cells",
        "im in ottawa, is it available",
    ],
)
def test_words_that_are_not_a_trials_name_leave_the_guess(text):
    [out] = GUARD.process([parsed(text, [("out_of_scope", 0.98), ("faq_clinical_trials", 0.01)])])
    assert out.get(INTENT)["name"] == "out_of_scope"


def test_a_topic_the_classifier_chose_is_kept_when_a_trial_is_named():
    [out] = GUARD.process([parsed("beat-ms and the risks", [("faq_risks", 0.7), ("faq_clinical_trials", 0.2)])])
    assert out.get(INTENT)["name"] == "faq_risks"


def test_the_mist_trial_is_the_comparison_with_ms_drugs():
    for text in ("What exactly did the MIST trial show?", "results of the mist study", "burt et al 2019 results"):
        for guess in ("faq_uk_study", "faq_effectiveness"):
            [out] = GUARD.process([parsed(text, [(guess, 0.8), ("faq_vs_dmts", 0.1)])])
            assert out.get(INTENT)["name"] == "faq_vs_dmts", text
    [out] = GUARD.process([parsed("does beat-ms work", [("faq_effectiveness", 0.8)])])
    assert out.get(INTENT)["name"] == "faq_effectiveness"
    [out] = GUARD.process([parsed("will the mist clear by noon", [("out_of_scope", 0.9)])])
    assert out.get(INTENT)["name"] == "out_of_scope"
