"""The intent and intent ranking of a parsed message, as the NLU guards read and change them."""

from __future__ import annotations

from typing import Any

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

FALLBACK = "nlu_fallback"


def ranking(message: Message) -> list[dict[str, Any]]:
    """The message's intent ranking, best first, without nameless entries."""
    return [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY)]


def put_first(message: Message, name: str, confidence: float = 1.0) -> None:
    """Make `name` the message's intent, with `confidence`, ahead of the rest of its ranking."""
    top = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    rest = [r for r in ranking(message) if r[INTENT_NAME_KEY] != name]
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *rest], add_to_output=True)
