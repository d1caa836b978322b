"""Plain English, measured with a readability library (textstat): every answer and variant at
most Flesch-Kincaid grade 8, every detail at most grade 10, every notice at most grade 10."""

from __future__ import annotations

import re

import pytest
import textstat

from actions.answers import format_date, source_line

MAX_ANSWER_GRADE = 8.0
MAX_DETAIL_GRADE = 10.0
MAX_FIRST_MESSAGE_CHARS = 900  # answer text plus its Source lines; most are near 600 (phone-sized)
# On a phone the widget shows each "Source: <label> <url>" line as a link with the label as its text, and
# the message ends with "Last reviewed: <date>". 520 leaves room for the one-line note of which region an
# answer was written for, within the 600 characters of a first message.
MAX_PHONE_CHARS = 520

# "Ask your neurologist" and its kin: a sentence that sends the person to their own MS team.
MS_TEAM_POINTER = re.compile(
    r"\b(ask|talk to|talk with|speak to|check [^.?!]*? with)\b[^.?!]*?\b(neurologist|MS team|MS nurse|your team)\b"
    r"|\b(neurologist|MS team)\b[^.?!]*\b(can|will|usually) (tell|say|explain|talk|refer)"
    r"|\bchoice for you and your neurologist",
    re.IGNORECASE,
)
# The reflex: a pointer that says nothing about what the neurologist would add.
BARE_POINTER = re.compile(
    r"^(please )?(ask|talk to|speak to|check with) your (ms )?(neurologist|ms team|team|doctor)( first)?\.$"
    r"|^your (ms )?(neurologist|ms team) can tell you more\.$",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True, scope="module")
def british_english():
    """Syllables from pyphen's British English dictionary (our spelling: "haematopoietic").
    textstat 0.7.5 only looks words up in CMUdict for en_US, and fails on words it lacks."""
    textstat.set_lang("en_GB")
    yield
    textstat.set_lang("en_US")


def shown_texts(knowledge):
    for entry in knowledge.entries.values():
        for key, part in entry.parts.items():
            yield f"{entry.id}.{key}", key, part


def test_every_answer_and_variant_is_grade_8_or_below(knowledge):
    grades = {name: textstat.flesch_kincaid_grade(p.text) for name, key, p in shown_texts(knowledge) if key != "detail"}
    assert len(grades) >= 35
    too_hard = {name: grade for name, grade in grades.items() if grade > MAX_ANSWER_GRADE}
    assert not too_hard


def test_every_detail_is_grade_10_or_below(knowledge):
    grades = {name: textstat.flesch_kincaid_grade(p.text) for name, key, p in shown_texts(knowledge) if key == "detail"}
    assert len(grades) == 24
    assert not {name: grade for name, grade in grades.items() if grade > MAX_DETAIL_GRADE}


def test_safety_and_support_notices_are_plain(knowledge):
    for notice in knowledge.notices.values():
        for part in [notice.part_for(), *notice.parts.values()]:
            assert textstat.flesch_kincaid_grade(part.text) <= MAX_DETAIL_GRADE, notice.id


def test_the_first_message_of_an_answer_stays_phone_sized(knowledge):
    for name, key, part in shown_texts(knowledge):
        if key != "detail":
            assert len(part.text) + 1 + len(source_line(part)) <= MAX_FIRST_MESSAGE_CHARS, name


def phone_chars(entry, part) -> int:
    """What a phone shows of an answer: the text, one link per source (its label), the review date."""
    links = sum(len(f"Source: {src.label}") + 1 for src in part.sources)
    return len(part.text) + links + len(f"Last reviewed: {format_date(entry.last_reviewed)}")


def test_every_answer_and_variant_fits_a_phone_screen(knowledge):
    sizes = {
        f"{entry.id}.{key}": phone_chars(entry, part)
        for entry in knowledge.entries.values()
        for key, part in entry.parts.items()
        if key != "detail"
    }
    assert len(sizes) >= 39
    assert not {name: size for name, size in sizes.items() if size > MAX_PHONE_CHARS}


def pointers(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if MS_TEAM_POINTER.search(s)]


@pytest.mark.parametrize(
    "sentence, bare",
    [
        ("Ask your MS neurologist.", True),
        ("Talk to your neurologist first.", True),
        ("Your MS neurologist can tell you more.", True),
        ("Please check anything important with your MS team.", False),
        ("Ask your neurologist about a referral.", False),
        ("Only an MS neurologist working with a transplant team can say if it might suit you.", False),
    ],
)
def test_the_pointer_detector_finds_ask_your_neurologist_and_tells_bare_from_specific(sentence, bare):
    assert pointers(sentence) == [sentence]
    assert bool(BARE_POINTER.match(sentence)) == bare


def test_ask_your_neurologist_at_most_once_per_text_and_only_where_it_adds_something(knowledge):
    found = {name: pointers(part.text) for name, _, part in shown_texts(knowledge)}
    for name, sentences in found.items():
        assert len(sentences) <= 1, (name, sentences)
        assert not any(BARE_POINTER.match(s) for s in sentences), (name, sentences)
    # Not a reflex at the end of every answer: where it adds something (criteria, referral, own risk).
    assert sum(bool(s) for s in found.values()) <= len(found) // 4, {n: s for n, s in found.items() if s}


@pytest.mark.parametrize(
    "text, expected_max",
    [("The cat sat on the mat. It was happy.", 2), ("Autologous haematopoietic stem cell transplantation.", 30)],
)
def test_the_library_measures_what_we_think(text, expected_max):
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= expected_max
    assert (grade > MAX_ANSWER_GRADE) == (expected_max > 10)
