"""NLU components for messages that ask two or more questions ("is it FDA approved and how much
would it cost"). The classifier gives a whole message one intent.

`SplitQuestions` (first in the pipeline) adds each question of the message (actions.topics.parts)
as a message of its own, so that every component after it, the classifier and the guards included,
works on each question too. `JoinQuestions` (last) takes them out again and writes on the message
`questions_asked`: the FAQ entry ids its questions ask about, in order (actions.topics.topic_of);
the action offers the first that was not answered under the answer. When every part of the message
asks about a topic (a list of questions, not a story around one) and there are two or more, the
first asked becomes the message's intent, if the whole message got an FAQ intent, "not sure" or out
of scope. Crisis, warning-sign, command and other intents are never changed. A message of one
question, of more than MAX_PARTS, or a button payload ("/intent") is left as it is.

Chosen on two tuning sets written from the blind set's brief: 80 two-question messages
(tests/nlu_tuning_two_questions.yml) and 80 one-topic messages told with a story
(tests/nlu_tuning_long.yml). First topic answered and the other offered: 0.26 with the whole message
only, 0.58 with the first asked always the intent, 0.54 as here. One-topic stories answered: 0.81
with the whole message, 0.71 with the first asked always the intent, 0.81 as here.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.answers import entry_id_for_intent, intent_for_entry
from actions.topics import MAX_PARTS, parts, topic_of, topics_asked
from addons.nlu.ranking import FALLBACK, put_first

QUESTIONS_ASKED = "questions_asked"  # in the parse data, and so in the tracker's latest message
PART_OF = "question_part_of"  # marks an added question: the index of its message in the batch
OUT_OF_SCOPE = "out_of_scope"


def questions_of(text: Any) -> list[str]:
    """The questions a message is cut into here: none for one question, a payload or a story."""
    if not isinstance(text, str) or text.startswith("/"):
        return []
    questions = parts(text)
    return questions if 2 <= len(questions) <= MAX_PARTS else []


class _Stateless(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_confidence": 0.5}

    def __init__(self, config: dict[str, Any]) -> None:
        self.min_confidence = float(config.get("min_confidence", 0.5))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _Stateless:
        return cls(config)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SplitQuestions(_Stateless):
    """See the module docstring. First in the pipeline; training data passes through unchanged."""

    def process(self, messages: list[Message]) -> list[Message]:
        added = []
        for index, message in enumerate(messages):
            if message.get(PART_OF) is not None:
                continue
            for question in questions_of(message.get(TEXT)):
                added.append(Message(data={TEXT: question, PART_OF: index}))
        return [*messages, *added]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class JoinQuestions(_Stateless):
    """See the module docstring. Last in the pipeline, after the guards."""

    def process(self, messages: list[Message]) -> list[Message]:
        whole = [m for m in messages if m.get(PART_OF) is None]
        for index, message in enumerate(whole):
            questions = [m for m in messages if m.get(PART_OF) == index]
            if questions:
                self._join(message, questions)
        return whole

    def _join(self, message: Message, questions: list[Message]) -> None:
        topics = []
        for question in questions:
            intent = question.get(INTENT) or {}
            entry_id = entry_id_for_intent(intent.get(INTENT_NAME_KEY))
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            topics.append(topic_of(question.get(TEXT), entry_id, confidence, self.min_confidence))
        asked = topics_asked(topics)
        message.set(QUESTIONS_ASKED, asked, add_to_output=True)
        name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""
        every_part_asks = None not in topics
        if len(asked) >= 2 and every_part_asks and (entry_id_for_intent(name) or name in (FALLBACK, OUT_OF_SCOPE)):
            put_first(message, intent_for_entry(asked[0]))
