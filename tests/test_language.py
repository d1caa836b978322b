"""actions/language.py: a message in another language is told, in that language, that the answers
are in English; an English message never is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.language import (
    _ENGLISH,
    ENGLISH_ONLY_TEXT,
    ONLY_ENGLISH_TEXT,
    language_asked_for,
    language_of,
    only_english_text,
)
from devtools.evaluation import read_nlu_examples, read_training_examples, read_written_tuning_sets


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("¿El HSCT está aprobado en España? Mi madre tiene EM", "es"),
        ("hola, tengo esclerosis múltiple y quiero saber cuánto cuesta el trasplante", "es"),
        ("Bonjour, est-ce que la greffe est possible pour ma fille ?", "fr"),
        ("Ich habe MS. Ist die Stammzelltransplantation in Deutschland möglich?", "de"),
        ("Ciao, mia madre ha la sclerosi multipla, il trapianto è sicuro?", "it"),
        ("Olá, minha mãe tem esclerose múltipla, quanto custa o transplante?", "pt"),
        ("Dzień dobry, czy przeszczep jest możliwy w Polsce? Mam stwardnienie rozsiane", "pl"),
    ],
)
def test_a_message_in_another_language_is_told_in_it_that_answers_are_in_english(text, lang):
    assert language_of(text) == lang
    assert only_english_text(text) == ONLY_ENGLISH_TEXT[lang]


@pytest.mark.parametrize(
    "text",
    [
        "what is hsct",
        "que es hsct",  # too little to tell
        "hola",
        "i had my transplant at la Charité in Berlin, what is de novo",
        "my neurologist Dr de la Cruz says I could be a candidate, is that the case for someone with RRMS?",
        "",
        "12345 !!!",
    ],
)
def test_english_and_too_short_messages_are_left_alone(text):
    assert language_of(text) is None


def test_no_english_line_the_project_holds_is_taken_for_another_language(root):
    pairs = [*read_training_examples(root / "data" / "nlu"), *read_nlu_examples(root / "tests" / "nlu_tuning.yml")]
    written = [m["text"] for messages in read_written_tuning_sets(root / "tests").values() for m in messages]
    lines = [text for text, _ in pairs] + written
    assert len(lines) > 5000
    assert [t for t in lines if language_of(t)] == []


@given(st.lists(st.sampled_from(sorted(_ENGLISH) + ["hsct", "ms", "transplant", "la", "de", "el", "que"]), max_size=30))
def test_english_words_with_at_most_twice_as_many_borrowed_ones_are_english(words):
    borrowed = sum(w in ("la", "de", "el", "que") for w in words)
    english = sum(w in _ENGLISH for w in words)
    if borrowed <= 2 * english:
        assert language_of(" ".join(words)) is None


@given(st.text(max_size=2000))
def test_any_text_gets_a_language_or_none(text):
    assert language_of(text) in (None, *ONLY_ENGLISH_TEXT)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my english is not good, you can answer in spanish please?", "es"),
        ("do you speak french", "fr"),
        ("¿hablas español?", "es"),
        ("Sprechen Sie Deutsch?", "de"),
        ("spanish please", "es"),
        ("my husband is spanish, can he get it in spain", None),
        ("I live in France", None),
        ("what is hsct", None),
    ],
)
def test_a_request_for_another_language_is_recognised(text, lang):
    assert language_asked_for(text) == lang


@pytest.mark.parametrize("action", ["change_region", "out_of_scope", "not_sure"])
async def test_a_request_for_spanish_hears_in_spanish_and_english_that_answers_are_in_english(
    action, dispatcher, tracker_for, domain
):
    """'my english is not good, you can answer in spanish please?' got 'Where do you live?' (change_region
    0.32; a sixth stranger, who had said she lived in Argentina)."""
    from actions.actions import ActionNotSure
    from actions.support import ActionChangeRegion, ActionOutOfScope

    runner = {"change_region": ActionChangeRegion, "out_of_scope": ActionOutOfScope, "not_sure": ActionNotSure}
    tracker = tracker_for(action, text="my english is not good, you can answer in spanish please?")
    events = await runner[action]().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [ONLY_ENGLISH_TEXT["es"], ENGLISH_ONLY_TEXT]
    assert events == []  # where the person lives is not forgotten
