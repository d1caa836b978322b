"""Right after the warning-signs notice ("Please act now ..."), a message about getting that help
("should we just go to the regular ER?", "anything i should tell them at the er", "we cant reach the
team") gets a direct answer: go, what to tell the staff. Whatever topic the classifier guessed, the
person is in the middle of an emergency."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import notice_text
from actions.knowledge import Knowledge
from actions.topics import lowered
from actions.tracker_utils import latest_text, recent_warning_sign, whereabouts

_GETTING_HELP = re.compile(
    r"\b(?:er|e\.r|a ?& ?e|a and e|emergency (?:room|department|dept|services|number|line)|casualty|hospital"
    r"|ambulance|paramedics?|911|999|112|000|111|urgent care|walk[- ]in|go in|go there|go now"
    r"|tell (?:them|the (?:doctors?|nurses?|staff|people))|say to them|(?:their|the|team'?s?) (?:number|phone)"
    r"|front desk|reception|triage|bring|pack|paracetamol|tylenol|acetaminophen|ibuprofen|calpol|panadol|wait and see"
    r"|can'?t (?:reach|get through|get hold|find)|no answer|not answering|(?:wait|leave it) (?:till|until|for)"
    r"|drive (?:her|him|them)|take (?:her|him|them) in"
    # The sign itself, or whether to call: "its 37.9", "is that a fever?", "bother the team on a sunday".
    r"|3[5-9](?:[.,]\d)?|9\d[.,]\d|10[0-4](?:[.,]\d)?|fever|temp|temperature|should (?:we|i) (?:call|ring|phone|go)"
    r"|call (?:them|the team)|bother\w*|weekend|sunday|saturday|tonight|overnight|middle of the night"
    r"|is (?:that|this|it) (?:a fever|normal|serious|bad|ok|okay))\b"
)


def asks_about_getting_help(text: str | None) -> bool:
    """Whether the message is about getting urgent care (the emergency department, an ambulance,
    the team's number, what to tell the staff, waiting) or about the sign itself (a temperature,
    whether it counts, whether to call)."""
    if not isinstance(text, str):
        return False
    return bool(_GETTING_HELP.search(lowered(text)))


def answer_emergency_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge) -> bool:
    """Sends the follow-up notice when the warning-signs notice answered one of the last few
    messages and this one is about getting help; whether it did."""
    if not (recent_warning_sign(tracker.events) and asks_about_getting_help(latest_text(tracker))):
        return False
    where = whereabouts(tracker, knowledge)
    dispatcher.utter_message(text=notice_text(knowledge.notices["red_flag_follow_up"], where.place))
    return True
