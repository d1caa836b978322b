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
- **The database comes from the settings** (`TRACKER_URL`, or SQLite at `TRACKER_DB`) when
  endpoints.yml gives no `url`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists

from addons import settings

logger = logging.getLogger(__name__)


class TrackerStoreError(RuntimeError):
    """The conversation store could not do what one request asked."""


class GuardedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store whose errors fail one request (see the module docstring)."""

    def __init__(self, domain: Any = None, host: str | None = None, **kwargs: Any) -> None:
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
