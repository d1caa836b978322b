"""NLU component: the command intents (stop, start over, help, start) exactly for messages that are
the command (addons.nlu.commands). A message that is a command as a whole ("start over", "reset the
chat") gets it, whatever the classifier guessed. A question that merely contains "stop" or "help"
gets the next intent the classifier saw, rescaled as if the command had not been a choice; if that
is below the fallback threshold, the message counts as not understood. It runs last, after the
SafetyGuard, and never changes the crisis or warning-sign intent that the SafetyGuard set. A message
that only acknowledges ("ok", "i see") is taken as thanks (addons.nlu.commands.is_acknowledgement)."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.commands import ACKNOWLEDGEMENT_INTENT, COMMAND_INTENTS, command_in, is_acknowledgement, keeps_command
from addons.nlu.component import ConfiguredComponent
from addons.nlu.ranking import FALLBACK, put_first, ranking
from addons.nlu.safety_guard import SAFETY_INTENTS


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CommandGuard(ConfiguredComponent):
    """See the module docstring. Runs last in the pipeline, after the SafetyGuard."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"fallback_threshold": 0.2}

    def __init__(self, config: dict[str, Any]) -> None:
        self.threshold = float(config.get("fallback_threshold", 0.2))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY)
        command = command_in(message.get(TEXT))
        if command is not None and name not in SAFETY_INTENTS:
            if name != command:
                put_first(message, command)
            return
        if command is None and name not in SAFETY_INTENTS and is_acknowledgement(message.get(TEXT)):
            if name != ACKNOWLEDGEMENT_INTENT:
                put_first(message, ACKNOWLEDGEMENT_INTENT)
            return
        if name not in COMMAND_INTENTS or keeps_command(name, message.get(TEXT)):
            return
        left = max(1e-9, 1.0 - float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0))
        rest = [
            {
                INTENT_NAME_KEY: r[INTENT_NAME_KEY],
                PREDICTED_CONFIDENCE_KEY: min(1.0, float(r[PREDICTED_CONFIDENCE_KEY]) / left),
            }
            for r in ranking(message)
            if r[INTENT_NAME_KEY] not in (*COMMAND_INTENTS, FALLBACK)
        ]
        if not rest or rest[0][PREDICTED_CONFIDENCE_KEY] < self.threshold:
            top = {
                INTENT_NAME_KEY: FALLBACK,
                PREDICTED_CONFIDENCE_KEY: 1.0 - (rest[0][PREDICTED_CONFIDENCE_KEY] if rest else 0.0),
            }
        else:
            top = rest[0]
        message.set(INTENT, dict(top), add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top, *(r for r in rest if r is not top)], add_to_output=True)
