"""The data model of the knowledge file: what the assistant knows, once it is loaded and checked.

Plain frozen dataclasses that import nothing of ours, so anything (the actions, the self-check,
the scripts) can use them without pulling in the schema or the loader. The schema
(actions/knowledge/schema.py) says how knowledge/ahsct.yml is written; the loader builds these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The values the model knows: the evidence behind an entry, and the kinds of variant a text can
# have. Countries are listed under their region in `terms` (Knowledge.countries), and answers and
# notices can have variants for them too.
EVIDENCE_KINDS = ("trial", "cohort", "review", "guideline", "regulator", "organisation")
MS_TYPES = ("relapsing", "progressive")
REGIONS = ("us", "uk", "eu", "other")
VARIANT_KINDS: dict[str, tuple[str, ...]] = {"ms_type": MS_TYPES, "region": REGIONS}
COUNTRY = "country"
UNDATED = "undated"  # the `year` of a page that shows no date (many charity pages)
SLOT_PREFIX = "check_"  # the Rasa slot that holds the answer to self-check question `id` is check_<id>
READINGS = ("favours", "depends", "against")  # what the criteria usually say of a self-check answer
NUMBER_KINDS = ("age", "years")  # what a typed number answers in the self-check


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    year: int | str  # a year, or "undated"
    url: str
    short: str | None = None  # a short label for the line under an answer ("UK study, JNNP 2025")
    authority: str | None = None  # the region whose body issued it (uk, us, eu, other); None: international

    @property
    def label(self) -> str:
        return self.short or self.title


@dataclass(frozen=True)
class Dated:
    """A time-sensitive statement in a text: a trial's status, a national or insurer policy,
    a helpline number or a regulator's position.

    `as_of` is the day it was last checked against its source, and the claim holds as of
    then; it goes stale (see rules.DATED_KINDS). `said_on` instead reports what a source said on
    a past day ("In June 2025 the registry listed it as not recruiting"): a historical fact,
    never a claim about now. Either way the text says the month and year in words.
    """

    fact: str
    kind: str
    as_of: dt.date | None = None
    said_on: dt.date | None = None

    @property
    def date(self) -> dt.date:
        return self.as_of or self.said_on  # type: ignore[return-value]  # one of them is set


@dataclass(frozen=True)
class Part:
    """One text that can be shown (a short answer, its detail, a variant, a notice) with the
    sources that support that text and its dated statements."""

    text: str
    sources: tuple[Source, ...]
    dated: tuple[Dated, ...] = ()


@dataclass(frozen=True)
class Country:
    key: str
    region: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """Where the person is, as far as known: a region key and, if named, a country key."""

    region: str | None = None
    country: str | None = None


def _pick(parts: Mapping[str, Part], default: Part, *choices: tuple[str, str | None]) -> Part:
    for kind, value in choices:
        part = parts.get(f"{kind}.{value}") if value else None
        if part is not None:
            return part
    return default


@dataclass(frozen=True)
class Entry:
    id: str
    question: str
    answer: str
    sources: tuple[Source, ...]  # the sources of the short answer
    last_reviewed: dt.date
    evidence: str
    related: tuple[str, ...]
    detail: str | None = None
    # Texts by kind and value ({"region": {"uk": "..."}}); parts holds them with their sources.
    variants: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The answer differs so much by country that the assistant asks where the person lives
    # before answering, when it does not know yet.
    ask_region: bool = False
    # The entry that answers "is it safe?" asked right after this one, if not the general risks.
    safety_entry: str | None = None
    # Every text with its own sources: "answer", "detail", "region.uk", "ms_type.progressive"...
    parts: Mapping[str, Part] = field(default_factory=dict)
    dated: tuple[Dated, ...] = ()
    # Specific points asked within the topic: point id -> the words that ask it (lower case). Their
    # texts are the parts "point.<id>".
    points: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A point's other entries: asked where one of them is the answer chosen, the point is answered.
    points_also_for: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A point's places: its text is written for these countries or regions only.
    points_for_places: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def answer_part(self) -> Part:
        return self.parts.get("answer") or Part(self.answer, self.sources, self.dated)

    @property
    def detail_part(self) -> Part | None:
        return self.parts.get("detail")

    def part_for(self, ms_type: str | None = None, region: str | None = None, country: str | None = None) -> Part:
        """The text to show, with its sources: an MS-type variant, else a country variant, else a
        region variant, else the short answer.

        An MS-type variant wins: it changes what is medically true for the person, a place only
        changes the route to treatment.
        """
        return _pick(self.parts, self.answer_part, ("ms_type", ms_type), (COUNTRY, country), ("region", region))

    def answer_for(self, ms_type: str | None = None, region: str | None = None, country: str | None = None) -> str:
        return self.part_for(ms_type, region, country).text

    @property
    def all_sources(self) -> tuple[Source, ...]:
        return tuple(dict.fromkeys(src for part in self.parts.values() for src in part.sources))


@dataclass(frozen=True)
class Notice:
    """A safety or support text (crisis lines, warning signs, helplines), sourced like an entry,
    with variants by region and country."""

    id: str
    text: str
    sources: tuple[Source, ...]
    last_reviewed: dt.date
    parts: Mapping[str, Part] = field(default_factory=dict)
    dated: tuple[Dated, ...] = ()

    def part_for(self, region: str | None = None, country: str | None = None) -> Part:
        """A country variant, else a region variant, else the text for anyone anywhere."""
        return _pick(self.parts, Part(self.text, self.sources, self.dated), (COUNTRY, country), ("region", region))


@dataclass(frozen=True)
class Definition(Notice):
    """A term the answers use (NEDA, EDSS, JACIE), the words people use for it (lower case), and a
    short sourced definition."""

    words: tuple[str, ...] = ()


# The eligibility self-check (its logic is in actions/self_check.py).


@dataclass(frozen=True)
class Option:
    value: str
    title: str
    reading: str  # one of READINGS
    note: str
    words: tuple[str, ...] = ()
    ask: str | None = None
    min: int | None = None
    max: int | None = None

    def holds(self, number: int) -> bool:
        return (self.min is None or number >= self.min) and (self.max is None or number <= self.max)


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    text: str
    unsure_ask: str
    options: tuple[Option, ...]
    number: str | None = None  # one of NUMBER_KINDS: a typed number picks the option by its min and max

    @property
    def slot(self) -> str:
        return SLOT_PREFIX + self.id

    def option(self, value: str | None) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class SelfCheck:
    intro: str
    result_intro: str
    button_title: str
    offered_after: tuple[str, ...]
    questions: tuple[Question, ...]
    neurologist_questions: tuple[str, ...]
    sources: tuple[Source, ...]
    last_reviewed: dt.date

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def question_for_slot(self, slot: str) -> Question | None:
        return self.question(slot[len(SLOT_PREFIX) :]) if slot.startswith(SLOT_PREFIX) else None


@dataclass(frozen=True)
class Knowledge:
    path: Path
    entries: Mapping[str, Entry]
    terms: Mapping[str, Mapping[str, tuple[str, ...]]]
    notices: Mapping[str, Notice] = field(default_factory=dict)
    self_check: SelfCheck | None = None
    countries: Mapping[str, Country] = field(default_factory=dict)
    glossary: Mapping[str, Definition] = field(default_factory=dict)

    def helpline(self, region: str | None) -> Notice:
        """The helpline notice for a canonical region (uk, us; anything else: helpline_other)."""
        return self.notices.get(f"helpline_{region}") or self.notices["helpline_other"]

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def canonical(self, entity: str, value: Any) -> str | None:
        """Map an entity value ("RRMS", "nhs", "uk", "canada") to its canonical key, or None.

        A list (several mentions in one message) gives the first value that maps.
        """
        if isinstance(value, (list, tuple)):
            return next((key for key in (self.canonical(entity, v) for v in value) if key), None)
        if not isinstance(value, str):
            return None
        wanted = " ".join(value.lower().split())
        if entity == "region" and wanted in self.countries:
            return self.countries[wanted].region
        for key, synonyms in self.terms.get(entity, {}).items():
            if wanted == key or wanted in synonyms:
                return key
        return None

    def country(self, value: Any) -> str | None:
        """The country key of a place name or key ("Canada", "canadian", "canada"), or None."""
        if isinstance(value, (list, tuple)):
            return next((key for key in (self.country(v) for v in value) if key), None)
        if not isinstance(value, str):
            return None
        wanted = " ".join(value.lower().split())
        return next((c.key for c in self.countries.values() if wanted == c.key or wanted in c.words), None)

    def place(self, value: Any) -> Place:
        """Region and country of what the region slot holds (a region or country key, or words);
        of a list, the first value that names a region."""
        for item in value if isinstance(value, (list, tuple)) else [value]:
            region = self.canonical("region", item)
            if region:
                return Place(region, self.country(item))
        return Place()
