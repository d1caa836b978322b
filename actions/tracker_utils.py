"""What the conversation so far says: helpers over a rasa_sdk Tracker and its events, shared by
the actions. No replies are made here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.answers import answer_key
from actions.knowledge import Entry, Knowledge, Part, Place
from actions.places import mentioned_places, stated_place
from actions.points import Point
from actions.topics import lowered

REGION_SLOT = "region"
ANSWERED_SLOT = "answered"
ANSWER_ACTIONS = frozenset({"action_answer_faq", "action_follow_up", "action_self_check_result"})
# A crisis reply colours the next few turns: feelings get support, not topic content.
SUPPORT_TURNS = 3
_QUESTION_START = re.compile(
    r"^\s*(?:(?:and|but|so|ok|okay|also)\b,?\s*)?"
    r"(?:what|whats|what's|how|is|are|can|could|does|do|did|will|would|should|when|where|wheres|where's|who|whos|who's|why|which"
    r"|tell me|explain|any|has|have)\b",
    re.IGNORECASE,
)


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_confidence(tracker: Tracker) -> float:
    return float(((tracker.latest_message or {}).get("intent") or {}).get("confidence") or 0.0)


def latest_text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def canonical_slot(tracker: Tracker, knowledge: Knowledge, name: str) -> str | None:
    """The slot's value mapped to a knowledge-file term key (e.g. 'RRMS' -> 'relapsing')."""
    return knowledge.canonical(name, tracker.get_slot(name))


def from_button(tracker: Tracker) -> bool:
    """Whether the latest message was a button's payload ("/intent{...}") rather than typed."""
    return latest_text(tracker).startswith("/")


@dataclass
class Whereabouts:
    """The place an answer is written for, and the events that remember the person's own place."""

    place: Place
    events: list[dict[str, Any]] = field(default_factory=list)
    stated: bool = False  # the person said where they live in this message


def lives_in(tracker: Tracker, knowledge: Knowledge, said: str) -> Whereabouts:
    """The place (key `said`) the person says they live in, kept in the region slot."""
    place = knowledge.place(said)
    key = place.country or place.region
    events = [SlotSet(REGION_SLOT, key)] if key and tracker.get_slot(REGION_SLOT) != key else []
    return Whereabouts(place, events, stated=True)


def whereabouts(tracker: Tracker, knowledge: Knowledge) -> Whereabouts:
    """Where to answer for: the place the person says they live in this message (kept for later),
    else the place kept from before, else a UK, US or EU place this message asks about (for this
    answer only: "can I get it on the NHS?"). A destination ("clinics in Mexico") is never used.
    A region button ("/followup_context{"region": "uk"}") says where the person lives."""
    said = stated_place(latest_text(tracker), knowledge)
    if said is None and from_button(tracker):
        named = [
            e.get("value")
            for e in (tracker.latest_message or {}).get("entities") or []
            if e.get("entity") == REGION_SLOT
        ]
        said = next((str(v) for v in named if knowledge.place(v).region), None)
    if said is not None:
        return lives_in(tracker, knowledge, said)
    kept = knowledge.place(tracker.get_slot(REGION_SLOT))
    if kept.region:
        return Whereabouts(kept)
    for key in mentioned_places(latest_text(tracker), knowledge):
        place = knowledge.place(key)
        if place.region in ("uk", "us", "eu"):
            return Whereabouts(place)
    return Whereabouts(Place())


def normalised_ms_type_events(tracker: Tracker, ms_type: str | None) -> list[dict[str, Any]]:
    """Keep the normalised MS type ("RRMS" -> "relapsing") so later turns see the same key."""
    return [SlotSet("ms_type", ms_type)] if ms_type and tracker.get_slot("ms_type") != ms_type else []


def session_started_at(events: list[dict[str, Any]]) -> str:
    """When the current session started (its session_started event's time), as a key."""
    for event in reversed(events or []):
        if event.get("event") == "session_started":
            return str(event.get("timestamp") or "")
    return ""


def answered_before(tracker: Tracker) -> list[str]:
    """The answers shown in this session ("<session start>|<entry>:<variant>"); the slot is carried
    into a new session with the others, so earlier sessions' are dropped here."""
    return shown_in_session(tracker.get_slot(ANSWERED_SLOT), tracker.events)


def shown_in_session(answered: Any, events: list[dict[str, Any]]) -> list[str]:
    """The `answered` slot's keys of the session the events are in (for a tracker's state as the
    Rasa server keeps it, too: the summary channel)."""
    session = session_started_at(events) + "|"
    return [str(v) for v in answered if str(v).startswith(session)] if isinstance(answered, list) else []


def sent_in_session(events: list[dict[str, Any]], start: str) -> bool:
    """Whether the bot sent a message starting with `start` in this session."""
    for event in reversed(events or []):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "bot" and str(event.get("text") or "").startswith(start):
            return True
    return False


def last_reply_contains(events: list[dict[str, Any]], text: str) -> bool:
    """Whether the bot's reply to the person's message before this one holds `text`."""
    users = 0
    for event in reversed(events or []):
        if event.get("event") == "user":
            users += 1
            if users > 1:
                return False
        elif event.get("event") == "bot" and users == 1 and text in str(event.get("text") or ""):
            return True
        elif event.get("event") in ("session_started", "restart"):
            return False
    return False


def shown_key(tracker: Tracker, entry: Entry, part: Part) -> str:
    """How this session remembers that `part` of `entry` was shown (for "As above")."""
    return session_started_at(tracker.events) + "|" + answer_key(entry, part)


def point_key(tracker: Tracker, point: Point) -> str:
    """How this session remembers that a point's text was shown."""
    return shown_key(tracker, point.entry, point.part)


def previous_action(events: list[dict[str, Any]]) -> str | None:
    """The last action the bot ran before the person's latest message."""
    seen_user = False
    for event in reversed(events or []):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def misunderstandings_in_a_row(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(events or []):
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if name != "nlu_fallback":
            break
        count += 1
    return count


def is_first_turn(events: list[dict[str, Any]]) -> bool:
    """True while the person's first message of the session is being answered."""
    users = 0
    for event in reversed(events or []):
        if event.get("event") == "session_started":
            break
        if event.get("event") == "user":
            users += 1
    return users == 1


def welcome_shown(events: list[dict[str, Any]]) -> bool:
    """Whether this session's welcome (which carries the note on what the assistant is) was sent."""
    for event in reversed(events or []):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "action" and event.get("name") == "utter_welcome":
            return True
    return False


def recent_safety_notice(events: list[dict[str, Any]], turns: int = SUPPORT_TURNS) -> str | None:
    """The intent ("crisis", "red_flag") of the message that a safety notice answered, when it was
    one of the person's last `turns` messages before this one; None when there was none."""
    users = 0
    notice_sent = False
    for event in reversed(events or []):
        if event.get("event") == "user":
            if notice_sent:  # the message the notice answered
                return ((event.get("parse_data") or {}).get("intent") or {}).get("name") or "crisis"
            users += 1
            if users > turns + 1:
                return None
        elif event.get("event") == "action" and event.get("name") == "action_safety_notice" and users >= 1:
            notice_sent = True
        elif event.get("event") in ("restart", "session_started"):
            break
    return "crisis" if notice_sent else None


def recent_crisis(events: list[dict[str, Any]], turns: int = SUPPORT_TURNS) -> bool:
    """Whether crisis lines were sent in answer to one of the person's last `turns` messages
    before this one. The warning-signs notice ("call your transplant team now") does not count:
    after it, "If you feel unsafe, the lines above are there" would point at lines never sent."""
    return recent_safety_notice(events, turns) not in (None, "red_flag")


def recent_warning_sign(events: list[dict[str, Any]], turns: int = SUPPORT_TURNS) -> bool:
    """Whether the warning-signs notice answered one of the person's last `turns` messages."""
    return recent_safety_notice(events, turns) == "red_flag"


_SENTENCE_END = re.compile(r"[.!?;\n]+")


def asks_a_question(text: str) -> bool:
    """Whether the message reads as a question: a question mark, or a question word first in any
    of its sentences ("no fever. im just scared. what should i be watching for")."""
    return "?" in text or any(_QUESTION_START.match(sentence) for sentence in _SENTENCE_END.split(text))


def previous_user_message(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The person's message before the latest one."""
    users = [e for e in events or [] if e.get("event") == "user"]
    return users[-2] if len(users) >= 2 else None


def session_user_texts(events: list[dict[str, Any]]) -> list[str]:
    """What the person typed in this session, oldest first."""
    texts: list[str] = []
    for event in reversed(events or []):
        if event.get("event") in ("restart", "session_started"):
            break
        if event.get("event") == "user":
            texts.append(str(event.get("text") or ""))
    return texts[::-1]


# Told that the transplant has happened ("i had ahsct in march", "4 months after", "hes 12 days post",
# "since she was discharged"); not a question about afterwards ("what happens after the transplant").
# Not stem cell injections ("my cousin got stem cell injections at some place in panama for her knees"
# made "how do i bring up hsct with my neuro" get the transplant team's number: a twentieth stranger).
_HAD_THE_TRANSPLANT = re.compile(
    # Not a "what if": "if i had hsct and it came back could i have it again" got the transplant team's
    # number for every question after it (a twenty-fifth stranger, 2026-12-03).
    r"(?<!\bif i )(?<!\bif he )(?<!\bif she )(?<!\bif we )(?<!\bif you )(?<!\bif they )(?<!\bif )"
    r"\b(?:had|got|finished|since)(?: (?:my|his|her|the|our|their|a|an))? (?:a?hsct|transplant|stem cells?"
    r"|stem cell transplant|treatment)\b(?! (?:yet|soon|next|injections?|shots?|jabs?|infusions?|drips?|therapy))"
    r"|\b(?:\d+|one|two|three|four|five|six) (?:days?|weeks?|wks?|months?|years?) (?:after|since|post)\b"
    r"|\b(?:\d+|one|two|three|four|five|six) (?:weeks?|wks?|months?) out\b(?=.*\b(?:home|discharged|recover\w*)\b)"
    r"|\bpost[- ](?:a?hsct|transplant)\b(?=.*\b(?:now|im|i'?m|hes|he'?s|shes|she'?s|day|week|month)\b)"
    r"|\b(?:was|been|got) discharged\b"
)
# Intents that tell of a transplant that has happened.
_HAD_IT_INTENTS = frozenset({"in_treatment", "red_flag"})


def had_the_transplant(events: list[dict[str, Any]]) -> bool:
    """Whether the person said, in this session, that the transplant has happened (theirs or the
    person they write about): in words, news of it (in_treatment) or a warning sign after it."""
    for event in reversed(events or []):
        if event.get("event") in ("restart", "session_started"):
            return False
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent in _HAD_IT_INTENTS or _HAD_THE_TRANSPLANT.search(str(event.get("text") or "").lower()):
            return True
    return False


_SOMEONE_ELSE = re.compile(
    r"\bmy (?:son|daughter|wife|husband|partner|mum|mom|mother|dad|father|brother|sister|friend|boyfriend|girlfriend"
    r"|child|kid|fiance|fiancee)\b|\b(?:he|she|he'?s|she'?s|hes|shes|him)\b"
)
# The writer's own crisis words ("i want to die", "my life", "myself").
_MY_OWN = re.compile(
    r"\b(?:i|i'?m|im|i am|i'?ve|ive|i'?ll)\b[^.?!,]{0,30}\b(?:die|dying|dead|kill|end it|live|living|go on|point"
    r"|suicid\w*|hurt)\b|\bmyself\b|\bmy life\b|\bme dead\b"
)


def about_someone_else(text: str | None) -> bool:
    """Whether crisis words are about another person ("my son is saying he does not want to live"),
    not the writer ("my husband left and i want to die")."""
    if not isinstance(text, str):
        return False
    t = lowered(text)
    return bool(_SOMEONE_ELSE.search(t)) and not _MY_OWN.search(t)
