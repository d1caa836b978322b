"""The safety guard: crisis language and post-transplant warning signs, and what must not trigger."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.channels import guard
from addons.nlu.safety import CRISIS, RED_FLAG, classify
from addons.nlu.safety_guard import SafetyGuard

CASES = yaml.safe_load((Path(__file__).parent / "safety_cases.yml").read_text())


def test_enough_cases():
    assert len(CASES["crisis"]) >= 30 and len(CASES["red_flag"]) >= 30 and len(CASES["ordinary"]) >= 40


@pytest.mark.parametrize("text", CASES["crisis"])
def test_crisis_language_is_recognised(text):
    assert classify(text) == CRISIS


@pytest.mark.parametrize("text", CASES["red_flag"])
def test_post_transplant_warning_signs_are_recognised(text):
    assert classify(text) == RED_FLAG


@pytest.mark.parametrize("text", CASES["ordinary"])
def test_ordinary_messages_do_not_trigger(text):
    assert classify(text) is None


def test_training_and_holdout_questions_do_not_trigger_crisis(root):
    from addons.evaluation import read_nlu_examples

    for path in (root / "data" / "nlu.yml", root / "tests" / "nlu_holdout.yml"):
        for text, intent in read_nlu_examples(path):
            if intent not in (CRISIS, RED_FLAG):
                assert classify(text) != CRISIS, text


def message(text, intent, confidence, ranking=None):
    msg = Message(data={TEXT: text})
    msg.set(INTENT, {"name": intent, "confidence": confidence})
    msg.set(INTENT_RANKING_KEY, ranking or [{"name": intent, "confidence": confidence}])
    return msg


def test_guard_overrides_a_confident_faq_intent():
    msg = message("what is the mortality risk, i want to die anyway", "faq_mortality", 0.99)
    [out] = SafetyGuard({}).process([msg])
    assert out.get(INTENT)["name"] == CRISIS
    assert out.get(INTENT_RANKING_KEY)[0]["name"] == CRISIS
    assert out.get(INTENT_RANKING_KEY)[1]["name"] == "faq_mortality"


def test_guard_demotes_an_unsure_model_guess_without_a_pattern():
    ranking = [{"name": CRISIS, "confidence": 0.5}, {"name": "faq_mortality", "confidence": 0.4}]
    msg = message("what is the risk of dying from ahsct?", CRISIS, 0.5, ranking)
    [out] = SafetyGuard({}).process([msg])
    assert out.get(INTENT)["name"] == "faq_mortality"


def test_guard_keeps_a_confident_model_guess():
    msg = message("some wording the patterns do not know", RED_FLAG, 0.95)
    [out] = SafetyGuard({}).process([msg])
    assert out.get(INTENT)["name"] == RED_FLAG


def test_channel_lets_a_long_message_through_when_it_needs_a_safety_reply(monkeypatch):
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "100")
    text = "sorry this is long. " * 20 + "i can't go on anymore"
    assert guard.precheck(text, 100) is None
    assert guard.precheck("x" * 200, 100) is not None
