"""Stale medical content stops a release: which dated facts and reviews are too old.

Plain Python with no Rasa import. `python -m actions.knowledge` (and so `make validate` and
`make test`) fails with this list, so a time-sensitive statement (a trial's status, a national
or insurer policy, a helpline number, a regulator's position) is re-checked before it misleads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from actions.knowledge.model import Dated, Knowledge, Notice, Part
from actions.knowledge.rules import DATED_KINDS, MAX_REVIEW_AGE_MONTHS


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day if it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _notices(knowledge: Knowledge) -> list[tuple[str, Notice]]:
    """The notices and the glossary's definitions (a kind of notice), each named as problems name it."""
    return [(f"notice '{n.id}'", n) for n in knowledge.notices.values()] + [
        (f"glossary term '{t.id}'", t) for t in knowledge.glossary.values()
    ]


def _parts(knowledge: Knowledge) -> Iterator[tuple[str, str, Part]]:
    for where, notice in _notices(knowledge):
        yield where, "text", notice.part_for()
        for key, part in notice.parts.items():
            yield where, f"variants.{key}", part
    for entry in knowledge.entries.values():
        for key, part in entry.parts.items():
            yield f"entry '{entry.id}'", key if key in ("answer", "detail") else f"variants.{key}", part


def stale_items(knowledge: Knowledge, today: dt.date) -> list[str]:
    """What to re-check, one line each: dated statements past their limit (DATED_KINDS) and
    reviews older than MAX_REVIEW_AGE_MONTHS. An empty list means nothing is stale today."""
    problems: list[str] = []
    oldest_review = months_before(today, MAX_REVIEW_AGE_MONTHS)
    reviewed = [(where, notice.last_reviewed) for where, notice in _notices(knowledge)]
    reviewed += [(f"entry '{e.id}'", e.last_reviewed) for e in knowledge.entries.values()]
    if knowledge.self_check is not None:
        reviewed.append(("self_check", knowledge.self_check.last_reviewed))
    for where, day in reviewed:
        if day < oldest_review:
            problems.append(
                f"{where}: last reviewed {day}, more than {MAX_REVIEW_AGE_MONTHS} months ago: re-check the whole of it"
            )
    for where, field, part in _parts(knowledge):
        for dated in part.dated:
            problem = _stale(dated, today)
            if problem:
                problems.append(f"{where}, {field}: {problem}")
    return problems


def _stale(dated: Dated, today: dt.date) -> str | None:
    if dated.as_of is None:  # said_on: what a source said on a past day, worded as such
        return None
    months = DATED_KINDS[dated.kind]
    if dated.as_of < months_before(today, months):
        return (
            f"{dated.fact!r} ({dated.kind}) was checked on {dated.as_of}, more than {months} months ago: "
            "re-check it and update the text and its as_of, or say what the source said and when (said_on)"
        )
    return None
