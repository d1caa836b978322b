"""Custom actions with tracker and dispatcher fixtures; expected text is read from the knowledge file."""

from __future__ import annotations

import re

import pytest

from actions.actions import ActionAnswerFaq, ActionNotSure
from actions.answers import SOMETHING_ELSE, SUMMARY_OFFERED_AFTER, format_date, intent_for_entry
from actions.feedback import (
    FEEDBACK_BUTTONS,
    THANKS_DOWN,
    THANKS_UNKNOWN,
    THANKS_UP,
    ActionFeedback,
    is_feedback_payload,
)
from actions.messages import NOT_SURE_TEXT

FAQ_IDS = [
    "what_is_ahsct", "unproven_clinics", "eligibility", "progressive_ms", "effectiveness", "uk_study",
    "meta_analysis", "risks", "mortality", "infections", "fertility", "side_effects", "procedure",
    "chemotherapy", "hospital_stay", "fda_status", "access", "cost", "treatment_abroad", "clinical_trials",
    "vs_dmts", "talk_to_neurologist", "information_sources", "warning_signs",
]  # fmt: skip


def test_every_required_topic_has_an_entry(knowledge):
    assert set(FAQ_IDS) <= set(knowledge.entries)


@pytest.mark.parametrize("entry_id", FAQ_IDS)
async def test_answer_has_text_source_date_and_related_buttons(entry_id, knowledge, dispatcher, tracker_for, domain):
    entry = knowledge.entries[entry_id]
    # Where the answer depends on the country, the assistant needs to know it first (tested elsewhere).
    region = "uk" if entry.ask_region else None
    slots = {"region": region}
    events = await ActionAnswerFaq().run(dispatcher, tracker_for(intent_for_entry(entry_id), slots=slots), domain)

    [message] = dispatcher.messages
    shown = entry.part_for(region=region)
    assert message["text"].startswith(shown.text)
    # Every source of the text shown, and no other, under it: one "Source:" line each.
    source_lines = [line for line in message["text"].splitlines() if line.startswith("Source: ")]
    assert source_lines == [f"Source: {src.label} {src.url}" for src in shown.sources]
    assert format_date(entry.last_reviewed) in message["text"]
    payloads = [b["payload"] for b in message["buttons"] if not is_feedback_payload(b["payload"])]
    expected = ["/change_region"] if shown is not entry.answer_part and region else []  # "For the UK. ..."
    expected += ["/start_eligibility_check"] if entry_id in knowledge.self_check.offered_after else []
    expected += ["/request_summary"] if entry_id in SUMMARY_OFFERED_AFTER else []  # notes for the neurologist
    expected += ["/" + intent_for_entry(r) for r in entry.related]
    assert 1 <= len(payloads) <= 3  # at most three follow-ups, then 👍 / 👎
    assert payloads == expected[:3]
    assert message["buttons"][-2:] == FEEDBACK_BUTTONS
    assert {"event": "slot", "name": "last_topic", "value": entry_id, "timestamp": None} in events


async def test_variant_follows_the_ms_type_slot_written_any_way(knowledge, dispatcher, tracker_for, domain):
    with_variant = [e for e in knowledge.entries.values() if "progressive" in e.variants.get("ms_type", {})]
    assert with_variant, "at least one entry should have a progressive-MS variant"
    entry = with_variant[0]
    tracker = tracker_for(intent_for_entry(entry.id), slots={"ms_type": "SPMS"})
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(entry.variants["ms_type"]["progressive"])
    assert {"event": "slot", "name": "ms_type", "value": "progressive", "timestamp": None} in events


async def test_region_variant_is_used(knowledge, dispatcher, tracker_for, domain):
    entry = next(e for e in knowledge.entries.values() if "uk" in e.variants.get("region", {}))
    tracker = tracker_for(intent_for_entry(entry.id), slots={"region": "NHS"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(entry.variants["region"]["uk"])


async def test_unknown_slot_values_fall_back_to_the_general_answer(knowledge, dispatcher, tracker_for, domain):
    entry = knowledge.entries["fda_status"]
    tracker = tracker_for("faq_fda_status", slots={"region": "atlantis", "ms_type": {"not": "text"}})
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(entry.answer)
    assert [e["name"] for e in events] == ["last_topic", "answered"]


async def test_a_strong_second_topic_is_offered_first(knowledge, dispatcher, tracker_for, domain):
    ranking = [
        {"name": "faq_cost", "confidence": 0.55},
        {"name": "faq_fertility", "confidence": 0.35},
        {"name": "faq_risks", "confidence": 0.05},
    ]
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_cost", ranking=ranking, slots={"region": "uk"}), domain)
    buttons = [b for b in dispatcher.messages[0]["buttons"] if not is_feedback_payload(b["payload"])]
    assert buttons[0]["payload"] == "/faq_fertility"
    assert len(buttons) <= 3


async def test_a_weak_second_topic_is_not_offered(knowledge, dispatcher, tracker_for, domain):
    ranking = [{"name": "faq_cost", "confidence": 0.95}, {"name": "faq_fertility", "confidence": 0.03}]
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_cost", ranking=ranking, slots={"region": "uk"}), domain)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"] if not is_feedback_payload(b["payload"])]
    expected = ["/change_region", *("/" + intent_for_entry(r) for r in knowledge.entries["cost"].related)]
    assert payloads == expected[:3]  # the UK answer says so, with "Change country"


async def test_intent_without_entry_gets_not_sure(dispatcher, tracker_for, domain):
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_no_such_topic"), domain)
    assert dispatcher.messages[0]["text"] == NOT_SURE_TEXT


async def test_not_sure_offers_three_likely_topics_and_something_else(knowledge, dispatcher, tracker_for, domain):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "faq_cost", "confidence": 0.3},
        {"name": "out_of_scope", "confidence": 0.2},
        {"name": "faq_access", "confidence": 0.2},
        {"name": "faq_fda_status", "confidence": 0.1},
        {"name": "faq_risks", "confidence": 0.05},
    ]
    await ActionNotSure().run(dispatcher, tracker_for("nlu_fallback", ranking=ranking), domain)
    [message] = dispatcher.messages
    assert message["text"] == NOT_SURE_TEXT
    titles = [b["title"] for b in message["buttons"]]
    assert titles == [
        knowledge.entries["cost"].question,
        knowledge.entries["access"].question,
        knowledge.entries["fda_status"].question,
        SOMETHING_ELSE["title"],
    ]


@pytest.mark.parametrize("value, expected", [("up", THANKS_UP), ("down", THANKS_DOWN), (None, THANKS_UNKNOWN)])
async def test_feedback_is_thanked(value, expected, dispatcher, tracker_for, domain):
    events = await ActionFeedback().run(dispatcher, tracker_for("feedback", slots={"feedback": value}), domain)
    assert dispatcher.messages[0]["text"] == expected
    assert events == [{"event": "slot", "name": "feedback", "value": None, "timestamp": None}]


# --- phone-sized answers -----------------------------------------------------------------------

PHONE_MAX_CHARS = 600
_SOURCE_LINE = re.compile(r"^(Source: .+?) https?://\S+$", re.M)


def as_displayed(text: str) -> str:
    """An answer as the web widget and Telegram show it: each "Source: <label> <url>" line as a
    link whose text is the label."""
    return _SOURCE_LINE.sub(r"\1", text)


def every_answer(knowledge):
    """Every entry's answer and variant, as answer_reply sends it for the place or MS type."""
    from actions.answers import answer_reply
    from actions.knowledge import Place
    from actions.places import place_name

    for entry in knowledge.entries.values():
        places = [Place()] + [
            knowledge.place(key.split(".", 1)[1]) for key in entry.parts if key.startswith(("region.", "country."))
        ]
        # Countries without a text of their own get a note saying so (see unchecked_note).
        places += [knowledge.place("canada"), knowledge.place("ireland")]
        for place in places:
            for ms_type in (None, "progressive"):
                reply = answer_reply(
                    knowledge, entry, ms_type=ms_type, place=place, place_label=place_name(knowledge, place)
                )
                yield f"{entry.id}/{place.country or place.region}/{ms_type}", reply


def test_every_first_message_of_an_answer_fits_a_phone(knowledge):
    """At most 600 characters as shown, with its source line and review date; at most three
    follow-up buttons plus 👍 / 👎."""
    too_long = {}
    for name, reply in every_answer(knowledge):
        shown = as_displayed(reply.text)
        if len(shown) > PHONE_MAX_CHARS:
            too_long[name] = len(shown)
        follow_ups = [
            b
            for b in reply.buttons
            if not is_feedback_payload(b["payload"]) and not b["payload"].startswith("/followup_context")
        ]
        assert len(follow_ups) <= 3, name
    assert not too_long, too_long


NEUROLOGIST = re.compile(
    r"\b(?:ask|talk to|speak to|see|check with|tell)\b[^.]{0,40}\b(?:neurologist|ms team|ms nurse|doctor)", re.I
)


def test_ask_your_neurologist_at_most_once_per_answer(knowledge):
    for name, reply in every_answer(knowledge):
        assert len(NEUROLOGIST.findall(reply.text)) <= 1, name


async def test_a_trial_the_knowledge_file_does_not_name_is_said_to_be_unknown(knowledge, dispatcher, domain):
    """ "What were the results of the NET-MS trial?" got "As above: At least three randomised trials..."
    as if it were about it (a seventh stranger, 2026-12-02)."""
    from actions.actions import ActionAnswerFaq
    from actions.answers import unknown_trials
    from actions.messages import UNKNOWN_TRIAL_TEXT
    from tests.conftest import make_tracker

    assert unknown_trials(knowledge, "NET-MS vs beat-ms and StarMS or star-ms?") == ["NET-MS"]
    assert unknown_trials(knowledge, "rrms, spms, ppms and the mist trial") == []
    tracker = make_tracker("faq_clinical_trials", text="What were the results of the NET-MS trial?")
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert UNKNOWN_TRIAL_TEXT.format(name="NET-MS") in texts
    assert texts[-1].startswith(knowledge.entries["clinical_trials"].answer[:40])


def two_questions(intent: str, asked: list[str], text: str, slots: dict | None = None):
    from tests.conftest import make_tracker

    tracker = make_tracker(intent, text=text, slots=slots)
    tracker.latest_message["questions_asked"] = asked
    return tracker


def slot_values(events: list[dict], name: str) -> list:
    return [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]


async def test_both_questions_of_a_short_message_are_answered(knowledge, dispatcher, domain):
    # Strangers graded "partly right" the answer that only offered the second question as a button.
    text = "is it fda approved and how much does it cost"
    tracker = two_questions("faq_fda_status", ["fda_status", "cost"], text, slots={"region": "us"})
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    fda, cost = knowledge.entries["fda_status"], knowledge.entries["cost"]
    first, second = dispatcher.messages
    assert first["text"].startswith(fda.answer_part.text) and not first.get("buttons")
    us_cost = cost.part_for(region="us")
    assert second["text"].startswith(f'You also asked: "{cost.question}"\n{us_cost.text}')
    payloads = [b["payload"] for b in second["buttons"]]
    assert "/faq_cost" not in payloads and "/faq_fda_status" not in payloads
    assert len([p for p in payloads if not is_feedback_payload(p)]) <= 3
    assert slot_values(events, "last_topic")[-1] == "fda_status"  # the topic asked first
    assert len(slot_values(events, "answered")[-1]) == 2


async def test_the_place_an_answer_is_for_is_said_once_for_two_answers(knowledge, dispatcher, domain):
    tracker = two_questions("faq_fda_status", ["fda_status", "cost"], "is it fda approved? the cost?", {"region": "uk"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert len(texts) == 2 and "".join(texts).count("For the UK.") == 1
    assert "/change_region" in [b["payload"] for b in dispatcher.messages[-1]["buttons"]]


async def test_the_second_answer_asks_where_the_person_lives_when_it_depends_on_it(knowledge, dispatcher, domain):
    tracker = two_questions("faq_fda_status", ["fda_status", "cost"], "is it fda approved and what does it cost")
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    first, second = dispatcher.messages
    assert "Where do you live?" not in first["text"] and "Where do you live?" in second["text"]
    assert {"UK", "US"} <= {b["title"] for b in second["buttons"]}
    assert slot_values(events, "last_topic")[-1] == "cost"  # the place given answers the cost again


async def test_a_first_answer_that_depends_on_the_place_asks_where_after_both(knowledge, dispatcher, domain):
    tracker = two_questions("faq_cost", ["cost", "risks"], "how much does it cost and is it safe")
    events = await ActionAnswerFaq().run(dispatcher, tracker, domain)
    cost_answer, risks_answer, question = dispatcher.messages
    assert "Where do you live?" not in cost_answer["text"] + risks_answer["text"]
    assert risks_answer["text"].startswith('You also asked: "')
    assert "Where do you live?" in question["text"]
    assert {"UK", "US"} <= {b["title"] for b in question["buttons"]}
    # The place given next answers the cost again, for that place.
    assert slot_values(events, "last_topic")[-1] == "cost"


async def test_a_story_around_two_topics_gets_one_answer_and_the_other_offered(knowledge, dispatcher, domain):
    text = (
        "my husband has had ms for ten years and we have read a lot online about the transplant, "
        "his neurologist said maybe but we are not sure. "
        "is it fda approved and how much does it cost"
    )
    tracker = two_questions("faq_fda_status", ["fda_status", "cost"], text, slots={"region": "uk"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    (only,) = dispatcher.messages
    assert only["buttons"][0]["payload"] == "/faq_cost"


async def test_a_second_question_answered_before_stays_offered(knowledge, dispatcher, domain):
    text = "is it fda approved and how much does it cost"
    first = two_questions("faq_cost", ["cost"], "how much does it cost", slots={"region": "uk"})
    events = await ActionAnswerFaq().run(dispatcher, first, domain)
    shown = slot_values(events, "answered")[-1]
    dispatcher.messages.clear()
    tracker = two_questions("faq_fda_status", ["fda_status", "cost"], text, slots={"region": "uk", "answered": shown})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    (only,) = dispatcher.messages
    assert "/faq_cost" in [b["payload"] for b in only["buttons"]]


async def test_a_point_asked_with_another_question_gets_both(knowledge, dispatcher, domain):
    from actions.points import points_asked

    text = "is it a cure and how much does it cost"
    (cure,) = [p for p in points_asked(knowledge, text) if p.entry.id == "effectiveness"]
    tracker = two_questions("faq_effectiveness", ["effectiveness", "cost"], text, slots={"region": "us"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    point, cost = dispatcher.messages
    assert point["text"].startswith(cure.part.text) and not point.get("buttons")
    assert cost["text"].startswith(f'You also asked: "{knowledge.entries["cost"].question}"')
    assert cost["buttons"][0]["payload"] == "/faq_effectiveness"  # the topic's general answer, as before


async def test_two_points_of_one_topic_are_both_answered(knowledge, dispatcher, tracker_for, domain):
    """ "does it cause thyroid problems, and what about cancer later on" lost its cancer half (a
    nineteenth stranger, 2026-12-03)."""
    text = "does it cause thyroid problems, and what about cancer later on"
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_side_effects", text=text), domain)
    parts = knowledge.entries["side_effects"].parts
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith(parts["point.thyroid"].text)
    assert any(parts["point.cancer"].text in t for t in texts[1:])


async def test_a_first_question_of_the_topic_gets_the_topic_before_a_point(knowledge, dispatcher, tracker_for, domain):
    """ "what actually happens?? is it like cancer chemo, will i lose my hair" got only the chemotherapy
    point, not what happens (a twentieth stranger, 2026-12-03)."""
    text = "what actually happens?? is it like cancer chemo, will i lose my hair"
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_procedure", text=text, slots={"region": "uk"}), domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith(knowledge.entries["procedure"].answer)
    assert any(knowledge.entries["chemotherapy"].parts["point.like_cancer_chemo"].text in t for t in texts[1:])
    assert not any(t.startswith(knowledge.entries["side_effects"].parts["point.cancer"].text) for t in texts)


async def test_two_points_for_two_questions_are_both_answered(knowledge, dispatcher, tracker_for, domain):
    """ "does the chemo hurt? and how long do they collect the stem cells for" got why chemotherapy is used,
    and the collection was dropped (a twenty-first stranger, 2026-12-03)."""
    text = "does the chemo hurt? and how long do they collect the stem cells for"
    tracker = two_questions("faq_chemotherapy", ["chemotherapy", "procedure"], text, slots={"region": "uk"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    parts = knowledge.entries["procedure"].parts
    assert texts[0].startswith(parts["point.pain"].text)
    assert any(parts["point.collection"].text in t for t in texts[1:])


async def test_a_point_asked_again_is_given_again_not_as_above(knowledge, dispatcher, tracker_for, domain):
    """ "What exactly happened in the Ottawa study, did someone die?" right after the trials answer with
    the Ottawa point got "As above" and three other trials (a twenty-second stranger, 2026-12-03)."""
    first = tracker_for("faq_clinical_trials", text="Is it done in Canada? I read there was an Ottawa study")
    events = await ActionAnswerFaq().run(dispatcher, first, domain)
    shown = slot_values(events, "answered")[-1]
    dispatcher.messages.clear()
    text = "What exactly happened in the Ottawa study, did someone die?"
    again = tracker_for("faq_clinical_trials", text=text, slots={"answered": shown})
    await ActionAnswerFaq().run(dispatcher, again, domain)
    canadian = knowledge.entries["clinical_trials"].parts["point.canadian"].text
    assert dispatcher.messages[0]["text"].startswith(canadian)
    assert not dispatcher.messages[0]["text"].startswith("As above")


async def test_a_clinic_that_accepted_someone_with_high_disability_gets_the_risk_point(
    knowledge, dispatcher, tracker_for, domain
):
    """A twenty-second stranger (2026-12-03), PPMS and mostly in a wheelchair, accepted by a clinic in
    Mexico, got only the general checklist for clinics abroad."""
    text = (
        "I have PPMS, 47, mostly in a wheelchair now. Clinica in Puebla Mexico accepted me, it's about 60k. "
        "Is that a fair price, is it safe for someone like me, and what happens step by step?"
    )
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_treatment_abroad", text=text), domain)
    point = knowledge.entries["treatment_abroad"].parts["point.outside_criteria"].text
    assert any(point in m["text"] for m in dispatcher.messages)


async def test_the_difference_between_names_and_cells_is_not_answered_no(knowledge, dispatcher, tracker_for, domain):
    """ "whats the difference between hsct and ahsct and mesenchymal stem cells" got the clinics' answer,
    which begins "No." (a nineteenth stranger, 2026-12-03)."""
    text = "whats the difference between hsct and ahsct and mesenchymal stem cells"
    await ActionAnswerFaq().run(dispatcher, tracker_for("faq_unproven_clinics", text=text), domain)
    texts = [m["text"] for m in dispatcher.messages]
    assert not any(t.startswith("No.") for t in texts)
    assert texts[0].startswith(knowledge.entries["unproven_clinics"].parts["point.difference"].text)
    assert any(knowledge.entries["what_is_ahsct"].parts["point.names"].text in t for t in texts[1:])


@pytest.mark.parametrize(
    ("intent", "text", "point"),
    [
        # Strangers' questions (2026-12-02) that the classifier read as a neighbouring topic.
        ("faq_mortality", "did anyone die in the Canadian trial?", "clinical_trials.canadian"),
        ("faq_risks", "cancer?? nobody told me this. how much risk is it", "side_effects.cancer"),
        ("faq_information_sources", "You skipped my first question: where does 89% at 4 years come from?",
         "effectiveness.conference_figure"),
        ("faq_vs_dmts", "can i just get hsct right away as my first treatment?", "eligibility.first_treatment"),
        # A nineteenth stranger's (2026-12-03).
        ("faq_talk_to_neurologist", "why isnt my neuro offering it to everyone", "eligibility.not_for_everyone"),
        # A twenty-third stranger's (2026-12-03).
        ("faq_access", "Namaste. I am from Pune, 38 yrs, RRMS. Some hospital in Bangalore and one in Bangkok are "
         "offering HSCT. How to know if they are good?", "treatment_abroad.before_paying"),
    ],
)  # fmt: skip
async def test_a_point_is_answered_in_place_of_the_neighbouring_topic_it_is_also_for(
    intent, text, point, knowledge, dispatcher, tracker_for, domain
):
    entry_id, point_id = point.split(".")
    await ActionAnswerFaq().run(dispatcher, tracker_for(intent, text=text), domain)
    [message] = dispatcher.messages
    assert message["text"].startswith(knowledge.entries[entry_id].parts[f"point.{point_id}"].text)
    assert message["buttons"][0]["payload"] == f"/faq_{entry_id}"


async def test_a_point_of_the_topic_the_questions_ask_is_answered_in_place_of_a_weak_guess(
    knowledge, dispatcher, domain
):
    """ "is it the same treatment as what they do in canada? the mexican place does it outpatient" was
    read as getting AHSCT where one lives (0.27), while its questions asked about treatment abroad; it
    got the access answer (a twenty-third stranger, 2026-12-03)."""
    text = "is it the same treatment as what they do in canada? the mexican place does it outpatient"
    await ActionAnswerFaq().run(dispatcher, two_questions("faq_access", ["treatment_abroad"], text), domain)
    outpatient = knowledge.entries["treatment_abroad"].parts["point.outpatient"].text
    assert dispatcher.messages[0]["text"].startswith(outpatient)
    assert not any(m["text"].startswith("Rules differ by country") for m in dispatcher.messages)


async def test_a_point_is_not_answered_in_place_of_a_topic_the_message_also_asks(knowledge, dispatcher, domain):
    """The thyroid half of "how common are thyroid problems after hsct plus do you have to redo all your
    childhood vaccines" must not be dropped for the vaccines point (a tuning set's message)."""
    text = "how common are thyroid problems after hsct plus do you have to redo all your childhood vaccines"
    tracker = two_questions("faq_side_effects", ["side_effects", "infections"], text, slots={"region": "uk"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    # Since 2026-12-03 thyroid problems have their own point, with the figures.
    assert texts[0].startswith(knowledge.entries["side_effects"].parts["point.thyroid"].text)
    assert any(knowledge.entries["infections"].parts["point.vaccines"].text in t for t in texts[1:])
