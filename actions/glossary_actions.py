"""Rasa action for "what does this word mean?" (actions/glossary.py finds the word)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.glossary import definition_text, term_asked, unknown_term_text
from actions.store import get_knowledge
from actions.tracker_utils import latest_text


class ActionDefineTerm(Action):
    """The glossary's definition of the word asked about, with its sources."""

    def name(self) -> str:
        return "action_define_term"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        glossary = get_knowledge().glossary
        term = term_asked(latest_text(tracker), glossary)
        if term is None:
            dispatcher.utter_message(text=unknown_term_text(glossary))
        else:
            dispatcher.utter_message(text=definition_text(glossary[term]))
        return []
