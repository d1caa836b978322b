"""Load and validate the curated knowledge file (knowledge/ahsct.yml).

Plain Python with no Rasa import, so it can be tested and used on its own
(`python -m actions.knowledge knowledge/ahsct.yml` validates a file).

Every problem is reported with the file, the entry and the field, e.g.::

    knowledge/ahsct.yml: entry 'fda_status' (#16), field 'sources[0].url':
    host 'example.com' is not a canonical source address
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from actions.self_check import NUMBER_KINDS, READINGS, Option, Question, SelfCheck

EVIDENCE_KINDS = ("trial", "cohort", "guideline", "regulator", "organisation")
MS_TYPES = ("relapsing", "progressive")
REGIONS = ("us", "uk", "eu", "other")
VARIANT_KINDS: dict[str, tuple[str, ...]] = {"ms_type": MS_TYPES, "region": REGIONS}

MAX_ANSWER_WORDS = 95  # "about 90 words"; a little slack for numbers and names
MAX_DETAIL_WORDS = 250
MAX_QUESTION_CHARS = 80  # it is shown as a button title
MAX_RELATED = 3
MAX_NOTICE_WORDS = 110
# Safety and support texts the assistant must have: crisis support, post-transplant
# warning signs, and helplines by region (helpline_other covers eu and elsewhere).
REQUIRED_NOTICES = ("crisis", "red_flag", "helpline_uk", "helpline_us", "helpline_other")
UNDATED = "undated"  # the `year` of a page that shows no date (many charity pages)

# Canonical addresses only: DOIs, PubMed/PMC, trial registries, regulators,
# MS organisations and publishers' own article pages. No mirrors or blogs.
CANONICAL_HOSTS = frozenset(
    {
        "doi.org",
        "988lifeline.org",
        "www.samaritans.org",
        "pubmed.ncbi.nlm.nih.gov",
        "pmc.ncbi.nlm.nih.gov",
        "clinicaltrials.gov",
        "www.isrctn.com",
        "trialsearch.who.int",
        "www.nationalmssociety.org",
        "www.mssociety.org.uk",
        "mstrust.org.uk",
        "www.msaustralia.org.au",
        "www.fda.gov",
        "www.ema.europa.eu",
        "www.england.nhs.uk",
        "www.nhs.uk",
        "www.nss.nhs.scot",
        "jnnp.bmj.com",
        "jamanetwork.com",
        "www.nature.com",
        "www.thelancet.com",
        "ashpublications.org",
    }
)

_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_TOP_LEVEL = {"version", "terms", "notices", "entries", "self_check"}
_ENTRY_FIELDS = {
    "id",
    "question",
    "answer",
    "detail",
    "variants",
    "sources",
    "last_reviewed",
    "evidence",
    "related",
    "ask_region",
    "safety_entry",
}
_SOURCE_FIELDS = {"title", "publisher", "year", "url"}


class KnowledgeError(ValueError):
    """The knowledge file is missing, unreadable or does not match the schema."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    year: int | str  # a year, or "undated"
    url: str


@dataclass(frozen=True)
class Entry:
    id: str
    question: str
    answer: str
    sources: tuple[Source, ...]
    last_reviewed: dt.date
    evidence: str
    related: tuple[str, ...]
    detail: str | None = None
    variants: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The answer differs so much by country that the assistant asks where the person lives
    # before answering, when it does not know yet.
    ask_region: bool = False
    # The entry that answers "is it safe?" asked right after this one, if not the general risks.
    safety_entry: str | None = None

    def answer_for(self, ms_type: str | None = None, region: str | None = None) -> str:
        """The answer text, using an MS-type or region variant where one exists.

        An MS-type variant wins over a region one: it changes what is medically
        true for the person, a region only changes the route to treatment.
        """
        for kind, value in (("ms_type", ms_type), ("region", region)):
            text = self.variants.get(kind, {}).get(value or "")
            if text:
                return text
        return self.answer


@dataclass(frozen=True)
class Notice:
    """A safety or support text (crisis lines, warning signs, helplines), sourced like an entry."""

    id: str
    text: str
    sources: tuple[Source, ...]
    last_reviewed: dt.date


@dataclass(frozen=True)
class Knowledge:
    path: Path
    entries: Mapping[str, Entry]
    terms: Mapping[str, Mapping[str, tuple[str, ...]]]
    notices: Mapping[str, Notice] = field(default_factory=dict)
    self_check: SelfCheck | None = None

    def helpline(self, region: str | None) -> Notice:
        """The helpline notice for a canonical region (uk, us; anything else: helpline_other)."""
        return self.notices.get(f"helpline_{region}") or self.notices["helpline_other"]

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def canonical(self, entity: str, value: Any) -> str | None:
        """Map an entity value ("RRMS", "nhs", "uk") to its canonical key, or None.

        A list (several mentions in one message) gives the first value that maps.
        """
        if isinstance(value, (list, tuple)):
            return next((key for key in (self.canonical(entity, v) for v in value) if key), None)
        if not isinstance(value, str):
            return None
        wanted = " ".join(value.lower().split())
        for key, synonyms in self.terms.get(entity, {}).items():
            if wanted == key or wanted in synonyms:
                return key
        return None


class _Checker:
    """Collects schema problems, each naming the file, the entry and the field."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.problems.append(f"{self.path}: {where}: {problem}")

    @staticmethod
    def entry_where(index: int, raw: Any, fieldname: str) -> str:
        entry_id = raw.get("id") if isinstance(raw, dict) else None
        label = f"entry '{entry_id}' (#{index + 1})" if isinstance(entry_id, str) else f"entry #{index + 1}"
        return f"{label}, field '{fieldname}'"


def _words(text: str) -> int:
    return len(text.split())


def _check_text(
    c: _Checker, where: str, value: Any, *, max_words: int | None = None, max_chars: int | None = None
) -> bool:
    if not isinstance(value, str) or not value.strip():
        c.add(where, "must be a non-empty text")
        return False
    if max_words is not None and _words(value) > max_words:
        c.add(where, f"has {_words(value)} words; at most {max_words} allowed")
        return False
    if max_chars is not None and len(value) > max_chars:
        c.add(where, f"has {len(value)} characters; at most {max_chars} allowed")
        return False
    if "<" in value and re.search(r"<[a-zA-Z/!]", value):
        c.add(where, "must be plain text (no HTML)")
        return False
    return True


def _check_url(c: _Checker, where: str, url: Any) -> None:
    if not isinstance(url, str) or not url.startswith("https://"):
        c.add(where, "must be an https:// address")
        return
    host = urlparse(url).hostname or ""
    if host not in CANONICAL_HOSTS:
        c.add(where, f"host '{host}' is not a canonical source address (see CANONICAL_HOSTS)")


def _check_sources(c: _Checker, raw: dict[str, Any], field_where: Callable[[str], str]) -> tuple[Source, ...]:
    sources = raw.get("sources")
    where = field_where("sources")
    if not isinstance(sources, list) or not sources:
        c.add(where, "must be a non-empty list of sources")
        return ()
    result = []
    this_year = dt.date.today().year
    for n, src in enumerate(sources):
        sw = field_where(f"sources[{n}]")
        if not isinstance(src, dict):
            c.add(sw, "must be a mapping with title, publisher, year and url")
            continue
        for missing in sorted(_SOURCE_FIELDS - src.keys()):
            c.add(field_where(f"sources[{n}].{missing}"), "is required")
        for unknown in sorted(src.keys() - _SOURCE_FIELDS):
            c.add(field_where(f"sources[{n}].{unknown}"), "is not a known field")
        if "title" in src:
            _check_text(c, field_where(f"sources[{n}].title"), src["title"], max_chars=250)
        if "publisher" in src:
            _check_text(c, field_where(f"sources[{n}].publisher"), src["publisher"], max_chars=120)
        year = src.get("year")
        if (
            "year" in src
            and year != UNDATED
            and (not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= this_year)
        ):
            c.add(
                field_where(f"sources[{n}].year"),
                f"must be a year between 1990 and {this_year}, or '{UNDATED}' for a page that shows no date",
            )
        if "url" in src:
            _check_url(c, field_where(f"sources[{n}].url"), src["url"])
        if src.keys() >= _SOURCE_FIELDS:
            result.append(
                Source(str(src["title"]), str(src["publisher"]), year if year is not None else UNDATED, str(src["url"]))
            )
    return tuple(result)


def _check_variants(c: _Checker, index: int, raw: dict[str, Any]) -> dict[str, dict[str, str]]:
    variants = raw.get("variants")
    if variants is None:
        return {}
    if not isinstance(variants, dict):
        c.add(c.entry_where(index, raw, "variants"), "must be a mapping of ms_type and/or region")
        return {}
    result: dict[str, dict[str, str]] = {}
    for kind, by_value in variants.items():
        if kind not in VARIANT_KINDS:
            c.add(
                c.entry_where(index, raw, f"variants.{kind}"), f"unknown variant kind; use {', '.join(VARIANT_KINDS)}"
            )
            continue
        if not isinstance(by_value, dict) or not by_value:
            c.add(c.entry_where(index, raw, f"variants.{kind}"), "must map values to answer texts")
            continue
        result[kind] = {}
        for value, text in by_value.items():
            where = c.entry_where(index, raw, f"variants.{kind}.{value}")
            if value not in VARIANT_KINDS[kind]:
                c.add(where, f"unknown {kind}; use one of {', '.join(VARIANT_KINDS[kind])}")
            elif _check_text(c, where, text, max_words=MAX_ANSWER_WORDS):
                result[kind][value] = text.strip()
    return result


def _check_entry(c: _Checker, index: int, raw: Any) -> Entry | None:
    if not isinstance(raw, dict):
        c.add(f"entry #{index + 1}", "must be a mapping")
        return None
    before = len(c.problems)
    for missing in ("id", "question", "answer", "sources", "last_reviewed", "evidence", "related"):
        if missing not in raw:
            c.add(c.entry_where(index, raw, missing), "is required")
    for unknown in sorted(raw.keys() - _ENTRY_FIELDS):
        c.add(c.entry_where(index, raw, str(unknown)), "is not a known field")

    entry_id = raw.get("id")
    if "id" in raw and (not isinstance(entry_id, str) or not _ID_RE.match(entry_id)):
        c.add(c.entry_where(index, raw, "id"), "must be lower_snake_case letters, digits and _")
    if "question" in raw:
        _check_text(c, c.entry_where(index, raw, "question"), raw["question"], max_chars=MAX_QUESTION_CHARS)
    if "answer" in raw:
        _check_text(c, c.entry_where(index, raw, "answer"), raw["answer"], max_words=MAX_ANSWER_WORDS)
    if raw.get("detail") is not None:
        _check_text(c, c.entry_where(index, raw, "detail"), raw["detail"], max_words=MAX_DETAIL_WORDS)
    reviewed = raw.get("last_reviewed")
    if "last_reviewed" in raw:
        _check_date(c, c.entry_where(index, raw, "last_reviewed"), reviewed)
    if "evidence" in raw and raw["evidence"] not in EVIDENCE_KINDS:
        c.add(c.entry_where(index, raw, "evidence"), f"must be one of {', '.join(EVIDENCE_KINDS)}")
    related = raw.get("related")
    if "related" in raw and (
        not isinstance(related, list)
        or not all(isinstance(r, str) for r in related)
        or not 1 <= len(related) <= MAX_RELATED
    ):
        c.add(c.entry_where(index, raw, "related"), f"must be a list of 1 to {MAX_RELATED} entry ids")
    if "ask_region" in raw and not isinstance(raw["ask_region"], bool):
        c.add(c.entry_where(index, raw, "ask_region"), "must be true or false")
    if "safety_entry" in raw and not isinstance(raw["safety_entry"], str):
        c.add(c.entry_where(index, raw, "safety_entry"), "must be an entry id")
    sources = _check_sources(c, raw, lambda f: c.entry_where(index, raw, f))
    variants = _check_variants(c, index, raw)
    if raw.get("ask_region") and "region" not in variants:
        c.add(c.entry_where(index, raw, "ask_region"), "needs region variants to choose from")
    if len(c.problems) > before:
        return None
    return Entry(
        id=str(entry_id),
        question=raw["question"].strip(),
        answer=raw["answer"].strip(),
        detail=raw["detail"].strip() if raw.get("detail") else None,
        variants=variants,
        sources=sources,
        last_reviewed=reviewed,  # type: ignore[arg-type]  # checked above
        evidence=raw["evidence"],
        related=tuple(related or ()),
        ask_region=bool(raw.get("ask_region", False)),
        safety_entry=raw.get("safety_entry"),
    )


def _check_terms(c: _Checker, terms: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    if not isinstance(terms, dict):
        c.add("terms", "must map ms_type and region to their synonyms")
        return {}
    result: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind, allowed in VARIANT_KINDS.items():
        by_value = terms.get(kind)
        if not isinstance(by_value, dict):
            c.add(f"terms, field '{kind}'", "is required and must map values to synonym lists")
            continue
        result[kind] = {}
        for value, synonyms in by_value.items():
            where = f"terms, field '{kind}.{value}'"
            if value not in allowed:
                c.add(where, f"unknown {kind}; use one of {', '.join(allowed)}")
            elif not isinstance(synonyms, list) or not all(isinstance(s, str) and s.strip() for s in synonyms):
                c.add(where, "must be a list of non-empty texts")
            else:
                result[kind][value] = tuple(" ".join(s.lower().split()) for s in synonyms)
    for unknown in sorted(terms.keys() - VARIANT_KINDS.keys()):
        c.add(f"terms, field '{unknown}'", "is not a known term kind")
    return result


def _check_date(c: _Checker, where: str, value: Any) -> bool:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        c.add(where, "must be a date written YYYY-MM-DD")
        return False
    if value > dt.date.today():
        c.add(where, f"{value} is in the future")
        return False
    return True


def _check_notices(c: _Checker, raw_notices: Any) -> dict[str, Notice]:
    if not isinstance(raw_notices, dict):
        c.add("field 'notices'", f"must map {', '.join(REQUIRED_NOTICES)} to texts with sources")
        return {}
    notices: dict[str, Notice] = {}
    for missing in REQUIRED_NOTICES:
        if missing not in raw_notices:
            c.add(f"notice '{missing}'", "is required")
    for notice_id, raw in raw_notices.items():

        def where(f: str, notice_id: Any = notice_id) -> str:
            return f"notice '{notice_id}', field '{f}'"

        if not isinstance(raw, dict):
            c.add(f"notice '{notice_id}'", "must be a mapping with text, sources and last_reviewed")
            continue
        before = len(c.problems)
        for missing in ("text", "sources", "last_reviewed"):
            if missing not in raw:
                c.add(where(missing), "is required")
        for unknown in sorted(raw.keys() - {"text", "sources", "last_reviewed"}):
            c.add(where(str(unknown)), "is not a known field")
        if "text" in raw:
            _check_text(c, where("text"), raw["text"], max_words=MAX_NOTICE_WORDS)
        if "last_reviewed" in raw:
            _check_date(c, where("last_reviewed"), raw["last_reviewed"])
        sources = _check_sources(c, raw, where)
        if len(c.problems) == before:
            notices[str(notice_id)] = Notice(str(notice_id), raw["text"].strip(), sources, raw["last_reviewed"])
    return notices


_SELF_CHECK_FIELDS = {
    "intro",
    "offered_after",
    "button_title",
    "result_intro",
    "questions",
    "neurologist_questions",
    "sources",
    "last_reviewed",
}
_QUESTION_FIELDS = {"id", "label", "text", "unsure_ask", "number", "options"}
_OPTION_FIELDS = {"value", "title", "words", "reading", "note", "ask", "min", "max"}


def _check_text_list(c: _Checker, where: str, value: Any, *, max_chars: int = 120) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        c.add(where, "must be a non-empty list of texts")
        return ()
    ok = [_check_text(c, f"{where}[{n}]", v, max_chars=max_chars) for n, v in enumerate(value)]
    return tuple(v.strip() for v in value) if all(ok) else ()


def _check_fields(c: _Checker, where: str, raw: dict[str, Any], required: set[str], known: set[str]) -> None:
    for missing in sorted(required - raw.keys()):
        c.add(f"{where}, field '{missing}'", "is required")
    for unknown in sorted(raw.keys() - known, key=str):
        c.add(f"{where}, field '{unknown}'", "is not a known field")


def _check_option(c: _Checker, where: str, raw: Any, number_kind: str | None) -> Option | None:
    if not isinstance(raw, dict):
        c.add(where, "must be a mapping with value, title, reading and note")
        return None
    before = len(c.problems)
    _check_fields(c, where, raw, {"value", "title", "reading", "note"}, _OPTION_FIELDS)
    if "value" in raw and (not isinstance(raw["value"], str) or not _ID_RE.match(f"v{raw['value']}")):
        c.add(f"{where}, field 'value'", "must be a text of lower-case letters, digits and _ (quote yes and no)")
    if "title" in raw:
        _check_text(c, f"{where}, field 'title'", raw["title"], max_chars=40)
    if "note" in raw:
        _check_text(c, f"{where}, field 'note'", raw["note"], max_words=45)
    if raw.get("ask") is not None:
        _check_text(c, f"{where}, field 'ask'", raw["ask"], max_chars=120)
    if "reading" in raw and raw["reading"] not in READINGS:
        c.add(f"{where}, field 'reading'", f"must be one of {', '.join(READINGS)}")
    words = _check_text_list(c, f"{where}, field 'words'", raw["words"], max_chars=40) if "words" in raw else ()
    for bound in ("min", "max"):
        value = raw.get(bound)
        if value is not None and (number_kind is None or not isinstance(value, int) or isinstance(value, bool)):
            c.add(f"{where}, field '{bound}'", "must be a whole number, on a question with `number`")
    if len(c.problems) > before:
        return None
    return Option(
        value=raw["value"],
        title=raw["title"].strip(),
        reading=raw["reading"],
        note=raw["note"].strip(),
        words=words,
        ask=raw["ask"].strip() if raw.get("ask") else None,
        min=raw.get("min"),
        max=raw.get("max"),
    )


def _check_question(c: _Checker, index: int, raw: Any) -> Question | None:
    qid = raw.get("id") if isinstance(raw, dict) else None
    label = f"'{qid}' (#{index + 1})" if isinstance(qid, str) else f"#{index + 1}"
    where = f"self_check question {label}"
    if not isinstance(raw, dict):
        c.add(where, "must be a mapping")
        return None
    before = len(c.problems)
    _check_fields(c, where, raw, {"id", "label", "text", "unsure_ask", "options"}, _QUESTION_FIELDS)
    if "id" in raw and (not isinstance(qid, str) or not _ID_RE.match(qid)):
        c.add(f"{where}, field 'id'", "must be lower_snake_case letters, digits and _")
    for name, limit in (("label", 40), ("text", 250), ("unsure_ask", 120)):
        if name in raw:
            _check_text(c, f"{where}, field '{name}'", raw[name], max_chars=limit)
    number = raw.get("number")
    if number is not None and number not in NUMBER_KINDS:
        c.add(f"{where}, field 'number'", f"must be one of {', '.join(NUMBER_KINDS)}")
    raw_options = raw.get("options")
    if "options" in raw and (not isinstance(raw_options, list) or len(raw_options) < 2):
        c.add(f"{where}, field 'options'", "must be a list of at least 2 options")
        raw_options = []
    options = [_check_option(c, f"{where}, option #{n + 1}", o, number) for n, o in enumerate(raw_options or [])]
    values = [o.value for o in options if o]
    if len(set(values)) != len(values):
        c.add(f"{where}, field 'options'", "option values must be unique")
    if len(c.problems) > before:
        return None
    return Question(
        id=qid,  # type: ignore[arg-type]  # checked above
        label=raw["label"].strip(),
        text=" ".join(raw["text"].split()),
        unsure_ask=raw["unsure_ask"].strip(),
        options=tuple(o for o in options if o),
        number=number,
    )


def check_self_check(c: _Checker, raw: Any, entries: set[Any]) -> SelfCheck | None:
    """The eligibility self-check section: questions, options and what the criteria say."""
    where = "self_check"
    if not isinstance(raw, dict):
        c.add(f"field '{where}'", "is required: a mapping with intro, questions, sources and last_reviewed")
        return None
    before = len(c.problems)
    _check_fields(c, where, raw, _SELF_CHECK_FIELDS, _SELF_CHECK_FIELDS)
    for name, words, chars in (("intro", 70, None), ("result_intro", 60, None), ("button_title", None, 64)):
        if name in raw:
            _check_text(c, f"{where}, field '{name}'", raw[name], max_words=words, max_chars=chars)
    offered = _check_text_list(c, f"{where}, field 'offered_after'", raw.get("offered_after"))
    for n, entry_id in enumerate(offered):
        if entry_id not in entries:
            c.add(f"{where}, field 'offered_after[{n}]'", f"unknown entry id '{entry_id}'")
    asks = _check_text_list(c, f"{where}, field 'neurologist_questions'", raw.get("neurologist_questions"))
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        c.add(f"{where}, field 'questions'", "must be a non-empty list")
        raw_questions = []
    questions = [_check_question(c, n, q) for n, q in enumerate(raw_questions)]
    ids = [q.id for q in questions if q]
    if len(set(ids)) != len(ids):
        c.add(f"{where}, field 'questions'", "question ids must be unique")
    if "last_reviewed" in raw:
        _check_date(c, f"{where}, field 'last_reviewed'", raw["last_reviewed"])
    sources = _check_sources(c, raw, lambda f: f"{where}, field '{f}'")
    if len(c.problems) > before:
        return None
    return SelfCheck(
        intro=" ".join(raw["intro"].split()),
        result_intro=" ".join(raw["result_intro"].split()),
        button_title=raw["button_title"].strip(),
        offered_after=offered,
        questions=tuple(q for q in questions if q),
        neurologist_questions=asks,
        sources=sources,
        last_reviewed=raw["last_reviewed"],
    )


def parse_knowledge(data: Any, path: Path) -> Knowledge:
    """Validate already-parsed YAML data; raises KnowledgeError listing every problem."""
    c = _Checker(path)
    if not isinstance(data, dict):
        raise KnowledgeError([f"{path}: the file must be a mapping with 'version', 'terms' and 'entries'"])
    if data.get("version") != 1:
        c.add("field 'version'", "must be 1")
    for unknown in sorted(set(data) - _TOP_LEVEL, key=str):
        c.add(f"field '{unknown}'", "is not a known top-level field")
    terms = _check_terms(c, data.get("terms"))
    notices = _check_notices(c, data.get("notices"))
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        c.add("field 'entries'", "must be a non-empty list")
        raw_entries = []
    entries: dict[str, Entry] = {}
    for index, raw in enumerate(raw_entries):
        entry = _check_entry(c, index, raw)
        if entry is None:
            continue
        if entry.id in entries:
            c.add(c.entry_where(index, raw, "id"), f"duplicate id '{entry.id}'")
            continue
        entries[entry.id] = entry
    for index, raw in enumerate(raw_entries):
        if not isinstance(raw, dict) or raw.get("id") not in entries:
            continue
        for n, rel in enumerate(raw.get("related") or []):
            if rel == raw["id"]:
                c.add(c.entry_where(index, raw, f"related[{n}]"), "an entry cannot be related to itself")
            elif rel not in entries:
                c.add(c.entry_where(index, raw, f"related[{n}]"), f"unknown entry id '{rel}'")
        safety_entry = entries[raw["id"]].safety_entry
        if safety_entry is not None and safety_entry not in entries:
            c.add(c.entry_where(index, raw, "safety_entry"), f"unknown entry id '{safety_entry}'")
    entry_ids = {raw.get("id") for raw in raw_entries if isinstance(raw, dict)}
    self_check = check_self_check(c, data.get("self_check"), entry_ids)
    if c.problems:
        raise KnowledgeError(c.problems)
    return Knowledge(path=path, entries=entries, terms=terms, notices=notices, self_check=self_check)


def load_knowledge(path: str | Path) -> Knowledge:
    """Read, parse and validate a knowledge file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError([f"{path}: cannot read the knowledge file ({exc.strerror or exc})"]) from exc
    except UnicodeDecodeError as exc:
        raise KnowledgeError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise KnowledgeError([f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}"]) from exc
    return parse_knowledge(data, path)


def main(argv: Sequence[str]) -> int:
    path = argv[1] if len(argv) > 1 else "knowledge/ahsct.yml"
    try:
        knowledge = load_knowledge(path)
    except KnowledgeError as exc:
        print(f"Invalid knowledge file:\n{exc}", file=sys.stderr)
        return 1
    print(f"{path}: {len(knowledge.entries)} entries valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
