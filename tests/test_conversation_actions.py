"""Actions for context, safety notices, human help, session start and starting over."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.actions import ActionAnswerFaq, ActionNotSure, misunderstandings_in_a_row
from actions.answers import format_source
from actions.followups import ActionFollowUp
from actions.messages import (
    CHANGE_REGION_BUTTON,
    FIRST_TURN_NOTE,
    NO_TOPIC_YET_TEXT,
    REGION_BUTTONS,
    REGION_NOTED_TEXT,
    REGION_QUESTION_TEXT,
    SAFETY_OF_TEXT,
    SAME_EVERYWHERE_TEXT,
    START_OVER_TEXT,
)
from actions.safety import ActionHumanHelp, ActionSafetyNotice, ActionStartOver
from actions.tracker_utils import is_first_turn


def user_event(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


@pytest.mark.parametrize(
    "text",
    ["say that again simpler pls", "sorry my english not so good. you can say more simple?", "in plain english?"],
)
async def test_say_it_simpler_gives_the_answers_first_sentence_not_the_detail(
    text, knowledge, dispatcher, tracker_for, domain
):
    """'say that again simpler' got the 1,435-character detail (a stranger's conversation, 2026-12-01)."""
    from actions.messages import SIMPLER_TEXT

    tracker = tracker_for("ask_more", text=text, slots={"last_topic": "mortality"})
    await ActionFollowUp().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    first = knowledge.entries["mortality"].answer.split(". ")[0]
    assert message["text"].startswith(SIMPLER_TEXT.format(summary=first))
    assert "Source" in message["text"] and len(message["text"]) <= 600  # a first message on a phone
    assert knowledge.entries["mortality"].detail[:60] not in message["text"]


async def test_say_it_simpler_says_more_than_a_heading(knowledge, dispatcher, tracker_for, domain):
    """'simpler please' after the procedure got only "In short: AHSCT happens in stages." (a stranger's
    conversation, 2026-12-01)."""
    tracker = tracker_for("ask_more", text="simpler please", slots={"last_topic": "procedure"})
    await ActionFollowUp().run(dispatcher, tracker, domain)
    summary = dispatcher.messages[0]["text"].split("\n")[0]
    assert len(summary) >= 80 and summary.count(". ") >= 1
    assert len(summary) < len(knowledge.entries["procedure"].answer)


async def test_a_new_place_is_not_the_answer_above_when_another_place_was_shown_last(
    knowledge, dispatcher, tracker_for, domain
):
    """After a US insurer's cost answer, "I'm in Australia!!" got "The answer above is the one for
    Australia" because the general answer had been shown earlier (a stranger's conversation, 2026-12-01)."""
    from actions.answers import answer_key
    from actions.messages import SAME_ANSWER_TEXT

    entry = knowledge.entries["cost"]
    shown = ["|" + answer_key(entry, entry.answer_part), "|" + answer_key(entry, entry.parts["region.us"])]
    tracker = tracker_for(
        "followup_context",
        text="I'm in Australia!!",
        slots={"last_topic": "cost", "answered": shown},
        entities=[{"entity": "region", "value": "australia"}],
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert not any(SAME_ANSWER_TEXT.format(place="Australia") in t for t in texts)
    assert texts[-1].startswith(entry.variants["country"]["australia"])  # Australia's own, since 2026-12-03


async def test_tell_me_more_gives_the_last_topics_detail(knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for("ask_more", slots={"last_topic": "uk_study"})
    await ActionFollowUp().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.entries["uk_study"].detail)


async def test_where_is_that_from_lists_every_source(knowledge, dispatcher, tracker_for, domain):
    entry = knowledge.entries["effectiveness"]
    await ActionFollowUp().run(dispatcher, tracker_for("ask_source", slots={"last_topic": entry.id}), domain)
    text = dispatcher.messages[0]["text"]
    for src in entry.sources:
        assert format_source(src) in text


async def test_and_in_the_uk_uses_the_regional_variant(knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for(
        "followup_context",
        slots={"last_topic": "cost", "region": "uk"},
        entities=[{"entity": "region", "value": "uk"}],
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.entries["cost"].variants["region"]["uk"])


@pytest.mark.parametrize("kept", [None, "uk"])
async def test_a_place_the_person_does_not_live_in_is_dropped_and_where_asked(kept, dispatcher, tracker_for, domain):
    """A fourteenth stranger (2026-12-02): "i dont live in the uk" after the NHS answer got "The answer
    above is the one for the UK"."""
    from actions.messages import CHANGE_REGION_TEXT

    text = "i dont live in the uk"
    tracker = tracker_for(
        "followup_context",
        text=text,
        slots={"last_topic": "access", "region": kept},
        entities=[{"entity": "region", "value": "uk"}],
    )
    events = await ActionFollowUp().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [CHANGE_REGION_TEXT]
    assert [e.get("value", "") for e in events if e.get("name") == "region"] == ([None] if kept else [])


async def test_region_that_changes_nothing_is_said_so(knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for(
        "followup_context",
        slots={"last_topic": "what_is_ahsct", "region": "uk"},
        entities=[{"entity": "region", "value": "uk"}],
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == SAME_EVERYWHERE_TEXT
    assert dispatcher.messages[1]["text"].startswith(knowledge.entries["what_is_ahsct"].answer)


async def test_a_country_named_in_the_question_is_offered_when_asking_where_the_person_lives(
    knowledge, dispatcher, tracker_for, domain
):
    """ "hsct available in india?" got "Where do you live?" and the person typed India again (a fifth stranger)."""
    from actions.answers import answer_key, answer_reply

    entry = knowledge.entries["access"]
    reply = answer_reply(knowledge, entry, named_countries=["india"])
    first = reply.buttons[0]
    assert first["title"] == "I live in India"
    # Not asked where they live right after naming India (a sixth stranger, with Canada).
    assert 'If you live in India, tap "I live in India".' in reply.text and "Where do you live?" not in reply.text
    assert "Where do you live?" in answer_reply(knowledge, entry).text
    # Pressing it: the person lives in India, and hears the text for countries we have not checked.
    tracker = tracker_for(
        "followup_context",
        text=first["payload"],
        slots={"last_topic": "access", "answered": ["|" + answer_key(entry, entry.part_for())]},
        entities=[{"entity": "region", "value": "india"}],
    )
    events = await ActionFollowUp().run(dispatcher, tracker, domain)
    [text] = [m["text"] for m in dispatcher.messages]
    assert text.startswith(entry.part_for(region="other").text) and "We have not checked this for India yet" in text
    assert {"event": "slot", "name": "region", "value": "india", "timestamp": None} in events
    # Without a country named, the usual buttons only.
    assert answer_reply(knowledge, entry).buttons[0]["title"] == "UK"


async def test_a_topic_written_the_same_for_everyone_is_not_said_to_be_for_the_new_country(
    knowledge, dispatcher, tracker_for, domain
):
    """ "US" after the advice on going abroad got "The answer above is the one for the US" (a fifth stranger)."""
    from actions.answers import answer_key
    from actions.messages import REGION_SET_TEXT, SAME_ANSWER_TEXT, SAME_EVERYWHERE_ABOVE_TEXT

    entry = knowledge.entries["treatment_abroad"]
    assert not entry.variants.get("region") and not entry.variants.get("country")
    tracker = tracker_for(
        "followup_context",
        text="US",
        slots={"last_topic": entry.id, "answered": ["|" + answer_key(entry, entry.part_for())]},
        entities=[{"entity": "region", "value": "us"}],
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    [text] = [m["text"] for m in dispatcher.messages]
    assert text == REGION_SET_TEXT.format(place="the US") + " " + SAME_EVERYWHERE_ABOVE_TEXT.format(place="the US")
    assert SAME_ANSWER_TEXT.format(place="the US") not in text


async def test_saying_where_you_live_after_an_answer_that_already_applies_does_not_repeat_it(
    knowledge, dispatcher, tracker_for, domain
):
    """Before: "I live in Ohio" after the FDA answer gave "This part doesn't depend on where you
    live" (it does) and the same answer again, word for word."""
    from actions.answers import answer_key
    from actions.messages import REGION_SET_TEXT, SAME_ANSWER_TEXT

    entry = knowledge.entries["fda_status"]
    shown = ["|" + answer_key(entry, entry.part_for(None, "us", None))]
    tracker = tracker_for(
        "followup_context",
        text="I live in Ohio",
        slots={"last_topic": "fda_status", "answered": shown},
        entities=[{"entity": "region", "value": "us"}],
    )
    events = await ActionFollowUp().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        REGION_SET_TEXT.format(place="the US") + " " + SAME_ANSWER_TEXT.format(place="the US")
    ]
    # Not a dead end: the detail and a change of country are offered.
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/ask_more", "/change_region"]
    assert {"event": "slot", "name": "region", "value": "us", "timestamp": None} in events
    # For a place with its own variant, that variant is given.
    dispatcher.messages.clear()
    tracker = tracker_for(
        "followup_context",
        text="I live in Leeds",
        slots={"last_topic": "fda_status", "answered": shown},
        entities=[{"entity": "region", "value": "uk"}],
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["text"].startswith(entry.variants["region"]["uk"])


async def test_what_about_progressive_ms(knowledge, dispatcher, tracker_for, domain):
    for topic, expected in [
        ("effectiveness", knowledge.entries["effectiveness"].variants["ms_type"]["progressive"]),
        ("cost", knowledge.entries["progressive_ms"].answer),
    ]:
        dispatcher.messages.clear()
        tracker = tracker_for(
            "followup_context",
            slots={"last_topic": topic, "ms_type": "progressive"},
            entities=[{"entity": "ms_type", "value": "progressive"}],
        )
        await ActionFollowUp().run(dispatcher, tracker, domain)
        assert dispatcher.messages[-1]["text"].startswith(expected)


async def test_follow_up_without_a_topic_offers_the_topics(dispatcher, tracker_for, domain):
    await ActionFollowUp().run(dispatcher, tracker_for("ask_more"), domain)
    assert dispatcher.messages[0]["text"] == NO_TOPIC_YET_TEXT
    assert dispatcher.messages[1]["response"] == "utter_welcome"


@pytest.mark.parametrize("intent, notice", [("crisis", "crisis"), ("red_flag", "red_flag")])
async def test_safety_notice(intent, notice, knowledge, dispatcher, tracker_for, domain):
    await ActionSafetyNotice().run(dispatcher, tracker_for(intent), domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.notices[notice].text)


@pytest.mark.parametrize("region, notice", [("NHS", "helpline_uk"), ("usa", "helpline_us"), (None, "helpline_other")])
async def test_human_help_by_region(region, notice, knowledge, dispatcher, tracker_for, domain):
    await ActionHumanHelp().run(dispatcher, tracker_for("human_help", slots={"region": region}), domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.notices[notice].text)


def test_misunderstandings_are_counted_in_a_row():
    events = [user_event("greet"), user_event("nlu_fallback"), {"event": "bot"}, user_event("nlu_fallback")]
    assert misunderstandings_in_a_row(events) == 2
    assert misunderstandings_in_a_row([*events, user_event("faq_cost")]) == 0


async def test_second_misunderstanding_in_a_row_offers_a_helpline(knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for("nlu_fallback")
    tracker.events = [user_event("nlu_fallback"), {"event": "bot"}, user_event("nlu_fallback")]
    await ActionNotSure().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["text"].startswith(knowledge.notices["helpline_other"].text)


def test_first_turn_is_counted_from_the_session_start():
    events = [user_event("greet"), {"event": "session_started"}, user_event("faq_cost")]
    assert is_first_turn(events)
    assert not is_first_turn([*events, {"event": "bot"}, user_event("faq_risks")])


async def test_first_answer_of_a_session_says_what_the_assistant_is(knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for("faq_risks")
    tracker.events = [{"event": "session_started"}, user_event("faq_risks")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == FIRST_TURN_NOTE
    assert dispatcher.messages[1]["text"].startswith(knowledge.entries["risks"].answer)


async def test_start_over_forgets_the_conversation(dispatcher, tracker_for, domain):
    events = await ActionStartOver().run(dispatcher, tracker_for("start_over"), domain)
    assert dispatcher.messages[0]["text"] == START_OVER_TEXT
    assert events == [{"event": "restart", "timestamp": None}]


def answered(intent, action="action_answer_faq"):
    """Events of a turn the assistant answered, then the person's next message."""
    return [
        user_event(intent),
        {"event": "action", "name": action},
        {"event": "bot"},
        {"event": "action", "name": "action_listen"},
    ]


@pytest.mark.parametrize("entry_id", ["access", "cost"])
async def test_region_dependent_answer_answers_first_then_asks_where_the_person_lives(
    entry_id, knowledge, dispatcher, tracker_for, domain
):
    """Before: "The answer depends on where you live. Where are you?" and no answer."""
    events = await ActionAnswerFaq().run(dispatcher, tracker_for(f"faq_{entry_id}"), domain)
    [message] = dispatcher.messages
    answer, question = message["text"].split("\n\n")[:2]
    assert answer == knowledge.entries[entry_id].answer and question == REGION_QUESTION_TEXT
    assert message["buttons"][: len(REGION_BUTTONS)] == REGION_BUTTONS
    assert {"event": "slot", "name": "last_topic", "value": entry_id, "timestamp": None} in events


@pytest.mark.parametrize("region", ["uk", "us"])
async def test_the_region_button_then_answers_for_that_region(region, knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for(
        "followup_context",
        slots={"last_topic": "cost", "region": region},
        entities=[{"entity": "region", "value": region}],
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.entries["cost"].variants["region"][region])


async def test_somewhere_else_gets_the_general_answer_without_same_everywhere(
    knowledge, dispatcher, tracker_for, domain
):
    tracker = tracker_for(
        "followup_context",
        slots={"last_topic": "cost", "region": "other"},
        entities=[{"entity": "region", "value": "other"}],
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.entries["cost"].answer)


async def test_known_region_is_used_without_asking(knowledge, dispatcher, tracker_for, domain):
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_access", slots={"region": "eu"}), domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.entries["access"].variants["region"]["eu"])


async def test_fda_question_is_answered_without_asking_the_region(knowledge, dispatcher, tracker_for, domain):
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_fda_status"), domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.entries["fda_status"].answer)


async def test_region_said_before_any_question_is_kept(dispatcher, tracker_for, domain):
    tracker = tracker_for(
        "followup_context", text="we live in scotland", entities=[{"entity": "region", "value": "scotland"}]
    )
    events = await ActionFollowUp().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == REGION_NOTED_TEXT
    assert {"event": "slot", "name": "region", "value": "uk", "timestamp": None} in events


@pytest.mark.parametrize("topic", ["chemotherapy", "hospital_stay", "treatment_abroad"])
async def test_is_it_safe_right_after_an_answer_is_about_that_topic(topic, knowledge, dispatcher, tracker_for, domain):
    last = knowledge.entries[topic]
    tracker = tracker_for("faq_risks", text="is it safe?", slots={"last_topic": topic})
    tracker.events = [*answered(f"faq_{topic}"), user_event("faq_risks")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == SAFETY_OF_TEXT.format(question=last.question)
    assert dispatcher.messages[1]["text"].startswith(knowledge.entries[last.safety_entry].answer)


@pytest.mark.parametrize(
    "text, events",
    [
        ("is hsct safe?", [*answered("faq_chemotherapy"), user_event("faq_risks")]),  # names the treatment
        ("is it safe?", [*answered("faq_chemotherapy", "utter_greet"), user_event("faq_risks")]),  # not an answer
        ("is it safe?", [user_event("faq_risks")]),  # nothing before
    ],
)
async def test_is_it_safe_otherwise_gets_the_general_risks(text, events, knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for("faq_risks", text=text, slots={"last_topic": "chemotherapy"})
    tracker.events = events
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["text"].startswith(knowledge.entries["risks"].answer)


# --- crisis lines and helplines by country and region ---------------------------------------------


@pytest.mark.parametrize(
    "slot, expected_key, must_have",
    [
        ("canada", "country.canada", ["9-8-8", "911"]),
        ("Australian", "country.australia", ["13 11 14", "000"]),
        ("new_zealand", "country.new_zealand", ["1737", "111"]),
        ("ireland", "country.ireland", ["116 123", "112"]),
        ("uk", "region.uk", ["116 123", "999"]),
        ("usa", "region.us", ["988", "911"]),
        ("germany", "region.eu", ["112"]),
        ("india", "country.india", ["14416", "112"]),
        ("brazil", "region.other", ["local emergency number"]),
    ],
)
async def test_crisis_lines_are_for_where_the_person_is(
    slot, expected_key, must_have, knowledge, dispatcher, tracker_for, domain
):
    await ActionSafetyNotice().run(dispatcher, tracker_for("crisis", slots={"region": slot}), domain)
    text = dispatcher.messages[0]["text"]
    shown = knowledge.notices["crisis"].parts[expected_key]
    assert text.startswith(shown.text)
    assert all(number in shown.text for number in must_have)
    assert [line for line in text.splitlines() if line.startswith("Source: ")] == [
        f"Source: {s.label} {s.url}" for s in shown.sources
    ]


def test_every_crisis_text_opens_with_the_same_two_sentences(knowledge):
    """actions.safety.crisis_text replaces them for someone worried about another person."""
    crisis = knowledge.notices["crisis"]
    opening = ". ".join(crisis.text.split(". ")[:2]) + "."
    assert opening.startswith("I'm really sorry") and opening.endswith("alone.")
    assert all(part.text.startswith(opening) for part in crisis.parts.values())


@pytest.mark.parametrize(
    ("text", "slot", "must_have"),
    [
        ("my son is saying he does not want to live with this disease anymore, what i do", "india", "14416"),
        ("she's been crying a lot, said she doesnt see the point of any of this anymore", "usa", "988"),
    ],
)
async def test_crisis_words_about_someone_else_are_answered_to_the_person_worried(
    text, slot, must_have, knowledge, dispatcher, tracker_for, domain
):
    """A mother in India got "I'm really sorry you're feeling like this" and Canada, Australia and
    New Zealand lines for her son (a stranger's conversation, 2026-12-01)."""
    tracker = tracker_for("crisis", text=text, slots={"region": slot})
    await ActionSafetyNotice().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.notices["crisis_someone_else"].text)
    assert "feeling like this" not in message["text"] and must_have in message["text"]
    assert "Source: " in message["text"]


@pytest.mark.parametrize(
    "text", ["my husband left and i want to die", "i dont want to live anymore, my wife doesnt get it"]
)
async def test_the_writers_own_crisis_words_are_answered_to_them(text, knowledge, dispatcher, tracker_for, domain):
    await ActionSafetyNotice().run(dispatcher, tracker_for("crisis", text=text), domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.notices["crisis"].text)


async def test_crisis_lines_when_the_place_is_unknown_work_for_everyone(knowledge, dispatcher, tracker_for, domain):
    await ActionSafetyNotice().run(dispatcher, tracker_for("crisis"), domain)
    text = dispatcher.messages[0]["text"]
    for number in ["988", "116 123", "9-8-8", "13 11 14", "1737", "local emergency number"]:
        assert number in text


@pytest.mark.parametrize(
    "slot, must_name",
    [
        ("canada", "MS Canada"),
        ("ireland", "MS Ireland"),
        ("australia", "MS Australia"),
        ("new_zealand", "MS New Zealand"),
    ],
)
async def test_other_countries_get_their_own_ms_society(slot, must_name, knowledge, dispatcher, tracker_for, domain):
    await ActionHumanHelp().run(dispatcher, tracker_for("human_help", slots={"region": slot}), domain)
    text = dispatcher.messages[0]["text"]
    assert must_name in text
    # Never only the UK or US freephone numbers, which cannot be dialled free from abroad.
    assert "0808" not in text and "1-800" not in text


def test_the_helpline_for_an_unknown_place_is_not_only_uk_and_us_numbers(knowledge):
    """Short, with two sources, and the way to the others (it named six countries' societies with seven
    links, 1,066 characters under a feeling: a seventh stranger, 2026-12-02)."""
    notice = knowledge.notices["helpline_other"]
    assert "Tell me your country" in notice.text and len(notice.part_for().sources) <= 2
    variants = " ".join(part.text for key, part in notice.parts.items() if "." in key)
    for society in ["MS Ireland", "MS Canada", "MS Australia", "MS New Zealand", "European MS Platform"]:
        assert society in variants
    for region in ("eu", "other"):
        variant = knowledge.notices["helpline_other"].parts[f"region.{region}"].text
        assert "0808" not in variant and "1-800" not in variant


async def test_where_is_that_from_after_tell_me_more_lists_the_details_sources(
    knowledge, dispatcher, tracker_for, domain
):
    entry = knowledge.entries["effectiveness"]
    tracker = tracker_for("ask_source", slots={"last_topic": entry.id})
    tracker.events = [user_event("faq_effectiveness"), user_event("ask_more"), user_event("ask_source")]
    await ActionFollowUp().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert all(format_source(src) in text for src in entry.detail_part.sources)
    assert text.startswith("More about")


async def test_where_is_that_from_lists_the_regional_variants_own_sources(knowledge, dispatcher, tracker_for, domain):
    entry = knowledge.entries["access"]
    tracker = tracker_for("ask_source", slots={"last_topic": entry.id, "region": "us"})
    tracker.events = [user_event("faq_access"), user_event("ask_source")]
    await ActionFollowUp().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    shown = entry.part_for(region="us")
    assert all(format_source(src) in text for src in shown.sources)
    assert "NHS England" not in text


async def test_where_is_that_from_after_and_in_the_uk_lists_the_uk_texts_sources(
    knowledge, dispatcher, tracker_for, domain
):
    """Before: "and in the UK?" showed the UK text (the UK not being the person's place), and "where
    is that from?" then listed the general answer's sources."""
    from actions.answers import answer_key

    entry = knowledge.entries["cost"]
    uk = entry.part_for(region="uk")
    shown = ["|" + answer_key(entry, entry.answer_part), "|" + answer_key(entry, uk)]
    tracker = tracker_for("ask_source", slots={"last_topic": entry.id, "answered": shown})
    tracker.events = [user_event("faq_cost"), user_event("followup_context"), user_event("ask_source")]
    await ActionFollowUp().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert all(format_source(src) in text for src in uk.sources)
    assert set(uk.sources) != set(entry.answer_part.sources)


async def test_a_named_country_is_kept_and_picks_its_region(knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for(
        "followup_context", text="I live in Canada", slots={"last_topic": "access"}, entities=[{"entity": "region"}]
    )
    events = await ActionFollowUp().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(
        knowledge.entries["access"].part_for(region="other", country="canada").text
    )
    assert {"event": "slot", "name": "region", "value": "canada", "timestamp": None} in events


@pytest.mark.parametrize("topic", ["risks", "mortality", "infections", "side_effects"])
async def test_is_it_safe_after_an_answer_about_risk_is_not_a_new_safety_question(
    topic, knowledge, dispatcher, tracker_for, domain
):
    """Before: asking about risks twice gave 'About safety, following "Is AHSCT safe?..."'."""
    tracker = tracker_for("faq_risks", text="is it safe?", slots={"last_topic": topic})
    tracker.events = [*answered(f"faq_{topic}"), user_event("faq_risks")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert not any(m["text"].startswith("About safety") for m in dispatcher.messages)
    assert dispatcher.messages[-1]["text"].startswith(knowledge.entries["risks"].answer)


# --- the person, not a topic: feelings, "not what I meant", places, situations, repeats ---------

CRISIS_TURN = [user_event("crisis"), {"event": "action", "name": "action_safety_notice"}]


async def test_feelings_get_acknowledgement_and_the_helpline_for_where_the_person_lives(
    knowledge, dispatcher, tracker_for, domain
):
    from actions.messages import KEEP_ASKING_TEXT, SUPPORT_TEXT
    from actions.support import ActionSupport

    tracker = tracker_for("express_feelings", text="i'm so scared of all this", slots={"region": "uk"})
    await ActionSupport().run(dispatcher, tracker, domain)
    support, keep_asking = (m["text"] for m in dispatcher.messages)
    assert support.startswith(SUPPORT_TEXT) and knowledge.notices["helpline_uk"].text in support
    assert keep_asking == KEEP_ASKING_TEXT
    assert not any(e.answer[:40] in support for e in knowledge.entries.values())  # no topic content


@pytest.mark.parametrize(
    ("text", "carer"),
    [
        ("im scared tbh. my dad is exhausted and i dont know what to do", True),
        ("my wife is so low since the relapse and im worn out", True),
        ("im just so tired of fighting for everything", False),
    ],
)
async def test_feelings_of_someone_looking_after_another_are_not_pointed_at_their_own_ms_nurse(
    text, carer, dispatcher, tracker_for, domain
):
    """A teenager's "my dad is exhausted" heard "Your MS nurse is also there for you" (a seventh stranger)."""
    from actions.messages import KEEP_ASKING_CARER_TEXT, KEEP_ASKING_TEXT
    from actions.support import ActionSupport

    await ActionSupport().run(dispatcher, tracker_for("express_feelings", text=text), domain)
    assert dispatcher.messages[-1]["text"] == (KEEP_ASKING_CARER_TEXT if carer else KEEP_ASKING_TEXT)


@pytest.mark.parametrize(
    "earlier, text, young",
    [
        ([], "im 15 and my mum is having it next week. i cant stop crying", True),
        (["I'm 14, my dad has ms"], "im so scared", True),
        ([], "im in year 10 and i cant concentrate at school, im so worried about my mum", True),
        ([], "im 41 and so scared of all this", False),
        ([], "im 15 years into my ms and so tired of fighting", False),
        ([], "my son is 15 and hes scared, so am i", False),
        ([], "im 8 weeks post transplant and i feel so low", False),
    ],
)
async def test_a_young_person_is_told_to_tell_an_adult_they_trust(
    earlier, text, young, dispatcher, tracker_for, domain
):
    """A crying 15-year-old got the adult helpline list and nothing else (a stranger's conversation)."""
    from actions.messages import YOUNG_PERSON_TEXT
    from actions.support import ActionSupport

    tracker = tracker_for("express_feelings", text=text, slots={"region": "uk"})
    tracker.events = [{"event": "session_started"}, *({"event": "user", "text": t} for t in earlier)]
    await ActionSupport().run(dispatcher, tracker, domain)
    assert (YOUNG_PERSON_TEXT in dispatcher.messages[0]["text"]) is young


@given(
    age=st.integers(min_value=18, max_value=99),
    unit=st.sampled_from(["years", "yrs", "months", "weeks", "days", "relapses", "%"]),
    small=st.integers(min_value=8, max_value=17),
    rest=st.text(alphabet=st.characters(codec="ascii"), max_size=40),
)
def test_only_a_stated_age_under_18_reads_as_young(age, unit, small, rest):
    from actions.support import says_young

    assert not says_young([f"im {age}{rest}"]) or says_young([rest])  # an adult's age alone never
    assert not says_young([f"i'm {small} {unit} into this{rest}"]) or says_young([rest])
    assert says_young([f"I'm {small}, {rest}"])


@pytest.mark.parametrize(
    ("text", "acknowledged", "young"),
    [
        ("Im 17 and my dad is going in next month, is he going to be ok? I'm really worried", True, True),
        ("what are the risks, im so scared", True, False),
        ("what are the risks", False, False),
        ("im not worried, just curious about the risks", False, False),
        # Whether someone will be all right is asked with worry (a seventh stranger's 15-year-old).
        ("im 15. is she going to be ok", True, True),
        ("will he pull through", True, False),
    ],
)
async def test_a_question_asked_with_worry_hears_the_feeling_first_once(
    knowledge, dispatcher, tracker_for, domain, text, acknowledged, young
):
    """A 17-year-old's 'is he going to be ok? I'm really worried' got facts only (a fifth stranger)."""
    from actions.messages import WORRY_TEXT, YOUNG_PERSON_TEXT

    tracker = tracker_for("faq_mortality", text=text)
    tracker.events = [{"event": "session_started"}, user_event("greet"), {"event": "bot", "text": "Hi"}]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    worry = [t for t in texts if t.startswith(WORRY_TEXT)]
    assert len(worry) == int(acknowledged)
    assert any(YOUNG_PERSON_TEXT in t for t in worry) is young
    assert texts[-1].startswith(knowledge.entries["mortality"].answer[:60])
    # Once a session: asked with worry again, the answer alone.
    tracker.events += [{"event": "bot", "text": t} for t in texts]
    dispatcher.messages.clear()
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert not any(m["text"].startswith(WORRY_TEXT) for m in dispatcher.messages)


async def test_a_question_asked_in_tears_offers_a_person_before_the_answer(knowledge, dispatcher, tracker_for, domain):
    """A sixteenth stranger (2026-12-03): "im so scared ... i read people die from it. i cant stop crying"
    got "It makes sense to feel worried." and then the death figures."""
    from actions.messages import TALK_TO_SOMEONE_BUTTON, VERY_UPSET_TEXT, WORRY_TEXT

    text = "im so scared. my neuro said i should think about a stem cell transplant. i read people die from it. i cant stop crying"
    tracker = tracker_for("faq_mortality", text=text)
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    heard = next(m for m in dispatcher.messages if m["text"].startswith(WORRY_TEXT))
    assert VERY_UPSET_TEXT in heard["text"] and heard["buttons"] == [TALK_TO_SOMEONE_BUTTON]
    assert dispatcher.messages[-1]["text"].startswith(knowledge.entries["mortality"].answer[:60])
    # Worry without distress: no button.
    dispatcher.messages.clear()
    await ActionAnswerFaq().run(
        dispatcher, tracker_for("faq_mortality", text="im worried. can you die from it"), domain
    )
    heard = next(m for m in dispatcher.messages if m["text"].startswith(WORRY_TEXT))
    assert VERY_UPSET_TEXT not in heard["text"] and not heard.get("buttons")


@pytest.mark.parametrize(
    ("action", "intent", "text", "heard"),
    [
        ("help", "human_help", "Is there anyone I can talk to, a helpline? I feel very alone with this.", "ALONE_TEXT"),
        (
            "faq",
            "faq_progressive_ms",
            "Frankly I'm furious. Does anywhere take people with progressive MS?",
            "ANGRY_TEXT",
        ),
        ("help", "human_help", "Is there a helpline? I'm so scared", "WORRY_TEXT"),
    ],
)
async def test_feeling_alone_or_angry_is_heard_before_the_reply_once(
    action, intent, text, heard, knowledge, dispatcher, tracker_for, domain
):
    """An eighth stranger (2026-12-02): "I feel very alone with this" and "I'm furious" got no word for
    the feeling."""
    from actions import messages
    from actions.safety import ActionHumanHelp

    run = (ActionHumanHelp if action == "help" else ActionAnswerFaq)().run
    tracker = opening(tracker_for, intent, text)
    await run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert [t for t in texts if t.startswith(getattr(messages, heard))] and len(texts) >= 2, texts
    assert texts[-1] != getattr(messages, heard)  # the reply follows
    tracker.events += [{"event": "bot", "text": t} for t in texts]
    dispatcher.messages.clear()
    await run(dispatcher, tracker, domain)
    assert not any(m["text"].startswith(getattr(messages, heard)) for m in dispatcher.messages)


@pytest.mark.parametrize(
    ("text", "heard"),
    [
        ("what if i die. i have a 2 year old", "DYING_FEAR_FAMILY_TEXT"),
        ("im scared of dying from it", "DYING_FEAR_TEXT"),
        # Her husband's death, feared by a wife with children: no "family who needs you".
        ("what if he dies? we have 2 kids", "DYING_FEAR_TEXT"),
    ],
)
async def test_fear_of_dying_is_heard_even_after_worry_was(text, heard, knowledge, dispatcher, tracker_for, domain):
    """ "what if i die. i have a 2 year old", after "im terrified" earlier, got the death figures and no word
    for the fear (a twenty-third stranger, 2026-12-03). Once a session."""
    from actions import messages

    tracker = tracker_for("faq_mortality", text=text)
    tracker.events = [
        {"event": "session_started"},
        said("express_feelings", "im terrified"),
        {"event": "bot", "text": messages.WORRY_TEXT},
        said("faq_mortality", text),
    ]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0] == getattr(messages, heard)
    assert texts[1].startswith(knowledge.entries["mortality"].answer.split(".")[0])
    tracker.events += [{"event": "bot", "text": t} for t in texts]
    dispatcher.messages.clear()
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert not any(m["text"].startswith("That is a frightening thought") for m in dispatcher.messages)


@pytest.mark.parametrize(
    ("text", "heard"),
    [
        ("thanks. is there anyone i can talk to, im struggling a bit myself", True),
        ("is there a helpline? i'm not coping", True),
        ("is there anyone who can help, im struggling to understand the trials", False),
        ("who can i talk to, shes struggling with the stairs", False),
        ("is there a helpline, she's been struggling.", False),
    ],
)
async def test_a_carer_struggling_is_heard_before_the_helpline(text, heard, dispatcher, tracker_for, domain):
    """A husband caring for his wife after her transplant, "im struggling a bit myself", got the helpline
    numbers and no word for him (a twenty-third stranger, 2026-12-03)."""
    from actions.messages import STRUGGLING_TEXT
    from actions.safety import ActionHumanHelp

    tracker = opening(tracker_for, "human_help", text)
    await ActionHumanHelp().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert (texts[0] == STRUGGLING_TEXT) is heard and len(texts) == (2 if heard else 1)


async def test_another_ms_drug_after_a_topic_is_declined_not_a_point_of_it(knowledge, dispatcher, tracker_for, domain):
    """ "what about ocrevus, is that better for PPMS" after the UK study got its point on progressive MS (a
    twenty-fifth stranger, 2026-12-03)."""
    from actions.messages import OUT_OF_SCOPE_TEXT
    from actions.support import ActionOutOfScope

    for text, declined in (
        ("what about ocrevus, is that better for PPMS", True),
        ("what about people with PPMS", False),
    ):
        dispatcher.messages.clear()
        tracker = tracker_for("out_of_scope", text=text, slots={"last_topic": "uk_study"})
        await ActionOutOfScope().run(dispatcher, tracker, domain)
        assert (dispatcher.messages[-1]["text"] == OUT_OF_SCOPE_TEXT) is declined, text


async def test_trials_for_someone_in_australia_name_the_australian_hospitals(
    knowledge, dispatcher, tracker_for, domain
):
    """ "are there any trials i could join? im in melbourne" got "We have not checked this for Australia yet"
    and trials overseas (a twenty-sixth stranger, 2026-12-03)."""
    tracker = tracker_for("faq_clinical_trials", text="are there any trials i could join? im in melbourne")
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any("Austin Health" in t for t in texts)
    assert not any("not checked" in t for t in texts)


async def test_who_to_talk_to_read_as_sources_gets_a_person(knowledge, dispatcher, tracker_for, domain):
    """ "thanks. who do i talk to about all this" got where the answers come from (a twenty-fifth stranger,
    2026-12-03)."""
    tracker = tracker_for("faq_information_sources", text="thanks. who do i talk to about all this")
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any("0808 800 8000" in t for t in texts)
    assert not any(t.startswith(knowledge.entries["information_sources"].answer[:40]) for t in texts)


@pytest.mark.parametrize(
    ("before", "after_transplant"),
    [
        ("if i had hsct and it came back could i have it again", False),
        ("what if she had the transplant and got worse", False),
        ("i had hsct in 2022 and it came back", True),
    ],
)
async def test_a_what_if_is_not_news_that_the_transplant_happened(
    before, after_transplant, knowledge, dispatcher, tracker_for, domain
):
    """After "if i had hsct and it came back could i have it again", "how do i even bring this up with my
    neuro" and the button for it got the transplant team's number (a twenty-fifth stranger, 2026-12-03)."""
    text = "how do i even bring this up with my neuro without sounding like ive been on google all day"
    tracker = tracker_for("faq_talk_to_neurologist", text=text)
    tracker.events = [
        {"event": "session_started"},
        said("faq_effectiveness", before),
        said("faq_talk_to_neurologist", text),
    ]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    first = dispatcher.messages[-1]["text"]
    neurologist = knowledge.entries["talk_to_neurologist"].answer.split(".")[0]
    assert first.startswith(neurologist) is not after_transplant


async def test_a_message_in_spanish_hears_in_spanish_that_answers_are_in_english_once(
    knowledge, dispatcher, tracker_for, domain
):
    """'¿El HSCT está aprobado en España? Mi madre tiene EM' got the English refusal alone (a fifth
    stranger)."""
    from actions.language import ONLY_ENGLISH_TEXT
    from actions.messages import OUT_OF_SCOPE_TEXT
    from actions.support import ActionOutOfScope

    tracker = tracker_for("out_of_scope", text="¿El HSCT está aprobado en España? Mi madre tiene EM")
    tracker.events = [{"event": "session_started"}, user_event("out_of_scope")]
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [ONLY_ENGLISH_TEXT["es"], OUT_OF_SCOPE_TEXT]
    tracker.events += [{"event": "bot", "text": m["text"]} for m in dispatcher.messages]
    dispatcher.messages.clear()
    tracker.latest_message["text"] = "¿Cuánto cuesta el trasplante en México?"
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert not any(m["text"] in ONLY_ENGLISH_TEXT.values() for m in dispatcher.messages)
    # English gets no such line.
    dispatcher.messages.clear()
    english = tracker_for("faq_cost", text="how much does it cost")
    await ActionAnswerFaq().run(dispatcher, english, domain)
    assert not any(m["text"] in ONLY_ENGLISH_TEXT.values() for m in dispatcher.messages)


async def test_a_clinics_country_is_not_an_unchecked_place_when_the_answer_is_for_the_persons_own(
    knowledge, dispatcher, tracker_for, domain
):
    """A fifteenth stranger (2026-12-03) in Houston got "We have not checked this for Mexico yet", twice."""
    text = "is hsct fda aproved for ms? my neuro in houston says no but the clinic in mexico says its approved"
    tracker = tracker_for("faq_fda_status", text=text, ranking=[{"name": "faq_fda_status", "confidence": 0.9}])
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(knowledge.entries["fda_status"].answer[:40]) for t in texts), texts
    assert not any("Mexico" in t and "not checked" in t for t in texts), texts
    # Asked about the place itself, it still says so.
    dispatcher.messages.clear()
    asked = tracker_for("faq_fda_status", text="is hsct approved in mexico", slots={"region": "us"})
    await ActionAnswerFaq().run(dispatcher, asked, domain)
    assert any("not checked this for Mexico" in m["text"] for m in dispatcher.messages)


@pytest.mark.parametrize(
    ("text", "declined"),
    [
        ("is kesimpta better than ocrevus? my friend is on kesimpta", True),
        ("tysabri or lemtrada, which has fewer side effects", True),
        ("is hsct better than ocrevus or kesimpta", False),
        ("is it better than ocrevus and kesimpta", False),
        ("is hsct better than ocrevus", False),
    ],
)
async def test_two_other_ms_drugs_compared_are_not_ahsct_against_drugs(
    text, declined, knowledge, dispatcher, tracker_for, domain
):
    """A fifteenth stranger (2026-12-03): "is kesimpta better than ocrevus?" got AHSCT against MS drugs."""
    from actions.messages import OUT_OF_SCOPE_TEXT

    tracker = tracker_for("faq_vs_dmts", text=text, ranking=[{"name": "faq_vs_dmts", "confidence": 0.7}])
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert (texts == [OUT_OF_SCOPE_TEXT]) is declined, texts
    assert any(t.startswith(knowledge.entries["vs_dmts"].answer[:30]) for t in texts) is not declined


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("hsct vs mesenchymal which is better", "unproven_clinics"),
        ("msc or ahsct for ms?", "unproven_clinics"),
        ("hsct vs ocrevus which is better", "vs_dmts"),
        ("is hsct better than dmts or mesenchymal cells", "vs_dmts"),
    ],
)
async def test_ahsct_against_other_cells_is_not_ahsct_against_ms_drugs(
    text, entry_id, knowledge, dispatcher, tracker_for, domain
):
    """A fifteenth stranger (2026-12-03): "hsct vs mesenchymal which is better" got AHSCT against MS drugs."""
    tracker = tracker_for("faq_vs_dmts", text=text, ranking=[{"name": "faq_vs_dmts", "confidence": 0.9}])
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(knowledge.entries[entry_id].answer[:40]) for t in texts), texts


@pytest.mark.parametrize(
    ("intent", "text", "declined"),
    [
        (
            "faq_what_is_ahsct",
            "different thing but my mum has parkinsons, could a stem cell transplant help her too?",
            True,
        ),
        ("faq_effectiveness", "does hsct work for lupus", True),
        ("faq_effectiveness", "i have ms and lupus, would hsct help both", False),
        ("faq_side_effects", "can hsct give you diabetes", False),
        ("faq_effectiveness", "does hsct work", False),
    ],
)
async def test_another_illness_without_ms_is_declined(
    intent, text, declined, knowledge, dispatcher, tracker_for, domain
):
    """A seventeenth stranger (2026-12-03): "my mum has parkinsons, could a stem cell transplant help her
    too?" got what AHSCT is."""
    from actions.messages import OUT_OF_SCOPE_TEXT

    tracker = tracker_for(intent, text=text, ranking=[{"name": intent, "confidence": 0.8}])
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert (OUT_OF_SCOPE_TEXT in texts) is declined, texts


async def test_the_cost_in_australia_is_australias(knowledge, dispatcher, tracker_for, domain):
    """ "does medicare pay for it?" in Australia got "We have not checked this for Australia yet" (a
    fifteenth stranger, 2026-12-03)."""
    text = "does medicare pay for it?"
    tracker = tracker_for("faq_cost", text=text, slots={"region": "australia"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(knowledge.entries["cost"].variants["country"]["australia"]) for t in texts), texts
    assert not any("not checked" in t for t in texts)


@pytest.mark.parametrize(
    ("text", "part"),
    [("will aetna cover hsct?", "point.aetna"), ("does Blue Cross Blue Shield pay for it", "region.us")],
)
async def test_a_us_insurer_named_gets_the_us_answer(text, part, knowledge, dispatcher, tracker_for, domain):
    """ "will aetna cover hsct?" got the general answer and "Where do you live?" (2026-12-03); Aetna has
    its own point (what we could not check), another US insurer the US answer."""
    tracker = tracker_for("faq_cost", text=text, ranking=[{"name": "faq_cost", "confidence": 0.9}])
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(knowledge.entries["cost"].parts[part].text) for t in texts), texts
    assert not [e for e in events if e.get("name") == "region"]  # an insurer is not where the person lives


async def test_a_question_in_german_gets_the_line_in_german_then_the_answer(knowledge, dispatcher, tracker_for, domain):
    from actions.language import ONLY_ENGLISH_TEXT

    tracker = tracker_for("faq_cost", text="Was kostet die Stammzelltransplantation bei MS in Deutschland?")
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert ONLY_ENGLISH_TEXT["de"] in texts
    assert texts.index(ONLY_ENGLISH_TEXT["de"]) < len(texts) - 1  # the answer follows


@pytest.mark.parametrize(
    "text",
    [
        "honestly i feel like whats the point. either ms takes me or the treatment does. i havent told anyone",
        # A twenty-seventh stranger's (2026-12-03).
        "i cant stop crying tbh. i feel like my life is over",
    ],
)
async def test_hopelessness_short_of_crisis_words_gets_where_to_turn_once(
    text, knowledge, dispatcher, tracker_for, domain
):
    """A fifteenth stranger (2026-12-03): "honestly i feel like whats the point. either ms takes me or the
    treatment does. i havent told anyone how bad i feel" got the MS helplines and no crisis line."""
    from actions.messages import SUPPORT_TEXT
    from actions.support import ActionSupport

    check = knowledge.notices["low_mood_check"].text
    tracker = opening(tracker_for, "express_feelings", text)
    await ActionSupport().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith(SUPPORT_TEXT) and texts[1].startswith(check), texts
    # Once a session; and not for a feeling without hopelessness.
    tracker.events += [{"event": "bot", "text": t} for t in texts] + [said("express_feelings", text)]
    dispatcher.messages.clear()
    await ActionSupport().run(dispatcher, tracker, domain)
    assert not any(m["text"].startswith(check) for m in dispatcher.messages)
    dispatcher.messages.clear()
    scared = tracker_for("express_feelings", text="im scared about the chemo")
    await ActionSupport().run(dispatcher, scared, domain)
    assert not any(m["text"].startswith(check) for m in dispatcher.messages)


async def test_feelings_again_get_a_short_reply_not_the_helplines_again(knowledge, dispatcher, tracker_for, domain):
    """The same 970-character helpline list three times in one chat (a stranger's conversation)."""
    from actions.messages import SUPPORT_AGAIN_TEXT, SUPPORT_TEXT
    from actions.support import ActionSupport

    tracker = tracker_for("express_feelings", text="thanks for listening. sorry for being so down")
    tracker.events = [
        {"event": "session_started"},
        user_event("express_feelings"),
        {"event": "bot", "text": f"{SUPPORT_TEXT}\nhelplines"},
        user_event("express_feelings"),
    ]
    await ActionSupport().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"] == SUPPORT_AGAIN_TEXT and len(message["text"]) < 250
    # A new session gets the helplines again.
    dispatcher.messages.clear()
    tracker.events = [*tracker.events, {"event": "session_started"}, user_event("express_feelings")]
    await ActionSupport().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(SUPPORT_TEXT)


@pytest.mark.parametrize(
    ("intent", "text", "confidence"),
    [
        ("faq_side_effects", "I'm just exhausted from fighting this", 0.6),
        ("faq_what_is_ahsct", "i'm really scared", 0.5),
    ],
)
async def test_right_after_crisis_lines_feelings_get_support_not_topic_content(
    intent, text, confidence, knowledge, dispatcher, tracker_for, domain
):
    from actions.messages import SUPPORT_AFTER_CRISIS_TEXT

    tracker = tracker_for(intent, text=text, ranking=[{"name": intent, "confidence": confidence}])
    tracker.events = [*CRISIS_TURN, user_event(intent)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [SUPPORT_AFTER_CRISIS_TEXT]


async def test_after_crisis_lines_a_real_question_is_answered(knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for("faq_mortality", text="what are the chances of dying from it?")
    tracker.events = [*CRISIS_TURN, user_event("faq_mortality")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["text"].startswith(knowledge.entries["mortality"].answer)


async def test_after_crisis_lines_a_question_in_a_later_sentence_is_answered(
    knowledge, dispatcher, tracker_for, domain
):
    text = "no hes ok right now, no fever. im just scared. what should i be watching for"
    ranking = [{"name": "faq_warning_signs", "confidence": 0.74}]
    tracker = tracker_for("faq_warning_signs", text=text, ranking=ranking)
    tracker.events = [*CRISIS_TURN, user_event("faq_warning_signs")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["text"].startswith(knowledge.entries["warning_signs"].answer)


async def test_after_the_warning_signs_notice_feelings_get_support_without_crisis_lines(
    knowledge, dispatcher, tracker_for, domain
):
    """After "call your transplant team now", "If you feel unsafe, the lines above..." pointed at
    crisis lines that were never sent (a stranger's conversation, 2026-12-01)."""
    from actions.messages import SUPPORT_AFTER_CRISIS_TEXT
    from actions.support import ActionSupport
    from actions.tracker_utils import recent_crisis

    warning_turn = [user_event("red_flag"), {"event": "action", "name": "action_safety_notice"}]
    tracker = tracker_for("express_feelings", text="im just scared")
    tracker.events = [*warning_turn, user_event("express_feelings")]
    assert not recent_crisis(tracker.events)
    assert recent_crisis([*CRISIS_TURN, user_event("express_feelings")])
    await ActionSupport().run(dispatcher, tracker, domain)
    assert SUPPORT_AFTER_CRISIS_TEXT not in [m["text"] for m in dispatcher.messages]


WARNING_TURN = [user_event("red_flag"), {"event": "action", "name": "action_safety_notice"}]


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        (
            "faq_infections",
            "we dont have the transplant team number handy, its a sunday. should we just go to the regular ER?",
        ),
        ("out_of_scope", "do we call an ambulance or drive her in"),
        ("nlu_fallback", "cant get through to anyone"),
        ("express_feelings", "im so scared, should i take him to a&e"),
        # A second stranger's conversation (2026-12-01): "not sure", a refusal, a wall of text.
        ("nlu_fallback", "ok i checked its 37.9"),
        ("followup_context", "ok i checked its 37.9"),
        ("out_of_scope", "is 37.9 a fever?"),
        ("nlu_fallback", "she says she doesnt want to bother the team on a sunday"),
        ("faq_warning_signs", "her temperature is 37.9 now, should we call?"),
        # A third stranger's conversations (2026-12-01).
        ("nlu_fallback", "can we just give him paracetamol and wait and see?"),
        ("faq_talk_to_neurologist", "if we take him in, what should I bring?"),
        ("out_of_scope", "what do I tell the people at the front desk"),
    ],
)
async def test_after_the_warning_signs_notice_a_question_about_getting_help_gets_a_direct_answer(
    intent, text, knowledge, dispatcher, tracker_for, domain
):
    """'should we just go to the regular ER?' got 'As above: After AHSCT the immune system is weak...'
    mid-emergency (a stranger's conversation, 2026-12-01)."""
    from actions.support import ActionOutOfScope, ActionSupport

    action = {
        "out_of_scope": ActionOutOfScope,
        "nlu_fallback": ActionNotSure,
        "express_feelings": ActionSupport,
        "followup_context": ActionFollowUp,
    }
    tracker = tracker_for(intent, text=text, ranking=[{"name": intent, "confidence": 0.6}])
    tracker.events = [*WARNING_TURN, user_event(intent)]
    await action.get(intent, ActionAnswerFaq)().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    # The team not answering gets "go now" (a thirteenth stranger, 2026-12-02).
    expected = "red_flag_go_now" if text == "cant get through to anyone" else "red_flag_follow_up"
    assert message["text"].startswith(knowledge.notices[expected].text)


def said(intent, text):
    return {**user_event(intent), "text": text}


def opening(tracker_for, intent, text, **kwargs):
    """A tracker whose session starts with this one message (`intent`, `text`)."""
    tracker = tracker_for(intent, text=text, **kwargs)
    tracker.events = [{"event": "session_started"}, said(intent, text)]
    return tracker


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("out_of_scope", "ok im ringing 999 now"),
        ("faq_infections", "ok we're going. anything i should tell them at the er"),
        ("nlu_fallback", "paramedics are here"),
    ],
)
async def test_when_help_is_on_its_way_it_is_acknowledged_not_told_again(
    intent, text, knowledge, dispatcher, tracker_for, domain
):
    """'ok im ringing 999 now' got 'Please don't wait. Call the transplant team's emergency number now'
    (a fourth stranger's conversation, 2026-12-01): it could pull a caller off the 999 call."""
    from actions.support import ActionOutOfScope

    action = {"out_of_scope": ActionOutOfScope, "nlu_fallback": ActionNotSure}.get(intent, ActionAnswerFaq)
    tracker = tracker_for(intent, text=text, ranking=[{"name": intent, "confidence": 0.6}])
    tracker.events = [*WARNING_TURN, said(intent, text)]
    await action().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.notices["red_flag_help_on_way"].text)


async def test_after_help_came_thanks_get_a_short_word_and_questions_an_answer(
    knowledge, dispatcher, tracker_for, domain
):
    """The same conversation: 'paramedics took him in ... thank you' and 'hes in hospital now, you can
    stop saying that. how long do they normally keep people in' got the same 910-character text."""
    calling = said("out_of_scope", "ok im ringing 999 now")
    thanks = "paramedics took him in, theyre giving him antibiotics. thank you. sorry for the panic"
    tracker = tracker_for("nlu_fallback", text=thanks, ranking=[{"name": "nlu_fallback", "confidence": 0.6}])
    tracker.events = [*WARNING_TURN, calling, said("nlu_fallback", thanks)]
    await ActionNotSure().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.notices["red_flag_help_here"].text)

    question = "hes in hospital now, you can stop saying that. how long do they normally keep people in for this"
    tracker = tracker_for(
        "faq_hospital_stay", text=question, ranking=[{"name": "faq_hospital_stay", "confidence": 0.6}]
    )
    tracker.events = [*WARNING_TURN, calling, said("nlu_fallback", thanks), said("faq_hospital_stay", question)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages[1:]]
    assert any(t.startswith(knowledge.entries["hospital_stay"].answer) for t in texts), texts
    notices = [knowledge.notices[n].text for n in ("red_flag_follow_up", "red_flag_help_on_way", "red_flag")]
    assert not any(t.startswith(n) for t in texts for n in notices)


async def test_a_question_asked_with_news_of_help_is_answered_under_the_acknowledgement(
    knowledge, dispatcher, tracker_for, domain
):
    """An eighth stranger (2026-12-02): "im in the ER now, they started iv antibiotics. how common are
    infections like this after hsct?" got only "You're doing the right thing"."""
    text = "im in the ER now, they started iv antibiotics. how common are infections like this after hsct?"
    tracker = tracker_for("faq_infections", text=text, ranking=[{"name": "faq_infections", "confidence": 0.9}])
    tracker.events = [*WARNING_TURN, said("faq_infections", text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    # In the ER with antibiotics started is care under way, not help on its way (2026-12-02, later).
    assert texts[0].startswith(knowledge.notices["red_flag_help_here"].text)
    assert any(knowledge.entries["infections"].answer in t for t in texts[1:]), texts


async def test_a_question_for_later_asked_with_news_of_help_is_answered(knowledge, dispatcher, tracker_for, domain):
    """ "ok we called and they want him in, we're going now. for later what other things should i watch for
    at home" got only "You're doing the right thing" (a twentieth stranger, 2026-12-03)."""
    text = (
        "ok we called and they want him in, we're going now. "
        "for later what other things should i watch for at home over the next few months"
    )
    ranking = [{"name": "faq_warning_signs", "confidence": 0.9}]
    tracker = tracker_for("faq_warning_signs", text=text, ranking=ranking)
    tracker.events = [*WARNING_TURN, said("faq_warning_signs", text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith(knowledge.notices["red_flag_help_on_way"].text)
    assert any(knowledge.entries["warning_signs"].answer in t for t in texts[1:]), texts


@pytest.mark.parametrize(
    "text",
    [
        "ive called 999",
        "the ambulance is on its way",
        "we're at a&e now",
        "on our way to the er",
        "shes been admitted",
        "i rang the ward and they're expecting us",
        "ok they said come straight to the ER",
        "the nurse told us to bring him in",
        # A fourteenth stranger (2026-12-02) got the refusal for the first.
        "my husband is driving me to the Alfred ED now",
        "mum is taking me to ED",
        "going to the emergency department now",
        "hes in ED now",
    ],
)
def test_help_on_its_way_is_read(text):
    from actions.urgent import says_help_is_under_way

    assert says_help_is_under_way(text)


@pytest.mark.parametrize(
    "text",
    [
        "should we go to hospital",
        "do we call an ambulance or drive her in",
        "cant get through to anyone",
        "she was in hospital for 3 weeks after her transplant",
        "hes breathing fast and confused",
        "we dont have the transplant team number handy, should we just go to the regular ER?",
    ],
)
def test_asking_whether_to_get_help_is_not_help_on_its_way(text):
    from actions.urgent import says_help_is_under_way

    assert not says_help_is_under_way(text)


async def test_getting_help_is_answered_only_right_after_the_warning_signs_notice(
    knowledge, dispatcher, tracker_for, domain
):
    text = "how long do you stay in hospital"
    tracker = tracker_for("faq_hospital_stay", text=text, ranking=[{"name": "faq_hospital_stay", "confidence": 0.9}])
    tracker.events = [*CRISIS_TURN, user_event("faq_hospital_stay")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    tracker.events = [*WARNING_TURN, *(user_event("thanks") for _ in range(4)), user_event("faq_hospital_stay")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert not any(t.startswith(knowledge.notices["red_flag_follow_up"].text) for t in texts)
    assert texts[-1].startswith(knowledge.entries["hospital_stay"].answer)


@pytest.mark.parametrize(
    "text",
    [
        "what is the immune system like after",
        "she is feeling a bit better now thanks",
        "my friend ed says hi",
        "go to bed",
    ],
)
def test_other_messages_are_not_about_getting_help(text):
    from actions.urgent import asks_about_getting_help

    assert not asks_about_getting_help(text)


async def test_support_mode_ends_after_a_few_turns(knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for(
        "faq_side_effects", text="what are the side effects", ranking=[{"name": "faq_side_effects", "confidence": 0.6}]
    )
    tracker.events = [*CRISIS_TURN, *(user_event("thanks") for _ in range(4)), user_event("faq_side_effects")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["text"].startswith(knowledge.entries["side_effects"].answer)


async def test_not_what_i_meant_offers_the_other_likely_topics_and_a_person(knowledge, dispatcher, tracker_for, domain):
    from actions.messages import NOT_WHAT_I_MEANT_TEXT
    from actions.support import ActionNotWhatIMeant

    before = {
        "event": "user",
        "parse_data": {
            "intent": {"name": "faq_procedure"},
            "intent_ranking": [
                {"name": "faq_procedure", "confidence": 0.5},
                {"name": "faq_effectiveness", "confidence": 0.3},
                {"name": "faq_eligibility", "confidence": 0.1},
            ],
        },
    }
    tracker = tracker_for("not_what_i_meant", text="that's not what I asked")
    tracker.events = [before, {"event": "action", "name": "action_answer_faq"}, user_event("not_what_i_meant")]
    await ActionNotWhatIMeant().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"] == NOT_WHAT_I_MEANT_TEXT
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[:2] == ["/faq_effectiveness", "/faq_eligibility"] and payloads[-1] == "/human_help"
    assert "/faq_procedure" not in payloads


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("clinics in Mexico are cheaper?", None),
        ("I live in the United States, not Mexico", "us"),
        ("from canada", "canada"),
    ],
)
async def test_only_where_the_person_lives_sets_the_region(text, slot, knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for("faq_cost", text=text)
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    regions = [e["value"] for e in events if e.get("name") == "region"]
    assert regions == ([slot] if slot else [])


async def test_an_answer_for_a_place_says_which_with_a_way_to_change_it(knowledge, dispatcher, tracker_for, domain):
    from actions.messages import CHANGE_REGION_BUTTON, REGION_NOTE

    tracker = tracker_for("faq_access", text="how do i get it? i live in the uk")
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.entries["access"].variants["region"]["uk"])
    assert REGION_NOTE.format(place="the UK") in message["text"]
    assert CHANGE_REGION_BUTTON in message["buttons"]


async def test_change_my_country_asks_again_and_forgets_the_old_one(dispatcher, tracker_for, domain):
    from actions.messages import CHANGE_REGION_TEXT, REGION_SET_TEXT
    from actions.support import ActionChangeRegion

    events = await ActionChangeRegion().run(
        dispatcher, tracker_for("change_region", text="change my country", slots={"region": "other"}), domain
    )
    assert dispatcher.messages[0]["text"] == CHANGE_REGION_TEXT and dispatcher.messages[0]["buttons"] == REGION_BUTTONS
    assert {"event": "slot", "name": "region", "value": None, "timestamp": None} in events
    dispatcher.messages.clear()
    events = await ActionChangeRegion().run(
        dispatcher, tracker_for("change_region", text="I'm in the US, not Mexico", slots={"region": "other"}), domain
    )
    assert dispatcher.messages[0]["text"] == REGION_SET_TEXT.format(place="the US")
    assert {"event": "slot", "name": "region", "value": "us", "timestamp": None} in events


async def test_a_place_named_in_answer_to_where_is_kept_and_the_last_answer_given_for_it(
    knowledge, dispatcher, tracker_for, domain
):
    """'australia!! i said aus. is it covered there or not' got 'Where do you live?' again, the third
    time in one chat (a stranger's conversation, 2026-12-01)."""
    from actions.messages import REGION_SET_TEXT
    from actions.support import ActionChangeRegion

    text = "australia!! i said aus. can i get it there or not"
    tracker = tracker_for("change_region", text=text, slots={"last_topic": "access"})
    events = await ActionChangeRegion().run(dispatcher, tracker, domain)
    assert {"event": "slot", "name": "region", "value": "australia", "timestamp": None} in events
    assert dispatcher.messages[0]["text"] == REGION_SET_TEXT.format(place="Australia")
    expected = knowledge.entries["access"].answer_for(region="other", country="australia")
    assert expected != knowledge.entries["access"].answer
    assert dispatcher.messages[1]["text"].startswith(expected)
    # Two places, or a place after "not", are not where the person lives.
    for said in ("is it cheaper in mexico or russia", "not mexico"):
        dispatcher.messages.clear()
        await ActionChangeRegion().run(dispatcher, tracker_for("change_region", text=said), domain)
        assert dispatcher.messages[0]["text"] != REGION_SET_TEXT.format(place="Mexico")


async def test_a_situation_asking_to_get_it_here_is_answered_for_the_place_it_names(
    knowledge, dispatcher, tracker_for, domain
):
    """ "G'day. 47, PPMS dx 6 yrs ago, EDSS about 5. Melbourne. Can I get HSCT here" was asked where he
    lives, with UK, US, EU and somewhere else as the choices (a twenty-fourth stranger, 2026-12-03)."""
    from actions.support import ActionSituation

    text = "G'day. 47, PPMS dx 6 yrs ago, EDSS about 5. Melbourne. Can I get HSCT here"
    tracker = tracker_for("describe_situation", text=text)
    tracker.latest_message["questions_worded"] = ["access"]
    events = await ActionSituation().run(dispatcher, tracker, domain)
    assert {"event": "slot", "name": "region", "value": "australia", "timestamp": None} in events
    access = knowledge.entries["access"].answer_for(region="other", country="australia")
    assert dispatcher.messages[1]["text"].startswith(access)
    assert not any(b["title"] == "UK" for m in dispatcher.messages for b in m.get("buttons") or [])


async def test_getting_it_here_with_where_one_lives_is_answered_for_that_place(
    knowledge, dispatcher, tracker_for, domain
):
    """ "we live in germany. can she get it here instead of russia" after the checklist for clinics abroad
    got "OK, I'll use Germany" and the same checklist again (a twenty-third stranger, 2026-12-03)."""
    from actions.messages import REGION_SET_TEXT
    from actions.support import ActionChangeRegion

    text = "we live in germany. can she get it here instead of russia"
    tracker = tracker_for("change_region", text=text, slots={"last_topic": "treatment_abroad"})
    tracker.latest_message["questions_asked"] = ["treatment_abroad"]
    await ActionChangeRegion().run(dispatcher, tracker, domain)
    said, answer = dispatcher.messages
    assert said["text"] == REGION_SET_TEXT.format(place="Germany")
    access = knowledge.entries["access"]
    place = knowledge.place("germany")
    assert answer["text"].startswith(access.answer_for(region=place.region, country=place.country))
    assert knowledge.entries["treatment_abroad"].answer not in answer["text"]


async def test_a_situation_is_set_beside_the_criteria_and_the_check_asks_only_the_rest(
    knowledge, dispatcher, tracker_for, domain
):
    from actions.messages import SITUATION_CRITERIA_TEXT, SITUATION_UNDERSTOOD_TEXT
    from actions.support import ActionSituation

    check = knowledge.self_check
    tracker = tracker_for("describe_situation", text="i had 2 relapses this year and new lesions on my mri. im 41")
    events = await ActionSituation().run(dispatcher, tracker, domain)
    understood, criteria = dispatcher.messages
    assert understood["text"].splitlines() == [
        SITUATION_UNDERSTOOD_TEXT,
        f"• {check.question('age').label}: {check.question('age').option('18_44').title}",
        f"• {check.question('activity').label}: Yes",
    ]
    assert criteria["text"].startswith(SITUATION_CRITERIA_TEXT)
    assert check.question("activity").option("yes").note in criteria["text"]
    assert criteria["buttons"][0] == {
        "title": "Compare with the criteria (4 questions)",
        "payload": "/start_eligibility_check",
    }
    set_slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert set_slots["check_age"] == "18_44" and set_slots["check_activity"] == "yes"


async def test_a_situation_told_in_tears_hears_the_feeling_first(knowledge, dispatcher, tracker_for, domain):
    """ "im so scared. had my 3rd relapse this year even on ocrevus ... i cant stop crying" got only what
    was understood (a twentieth stranger, 2026-12-03)."""
    from actions.messages import SITUATION_UNDERSTOOD_TEXT, TALK_TO_SOMEONE_BUTTON, WORRY_TEXT
    from actions.support import ActionSituation

    text = "im so scared. had my 3rd relapse this year even on ocrevus and my neuro mentioned hsct. i cant stop crying"
    await ActionSituation().run(dispatcher, tracker_for("describe_situation", text=text), domain)
    feeling, understood, *_ = dispatcher.messages
    assert feeling["text"].startswith(WORRY_TEXT) and feeling["buttons"] == [TALK_TO_SOMEONE_BUTTON]
    assert understood["text"].startswith(SITUATION_UNDERSTOOD_TEXT)
    assert f"• {knowledge.self_check.question('dmt_failed').label}: " in understood["text"]


async def test_where_a_situation_says_the_person_lives_is_kept_and_said(knowledge, dispatcher, tracker_for, domain):
    """ "hi im 52 with spms, edss 6.5, live in ohio" then "how much would it cost" got "Where do you
    live?" (2026-12-03)."""
    from actions.messages import SITUATION_PLACE_LINE
    from actions.support import ActionSituation

    tracker = tracker_for("describe_situation", text="hi im 52 with spms, edss 6.5, live in ohio")
    events = await ActionSituation().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].splitlines()[-1] == SITUATION_PLACE_LINE.format(place="the US")
    assert {"event": "slot", "name": "region", "value": "us", "timestamp": None} in events


async def test_a_situation_told_with_questions_gets_the_first_question_answered(
    knowledge, dispatcher, tracker_for, domain
):
    """'...now shes on kesimpta and had 2 relapses this year. how long does the whole thing take and
    does she lose her hair' got only what was understood (a stranger's conversation, 2026-12-01)."""
    from actions.messages import SITUATION_UNDERSTOOD_TEXT
    from actions.support import ActionSituation

    text = (
        "my sister is 38 and had 2 relapses this year on kesimpta. how long does it all take and does she lose her hair"
    )
    tracker = tracker_for("describe_situation", text=text)
    tracker.latest_message["questions_worded"] = ["hospital_stay", "side_effects"]
    events = await ActionSituation().run(dispatcher, tracker, domain)
    understood, answer, also = dispatcher.messages
    assert understood["text"].startswith(SITUATION_UNDERSTOOD_TEXT)
    assert understood["buttons"][0]["payload"] == "/start_eligibility_check"
    assert answer["text"].startswith(knowledge.entries["hospital_stay"].answer)
    # Since 2026-12-03 the second question is answered under the first, not only offered (a twentieth
    # stranger's "Questions: 1) ... 2) ...").
    side_effects = knowledge.entries["side_effects"]
    assert also["text"].startswith(f'You also asked: "{side_effects.question}"')
    assert side_effects.answer in also["text"]
    assert {"event": "slot", "name": "last_topic", "value": "hospital_stay", "timestamp": None} in events


async def test_a_situation_ending_in_a_question_mark_gets_its_last_topic_answered(
    knowledge, dispatcher, tracker_for, domain
):
    """ "alright. 27, RRMS dx 2 yrs ago, on kesimpta, had a relapse anyway. manchester. my mate sent me an
    article saying an analysis of nine studies proved stem cells work for MS. true?" got only what was
    understood (a twenty-fifth stranger, 2026-12-03)."""
    from actions.messages import SITUATION_UNDERSTOOD_TEXT
    from actions.support import ActionSituation

    text = (
        "alright. 27, RRMS dx 2 yrs ago, on kesimpta, had a relapse anyway. manchester. my mate sent me an article "
        "saying an analysis of nine studies proved stem cells work for MS. true?"
    )
    tracker = tracker_for("describe_situation", text=text)
    tracker.latest_message["questions_asked"] = ["vs_dmts", "meta_analysis"]
    tracker.latest_message["questions_worded"] = []
    await ActionSituation().run(dispatcher, tracker, domain)
    understood, answer = dispatcher.messages
    assert understood["text"].startswith(SITUATION_UNDERSTOOD_TEXT)
    assert answer["text"].startswith(knowledge.entries["meta_analysis"].answer)
    # Without the question mark, what was understood and the criteria, as before.
    dispatcher.messages.clear()
    tracker = tracker_for("describe_situation", text=text.rstrip("?").replace(" true", ""))
    tracker.latest_message["questions_asked"] = ["vs_dmts", "meta_analysis"]
    await ActionSituation().run(dispatcher, tracker, domain)
    assert not any(knowledge.entries["meta_analysis"].answer in m["text"] for m in dispatcher.messages)


async def test_a_situation_that_names_a_trial_gets_the_trial_answered(knowledge, dispatcher, tracker_for, domain):
    """ "hey so im 31 in texas, rrms 5 yrs, failed copaxone and kesimpta, still getting new lesions. my neuro
    at ut southwestern mentioned beat-ms trial??" got what was understood and never a word on BEAT-MS (a
    twenty-third stranger, 2026-12-03)."""
    from actions.messages import SITUATION_UNDERSTOOD_TEXT
    from actions.support import ActionSituation
    from tests.test_actions import slot_values

    text = (
        "hey so im 31 in texas, rrms 5 yrs, failed copaxone and kesimpta, still getting new lesions. my neuro at "
        "ut southwestern mentioned beat-ms trial??"
    )
    events = await ActionSituation().run(dispatcher, tracker_for("describe_situation", text=text), domain)
    understood, trial = dispatcher.messages
    assert understood["text"].startswith(SITUATION_UNDERSTOOD_TEXT)
    assert trial["text"].startswith(knowledge.entries["clinical_trials"].parts["point.beat_ms"].text)
    assert slot_values(events, "last_topic") == ["clinical_trials"]
    assert any(v and "clinical_trials" in v[-1] for v in slot_values(events, "answered"))


async def test_the_same_answer_asked_again_is_as_above(knowledge, dispatcher, tracker_for, domain):
    """Asked again in other words, the reminder and then the detail (a stranger's "why isnt it fda
    approved" got "As above: No." and a dead end, 2026-12-01); once the detail was shown too, the
    short reminder alone."""
    entry = knowledge.entries["mortality"]
    events = await ActionAnswerFaq().run(dispatcher, tracker_for("faq_mortality", text="can you die from it"), domain)
    shown = next(e["value"] for e in events if e.get("name") == "answered")
    dispatcher.messages.clear()
    tracker = tracker_for("faq_mortality", text="what's the death rate", slots={"answered": shown})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    reminder, detail = dispatcher.messages
    assert reminder["text"].startswith("As above: " + entry.answer.split(". ")[0])
    assert len(reminder["text"]) < len(entry.answer)
    assert detail["text"].startswith(entry.detail) and "Source: " in detail["text"]
    dispatcher.messages.clear()
    tracker.events = [
        user_event("faq_mortality"),
        {"event": "bot", "text": detail["text"]},
        user_event("faq_mortality"),
    ]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith("As above: " + entry.answer.split(". ")[0])
    assert [b["payload"] for b in message["buttons"]][:2] == ["/ask_more", "/ask_source"]


async def test_the_same_topic_asked_again_simpler_gets_the_short_form(knowledge, dispatcher, tracker_for, domain):
    """'can you explain it simpler im not a doctor lol', taken as what AHSCT is again, got the longer
    detail (a stranger's conversation, 2026-12-01)."""
    from actions.messages import SIMPLER_TEXT

    entry = knowledge.entries["what_is_ahsct"]
    events = await ActionAnswerFaq().run(dispatcher, tracker_for("faq_what_is_ahsct", text="what is hsct"), domain)
    shown = next(e["value"] for e in events if e.get("name") == "answered")
    dispatcher.messages.clear()
    text = "can you explain it simpler im not a doctor lol"
    await ActionAnswerFaq().run(
        dispatcher, tracker_for("faq_what_is_ahsct", text=text, slots={"answered": shown}), domain
    )
    [message] = dispatcher.messages
    assert message["text"].startswith(SIMPLER_TEXT.format(summary=""))
    assert entry.detail[:60] not in message["text"]


async def test_a_bare_no_is_not_the_whole_reminder(knowledge):
    from actions.answers import as_above_reply

    entry = knowledge.entries["fda_status"]
    assert entry.answer.startswith("No. ")
    text = as_above_reply(entry, entry.answer_part).text
    assert text.startswith("As above: No. ") and len(text) > len('As above: No. Tap "Tell me more" for the details.')


async def test_a_new_session_forgets_which_answers_were_seen(knowledge, dispatcher, tracker_for, domain):
    """The slot is carried into a new session with the others; answers from an earlier one do not count."""
    tracker = tracker_for("faq_mortality", text="can you die from it", slots={"answered": ["1.0|mortality:answer"]})
    tracker.events = [{"event": "session_started", "timestamp": 2.0}, user_event("faq_mortality")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["text"].startswith(knowledge.entries["mortality"].answer)


async def test_trials_for_progressive_ms_are_not_answered_with_relapsing_ms_trials(
    knowledge, dispatcher, tracker_for, domain
):
    """'are there any trials for progressive ms' got "Yes" and three trials for relapsing MS only (a
    stranger's conversation, 2026-12-01)."""
    tracker = tracker_for(
        "faq_clinical_trials", text="are there any trials for progressive ms", slots={"ms_type": "ppms"}
    )
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    text = dispatcher.messages[-1]["text"]
    assert text.startswith(knowledge.entries["clinical_trials"].parts["ms_type.progressive"].text)
    assert not text.startswith("Yes")


@pytest.mark.parametrize(
    ("text", "slot", "variant"),
    [
        ("is it approved in australia", "usa", "country.australia"),
        ("is hsct even tga approved", None, "country.australia"),  # a sixth stranger got the FDA answer
        ("is it approved in the uk", None, "region.uk"),
        ("is it approved in india", None, "region.other"),
    ],
)
async def test_approval_is_answered_for_the_place_asked_about(
    text, slot, variant, knowledge, dispatcher, tracker_for, domain
):
    """'is it approved in australia' got the FDA answer (a stranger's conversation, 2026-12-01)."""
    tracker = tracker_for("faq_fda_status", text=text, slots={"region": slot})
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    text = dispatcher.messages[-1]["text"]
    assert knowledge.entries["fda_status"].parts[variant].text in text
    assert not any(e.get("name") == "region" for e in events)  # where the person lives is unchanged
    assert "We have not checked this for Australia" not in text


async def test_a_text_for_the_region_is_not_labelled_as_the_country(knowledge, dispatcher, tracker_for, domain):
    """After Canada was set, the access answer about Sydney and Melbourne said "For Canada" (a
    stranger's conversation, 2026-12-01); then it led with Australia for a person in Ottawa (a fourth
    stranger). Now: the general text, said to be one, with a way to change the country."""
    tracker = tracker_for("faq_access", text="how can i get it where i live", slots={"region": "canada"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    message = dispatcher.messages[-1]
    text = message["text"]
    general = knowledge.entries["access"].parts["region.other"].text
    assert text.startswith(general) and not general.startswith("Rules differ by country. In Australia")
    assert "For Canada" not in text
    assert "We have not checked this for Canada yet, so this is the general answer." in text
    assert CHANGE_REGION_BUTTON in message["buttons"]


@pytest.mark.parametrize(
    ("text", "slot", "notes", "not_noted"),
    [
        # The person's own country with a text of its own: labelled, no note.
        ("how can i get it here", "australia", ["For Australia."], ["have not checked this"]),
        # An EU country without its own text: the EU text, said to be that.
        (
            "how can i get it here",
            "ireland",
            ["We have not checked this for Ireland yet, so this is the answer for EU"],
            [],
        ),
        # A country the message names, the person's place unknown: the general answer, the country
        # said to be unchecked, then the question where the person lives.
        (
            "hsct in india how much",
            None,
            [
                "We have not checked this for India yet, so this is the general answer.",
                'If you live in India, tap "I live in India".',
            ],
            ["For "],
        ),
        # A UK person asking about somewhere else: the UK text, the other country unchecked.
        ("is it cheaper in mexico", "uk", ["For the UK.", "We have not checked this for Mexico yet."], []),
        ("is it cheaper in argentina or brazil", "uk", ["We have not checked this for Argentina and Brazil yet."], []),
    ],
)
async def test_a_country_without_its_own_text_is_said_to_be_unchecked(
    text, slot, notes, not_noted, knowledge, dispatcher, tracker_for, domain
):
    """A fourth stranger: people in Ottawa, Cork, Buenos Aires, India and South Africa got texts about
    Australia, the NHS or a US insurer, with nothing to say their country was not covered."""
    intent = "faq_cost" if "cheaper" in text or "much" in text else "faq_access"
    await ActionAnswerFaq().run(dispatcher, tracker_for(intent, text=text, slots={"region": slot}), domain)
    shown = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert all(note in shown for note in notes), shown
    assert not any(note in shown for note in not_noted), shown


async def test_a_topic_that_is_the_same_everywhere_gets_no_country_note(knowledge, dispatcher, tracker_for, domain):
    tracker = tracker_for("faq_side_effects", text="side effects? im in canada", slots={"region": "canada"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert "have not checked this" not in dispatcher.messages[-1]["text"]


async def test_going_abroad_from_an_unchecked_country_says_so(knowledge, dispatcher, tracker_for, domain):
    """ "im in south africa, does anyone do it here or must i fly overseas" got the checklist for going
    abroad, with South Africa not mentioned (a fourth stranger)."""
    text = "im in south africa, does anyone do it here or must i fly overseas"
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_treatment_abroad", text=text), domain)
    assert "We have not checked this for South Africa yet" in dispatcher.messages[-1]["text"]


async def test_choosing_a_country_without_its_own_text_never_claims_the_answer_is_for_it(
    knowledge, dispatcher, tracker_for, domain
):
    """After "CANADA" at the country question: "OK, I'll use Canada from now on. The answer above is
    the one for Canada", under an answer about Australia and the FDA (a fourth stranger)."""
    from actions.answers import answer_key

    entry = knowledge.entries["fda_status"]
    shown = ["|" + answer_key(entry, entry.part_for(region="other"))]
    tracker = tracker_for(
        "followup_context",
        text="CANADA",
        slots={"last_topic": entry.id, "answered": shown},
        entities=[{"entity": "region"}],
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert "the one for Canada" not in text
    assert "We have not checked this for Canada yet, so the answer above is the general one." in text


@pytest.mark.parametrize(
    ("earlier", "expected"),
    [
        ([], "THANKS_TEXT"),
        (WARNING_TURN, "THANKS_AFTER_WARNING_SIGN_TEXT"),
        (CRISIS_TURN, "THANKS_AFTER_CRISIS_TEXT"),
    ],
)
async def test_thanks_after_a_safety_notice_stays_with_the_person(earlier, expected, dispatcher, tracker_for, domain):
    """ "ok we called them, hes going in. thank you" got "Is there anything else you'd like to know
    about AHSCT?" (a seventh stranger, 2026-12-02)."""
    from actions import messages
    from actions.support import ActionThanks

    tracker = tracker_for("thanks", text="ok we called them, hes going in. thank you")
    tracker.events = [*earlier, user_event("thanks")]
    await ActionThanks().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [getattr(messages, expected)]


@pytest.mark.parametrize(("earlier", "expected"), [([], "THANKS_TEXT"), (CRISIS_TURN, "THANKS_AFTER_CRISIS_TEXT")])
async def test_ok_is_not_answered_youre_welcome(earlier, expected, dispatcher, tracker_for, domain):
    """ "ok" is taken as thanks (addons/nlu/commands.py); the reply has no "You're welcome"."""
    from actions import messages
    from actions.support import ActionThanks

    tracker = tracker_for("thanks", text="ok")
    tracker.events = [*earlier, user_event("thanks")]
    await ActionThanks().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"] == getattr(messages, expected).removeprefix("You're welcome. ")
    assert "welcome" not in message["text"].lower()


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("grand thanks, whos the best person to ask here", True),
        ("thank you! and how long is the hospital stay", True),
        ("thanks thats helpful", False),
        ("cheers", False),
    ],
)
async def test_a_question_after_thanks_is_not_lost(text, asks, dispatcher, tracker_for, domain):
    from actions.messages import TALK_TO_SOMEONE_BUTTON, THANKS_AND_A_QUESTION_TEXT, THANKS_TEXT
    from actions.support import ActionThanks

    ranking = [
        {"name": "thanks", "confidence": 0.3},
        {"name": "faq_hospital_stay", "confidence": 0.2},
        {"name": "human_help", "confidence": 0.2},
    ]
    tracker = tracker_for("thanks", text=text, ranking=ranking)
    tracker.events = [user_event("thanks")]
    await ActionThanks().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    if asks:
        assert message["text"] == THANKS_AND_A_QUESTION_TEXT
        titles = [b["title"] for b in message["buttons"]]
        assert "How long is the hospital stay and recovery?" in titles
        assert TALK_TO_SOMEONE_BUTTON["title"] in titles
    else:
        assert message["text"] == THANKS_TEXT


@pytest.mark.parametrize("intent", ["followup_context", "change_region"])
async def test_a_country_said_after_the_helpline_for_anywhere_gets_its_own_ms_society(
    intent, knowledge, dispatcher, tracker_for, domain
):
    """ "Tell me your country and I'll try to help", then "ireland": it got "Thanks. I'll use
    that for answers that depend on where you live." and no society (2026-12-02)."""
    from actions.support import ActionChangeRegion

    helpline = knowledge.notices["helpline_other"].text
    tracker = tracker_for(intent, text="ireland", slots={"last_topic": "cost"})
    tracker.events = [
        user_event("express_feelings"),
        {"event": "bot", "text": f"I'm sorry.\n{helpline}\nSource: ..."},
        user_event(intent),
    ]
    action = ActionFollowUp() if intent == "followup_context" else ActionChangeRegion()
    events = await action.run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0] == "OK, I'll use Ireland from now on."
    assert texts[1].startswith(knowledge.notices["helpline_other"].parts["country.ireland"].text)
    assert len(texts) == 2 and [(e["name"], e["value"]) for e in events] == [("region", "ireland")]


async def test_a_country_said_later_is_not_answered_with_a_helpline(knowledge, dispatcher, tracker_for, domain):
    helpline = knowledge.notices["helpline_other"].text
    tracker = tracker_for("followup_context", text="ireland", slots={"last_topic": "cost"})
    tracker.events = [
        user_event("express_feelings"),
        {"event": "bot", "text": helpline},
        user_event("faq_cost"),
        {"event": "bot", "text": "We cannot give a reliable price."},
        user_event("followup_context"),
    ]
    await ActionFollowUp().run(dispatcher, tracker, domain)
    assert not any("MS Ireland" in m["text"] and "contact" in m["text"] for m in dispatcher.messages)


async def test_the_warmer_thanks_is_not_repeated(dispatcher, tracker_for, domain):
    from actions.messages import THANKS_AFTER_WARNING_SIGN_TEXT, THANKS_TEXT
    from actions.support import ActionThanks

    tracker = tracker_for("thanks", text="thanks again")
    tracker.events = [
        *WARNING_TURN,
        user_event("thanks"),
        {"event": "bot", "text": THANKS_AFTER_WARNING_SIGN_TEXT},
        user_event("thanks"),
    ]
    await ActionThanks().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [THANKS_TEXT]


async def test_news_of_a_transplant_gets_good_wishes_and_the_warning_signs_first(
    knowledge, dispatcher, tracker_for, domain
):
    """ "hey my mum is in hospital getting the stem cell thing for her ms rn" got how to get AHSCT
    (a seventh stranger, 2026-12-02)."""
    from actions.messages import IN_TREATMENT_TEXT
    from actions.support import ActionInTreatment

    tracker = tracker_for("in_treatment", text="hey my mum is in hospital getting the stem cell thing for her ms rn")
    tracker.events = [user_event("in_treatment")]
    await ActionInTreatment().run(dispatcher, tracker, domain)
    note, message = dispatcher.messages
    assert note["text"] == FIRST_TURN_NOTE
    assert message["text"] == IN_TREATMENT_TEXT and "transplant team" in message["text"]
    assert [b["payload"] for b in message["buttons"]][0] == "/faq_warning_signs"
    assert not any(e.answer[:40] in message["text"] for e in knowledge.entries.values())


@pytest.mark.parametrize(
    ("text", "about_the_topic"),
    [
        ("is it safe?", True),
        ("any risks", True),
        ("what are the risks for someone like her", False),
        ("risks for me?", False),
        ("and what are the main risks of the whole thing overall", False),
    ],
)
async def test_a_short_is_it_safe_after_an_answer_is_about_its_topic_and_the_risks_for_a_person_are_not(
    text, about_the_topic, knowledge, dispatcher, tracker_for, domain
):
    """ "what are the risks for someone like her" after the hospital stay got 'About safety, following
    "How long is the hospital stay and recovery?"' and the infection risk only (a seventh stranger)."""
    tracker = tracker_for("faq_risks", text=text, slots={"last_topic": "hospital_stay"})
    tracker.events = [*answered("faq_hospital_stay"), user_event("faq_risks")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert any(m["text"].startswith("About safety") for m in dispatcher.messages) == about_the_topic


@pytest.mark.parametrize(
    "before",
    [
        {**user_event("faq_side_effects"), "text": "I am also very tired all the time, 4 months after."},
        user_event("in_treatment"),
        user_event("red_flag"),
    ],
)
async def test_who_to_call_after_the_transplant_is_the_transplant_team(
    before, knowledge, dispatcher, tracker_for, domain
):
    """An eighth stranger (2026-12-02), four months after her transplant: "Who I should call?" got the
    script for raising AHSCT with a neurologist before it."""
    text = "I asked if I should worry about being so tired. Who I should call?"
    intent = "faq_talk_to_neurologist"
    tracker = tracker_for(intent, text=text, ranking=[{"name": intent, "confidence": 0.61}])
    tracker.events = [before, {"event": "action", "name": "action_answer_faq"}, said(intent, text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.notices["after_transplant_contacts"].text)
    assert [b["payload"] for b in message["buttons"]] == ["/faq_warning_signs", "/faq_side_effects"]


@pytest.mark.parametrize(
    "earlier",
    [
        "what happens after the transplant",
        "i havent had the transplant yet",
        "how long after the transplant can i drive",
        # A twentieth stranger's (2026-12-03): someone else's injections are not this person's transplant.
        "my cousin got stem cell injections at some place in panama for her knees and MS, is that the same thing?",
    ],
)
async def test_who_to_talk_to_before_the_transplant_is_the_neurologist(
    earlier, knowledge, dispatcher, tracker_for, domain
):
    intent = "faq_talk_to_neurologist"
    text = "who should I talk to about it"
    tracker = tracker_for(intent, text=text, ranking=[{"name": intent, "confidence": 0.9}])
    tracker.events = [{**user_event("faq_procedure"), "text": earlier}, said(intent, text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert not any(knowledge.notices["after_transplant_contacts"].text in t for t in texts)
    assert any(knowledge.entries["talk_to_neurologist"].answer in t for t in texts), texts


async def test_feeling_after_the_transplant_is_not_declined(knowledge, dispatcher, tracker_for, domain):
    """A ninth stranger (2026-12-02), five weeks after hers: "so tired I can barely shower, is this
    normal?" got "Sorry, I can't help with that" and the neurologist or GP."""
    from actions.messages import OUT_OF_SCOPE_TEXT
    from actions.support import ActionOutOfScope

    text = "im 5 weeks out from my hsct, home now. so tired i can barely shower, is this normal?"
    tracker = opening(tracker_for, "out_of_scope", text)
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(knowledge.entries["side_effects"].parts["point.tiredness"].text) for t in texts), texts

    dispatcher.messages.clear()
    text = "my legs ache all the time, is that normal"
    tracker = tracker_for("nlu_fallback", text=text)
    tracker.events = [{"event": "session_started"}, user_event("in_treatment"), said("nlu_fallback", text)]
    await ActionNotSure().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(knowledge.notices["after_transplant_contacts"].text) for t in texts), texts

    dispatcher.messages.clear()
    text = "so tired today, is it normal"  # nothing said of a transplant
    tracker = opening(tracker_for, "out_of_scope", text)
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages][-1] == OUT_OF_SCOPE_TEXT


async def test_getting_it_in_a_place_named_gets_that_places_answer(knowledge, dispatcher, tracker_for, domain):
    """A ninth stranger (2026-12-02): "hsct melbourne" got "We have not checked Australia yet" and the
    general answer, though the knowledge file has Australia's."""
    from actions.places import mentioned_places

    place = knowledge.place(mentioned_places("hsct melbourne", knowledge)[0])
    part = knowledge.entries["access"].part_for(region=place.region, country=place.country)
    assert part != knowledge.entries["access"].part_for()
    tracker = tracker_for("faq_access", text="hsct melbourne")
    tracker.events = [{"event": "session_started"}, said("faq_access", "hsct melbourne")]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(part.text[:80]) for t in texts), texts
    assert not any("not checked Australia" in t for t in texts)


async def test_a_warning_sign_told_from_hospital_is_acknowledged_and_the_question_answered(
    knowledge, dispatcher, tracker_for, domain
):
    """A tenth stranger (2026-12-02): "update - hes been admitted, on iv antibiotics, neutropenic fever.
    is this common after hsct? im so scared" got "Please act now ... call an ambulance" five times."""
    from actions.safety import ActionSafetyNotice

    text = "update - hes been admitted, on iv antibiotics, neutropenic fever. is this common after hsct? im so scared"
    ranking = [{"name": "red_flag", "confidence": 1.0}, {"name": "faq_infections", "confidence": 0.98}]
    tracker = opening(tracker_for, "red_flag", text, ranking=ranking)
    await ActionSafetyNotice().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith(knowledge.notices["red_flag_help_here"].text)
    assert any(knowledge.entries["infections"].answer[:60] in t for t in texts[1:]), texts
    assert not any(t.startswith(knowledge.notices["red_flag"].text) for t in texts)

    # Care that may be over: the warning-signs notice stands.
    dispatcher.messages.clear()
    text = "she was admitted last week for a fever, now at home she has 39 again after hsct"
    tracker = opening(tracker_for, "red_flag", text, ranking=ranking)
    await ActionSafetyNotice().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.notices["red_flag"].text)


async def test_asking_for_a_helpline_in_an_emergency_gets_the_emergency_answer(
    knowledge, dispatcher, tracker_for, domain
):
    """An eleventh stranger (2026-12-02): right after the warning-signs notice, "can't find the ward
    number. can i just ring 111?" got the MS Society's helpline."""
    from actions.safety import ActionHumanHelp

    text = "can't find the ward number. can i just ring 111?"
    tracker = tracker_for("human_help", text=text)
    tracker.events = [*WARNING_TURN, said("human_help", text)]
    await ActionHumanHelp().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    # The ward's number not found: go now (2026-12-02, later; the follow-up notice before).
    assert message["text"].startswith(knowledge.notices["red_flag_go_now"].text)


@pytest.mark.parametrize(
    "text",
    [
        "i havent even told my wife how bad the legs are. who can i talk to",
        # A twelfth stranger's (2026-12-02), for her daughter.
        "She is so worried she can't sleep. Anybody she can talk to?",
        "my husband needs someone to talk to",
    ],
)
async def test_asking_for_someone_to_talk_to_gets_the_helpline_not_the_refusal(
    text, knowledge, dispatcher, tracker_for, domain
):
    """An eleventh stranger (2026-12-02): "i havent even told my wife how bad the legs are. who can i
    talk to" got "Sorry, I can't help with that"."""
    from actions.messages import OUT_OF_SCOPE_TEXT
    from actions.support import ActionOutOfScope

    tracker = opening(tracker_for, "out_of_scope", text)
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert OUT_OF_SCOPE_TEXT not in texts
    assert any(t.startswith(knowledge.helpline(None).text[:40]) for t in texts), texts


@pytest.mark.parametrize(
    ("text", "notice", "answered"),
    [
        # A twelfth stranger (2026-12-02) got the follow-up notice, word for word, for each of these.
        ("ok going now. should i bring anything? her meds?", "red_flag_help_on_way", None),
        (
            "At A&E now, antibiotics given, Sheffield called, white count very low. how long until the immune "
            "system comes back?",
            "red_flag_help_here",
            "infections",
        ),
        ("we're already AT the hospital. how long does recovery usually take", "red_flag_help_here", "hospital_stay"),
        # A thirteenth stranger's (2026-12-02).
        ("ok we're leaving for the ER now. what should i tell them", "red_flag_help_on_way", None),
        ("Admitted, IV antibiotics, he's OK. is this normal after HSCT?", "red_flag_help_here", "infections"),
        # A fourteenth stranger's got the refusal.
        ("my husband is driving me to the Alfred ED now", "red_flag_help_on_way", None),
        # A twenty-sixth stranger's got only the notice (2026-12-03).
        (
            "ok he's fine now theyre seeing him. different question - when can he have his vaccines again",
            "red_flag_help_here",
            "infections",
        ),
    ],
)
async def test_help_under_way_or_care_started_after_the_notice_is_acknowledged_not_met_with_it_again(
    text, notice, answered, knowledge, dispatcher, tracker_for, domain
):
    intent = f"faq_{answered}" if answered else "faq_hospital_stay"
    tracker = tracker_for(intent, text=text, ranking=[{"name": intent, "confidence": 0.9}])
    tracker.events = [*WARNING_TURN, said(intent, text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith(knowledge.notices[notice].text)
    assert not any(t.startswith(knowledge.notices["red_flag_follow_up"].text) for t in texts)
    if answered:
        entry = knowledge.entries[answered]
        starts = [entry.answer, *(entry.parts[f"point.{p}"].text for p in entry.points)]  # the topic or a point of it
        assert any(t.startswith(tuple(starts)) for t in texts[1:])
    else:
        assert len(texts) == 1


@pytest.mark.parametrize(
    ("text", "intent", "answered"),
    [
        ("he wants to go to the pub with mates next week, is that ok", "out_of_scope", False),
        (
            "ok called them. also is it normal that his legs feel weaker than before the transplant?",
            "nlu_fallback",
            True,
        ),
    ],
)
async def test_a_question_after_the_notice_that_is_not_about_the_sign_is_not_met_with_the_notice(
    text, intent, answered, knowledge, dispatcher, tracker_for, domain
):
    """A twenty-seventh stranger (2026-12-03), caring for her partner after a fever: "ok called them. also is
    it normal that his legs feel weaker ..." and "he wants to go to the pub with mates next week, is that ok"
    each got "Please don't wait. Call the transplant team's emergency number now"."""
    from actions.actions import ActionNotSure
    from actions.support import ActionOutOfScope

    tracker = tracker_for(intent, text=text)
    tracker.events = [*WARNING_TURN, said(intent, text)]
    await (ActionOutOfScope() if intent == "out_of_scope" else ActionNotSure()).run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert not any(t.startswith(knowledge.notices["red_flag_follow_up"].text[:40]) for t in texts), texts
    if answered:
        weaker = knowledge.entries["side_effects"].parts["point.worse_for_a_while"].text
        assert any(t.startswith(weaker) for t in texts), texts


@pytest.mark.parametrize(
    ("words", "after_notice", "expected"),
    [(None, True, "red_flag_follow_up"), ("crisis", True, "crisis"), (None, False, "crisis")],
)
async def test_a_crisis_only_guessed_right_after_the_notice_about_getting_care_is_the_emergency(
    words, after_notice, expected, knowledge, dispatcher, tracker_for, domain
):
    """An eighteenth stranger (2026-12-03): "he says he doesnt want to go back in, he just wants to sleep it
    off. can we wait til morning" right after the warning-signs notice got the crisis lines for someone else."""
    from actions.safety import ActionSafetyNotice

    text = "he says he doesnt want to go back in, he just wants to sleep it off. can we wait til morning"
    tracker = tracker_for("crisis", text=text)
    if words:
        tracker.latest_message["safety_words"] = words
    tracker.events = [*(WARNING_TURN if after_notice else []), said("crisis", text)]
    await ActionSafetyNotice().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]["text"]
    if expected == "crisis":
        assert not first.startswith(knowledge.notices["red_flag_follow_up"].text)
        assert "988" in first or "116 123" in first
    else:
        assert first.startswith(knowledge.notices[expected].text)


@pytest.mark.parametrize(
    ("text", "point"),
    [("u didnt say if it hurts tho", "procedure.pain"), ("you didnt answer which hospitals", "access.hospitals")],
)
async def test_not_what_i_meant_naming_a_point_gets_that_point(text, point, knowledge, dispatcher, tracker_for, domain):
    """Strangers (2026-12-03): "u didnt say if it hurts tho" got "Sorry, I got that wrong. Could you say it
    another way?"."""
    from actions.messages import MISSED_POINT_TEXT
    from actions.support import ActionNotWhatIMeant

    entry_id, point_id = point.split(".")
    await ActionNotWhatIMeant().run(dispatcher, tracker_for("not_what_i_meant", text=text), domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(MISSED_POINT_TEXT)
    assert knowledge.entries[entry_id].parts[f"point.{point_id}"].text in message["text"]


async def test_a_question_about_ms_itself_after_the_notice_is_answered(knowledge, dispatcher, tracker_for, domain):
    """A nineteenth stranger (2026-12-03): "is it normal for her ms symptoms to get worse for a while after?"
    right after the fever notice got the emergency text again, word for word."""
    text = "is it normal for her ms symptoms to get worse for a while after?"
    tracker = tracker_for("faq_side_effects", text=text, ranking=[{"name": "faq_side_effects", "confidence": 0.7}])
    tracker.events = [*WARNING_TURN, said("faq_side_effects", text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert not any(t.startswith(knowledge.notices["red_flag_follow_up"].text) for t in texts)
    assert any(t.startswith(knowledge.entries["side_effects"].parts["point.worse_for_a_while"].text) for t in texts)


async def test_a_team_abroad_after_the_notice_gets_go_now(knowledge, dispatcher, tracker_for, domain):
    """A sixteenth stranger (2026-12-03): "but we had it done in moscow, his team is in russia, we're back
    in dublin. who do i even call" right after the warning-signs notice got the treatment-abroad checklist."""
    text = "but we had it done in moscow, his team is in russia, we're back in dublin. who do i even call"
    tracker = tracker_for(
        "faq_treatment_abroad", text=text, ranking=[{"name": "faq_treatment_abroad", "confidence": 0.8}]
    )
    tracker.events = [*WARNING_TURN, said("faq_treatment_abroad", text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.notices["red_flag_go_now"].text)


async def test_going_now_read_as_goodbye_after_the_notice_is_help_on_its_way(
    knowledge, dispatcher, tracker_for, domain
):
    """ "ok were going now" after the warning-signs notice got "Goodbye, and take care. For decisions
    about your own treatment ..." (2026-12-03)."""
    from actions.support import ActionGoodbye

    text = "ok were going now"
    tracker = tracker_for("goodbye", text=text)
    tracker.events = [*WARNING_TURN, said("goodbye", text)]
    await ActionGoodbye().run(dispatcher, tracker, domain)
    [acknowledged] = dispatcher.messages  # and no goodbye under it (2026-12-03, the server)
    assert acknowledged["text"].startswith(knowledge.notices["red_flag_help_on_way"].text)
    dispatcher.messages.clear()
    bye = tracker_for("goodbye", text="bye")
    await ActionGoodbye().run(dispatcher, bye, domain)
    assert dispatcher.messages == [{**dispatcher.messages[0], "response": "utter_goodbye"}]


async def test_a_question_asked_with_where_the_person_lives_is_answered(knowledge, dispatcher, tracker_for, domain):
    """A fifteenth stranger (2026-12-03): "we're in Canada not the UK. I read about a trial in Ottawa
    where nobody relapsed afterwards? is that real" got only "OK, I'll use Canada from now on."."""
    from actions.messages import REGION_SET_TEXT
    from actions.support import ActionChangeRegion

    text = "we're in Canada not the UK. I read about a trial in Ottawa where nobody relapsed afterwards? is that real"
    tracker = tracker_for("change_region", text=text, slots={"last_topic": "cost"})
    tracker.latest_message["questions_asked"] = ["clinical_trials"]
    events = await ActionChangeRegion().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0] == REGION_SET_TEXT.format(place="Canada")
    assert texts[1].startswith(knowledge.entries["clinical_trials"].parts["point.canadian"].text)
    assert {"event": "slot", "name": "last_topic", "value": "clinical_trials", "timestamp": None} in events
    # Without a question, only the place (and the last answer again where it differs).
    dispatcher.messages.clear()
    await ActionChangeRegion().run(dispatcher, tracker_for("change_region", text="we're in Canada"), domain)
    assert [m["text"] for m in dispatcher.messages][:1] == [REGION_SET_TEXT.format(place="Canada")]
    assert not any(m["text"].startswith("In Ottawa") for m in dispatcher.messages)


async def test_a_place_given_with_a_question_of_getting_it_there_gets_how_to_get_it_there(
    knowledge, dispatcher, tracker_for, domain
):
    """A twelfth stranger (2026-12-02): "you did not say if it is available in Brazil" after the hospital
    stay got only "OK, I'll use Brazil from now on."."""
    from actions.messages import REGION_SET_TEXT
    from actions.support import ActionChangeRegion

    text = "you did not say if it is available in Brazil"
    tracker = tracker_for("change_region", text=text, slots={"last_topic": "hospital_stay"})
    await ActionChangeRegion().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0] == REGION_SET_TEXT.format(place="Brazil")
    assert texts[1].startswith(knowledge.entries["access"].variants["region"]["other"])
    dispatcher.messages.clear()
    # A place alone is only remembered when the last answer is the same there.
    await ActionChangeRegion().run(
        dispatcher, tracker_for("change_region", text="i live in brazil", slots={"last_topic": "hospital_stay"}), domain
    )
    assert [m["text"] for m in dispatcher.messages] == [REGION_SET_TEXT.format(place="Brazil")]


async def test_the_signs_told_again_soon_after_the_notice_get_the_short_answer(
    knowledge, dispatcher, tracker_for, domain
):
    """A thirteenth stranger (2026-12-02): "Transplant number goes to voicemail; not confused, just
    shaking; drive to the ER or wait?" got the same 1,042-character notice again."""
    from actions.safety import ActionSafetyNotice

    text = "Transplant number goes to voicemail; not confused, just shaking; drive to the ER or wait?"
    ranking = [{"name": "red_flag", "confidence": 1.0}]
    tracker = tracker_for("red_flag", text=text, ranking=ranking)
    tracker.events = [*WARNING_TURN, said("red_flag", text)]
    await ActionSafetyNotice().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    go_now = knowledge.notices["red_flag_go_now"].text
    assert message["text"].startswith(go_now) and len(go_now) < len(knowledge.notices["red_flag"].text)
    assert "999" in go_now and "911" in go_now and "ambulance" in go_now
    # A first warning sign still gets the whole notice.
    dispatcher.messages.clear()
    tracker.events = [{"event": "session_started"}, said("red_flag", text)]
    await ActionSafetyNotice().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.notices["red_flag"].text)


async def test_the_team_not_answering_after_the_notice_gets_go_now(knowledge, dispatcher, tracker_for, domain):
    """A thirteenth stranger (2026-12-02) was told to call the team after saying it went to voicemail."""
    text = "Transplant number goes to voicemail; drive to the ER or wait?"
    tracker = tracker_for("faq_hospital_stay", text=text, ranking=[{"name": "faq_hospital_stay", "confidence": 0.5}])
    tracker.events = [*WARNING_TURN, said("faq_hospital_stay", text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.notices["red_flag_go_now"].text)


async def test_fear_of_dying_of_the_treatment_gets_the_figures_one_tap_away(knowledge, dispatcher, tracker_for, domain):
    """ "what if i do it and i die. my kids would grow up without me" (a twentieth stranger, 2026-12-03)."""
    from actions.support import ActionSupport

    text = "what if i do it and i die. my kids would grow up without me. i dont know what to do"
    await ActionSupport().run(dispatcher, tracker_for("express_feelings", text=text), domain)
    payloads = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert "/faq_mortality" in payloads
    dispatcher.messages.clear()
    await ActionSupport().run(dispatcher, tracker_for("express_feelings", text="im so tired of all this"), domain)
    assert "/faq_mortality" not in [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


async def test_a_shingles_like_rash_gets_the_notice_then_the_point_on_viruses(
    knowledge, dispatcher, tracker_for, domain
):
    """ "got a painful blistery rash on one side of my chest since yesterday, kinda like shingles?? no fever"
    got only fever and sepsis signs (a twenty-first stranger, 2026-12-03)."""
    text = "had hsct 2 months ago. got a painful blistery rash on one side of my chest since yesterday, kinda like shingles?? no fever"
    await ActionSafetyNotice().run(dispatcher, tracker_for("red_flag", text=text), domain)
    notice, viruses = dispatcher.messages
    assert notice["text"].startswith(knowledge.notices["red_flag"].text.split(".")[0])
    assert viruses["text"].startswith(knowledge.entries["infections"].parts["point.viruses"].text)
    dispatcher.messages.clear()
    await ActionSafetyNotice().run(dispatcher, tracker_for("red_flag", text="fever 39 help"), domain)
    assert len(dispatcher.messages) == 1


async def test_who_follows_me_up_after_treatment_abroad_gets_the_aftercare_point(
    knowledge, dispatcher, tracker_for, domain
):
    """ "my local neuro isnt really on board with what i did. who is supposed to follow me up now" got
    "call your transplant team first" (a twenty-first stranger, 2026-12-03)."""
    earlier = "had hsct in monterrey mexico 2 months ago, back home in florida now"
    text = "my local neuro isnt really on board with what i did. who is supposed to follow me up now"
    intent = "faq_talk_to_neurologist"
    tracker = tracker_for(intent, text=text, ranking=[{"name": intent, "confidence": 0.8}])
    tracker.events = [{**user_event("in_treatment"), "text": earlier}, said(intent, text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith(knowledge.entries["treatment_abroad"].parts["point.aftercare"].text), texts


async def test_a_situation_told_without_hope_gets_the_low_mood_line(knowledge, dispatcher, tracker_for, domain):
    """ "I have PPMS, 52, from Cork ... honestly im scared and feel like theres no hope left" got a criteria
    card and no support (a twenty-first stranger, 2026-12-03)."""
    from actions.support import ActionSituation

    low_mood = knowledge.notices["low_mood_check"].text.split(".")[0]
    for text in (
        "I have PPMS, 52, from Cork. Walking with a stick now. honestly im scared and feel like theres no hope left",
        # A twenty-second stranger's (2026-12-03).
        "Im 52, had MS 18 years, now secondary progressive, walk with a stick. Honestly feeling pretty hopeless",
    ):
        dispatcher.messages.clear()
        await ActionSituation().run(dispatcher, tracker_for("describe_situation", text=text), domain)
        assert any(m["text"].startswith(low_mood) for m in dispatcher.messages[:3]), dispatcher.messages


async def test_a_new_sign_told_from_the_emergency_department_is_to_be_told_to_the_staff(
    knowledge, dispatcher, tracker_for, domain
):
    """A twenty-eighth stranger (2026-12-03), her husband two weeks after the transplant: after the fever
    notice, "ok we're in A&E now ... tiny red dots on his shins and his gums were bleeding earlier" got "go
    to the emergency department now", and "should i tell them about the dots" got "tell them about the
    transplant", never a word on the bleeding."""
    from actions.safety import ActionSafetyNotice

    tell = knowledge.notices["red_flag_tell_staff"].text
    first = (
        "ok we're in A&E now, theyve started antibiotics. i just noticed hes got loads of tiny red dots on his "
        "shins and his gums were bleeding earlier. is that from the transplant??"
    )
    tracker = tracker_for("red_flag", text=first, ranking=[{"name": "red_flag", "confidence": 1.0}])
    tracker.events = [*WARNING_TURN, said("red_flag", first)]
    await ActionSafetyNotice().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(tell)
    assert not any("go to the emergency department" in m["text"] for m in dispatcher.messages)

    dispatcher.messages.clear()
    second = "we're already IN A&E. i mean should i tell them about the dots"
    tracker = tracker_for("faq_hospital_stay", text=second)
    tracker.events = [*WARNING_TURN, said("red_flag", first), said("faq_hospital_stay", second)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(tell)
    # Asked right after that text: a short yes, not the same text again.
    dispatcher.messages.clear()
    tracker.events = [
        *WARNING_TURN,
        said("red_flag", first),
        {"event": "bot", "text": tell},
        said("faq_hospital_stay", second),
    ]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.notices["red_flag_tell_staff_again"].text)

    # Before anyone is in care, a new sign is still met with the emergency answer.
    dispatcher.messages.clear()
    third = "his gums are bleeding too"
    tracker = tracker_for("red_flag", text=third, ranking=[{"name": "red_flag", "confidence": 1.0}])
    tracker.events = [*WARNING_TURN, said("red_flag", third)]
    await ActionSafetyNotice().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(knowledge.notices["red_flag_go_now"].text)


@pytest.mark.parametrize(
    ("text", "in_care"),
    [
        ("ok we're in A&E now. his gums were bleeding earlier", True),
        ("we're at the hospital", True),
        ("we were in a&e last week, now at home with a fever again", False),
        ("she was admitted last week for a fever, now at home she has 39 again", False),
        ("he's at the hospital, they sent him home", False),
    ],
)
def test_care_said_in_the_present_has_started(text, in_care):
    from actions.urgent import says_care_has_started

    assert says_care_has_started(text) is in_care


async def test_what_about_an_insurer_after_a_second_answer_on_insurance_gets_its_point(
    knowledge, dispatcher, tracker_for, domain
):
    """A twenty-eighth stranger (2026-12-03): the hospital stay, and under it insurance, then "but what
    about Aetna specifically? thats what we have" got "The answer above doesn't depend on where you live,
    so it is the same for the US"."""
    from actions.answers import answer_key
    from actions.points import points_asked

    stay, cost = knowledge.entries["hospital_stay"], knowledge.entries["cost"]
    shown = ["|" + answer_key(stay, stay.answer_part), "|" + answer_key(cost, cost.parts["region.us"])]
    text = "but what about Aetna specifically? thats what we have"
    tracker = tracker_for(
        "followup_context", text=text, slots={"last_topic": "hospital_stay", "answered": shown, "region": "us"}
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    [point] = points_asked(knowledge, text)
    assert dispatcher.messages[0]["text"].startswith(point.part.text)

    # A place named after a topic with no such point is still the same topic for that place.
    dispatcher.messages.clear()
    tracker = tracker_for(
        "followup_context", text="and in the US?", slots={"last_topic": "cost", "answered": shown[1:]}
    )
    await ActionFollowUp().run(dispatcher, tracker, domain)
    assert not any(m["text"].startswith(point.part.text) for m in dispatcher.messages)


async def test_a_fear_of_dying_said_not_to_be_felt_is_not_heard_as_one(knowledge, dispatcher, tracker_for, domain):
    """A twenty-eighth stranger (2026-12-03), 58 with secondary progressive MS: "What are the risks for
    someone like me, realistically? I am not afraid of dying but I don't want to be worse off." got "That
    is a frightening thought"."""
    text = "What are the risks for someone like me, realistically? I am not afraid of dying but I don't want to be worse off."
    tracker = opening(tracker_for, "faq_risks", text)
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert not any(m["text"].startswith("That is a frightening thought") for m in dispatcher.messages)


async def test_a_progressive_situation_asking_without_a_question_mark_gets_the_progressive_answer(
    knowledge, dispatcher, tracker_for, domain
):
    """A twenty-eighth stranger (2026-12-03): "...now secondary progressive. I use a walker indoors and a
    wheelchair outside. My neurologist says there is nothing more to offer me. I have read about HSCT and
    wonder whether it is worth pursuing at my stage." got only what was understood."""
    from actions.messages import SITUATION_UNDERSTOOD_TEXT
    from actions.support import ActionSituation

    text = (
        "Good afternoon. I am 58 and have had MS for 22 years, now secondary progressive. I use a walker indoors "
        "and a wheelchair outside. My neurologist says there is nothing more to offer me. I have read about HSCT "
        "and wonder whether it is worth pursuing at my stage."
    )
    tracker = tracker_for("describe_situation", text=text)
    tracker.latest_message["questions_asked"] = ["progressive_ms", "talk_to_neurologist"]
    tracker.latest_message["questions_worded"] = []
    await ActionSituation().run(dispatcher, tracker, domain)
    understood, answer = dispatcher.messages[:2]
    assert understood["text"].startswith(SITUATION_UNDERSTOOD_TEXT)
    entry = knowledge.entries["progressive_ms"]
    assert answer["text"].startswith(entry.part_for(ms_type="progressive").text[:60])


async def test_which_hospital_from_someone_in_the_uk_names_the_uk_centres_not_a_second_topic(
    knowledge, dispatcher, tracker_for, domain
):
    """A twenty-eighth stranger (2026-12-03), in Leeds: "but is it actually available on the NHS? and which
    hospital" got the NHS answer and the hospital stay under it; "no i meant which hospital would he actually
    go to, is there one near Leeds?" got Australia's three hospitals first."""
    access = knowledge.entries["access"]
    centres = access.parts["point.england_centres"].text
    text = "but is it actually available on the NHS? and which hospital"
    tracker = tracker_for("faq_access", text=text, slots={"region": "uk"})
    tracker.latest_message["questions_asked"] = ["access", "hospital_stay"]
    tracker.events = [{"event": "session_started"}, said("faq_access", text)]
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(centres) for t in texts), texts
    assert not any(knowledge.entries["hospital_stay"].answer[:60] in t for t in texts)

    dispatcher.messages.clear()
    text = "no i meant which hospital would he actually go to, is there one near Leeds?"
    tracker = opening(tracker_for, "faq_access", text, slots={"region": "uk"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages if not m["text"].startswith(FIRST_TURN_NOTE[:20])]
    assert texts[0].startswith(centres)
    assert not any(access.parts["point.hospitals"].text[:60] in t for t in texts)


async def test_a_new_sign_while_help_is_on_its_way_is_told_to_the_team_not_refused(
    knowledge, dispatcher, tracker_for, domain
):
    """A twenty-ninth stranger (2026-12-03), five days after his wife's transplant, after the fever notice:
    "ok rang them, they want her in. while we wait, she also has little red dots on her legs, is that
    related" got "not sure", and "the red dots, like pinpricks, dont go away when i press a glass on them.
    should i be worried" got "Sorry, I can't help with that"."""
    from actions.support import ActionOutOfScope

    on_way = knowledge.notices["red_flag_new_sign_on_way"].text
    first = "ok rang them, they want her in. while we wait, she also has little red dots on her legs, is that related"
    tracker = tracker_for("nlu_fallback", text=first)
    tracker.events = [*WARNING_TURN, said("nlu_fallback", first)]
    await ActionNotSure().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(on_way)

    dispatcher.messages.clear()
    second = "the red dots, like pinpricks, dont go away when i press a glass on them. should i be worried"
    tracker = tracker_for("out_of_scope", text=second)
    tracker.events = [*WARNING_TURN, said("nlu_fallback", first), said("out_of_scope", second)]
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(on_way)


@pytest.mark.parametrize(
    "text",
    [
        "i honestly dont know if i can keep doing this. i havent slept in days, the kids are scared, and i keep "
        "thinking what if he dies and its my fault for pushing him to have it",
        "how do I even tell her this. she's going to be devastated",
        # A thirty-first stranger's (2026-12-03).
        "im very tensed, my bro is crying every nite. wat we do",
    ],
)
async def test_feelings_the_classifier_was_unsure_of_are_heard_not_met_with_topics(
    text, knowledge, dispatcher, tracker_for, domain
):
    """A thirtieth stranger (2026-12-03), a carer twelve days after her husband's transplant and a daughter
    of a 67-year-old: both got "I'm not sure I understood" and a button on whether you can die from AHSCT."""
    from actions.messages import NOT_SURE_TEXT, SUPPORT_TEXT

    tracker = opening(tracker_for, "nlu_fallback", text)
    await ActionNotSure().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert NOT_SURE_TEXT not in texts
    assert any(t.startswith(SUPPORT_TEXT) for t in texts), texts


async def test_a_point_asked_about_the_treatment_named_is_answered_not_declined(
    knowledge, dispatcher, tracker_for, domain
):
    """A thirtieth stranger (2026-12-03), diagnosed three weeks before: "...someone in a fb group said i should
    go straight for hsct?? is that a thing" got "Sorry, I can't help with that"."""
    from actions.messages import OUT_OF_SCOPE_TEXT
    from actions.support import ActionOutOfScope

    text = (
        "just got diagnosed w RRMS 3 weeks ago, my neuro hasnt even started me on anything yet. someone in a fb "
        "group said i should go straight for hsct?? is that a thing"
    )
    tracker = opening(tracker_for, "out_of_scope", text)
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert OUT_OF_SCOPE_TEXT not in texts
    assert texts[-1].startswith(knowledge.entries["eligibility"].parts["point.first_treatment"].text)

    # Another illness, though it names a transplant, is still declined.
    dispatcher.messages.clear()
    text = "my mum has parkinsons, could a stem cell transplant be used first for her?"
    tracker = opening(tracker_for, "out_of_scope", text)
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [OUT_OF_SCOPE_TEXT]


async def test_a_message_not_understood_asking_to_get_it_here_gets_access_where_the_person_lives(
    knowledge, dispatcher, tracker_for, domain
):
    """A thirtieth stranger (2026-12-03): "Hi, my mum is 67 ... She's in Geelong ... Can she get it here?"
    got "I'm not sure I understood", and the place was not kept for the next answer."""
    text = (
        "Hi, my mum is 67 and has had MS since her 30s. She's in Geelong. She saw a news story and now she's got "
        "her heart set on HSCT and wants me to help her find somewhere. Can she get it here?"
    )
    tracker = opening(tracker_for, "nlu_fallback", text)
    events = await ActionNotSure().run(dispatcher, tracker, domain)
    australia = knowledge.entries["access"].variants["country"]["australia"]
    assert any(m["text"].startswith(australia) for m in dispatcher.messages), dispatcher.messages
    assert any(e.get("name") == "region" and e.get("value") for e in events), events


async def test_feelings_in_a_message_out_of_scope_are_heard_not_refused(knowledge, dispatcher, tracker_for, domain):
    """A thirty-first stranger (2026-12-03): "she is also really depressed, barely eats" got "Sorry, I can't
    help with that"."""
    from actions.messages import OUT_OF_SCOPE_TEXT, SUPPORT_TEXT
    from actions.support import ActionOutOfScope

    text = "she is also really depressed, barely eats"
    tracker = opening(tracker_for, "out_of_scope", text)
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert OUT_OF_SCOPE_TEXT not in texts
    assert any(t.startswith(SUPPORT_TEXT) for t in texts), texts


async def test_a_point_asked_about_the_chemotherapy_in_a_declined_message_is_answered(
    knowledge, dispatcher, tracker_for, domain
):
    """A thirty-first stranger (2026-12-03): "ok. whats the chemo like, will my hair fall out? i'm getting
    married next year lol" got "Sorry, I can't help with that"; chemotherapy for another illness is still
    declined."""
    from actions.messages import OUT_OF_SCOPE_TEXT
    from actions.support import ActionOutOfScope

    text = "ok. whats the chemo like, will my hair fall out? i'm getting married next year lol"
    tracker = opening(tracker_for, "out_of_scope", text, slots={"last_topic": "eligibility"})
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    hair = knowledge.entries["side_effects"].parts["point.hair"].text
    assert dispatcher.messages[-1]["text"].startswith(hair)

    dispatcher.messages.clear()
    text = "my dad starts chemo for bowel cancer next week, will his hair fall out?"
    tracker = opening(tracker_for, "out_of_scope", text, slots={"last_topic": "eligibility"})
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [OUT_OF_SCOPE_TEXT]
    # Chemotherapy named at the start of a conversation is another treatment (review 36).
    dispatcher.messages.clear()
    text = "my mum starts chemo, will her hair fall out?"
    tracker = opening(tracker_for, "out_of_scope", text)
    await ActionOutOfScope().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [OUT_OF_SCOPE_TEXT]


async def test_the_waiting_list_is_not_the_hospital_stay(knowledge, dispatcher, tracker_for, domain):
    """A thirty-first stranger (2026-12-03), in Leeds: "no i meant the waiting list, how long til he gets a slot?
    and which hospital would leeds send him to" after the hospital stay was given for "how long is the wait"."""
    access = knowledge.entries["access"]
    text = "no i meant the waiting list, how long til he gets a slot? and which hospital would leeds send him to"
    tracker = opening(tracker_for, "faq_access", text, slots={"region": "uk"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert any(t.startswith(access.parts["point.waiting_list"].text) for t in texts), texts
    assert any(access.parts["point.england_centres"].text in t for t in texts), texts
    assert not any(knowledge.entries["hospital_stay"].answer[:60] in t for t in texts)
