"""The other question of a two-question message, answered under the first answer, wherever the first
was given (a topic, a point, or a situation)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import also_answered_reply, answer_reply, asks_where
from actions.knowledge import Entry, Knowledge, Place
from actions.messages import REGION_NOTE
from actions.places import countries_named, place_asked_about, place_name
from actions.tracker_utils import ANSWERED_SLOT, latest_text, shown_key


def other_place(knowledge: Knowledge, tracker: Tracker, entry: Entry, where: Place) -> Place:
    """The place an answer to `entry` is written for: one the message asks about, else where the
    person lives."""
    return place_asked_about(knowledge, entry, latest_text(tracker)) or where


def answer_also(
    dispatcher: CollectingDispatcher,
    knowledge: Knowledge,
    tracker: Tracker,
    entry: Entry,
    ms_type: str | None,
    where: Place,
    events: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The other question of a two-question message, answered under the first answer (whose events
    are `events`): the buttons of the message above move under this one."""
    above = dispatcher.messages[-1] if dispatcher.messages else {}
    place = other_place(knowledge, tracker, entry, where)
    label: str | None = place_name(knowledge, place)
    if label and REGION_NOTE.format(place=label) in (above.get("text") or ""):
        label = None  # "For the UK. Somewhere else? ..." once, under the first answer
    answer = answer_reply(
        knowledge,
        entry,
        ms_type=ms_type,
        place=place,
        place_label=label,
        named_countries=countries_named(knowledge, latest_text(tracker), place),
    )
    reply = also_answered_reply(entry, answer, above.pop("buttons", None) or [], asks_where(entry, place))
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
    shown: list[str] = next((e["value"] for e in reversed(events) if e.get("name") == ANSWERED_SLOT), [])
    part = entry.part_for(ms_type=ms_type, region=place.region, country=place.country)
    # The topic asked first stays the one "tell me more" and "not what I meant" are about ("I not asked
    # about hospital" after a second answer got more on the hospital stay: a thirteenth stranger), unless
    # this answer asks where the person lives: the place given then answers it.
    topic = [SlotSet("last_topic", entry.id)] if asks_where(entry, place) else []
    return [*topic, SlotSet(ANSWERED_SLOT, [*shown, shown_key(tracker, entry, part)])]
