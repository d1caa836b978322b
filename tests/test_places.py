"""Where the person lives, as opposed to places they only mention (actions/places.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.places import denied_places, mentioned_places, only_place_named, place_name, stated_place


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
        # A town the knowledge file does not know, then the country (a seventh stranger, 2026-12-02).
        ("hello my wife has spms, shes 49. were in cork ireland", "ireland"),
        ("im from leeds uk", "uk"),
        ("ireland i said", "ireland"),
        # An eleventh stranger's (2026-12-02): "cork" was not read.
        ("im in cork", "ireland"),
        # "live" with no subject in a self-description (2026-12-03).
        ("hi im 52 with spms, edss 6.5, live in ohio", "us"),
        ("my neuro in houston says no but the clinic in mexico says its approved", "us"),
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
        "i dont live in the uk",  # a fourteenth stranger (2026-12-02): set the UK
        "do people who live in the uk get it free",  # "the" was read as a town before a country
        "can you live in the uk and go to mexico",
        "we no longer live in spain",
        "I'm not based in the US",
        "what about the uk?",
        "can you help us",  # "us", the word
        "tell us about the risks",
        "we're looking at clinics in mexico",
        "im thinking mexico",
        "",
    ],
)
def test_a_place_only_mentioned_is_not_where_the_person_lives(knowledge, text):
    assert stated_place(text, knowledge) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i dont live in the uk", None),
        ("we don't live in spain any more", None),
        ("i dont live in the uk, im in canada", "canada"),
    ],
)
def test_where_the_person_says_they_do_not_live_is_not_their_place(knowledge, text, expected):
    assert only_place_named(text, knowledge) in (None, expected)
    assert stated_place(text, knowledge) == expected
    assert mentioned_places(text, knowledge) == ([expected] if expected else [])
    assert denied_places(text, knowledge) and expected not in denied_places(text, knowledge)


@pytest.mark.parametrize("text", ["31m rrms from brissy. how do i get hsct", "how do i get hsct in aus??"])
def test_australia_in_short_words_is_a_place_mentioned(knowledge, text):
    """An eleventh stranger (2026-12-02): "aus" and "brissy" got "Where do you live?"."""
    assert mentioned_places(text, knowledge) == ["australia"]


def test_places_mentioned_are_found_in_order(knowledge):
    assert mentioned_places("I'm in the US, not Mexico", knowledge) == ["us", "mexico"]
    assert mentioned_places("nothing here", knowledge) == []


def test_answers_name_the_place_they_were_written_for(knowledge):
    assert place_name(knowledge, knowledge.place("canada")) == "Canada"
    assert place_name(knowledge, knowledge.place("uk")) == "the UK"
    assert place_name(knowledge, knowledge.place("new_zealand")) == "New Zealand"


WORDS = st.sampled_from(["in", "not", "the", "uk", "mexico", "ohio", "i", "live", "US", "from"])


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300) | st.lists(WORDS, max_size=12).map(" ".join))
def test_only_place_named_is_one_of_the_places_named_and_never_fails(knowledge, text):
    key = only_place_named(text, knowledge)
    assert key is None or set(mentioned_places(text, knowledge)) == {key}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("im 45 from glasgow", "uk"),
        ("hi, 45 year old woman in glasgow with rrms, my neuro refused to refer me", "uk"),
        ("34M, Ontario, failed copaxone", "canada"),
        ("28f in dublin", "ireland"),
        ("we spent 3 weeks in mexico", None),
        ("i had 2 relapses in 2024 and went to clinics in mexico", None),
        ("im 30 and thinking of going to mexico", None),
        # A twenty-fourth stranger (2026-12-03) was asked where he lives: the one place a message names is
        # "here" in "can i get it here", unless it is where a clinic is.
        ("G'day. 47, PPMS dx 6 yrs ago, EDSS about 5. Melbourne. Can I get HSCT here", "australia"),
        ("the clinic in mexico is cheap. can i get it here", None),
        ("is it done in mexico", None),
    ],
)
def test_who_the_person_is_then_where_is_where_they_live(text, expected, knowledge):
    """Strangers' conversations (2026-12-01): the place was not kept, and "Where do you live?" came later."""
    from actions.places import stated_place

    assert stated_place(text, knowledge) == expected
