"""The other question of a two-question message (actions/topics.py), what is offered under the
answer (actions/answers.also_asked_about) and what is answered too (actions/answers.other_to_answer)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.answers import TWO_QUESTIONS_MAX_WORDS, also_asked_about, other_to_answer
from actions.topics import TOPIC_WORDS, other_topic, parts, topic_of, topics_asked


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
    ("text", "questions"),
    [
        # "was" and "were" start a question like "is" and "are".
        (
            "what did the uk study find and was it different from the meta analysis",
            ["what did the uk study find", "was it different from the meta analysis"],
        ),
        # A "+" between questions, typed on a phone.
        ("where do i get it + is there a trial", ["where do i get it", "is there a trial"]),
        ("how long does immunity stay low, and separately what signs mean we call", None),
        # Not a join: "+" inside a word or a number, "was" without "and" before it.
        ("is c++ hard", ["is c++ hard"]),
        ("it was 2+2 and was fun", ["it was 2+2", "was fun"]),
        ("what was the dose", ["what was the dose"]),
    ],
)
def test_where_one_question_ends(text, questions):
    found = parts(text)
    if questions is None:
        assert len(found) == 2 and found[1].startswith("what signs"), found
    else:
        assert found == questions


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


@pytest.mark.parametrize(
    ("text", "questions"),
    [
        ("does it work for ppms and whats the age cut off", ["does it work for ppms", "whats the age cut off"]),
        ("chance of dying n what happens day by day", ["chance of dying", "what happens day by day"]),
        ("which is better ahsct or kesimpta and where does your info come from", 2),
        ("can i have it and still work", 1),  # "and" before no question word: one question
        ("hw risky is it n wat r the side efects", ["hw risky is it", "wat r the side efects"]),  # text-speak
        ("is it approved here or is mexico the only option", 1),  # "or" is not a join
    ],
)
def test_questions_are_cut_at_joins_before_a_question_word(text, questions):
    found = parts(text)
    assert found == questions if isinstance(questions, list) else len(found) == questions


def test_each_question_counts_for_the_classifiers_topic_if_sure_else_the_one_its_words_name():
    assert topic_of("is it approved in canada", "fda_status", 0.9, 0.5) == "fda_status"
    assert topic_of("how much does it cost", "access", 0.3, 0.5) == "cost"  # unsure: the words
    assert topic_of("how much does it cost", None, 0.99, 0.5) == "cost"  # not an FAQ intent
    assert topic_of("thanks so much for this", None, 0.9, 0.5) is None
    assert topic_of("the cost and the risks please", None, 0.0, 0.5) is None  # two named: neither


def test_a_job_is_not_whether_it_works():
    """ "how long before i could go back to work after real hsct. i work in IT" got "You also asked: Does
    AHSCT work for MS?" (a twenty-fourth stranger, 2026-12-03)."""
    assert topic_of("i work in IT", None, 0.0, 0.5) is None
    assert topic_of("we work shifts", None, 0.0, 0.5) is None
    assert topic_of("does it work", None, 0.0, 0.5) == "effectiveness"
    assert topic_of("will it work for me", None, 0.0, 0.5) == "effectiveness"


def test_topics_asked_in_order_each_once():
    assert topics_asked(["fda_status", None, "cost", "fda_status"]) == ["fda_status", "cost"]
    assert topics_asked([None, None]) == []


def test_the_next_topic_asked_is_offered_before_words_and_second_guesses():
    ranking = [{"name": "faq_cost", "confidence": 0.7}, {"name": "faq_risks", "confidence": 0.3}]
    known = ["cost", "risks", "what_is_ahsct", "fertility"]
    text = "what even is hsct and how much is it and can i have kids after"
    assert also_asked_about(text, "cost", ranking, 0.2, known, ["what_is_ahsct", "cost", "fertility"]) == [
        "what_is_ahsct"
    ]
    # Unknown entries and the answered one are never offered; then the words decide, as before.
    assert also_asked_about(text, "cost", ranking, 0.2, known, ["cost", "nonsense", 7]) == ["fertility"]


@pytest.mark.parametrize(
    ("part", "worded"),
    [
        ("does she lose her hair", True),
        ("and how long off work", True),
        ("so what is it", True),
        ("ok so long story, my sister was on tecfidera then tysabri", False),
        ("she had 2 relapses this year", False),
    ],
)
def test_a_part_is_a_question_by_its_wording(part, worded):
    from actions.topics import reads_as_question

    assert reads_as_question(part) is worded


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("My neurologist mentioned the transplant. Does Medicare cover it?", True),
        ("my neurologist mentioned the transplant!! does medicare cover it", True),
        ("hair loss?? also how many days in hospital", False),  # asked with a question mark
        ("ok total beginner here what even is ahsct and whats the process", False),  # a join
        ("is it safe. does medicare cover it?", False),  # worded as a question
        ("my neurologist mentioned the transplant", False),  # the message is one part
    ],
)
def test_a_statement_is_a_part_not_asked_and_ended_by_a_full_stop(text, told):
    from actions.topics import is_told, parts

    assert is_told(parts(text)[0], text) is told


KNOWN = ("fda_status", "cost", "risks", "fertility", "side_effects", "effectiveness", "hospital_stay")


@pytest.mark.parametrize(
    ("text", "answered", "asked", "other"),
    [
        # The NLU's questions first, then the words of the other question.
        ("is it fda approved and how much does it cost", "fda_status", ["fda_status", "cost"], "cost"),
        ("is it fda approved and how much does it cost", "fda_status", None, "cost"),
        ("how much does it cost? is it safe?", "cost", ["cost", "risks"], "risks"),
        # One question: nothing more to answer, whatever the classifier's second guess.
        ("is it fda approved", "fda_status", ["fda_status"], None),
        # A topic only told about, in a sentence ended by a full stop, is not a question.
        ("my insurer will not pay. is it fda approved", "fda_status", ["cost", "fda_status"], None),
        # A story around its questions: the other topic is only offered.
        (
            " ".join(["we"] * TWO_QUESTIONS_MAX_WORDS) + " is it fda approved and how much does it cost",
            "fda_status",
            ["fda_status", "cost"],
            None,
        ),
        # Never a topic the knowledge file does not have.
        ("is it fda approved and how much does it cost", "fda_status", ["fda_status", "nonsense"], "cost"),
    ],
)
def test_the_other_question_answered_too(text, answered, asked, other):
    assert other_to_answer(text, answered, asked, KNOWN) == other


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["a", "b", " ", "?", ".", "!", "\n", "cost", " and how ", "fda", "safe", " is it "]),
        max_size=60,
    ).map("".join),
    answered=st.sampled_from(KNOWN),
    asked=st.one_of(st.none(), st.lists(st.sampled_from([*KNOWN, "other", ""]), max_size=4)),
)
def test_the_other_question_is_never_the_one_answered_nor_unknown(text, answered, asked):
    other = other_to_answer(text, answered, asked, KNOWN)
    assert other is None or (other != answered and other in KNOWN)
    if other is not None:
        assert len(text.split()) <= TWO_QUESTIONS_MAX_WORDS


@given(st.text(max_size=300), st.sampled_from(["", " hsct", " is it", " the transplant"]))
def test_two_drugs_compared_never_counts_a_message_about_ahsct(text, about):
    from actions.topics import compares_other_drugs_only

    message = f"kesimpta or ocrevus {text}{about}"
    assert not (about and compares_other_drugs_only(message))


@given(st.text(max_size=300))
def test_a_message_that_names_ms_is_never_about_another_illness_only(text):
    from actions.topics import about_another_illness

    assert not about_another_illness(f"{text} parkinsons and my ms {text}")
