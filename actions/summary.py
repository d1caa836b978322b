"""The summary a person can take to their neurologist (issue 16): their self-check answers beside
the published criteria, the topics they asked about with one line and a source each, the questions
to ask, and the helpline for where they live.

Plain Python, no Rasa server import. It is built from what the conversation already holds (its slots and
events), never stored: the action builds it to say what it holds, and the summary channel
(addons/channels/summary.py) builds it again, from the stored conversation, for the web page and
the PDF (actions/summary_render.py). Nothing the person typed appears in it: answers are the
options of the self-check, topics are the knowledge file's own texts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from actions.answers import last_shown_part
from actions.knowledge import Knowledge, Place, Source
from actions.messages import CHECK_HEADINGS, SUMMARY_UNSURE_CRITERIA, SUMMARY_UNSURE_NOTE, SUMMARY_UNSURE_TEXT
from actions.places import place_name
from actions.self_check import UNSURE, SelfCheck, compare
from actions.tracker_utils import ANSWERED_SLOT, REGION_SLOT, shown_in_session

# The self-check's answers, kept when its result is shown ({question id: option value or "unsure"}):
# the check's own slots are emptied then, so that a second check asks again.
CHECK_ANSWERS_SLOT = "check_answers"
# The newest summary link's key; a link whose key is not this one no longer opens (start over
# empties it, and a new summary replaces it).
LINK_SLOT = "summary_link"

TAKEAWAY_CHARS = 60
# Topics shown with their line and source; the others are named in one line, so that the notes
# stay within two pages.
MAX_TOPICS_IN_FULL = 6
MAX_TOPICS_NAMED = 6
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class AnswerLine:
    """One of the person's answers and what the published criteria usually say about it."""

    question: str  # the question's label ("MS type")
    answer: str  # the option chosen ("Relapsing-remitting"), or "Not sure"
    reading: str | None  # favours | depends | against; None when the person was not sure
    criteria: str  # "Usually in favour", ...
    note: str


@dataclass(frozen=True)
class TopicLine:
    """A topic asked about in this conversation: its question, one line of its answer, a source."""

    question: str
    takeaway: str
    source: Source | None


@dataclass(frozen=True)
class Summary:
    made_on: dt.date
    answers: tuple[AnswerLine, ...]
    topics: tuple[TopicLine, ...]  # in full: at most MAX_TOPICS_IN_FULL
    also_asked: tuple[str, ...]  # the other topics' questions: at most MAX_TOPICS_NAMED
    more_topics: int  # how many more topics there were
    questions: tuple[str, ...]
    criteria_sources: tuple[Source, ...]
    criteria_reviewed: dt.date
    helpline: str
    helpline_sources: tuple[Source, ...]
    place: str | None  # "the UK", or None when the person has not said where they live
    paper: str  # "letter" in the US and Canada, "a4" elsewhere

    @property
    def empty(self) -> bool:
        """Nothing of the person's own yet: no answers and no topics."""
        return not self.answers and not self.topics


def answers_in_slots(check: SelfCheck, slots: Mapping[str, Any]) -> dict[str, str]:
    """The self-check's own slots that hold an answer ({question id: option value or "unsure"})."""
    answers: dict[str, str] = {}
    for question in check.questions:
        value = slots.get(question.slot)
        if isinstance(value, str) and (question.option(value) is not None or value == UNSURE):
            answers[question.id] = value
    return answers


def given_answers(knowledge: Knowledge, slots: Mapping[str, Any]) -> dict[str, str]:
    """The self-check answers the person gave ({question id: value}): those kept from the last
    check, then any given since (a situation they described fills the check's slots). Values that
    are not an option or "unsure" (text the check has not read yet) are left out."""
    check = knowledge.self_check
    if check is None:
        return {}
    kept = slots.get(CHECK_ANSWERS_SLOT)
    kept_slots = {q.slot: kept.get(q.id) for q in check.questions} if isinstance(kept, Mapping) else {}
    return {**answers_in_slots(check, kept_slots), **answers_in_slots(check, slots)}


def takeaway(text: str, at_least: int = TAKEAWAY_CHARS) -> str:
    """The answer's first sentence, and the next ones while it is shorter than `at_least`
    characters (an answer that starts "No." needs its reason)."""
    sentences = _FIRST_SENTENCE.split(text.strip())
    line = sentences[0]
    for sentence in sentences[1:]:
        if len(line) >= at_least:
            break
        line = f"{line} {sentence}"
    return line


def topics_asked(knowledge: Knowledge, shown: Sequence[str]) -> tuple[TopicLine, ...]:
    """Each topic answered in this conversation once, in the order first asked, with the text
    last shown for it (the variant for the person's place or MS type)."""
    lines: list[TopicLine] = []
    seen: set[str] = set()
    for key in shown:
        entry_id = key.rpartition("|")[2].partition(":")[0]
        entry = knowledge.get(entry_id)
        if entry is None or entry_id in seen:
            continue
        seen.add(entry_id)
        part = last_shown_part(entry, shown) or entry.answer_part
        lines.append(TopicLine(entry.question, takeaway(part.text), part.sources[0] if part.sources else None))
    return tuple(lines)


def build(knowledge: Knowledge, slots: Mapping[str, Any], events: list[dict[str, Any]], today: dt.date) -> Summary:
    """The summary of a conversation, from its slots and events (a tracker's state)."""
    check = knowledge.self_check
    if check is None:
        raise RuntimeError("the knowledge file has no self_check section")
    answers = given_answers(knowledge, slots)
    comparison = compare(check, answers)
    lines: list[AnswerLine] = []
    for question in check.questions:
        value = answers.get(question.id)
        option = question.option(value)
        if option is not None:
            criteria = CHECK_HEADINGS[option.reading].rstrip(":")
            lines.append(AnswerLine(question.label, option.title, option.reading, criteria, option.note))
        elif value == UNSURE:
            lines.append(
                AnswerLine(question.label, SUMMARY_UNSURE_TEXT, None, SUMMARY_UNSURE_CRITERIA, SUMMARY_UNSURE_NOTE)
            )
    topics = topics_asked(knowledge, shown_in_session(slots.get(ANSWERED_SLOT), events))
    others = [topic.question for topic in topics[MAX_TOPICS_IN_FULL:]]
    place = knowledge.place(slots.get(REGION_SLOT))
    helpline = knowledge.helpline(place.region).part_for(region=place.region, country=place.country)
    return Summary(
        made_on=today,
        answers=tuple(lines),
        topics=topics[:MAX_TOPICS_IN_FULL],
        also_asked=tuple(others[:MAX_TOPICS_NAMED]),
        more_topics=max(0, len(others) - MAX_TOPICS_NAMED),
        questions=comparison.neurologist_questions,
        criteria_sources=check.sources,
        criteria_reviewed=check.last_reviewed,
        helpline=helpline.text,
        helpline_sources=helpline.sources,
        place=place_name(knowledge, place) if place.region else None,
        paper=paper_for(place),
    )


def paper_for(place: Place) -> str:
    """US Letter where it is the usual paper, A4 elsewhere."""
    return "letter" if place.region == "us" or place.country == "canada" else "a4"
