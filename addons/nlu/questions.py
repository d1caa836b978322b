"""NLU components for messages that ask two or more questions ("is it FDA approved and how much
would it cost"). The classifier gives a whole message one intent.

`SplitQuestions` (first in the pipeline) adds each question of the message (actions.topics.parts)
as a message of its own, so that every component after it, the classifier and the guards included,
works on each question too. `JoinQuestions` (last) takes them out again and writes on the message
`questions_asked`: the FAQ entry ids its questions ask about, in order (actions.topics.topic_of);
the action offers the first that was not answered under the answer.

- Safety first: a crisis or a warning sign that the SafetyGuard found in one question is the whole
  message's intent ("how much does it cost? he's 12 days post HSCT and shaking uncontrollably" was
  answered with the cost; the whole message's guard had missed it).
- When the classifier is sure (min_confidence) of an FAQ topic for every part of the message (a
  list of questions, not a story around one) and there are two or more, the first asked becomes the
  intent, with the lowest of those confidences, if the whole message got an FAQ intent, "not sure"
  or out of scope. A topic named only by words ("how much does a tesla cost") never does that. A
  first topic only told about, in a sentence ended by a full stop ("my neurologist mentioned the
  transplant but said nothing about cost."), gives way to the whole message's topic when a later
  question asks it ("does medicare cover it?"); docs/understanding.md has the measures.
- When the whole message got an FAQ topic below `unsure_whole` confidence that none of its two or
  more questions asks about, the first topic asked becomes the intent, with that confidence. So
  does a later question's topic that the whole message got below `min_confidence`, when the
  classifier was sure (at least `min_confidence`) of the question that asks the first topic.
- Command, situation, feelings and other intents are never changed. A message of one question, of
  more than MAX_PARTS or MAX_CHARS, or a button payload ("/intent") is left as it is.

Chosen on tuning sets written from the blind set's brief (80 two-question messages,
tests/nlu_tuning_two_questions.yml; 80 one-topic messages told with a story, tests/nlu_tuning_long.yml;
100 situations and detailed questions, tests/nlu_tuning_situations.yml), then hardened after an attack:

| rule | two questions: first answered, other offered | stories answered |
|---|---:|---:|
| whole message only | 0.263 | 0.812 |
| first asked always answered | 0.575 | 0.713 |
| first asked answered when every part names a topic | 0.538 | 0.812 |
| ... when the classifier is sure of every part (kept) | 0.500 | 0.812 |

The last costs 3 two-question messages against the one before, and turned 48 of 183 made-up
unrelated pairs ("is bitcoin safe? how much does it cost") from out of scope into AHSCT answers
into none; letting words count when the whole message already had an FAQ intent won the 3 back but
lost 3 of 40 detailed topic questions.

Then (2026-11-30, with the linear classifier and the short questions' training lines), the whole
message's unsure FAQ topic that no question asks about giving way to the first asked:

| rule | two questions (either order) | stories | detailed questions |
|---|---:|---:|---:|
| as before | 0.637 (0.713) | 0.950 | 0.950 |
| ... whenever the whole message's topic is not asked | 0.662 (0.738) | 0.950 (0.938 before those lines) | 0.950 |
| ... when also below 0.5, 0.6 (kept) or 0.7 confidence | 0.662 (0.738) | 0.950 | 0.950 |
| the first asked answered whenever the classifier was sure of it | 0.662 (0.725) | 0.912 | 0.925 |

With the kept rule the other sets (topics, unrelated, situations, the attack's 1,144 messages, 546
made-up unrelated pairs) did not move. The story lost without a confidence bar, on the model before
the short questions' lines, was about the 2025 UK study, which its parts, read alone, do not name.

Then (with MiniLM in the classifier), a later question's topic giving way to the first asked when
the classifier was sure of the first question's topic and not of the whole message's:

| the whole message's confidence below | two questions (either order) | attack questions (564) | everything else |
|---|---:|---:|---|
| never (as before) | 0.700 (0.775) | 537 | |
| 0.5, `min_confidence` (kept) | 0.713 (0.775) | 537 | unchanged |
| 0.6 | 0.713 (0.775) | 536 | unchanged |
| 0.7 | 0.725 (0.775) | 536 | unchanged |

The message it gains: "hi im from brazil. is hsct approved by anvisa or any regulator and do you know
a centre in sao paulo that does it" was answered with access; now approval first, access offered.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.answers import entry_id_for_intent, intent_for_entry
from actions.topics import MAX_PARTS, ended_by, is_told, parts, reads_as_question, topic_of, topics_asked
from addons.nlu.component import ConfiguredComponent
from addons.nlu.ranking import FALLBACK, put_first
from addons.nlu.safety import CRISIS, RED_FLAG, about_the_treatment, classify, names_a_sign, warning_sign_guess_stands
from addons.nlu.safety_guard import SAFETY_INTENTS
from addons.nlu.situation_guard import SITUATION
from addons.nlu.treatment_guard import names_only_this_treatment

QUESTIONS_ASKED = "questions_asked"  # in the parse data, and so in the tracker's latest message
# The same, of the parts worded as questions only: a story told around them is left out (the
# situation reply answers these, actions/support.py).
QUESTIONS_WORDED = "questions_worded"
PART_OF = "question_part_of"  # marks an added question: the index of its message in the batch
OUT_OF_SCOPE = "out_of_scope"
# Longer messages are stories, not lists of questions (the tuning sets' longest is 420 characters),
# and a 2,000-character message cut in six took 148 ms to parse against 71 ms whole.
MAX_CHARS = 600


def questions_of(text: Any) -> list[str]:
    """The questions a message is cut into here: none for one question, a payload or a story."""
    if not isinstance(text, str) or text.startswith("/") or len(text) > MAX_CHARS:
        return []
    questions = parts(text)
    if len(questions) > MAX_PARTS:
        # A long story around its questions: the questions alone ("...4 relapses and lost some sight in
        # one eye. Tysabri hasn't stopped it. ... Is it on the NHS? Where would he go? We're in Leeds."
        # had none read, so neither was answered: a twenty-eighth stranger, 2026-12-03).
        questions = [q for q in questions if _asked(q, text)]
    return questions if 2 <= len(questions) <= MAX_PARTS else []


def _a_situation(message: Message) -> bool:
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == SITUATION


def _asked(part: str, text: str) -> bool:
    """Whether a part of `text` is worded as a question or ended by a question mark."""
    return reads_as_question(part) or ended_by(part, text) == "?"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SplitQuestions(ConfiguredComponent):
    """See the module docstring. First in the pipeline; training data passes through unchanged."""

    def process(self, messages: list[Message]) -> list[Message]:
        added = []
        for index, message in enumerate(messages):
            if message.get(PART_OF) is not None:
                continue
            for question in questions_of(message.get(TEXT)):
                added.append(Message(data={TEXT: question, PART_OF: index}))
        return [*messages, *added]


def _raises(safety: str, question: Any, intent: dict, whole: Any) -> bool:
    """Whether one question's `intent` makes `safety` the whole message's. A warning sign that only
    the classifier saw (no pattern matched) counts when the message names some sign of illness and
    the guess can stand there (addons.nlu.safety.warning_sign_guess_stands): "my husband had his
    transplant 2 weeks ago and is home now" alone read as a warning sign, so "... what should we
    watch for?" got the emergency reply (a stranger's conversation, 2026-12-01)."""
    if intent.get(INTENT_NAME_KEY) != safety:
        return False
    if safety == CRISIS and CRISIS not in (classify(question), classify(whole)) and about_the_treatment(whole):
        # Only guessed, in a message that fears dying of the treatment or says self-harm is not meant ("what
        # if i do it and i die. my kids would grow up without me": a twentieth stranger, 2026-12-03).
        return False
    if safety != RED_FLAG or RED_FLAG in (classify(question), classify(whole)):
        return True
    return names_a_sign(whole) and warning_sign_guess_stands(whole)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class JoinQuestions(ConfiguredComponent):
    """See the module docstring. Last in the pipeline, after the guards."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_confidence": 0.5, "unsure_whole": 0.6}

    def __init__(self, config: dict[str, Any]) -> None:
        settings = {**self.get_default_config(), **config}
        self.min_confidence = float(settings["min_confidence"])
        self.unsure_whole = float(settings["unsure_whole"])

    def process(self, messages: list[Message]) -> list[Message]:
        whole = [m for m in messages if m.get(PART_OF) is None]
        for index, message in enumerate(whole):
            questions = [m for m in messages if m.get(PART_OF) == index]
            if questions and (len(parts(str(message.get(TEXT) or ""))) <= MAX_PARTS or _a_situation(message)):
                # The questions of a long story are read only for a situation reply, which answers them; on
                # the tuning sets, other long messages gained second answers nobody asked for ("What actually
                # can go wrong, and how often?" got the hospital stay too).
                self._join(message, questions)
        return whole

    def _join(self, message: Message, questions: list[Message]) -> None:
        name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""
        intents = [question.get(INTENT) or {} for question in questions]
        # Safety first: a crisis or a warning sign the guard found in one question is the message's.
        text = message.get(TEXT)
        for safety in SAFETY_INTENTS:
            pairs = zip(questions, intents, strict=True)
            if name not in SAFETY_INTENTS and any(_raises(safety, q.get(TEXT), i, text) for q, i in pairs):
                put_first(message, safety)
                name = safety
        topics, sure = [], []
        for question, intent in zip(questions, intents, strict=True):
            entry_id = entry_id_for_intent(intent.get(INTENT_NAME_KEY))
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            topics.append(topic_of(question.get(TEXT), entry_id, confidence, self.min_confidence))
            sure.append(confidence if entry_id and confidence >= self.min_confidence else None)
        asked = topics_asked(topics)
        message.set(QUESTIONS_ASKED, asked, add_to_output=True)
        worded = topics_asked(
            [t for q, t in zip(questions, topics, strict=True) if reads_as_question(str(q.get(TEXT) or ""))]
        )
        message.set(QUESTIONS_WORDED, worded, add_to_output=True)
        # The first topic asked is answered only when the classifier was sure of every question's
        # topic: words alone ("how much does a tesla cost") never turn a message into an AHSCT one.
        whole_entry = entry_id_for_intent(name)
        if (
            name == OUT_OF_SCOPE
            and names_only_this_treatment(text)
            and all(i.get(INTENT_NAME_KEY) != OUT_OF_SCOPE for i in intents)
        ):
            # Declined as a whole, though one question is about the treatment the message names and
            # none is out of scope ("i just got diagnosed with rrms last month, im 26. my friend said
            # theres a stem cell thing that cures ms??": a stranger, 2026-12-02). Not "my mum is
            # donating stem cells to her brother who has lymphoma. is it risky for her as the donor".
            first = next(((t, c) for t, c in zip(topics, sure, strict=True) if t and c is not None), None)
            if first:
                put_first(message, intent_for_entry(first[0]), first[1])
                return
        if name == OUT_OF_SCOPE:
            # Declined as a whole for an aside ("ok so basically i have to try the drugs first before hsct??
            # also random but whats a healthy fast food place": an eighth stranger): a question that
            # itself names the treatment, and that the classifier was sure of, is answered.
            own = next(
                (
                    (t, c)
                    for q, t, c in zip(questions, topics, sure, strict=True)
                    if t and c is not None and names_only_this_treatment(q.get(TEXT))
                ),
                None,
            )
            if own:
                put_first(message, intent_for_entry(own[0]), own[1])
                return
        if len(asked) >= 2 and None not in sure and (whole_entry or name in (FALLBACK, OUT_OF_SCOPE)):
            # A topic only told about ("my neurologist in brisbane mentioned the transplant but said
            # nothing about cost.") gives way to the whole message's when a question asks about that
            # one ("does medicare cover it?": a ninth tuning set's writer).
            not_told = [t for q, t in zip(questions, topics, strict=True) if not is_told(str(q.get(TEXT) or ""), text)]
            told_first = asked[0] not in not_told
            answered = whole_entry if whole_entry is not None and whole_entry in worded and told_first else asked[0]
            put_first(message, intent_for_entry(answered), min(c for c in sure if c is not None))
        elif len(asked) >= 2 and whole_entry and whole_entry != asked[0]:
            confidence = float((message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            first_sure = any(t == asked[0] and c is not None for t, c in zip(topics, sure, strict=True))
            # An FAQ topic the classifier was unsure of for the whole message, and that none of its
            # questions asks about, gives way to the first topic asked ("is it safe tho?? and should
            # i try lemtrada first" was answered with treatment abroad at 0.38). So does a later
            # question's topic that it was less sure of than of the first question's ("is hsct
            # approved by anvisa ... and do you know a centre in sao paulo" was answered with access).
            if (whole_entry not in asked and confidence < self.unsure_whole) or (
                whole_entry in asked and first_sure and confidence < self.min_confidence
            ):
                put_first(message, intent_for_entry(asked[0]), confidence)
