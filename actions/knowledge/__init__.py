"""The curated knowledge file (knowledge/ahsct.yml): its model, schema, editorial rules and loader.

Plain Python with no Rasa import, so it can be tested and used on its own
(`python -m actions.knowledge knowledge/ahsct.yml` checks a file).

- model.py: the dataclasses the assistant uses (Entry, Part, Source, Notice, Knowledge...); imports nothing of ours.
- schema.py: how the file is written, declared with pydantic; each problem names the file, the entry and the field.
- rules.py: the editorial rules (limits, canonical sources, dated statements, regions' own authorities, freshness).
- loader.py: reads and checks the file, builds the model; the command line.
The self-check's section is declared beside the self-check, in actions/self_check_schema.py.

Everything public is importable from here (`from actions.knowledge import Entry, load_knowledge`).
The model and the rules are imported at once, the loader's names on first use: the loader imports
actions.self_check_schema, which imports this package's schema, so importing the loader here would
make `import actions.self_check_schema` import itself half-way (an import cycle). Code that wants
the loader's names typed imports them from actions.knowledge.loader.
"""

from __future__ import annotations

import importlib
from typing import Any

from actions.knowledge.model import (
    COUNTRY,
    EVIDENCE_KINDS,
    MS_TYPES,
    NUMBER_KINDS,
    READINGS,
    REGIONS,
    SLOT_PREFIX,
    UNDATED,
    VARIANT_KINDS,
    Country,
    Dated,
    Definition,
    Entry,
    Knowledge,
    Notice,
    Option,
    Part,
    Place,
    Question,
    SelfCheck,
    Source,
)
from actions.knowledge.rules import (
    CANONICAL_HOSTS,
    DATED_KINDS,
    MAX_ANSWER_WORDS,
    MAX_DETAIL_WORDS,
    MAX_NOTICE_WORDS,
    MAX_QUESTION_CHARS,
    MAX_RELATED,
    MAX_REVIEW_AGE_MONTHS,
    MAX_SHORT_CHARS,
    REQUIRED_NOTICES,
    month_year,
)

_FROM_LOADER = ("KnowledgeError", "load_knowledge", "main", "parse_knowledge")

__all__ = [
    "CANONICAL_HOSTS",
    "COUNTRY",
    "DATED_KINDS",
    "EVIDENCE_KINDS",
    "MAX_ANSWER_WORDS",
    "MAX_DETAIL_WORDS",
    "MAX_NOTICE_WORDS",
    "MAX_QUESTION_CHARS",
    "MAX_RELATED",
    "MAX_REVIEW_AGE_MONTHS",
    "MAX_SHORT_CHARS",
    "MS_TYPES",
    "NUMBER_KINDS",
    "READINGS",
    "REGIONS",
    "REQUIRED_NOTICES",
    "SLOT_PREFIX",
    "UNDATED",
    "VARIANT_KINDS",
    "Country",
    "Dated",
    "Definition",
    "Entry",
    "Knowledge",
    "KnowledgeError",
    "Notice",
    "Option",
    "Part",
    "Place",
    "Question",
    "SelfCheck",
    "Source",
    "load_knowledge",
    "main",
    "month_year",
    "parse_knowledge",
]


def __getattr__(name: str) -> Any:
    """The loader's names, imported on first use (see above); mypy reads them as Any."""
    if name in _FROM_LOADER:
        value = getattr(importlib.import_module("actions.knowledge.loader"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
