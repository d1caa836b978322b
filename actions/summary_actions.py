"""The Rasa action that makes the notes for the neurologist: thin, over actions.summary."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import (
    SUMMARY_CHECK_BUTTON,
    SUMMARY_EMPTY_TEXT,
    SUMMARY_READY_TELEGRAM,
    SUMMARY_READY_TEXT,
    SUMMARY_READY_WEB,
)
from actions.store import get_knowledge
from actions.summary import LINK_SLOT, Summary, build

logger = logging.getLogger(__name__)

# The channels that turn the summary request into a document (addons/channels/summary.py).
DOCUMENT_CHANNELS = frozenset({"telegram"})


def contents(summary: Summary) -> str:
    """ "your 5 answers, 3 topics and 4 questions to ask" """
    parts = []
    if summary.answers:
        parts.append(f"your {len(summary.answers)} self-check answer{'s' if len(summary.answers) != 1 else ''}")
    topics = len(summary.topics) + len(summary.also_asked) + summary.more_topics
    if topics:
        parts.append(f"{topics} topic{'s' if topics != 1 else ''} you asked about")
    parts.append(f"{len(summary.questions)} questions to ask")
    return ", ".join(parts[:-1]) + f" and {parts[-1]}"


class ActionMakeSummary(Action):
    """Says what the notes hold and asks the channel to deliver them (a one-hour link on the web,
    a PDF on Telegram). The notes themselves are built again by the channel from the conversation,
    so nothing is stored but a random key for the link."""

    def name(self) -> str:
        return "action_make_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        summary = build(get_knowledge(), tracker.slots, tracker.events, dt.date.today())
        if summary.empty:
            dispatcher.utter_message(text=SUMMARY_EMPTY_TEXT, buttons=[dict(SUMMARY_CHECK_BUTTON)])
            return []
        channel = tracker.get_latest_input_channel()
        how = SUMMARY_READY_TELEGRAM if channel in DOCUMENT_CHANNELS else SUMMARY_READY_WEB
        dispatcher.utter_message(text=f"{SUMMARY_READY_TEXT.format(what=contents(summary))} {how}")
        key = secrets.token_urlsafe(16)
        dispatcher.utter_message(json_message={"summary": {"key": key}})
        logger.info("summary offered")
        return [SlotSet(LINK_SLOT, key)]
