"""Rasa actions for safety and human help: texts come from the knowledge file's notices."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import notice_text
from actions.messages import START_OVER_TEXT
from actions.self_check_actions import end_self_check_events
from actions.store import get_knowledge
from actions.tracker_utils import latest_intent, whereabouts

logger = logging.getLogger(__name__)


class ActionSafetyNotice(Action):
    """Crisis support lines, or 'contact your transplant team or emergency services now', for the
    person's country or region when known."""

    def name(self) -> str:
        return "action_safety_notice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent = latest_intent(tracker)
        knowledge = get_knowledge()
        notice = knowledge.notices["red_flag" if intent == "red_flag" else "crisis"]
        logger.warning("safety notice %s sent", notice.id)  # no conversation id: it can name the person
        # The lines for where the person is, if known; otherwise lines that work in many countries.
        where = whereabouts(tracker, knowledge)
        dispatcher.utter_message(text=notice_text(notice, where.place))
        return [*where.events, *end_self_check_events(tracker)]


class ActionHumanHelp(Action):
    """The MS helpline for the person's country or region."""

    def name(self) -> str:
        return "action_human_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        knowledge = get_knowledge()
        where = whereabouts(tracker, knowledge)
        dispatcher.utter_message(text=notice_text(knowledge.helpline(where.place.region), where.place))
        return [*where.events, *end_self_check_events(tracker)]


class ActionStartOver(Action):
    """Forgets the conversation (slots included) and says so."""

    def name(self) -> str:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=START_OVER_TEXT)
        return [Restarted()]
