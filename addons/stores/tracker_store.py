"""The conversation store: Rasa's SQL tracker store (SQLite or PostgreSQL), made safe to run facing
the internet. endpoints.yml names it by module path.

- **An error fails one request, never the server.** Stock Rasa 3.6 wraps every database call in
  `session_scope`, which turns any `ValueError` into `print_error_and_exit`: it assumes a missing
  PostgreSQL schema. A value the database cannot encode (a lone surrogate in a sender id, for
  example) is a `ValueError` too, so one request stopped the whole server. Here the session is
  rolled back and the error goes to the caller: the channel guard tells that one person the
  service cannot answer, and everyone else is served. A missing schema is still reported clearly.
- **SQLite in write-ahead-log mode**, so that readers are not locked out while a turn is written
  (several Rasa processes on one file queued on each other's commits otherwise).
- **A turn costs the same at message 200 as at message 2.** Rasa reads back every event of the
  session for every message and replays and featurises all of it: turn 200 took five times as
  long as turn 1. Here a long session is read back compacted (`compact`): its start (up to the
  first message, so "start of conversation" rules still know it is not), the latest value of
  each slot and form set before the tail, and the newest `TAIL_EVENTS` events from a turn
  boundary. Every event is still stored; `save` adds only the new ones. Policies look back a
  few turns (max_history 4, rules a few steps), and the actions read slots and recent events.
- **The database comes from the settings** (`TRACKER_URL`, or SQLite at `TRACKER_DB`) when
  endpoints.yml gives no `url`.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa  # type: ignore[import-untyped]
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.trackers import DialogueStateTracker

from addons import rasa_fixes, settings

logger = logging.getLogger(__name__)


TAIL_EVENTS = 50  # the newest events read back for a long session: about 5 turns
PREFIX_EVENTS = 20  # at most this many events of the start of the session are kept


class TrackerStoreError(RuntimeError):
    """The conversation store could not do what one request asked."""


class GuardedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store whose errors fail one request (see the module docstring)."""

    def __init__(self, domain: Any = None, host: str | None = None, **kwargs: Any) -> None:
        # A plain `rasa run` or `rasa shell` gets the fixes to Rasa here (addons/rasa_fixes.py); a
        # required one that cannot be applied stops the server before it answers anyone.
        rasa_fixes.apply()
        url = host or settings.tracker_url()
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            with contextlib.closing(self.engine.raw_connection()) as connection:
                connection.execute("PRAGMA journal_mode=WAL")  # kept in the file

    @contextlib.contextmanager
    def session_scope(self) -> Iterator[Any]:
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError as missing:
                raise TrackerStoreError(f"PostgreSQL schema '{missing}' (POSTGRESQL_SCHEMA) was not found") from None
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            wanted = self._wanted(session, sender_id)
            if not wanted:
                return None
            rows = session.query(self.SQLEvent.data).filter(self.SQLEvent.id.in_(wanted)).order_by(self.SQLEvent.id)
            events = [json.loads(data) for (data,) in rows]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        tracker.ahsct_stored = len(tracker.events)
        return tracker

    def _wanted(self, session: Any, sender_id: str) -> list[int]:
        """The ids of the session's events to read back (see the module docstring). Each query
        uses the sender index and returns at most a few hundred rows, however long the session."""
        event = self.SQLEvent
        session_filter = [event.sender_id == sender_id]
        latest = sa.func.max(event.id)
        started = session.query(sa.func.max(event.timestamp))
        started_at = started.filter(*session_filter, event.type_name == "session_started").scalar()
        if started_at is not None:
            session_filter.append(event.timestamp >= started_at)
        restarted = session.query(latest).filter(*session_filter, event.type_name == "restart").scalar()
        if restarted is not None:  # "start over": what came before is forgotten
            session_filter.append(event.id > restarted)
        limit = TAIL_EVENTS + PREFIX_EVENTS
        columns = (event.id, event.type_name, event.action_name)
        newest = session.query(*columns).filter(*session_filter).order_by(event.id.desc()).limit(limit + 1).all()
        if len(newest) <= limit:
            return sorted(row[0] for row in newest)
        start = session.query(*columns).filter(*session_filter).order_by(event.id).limit(PREFIX_EVENTS).all()
        first_user = next((n for n, row in enumerate(start) if row[1] == "user"), len(start) - 1)
        prefix = [row[0] for row in start[: first_user + 1]]
        tail = list(reversed(newest[:TAIL_EVENTS]))
        # Begin the tail where a turn begins: at the assistant listening for the next message.
        begin = next((n for n, row in enumerate(tail) if (row[1], row[2]) == ("action", "action_listen")), 0)
        tail_ids = [row[0] for row in tail[begin:]]
        between = [*session_filter, event.id > prefix[-1], event.id < tail_ids[0]]
        slots = (
            session.query(sa.func.max(event.id)).filter(*between, event.type_name == "slot").group_by(event.action_name)
        )
        loop = session.query(sa.func.max(event.id)).filter(*between, event.type_name == "active_loop").scalar()
        middle = sorted([row[0] for row in slots] + ([loop] if loop is not None else []))
        return prefix + middle + tail_ids

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        """The events not stored yet: those after the ones read back (a compacted tracker has fewer
        events than the store holds), or, for a tracker not read from here, as Rasa counts them."""
        stored = getattr(tracker, "ahsct_stored", None)
        if stored is None:
            return super()._additional_events(session, tracker)
        tracker.ahsct_stored = len(tracker.events)
        return itertools.islice(tracker.events, stored, len(tracker.events))
