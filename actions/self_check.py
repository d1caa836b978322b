"""The eligibility self-check: its questions (from the knowledge file), reading free-text answers,
and the comparison with published criteria. Plain Python, no Rasa import.

The result is never a verdict: it sets each answer beside what the criteria usually say
(favours, depends, against) and lists questions to take to the neurologist.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# The self-check's data (its questions and options, as the knowledge file gives them) is part of the
# knowledge model; its section of the file is declared in actions/self_check_schema.py.
from actions.knowledge.model import NUMBER_KINDS, READINGS, SLOT_PREFIX, Option, Question, SelfCheck

__all__ = [
    "MAX_NEUROLOGIST_QUESTIONS",
    "NUMBER_KINDS",
    "READINGS",
    "SKIPPED",
    "SKIP_PHRASES",
    "SLOT_PREFIX",
    "STOP_INTENTS",
    "UNSURE",
    "Comparison",
    "Option",
    "Question",
    "SelfCheck",
    "compare",
    "interpret",
    "normalise",
    "wants_to_stop",
]

SKIPPED = "skip"  # the person chose not to answer
UNSURE = "unsure"  # the person does not know
MAX_NEUROLOGIST_QUESTIONS = 6

# What people type to pass on a question, or to say they do not know. Checked before the
# options, so "no idea" is not read as "no". The stop command's guard (addons/nlu/commands.py)
# reads them too: a message that uses them is not the stop command unless it is one as a whole.
SKIP_PHRASES = (
    "skip",
    "skp",
    "pass",
    "next",
    "next question",
    "move on",
    "rather not",
    "prefer not",
    "rather not say",
    "prefer not to say",
    "don't want to say",
    "dont want to say",
    "no comment",
    "leave it",
    "leave that",
)
_UNSURE_PHRASES = (
    "not sure",
    "unsure",
    "don't know",
    "dont know",
    "do not know",
    "idk",
    "no idea",
    "dunno",
    "no clue",
    "not certain",
    "can't remember",
    "cant remember",
    "cannot remember",
    "don't remember",
    "dont remember",
)
_YEAR_RE = re.compile(r"\b(19[3-9]\d|20\d\d)\b")
_NUMBER_RE = re.compile(r"\b(\d{1,3})(?:\s*(?:s|'s))?\b")
_SHORT_UNIT_RE = re.compile(r"\b\d+\s*(?:months?|mths?|mos?|weeks?|wks?|days?)\b")
# An age, said at a question about years: "im 33" at "How long ago did your MS symptoms start?" was read as
# 10 years or more (a twenty-fifth stranger, 2026-12-03).
_AGE_SAID_RE = re.compile(
    r"\b(?:i'?m|im|i am|age|aged|she'?s|he'?s|shes|hes)\s+\d{1,3}\b|\b\d{1,3}\s*(?:years? old|yrs? old|yo)\b"
)


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, punctuation (hyphens included) as spaces."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return " ".join(text.split())


def _phrase_pattern(phrase: str) -> str:
    return rf"(?<![a-z0-9']){re.escape(normalise(phrase))}(?![a-z0-9'])"


def _find(phrase: str, text: str) -> re.Match[str] | None:
    return re.search(_phrase_pattern(phrase), text)


# "no", "not", "never", "-n't" up to three words before an answer's words, within one clause:
# "i have not had any relapses", "my ms is not active" (read as relapses and active, the opposite,
# until 2026-12-01). "no new lesions but a relapse in march" still says a relapse.
_NEGATION = re.compile(
    r"(?:\b(?:no|not|never|without|nor|havent|hasnt|hadnt|didnt|dont|doesnt|isnt|wasnt|arent|werent)|n't)"
    r"(?: (?!but\b|and\b|though\b|although\b|however\b|yet\b|so\b)\S+){0,3} $"
)


def _negated(text: str, start: int) -> bool:
    return _NEGATION.search(text[:start]) is not None


def readings(question: Question, text: str) -> list[tuple[str, Option]]:
    """(phrase, option) for each of the question's phrases found in normalised `text`, with what it
    says there: a negated phrase of a yes/no question ("not active", "not stable") reads as the other answer, and
    of any other question as nothing."""
    by_value = {option.value: option for option in question.options}
    yes_no = set(by_value) == {"yes", "no"}
    found = []
    for option in question.options:
        for phrase in (option.title, *option.words):
            # A phrase that is a negation itself ("didn't work") keeps its meaning.
            negative = _NEGATION.search(f"{normalise(phrase)} ") is not None
            for match in re.finditer(_phrase_pattern(phrase), text):
                if negative or not _negated(text, match.start()):
                    found.append((phrase, option))
                elif yes_no:
                    # "not relapse free", "never been stable": a negated "no" phrase is a yes (review 20).
                    found.append((phrase, by_value["no" if option.value == "yes" else "yes"]))
    return found


def _remove_phrases(text: str, phrases: Sequence[str]) -> tuple[str, bool]:
    found = False
    for phrase in sorted(phrases, key=len, reverse=True):
        while (match := _find(phrase, text)) is not None:
            found = True
            text = f"{text[: match.start()]} {text[match.end() :]}"
    return " ".join(text.split()), found


def _by_words(question: Question, text: str) -> Option | None:
    """The option with the longest phrase found in the text ("no new lesions" beats "new lesions")."""
    best: tuple[int, Option] | None = None
    for phrase, option in readings(question, text):
        if best is None or len(normalise(phrase)) > best[0]:
            best = (len(normalise(phrase)), option)
    return best[1] if best else None


def _number(question: Question, text: str, today: dt.date) -> int | None:
    """A typed age or number of years; a calendar year ("diagnosed in 2016", "born 1980") counts from today."""
    year = _YEAR_RE.search(text)
    if year and int(year.group(1)) <= today.year:
        return today.year - int(year.group(1))
    if question.number == "years" and _SHORT_UNIT_RE.search(text):
        return 0
    if question.number == "years" and _AGE_SAID_RE.search(text):
        return None
    match = _NUMBER_RE.search(text)
    if match and int(match.group(1)) <= 110:
        return int(match.group(1))
    return None


def interpret(question: Question, text: str | None, today: dt.date | None = None) -> str | None:
    """What a typed or button answer means: an option's value, SKIPPED, UNSURE, or None if unclear."""
    today = today or dt.date.today()
    said = normalise(text or "")
    if not said:
        return None
    for choice in question.options:
        if said == normalise(choice.title):
            return choice.value
    rest, skipped = _remove_phrases(said, SKIP_PHRASES)
    if skipped:
        return SKIPPED
    rest, unsure = _remove_phrases(rest, _UNSURE_PHRASES)
    option = _by_words(question, rest)
    if option is None and question.number:
        number = _number(question, rest, today)
        option = next((o for o in question.options if o.holds(number)), None) if number is not None else None
    if option is not None:
        return option.value
    return UNSURE if unsure else None


@dataclass(frozen=True)
class Comparison:
    """The person's answers set beside the criteria, grouped for the result message."""

    by_reading: Mapping[str, tuple[tuple[Question, Option], ...]]
    skipped: tuple[Question, ...]
    unsure: tuple[Question, ...]
    neurologist_questions: tuple[str, ...]

    @property
    def answered(self) -> bool:
        return any(self.by_reading.values())


def _reading(question: Question, option: Option, answers: Mapping[str, str | None]) -> str:
    """What the criteria usually say of an answer, given the others: progressive MS with relapses or new
    lesions in the last year depends on the centre (guidelines consider progressive MS with active
    inflammation; it counted against a twenty-first stranger's SPMS with relapses, 2026-12-03)."""
    if question.id == "ms_type" and option.value == "progressive" and answers.get("activity") == "yes":
        return "depends"
    return option.reading


def compare(check: SelfCheck, answers: Mapping[str, str | None]) -> Comparison:
    """Group the answers (question id -> value) by what the criteria usually say about them."""
    by_reading: dict[str, list[tuple[Question, Option]]] = {reading: [] for reading in READINGS}
    skipped: list[Question] = []
    unsure: list[Question] = []
    asks: list[str] = []
    for question in check.questions:
        value = answers.get(question.id)
        option = question.option(value)
        if option is not None:
            by_reading[_reading(question, option, answers)].append((question, option))
            if option.ask:
                asks.append(option.ask)
        elif value == UNSURE:
            unsure.append(question)
            asks.append(question.unsure_ask)
        else:
            skipped.append(question)
    # The answers' own questions first, but always room for two general ones (the referral question).
    own = list(dict.fromkeys(asks))[: MAX_NEUROLOGIST_QUESTIONS - 2]
    unique = tuple(dict.fromkeys([*own, *check.neurologist_questions]))[:MAX_NEUROLOGIST_QUESTIONS]
    return Comparison(
        by_reading={reading: tuple(items) for reading, items in by_reading.items()},
        skipped=tuple(skipped),
        unsure=tuple(unsure),
        neurologist_questions=unique,
    )


# Typed on their own, these end the check whatever the NLU made of them.
_STOP_WORDS = frozenset({"stop", "cancel", "quit", "exit", "end", "abort", "enough", "stop please", "please stop"})
STOP_INTENTS = frozenset({"stop", "goodbye"})


def wants_to_stop(text: str | None, intent: str | None, answer: str | None) -> bool:
    """True when the message ends the check: a stop word, or a stop/goodbye intent that is not
    also an answer ("no" is an answer even if the NLU took it for "stop"; "skip" or "next" passes
    on one question even if the NLU took it for stop or goodbye)."""
    if answer is not None and answer != SKIPPED:
        return False
    return normalise(text or "") in _STOP_WORDS or (answer is None and intent in STOP_INTENTS)
