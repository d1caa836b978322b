"""What a client may send, checked before any work: sender ids, message text, metadata.

Plain Python, no Rasa import. Every channel uses these, so the rules are the same everywhere:

- A sender id is 1 to 128 printable characters (no control characters, no lone surrogates, not
  only spaces), or a whole number. Anything else is refused with a clear error, never replaced
  by a shared default.
- The conversation a sender gets is a hash of the channel and the sender id (`conversation_id`):
  the same sender on two channels has two conversations, and what a client typed as its id never
  reaches Rasa, its logs or the tracker store.
- Metadata is a JSON object of at most `max_metadata_bytes`; larger metadata is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

MAX_SENDER_CHARS = 128

# Lone surrogates cannot be stored or encoded as UTF-8: SQLite refuses them (and stock Rasa then
# exits). In message text they are replaced, like any character that cannot be encoded.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


class InputError(ValueError):
    """A request a client must fix; the message says what is wrong, in words a developer can act on."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.status = status

    def as_json(self) -> dict[str, str]:
        return {"error": self.code, "message": str(self)}


def sender_id(value: Any) -> str:
    """The sender id a client sent, checked; raises InputError if it cannot be one."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InputError("invalid_sender", "sender must be a string of 1 to 128 printable characters")
    if not value.strip():
        raise InputError("invalid_sender", "sender must not be empty")
    if len(value) > MAX_SENDER_CHARS:
        raise InputError("invalid_sender", f"sender must be at most {MAX_SENDER_CHARS} characters")
    if not value.isprintable():
        raise InputError("invalid_sender", "sender must not contain control or non-printable characters")
    return value


def conversation_id(channel: str, sender: str) -> str:
    """The conversation's id in Rasa: a hash of the channel and the sender id (see module docstring)."""
    return hashlib.sha256(f"{channel}\x00{sender}".encode()).hexdigest()[:32]


def without_surrogates(text: str) -> str:
    return _SURROGATES.sub("\ufffd", text)


def metadata(value: Any, limit: int) -> dict[str, Any] | None:
    """Metadata a client sent: None, or a JSON object of at most `limit` bytes (raises InputError).

    Lone surrogates in it are replaced, as in message text."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError("invalid_metadata", "metadata must be a JSON object")
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        raise InputError("invalid_metadata", "metadata must be plain JSON") from None
    cleaned = without_surrogates(encoded)
    if len(cleaned.encode("utf-8")) > limit:
        raise InputError("metadata_too_large", f"metadata must be at most {limit:,} bytes as JSON", status=413)
    return json.loads(cleaned) if cleaned != encoded else value
