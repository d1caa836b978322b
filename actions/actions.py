"""Rasa custom actions: thin wrappers over actions.answers and actions.knowledge."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import answer_reply, entry_id_for_intent, not_sure_buttons, notice_text, ranked_entry_ids
from actions.config import second_intent_min_confidence
from actions.knowledge import Entry, Knowledge, Place
from actions.messages import FIRST_TURN_NOTE, NOT_SURE_TEXT, REGION_BUTTONS, REGION_QUESTION_TEXT, SAFETY_OF_TEXT
from actions.store import get_knowledge

logger = logging.getLogger(__name__)


def canonical_slot(tracker: Tracker, knowledge: Knowledge, name: str) -> str | None:
    """The slot's value mapped to a knowledge-file term key (e.g. 'RRMS' -> 'relapsing')."""
    return knowledge.canonical(name, tracker.get_slot(name))


def place_of(tracker: Tracker, knowledge: Knowledge) -> Place:
    """Where the person is: the region slot holds a region key (uk, us, eu, other) or, when a
    country was named, that country's key (canada), which also gives its region."""
    return knowledge.place(tracker.get_slot("region"))


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def normalised_slot_events(tracker: Tracker, ms_type: str | None, region: str | None) -> list[dict[str, Any]]:
    """Store normalised values ("RRMS" -> "relapsing", "Canadian" -> "canada") so later turns see
    the same keys; values that map to nothing are left as they are. `region` is a region key, or
    a country key when a country was named."""
    return [
        SlotSet(name, value)
        for name, value in (("ms_type", ms_type), ("region", region))
        if value and tracker.get_slot(name) != value
    ]


class ActionAnswerFaq(Action):
    """Answers any faq_* intent from the knowledge file: short answer, source, review date, follow-ups."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        knowledge = get_knowledge()
        message = tracker.latest_message or {}
        intent = latest_intent(tracker)
        entry = knowledge.get(entry_id_for_intent(intent) or "")
        if entry is None:
            logger.warning("no knowledge entry for intent %s", intent)
            dispatcher.utter_message(text=NOT_SURE_TEXT)
            return []
        ms_type = canonical_slot(tracker, knowledge, "ms_type")
        place = place_of(tracker, knowledge)
        stored_place = place.country or place.region
        if is_first_turn(tracker.events):
            dispatcher.utter_message(text=FIRST_TURN_NOTE)
        if entry.ask_region and place.region is None:
            # Access and cost differ so much by country that a general answer helps little: ask first.
            dispatcher.utter_message(text=REGION_QUESTION_TEXT, buttons=REGION_BUTTONS)
            return [SlotSet("last_topic", entry.id), *normalised_slot_events(tracker, ms_type, stored_place)]
        about = safety_follow_up_of(knowledge, tracker, intent)
        if about is not None:
            dispatcher.utter_message(text=SAFETY_OF_TEXT.format(question=about.question))
            entry = knowledge.entries[about.safety_entry or "risks"]
        threshold = second_intent_min_confidence()
        also_asked = [
            entry_id
            for entry_id, confidence in ranked_entry_ids(message.get("intent_ranking") or [])[1:2]
            if confidence >= threshold
        ]
        reply = answer_reply(
            knowledge, entry, ms_type=ms_type, region=place.region, also_asked=also_asked, country=place.country
        )
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return [SlotSet("last_topic", entry.id), *normalised_slot_events(tracker, ms_type, stored_place)]


class ActionNotSure(Action):
    """Says the assistant is not sure and offers the three most likely topics plus 'Something else'."""

    def name(self) -> str:
        return "action_not_sure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        knowledge = get_knowledge()
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        if is_first_turn(tracker.events):
            dispatcher.utter_message(text=FIRST_TURN_NOTE)
        dispatcher.utter_message(text=NOT_SURE_TEXT, buttons=not_sure_buttons(knowledge, ranking))
        if misunderstandings_in_a_row(tracker.events) >= 2:
            place = place_of(tracker, knowledge)
            dispatcher.utter_message(text=notice_text(knowledge.helpline(place.region), place))
        return []


ANSWER_ACTIONS = frozenset({"action_answer_faq", "action_follow_up", "action_self_check_result"})
# Naming the treatment makes "is AHSCT safe?" a question about AHSCT in general, not about the last topic.
_NAMES_TREATMENT = re.compile(
    r"\b(a?hsct|ahcst|a?hsc|stem[ -]?cells?|transplant\w*|bone marrow|immune reset|chemo reset)\b", re.IGNORECASE
)


def previous_action(events: list[dict[str, Any]]) -> str | None:
    """The last action the bot ran before the person's latest message."""
    seen_user = False
    for event in reversed(events or []):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def safety_follow_up_of(knowledge: Knowledge, tracker: Tracker, intent: str | None) -> Entry | None:
    """The topic a "is it safe?" / "any risks?" right after an answer is about, if it has its own
    safety entry (chemotherapy -> side effects); None for a general question about AHSCT's risks."""
    if intent != "faq_risks" or previous_action(tracker.events) not in ANSWER_ACTIONS:
        return None
    if _NAMES_TREATMENT.search((tracker.latest_message or {}).get("text") or ""):
        return None
    last = knowledge.get(tracker.get_slot("last_topic") or "")
    if last is None or last.safety_entry in (None, last.id):
        return None
    return last


def misunderstandings_in_a_row(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(events or []):
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if name != "nlu_fallback":
            break
        count += 1
    return count


def is_first_turn(events: list[dict[str, Any]]) -> bool:
    """True while the person's first message of the session is being answered."""
    users = 0
    for event in reversed(events or []):
        if event.get("event") == "session_started":
            break
        if event.get("event") == "user":
            users += 1
    return users == 1
