"""Specific points people ask within a topic: "is it a cure", "how long till i can drive", "will i
lose my hair". Each point is a short sourced text of a knowledge entry ("point.<id>"), asked by the
words the knowledge file lists for it. Plain Python, no Rasa import.

A fourth stranger's test (2026-12-01) judged 28 of 60 first answers "partly right": the right topic,
but the specific point asked was missing ("how long till i can drive" got the hospital stay).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.knowledge import Entry, Knowledge, Part, Place

_PUNCTUATION = re.compile(r"[^a-z0-9' ]+")
_PATTERNS: dict[int, tuple[re.Pattern[str], dict[str, tuple[str, str]]]] = {}


@dataclass(frozen=True)
class Point:
    entry: Entry
    id: str

    @property
    def key(self) -> str:
        return f"point.{self.id}"

    @property
    def part(self) -> Part:
        return self.entry.parts[self.key]

    def answers(self, entry_id: str) -> bool:
        """Whether this point is of that entry, or takes the place of its answer (also_for)."""
        return entry_id == self.entry.id or entry_id in self.entry.points_also_for.get(self.id, ())


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def _pattern(knowledge: Knowledge) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """Every point's words (longest first) and, for each, its (entry id, point id); cached per
    knowledge file loaded."""
    if id(knowledge) not in _PATTERNS:
        owner = {
            _normalise(words): (entry.id, point_id)
            for entry in knowledge.entries.values()
            for point_id, asked in entry.points.items()
            for words in asked
            if _normalise(words)
        }
        alternatives = "|".join(re.escape(w) for w in sorted(owner, key=len, reverse=True)) or "(?!)"
        _PATTERNS.clear()
        _PATTERNS[id(knowledge)] = (re.compile(rf"(?<![a-z0-9'])(?:{alternatives})(?![a-z0-9'])"), owner)
    return _PATTERNS[id(knowledge)]


def points_asked(knowledge: Knowledge, text: str | None, place: Place | None = None) -> list[Point]:
    """The points a message asks about, in the order it names them, each once. For a person in `place`,
    a point written for other places gives way to its entry's point for theirs ("which hospital" from
    someone in Leeds got Australia's hospitals first: a twenty-eighth stranger, 2026-12-03)."""
    pattern, owner = _pattern(knowledge)
    found: dict[tuple[str, str], Point] = {}
    for match in pattern.finditer(_normalise(text or "")):
        entry_id, point_id = owner[match.group(0)]
        point_id = _for_place(knowledge.entries[entry_id], point_id, place or Place())
        found.setdefault((entry_id, point_id), Point(knowledge.entries[entry_id], point_id))
    return list(found.values())


def _for_place(entry: Entry, point_id: str, place: Place) -> str:
    """The point of `entry` to show for `place` in place of `point_id`."""
    places = entry.points_for_places.get(point_id)
    if not places or place == Place() or {place.region, place.country} & set(places):
        return point_id
    return next(
        (other for other, theirs in entry.points_for_places.items() if {place.region, place.country} & set(theirs)),
        point_id,
    )
