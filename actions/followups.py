"""Follow-ups about the last topic: "tell me more", "where is that from?", "and in the UK?"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    answer_reply,
    asks_simpler,
    detail_reply,
    last_shown_part,
    simpler_reply,
    sources_reply,
    unchecked_countries,
)
from actions.knowledge import Place
from actions.messages import (
    CHANGE_REGION_BUTTON,
    CHANGE_REGION_TEXT,
    MORE_BUTTON,
    NO_TOPIC_YET_TEXT,
    REGION_BUTTONS,
    REGION_NOTED_TEXT,
    REGION_SET_TEXT,
    SAME_ANSWER_TEXT,
    SAME_EVERYWHERE_ABOVE_TEXT,
    SAME_EVERYWHERE_TEXT,
    SAME_GENERAL_ANSWER_TEXT,
)
from actions.places import denied_places, mentioned_places, place_name
from actions.store import get_knowledge
from actions.support import answer_helpline_for_place, answer_point_of_last_topic
from actions.tracker_utils import (
    ANSWERED_SLOT,
    REGION_SLOT,
    answered_before,
    canonical_slot,
    latest_intent,
    latest_text,
    normalised_ms_type_events,
    shown_key,
    whereabouts,
)
from actions.urgent import answer_emergency_follow_up

PROGRESSIVE_ENTRY = "progressive_ms"


def detail_was_last_shown(events: list[dict[str, Any]]) -> bool:
    """True when the text the person last saw was an entry's detail ("tell me more"): the latest
    user message before this one that was not itself "where is that from?" asked for more."""
    users = [e for e in events or [] if e.get("event") == "user"][:-1]
    for event in reversed(users):
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != "ask_source":
            return intent == "ask_more"
    return False


class ActionFollowUp(Action):
    """Answers a follow-up about the last topic answered (slot last_topic)."""

    def name(self) -> str:
        return "action_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        knowledge = get_knowledge()
        if answer_emergency_follow_up(dispatcher, tracker, knowledge):
            return []
        helpline = answer_helpline_for_place(dispatcher, tracker, knowledge)
        if helpline is not None:
            return helpline
        entry = knowledge.get(tracker.get_slot("last_topic") or "")
        intent = latest_intent(tracker)
        named = {e.get("entity") for e in (tracker.latest_message or {}).get("entities") or []}
        where = whereabouts(tracker, knowledge)
        denied = denied_places(latest_text(tracker), knowledge)
        if intent == "followup_context" and denied and not where.stated:
            # "i dont live in the uk" after the NHS answer got "The answer above is the one for the UK"
            # (a fourteenth stranger): where, then.
            dispatcher.utter_message(text=CHANGE_REGION_TEXT, buttons=[dict(b) for b in REGION_BUTTONS])
            kept = knowledge.place(tracker.get_slot(REGION_SLOT))
            return [SlotSet(REGION_SLOT, None)] if {kept.country, kept.region} & set(denied) else []
        ms_type = canonical_slot(tracker, knowledge, "ms_type")
        if entry is None:
            if intent == "followup_context" and where.stated:
                # "I'm in the UK" before any question: keep it for the answers that depend on it.
                dispatcher.utter_message(text=REGION_NOTED_TEXT)
                return [*where.events, *normalised_ms_type_events(tracker, ms_type)]
            dispatcher.utter_message(text=NO_TOPIC_YET_TEXT)
            dispatcher.utter_message(response="utter_welcome")
            return list(where.events)
        if intent == "ask_more" and asks_simpler(latest_text(tracker)):
            # "Say that again simpler" got the longer, more technical detail (a stranger's chat).
            shown_part = last_shown_part(entry, tracker.get_slot(ANSWERED_SLOT) or [])
            reply = simpler_reply(shown_part or entry.part_for(ms_type, where.place.region, where.place.country))
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            return []
        if intent == "ask_more":
            reply = detail_reply(knowledge, entry)
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            return []
        if intent == "ask_source":
            # The sources of the text actually shown: the detail, or the variant for this person.
            if detail_was_last_shown(tracker.events) and entry.detail_part is not None:
                reply = sources_reply(entry, entry.detail_part, detail=True)
            else:
                # The text last shown for this topic ("and in the UK?" shows the UK text without
                # making the UK the person's place), else the one for this person now.
                shown_part = last_shown_part(entry, tracker.get_slot(ANSWERED_SLOT) or [])
                part = shown_part or entry.part_for(ms_type, where.place.region, where.place.country)
                reply = sources_reply(entry, part)
            dispatcher.utter_message(text=reply.text)
            return []
        # A point of the topic just answered, named with "what about": "what about Aetna specifically?" is
        # the insurer's point, not the same answer for the US (a twenty-eighth stranger, 2026-12-03).
        point = answer_point_of_last_topic(dispatcher, tracker, knowledge, related=False)
        if point is not None:
            return point
        # followup_context: the same topic for the MS type or place just named ("and in the US?").
        # The place answers this question; it is kept as the person's own only if they said so.
        place = where.place
        if not where.stated:
            asked_about = mentioned_places(latest_text(tracker), knowledge)
            place = knowledge.place(asked_about[0]) if asked_about else place
        events: list[dict[str, Any]] = list(where.events)
        if "ms_type" in named and ms_type == "progressive" and "progressive" not in entry.variants.get("ms_type", {}):
            entry = knowledge.entries.get(PROGRESSIVE_ENTRY, entry)
            events.append(SlotSet("last_topic", entry.id))
        shown = answered_before(tracker)
        part = entry.part_for(ms_type, place.region, place.country)
        key = shown_key(tracker, entry, part)
        label = place_name(knowledge, place)
        # The text last shown of this topic, not any shown before: after a US insurer's answer, "I'm in
        # Australia!!" got "The answer above is the one for Australia" (a stranger's conversation).
        if last_shown_part(entry, shown) is part and place != Place() and "ms_type" not in named:
            # "I live in Ohio" after the FDA answer: the answer for the US is the one just shown.
            lead = REGION_SET_TEXT.format(place=label) + " " if where.events else ""
            # With somewhere to go next: it was a dead end with no buttons (a stranger's conversation).
            buttons = [dict(MORE_BUTTON), dict(CHANGE_REGION_BUTTON)]
            # "CANADA" after an answer about Australia: "The answer above is the one for Canada" was
            # false (a fourth stranger); a country without its own text has the general one.
            if not entry.variants.get("region") and not entry.variants.get("country"):
                same = SAME_EVERYWHERE_ABOVE_TEXT
            elif unchecked_countries(entry, part, [place.country]):
                same = SAME_GENERAL_ANSWER_TEXT
            else:
                same = SAME_ANSWER_TEXT
            dispatcher.utter_message(text=lead + same.format(place=label), buttons=buttons)
            return [*events, *normalised_ms_type_events(tracker, ms_type)]
        if place != Place() and not entry.variants.get("region") and not entry.variants.get("country"):
            dispatcher.utter_message(text=SAME_EVERYWHERE_TEXT)
        reply = answer_reply(knowledge, entry, ms_type=ms_type, place=place, place_label=label)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return [*events, *normalised_ms_type_events(tracker, ms_type), SlotSet(ANSWERED_SLOT, [*shown, key])]
