"""`make purge DAYS=30`: delete the conversations nobody has written to for DAYS days.

A conversation (all events of one sender) goes as a whole once its newest event is older
than DAYS days, so no conversation is ever left half-deleted. Works on the SQL tracker
store: SQLite by default (TRACKER_DB, var/tracker.db) or any SQLAlchemy URL (--url, e.g.
postgresql://user:pass@host/db).

Usage: python scripts/purge.py --days 30 [--db var/tracker.db | --url URL] [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.tracker_store import add_store_options, store_url  # noqa: E402


def stale_senders(connection: sa.engine.Connection, cutoff: float) -> list[str]:
    rows = connection.execute(
        sa.text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"),
        {"cutoff": cutoff},
    )
    return [row[0] for row in rows]


def purge(url: str, days: int, dry_run: bool = False, now: float | None = None) -> tuple[int, int]:
    """Returns (conversations, events) deleted (or that would be, with dry_run)."""
    if days < 1:
        raise ValueError("DAYS must be at least 1")
    cutoff = (now if now is not None else time.time()) - days * 86400
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("events"):
                return 0, 0
            senders = stale_senders(connection, cutoff)
            events = 0
            for start in range(0, len(senders), 500):
                batch = senders[start : start + 500]
                statement = sa.text("DELETE FROM events WHERE sender_id IN :senders").bindparams(
                    sa.bindparam("senders", expanding=True)
                )
                if dry_run:
                    count = sa.text("SELECT COUNT(*) FROM events WHERE sender_id IN :senders").bindparams(
                        sa.bindparam("senders", expanding=True)
                    )
                    events += connection.execute(count, {"senders": batch}).scalar_one()
                else:
                    events += connection.execute(statement, {"senders": batch}).rowcount
            return len(senders), events
    finally:
        engine.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, required=True)
    add_store_options(parser)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    url = store_url(args)
    if url is None:
        print(f"No tracker store at {args.db}: nothing to purge.")
        return 0
    try:
        conversations, events = purge(url, args.days, dry_run=args.dry_run)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    verb = "Would delete" if args.dry_run else "Deleted"
    print(f"{verb} {conversations} conversations ({events} events) with no activity for {args.days} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
