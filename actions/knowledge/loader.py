"""Load and check knowledge/ahsct.yml, and the command line that checks it before a release.

`python -m actions.knowledge [FILE] [--today YYYY-MM-DD]` (make validate) checks the file against
the schema and the rules, then lists what is stale (actions/freshness.py). Every problem is
reported with the file, the entry and the field, e.g.::

    knowledge/ahsct.yml: entry 'fda_status' (#16), field 'sources[0].url':
    host 'example.com' is not a canonical source address
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from actions.freshness import stale_items
from actions.knowledge import schema
from actions.knowledge.model import Knowledge
from actions.self_check_schema import check_self_check


class KnowledgeError(ValueError):
    """The knowledge file is missing, unreadable or does not match the schema."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def parse_knowledge(data: Any, path: Path) -> Knowledge:
    """Check already-parsed YAML data; raises KnowledgeError listing every problem at once."""
    if not isinstance(data, dict):
        raise KnowledgeError([f"{path}: {schema.FileSchema.shape}"])
    problems: list[str] = []
    schema.check_file(data, problems)
    registry = schema.check_registry(data.get("sources"), problems)
    terms, countries = schema.check_terms(data.get("terms"), problems)
    raw_entries = data.get("entries")
    raw_entries = raw_entries if isinstance(raw_entries, list) else []
    # Every entry's id, even of an entry with problems: the self-check names entries by id.
    entry_ids = frozenset(e["id"] for e in raw_entries if isinstance(e, dict) and isinstance(e.get("id"), str))
    with schema.using(schema.Context(registry, countries, entry_ids)):
        notices = schema.check_notices(data.get("notices"), problems)
        glossary = schema.check_glossary(data.get("glossary"), problems)
        entries = schema.check_entries(data.get("entries"), problems)
        self_check = check_self_check(data.get("self_check"), problems)
    if problems:
        raise KnowledgeError([f"{path}: {problem}" for problem in problems])
    return Knowledge(
        path=path,
        entries=entries,
        terms=terms,
        notices=notices,
        self_check=self_check,
        countries=countries or {},
        glossary=glossary,
    )


def load_knowledge(path: str | Path) -> Knowledge:
    """Read, parse and check a knowledge file."""
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
