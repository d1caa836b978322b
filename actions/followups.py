"""Follow-ups about the last topic: "tell me more", "where is that from?", "and in the UK?"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import canonical_slot, latest_intent, normalised_slot_events, place_of
from actions.answers import answer_reply, detail_reply, sources_reply
from actions.messages import NO_TOPIC_YET_TEXT, REGION_NOTED_TEXT, SAME_EVERYWHERE_TEXT
from actions.store import get_knowledge

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
        entry = knowledge.get(tracker.get_slot("last_topic") or "")
        intent = latest_intent(tracker)
        named = {e.get("entity") for e in (tracker.latest_message or {}).get("entities") or []}
        place = place_of(tracker, knowledge)
        if entry is None:
            if intent == "followup_context" and "region" in named and place.region:
                # "I'm in the UK" before any question: keep it for the answers that depend on it.
                dispatcher.utter_message(text=REGION_NOTED_TEXT)
                ms_type = canonical_slot(tracker, knowledge, "ms_type")
                return normalised_slot_events(tracker, ms_type, place.country or place.region)
            dispatcher.utter_message(text=NO_TOPIC_YET_TEXT)
            dispatcher.utter_message(response="utter_welcome")
            return []
        if intent == "ask_more":
            reply = detail_reply(knowledge, entry)
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            return []
        ms_type = canonical_slot(tracker, knowledge, "ms_type")
        if intent == "ask_source":
            # The sources of the text actually shown: the detail, or the variant for this person.
            if detail_was_last_shown(tracker.events) and entry.detail_part is not None:
                reply = sources_reply(entry, entry.detail_part, detail=True)
            else:
                reply = sources_reply(entry, entry.part_for(ms_type, place.region, place.country))
            dispatcher.utter_message(text=reply.text)
            return []
        # followup_context: the same topic for the MS type or place just named
        region = place.region
        events: list[dict[str, Any]] = []
        if "ms_type" in named and ms_type == "progressive" and "progressive" not in entry.variants.get("ms_type", {}):
            entry = knowledge.entries.get(PROGRESSIVE_ENTRY, entry)
            events.append(SlotSet("last_topic", entry.id))
        elif (
            "region" in named
            and region not in entry.variants.get("region", {})
            and place.country not in entry.variants.get("country", {})
            and not entry.ask_region
        ):
            dispatcher.utter_message(text=SAME_EVERYWHERE_TEXT)
        reply = answer_reply(knowledge, entry, ms_type=ms_type, region=region, country=place.country)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return [*events, *normalised_slot_events(tracker, ms_type, place.country or region)]
