"""How knowledge/ahsct.yml is written, declared with pydantic (version 1, as installed with Rasa).

Each mapping of the file is a model below. A field's check (`plain_text(max_words=95)`, `checked(...)`)
says in words what is wrong with a value; the limits and the other editorial rules come from
rules.py. The `check_*` functions validate the file a part at a time, so that one bad entry does
not hide the problems of the others, and name every problem by its entry and field: "entry
'fda_status' (#16), field 'sources[0].url': host 'x' is not a canonical source address". The
loader adds the file's name.

Three things pydantic 1 does differently, handled here once:
- A field's check runs before pydantic's own, on null too: YAML's `text:` with nothing after it
  "must be a non-empty text", where pydantic would say "none is not an allowed value" or take it
  as left out. Fields declared `blank=True` may be left out or left blank alike.
- Problems are worded as the file's editors know them: "is required", "is not a known field".
- There is no validation context (pydantic 2 has one): the sources listed at the top, the
  countries and the entry ids reach the checks through `using(Context(...))`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, Extra, Field, PrivateAttr, ValidationError, root_validator, validator
from pydantic.error_wrappers import ErrorWrapper
from pydantic.errors import ExtraError, MissingError
from pydantic.fields import SHAPE_SINGLETON, ModelField

from actions.knowledge import rules
from actions.knowledge.model import (
    COUNTRY,
    EVIDENCE_KINDS,
    MS_TYPES,
    REGIONS,
    VARIANT_KINDS,
    Country,
    Dated,
    Definition,
    Entry,
    Notice,
    Part,
    Source,
)

ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
ID_RULE = "must be lower_snake_case letters, digits and _"
VARIANT_KIND_NAMES = (*VARIANT_KINDS, COUNTRY)
T = TypeVar("T")
Loc = tuple[Any, ...]  # where a problem is, within the part checked: ("sources", 0, "url")


@dataclass(frozen=True)
class Context:
    """What a part of the file is checked against: the sources listed at the top, the countries
    listed under `terms` (None while the terms are broken: country keys are then not checked) and
    the ids of the entries."""

    registry: Mapping[str, Source] = field(default_factory=dict)
    countries: Mapping[str, Country] | None = None
    entry_ids: frozenset[str] = frozenset()


_NO_CONTEXT = Context()
_context: ContextVar[Context | None] = ContextVar("knowledge_schema_context", default=None)


def current() -> Context:
    return _context.get() or _NO_CONTEXT


@contextmanager
def using(context: Context) -> Iterator[None]:
    token = _context.set(context)
    try:
        yield
    finally:
        _context.reset(token)


# --- checks ------------------------------------------------------------------------------------


def located(problems: Sequence[tuple[Loc, str]]) -> ValidationError:
    """Several problems of one value, each at its place within it."""
    return ValidationError([ErrorWrapper(ValueError(problem), loc=loc) for loc, problem in problems], Schema)


def each(items: Sequence[Any], check: Callable[[Any], T]) -> list[T]:
    """Every item checked; the problems of all of them at once, each at its index."""
    good: list[T] = []
    errors: list[ErrorWrapper] = []
    for n, item in enumerate(items):
        try:
            good.append(check(item))
        except ValueError as exc:
            errors.append(ErrorWrapper(exc, loc=(n,)))
    if errors:
        raise ValidationError(errors, Schema)
    return good


def ok(value: Any, problem: str | None) -> Any:
    """The value, or a ValueError if there is a problem."""
    if problem:
        raise ValueError(problem)
    return value


def converted(convert: Callable[[Any], Any], default: Any = ..., *, blank: bool = False) -> Any:
    """A field whose value `convert` checks (raising ValueError) and returns, perhaps converted."""
    return Field(default, check=convert, blank=blank)


def checked(problem: Callable[[Any], str | None], default: Any = ..., *, blank: bool = False) -> Any:
    """A field whose value `problem` finds nothing wrong with (it returns None)."""
    return converted(lambda value: ok(value, problem(value)), default, blank=blank)


def plain_text(default: Any = ..., *, blank: bool = False, **limits: int) -> Any:
    """A non-empty plain text within max_words or max_chars (rules.text_problem)."""
    return checked(lambda value: rules.text_problem(value, **limits), default, blank=blank)


def plain_texts(value: Any, max_chars: int = 120) -> tuple[str, ...]:
    """A non-empty list of texts."""
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of texts")
    return tuple(each(value, lambda item: ok(item, rules.text_problem(item, max_chars=max_chars)).strip()))


def synonyms(value: Any) -> tuple[str, ...]:
    """Synonyms: a list of non-empty texts, kept lower case with single spaces."""
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise ValueError("must be a list of non-empty texts")
    return tuple(" ".join(s.lower().split()) for s in value)


def one_of(choices: Sequence[str], after: str = "") -> Callable[[Any], str | None]:
    return lambda value: None if value in choices else f"must be one of {', '.join(choices)}{after}"


def identifier(value: Any) -> str | None:
    return None if isinstance(value, str) and ID_RE.match(value) else ID_RULE


def true_or_false(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def an_entry_id(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be an entry id"


def related(value: Any) -> tuple[str, ...]:
    """The related entries: 1 to rules.MAX_RELATED ids (that they exist is checked with all entries)."""
    if isinstance(value, list) and all(isinstance(r, str) for r in value) and 1 <= len(value) <= rules.MAX_RELATED:
        return tuple(value)
    raise ValueError(f"must be a list of 1 to {rules.MAX_RELATED} entry ids")


def entry_ids(value: Any) -> tuple[str, ...]:
    """A list of entry ids (that they exist is checked with all entries)."""
    if isinstance(value, list) and value and all(isinstance(r, str) for r in value):
        return tuple(value)
    raise ValueError("must be a list of entry ids")


def place_keys(value: Any) -> tuple[str, ...]:
    """A list of country keys (those listed under `terms`) or region keys."""
    countries = current().countries
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of country or region keys")
    unknown = [v for v in value if countries is not None and v not in countries and v not in REGIONS]
    if unknown:
        raise ValueError(f"unknown country or region: {', '.join(unknown)}")
    return tuple(value)


def day(value: Any) -> str | None:
    """A day written YYYY-MM-DD (YAML reads it as a date), not in the future."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return "must be a date written YYYY-MM-DD"
    return f"{value} is in the future" if value > dt.date.today() else None


def mapping(
    problem: str, key_problem: Callable[[Any], str | None], item: Callable[[Any], T], *, empty: bool = False
) -> Callable[[Any], dict[Any, T]]:
    """A mapping (`problem` if it is not one, or is empty and may not be) whose keys and items
    are checked; the problems of all of them at once, each at its key."""

    def check(value: Any) -> dict[Any, T]:
        if not isinstance(value, dict) or not (value or empty):
            raise ValueError(problem)
        good: dict[Any, T] = {}
        errors: list[ErrorWrapper] = []
        for key, value_item in value.items():
            try:
                good[key] = item(ok(value_item, key_problem(key)))
            except ValueError as exc:
                errors.append(ErrorWrapper(exc, loc=(key,)))
        if errors:
            raise ValidationError(errors, Schema)
        return good

    return check


def known(kind: str, choices: Callable[[], Sequence[str] | None]) -> Callable[[Any], str | None]:
    """A key that names a value of `kind` (any key when `choices()` is None)."""

    def problem(key: Any) -> str | None:
        allowed = choices()
        return None if allowed is None or key in allowed else f"unknown {kind}; use one of {', '.join(allowed)}"

    return problem


class Schema(BaseModel):
    """A mapping of the file. `shape` is said when the value is not a mapping, `unknown` of a key
    that is not a field. `missing_as_null`: a field left out gets its check's message (a left-out
    `sources` "must be a non-empty list of sources"), not "is required"."""

    shape: ClassVar[str] = "must be a mapping"
    unknown: ClassVar[str] = "is not a known field"
    missing_as_null: ClassVar[bool] = False

    class Config:
        extra = Extra.forbid

    @root_validator(pre=True)
    def _left_out(cls, values: dict[str, Any]) -> dict[str, Any]:
        if cls.missing_as_null:
            return {**{name: None for name, f in cls.__fields__.items() if f.required}, **values}
        return values

    @validator("*", pre=True)
    def _check(cls, value: Any, field: ModelField) -> Any:
        extra = field.field_info.extra
        if value is None and extra.get("blank"):
            return None
        if "check" in extra:
            return extra["check"](value)
        model = field.type_ if field.shape == SHAPE_SINGLETON and isinstance(field.type_, type) else None
        if model and issubclass(model, Schema) and not isinstance(value, dict):
            raise ValueError(model.shape)  # a mapping field (detail, variants) left blank, or a text
        return value

    @classmethod
    def validate(cls: type[S], value: Any) -> S:
        if isinstance(value, cls):  # checked already, by the field's check
            return value
        if not isinstance(value, dict):
            raise ValueError(cls.shape)
        return super().validate({str(key): item for key, item in value.items()})


S = TypeVar("S", bound=Schema)


# --- sources and texts -------------------------------------------------------------------------


class SourceSchema(Schema):
    """A source written out: in the `sources` list at the top (by id), or inline."""

    shape = "must be a source id or a mapping with title, publisher, year and url"

    title: str = plain_text(max_chars=250)
    publisher: str = plain_text(max_chars=120)
    short: str | None = plain_text(None, blank=True, max_chars=rules.MAX_SHORT_CHARS)  # the label under an answer
    authority: str | None = checked(one_of(REGIONS, " (or left out)"), None, blank=True)  # whose national body
    year: int | str = checked(lambda value: rules.year_problem(value, dt.date.today()))  # or "undated"
    url: str = checked(rules.url_problem)

    def to_model(self) -> Source:
        short = self.short.strip() if self.short else None
        return Source(self.title.strip(), self.publisher.strip(), self.year, self.url.strip(), short, self.authority)


def source(value: Any) -> Source:
    """An id from the `sources` list at the top, or a source written out."""
    if not isinstance(value, str):
        return SourceSchema.validate(value).to_model()
    registry = current().registry
    return ok(registry.get(value), None if value in registry else f"unknown source id '{value}'")


def sources(value: Any) -> tuple[Source, ...]:
    """The sources of one text: a non-empty list of source ids or sources."""
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of sources")
    return tuple(each(value, source))


class DatedSchema(Schema):
    """A time-sensitive statement of a text (model.Dated): as_of (the day it was checked) or
    said_on (the day a source said it), not both."""

    shape = "must be a mapping with fact, kind and as_of or said_on"

    fact: str = plain_text(max_chars=rules.MAX_FACT_CHARS)
    kind: str = checked(one_of(tuple(rules.DATED_KINDS)))
    as_of: dt.date | None = checked(day, None)
    said_on: dt.date | None = checked(day, None)

    @classmethod
    def validate(cls: type[S], value: Any) -> S:
        dates = [k for k in ("as_of", "said_on") if isinstance(value, dict) and k in value]
        if not isinstance(value, dict) or len(dates) == 1:
            return super().validate(value)
        problem = "needs exactly one of as_of (checked that day) or said_on (what a source said then)"
        try:
            super().validate({k: v for k, v in value.items() if k not in dates})
            errors = []
        except ValidationError as exc:
            errors = list(exc.raw_errors)
        raise ValidationError([*errors, ErrorWrapper(ValueError(problem), loc=())], cls)

    def to_model(self) -> Dated:
        return Dated(self.fact, self.kind, self.as_of, self.said_on)


def dated(value: Any) -> tuple[DatedSchema, ...]:
    if not isinstance(value, list):
        raise ValueError("must be a list of dated statements (fact, kind, as_of or said_on)")
    return tuple(each(value, DatedSchema.validate))


def said_in(text_field: str) -> Any:
    """The validator of `dated`: the text (field `text_field`) says each one's month and year."""

    def check(cls: type[Schema], statements: tuple[DatedSchema, ...] | None, values: dict[str, Any]) -> Any:
        text = values.get(text_field)
        problems = [
            ((n,), problem)
            for n, d in enumerate(statements or ())
            if text is not None and (problem := rules.said_when_problem(d.fact, d.to_model().date, text))
        ]
        if problems:
            raise located(problems)
        return statements

    return validator("dated", allow_reuse=True)(check)


class PartSchema(Schema):
    """A text shown on its own (a detail, a variant) with its own sources and dated statements."""

    shape = "must be a mapping with text and its own sources (and dated statements, if any)"
    missing_as_null = True

    text: str = plain_text(max_words=rules.MAX_DETAIL_WORDS)
    sources: tuple[Source, ...] = converted(sources)
    dated: tuple[DatedSchema, ...] | None = converted(dated, None, blank=True)

    _said_when = said_in("text")

    def to_model(self) -> Part:
        return Part(" ".join(self.text.split()), self.sources, tuple(d.to_model() for d in self.dated or ()))


class AnswerVariant(PartSchema):
    text: str = plain_text(max_words=rules.MAX_ANSWER_WORDS)


class PointSchema(AnswerVariant):
    """A specific point people ask about within a topic ("is it a cure", "will I lose my hair"): the
    words that ask it and a short sourced text (an Entry part "point.<id>")."""

    shape = "must be a mapping with asked (the words that ask it), text and sources"

    asked: tuple[str, ...] = converted(synonyms)
    # Other entries whose answer this point takes the place of when asked ("did anyone die in the
    # Canadian trial?" is read as the death rate): their ids (that they exist is checked with all entries).
    also_for: tuple[str, ...] | None = converted(entry_ids, None, blank=True)
    # The countries or regions the text is written for ("which hospital" names Australia's hospitals):
    # for a person elsewhere, a point of the same entry written for their place takes its place.
    for_places: tuple[str, ...] | None = converted(place_keys, None, blank=True)


def _point_id(key: Any) -> str | None:
    return identifier(key)


class NoticeVariant(PartSchema):
    text: str = plain_text(max_words=rules.MAX_NOTICE_WORDS)


def _own_authorities(cls: type[Schema], parts: dict[str, PartSchema], field: ModelField) -> dict[str, PartSchema]:
    """A region's (or a country's) text cites that region's own bodies (rules.authority_problem)."""
    countries = current().countries
    problems = []
    for value, part in parts.items():
        place = value if field.name == "region" else countries[value].region if countries else None
        problem = rules.authority_problem(place, part.sources) if place else None
        if problem:
            problems.append(((value,), problem))
    if problems:
        raise located(problems)
    return parts


def _variants(kind: str, choices: Callable[[], Sequence[str] | None], part: Callable[[Any], T]) -> Any:
    """A field of variants: texts by value of `kind`."""
    return converted(mapping("must map values to texts with their sources", known(kind, choices), part), None)


def _countries() -> Sequence[str] | None:
    countries = current().countries
    return None if countries is None else tuple(countries)


class VariantsSchema(Schema):
    """Texts by MS type, region or country, each with its own sources, in the file's order."""

    shape = f"must be a mapping of {', '.join(VARIANT_KIND_NAMES)}"
    unknown = f"unknown variant kind; use {', '.join(VARIANT_KIND_NAMES)}"

    _kinds: tuple[str, ...] = PrivateAttr(())
    _authorities = validator("region", "country", allow_reuse=True, check_fields=False)(_own_authorities)

    @classmethod
    def validate(cls: type[S], value: Any) -> S:
        variants = super().validate(value)
        variants._kinds = tuple(str(kind) for kind in value if kind in cls.__fields__)  # type: ignore[attr-defined]
        return variants

    def parts(self) -> dict[str, Part]:
        """{"region.uk": Part(...)}, in the file's order."""
        by_kind = {kind: getattr(self, kind) or {} for kind in self._kinds}
        return {f"{kind}.{value}": part.to_model() for kind, parts in by_kind.items() for value, part in parts.items()}


class AnswerVariants(VariantsSchema):
    ms_type: dict[str, AnswerVariant] | None = _variants("ms_type", lambda: MS_TYPES, AnswerVariant.validate)
    region: dict[str, AnswerVariant] | None = _variants("region", lambda: REGIONS, AnswerVariant.validate)
    country: dict[str, AnswerVariant] | None = _variants(COUNTRY, _countries, AnswerVariant.validate)


class NoticeVariants(VariantsSchema):
    ms_type: None = checked(lambda value: "notices vary by region and country only", None)  # never given
    region: dict[str, NoticeVariant] | None = _variants("region", lambda: REGIONS, NoticeVariant.validate)
    country: dict[str, NoticeVariant] | None = _variants(COUNTRY, _countries, NoticeVariant.validate)


# --- entries, notices, terms, the file ---------------------------------------------------------


class EntrySchema(Schema):
    """A question and its answer (model.Entry)."""

    id: str = checked(identifier)
    question: str = plain_text(max_chars=rules.MAX_QUESTION_CHARS)
    answer: str = plain_text(max_words=rules.MAX_ANSWER_WORDS)
    dated: tuple[DatedSchema, ...] | None = converted(dated, None, blank=True)
    detail: PartSchema | None = Field(None, blank=True)
    last_reviewed: dt.date = checked(day)
    evidence: str = checked(one_of(EVIDENCE_KINDS))
    related: tuple[str, ...] = converted(related)
    ask_region: bool = checked(true_or_false, False)  # ask where the person lives before answering
    safety_entry: str | None = checked(an_entry_id, None)  # answers "is it safe?" asked right after
    sources: tuple[Source, ...] = converted(sources)
    variants: AnswerVariants | None = Field(None, blank=True)
    points: dict[str, PointSchema] | None = converted(
        mapping("must map point ids to what asks them and their text", _point_id, PointSchema.validate),
        None,
        blank=True,
    )

    _said_when = said_in("answer")

    @root_validator(skip_on_failure=False)
    def _region_to_ask(cls, values: dict[str, Any]) -> dict[str, Any]:
        variants = values.get("variants")
        if values.get("ask_region") and "variants" in values and not (variants and variants.region):
            raise located([(("ask_region",), "needs region variants to choose from")])
        return values

    def to_model(self) -> Entry:
        answer = " ".join(self.answer.split())
        dated = tuple(d.to_model() for d in self.dated or ())
        detail = self.detail.to_model() if self.detail else None
        variants = self.variants.parts() if self.variants else {}
        points = {f"point.{key}": point.to_model() for key, point in (self.points or {}).items()}
        texts: dict[str, dict[str, str]] = {}
        for key, part in variants.items():
            kind, value = key.split(".", 1)
            texts.setdefault(kind, {})[value] = part.text
        return Entry(
            id=self.id,
            question=self.question.strip(),
            answer=answer,
            detail=detail.text if detail else None,
            variants=texts,
            sources=self.sources,
            last_reviewed=self.last_reviewed,
            evidence=self.evidence,
            related=self.related,
            ask_region=self.ask_region,
            safety_entry=self.safety_entry,
            parts={
                "answer": Part(answer, self.sources, dated),
                **({"detail": detail} if detail else {}),
                **variants,
                **points,
            },
            dated=dated,
            points={key: point.asked for key, point in (self.points or {}).items()},
            points_also_for={key: point.also_for for key, point in (self.points or {}).items() if point.also_for},
            points_for_places={key: point.for_places for key, point in (self.points or {}).items() if point.for_places},
        )


class NoticeSchema(Schema):
    """A safety or support text (model.Notice), by region and country."""

    shape = "must be a mapping with text, sources and last_reviewed"

    text: str = plain_text(max_words=rules.MAX_NOTICE_WORDS)
    dated: tuple[DatedSchema, ...] | None = converted(dated, None, blank=True)
    last_reviewed: dt.date = checked(day)
    sources: tuple[Source, ...] = converted(sources)
    variants: NoticeVariants | None = Field(None, blank=True)

    _said_when = said_in("text")

    def to_model(self, notice_id: str) -> Notice:
        parts = self.variants.parts() if self.variants else {}
        dated = tuple(d.to_model() for d in self.dated or ())
        return Notice(notice_id, " ".join(self.text.split()), self.sources, self.last_reviewed, parts, dated)


class DefinitionSchema(NoticeSchema):
    """A term the answers use (NEDA, EDSS, JACIE): the words people use for it, and a short sourced
    definition (model.Definition)."""

    shape = "must be a mapping with words, text, sources and last_reviewed"

    words: tuple[str, ...] = converted(synonyms)

    def to_definition(self, term_id: str) -> Definition:
        notice = self.to_model(term_id)
        return Definition(
            notice.id, notice.text, notice.sources, notice.last_reviewed, notice.parts, notice.dated, self.words
        )


def _new_country(key: Any) -> str | None:
    return None if isinstance(key, str) and ID_RE.match(key) else "must be a lower_snake_case key"


class RegionTerms(Schema):
    """A region's words: a list, or {words: [...], countries: {canada: [...]}}."""

    shape = "must be a list of non-empty texts"
    unknown = "is not a known field (use words and countries)"

    words: tuple[str, ...] = converted(synonyms, ())
    countries: dict[str, tuple[str, ...]] | None = converted(
        mapping("must map country keys to their words", _new_country, synonyms, empty=True), None, blank=True
    )

    @classmethod
    def validate(cls: type[S], value: Any) -> S:
        if isinstance(value, list):
            synonyms(value)  # a problem with the list is the region's own, not its field 'words'
            value = {"words": value}
        return super().validate(value)


_SYNONYMS = "is required and must map values to synonym lists"


class TermsSchema(Schema):
    """MS types and regions with the words people use for them; a region may list its countries."""

    shape = "must map ms_type and region to their synonyms"
    unknown = "is not a known term kind"
    missing_as_null = True

    ms_type: dict[str, tuple[str, ...]] = converted(
        mapping(_SYNONYMS, known("ms_type", lambda: MS_TYPES), synonyms, empty=True)
    )
    region: dict[str, RegionTerms] = converted(
        mapping(_SYNONYMS, known("region", lambda: REGIONS), RegionTerms.validate, empty=True)
    )


class FileSchema(Schema):
    """The top of knowledge/ahsct.yml. Its sections are checked a part at a time (check_*):
    sources (SourceSchema by id), terms (TermsSchema), notices (NoticeSchema by id), entries
    (EntrySchema) and self_check (actions/self_check_schema.py)."""

    shape = "the file must be a mapping with 'version', 'terms' and 'entries'"
    unknown = "is not a known top-level field"
    missing_as_null = True

    version: int = checked(lambda value: None if value == 1 else "must be 1")
    sources: Any = None
    terms: Any = None
    notices: Any = None
    glossary: Any = None
    entries: Any = None
    self_check: Any = None


# --- problems ----------------------------------------------------------------------------------

# Lists whose items are named after the field: "field 'dated'[0].kind", "field 'words'[2]".
_ITEMS_OUTSIDE = frozenset({"dated", "words", "offered_after", "neurologist_questions"})


def field_name(loc: Loc) -> str:
    """How a problem names a field: ("sources", 0, "url") -> "field 'sources[0].url'"."""
    inside = outside = ""
    for n, step in enumerate(loc):
        if isinstance(step, int) and (outside or (n and loc[n - 1] in _ITEMS_OUTSIDE)):
            outside += f"[{step}]"
        elif isinstance(step, int):
            inside += f"[{step}]"
        elif outside:
            outside += f".{step}"
        else:
            inside += f".{step}" if inside else str(step)
    return f"field '{inside}'{outside}"


def problems_of(error: Exception, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Each problem of a failed check: where it is, and what, worded for the file's editors. At
    each level what is missing comes first (by name), then what is unknown, then the rest in the
    fields' order."""
    if not isinstance(error, ValidationError):
        yield tuple(step for step in loc if step != "__root__"), str(error)
        return

    def flat(errors: Sequence[Any]) -> Iterator[ErrorWrapper]:
        for item in errors:
            yield from flat(item) if isinstance(item, list) else (item,)

    def rank(wrapper: ErrorWrapper) -> tuple[int, str]:
        missing, unknown = isinstance(wrapper.exc, MissingError), isinstance(wrapper.exc, ExtraError)
        return (0, str(wrapper.loc_tuple())) if missing else (1 if unknown else 2, "")

    for wrapper in sorted(flat(error.raw_errors), key=rank):
        here = (*loc, *wrapper.loc_tuple())
        if isinstance(wrapper.exc, MissingError):
            yield here, "is required"
        elif isinstance(wrapper.exc, ExtraError):
            yield here, getattr(error.model, "unknown", "is not a known field")
        else:
            yield from problems_of(wrapper.exc, here)


def check(schema: Callable[[Any], T], raw: Any, where: Callable[[Loc], str], problems: list[str]) -> T | None:
    """`schema(raw)`, or None with each problem added as "where: what"."""
    try:
        return schema(raw)
    except ValueError as exc:
        problems.extend(f"{where(loc)}: {problem}" for loc, problem in problems_of(exc))
        return None


# --- the parts of the file ---------------------------------------------------------------------


def check_file(data: dict[str, Any], problems: list[str]) -> None:
    """The version, and no unknown section."""
    check(FileSchema.validate, data, field_name, problems)


def check_registry(raw: Any, problems: list[str]) -> dict[str, Source]:
    """The `sources` list at the top: each source once, by id."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append("field 'sources': must map source ids to sources")
        return {}
    registry: dict[str, Source] = {}
    for source_id, item in raw.items():
        if identifier(source_id) is not None:
            problems.append(f"source '{source_id}': id {ID_RULE}")
            continue

        def where(loc: Loc, sid: str = source_id) -> str:
            return f"source '{sid}', {field_name(loc or ('source',))}"

        checked_source = check(SourceSchema.validate, item, where, problems)
        if checked_source is not None:
            registry[source_id] = checked_source.to_model()
    return registry


def check_terms(
    raw: Any, problems: list[str]
) -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, Country] | None]:
    """The terms, and the countries listed under the regions (None if the terms are broken). A
    region's words include its countries' words."""
    terms = check(TermsSchema.validate, raw, lambda loc: f"terms, {field_name(loc)}" if loc else "terms", problems)
    if terms is None:
        return {}, None
    countries: dict[str, Country] = {}
    by_region: dict[str, tuple[str, ...]] = {}
    for region, region_terms in terms.region.items():
        for key, country_words in (region_terms.countries or {}).items():
            if key in countries:
                problems.append(
                    f"terms, field 'region.{region}.countries.{key}': "
                    f"'{key}' is already listed under region '{countries[key].region}'"
                )
            else:
                countries[key] = Country(key, region, country_words)
        theirs = [w for country in countries.values() if country.region == region for w in country.words]
        by_region[region] = tuple(dict.fromkeys([*region_terms.words, *theirs]))
    by_ms_type = {value: tuple(dict.fromkeys(words)) for value, words in terms.ms_type.items()}
    return {"ms_type": by_ms_type, "region": by_region}, countries


def check_notices(raw: Any, problems: list[str]) -> dict[str, Notice]:
    """The safety and support notices, rules.REQUIRED_NOTICES among them."""
    if not isinstance(raw, dict):
        problems.append(f"field 'notices': must map {', '.join(rules.REQUIRED_NOTICES)} to texts with sources")
        return {}
    problems.extend(f"notice '{missing}': is required" for missing in rules.REQUIRED_NOTICES if missing not in raw)
    notices: dict[str, Notice] = {}
    for notice_id, item in raw.items():

        def where(loc: Loc, nid: Any = notice_id) -> str:
            return f"notice '{nid}', {field_name(loc)}" if loc else f"notice '{nid}'"

        notice = check(NoticeSchema.validate, item, where, problems)
        if notice is not None:
            notices[str(notice_id)] = notice.to_model(str(notice_id))
    return notices


def check_glossary(raw: Any, problems: list[str]) -> dict[str, Definition]:
    """The terms the answers use, each word for one term only; the section may be left out."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append("field 'glossary': must map term ids to their words and definitions")
        return {}
    terms: dict[str, Definition] = {}
    owner: dict[str, str] = {}
    for term_id, item in raw.items():

        def where(loc: Loc, tid: Any = term_id) -> str:
            return f"glossary term '{tid}', {field_name(loc)}" if loc else f"glossary term '{tid}'"

        checked_term = check(DefinitionSchema.validate, item, where, problems)
        if checked_term is None:
            continue
        for word in checked_term.words:
            if word in owner:
                problems.append(
                    f"glossary term '{term_id}', field 'words': '{word}' is already a word of '{owner[word]}'"
                )
            owner.setdefault(word, str(term_id))
        terms[str(term_id)] = checked_term.to_definition(str(term_id))
    return terms


def entry_label(index: int, raw: Any) -> str:
    entry_id = raw.get("id") if isinstance(raw, dict) else None
    return f"entry '{entry_id}' (#{index + 1})" if isinstance(entry_id, str) else f"entry #{index + 1}"


def check_entries(raw: Any, problems: list[str]) -> dict[str, Entry]:
    """The entries, each id once, and the entries they name (related, safety_entry) exist."""
    if not isinstance(raw, list) or not raw:
        problems.append("field 'entries': must be a non-empty list")
        return {}
    entries: dict[str, Entry] = {}
    for index, item in enumerate(raw):

        def where(loc: Loc, index: int = index, item: Any = item) -> str:
            return f"{entry_label(index, item)}, {field_name(loc)}" if loc else entry_label(index, item)

        checked_entry = check(EntrySchema.validate, item, where, problems)
        entry = checked_entry.to_model() if checked_entry is not None else None
        if entry is not None and entry.id in entries:
            problems.append(f"{entry_label(index, item)}, field 'id': duplicate id '{entry.id}'")
        elif entry is not None:
            entries[entry.id] = entry
    for index, item in enumerate(raw):
        entry_id = item.get("id") if isinstance(item, dict) else None
        entry = entries.get(entry_id) if isinstance(entry_id, str) else None
        if entry is None:
            continue
        label = entry_label(index, item)
        for n, other in enumerate(entry.related):
            if other == entry.id:
                problems.append(f"{label}, field 'related[{n}]': an entry cannot be related to itself")
            elif other not in entries:
                problems.append(f"{label}, field 'related[{n}]': unknown entry id '{other}'")
        if entry.safety_entry is not None and entry.safety_entry not in entries:
            problems.append(f"{label}, field 'safety_entry': unknown entry id '{entry.safety_entry}'")
        for point_id, others in entry.points_also_for.items():
            for other in others:
                if other == entry.id or other not in entries:
                    problems.append(f"{label}, field 'points.{point_id}.also_for': '{other}' is not another entry")
    # Words that ask a point belong to one point only: which text to show must never be a guess.
    owner: dict[str, str] = {}
    for entry in entries.values():
        for point_id, asked in entry.points.items():
            for words in asked:
                owner_name = f"{entry.id}.{point_id}"
                if words in owner:
                    problems.append(
                        f"entry '{entry.id}', field 'points.{point_id}.asked': '{words}' already asks {owner[words]}"
                    )
                owner.setdefault(words, owner_name)
    return entries
