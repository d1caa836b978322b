"""Rasa custom actions that answer questions: thin wrappers over actions.answers and actions.knowledge."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    also_asked_about,
    answer_reply,
    as_above_reply,
    as_above_then_more,
    asks_simpler,
    asks_where,
    detail_reply,
    entry_id_for_intent,
    not_sure_buttons,
    notice_text,
    other_to_answer,
    point_reply,
    point_text,
    region_question_reply,
    simpler_reply,
    unknown_trials,
)
from actions.config import second_intent_min_confidence
from actions.knowledge import Entry, Knowledge, Place
from actions.messages import NOT_SURE_TEXT, OUT_OF_SCOPE_TEXT, SAFETY_OF_TEXT, UNKNOWN_TRIAL_TEXT
from actions.places import ASKS_ABOUT_HERE, countries_named, place_asked_about, place_name
from actions.points import Point, points_asked
from actions.second_answer import answer_also, other_place
from actions.store import get_knowledge
from actions.support import (
    acknowledge_worry,
    answer_after_the_transplant,
    answer_language_request,
    answer_point_of_last_topic,
    answer_the_one_point_asked,
    asks_for_someone,
    first_turn_note,
    note_only_english,
    send_after_transplant_contacts,
    send_helpline,
    send_support,
    voices_a_feeling,
)
from actions.topics import (
    AHSCT_NAMES,
    TOPICS_FOR_MS_ONLY,
    about_another_illness,
    compares_other_cells,
    compares_other_drugs_only,
    is_told,
    lowered,
    parts,
    reads_as_question,
)
from actions.tracker_utils import (
    ANSWER_ACTIONS,
    ANSWERED_SLOT,
    answered_before,
    asks_a_question,
    canonical_slot,
    had_the_transplant,
    latest_confidence,
    latest_intent,
    latest_text,
    misunderstandings_in_a_row,
    normalised_ms_type_events,
    point_key,
    previous_action,
    recent_crisis,
    sent_in_session,
    shown_key,
    whereabouts,
)
from actions.urgent import answer_emergency_follow_up

logger = logging.getLogger(__name__)

# Right after crisis lines, a topic is answered only when the person clearly asks for it.
SURE_ENOUGH_AFTER_CRISIS = 0.9
# Entries about risk: "is it safe?" after one of them is the same question again, not a new one.
RISK_ENTRIES = frozenset({"risks", "mortality", "infections", "side_effects"})
# Below this confidence, a topic with no point of its own asked gives way to a point of the last topic
# (or one related to it) that the message asks.
POINT_OF_LAST_TOPIC_BELOW = 0.7


class ActionAnswerFaq(Action):
    """Answers any faq_* intent from the knowledge file: short answer, source, review date, follow-ups."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        knowledge = get_knowledge()
        if answer_emergency_follow_up(dispatcher, tracker, knowledge):
            return []
        message = tracker.latest_message or {}
        intent = latest_intent(tracker)
        entry = knowledge.get(entry_id_for_intent(intent) or "")
        if entry is None:
            logger.warning("no knowledge entry for intent %s", intent)
            dispatcher.utter_message(text=NOT_SURE_TEXT)
            return []
        if (
            recent_crisis(tracker.events)
            and not asks_a_question(latest_text(tracker))
            and latest_confidence(tracker) < SURE_ENOUGH_AFTER_CRISIS
        ):
            return send_support(dispatcher, tracker, knowledge, after_crisis=True)
        if entry.id in TOPICS_FOR_MS_ONLY and about_another_illness(latest_text(tracker)):
            # "my mum has parkinsons, could a stem cell transplant help her too?" got what AHSCT is (a
            # seventeenth stranger, 2026-12-03).
            note_only_english(dispatcher, tracker)
            dispatcher.utter_message(text=OUT_OF_SCOPE_TEXT)
            return []
        if entry.id == "vs_dmts" and compares_other_drugs_only(latest_text(tracker)):
            # "is kesimpta better than ocrevus? my friend is on kesimpta" got AHSCT against MS drugs, with
            # AHSCT's death rate (a fifteenth stranger, 2026-12-03): two MS drugs, not AHSCT.
            dispatcher.utter_message(text=OUT_OF_SCOPE_TEXT)
            return []
        if entry.id == "information_sources" and asks_for_someone(latest_text(tracker)):
            # "thanks. who do i talk to about all this" got where the answers come from (a twenty-fifth
            # stranger, 2026-12-03): a person to talk to.
            return send_helpline(dispatcher, tracker, knowledge)
        if entry.id == "vs_dmts" and compares_other_cells(latest_text(tracker)):
            # "hsct vs mesenchymal which is better" got AHSCT against MS drugs (a fifteenth stranger).
            entry = knowledge.entries["unproven_clinics"]
        ms_type = canonical_slot(tracker, knowledge, "ms_type")
        where = whereabouts(tracker, knowledge)
        first_turn_note(dispatcher, tracker)
        note_only_english(dispatcher, tracker)
        acknowledge_worry(dispatcher, tracker)
        for name in unknown_trials(knowledge, latest_text(tracker))[:1]:
            dispatcher.utter_message(text=UNKNOWN_TRIAL_TEXT.format(name=name.upper()))
        about = safety_follow_up_of(knowledge, tracker, intent)
        if about is not None:
            dispatcher.utter_message(text=SAFETY_OF_TEXT.format(question=about.question))
            entry = knowledge.entries[about.safety_entry or "risks"]
        named = points_asked(knowledge, latest_text(tracker), where.place)  # every point the message names, once
        if (
            entry.id == "talk_to_neurologist"
            and had_the_transplant(tracker.events)
            # "my local neuro isnt really on board with what i did. who is supposed to follow me up now"
            # asks the aftercare point (a twenty-first stranger, back from treatment abroad, 2026-12-03).
            and not any(p.answers(entry.id) for p in named)
        ):
            # "Who should I call?" after the transplant: the transplant team first (an eighth stranger
            # got the script for raising AHSCT with a neurologist before it).
            return send_after_transplant_contacts(dispatcher, tracker, knowledge)
        place = place_asked_about(knowledge, entry, latest_text(tracker)) or where.place
        part = entry.part_for(ms_type=ms_type, region=place.region, country=place.country)
        key = shown_key(tracker, entry, part)
        shown = answered_before(tracker)
        events: list[dict[str, Any]] = [
            SlotSet("last_topic", entry.id),
            *where.events,
            *normalised_ms_type_events(tracker, ms_type),
        ]
        also_asked = also_asked_about(
            message.get("text"),
            entry.id,
            message.get("intent_ranking") or [],
            second_intent_min_confidence(),
            knowledge.entries,
            message.get("questions_asked"),
        )
        points = points_to_answer(tracker, entry, named, also_asked, shown)
        own = next(
            (p for p in points if p.entry.id == entry.id or _in_place_of(p, entry, also_asked, latest_text(tracker))),
            None,
        )
        in_place = _point_in_place(tracker, knowledge, entry, named, also_asked, shown, where.place)
        own = in_place or own
        if own is None and is_short(latest_text(tracker)):
            # "does the chemo hurt? and how long do they collect the stem cells for": two points, one for
            # each question, the first in place of the topic (it got why chemotherapy is used and the
            # pain point, and the collection was dropped: a twenty-first stranger, 2026-12-03).
            covering = [p for p in points if p.answers(entry.id) or p.entry.id in also_asked]
            if len(covering) >= 2 and covering[0].answers(entry.id):
                own = covering[0]
        other = other_question(knowledge, tracker, entry, where.place, points, shown)
        if own is None and latest_confidence(tracker) < POINT_OF_LAST_TOPIC_BELOW:
            # "he wants to go back to uni in january, is that realistic?" after the warning signs got the
            # advice on going abroad (0.58); it asks the back-to-work point of a related topic (a sixth
            # stranger). An unsure topic with no point of its own asked gives way to that point.
            point_events = answer_point_of_last_topic(dispatcher, tracker, knowledge)
            if point_events is not None:
                return [*where.events, *point_events]
        if (
            own is not None
            and (
                own is in_place
                or (is_short(latest_text(tracker)) and _asked_first(knowledge, own, latest_text(tracker), where.place))
            )
        ) or (key in shown and points):
            # "is it a cure", "how long till i can drive": the point asked, the topic's answer offered.
            # The topic again with a new point: that point, not "As above".
            events += answer_point(dispatcher, knowledge, tracker, own or points[0], points, also_asked, shown)
            if other is not None:
                events += answer_also(dispatcher, knowledge, tracker, other, ms_type, where.place, events)
            return events
        again = [p for p in named if p.answers(entry.id)]
        if key in shown and not points and again:
            # "What exactly happened in the Ottawa study, did someone die?" right after the trials answer
            # with the Ottawa point under it got "As above" and more on three other trials (a
            # twenty-second stranger, 2026-12-03): the point asked, again.
            events += answer_point(dispatcher, knowledge, tracker, again[0], again, also_asked, shown)
            return events
        if key in shown:
            detail = entry.detail_part
            if asks_simpler(latest_text(tracker)):
                # "can you explain it simpler im not a doctor lol" got the longer detail (a stranger).
                reply = simpler_reply(part)
            elif detail is not None and not sent_in_session(tracker.events, detail.text):
                # Asked again in other words ("why isnt it fda approved" after the FDA answer): the
                # one-line reminder, then the detail, not "As above: No." and a dead end.
                dispatcher.utter_message(text=as_above_then_more(part))
                reply = detail_reply(knowledge, entry)
            else:
                reply = as_above_reply(entry, part)
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            return events
        reply = answer_reply(
            knowledge,
            entry,
            ms_type=ms_type,
            place=place,
            also_asked=also_asked,
            place_label=place_name(knowledge, place),
            named_countries=countries_named(knowledge, latest_text(tracker), place),
            ask_where=other is None,
        )
        if other is not None:
            # "is it fda approved and how much does it cost": both answered, one under the other
            # (strangers graded the second only offered as a button "partly right").
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            events.append(SlotSet(ANSWERED_SLOT, [*shown, key]))
            events += answer_also(dispatcher, knowledge, tracker, other, ms_type, where.place, events)
            if asks_where(entry, place) and not asks_where(other, other_place(knowledge, tracker, other, where.place)):
                question = region_question_reply(knowledge, countries_named(knowledge, latest_text(tracker)))
                dispatcher.utter_message(text=question.text, buttons=question.buttons)
                events.append(SlotSet("last_topic", entry.id))
            return events
        if points:
            # "how long is the hospital stay and will i lose my hair", or a long message with a point in
            # it: the topic's answer, then the point under it.
            dispatcher.utter_message(text=reply.text)
            dispatcher.utter_message(text=point_text(points[0]), buttons=reply.buttons)
            return [*events, SlotSet(ANSWERED_SLOT, [*shown, key, point_key(tracker, points[0])])]
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return [*events, SlotSet(ANSWERED_SLOT, [*shown, key])]


# A message this long is about more than the point in it: the topic's answer comes first.
SHORT_MESSAGE_WORDS = 25


def is_short(text: str) -> bool:
    return len(text.split()) <= SHORT_MESSAGE_WORDS


def _asked_first(knowledge: Knowledge, point: Point, text: str, place: Place) -> bool:
    """Whether the message's first question asks the point: "what actually happens?? is it like cancer
    chemo, will i lose my hair" asks the topic first, and got only the chemotherapy point (a twentieth
    stranger, 2026-12-03)."""
    questions = parts(text)
    return (
        len(questions) < 2
        or not reads_as_question(questions[0])
        or any((p.entry.id, p.id) == (point.entry.id, point.id) for p in points_asked(knowledge, questions[0], place))
    )


def points_to_answer(
    tracker: Tracker, entry: Entry, named: list[Point], also_asked: list[str], shown: list[str]
) -> list[Point]:
    """The specific points the message asks (of those it `named`) that were not shown yet: of the topic
    answered, or of another topic the message also asks about ("...and will i lose my hair"); a word of
    another topic alone ("a centre four hours' drive away") is not a question about it."""
    text = latest_text(tracker)
    return [
        p
        for p in named
        if (p.entry.id == entry.id or p.entry.id in also_asked or _in_place_of(p, entry, also_asked, text))
        and point_key(tracker, p) not in shown
    ]


def _in_place_of(point: Point, entry: Entry, also_asked: list[str], text: str) -> bool:
    """Whether a point of another topic is answered in place of `entry`'s answer (its also_for): in a
    short message that does not ask the point's own topic as a second question ("how common are thyroid
    problems after hsct plus do you have to redo all your childhood vaccines" asks both). On the tuning
    sets, long stories named such words in passing ("Ocrevus is lower risk each year")."""
    return point.answers(entry.id) and point.entry.id not in also_asked and is_short(text)


def _point_in_place(
    tracker: Tracker,
    knowledge: Knowledge,
    entry: Entry,
    named: list[Point],
    also_asked: list[str],
    shown: list[str],
    place: Place,
) -> Point | None:
    """A point of another topic that is the message's real question, answered in place of `entry`'s
    answer: the one question of a message that otherwise tells ("Namaste. I am from Pune, 38 yrs, RRMS.
    Some hospital in Bangalore and one in Bangkok are offering HSCT. How to know if they are good?"), or
    a point of the topic the questions ask when they do not ask `entry` ("is it the same treatment as
    what they do in canada? the mexican place does it outpatient", read as getting AHSCT where one
    lives). Both got where AHSCT is given at home first (a twenty-third stranger, 2026-12-03)."""
    text = latest_text(tracker)
    fresh = [p for p in named if point_key(tracker, p) not in shown]
    asked_parts = [q for q in parts(text) if not is_told(q, text)]
    if len(asked_parts) == 1:
        keys = {(p.entry.id, p.id) for p in points_asked(knowledge, asked_parts[0], place)}
        point = next(
            (
                p
                for p in fresh
                if (p.entry.id, p.id) in keys
                and (p.entry.id == entry.id or p.answers(entry.id) or p.entry.id in also_asked)
            ),
            None,
        )
        if point is not None:
            return point
    questions = [q for q in (tracker.latest_message or {}).get("questions_asked") or [] if isinstance(q, str)]
    if questions and entry.id not in questions:
        return next((p for p in fresh if p.entry.id in questions), None)
    return None


def other_question(
    knowledge: Knowledge, tracker: Tracker, entry: Entry, where: Place, points: list[Point], shown: list[str]
) -> Entry | None:
    """The other topic a two-question message asks, to answer under `entry` (see
    actions.answers.other_to_answer): not when a point of it is answered already, nor when its
    answer was shown in this session (it stays offered)."""
    asked = (tracker.latest_message or {}).get("questions_asked")
    other = knowledge.get(other_to_answer(latest_text(tracker), entry.id, asked, knowledge.entries) or "")
    if other is None or any(p.entry.id == other.id for p in points):
        return None
    # A point of the topic answered, asked in a later question, is that question: "is it actually available
    # on the NHS? and which hospital" got the hospital stay as well (a twenty-eighth stranger, 2026-12-03).
    later = [{q.key for q in points_asked(knowledge, part, where)} for part in parts(latest_text(tracker))[1:]]
    if any(p.entry.id == entry.id and any(p.key in keys for keys in later) for p in points):
        return None
    place = other_place(knowledge, tracker, other, where)
    part = other.part_for(
        ms_type=canonical_slot(tracker, knowledge, "ms_type"), region=place.region, country=place.country
    )
    return None if shown_key(tracker, other, part) in shown else other


def answer_point(
    dispatcher: CollectingDispatcher,
    knowledge: Knowledge,
    tracker: Tracker,
    point: Point,
    points: list[Point],
    also_asked: list[str],
    shown: list[str],
) -> list[dict[str, Any]]:
    """The point asked (with the topic's general answer as a button) and, under it, a second point
    asked in the same message."""
    reply = point_reply(knowledge, point, also_asked)
    # "does it cause thyroid problems, and what about cancer later on": two points of one topic are two
    # questions too (the cancer one was dropped: a nineteenth stranger, 2026-12-03).
    second = next((p for p in points if (p.entry.id, p.id) != (point.entry.id, point.id)), None)
    keys = [point_key(tracker, point)]
    if second is None:
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
    else:
        dispatcher.utter_message(text=reply.text)
        dispatcher.utter_message(text=point_text(second), buttons=reply.buttons)
        keys.append(point_key(tracker, second))
    return [SlotSet("last_topic", point.entry.id), SlotSet(ANSWERED_SLOT, [*shown, *keys])]


class ActionNotSure(Action):
    """Says the assistant is not sure and offers the three most likely topics plus 'Something else'."""

    def name(self) -> str:
        return "action_not_sure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        knowledge = get_knowledge()
        if answer_emergency_follow_up(dispatcher, tracker, knowledge):
            return []
        if recent_crisis(tracker.events):
            return send_support(dispatcher, tracker, knowledge, after_crisis=True)
        if answer_language_request(dispatcher, tracker):
            return []
        after = answer_after_the_transplant(dispatcher, tracker, knowledge)
        if after is not None:
            return after
        if voices_a_feeling(latest_text(tracker)):
            # Feelings the classifier was not sure of are heard, not met with a list of topics (a thirtieth
            # stranger, 2026-12-03: "what if he dies and its my fault" got "I'm not sure I understood").
            acknowledge_worry(dispatcher, tracker, before_answer=False)
            return send_support(dispatcher, tracker, knowledge)
        # "Could I have a second one?" after how well it works (a ninth stranger got "not sure").
        point = answer_point_of_last_topic(dispatcher, tracker, knowledge) or answer_the_one_point_asked(
            dispatcher, tracker, knowledge
        )
        if point is not None:
            return point
        where = whereabouts(tracker, knowledge)
        text = latest_text(tracker)
        if ASKS_ABOUT_HERE.search(lowered(text)) and where.place != Place():
            # "...She's in Geelong ... Can she get it here?" got "I'm not sure I understood", and the place
            # was not kept (a thirtieth stranger, 2026-12-03): getting it where the person lives.
            first_turn_note(dispatcher, tracker)
            access = knowledge.entries["access"]
            reply = answer_reply(knowledge, access, place=where.place, place_label=place_name(knowledge, where.place))
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            key = shown_key(tracker, access, access.part_for(region=where.place.region, country=where.place.country))
            shown = [*answered_before(tracker), key]
            return [*where.events, SlotSet("last_topic", access.id), SlotSet(ANSWERED_SLOT, shown)]
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        first_turn_note(dispatcher, tracker)
        note_only_english(dispatcher, tracker)
        dispatcher.utter_message(text=NOT_SURE_TEXT, buttons=not_sure_buttons(knowledge, ranking))
        if misunderstandings_in_a_row(tracker.events) >= 2:
            dispatcher.utter_message(text=notice_text(knowledge.helpline(where.place.region), where.place))
        # A place said in a message not understood is kept for the answers that depend on it.
        return list(where.events)


# Naming the treatment makes "is AHSCT safe?" a question about AHSCT in general, not about the last topic.
_FOR_A_PERSON = re.compile(r"\bfor (?:someone|somebody|her|him|me|my|us|them|older|people|a person)\b", re.IGNORECASE)
_NAMES_TREATMENT = re.compile(rf"\b({AHSCT_NAMES}|chemo reset)\b", re.IGNORECASE)


def safety_follow_up_of(knowledge: Knowledge, tracker: Tracker, intent: str | None) -> Entry | None:
    """The topic a "is it safe?" / "any risks?" right after an answer is about, if it has its own
    safety entry (chemotherapy -> side effects); None for a general question about AHSCT's risks,
    and after an answer that was itself about risk (asking again is the same question)."""
    if intent != "faq_risks" or previous_action(tracker.events) not in ANSWER_ACTIONS:
        return None
    text = latest_text(tracker)
    if _NAMES_TREATMENT.search(text):
        return None
    # The risks for a person, or a longer question, are the general question ("what are the risks for
    # someone like her" after the hospital stay got only the infection risk: a seventh stranger).
    if len(text.split()) > 6 or _FOR_A_PERSON.search(text):
        return None
    last = knowledge.get(tracker.get_slot("last_topic") or "")
    if last is None or last.id in RISK_ENTRIES or last.safety_entry in (None, last.id):
        return None
    return last
