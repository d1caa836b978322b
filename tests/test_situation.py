"""A person's description of their situation, in the self-check's terms (actions/situation.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.situation import understand

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i had 2 relapses this year and new lesions on my mri. im 41", {"age": "18_44", "activity": "yes"}),
        (
            "My wife is 38, RRMS diagnosed in 2019, on ocrevus but still relapsing",
            {"age": "18_44", "ms_type": "relapsing", "years": "under_10", "dmt_failed": "yes"},
        ),
        (
            "I'm 58 with SPMS, use a cane, no relapses for years, mri stable",
            {"age": "over_56", "ms_type": "progressive", "walking": "one_aid", "activity": "no"},
        ),
        (
            "diagnosed 12 years ago, walk fine, tysabri stopped working",
            {"years": "10_plus", "walking": "unaided", "dmt_failed": "yes"},
        ),
        (
            "41F rrms, kesimpta failed, edss 3",
            {"age": "18_44", "ms_type": "relapsing", "walking": "unaided", "dmt_failed": "yes"},
        ),
        ("edss 6.5 and ppms", {"ms_type": "progressive", "walking": "two_aids"}),
        ("my son is 24 and has had 3 relapses in 6 months", {"age": "18_44", "activity": "yes"}),
        ("no new lesions", {"activity": "no"}),
        # Negated: read as relapses and active, the opposite, until 2026-12-01 (a stranger's chat).
        ("I haven't had a relapse in 8 years and my last MRI was stable", {"activity": "no"}),
        ("I said I have NOT had any relapses. My MS is not active.", {"activity": "no"}),
        ("no new lesions but a relapse in march", {}),
        # A twentieth stranger's (2026-12-03): MS active on a strong drug is that drug not working; on
        # another drug it is not, and a strong drug with no relapse is not.
        ("had my 3rd relapse this year even on ocrevus", {"activity": "yes", "dmt_failed": "yes"}),
        ("new lesions despite tysabri", {"activity": "yes", "dmt_failed": "yes"}),
        ("2 relapses last year on tecfidera", {"activity": "yes"}),
        ("no relapses since starting ocrevus", {"activity": "no"}),
        ("relapse free on kesimpta", {"activity": "no"}),
        ("never been relapse free", {"activity": "yes"}),  # a negated "no" phrase (review 20)
        ("no, tysabri didn't work", {"dmt_failed": "yes"}),
        # A twenty-eighth stranger's (2026-12-03): a negation reaches no further than its clause, and a
        # strong drug that has not worked is said in many ways; a body part that is not working is not one.
        (
            "I have RRMS since 2019 and Ocrevus not working well, new lesions. Is HSCT possible?",
            {"ms_type": "relapsing", "years": "under_10", "dmt_failed": "yes", "activity": "yes"},
        ),
        ("4 relapses and lost some sight. Tysabri hasn't stopped it.", {"dmt_failed": "yes", "activity": "yes"}),
        ("kesimpta isnt really working", {"dmt_failed": "yes"}),
        ("my legs are not working well, no relapses", {"activity": "no"}),
        ("no relapses, new lesions", {}),
    ],
)
def test_what_a_description_says_clearly_is_understood(knowledge, text, expected):
    assert understand(knowledge.self_check, text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "no relapses but new lesions",  # two answers to one question: left to ask
        "is it for someone like me?",
        "yes",  # only an answer to a question, not a description
        "i had 2 relapses",  # a number that is not an age
    ],
)
def test_nothing_unclear_is_guessed(knowledge, text):
    found = understand(knowledge.self_check, text, TODAY)
    assert "age" not in found
    if text.startswith(("no relapses", "is it", "yes")):
        assert found == {}


def test_the_age_bands_are_the_self_checks_own(knowledge):
    """What is understood is always one of the self-check's options, read as the check would."""
    check = knowledge.self_check
    for age in (17, 18, 44, 45, 56, 57, 70):
        found = understand(check, f"i'm {age} years old", TODAY)
        option = check.question("age").option(found.get("age"))
        assert option is not None and option.holds(age), age


def test_what_the_person_says_of_their_walking_comes_before_the_edss(knowledge):
    """'i use a stick outside now, neuro said edss 5.5' was read as walking without help, and went into
    the notes for the neurologist (a stranger's conversation, 2026-12-01)."""
    from actions.situation import understand

    assert understand(knowledge.self_check, "i use a stick outside now, neuro said edss 5.5")["walking"] == "one_aid"
    assert understand(knowledge.self_check, "neuro said edss 6.5")["walking"] == "two_aids"


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("sorry, I got that wrong, I'm actually 43 not 47", "18_44"),
        ("my age is 52", "45_56"),
        ("actually I'm 40", "18_44"),
    ],
)
def test_a_corrected_age_is_read(knowledge, text, band):
    """'I'm actually 43 not 47' and 'my age is 43' were not read, and the notes kept 45 to 56 (a
    stranger's conversation, 2026-12-01)."""
    from actions.situation import understand

    assert understand(knowledge.self_check, text)["age"] == band
    assert "age" not in understand(knowledge.self_check, "im actually 47 years into this disease")
