"""Rasa actions of the eligibility self-check (form eligibility_form): asking each question,
reading the answers, and the result. The logic is in actions.self_check; the texts in the
knowledge file (questions and criteria) and actions.messages (the assistant's own words)."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import entry_id_for_intent, self_check_question_reply, self_check_result_replies
from actions.knowledge import MS_TYPES
from actions.messages import (
    CHECK_ALREADY_KNOWN_TEXT,
    CHECK_CONTINUE_BUTTON,
    CHECK_FRUSTRATED_TEXT,
    CHECK_NOT_UNDERSTOOD_TEXT,
    CHECK_PAUSED_TEXT,
    CHECK_STOPPED_TEXT,
    TALK_TO_SOMEONE_BUTTON,
)
from actions.self_check import SelfCheck, compare, interpret, wants_to_stop
from actions.store import get_knowledge
from actions.summary import CHECK_ANSWERS_SLOT, answers_in_slots
from actions.support import send_support
from actions.tracker_utils import asks_a_question, latest_intent, recent_crisis

logger = logging.getLogger(__name__)

FORM = "eligibility_form"
REQUESTED_SLOT = "requested_slot"
STOPPED_SLOT = "check_stopped"
PAUSED_SLOT = "check_paused"
FEELINGS_INTENT = "express_feelings"
FRUSTRATION_INTENT = "insult"
# "this is pointless, nothing works for me" is read as a feeling at 0.62: below a question's bar,
# but a feeling wrongly taken for one costs only a pause with "Go on with the check".
FEELINGS_CONFIDENCE = 0.5
START_INTENT = "start_eligibility_check"
# A message that is not an answer but is confidently an AHSCT question gets "I can answer that after the check".
QUESTION_CONFIDENCE = 0.7


def self_check() -> SelfCheck:
    check = get_knowledge().self_check
    if check is None:  # the loader refuses a knowledge file without one
        raise RuntimeError("the knowledge file has no self_check section")
    return check


def clear_answers(check: SelfCheck) -> list[EventType]:
    return [SlotSet(question.slot, None) for question in check.questions]


def end_self_check_events(tracker: Tracker) -> list[EventType]:
    """Ends a running self-check (used when a safety notice or a helpline takes over)."""
    if (tracker.active_loop or {}).get("name") != FORM:
        return []
    return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *clear_answers(self_check())]


# "yes, what happens next?" answers and asks; a longer question with "yes" in it only asks.
QUESTION_WORDS = 6


def is_a_question_not_an_answer(text: str) -> bool:
    return asks_a_question(text) and len(text.split()) > QUESTION_WORDS


class ValidateEligibilityForm(FormValidationAction):
    """Reads the typed or button answer to the question just asked."""

    def name(self) -> str:
        return "validate_eligibility_form"

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        check = self_check()
        slot = tracker.get_slot(REQUESTED_SLOT) or ""
        question = check.question_for_slot(slot)
        text = tracker.get_slot(slot) if slot else None  # what the person just typed (from_text)
        if question is None or text is None:
            return []
        answer = interpret(question, str(text))
        intent = latest_intent(tracker)
        confidence = float(((tracker.latest_message or {}).get("intent") or {}).get("confidence") or 0.0)
        asked_a_question = entry_id_for_intent(intent) is not None and confidence >= QUESTION_CONFIDENCE
        if answer is not None and asked_a_question and is_a_question_not_an_answer(str(text)):
            # "and how long does the whole thing take if they say yes" was taken as "Yes" (a fifth stranger).
            answer = None
        if wants_to_stop(str(text), intent, answer):
            dispatcher.utter_message(text=CHECK_STOPPED_TEXT)
            return [*clear_answers(check), SlotSet(STOPPED_SLOT, True), SlotSet(REQUESTED_SLOT, None)]
        if answer is None and intent == START_INTENT:
            return [SlotSet(slot, None)]  # "Go on with the check" pressed again: the form asks, nothing more
        if answer is None and intent == FEELINGS_INTENT and confidence >= FEELINGS_CONFIDENCE:
            # "im scared of all this" in the middle of the check: the feeling first, never "Sorry, I
            # didn't catch that"; the answers so far wait for "Go on with the check".
            support = send_support(
                dispatcher,
                tracker,
                get_knowledge(),
                after_crisis=recent_crisis(tracker.events),
                closing=(CHECK_PAUSED_TEXT, [dict(CHECK_CONTINUE_BUTTON)]),
            )
            return [*support, *self.pause(slot)]
        if answer is None and intent == FRUSTRATION_INTENT and confidence >= QUESTION_CONFIDENCE:
            # "this is pointless", "this is useless"
            paused = f"{CHECK_FRUSTRATED_TEXT} {CHECK_PAUSED_TEXT}"
            dispatcher.utter_message(text=paused, buttons=[dict(CHECK_CONTINUE_BUTTON), dict(TALK_TO_SOMEONE_BUTTON)])
            return self.pause(slot)
        if answer is None and asked_a_question:
            # "im in australia btw, how do people get it here" got "I can answer it after the check" (a
            # nineteenth stranger, 2026-12-03): the question answered now, the check paused with its
            # answers kept, as for a feeling.
            from actions.actions import ActionAnswerFaq  # the answer action imports this module's neighbours

            answered = await ActionAnswerFaq().run(dispatcher, tracker, domain)
            dispatcher.utter_message(text=CHECK_PAUSED_TEXT, buttons=[dict(CHECK_CONTINUE_BUTTON)])
            return [*answered, *self.pause(slot)]
        if answer is None:
            dispatcher.utter_message(text=CHECK_NOT_UNDERSTOOD_TEXT)
            return [SlotSet(slot, None)]
        events: list[EventType] = [SlotSet(slot, answer)]
        if question.id == "ms_type" and answer in MS_TYPES:
            events.append(SlotSet("ms_type", answer))  # later answers use the MS-type variants too
        return events

    @staticmethod
    def pause(slot: str) -> list[EventType]:
        """Ends the form without a result; the answers given so far are kept (ActionSelfCheckResult)."""
        return [SlotSet(slot, None), SlotSet(PAUSED_SLOT, True), SlotSet(REQUESTED_SLOT, None)]


class AskSelfCheckQuestion(Action, ABC):
    """Asks one question of the self-check; the first one comes after the introduction.

    Abstract, so rasa_sdk does not register it: it registers every Action subclass it has
    imported that is not abstract (this base once showed up as a stray `action_ask_check_`).
    """

    @property
    @abstractmethod
    def question_id(self) -> str:
        """The id of the question in the knowledge file's self_check section."""

    def name(self) -> str:
        return f"action_ask_check_{self.question_id}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        check = self_check()
        question = check.question(self.question_id)
        if question is None:
            raise RuntimeError(f"no self_check question '{self.question_id}' in the knowledge file")
        if latest_intent(tracker) == START_INTENT:  # the check has just started
            known = [q.label for q in check.questions if tracker.get_slot(q.slot)]
            intro = f"{check.intro} {CHECK_ALREADY_KNOWN_TEXT.format(', '.join(known))}" if known else check.intro
            dispatcher.utter_message(text=intro)
        reply = self_check_question_reply(question)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return []


# One ask action per question of the knowledge file, written out so that importing this module
# reads no file (the knowledge file is read on first use, actions.store). domain.yml lists the
# same names; tests/test_self_check.py checks that the three agree.
class ActionAskCheckMsType(AskSelfCheckQuestion):
    question_id = "ms_type"


class ActionAskCheckAge(AskSelfCheckQuestion):
    question_id = "age"


class ActionAskCheckYears(AskSelfCheckQuestion):
    question_id = "years"


class ActionAskCheckWalking(AskSelfCheckQuestion):
    question_id = "walking"


class ActionAskCheckDmtFailed(AskSelfCheckQuestion):
    question_id = "dmt_failed"


class ActionAskCheckActivity(AskSelfCheckQuestion):
    question_id = "activity"


ASK_ACTIONS: list[type[AskSelfCheckQuestion]] = [
    ActionAskCheckMsType,
    ActionAskCheckAge,
    ActionAskCheckYears,
    ActionAskCheckWalking,
    ActionAskCheckDmtFailed,
    ActionAskCheckActivity,
]


class ActionSelfCheckResult(Action):
    """Sets the answers beside the criteria, or does nothing more if the person stopped."""

    def name(self) -> str:
        return "action_self_check_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        check = self_check()
        if tracker.get_slot(PAUSED_SLOT):
            return [SlotSet(PAUSED_SLOT, None)]  # the answers wait for "Go on with the check"
        reset = [*clear_answers(check), SlotSet(STOPPED_SLOT, None)]
        if tracker.get_slot(STOPPED_SLOT):
            return reset
        knowledge = get_knowledge()
        comparison = compare(check, {q.id: tracker.get_slot(q.slot) for q in check.questions})
        for reply in self_check_result_replies(knowledge, comparison):
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        logger.info("self-check result sent")
        # Kept for the neurologist summary: the check's own slots are emptied so that a new check asks again.
        kept = SlotSet(CHECK_ANSWERS_SLOT, answers_in_slots(check, tracker.slots) or None)
        return [*reset, kept, SlotSet("last_topic", "eligibility")]
