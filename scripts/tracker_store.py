"""Which tracker store `make report` and `make purge` read: SQLite by default (--db, TRACKER_DB,
var/tracker.db) or any SQLAlchemy URL (--url, TRACKER_URL, e.g. postgresql://user:pass@host/db)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("TRACKER_DB", ROOT / "var" / "tracker.db")))
    parser.add_argument("--url", default=os.environ.get("TRACKER_URL"), help="SQLAlchemy URL (overrides --db)")


def store_url(args: argparse.Namespace, read_only: bool = False) -> str | None:
    """The store's SQLAlchemy URL; None when none is given and the SQLite file does not exist."""
    if args.url is not None:
        return args.url
    if not args.db.exists():
        return None
    return f"sqlite:///file:{args.db.resolve()}?mode=ro&uri=true" if read_only else f"sqlite:///{args.db}"
