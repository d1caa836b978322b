"""The glossary: "what is neda", "what is a relapse exactly?" and "what is jacie?" got "AHSCT stands
for ..." (a fourth stranger's first messages, 2026-12-01). Now the definition, from the knowledge file."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.glossary import definition_text, term_asked, unknown_term_text
from addons.nlu.term_guard import DEFINE_TERM, TermQuestionGuard

GUARD = TermQuestionGuard({"fallback_threshold": 0.15})


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("what is neda, saw it in a paper about stem cells and ms", "neda"),
        # A score with the term (a twenty-eighth stranger, 2026-12-03, got the eligibility answer).
        ("wat does edss 6.5 even mean tho", "edss"),
        ("what does an edss of 6 mean", "edss"),
        # A twenty-ninth stranger's (2026-12-03): got what AHSCT is.
        ("what does 'highly active' mean", "highly_active"),
        ("sorry i meant what does highly active MS mean, like would mine count", "highly_active"),
        # The answers' own words, refused as unrelated (a sixth stranger).
        ("what does no sign of ms activity mean exactly", "neda"),
        ("what is meaning of high efficacy drug", "dmt"),
        ("sorry dumb question but what is a relapse exactly? ppl on the forum keep saying it", "relapse"),
        ("what is jacie? i never hear this", "jacie"),
        ("What does EDSS stand for", "edss"),
        ("edss?", "edss"),
        ("whats a DMT", "dmt"),
        ("what does neutropenic mean", "neutropenia"),
        ("what is conditioning in hsct?", "conditioning"),
        ("what counts as a relapse", "relapse"),
        ("i dont know what neda means", "neda"),
        ("what does neda mean in this context?", "neda"),
        ("meaning of mobilisation", "mobilisation"),
    ],
)
def test_a_question_about_a_word_finds_the_term(knowledge, text, term):
    assert term_asked(text, knowledge.glossary) == term


@pytest.mark.parametrize(
    "text",
    [
        "what is the relapse rate after hsct",
        "im edss 6.5 does that rule me out",
        "what does EDSS 7 mean for my risk though. be straight with me",  # a thirty-first stranger's
        "i had 2 relapses this year and new lesions on my mri",
        "what are the chances of relapse after hsct",
        "what is the chance of neda after hsct",
        "what is hsct",
        "what is lupus",
        "how long does mobilisation take",
        "what is the best dmt",
        # Another question after the word: the topic's answer explains the word too.
        "What is mobilisation and why is it needed?",
        "whats BEAM and how many people die from that version",
        "what is mobilisation in hsct? is that when they take the stem cells out",
    ],
)
def test_other_messages_are_not_a_question_about_a_word(knowledge, text):
    assert term_asked(text, knowledge.glossary) is None


def test_every_definition_is_sourced_and_every_word_belongs_to_one_term(knowledge):
    glossary = knowledge.glossary
    assert {"neda", "relapse", "edss", "jacie"} <= set(glossary)
    words = [w for term in glossary.values() for w in term.words]
    assert len(words) == len(set(words))
    for term in glossary.values():
        text = definition_text(term)
        assert term.text in text and "Source: " in text and "Last reviewed:" in text
        assert len(term.text) <= 400, term.id
        # Each term's own first word is found when asked about.
        assert term_asked(f"what is {term.words[0]}?", glossary) == term.id


def test_a_word_the_glossary_lacks_gets_the_words_it_has(knowledge):
    text = unknown_term_text(knowledge.glossary)
    assert "NEDA" in text and "relapse" in text and "JACIE" in text


def test_the_knowledge_file_check_refuses_a_word_given_to_two_terms(knowledge):
    import yaml

    from actions.knowledge.loader import KnowledgeError, parse_knowledge

    data = yaml.safe_load(knowledge.path.read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["glossary"]["edss"]["words"].append("neda")
    with pytest.raises(KnowledgeError, match="'neda' is already a word of 'neda'"):
        parse_knowledge(broken, knowledge.path)
    broken = copy.deepcopy(data)
    del broken["glossary"]["jacie"]["sources"]
    with pytest.raises(KnowledgeError, match="glossary term 'jacie', field 'sources'"):
        parse_knowledge(broken, knowledge.path)


def parsed(text, ranking):
    msg = Message(data={TEXT: text})
    msg.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    msg.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return msg


def test_the_guard_answers_the_word_not_the_topic_the_classifier_guessed():
    text = "what is jacie? i never hear this"
    [out] = GUARD.process([parsed(text, [("faq_what_is_ahsct", 0.64), ("faq_treatment_abroad", 0.08)])])
    assert out.get(INTENT)["name"] == DEFINE_TERM
    assert out.get(INTENT_RANKING_KEY)[1]["name"] == "faq_what_is_ahsct"


def test_a_word_asked_with_a_situation_told_is_the_word():
    """An eighth stranger (2026-12-02): "wat does EDSS mean? doc said hes 6.5" got the self-check offer."""
    [out] = GUARD.process([parsed("wat does EDSS mean? doc said hes 6.5", [("describe_situation", 0.24)])])
    assert out.get(INTENT)["name"] == DEFINE_TERM
    [out] = GUARD.process([parsed("im 41, rrms, edss 3, 2 relapses this year", [("describe_situation", 0.9)])])
    assert out.get(INTENT)["name"] == "describe_situation"


@pytest.mark.parametrize("intent", ["crisis", "red_flag", "stop", "express_feelings"])
def test_the_guard_never_changes_safety_commands_or_feelings(intent):
    [out] = GUARD.process([parsed("what is a relapse?", [(intent, 0.9), ("faq_risks", 0.1)])])
    assert out.get(INTENT)["name"] == intent


def test_define_term_without_a_word_gets_the_next_intent_or_not_sure():
    [out] = GUARD.process([parsed("what is lupus", [(DEFINE_TERM, 0.5), ("out_of_scope", 0.4)])])
    assert out.get(INTENT)["name"] == "out_of_scope"
    [out] = GUARD.process([parsed("what is lupus", [(DEFINE_TERM, 0.9), ("out_of_scope", 0.05)])])
    assert out.get(INTENT)["name"] == "nlu_fallback"


@given(st.text(max_size=400))
def test_any_text_gives_a_known_term_or_none(text):
    from actions.store import get_knowledge

    glossary = get_knowledge().glossary
    found = term_asked(text, glossary)
    assert found is None or found in glossary
    [out] = GUARD.process([parsed(text, [("faq_risks", 0.5), ("out_of_scope", 0.3)])])
    assert out.get(INTENT)["name"] in ("faq_risks", DEFINE_TERM)


@given(
    st.lists(
        st.sampled_from(["what", "is", "neda", "?", "a", "relapse", "and", "why", "edss", ",", "mean"]), max_size=40
    )
)
def test_word_salad_from_the_terms_never_breaks_it(words):
    from actions.store import get_knowledge

    glossary = get_knowledge().glossary
    found = term_asked(" ".join(words), glossary)
    assert found is None or found in glossary


async def test_the_action_sends_the_definition_with_its_sources(knowledge, dispatcher, tracker_for, domain):
    from actions.glossary_actions import ActionDefineTerm

    tracker = tracker_for(DEFINE_TERM, text="what is neda, saw it in a paper about stem cells and ms")
    await ActionDefineTerm().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"] == definition_text(knowledge.glossary["neda"])

    tracker = tracker_for(DEFINE_TERM, text="/define_term")
    await ActionDefineTerm().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["text"] == unknown_term_text(knowledge.glossary)
