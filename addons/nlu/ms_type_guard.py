"""NLU component: the answer for progressive MS only when the message is not about relapsing MS.
"i was just diagnosed with rrms. could hsct help me?" (a stranger, 2026-12-02) got "AHSCT seems to
help less in progressive MS": faq_progressive_ms at 0.27, the words "could it help me" having been
learnt from progressive questions. When the message names relapsing MS and no progressive MS, a
progressive-MS guess becomes the question of how well it works (faq_effectiveness, whose answer is
about relapsing MS), with the same confidence."""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.component import ConfiguredComponent
from addons.nlu.ranking import put_first

PROGRESSIVE = "faq_progressive_ms"
RELAPSING_ANSWER = "faq_effectiveness"
_RELAPSING = re.compile(r"\b(?:rr ?ms|relapsing|remitting|relapse[- ]remitting)\b", re.IGNORECASE)
_PROGRESSIVE = re.compile(
    r"\b(?:prog\w*|pp ?ms|sp ?ms|pr ?ms|primary|secondary|non[- ]?active|inactive|not active)\b", re.IGNORECASE
)


def about_relapsing_ms_only(text: Any) -> bool:
    """Whether the message names relapsing(-remitting) MS and no progressive or inactive MS."""
    return isinstance(text, str) and bool(_RELAPSING.search(text)) and not _PROGRESSIVE.search(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RelapsingMsGuard(ConfiguredComponent):
    """See the module docstring. Runs after the classifier and the FallbackClassifier."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) == PROGRESSIVE and about_relapsing_ms_only(message.get(TEXT)):
                put_first(message, RELAPSING_ANSWER, float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0))
        return messages
