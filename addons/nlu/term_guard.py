"""NLU component: a question about what a word means ("what is neda", "what is a relapse exactly?",
"what is jacie?") is `define_term`, answered from the knowledge file's glossary. All three got the
"what is AHSCT" answer (faq_what_is_ahsct 0.64 to 0.85; a fourth stranger's first messages,
2026-12-01).

actions/glossary.py decides, by the words of the glossary, so the intent is set only when there is a
definition to give, also in place of a situation told with the question. The classifier is not
trained on `define_term` (config.yml: its training lines in data/nlu/glossary.yml document the
intent); a message given it some other way without a term asked gets the next intent instead. A
safety intent, a command or feelings are never changed."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.glossary import term_asked
from actions.store import get_knowledge
from addons.nlu.component import ConfiguredComponent
from addons.nlu.ranking import FALLBACK, put_first, ranking

DEFINE_TERM = "define_term"
# The intents a question about a word may replace: a topic, not understood, or a situation told with
# it ("wat does EDSS mean? doc said hes 6.5" got the offer of the self-check: an eighth stranger).
_REPLACEABLE = frozenset({"out_of_scope", FALLBACK, DEFINE_TERM, "followup_context", "ask_more", "describe_situation"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TermQuestionGuard(ConfiguredComponent):
    """See the module docstring. Runs last."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"fallback_threshold": 0.15}

    def __init__(self, config: dict[str, Any]) -> None:
        self.fallback_threshold = float(config.get("fallback_threshold", 0.15))

    def process(self, messages: list[Message]) -> list[Message]:
        glossary = get_knowledge().glossary
        for message in messages:
            name = str((message.get(INTENT) or {}).get(INTENT_NAME_KEY) or "")
            if not (name.startswith("faq_") or name in _REPLACEABLE):
                continue
            if term_asked(message.get(TEXT), glossary):
                put_first(message, DEFINE_TERM, 1.0)
            elif name == DEFINE_TERM:
                following = [r for r in ranking(message) if r[INTENT_NAME_KEY] != DEFINE_TERM][:1]
                if following and float(following[0][PREDICTED_CONFIDENCE_KEY]) >= self.fallback_threshold:
                    put_first(message, following[0][INTENT_NAME_KEY], float(following[0][PREDICTED_CONFIDENCE_KEY]))
                else:
                    put_first(message, FALLBACK, 1.0)
        return messages
