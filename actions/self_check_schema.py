"""How the self_check section of knowledge/ahsct.yml is written, declared with pydantic like the
rest of the file (actions/knowledge/schema.py), beside the self-check it feeds (actions/self_check.py).

Problems name the question and the option: "self_check question 'age' (#2), option #1, field 'min':
must be a whole number, on a question with `number`".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import root_validator, validator

from actions.knowledge import schema
from actions.knowledge.model import NUMBER_KINDS, READINGS, Option, Question, SelfCheck, Source
from actions.knowledge.schema import (
    ID_RE,
    Loc,
    Schema,
    checked,
    converted,
    day,
    each,
    field_name,
    identifier,
    located,
    one_of,
    plain_text,
    plain_texts,
    sources,
)

BOUND_RULE = "must be a whole number, on a question with `number`"


def _bound(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else BOUND_RULE


def _option_value(value: Any) -> str | None:
    # yes and no in quotes, or YAML reads them as true and false
    if isinstance(value, str) and ID_RE.match(f"v{value}"):
        return None
    return "must be a text of lower-case letters, digits and _ (quote yes and no)"


class OptionSchema(Schema):
    shape = "must be a mapping with value, title, reading and note"

    value: str = checked(_option_value)  # what the answer is stored as
    title: str = plain_text(max_chars=40)
    note: str = plain_text(max_words=45)
    ask: str | None = plain_text(None, blank=True, max_chars=120)  # a question for the neurologist
    reading: str = checked(one_of(READINGS))  # what the criteria usually say of this answer
    words: tuple[str, ...] = converted(lambda value: plain_texts(value, max_chars=40), ())  # besides the title
    min: int | None = checked(_bound, None, blank=True)  # the typed numbers it covers
    max: int | None = checked(_bound, None, blank=True)

    def to_model(self) -> Option:
        ask = self.ask.strip() if self.ask else None
        return Option(
            self.value, self.title.strip(), self.reading, self.note.strip(), self.words, ask, self.min, self.max
        )


def _options(value: Any) -> tuple[OptionSchema, ...]:
    if not isinstance(value, list) or len(value) < 2:
        raise ValueError("must be a list of at least 2 options")
    return tuple(each(value, OptionSchema.validate))


class QuestionSchema(Schema):
    id: str = checked(identifier)
    label: str = plain_text(max_chars=40)
    text: str = plain_text(max_chars=250)
    unsure_ask: str = plain_text(max_chars=120)  # for the neurologist, when the person is unsure
    number: str | None = checked(one_of(NUMBER_KINDS), None, blank=True)  # a typed number picks by min and max
    options: tuple[OptionSchema, ...] = converted(_options)

    @validator("options")
    def _options_fit(cls, options: tuple[OptionSchema, ...], values: dict[str, Any]) -> tuple[OptionSchema, ...]:
        problems: list[tuple[Loc, str]] = []
        if "number" in values and values["number"] is None:
            bounds = [
                (n, bound) for n, o in enumerate(options) for bound in ("min", "max") if getattr(o, bound) is not None
            ]
            problems += [(place, BOUND_RULE) for place in bounds]
        if len({o.value for o in options}) != len(options):
            problems.append(((), "option values must be unique"))
        if problems:
            raise located(problems)
        return options

    def to_model(self) -> Question:
        options = tuple(o.to_model() for o in self.options)
        text = " ".join(self.text.split())
        return Question(self.id, self.label.strip(), text, self.unsure_ask.strip(), options, self.number)


def _questions(value: Any) -> tuple[QuestionSchema, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list")
    questions = tuple(each(value, QuestionSchema.validate))
    if len({q.id for q in questions}) != len(questions):
        raise ValueError("question ids must be unique")
    return questions


class SelfCheckSchema(Schema):
    """The eligibility self-check (model.SelfCheck): its questions, what the criteria usually say
    of each answer, and its sources."""

    shape = "is required: a mapping with intro, questions, sources and last_reviewed"

    intro: str = plain_text(max_words=70)
    result_intro: str = plain_text(max_words=60)
    button_title: str = plain_text(max_chars=64)
    offered_after: tuple[str, ...] = converted(plain_texts)  # entry ids after which the check is offered
    neurologist_questions: tuple[str, ...] = converted(plain_texts)
    questions: tuple[QuestionSchema, ...] = converted(_questions)
    last_reviewed: dt.date = checked(day)
    sources: tuple[Source, ...] = converted(sources)

    @root_validator(skip_on_failure=False)
    def _entries_exist(cls, values: dict[str, Any]) -> dict[str, Any]:
        known = schema.current().entry_ids
        # A root validator's problem is named inside the quotes: "field 'offered_after[0]'".
        offered = enumerate(values.get("offered_after", ()))
        unknown = [((f"offered_after[{n}]",), f"unknown entry id '{e}'") for n, e in offered if e not in known]
        if unknown:
            raise located(unknown)
        return values

    def to_model(self) -> SelfCheck:
        return SelfCheck(
            intro=" ".join(self.intro.split()),
            result_intro=" ".join(self.result_intro.split()),
            button_title=self.button_title.strip(),
            offered_after=self.offered_after,
            questions=tuple(q.to_model() for q in self.questions),
            neurologist_questions=self.neurologist_questions,
            sources=self.sources,
            last_reviewed=self.last_reviewed,
        )


def where(raw: Any, loc: Loc) -> str:
    """How a problem of the section names its place: the question (by id and number), the option
    (by number), the field."""
    if not loc:
        return "field 'self_check'"
    if loc[0] != "questions" or len(loc) < 2:
        return f"self_check, {field_name(loc)}"
    index, rest = loc[1], loc[2:]
    questions = raw.get("questions")
    qid = questions[index].get("id") if isinstance(questions[index], dict) else None
    label = (
        f"self_check question '{qid}' (#{index + 1})" if isinstance(qid, str) else f"self_check question #{index + 1}"
    )
    if rest[:1] == ("options",) and len(rest) >= 2:
        label += f", option #{rest[1] + 1}"
        rest = rest[2:]
    return f"{label}, {field_name(rest)}" if rest else label


def check_self_check(raw: Any, problems: list[str]) -> SelfCheck | None:
    """The self_check section, checked against the entry ids and sources given by schema.using()."""
    checked_section = schema.check(SelfCheckSchema.validate, raw, lambda loc: where(raw, loc), problems)
    return checked_section.to_model() if checked_section is not None else None
