"""Rasa actions for safety and human help: texts come from the knowledge file's notices."""

from __future__ import annotations

import copy
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import notice_text, point_text, source_line
from actions.knowledge import Knowledge, Part, Place
from actions.messages import START_OVER_TEXT
from actions.points import points_asked
from actions.self_check_actions import end_self_check_events
from actions.store import get_knowledge
from actions.support import send_helpline
from actions.tracker_utils import (
    about_someone_else,
    asks_a_question,
    latest_intent,
    latest_text,
    recent_warning_sign,
    whereabouts,
)
from actions.urgent import (
    answer_emergency_follow_up,
    cared_for_since_the_notice,
    says_care_has_started,
    tell_staff_notice,
    tells_of_a_new_sign,
)

# Set by the NLU's safety guard (addons/nlu/safety_guard.py) when its patterns, not only the
# classifier, found crisis or warning-sign words.
SAFETY_WORDS_KEY = "safety_words"

logger = logging.getLogger(__name__)


def crisis_text(knowledge: Knowledge, place: Place, someone_else: bool) -> str:
    """The crisis lines for `place`; for someone worried about another person, opened for them
    instead of "I'm really sorry you're feeling like this. You don't have to face it alone."."""
    crisis = knowledge.notices["crisis"]
    if not someone_else:
        return notice_text(crisis, place)
    lines = crisis.part_for(region=place.region, country=place.country)
    opening = ". ".join(crisis.text.split(". ")[:2]) + "."  # every crisis text starts with it (tests)
    other = knowledge.notices["crisis_someone_else"]
    sources = tuple(dict.fromkeys([*other.sources, *lines.sources]))
    text = f"{other.text} {lines.text.removeprefix(opening).strip()}"
    return f"{text}\n{source_line(Part(text, sources))}"


class ActionSafetyNotice(Action):
    """Crisis support lines, or 'contact your transplant team or emergency services now', for the
    person's country or region when known."""

    def name(self) -> str:
        return "action_safety_notice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent = latest_intent(tracker)
        knowledge = get_knowledge()
        guessed = (tracker.latest_message or {}).get(SAFETY_WORDS_KEY) != intent
        if intent == "crisis" and guessed and answer_emergency_follow_up(dispatcher, tracker, knowledge):
            # "he says he doesnt want to go back in, he just wants to sleep it off. can we wait til morning"
            # right after the warning-signs notice got the crisis lines for someone else, not "don't wait"
            # (an eighteenth stranger, 2026-12-03): a crisis only guessed by the classifier, in a message
            # about getting urgent care, is that emergency. Crisis words said outright still get the lines.
            return []
        if intent == "red_flag" and (
            says_care_has_started(latest_text(tracker))
            # A new sign told by someone already in care since the notice (a twenty-eighth stranger, 2026-12-03).
            or (recent_warning_sign(tracker.events) and cared_for_since_the_notice(tracker))
        ):
            return await _while_cared_for(dispatcher, tracker, domain, knowledge)
        notice = knowledge.notices["red_flag" if intent == "red_flag" else "crisis"]
        if notice.id == "red_flag" and recent_warning_sign(tracker.events):
            # The signs told again ("Transplant number goes to voicemail ... just shaking; drive to the ER
            # or wait?"): the short answer, not the same long notice word for word (a thirteenth stranger).
            notice = knowledge.notices["red_flag_go_now"]
        logger.warning("safety notice %s sent", notice.id)  # no conversation id: it can name the person
        # The lines for where the person is, if known; otherwise lines that work in many countries.
        where = whereabouts(tracker, knowledge)
        if notice.id == "crisis":
            text = crisis_text(knowledge, where.place, about_someone_else(latest_text(tracker)))
        else:
            text = notice_text(notice, where.place)
        dispatcher.utter_message(text=text)
        if notice.id == "red_flag":
            # "got a painful blistery rash on one side of my chest since yesterday, kinda like shingles?? no
            # fever" got signs of fever and sepsis only (a twenty-first stranger, 2026-12-03): the point on
            # shingles and viruses coming back follows the notice.
            viruses = [p for p in points_asked(knowledge, latest_text(tracker)) if p.key == "point.viruses"]
            if viruses:
                dispatcher.utter_message(text=point_text(viruses[0]))
        return [*where.events, *end_self_check_events(tracker)]


# A topic the classifier saw behind a warning sign told by someone already in care is answered if at
# least this sure ("... neutropenic fever. is this common after hsct?": infections at 0.98).
CARED_FOR_TOPIC_AT_LEAST = 0.3


async def _while_cared_for(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], knowledge: Knowledge
) -> list[EventType]:
    """A warning sign told by someone already in hospital or on treatment: acknowledged (not "call an
    ambulance now"), and a question asked with it answered by the topic the classifier saw next."""
    from actions.actions import ActionAnswerFaq  # the answer action imports this module's neighbours

    where = whereabouts(tracker, knowledge)
    text = latest_text(tracker)
    notice = tell_staff_notice(tracker, knowledge) if tells_of_a_new_sign(text) else "red_flag_help_here"
    dispatcher.utter_message(text=notice_text(knowledge.notices[notice], where.place))
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    topic = next((r for r in ranking if str(r.get("name") or "").startswith("faq_")), None)
    events: list[EventType] = [*where.events, *end_self_check_events(tracker)]
    if topic is None or float(topic.get("confidence") or 0.0) < CARED_FOR_TOPIC_AT_LEAST or not asks_a_question(text):
        return events
    answering = copy.deepcopy(tracker)
    answering.latest_message = {**(tracker.latest_message or {}), "intent": dict(topic)}
    return [*events, *await ActionAnswerFaq().run(dispatcher, answering, domain)]


class ActionHumanHelp(Action):
    """The MS helpline for the person's country or region."""

    def name(self) -> str:
        return "action_human_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        knowledge = get_knowledge()
        # "can't find the ward number. can i just ring 111?" right after the warning-signs notice got
        # the MS Society's helpline (an eleventh stranger): in an emergency, the emergency answer.
        if answer_emergency_follow_up(dispatcher, tracker, knowledge):
            return []
        return [*send_helpline(dispatcher, tracker, knowledge), *end_self_check_events(tracker)]


class ActionStartOver(Action):
    """Forgets the conversation (slots included) and says so."""

    def name(self) -> str:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=START_OVER_TEXT)
        return [Restarted()]
