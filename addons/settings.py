"""Every setting that what Rasa loads (channels, stores, the server launcher) reads from the
environment, with its default. Read when asked, never at import, so a test can change one.

The table in docs/security.md lists the limits and what a client gets when it passes one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_MAX_MESSAGE_CHARS = 2000
DEFAULT_MAX_METADATA_BYTES = 4096
DEFAULT_MAX_REQUEST_BYTES = 16 * 1024
DEFAULT_ALLOWED_ORIGINS = ("http://127.0.0.1:8080", "http://localhost:8080")
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
DEFAULT_SUMMARY_LINK_SECONDS = 3600


def _text(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _positive_int(name: str, default: int) -> int:
    """A whole number above 0; a missing or malformed value gives the default."""
    try:
        value = int(_text(name) or default)
    except ValueError:
        return default
    return value if value > 0 else default


# -- limits ------------------------------------------------------------------------------


def max_message_chars() -> int:
    """MAX_MESSAGE_CHARS: the longest message the assistant reads (2,000 characters)."""
    return _positive_int("MAX_MESSAGE_CHARS", DEFAULT_MAX_MESSAGE_CHARS)


def max_metadata_bytes() -> int:
    """MAX_METADATA_BYTES: the largest `metadata` a REST or socket.io message may carry (4 KB, as JSON)."""
    return _positive_int("MAX_METADATA_BYTES", DEFAULT_MAX_METADATA_BYTES)


def max_request_bytes() -> int:
    """MAX_REQUEST_BYTES: the largest HTTP request body the Rasa server reads (16 KB)."""
    return _positive_int("MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)


# -- channels ----------------------------------------------------------------------------


def allowed_origins(value: str | None = None) -> list[str]:
    """ALLOWED_ORIGINS (comma-separated): the sites whose pages may open the socket.io chat.

    "*" is refused on purpose: a health assistant should name the sites it is embedded in."""
    raw = _text("ALLOWED_ORIGINS") if value is None else value
    origins = [o.strip().rstrip("/") for o in raw.split(",") if o.strip()]
    if "*" in origins:
        raise ValueError("ALLOWED_ORIGINS must list the sites that embed the widget; '*' is not allowed")
    return origins or list(DEFAULT_ALLOWED_ORIGINS)


def summary_link_seconds() -> int:
    """SUMMARY_LINK_SECONDS: how long a link to the notes for the neurologist works (one hour)."""
    return _positive_int("SUMMARY_LINK_SECONDS", DEFAULT_SUMMARY_LINK_SECONDS)


def telegram() -> dict[str, str]:
    """TELEGRAM_TOKEN, TELEGRAM_SECRET_TOKEN, TELEGRAM_WEBHOOK_URL, TELEGRAM_API_URL (stripped; '' if unset)."""
    return {
        "token": _text("TELEGRAM_TOKEN"),
        "secret": _text("TELEGRAM_SECRET_TOKEN"),
        "webhook_url": _text("TELEGRAM_WEBHOOK_URL"),
        "api_url": (_text("TELEGRAM_API_URL") or DEFAULT_TELEGRAM_API_URL).rstrip("/"),
    }


# -- stores ------------------------------------------------------------------------------


def tracker_url() -> str:
    """TRACKER_URL (postgresql://... or sqlite:///...), else SQLite at TRACKER_DB (var/tracker.db)."""
    url = _text("TRACKER_URL")
    if url:
        return url
    return f"sqlite:///{Path(_text('TRACKER_DB') or ROOT / 'var' / 'tracker.db')}"


_KEYS: dict[str, bytes] = {}


def conversation_key() -> bytes:
    """CONVERSATION_ID_KEY: the secret that conversation ids, socket.io session ids and log references
    are keyed with, so that none of them can be traced back to what a client sent.

    Unset, one Rasa process makes a random key once and keeps it in var/conversation-id.key (the
    conversations stay the same across restarts). Several processes or replicas must share one, so
    there it must be set: refused otherwise."""
    value = _text("CONVERSATION_ID_KEY")
    if value:
        return value.encode()
    if shared_lock_store() or tracker_url().startswith("postgresql"):
        raise ValueError(
            "CONVERSATION_ID_KEY must be set when several processes share conversations "
            "(LOCK_STORE=redis or a PostgreSQL TRACKER_URL): every process must name conversations alike"
        )
    path = Path(_text("CONVERSATION_ID_KEY_FILE") or ROOT / "var" / "conversation-id.key")
    if str(path) not in _KEYS:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="ascii") as new:  # only if it does not exist yet
                os.chmod(path, 0o600)
                new.write(secrets.token_hex(32))
        except FileExistsError:
            pass
        _KEYS[str(path)] = path.read_text(encoding="ascii").strip().encode()
    return _KEYS[str(path)]


def shared_lock_store() -> bool:
    """LOCK_STORE=redis: the Rasa processes share conversation locks (and channel memory) in Redis."""
    return _text("LOCK_STORE", "in_memory") == "redis"


def redis() -> dict[str, str | int]:
    """REDIS_HOST (127.0.0.1), REDIS_PORT (6379), REDIS_DB (1), REDIS_PASSWORD."""
    return {
        "host": _text("REDIS_HOST") or "127.0.0.1",
        "port": _positive_int("REDIS_PORT", 6379),
        "db": int(_text("REDIS_DB") or 1),
        "password": _text("REDIS_PASSWORD"),
    }


def action_server_url() -> str:
    """ACTION_SERVER_URL: the action server's webhook; empty means endpoints.yml's loopback default."""
    return _text("ACTION_SERVER_URL")


DEFAULT_ACTION_TIMEOUT = 10
DEFAULT_LOCK_LIFETIME = 60  # Rasa's own default for TICKET_LOCK_LIFETIME


def action_timeout() -> int:
    """ACTION_TIMEOUT: seconds Rasa waits for the action server in one turn (10; Rasa's own is 300)."""
    return _positive_int("ACTION_TIMEOUT", DEFAULT_ACTION_TIMEOUT)


def lock_lifetime() -> int:
    """TICKET_LOCK_LIFETIME (read by Rasa too): how long a conversation's lock lasts (60 s).
    It must be above ACTION_TIMEOUT, or a slow turn would let the next one run at the same time."""
    return _positive_int("TICKET_LOCK_LIFETIME", DEFAULT_LOCK_LIFETIME)


def allow_unpatched_rasa() -> bool:
    """ALLOW_UNPATCHED_RASA=1: start even when a required fix to Rasa cannot be applied (addons/rasa_fixes.py)."""
    return _text("ALLOW_UNPATCHED_RASA") == "1"


def sanic_workers() -> int:
    """SANIC_WORKERS: Rasa server processes on one port (read by Rasa itself too)."""
    return _positive_int("SANIC_WORKERS", 1)
