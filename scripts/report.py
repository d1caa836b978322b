"""`make report`: what the content team reviews each month, read from the tracker store.

Prints the questions the assistant could not answer (not understood or out of
scope), the topics that got negative feedback, and how often each topic was
answered. Reads the SQL tracker store's `events` table: SQLite by default (TRACKER_DB,
var/tracker.db, opened read-only) or any SQLAlchemy URL (--url or TRACKER_URL, e.g.
postgresql://user:password@host:5432/rasa), as `make purge` does.

Usage: python scripts/report.py [--db var/tracker.db | --url URL] [--days 30] [--top 30]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.tracker_store import add_store_options, store_url  # noqa: E402

UNANSWERED_INTENTS = ("nlu_fallback", "out_of_scope")


@dataclass
class Report:
    unanswered: Counter = field(default_factory=Counter)
    answered: Counter = field(default_factory=Counter)
    feedback: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    conversations: int = 0


def build_report(rows: Iterable[tuple[str, str, str | None, str]]) -> Report:
    """rows: (sender_id, type_name, intent_name, data JSON), in event order."""
    report = Report()
    last_topic: dict[str, str] = {}
    senders = set()
    in_form: set[str] = set()  # answers typed during the self-check are neither questions nor for review
    for sender, type_name, intent, data in rows:
        senders.add(sender)
        event = json.loads(data or "{}")
        if type_name == "active_loop":
            (in_form.add if event.get("name") else in_form.discard)(sender)
        elif type_name == "slot" and event.get("name") == "last_topic" and event.get("value"):
            last_topic[sender] = event["value"]
            report.answered[event["value"]] += 1
        elif type_name == "user" and intent in UNANSWERED_INTENTS and sender not in in_form:
            text = " ".join(str(event.get("text") or "").lower().split())
            if text and not text.startswith("/"):
                report.unanswered[text] += 1
        elif type_name == "user" and intent == "feedback":
            entities = (event.get("parse_data") or {}).get("entities") or []
            value = next((e.get("value") for e in entities if e.get("entity") == "feedback"), None)
            if value in ("up", "down"):
                report.feedback[last_topic.get(sender, "(no topic)")][value] += 1
    report.conversations = len(senders)
    return report


EVENTS_SINCE = "SELECT sender_id, type_name, intent_name, data FROM events WHERE timestamp >= :since ORDER BY id"


def read_rows(url: str, days: int) -> list[tuple[str, str, str | None, str]]:
    """The events of the last `days` days from the tracker store at SQLAlchemy `url`."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(EVENTS_SINCE), {"since": time.time() - days * 86400})
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()


def render(report: Report, days: int, top: int) -> str:
    lines = [f"Conversations in the last {days} days: {report.conversations}", ""]
    lines.append(f"Questions not answered ({sum(report.unanswered.values())}), most frequent first:")
    for text, n in report.unanswered.most_common(top):
        lines.append(f"  {n:4d}  {text[:100]}")
    lines += ["", "Topics with negative feedback (down / up):"]
    negative = sorted(report.feedback.items(), key=lambda kv: (-kv[1]["down"], kv[0]))
    for topic, counts in negative:
        if counts["down"]:
            lines.append(f"  {topic:28} {counts['down']:4d} / {counts['up']}")
    lines += ["", "Answers per topic:"]
    for topic, n in report.answered.most_common():
        counts = report.feedback.get(topic, Counter())
        lines.append(f"  {topic:28} {n:5d}   feedback +{counts['up']} -{counts['down']}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_store_options(parser)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    url = store_url(args, read_only=True)
    if url is None:
        print(f"No tracker store at {args.db}: no conversations yet (set TRACKER_DB or --db).", file=sys.stderr)
        return 1
    try:
        rows = read_rows(url, args.days)
    except sa.exc.SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc  # the driver's message, without the SQL
        print(f"Cannot read the tracker store: {type(exc).__name__}: {reason}", file=sys.stderr)
        return 2
    print(render(build_report(rows), args.days, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
