"""The 👍 / 👎 choice offered with every answer; the choice stays in the tracker store for `make report`."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

FEEDBACK_BUTTONS = [
    {"title": "👍 Helpful", "payload": '/feedback{"feedback": "up"}'},
    {"title": "👎 Not helpful", "payload": '/feedback{"feedback": "down"}'},
]
THANKS_UP = "Thank you, that helps us keep the answers useful."
THANKS_DOWN = (
    "Thank you for telling me; someone will review this answer. You can ask in other words, "
    'or type "person" for a helpline.'
)
THANKS_UNKNOWN = "Thank you for the feedback."


def is_feedback_payload(payload: str) -> bool:
    return payload.startswith("/feedback")


class ActionFeedback(Action):
    """Thanks the person for a 👍 / 👎; the user event with the choice is what the report counts."""

    def name(self) -> str:
        return "action_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        value = tracker.get_slot("feedback")
        text = {"up": THANKS_UP, "down": THANKS_DOWN}.get(value, THANKS_UNKNOWN)
        dispatcher.utter_message(text=text)
        return [SlotSet("feedback", None)]
