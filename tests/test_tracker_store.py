"""addons/stores/tracker_store.py: an error fails one request, never the server; SQLite in WAL mode."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import subprocess
import sys

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from addons.stores import tracker_store
from addons.stores.tracker_store import GuardedSQLTrackerStore, TrackerStoreError


def conversation(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen"), UserUttered("hello")])


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "new" / "tracker.db"))
    monkeypatch.delenv("TRACKER_URL", raising=False)
    return TrackerStore.create(
        EndpointConfig(type="addons.stores.tracker_store.GuardedSQLTrackerStore"), Domain.empty()
    )


def test_rasa_makes_it_from_endpoints_yml_with_sqlite_in_write_ahead_log_mode(store, tmp_path):
    assert isinstance(store, GuardedSQLTrackerStore)
    db = tmp_path / "new" / "tracker.db"  # its folder is made too
    with contextlib.closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_value_the_database_cannot_store_fails_that_request_and_the_store_goes_on(store):
    with pytest.raises(UnicodeEncodeError):  # a ValueError: stock Rasa exits the process here
        asyncio.run(store.save(conversation("x\ud800")))
    asyncio.run(store.save(conversation("someone else")))
    assert [e.text for e in asyncio.run(store.retrieve("someone else")).events if isinstance(e, UserUttered)] == [
        "hello"
    ]


def test_a_missing_database_schema_is_an_error_for_the_request_not_an_exit(store, monkeypatch):
    def missing(_session):
        raise ValueError("ahsct")

    monkeypatch.setattr(tracker_store, "ensure_schema_exists", missing)
    with pytest.raises(TrackerStoreError, match="schema 'ahsct'"):
        asyncio.run(store.retrieve("someone"))


STOCK_EXIT = """
import asyncio, tempfile, os
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
store = SQLTrackerStore(Domain.empty(), db=os.path.join(tempfile.mkdtemp(), "t.db"))
asyncio.run(store.save(DialogueStateTracker.from_events("x\\ud800", [ActionExecuted("action_listen")])))
print("still running")
"""


def test_stock_rasa_still_exits_on_a_sender_id_sqlite_cannot_store(root):
    """The day this fails, Rasa's own SQL tracker store no longer stops the server on a bad value."""
    out = subprocess.run([sys.executable, "-c", STOCK_EXIT], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "still running" not in out.stdout
    assert "schema" in out.stdout + out.stderr  # Rasa's message for a missing PostgreSQL schema
