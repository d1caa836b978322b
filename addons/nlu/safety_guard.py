"""NLU component: crisis language and post-transplant warning signs override any FAQ intent.

Runs after the intent classifier and the FallbackClassifier, so a confident FAQ prediction cannot outvote
it; only the CommandGuard comes after it, and it never changes `crisis` or `red_flag`
(config.yml). The patterns live in addons.nlu.safety.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.component import ConfiguredComponent
from addons.nlu.ranking import FALLBACK, put_first, ranking
from addons.nlu.safety import (
    CRISIS,
    RED_FLAG,
    about_the_treatment,
    classify,
    fear_without_a_sign,
    warning_sign_guess_stands,
)

SAFETY_INTENTS = (CRISIS, RED_FLAG)
SAFETY_WORDS_KEY = "safety_words"
FEELINGS = "express_feelings"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyGuard(ConfiguredComponent):
    """Sets the intent to `crisis` or `red_flag` when the safety patterns match.

    When they do not match, a `crisis` or `red_flag` guess by the classifier is kept
    only above `keep_model_guess_above` confidence, and a `red_flag` guess only when the
    message does not ask what to watch for; otherwise the next intent wins, so a question
    about mortality is not mistaken for a crisis, nor "he had his transplant 2 weeks ago,
    what should we watch for?" for an emergency. A `red_flag` guess in a message that voices fear
    and names no sign becomes feelings.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"keep_model_guess_above": 0.8, "fallback_threshold": 0.0}

    def __init__(self, config: dict[str, Any]) -> None:
        self.keep_above = float(config.get("keep_model_guess_above", 0.8))
        # A weak crisis guess gives way to the next intent only if that is as sure as the
        # FallbackClassifier requires; otherwise the message counts as not understood.
        self.fallback_threshold = float(config.get("fallback_threshold", 0.0))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._process(message)
        return messages

    def _process(self, message: Message) -> None:
        text = message.get(TEXT)
        kind = classify(text)
        if kind:
            put_first(message, kind)
            # Said in so many words, not only guessed by the classifier: the actions tell the two apart
            # right after the warning-signs notice (actions/safety.py).
            message.set(SAFETY_WORDS_KEY, kind, add_to_output=True)
            return
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY)
        unsure = intent.get(PREDICTED_CONFIDENCE_KEY, 0) < self.keep_above
        # No pattern matched, so a warning sign is the classifier's own guess: fear with no sign named
        # is feelings, and the guess gives way where it cannot stand (addons.nlu.safety).
        if name == RED_FLAG and fear_without_a_sign(text):
            put_first(message, FEELINGS, float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0))
            return
        # A crisis guess (no crisis words) in a message that says self-harm is not meant, or that fears
        # dying because of the treatment, gives way to the next intent; with nothing sure after it, it is
        # feelings (a twentieth stranger's "what if i do it and i die. my kids would grow up without me").
        if name == CRISIS and about_the_treatment(text):
            rest = [r for r in ranking(message) if r[INTENT_NAME_KEY] not in (*SAFETY_INTENTS, FALLBACK)]
            if not rest or float(rest[0].get(PREDICTED_CONFIDENCE_KEY) or 0) < self.fallback_threshold:
                put_first(message, FEELINGS, float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0))
            else:
                message.set(INTENT, dict(rest[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, rest, add_to_output=True)
            return
        if name in SAFETY_INTENTS and (unsure or (name == RED_FLAG and not warning_sign_guess_stands(text))):
            rest = [r for r in ranking(message) if r[INTENT_NAME_KEY] not in SAFETY_INTENTS]
            if rest and float(rest[0].get(PREDICTED_CONFIDENCE_KEY) or 0) < self.fallback_threshold:
                top = {
                    INTENT_NAME_KEY: FALLBACK,
                    PREDICTED_CONFIDENCE_KEY: 1.0 - float(rest[0][PREDICTED_CONFIDENCE_KEY]),
                }
                rest = [top, *(r for r in rest if r[INTENT_NAME_KEY] != FALLBACK)]
            if rest:
                message.set(INTENT, dict(rest[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, rest, add_to_output=True)
