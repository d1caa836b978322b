"""`make purge DAYS=N`: whole conversations idle for N days go; active ones stay whole."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest

from scripts.purge import purge

DAY = 86400


@pytest.fixture()
def store(tmp_path):
    db = tmp_path / "tracker.db"
    now = time.time()
    with sqlite3.connect(db) as con:
        con.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp FLOAT,"
            " intent_name TEXT, action_name TEXT, data TEXT)"
        )
        rows = [
            ("old", now - 40 * DAY),
            ("old", now - 35 * DAY),
            ("ongoing", now - 45 * DAY),  # started long ago, still active: kept whole
            ("ongoing", now - 1 * DAY),
            ("new", now - 60),
        ]
        con.executemany("INSERT INTO events (sender_id, type_name, timestamp) VALUES (?, 'user', ?)", rows)
    return db


def senders(db):
    with sqlite3.connect(db) as con:
        return sorted(r[0] for r in con.execute("SELECT sender_id FROM events"))


def test_idle_conversations_are_deleted_whole_and_active_ones_kept(store):
    assert purge(f"sqlite:///{store}", 30, dry_run=True) == (1, 2)
    assert senders(store) == ["new", "old", "old", "ongoing", "ongoing"]
    assert purge(f"sqlite:///{store}", 30) == (1, 2)
    assert senders(store) == ["new", "ongoing", "ongoing"]


def test_days_below_one_are_refused(store):
    with pytest.raises(ValueError):
        purge(f"sqlite:///{store}", 0)


def test_command_line(store, root):
    out = subprocess.run(
        [sys.executable, "scripts/purge.py", "--days", "30", "--db", str(store)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Deleted 1 conversations (2 events)" in out
    missing = subprocess.run(
        [sys.executable, "scripts/purge.py", "--days", "30", "--db", str(store.parent / "none.db")],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "nothing to purge" in missing
