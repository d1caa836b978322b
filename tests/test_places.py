"""Where the person lives, as opposed to places they only mention (actions/places.py)."""

from __future__ import annotations

import pytest

from actions.places import mentioned_places, place_name, stated_place


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("I live in Canada", "canada"),
        ("i'm in the US", "us"),
        ("we're in the uk", "uk"),
        ("from Canada", "canada"),
        ("im from ireland originally", "ireland"),
        ("I live in the United States, not Mexico", "us"),
        ("I'm in the US, not Mexico", "us"),
        ("we're in the UK and thinking of mexico for treatment", "uk"),
        ("i moved to canada last year", "canada"),
        ("here in australia it's different", "australia"),
        ("UK", "uk"),
        ("uk please", "uk"),
        ("in the us", "us"),
        ("we live in the states", "us"),
        ("I live in Ohio", "us"),
        ("ohio", "us"),
        ("US", "us"),
        ("we're in the U.S.", "us"),
        ("I'm in Toronto", "canada"),
    ],
)
def test_where_the_person_says_they_live_is_found(knowledge, text, key):
    assert stated_place(text, knowledge) == key


@pytest.mark.parametrize(
    "text",
    [
        "clinics in Mexico",  # a destination
        "what does the NHS policy say",  # a topic
        "is it cheaper in russia",
        "how much does it cost in the us",  # a question about a place, not where they live
        "i'm not in the uk",
        "what about the uk?",
        "can you help us",  # "us", the word
        "tell us about the risks",
        "",
    ],
)
def test_a_place_only_mentioned_is_not_where_the_person_lives(knowledge, text):
    assert stated_place(text, knowledge) is None


def test_places_mentioned_are_found_in_order(knowledge):
    assert mentioned_places("I'm in the US, not Mexico", knowledge) == ["us", "mexico"]
    assert mentioned_places("nothing here", knowledge) == []


def test_answers_name_the_place_they_were_written_for(knowledge):
    assert place_name(knowledge, knowledge.place("canada")) == "Canada"
    assert place_name(knowledge, knowledge.place("uk")) == "the UK"
    assert place_name(knowledge, knowledge.place("new_zealand")) == "New Zealand"
