"""Commands only when the message is the command (addons/nlu/commands.py, command_guard.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.command_guard import CommandGuard
from addons.nlu.commands import is_acknowledgement, is_command, keeps_command


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("stop", "stop"),
        ("stop", "please stop"),
        ("stop", "Stop the check"),
        ("stop", "ok stop now"),
        ("start_over", "start over"),
        ("start_over", "can we start again please"),
        ("start_over", "restart"),
        ("help", "help"),
        ("help", "What can you do?"),
        ("help", "?"),
    ],
)
def test_the_command_given_on_its_own_is_a_command(intent, text):
    assert is_command(intent, text)


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("stop", "we want kids... would it stop that?"),
        ("stop", "can it stop progression"),
        ("stop", "does hsct stop ms for good"),
        ("start_over", "when does the chemo start over again"),
        ("help", "does it help with fatigue"),
        ("help", "will it help my walking"),
        ("start", "when does the treatment start"),
    ],
)
def test_a_question_containing_the_word_is_not_a_command(intent, text):
    assert not is_command(intent, text)
    assert not keeps_command(intent, text)


@pytest.mark.parametrize(
    ("intent", "text", "kept"),
    [
        ("help", "what topics do you cover", True),
        ("help", "what sort of things do you know about", True),
        ("stop", "i dont want to carry on with this", True),
        ("start", "hiya, can we get going", True),
        ("start_over", "erase what i told you earlier", False),  # forgets everything: only the command itself
        ("help", "can hsct help my fatigue", False),
        ("stop", "will it stop my relapses", False),
        # The self-check's ways to pass on one question are not stop (the classifier took "skip" for it).
        ("stop", "skip", False),
        ("stop", "pass", False),
        ("stop", "next question", False),
        ("stop", "i'd rather not say", False),
        ("stop", "i don't want to say", False),
    ],
)
def test_a_command_asked_for_without_its_words_is_kept(intent, text, kept):
    """The classifier's command stands when the message does not use the command's words; a
    question that merely contains them gets its topic instead (the case above)."""
    assert keeps_command(intent, text) is kept


def parsed(text, ranking):
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return message


def test_the_guard_gives_a_question_its_topic_instead_of_the_command():
    message = parsed(
        "we want kids... would it stop that?", [("stop", 0.7), ("faq_fertility", 0.25), ("faq_risks", 0.05)]
    )
    [out] = CommandGuard({"fallback_threshold": 0.2}).process([message])
    assert out.get(INTENT)["name"] == "faq_fertility"
    assert out.get(INTENT)["confidence"] == pytest.approx(0.25 / 0.3)
    assert [r["name"] for r in out.get(INTENT_RANKING_KEY)] == ["faq_fertility", "faq_risks"]


def test_the_guard_says_not_understood_when_nothing_else_is_likely():
    message = parsed("help with my benefits form", [("help", 0.95), ("faq_cost", 0.01), ("out_of_scope", 0.04)])
    [out] = CommandGuard({"fallback_threshold": 0.9}).process([message])
    assert out.get(INTENT)["name"] == "nlu_fallback"


def test_the_guard_leaves_real_commands_and_other_intents_alone():
    for text, ranking in [("stop", [("stop", 0.9), ("faq_risks", 0.1)]), ("is it safe", [("faq_risks", 0.9)])]:
        [out] = CommandGuard({}).process([parsed(text, ranking)])
        assert out.get(INTENT)["name"] == ranking[0][0]


@pytest.mark.parametrize(
    ("text", "command"), [("start over", "start_over"), ("reset the chat", "start_over"), ("please stop", "stop")]
)
def test_a_message_that_is_a_command_gets_it_whatever_the_classifier_guessed(text, command):
    message = parsed(text, [("nlu_fallback", 0.9), ("faq_hospital_stay", 0.06)])
    [out] = CommandGuard({}).process([message])
    assert out.get(INTENT)["name"] == command and out.get(INTENT)["confidence"] == 1.0


def test_crisis_is_never_turned_into_a_command():
    message = parsed("stop", [("crisis", 0.9), ("stop", 0.1)])
    [out] = CommandGuard({}).process([message])
    assert out.get(INTENT)["name"] == "crisis"


@pytest.mark.parametrize(
    "text", ["ok", "Okay.", "ok got it", "oh i see", "right", "hmm", "k", "ok then", "fair enough"]
)
def test_a_message_that_only_acknowledges_is_taken_as_thanks(text):
    """ "ok" after the cost answer got "not checked for Canada" again, "i see" got "Goodbye", "right" got
    "Sorry, I got that wrong" (a nineteenth stranger, 2026-12-03)."""
    assert is_acknowledgement(text)
    message = parsed(text, [("followup_context", 0.24), ("greet", 0.21), ("thanks", 0.16)])
    [out] = CommandGuard({}).process([message])
    assert out.get(INTENT)["name"] == "thanks"


@pytest.mark.parametrize(
    "text",
    [
        "ok so how much is it",
        "is it ok to fly after",
        "yes",
        "no",
        "sure",
        "then what",
        "ok stop",
        "right side weakness",
    ],
)
def test_a_question_or_an_answer_is_not_an_acknowledgement(text):
    assert not is_acknowledgement(text)


def test_an_acknowledgement_never_replaces_a_safety_intent():
    message = parsed("oh", [("red_flag", 0.9), ("thanks", 0.1)])
    [out] = CommandGuard({}).process([message])
    assert out.get(INTENT)["name"] == "red_flag"
