"""addons/stores/tracker_store.py: an error fails one request, never the server; SQLite in WAL mode."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from addons.stores import tracker_store
from addons.stores.tracker_store import GuardedSQLTrackerStore, TrackerStoreError


@pytest.fixture(scope="module", autouse=True)
def _stock_rasa_after():
    """Creating the store applies the fixes to Rasa (addons/rasa_fixes.py); undo them after."""
    yield
    from addons import rasa_fixes

    rasa_fixes.undo()


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


# --- long conversations are read back compacted ---------------------------------------------------

SLOTS = ["region", "ms_type", "last_topic"]


def turn_events(n: int, slot: str | None = None, value: str | None = None) -> list:
    from rasa.shared.core.events import BotUttered, SlotSet

    events = [ActionExecuted("action_listen"), UserUttered(f"message {n}", {"name": "greet", "confidence": 1.0})]
    if slot:
        events.append(SlotSet(slot, value))
    return [*events, ActionExecuted("utter_greet"), BotUttered(f"reply {n}")]


def domain_with_slots() -> Domain:
    return Domain.from_dict(
        {
            "intents": ["greet"],
            "slots": {name: {"type": "text", "mappings": [{"type": "custom"}]} for name in SLOTS},
            "responses": {"utter_greet": [{"text": "hi"}]},
        }
    )


@pytest.fixture()
def slot_store(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.delenv("TRACKER_URL", raising=False)
    return GuardedSQLTrackerStore(domain_with_slots())


def stored_count(store, sender):
    with store.session_scope() as session:
        return store._event_query(session, sender, fetch_events_from_all_sessions=False).count()


def test_a_long_conversation_is_read_back_compacted_with_its_slots_and_every_event_kept(slot_store):
    from rasa.shared.core.events import Restarted

    sender = "long"
    events = [ActionExecuted("action_session_start")]
    events += turn_events(0, "region", "uk")
    for n in range(1, 200):
        events += turn_events(n, "last_topic", f"topic {n}" if n % 3 else None)
    full = DialogueStateTracker.from_events(sender, events, slots=domain_with_slots().slots)
    asyncio.run(slot_store.save(full))
    back = asyncio.run(slot_store.retrieve(sender))
    assert len(back.events) <= tracker_store.TAIL_EVENTS + tracker_store.PREFIX_EVENTS + len(SLOTS)
    assert back.current_slot_values() == full.current_slot_values()
    assert back.latest_message.text == "message 199"
    assert [e.text for e in back.events if isinstance(e, UserUttered)][0] == "message 0"  # the start is kept

    back.update(UserUttered("one more"))
    asyncio.run(slot_store.save(back))  # only the new event is added
    assert stored_count(slot_store, sender) == len(events) + 1
    again = asyncio.run(slot_store.retrieve(sender))
    assert again.latest_message.text == "one more" and again.get_slot("region") == "uk"

    again.update(Restarted())  # "start over": what came before is forgotten, compacted or not
    for n in range(60):
        for event in turn_events(1000 + n):
            again.update(event)
    asyncio.run(slot_store.save(again))
    after = asyncio.run(slot_store.retrieve(sender))
    assert after.get_slot("region") is None and after.get_slot("last_topic") is None


@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("turn")),
            st.tuples(st.just("slot"), st.sampled_from(SLOTS), st.none() | st.sampled_from(["a", "b", "c"])),
            st.tuples(st.just("restart")),
        ),
        min_size=1,
        max_size=120,
    )
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_compacting_never_changes_what_the_policies_and_actions_read(tmp_path_factory, steps):
    from rasa.shared.core.events import Restarted, SlotSet

    store = GuardedSQLTrackerStore(domain_with_slots(), host=f"sqlite:///{tmp_path_factory.mktemp('db')}/t.db")
    events = [ActionExecuted("action_session_start")]
    for n, step in enumerate(steps):
        if step[0] == "turn":
            events += turn_events(n)
        elif step[0] == "slot":
            events.append(SlotSet(step[1], step[2]))
        else:
            events.append(Restarted())
        events += turn_events(n) * 3  # long enough that compaction happens
    full = DialogueStateTracker.from_events("s", events, slots=domain_with_slots().slots)
    asyncio.run(store.save(full))
    back = asyncio.run(store.retrieve("s"))
    assert back.current_slot_values() == full.current_slot_values()
    assert back.latest_message.text == full.latest_message.text
    tail = [e.as_dict() for e in full.applied_events()][-40:]
    assert [e.as_dict() for e in back.applied_events()][-40:] == tail
