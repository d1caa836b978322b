"""Load and check knowledge/ahsct.yml, and the command line that checks it before a release.

`python -m actions.knowledge [FILE] [--today YYYY-MM-DD]` (make validate) checks the file, then
lists what is stale. Every problem is reported with the file, the entry and the field, e.g.::

    knowledge/ahsct.yml: entry 'fda_status' (#16), field 'sources[0].url':
    host 'example.com' is not a canonical source address
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from actions.freshness import stale_items
from actions.knowledge.model import (
    COUNTRY,
    EVIDENCE_KINDS,
    REGIONS,
    UNDATED,
    VARIANT_KINDS,
    Country,
    Dated,
    Entry,
    Knowledge,
    Notice,
    Option,
    Part,
    Question,
    SelfCheck,
    Source,
)
from actions.knowledge.rules import (
    DATED_KINDS,
    MAX_ANSWER_WORDS,
    MAX_DETAIL_WORDS,
    MAX_NOTICE_WORDS,
    MAX_QUESTION_CHARS,
    MAX_RELATED,
    MAX_SHORT_CHARS,
    REQUIRED_NOTICES,
    month_year,
    text_problem,
    url_problem,
)
from actions.self_check import NUMBER_KINDS, READINGS

_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_TOP_LEVEL = {"version", "sources", "terms", "notices", "entries", "self_check"}
_ENTRY_FIELDS = {
    "id",
    "question",
    "answer",
    "dated",
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
_SOURCE_OPTIONAL = {"short", "authority"}
_PART_FIELDS = {"text", "sources", "dated"}
_DATED_FIELDS = {"fact", "kind", "as_of", "said_on"}


class KnowledgeError(ValueError):
    """The knowledge file is missing, unreadable or does not match the schema."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


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


def _check_text(
    c: _Checker, where: str, value: Any, *, max_words: int | None = None, max_chars: int | None = None
) -> bool:
    problem = text_problem(value, max_words=max_words, max_chars=max_chars)
    if problem:
        c.add(where, problem)
    return problem is None


def _check_url(c: _Checker, where: str, url: Any) -> None:
    problem = url_problem(url)
    if problem:
        c.add(where, problem)


def _check_source(c: _Checker, src: Any, field_where: Callable[[str], str], prefix: str) -> Source | None:
    """One source written out in full (in the `sources` list at the top, or inline)."""

    def at(name: str) -> str:
        return field_where(f"{prefix}.{name}" if prefix else name)

    if not isinstance(src, dict):
        c.add(field_where(prefix or "source"), "must be a source id or a mapping with title, publisher, year and url")
        return None
    before = len(c.problems)
    for missing in sorted(_SOURCE_FIELDS - src.keys()):
        c.add(at(missing), "is required")
    for unknown in sorted(src.keys() - _SOURCE_FIELDS - _SOURCE_OPTIONAL):
        c.add(at(unknown), "is not a known field")
    if "title" in src:
        _check_text(c, at("title"), src["title"], max_chars=250)
    if "publisher" in src:
        _check_text(c, at("publisher"), src["publisher"], max_chars=120)
    if src.get("short") is not None:
        _check_text(c, at("short"), src["short"], max_chars=MAX_SHORT_CHARS)
    if src.get("authority") is not None and src["authority"] not in REGIONS:
        c.add(at("authority"), f"must be one of {', '.join(REGIONS)} (or left out)")
    year = src.get("year")
    this_year = dt.date.today().year
    if (
        "year" in src
        and year != UNDATED
        and (not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= this_year)
    ):
        c.add(
            at("year"),
            f"must be a year between 1990 and {this_year}, or '{UNDATED}' for a page that shows no date",
        )
    if "url" in src:
        _check_url(c, at("url"), src["url"])
    if len(c.problems) > before:
        return None
    return Source(
        str(src["title"]).strip(),
        str(src["publisher"]).strip(),
        year if year is not None else UNDATED,
        str(src["url"]).strip(),
        short=str(src["short"]).strip() if src.get("short") else None,
        authority=src.get("authority"),
    )


def _check_registry(c: _Checker, raw: Any) -> dict[str, Source]:
    """The `sources` list at the top of the file: each source once, by id."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        c.add("field 'sources'", "must map source ids to sources")
        return {}
    registry: dict[str, Source] = {}
    for source_id, src in raw.items():
        if not isinstance(source_id, str) or not _ID_RE.match(source_id):
            c.add(f"source '{source_id}'", "id must be lower_snake_case letters, digits and _")
            continue

        def where(name: str, sid: str = source_id) -> str:
            return f"source '{sid}', field '{name}'"

        checked = _check_source(c, src, where, "")
        if checked is not None:
            registry[source_id] = checked
    return registry


def _check_sources(
    c: _Checker,
    raw: dict[str, Any],
    field_where: Callable[[str], str],
    registry: Mapping[str, Source] | None = None,
    name: str = "sources",
) -> tuple[Source, ...]:
    """A list of sources: ids from the `sources` list at the top, or sources written in full."""
    sources = raw.get(name)
    where = field_where(name)
    if not isinstance(sources, list) or not sources:
        c.add(where, "must be a non-empty list of sources")
        return ()
    result = []
    for n, src in enumerate(sources):
        if isinstance(src, str):
            if registry is None or src not in registry:
                c.add(field_where(f"{name}[{n}]"), f"unknown source id '{src}'")
            else:
                result.append(registry[src])
            continue
        checked = _check_source(c, src, field_where, f"{name}[{n}]")
        if checked is not None:
            result.append(checked)
    return tuple(result)


def _check_dated(c: _Checker, where: str, raw: Any, text: str) -> tuple[Dated, ...]:
    """The dated statements of one text: each has a kind and an as_of or said_on date, and the
    text says that month and year in words."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        c.add(where, "must be a list of dated statements (fact, kind, as_of or said_on)")
        return ()
    result = []
    for n, item in enumerate(raw):
        iw = f"{where}[{n}]"
        if not isinstance(item, dict):
            c.add(iw, "must be a mapping with fact, kind and as_of or said_on")
            continue
        before = len(c.problems)
        for missing in sorted({"fact", "kind"} - item.keys()):
            c.add(f"{iw}.{missing}", "is required")
        for unknown in sorted(item.keys() - _DATED_FIELDS, key=str):
            c.add(f"{iw}.{unknown}", "is not a known field")
        if "fact" in item:
            _check_text(c, f"{iw}.fact", item["fact"], max_chars=120)
        if "kind" in item and item["kind"] not in DATED_KINDS:
            c.add(f"{iw}.kind", f"must be one of {', '.join(DATED_KINDS)}")
        dates = [k for k in ("as_of", "said_on") if k in item]
        if len(dates) != 1:
            c.add(iw, "needs exactly one of as_of (checked that day) or said_on (what a source said then)")
        elif _check_date(c, f"{iw}.{dates[0]}", item[dates[0]]) and month_year(item[dates[0]]) not in text:
            c.add(iw, f"the text must say when: '{month_year(item[dates[0]])}' (for {item.get('fact')!r})")
        if len(c.problems) == before:
            result.append(Dated(str(item["fact"]), item["kind"], item.get("as_of"), item.get("said_on")))
    return tuple(result)


def _check_part(
    c: _Checker,
    at: Callable[[str], str],
    raw: Any,
    registry: Mapping[str, Source],
    max_words: int,
) -> Part | None:
    """A text shown on its own (detail, variant, notice variant): text, its own sources, dates.
    `at("")` names the part itself, `at("text")` one of its fields."""
    if not isinstance(raw, dict):
        c.add(at(""), "must be a mapping with text and its own sources (and dated statements, if any)")
        return None
    before = len(c.problems)
    for unknown in sorted(raw.keys() - _PART_FIELDS, key=str):
        c.add(at(str(unknown)), "is not a known field")
    ok = _check_text(c, at("text"), raw.get("text"), max_words=max_words)
    sources = _check_sources(c, raw, at, registry)
    dated = _check_dated(c, at("dated"), raw.get("dated"), raw["text"]) if ok else ()
    if len(c.problems) > before:
        return None
    return Part(" ".join(str(raw["text"]).split()), sources, dated)


def _check_variants(
    c: _Checker,
    where: Callable[[str], str],
    raw: dict[str, Any],
    registry: Mapping[str, Source],
    countries: Mapping[str, Country],
    max_words: int,
) -> dict[str, Part]:
    """Variants by MS type, region or country, each a text with its own sources."""
    variants = raw.get("variants")
    if variants is None:
        return {}
    allowed: dict[str, tuple[str, ...]] = {**VARIANT_KINDS, COUNTRY: tuple(countries)}
    if not isinstance(variants, dict):
        c.add(where("variants"), f"must be a mapping of {', '.join(allowed)}")
        return {}
    result: dict[str, Part] = {}
    for kind, by_value in variants.items():
        if kind not in allowed:
            c.add(where(f"variants.{kind}"), f"unknown variant kind; use {', '.join(allowed)}")
            continue
        if not isinstance(by_value, dict) or not by_value:
            c.add(where(f"variants.{kind}"), "must map values to texts with their sources")
            continue
        for value, text in by_value.items():
            base = f"variants.{kind}.{value}"
            vw = where(base)
            if value not in allowed[kind]:
                c.add(vw, f"unknown {kind}; use one of {', '.join(allowed[kind])}")
                continue

            def at(name: str, base: str = base) -> str:
                return where(f"{base}.{name}" if name else base)

            part = _check_part(c, at, text, registry, max_words)
            if part is None:
                continue
            place = value if kind == "region" else countries[value].region if kind == COUNTRY else None
            if place and part.sources and all(s.authority not in (None, place) for s in part.sources):
                c.add(vw, f"cites only other regions' authorities ({', '.join(s.label for s in part.sources)})")
            result[f"{kind}.{value}"] = part
    return result


def _check_entry(
    c: _Checker, index: int, raw: Any, registry: Mapping[str, Source], countries: Mapping[str, Country]
) -> Entry | None:
    if not isinstance(raw, dict):
        c.add(f"entry #{index + 1}", "must be a mapping")
        return None
    before = len(c.problems)
    for missing in ("id", "question", "answer", "sources", "last_reviewed", "evidence", "related"):
        if missing not in raw:
            c.add(c.entry_where(index, raw, missing), "is required")
    for unknown in sorted(raw.keys() - _ENTRY_FIELDS):
        c.add(c.entry_where(index, raw, str(unknown)), "is not a known field")

    def where(f: str) -> str:
        return c.entry_where(index, raw, f)

    entry_id = raw.get("id")
    if "id" in raw and (not isinstance(entry_id, str) or not _ID_RE.match(entry_id)):
        c.add(where("id"), "must be lower_snake_case letters, digits and _")
    if "question" in raw:
        _check_text(c, where("question"), raw["question"], max_chars=MAX_QUESTION_CHARS)
    answer_ok = "answer" in raw and _check_text(c, where("answer"), raw["answer"], max_words=MAX_ANSWER_WORDS)
    dated = _check_dated(c, where("dated"), raw.get("dated"), raw["answer"]) if answer_ok else ()
    detail = None
    if raw.get("detail") is not None:
        detail = _check_part(
            c, lambda f: where(f"detail.{f}" if f else "detail"), raw["detail"], registry, MAX_DETAIL_WORDS
        )
    reviewed = raw.get("last_reviewed")
    if "last_reviewed" in raw:
        _check_date(c, where("last_reviewed"), reviewed)
    if "evidence" in raw and raw["evidence"] not in EVIDENCE_KINDS:
        c.add(where("evidence"), f"must be one of {', '.join(EVIDENCE_KINDS)}")
    related = raw.get("related")
    if "related" in raw and (
        not isinstance(related, list)
        or not all(isinstance(r, str) for r in related)
        or not 1 <= len(related) <= MAX_RELATED
    ):
        c.add(where("related"), f"must be a list of 1 to {MAX_RELATED} entry ids")
    if "ask_region" in raw and not isinstance(raw["ask_region"], bool):
        c.add(where("ask_region"), "must be true or false")
    if "safety_entry" in raw and not isinstance(raw["safety_entry"], str):
        c.add(where("safety_entry"), "must be an entry id")
    sources = _check_sources(c, raw, where, registry)
    variants = _check_variants(c, where, raw, registry, countries, MAX_ANSWER_WORDS)
    if raw.get("ask_region") and not any(k.startswith("region.") for k in variants):
        c.add(where("ask_region"), "needs region variants to choose from")
    if len(c.problems) > before:
        return None
    answer = " ".join(raw["answer"].split())
    parts = {"answer": Part(answer, sources, dated), **({"detail": detail} if detail else {}), **variants}
    texts: dict[str, dict[str, str]] = {}
    for key, part in variants.items():
        kind, value = key.split(".", 1)
        texts.setdefault(kind, {})[value] = part.text
    return Entry(
        id=str(entry_id),
        question=raw["question"].strip(),
        answer=answer,
        detail=detail.text if detail else None,
        variants=texts,
        sources=sources,
        last_reviewed=reviewed,  # type: ignore[arg-type]  # checked above
        evidence=raw["evidence"],
        related=tuple(related or ()),
        ask_region=bool(raw.get("ask_region", False)),
        safety_entry=raw.get("safety_entry"),
        parts=parts,
        dated=dated,
    )


def _check_terms(c: _Checker, terms: Any) -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, Country]]:
    """MS types and regions with their words; a region may list its countries, each with its own
    words ({words: [...], countries: {canada: [...]}}). A region's words include its countries'."""
    if not isinstance(terms, dict):
        c.add("terms", "must map ms_type and region to their synonyms")
        return {}, {}
    result: dict[str, dict[str, tuple[str, ...]]] = {}
    countries: dict[str, Country] = {}

    def words_of(where: str, synonyms: Any) -> tuple[str, ...] | None:
        if not isinstance(synonyms, list) or not all(isinstance(s, str) and s.strip() for s in synonyms):
            c.add(where, "must be a list of non-empty texts")
            return None
        return tuple(" ".join(s.lower().split()) for s in synonyms)

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
                continue
            own = synonyms
            if kind == "region" and isinstance(synonyms, dict):
                for unknown in sorted(synonyms.keys() - {"words", "countries"}, key=str):
                    c.add(f"{where}.{unknown}", "is not a known field (use words and countries)")
                own = synonyms.get("words", [])
                for key, country_words in (synonyms.get("countries") or {}).items():
                    cw = f"terms, field '{kind}.{value}.countries.{key}'"
                    if not isinstance(key, str) or not _ID_RE.match(key):
                        c.add(cw, "must be a lower_snake_case key")
                    elif key in countries:
                        c.add(cw, f"'{key}' is already listed under region '{countries[key].region}'")
                    elif (checked := words_of(cw, country_words)) is not None:
                        countries[key] = Country(key, str(value), checked)
            checked = words_of(where, own)
            if checked is not None:
                mine = [w for country in countries.values() if country.region == value for w in country.words]
                result[kind][value] = tuple(dict.fromkeys([*checked, *mine]))
    for unknown in sorted(terms.keys() - VARIANT_KINDS.keys()):
        c.add(f"terms, field '{unknown}'", "is not a known term kind")
    return result, countries


def _check_date(c: _Checker, where: str, value: Any) -> bool:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        c.add(where, "must be a date written YYYY-MM-DD")
        return False
    if value > dt.date.today():
        c.add(where, f"{value} is in the future")
        return False
    return True


def _check_notices(
    c: _Checker, raw_notices: Any, registry: Mapping[str, Source], countries: Mapping[str, Country]
) -> dict[str, Notice]:
    if not isinstance(raw_notices, dict):
        c.add("field 'notices'", f"must map {', '.join(REQUIRED_NOTICES)} to texts with sources")
        return {}
    notices: dict[str, Notice] = {}
    for missing in REQUIRED_NOTICES:
        if missing not in raw_notices:
            c.add(f"notice '{missing}'", "is required")
    known = {"text", "sources", "dated", "variants", "last_reviewed"}
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
        for unknown in sorted(raw.keys() - known):
            c.add(where(str(unknown)), "is not a known field")
        text_ok = "text" in raw and _check_text(c, where("text"), raw["text"], max_words=MAX_NOTICE_WORDS)
        dated = _check_dated(c, where("dated"), raw.get("dated"), raw["text"]) if text_ok else ()
        if "last_reviewed" in raw:
            _check_date(c, where("last_reviewed"), raw["last_reviewed"])
        sources = _check_sources(c, raw, where, registry)
        if "variants" in raw and isinstance(raw["variants"], dict) and "ms_type" in raw["variants"]:
            c.add(where("variants.ms_type"), "notices vary by region and country only")
        variants = _check_variants(c, where, raw, registry, countries, MAX_NOTICE_WORDS)
        if len(c.problems) == before:
            text = " ".join(raw["text"].split())
            notices[str(notice_id)] = Notice(
                str(notice_id),
                text,
                sources,
                raw["last_reviewed"],
                parts=variants,
                dated=dated,
            )
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


def check_self_check(
    c: _Checker, raw: Any, entries: set[Any], registry: Mapping[str, Source] | None = None
) -> SelfCheck | None:
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
    sources = _check_sources(c, raw, lambda f: f"{where}, field '{f}'", registry)
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
    registry = _check_registry(c, data.get("sources"))
    terms, countries = _check_terms(c, data.get("terms"))
    notices = _check_notices(c, data.get("notices"), registry, countries)
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        c.add("field 'entries'", "must be a non-empty list")
        raw_entries = []
    entries: dict[str, Entry] = {}
    for index, raw in enumerate(raw_entries):
        entry = _check_entry(c, index, raw, registry, countries)
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
    self_check = check_self_check(c, data.get("self_check"), entry_ids, registry)
    if c.problems:
        raise KnowledgeError(c.problems)
    return Knowledge(
        path=path, entries=entries, terms=terms, notices=notices, self_check=self_check, countries=countries
    )


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
    """python -m actions.knowledge [FILE] [--today YYYY-MM-DD]: the schema, then what is stale."""
    args = list(argv[1:])
    today = dt.date.today()
    if "--today" in args:
        at = args.index("--today")
        today = dt.date.fromisoformat(args[at + 1])
        del args[at : at + 2]
    path = args[0] if args else "knowledge/ahsct.yml"
    try:
        knowledge = load_knowledge(path)
    except KnowledgeError as exc:
        print(f"Invalid knowledge file:\n{exc}", file=sys.stderr)
        return 1
    stale = stale_items(knowledge, today)
    if stale:
        print(f"{path}: {len(stale)} item(s) to re-check before release (today is {today}):", file=sys.stderr)
        for line in stale:
            print(f"  - {line}", file=sys.stderr)
        return 1
    print(f"{path}: {len(knowledge.entries)} entries valid, nothing stale on {today}")
    return 0
