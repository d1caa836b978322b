"""What a client may send, checked before any work: sender ids, message text, metadata.

Plain Python, no Rasa import. Every channel uses these, so the rules are the same everywhere:

- A sender id is 1 to 128 printable characters (no control characters, no lone surrogates, not
  only spaces), or a whole number. Anything else is refused with a clear error, never replaced
  by a shared default.
- The conversation a sender gets is a keyed hash of the channel and the sender id
  (`conversation_id`, keyed with CONVERSATION_ID_KEY): the same sender on two channels has two
  conversations, and what a client typed as its id never reaches Rasa, its logs or the tracker
  store; without the key, an id in a log cannot be traced back to a phone number or a chat id.
- Metadata is a JSON object of at most `max_metadata_bytes`, nested at most `MAX_METADATA_DEPTH`
  deep; other metadata is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from typing import Any

from addons import settings

MAX_SENDER_CHARS = 128
MAX_METADATA_DEPTH = 8

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


def keyed(*parts: str, length: int = 32) -> str:
    """An HMAC-SHA256 of the parts with the conversation key, as hex."""
    message = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hmac.new(settings.conversation_key(), message, hashlib.sha256).hexdigest()[:length]


def conversation_id(channel: str, sender: str) -> str:
    """The conversation's id in Rasa: a keyed hash of the channel and the sender id (see module docstring)."""
    return keyed("conversation", channel, sender)


def log_ref(conversation: str) -> str:
    """How our logs name a conversation: a short keyed hash, so a log line cannot name the person
    (a Telegram conversation id is the chat id)."""
    return keyed("log", conversation, length=12)


def new_session_id() -> str:
    """A socket.io session id the server issues: random, with a keyed signature so it cannot be forged."""
    random_part = secrets.token_hex(16)
    return f"{random_part}.{keyed('session', random_part, length=16)}"


def is_issued_session_id(value: Any) -> bool:
    """Whether `value` is a session id this server (or one sharing its key) issued."""
    if not isinstance(value, str) or value.count(".") != 1:
        return False
    random_part, signature = value.split(".")
    return len(random_part) == 32 and hmac.compare_digest(signature, keyed("session", random_part, length=16))


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (iteratively: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_METADATA_DEPTH:
                return level
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def without_surrogates(text: str) -> str:
    return _SURROGATES.sub("\ufffd", text)


def metadata(value: Any, limit: int) -> dict[str, Any] | None:
    """Metadata a client sent: None, or a JSON object of at most `limit` bytes (raises InputError).

    Lone surrogates in it are replaced, as in message text."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError("invalid_metadata", "metadata must be a JSON object")
    if _depth(value) > MAX_METADATA_DEPTH:
        raise InputError("invalid_metadata", f"metadata must be nested at most {MAX_METADATA_DEPTH} levels deep")
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        raise InputError("invalid_metadata", "metadata must be plain JSON") from None
    cleaned = without_surrogates(encoded)
    if len(cleaned.encode("utf-8")) > limit:
        raise InputError("metadata_too_large", f"metadata must be at most {limit:,} bytes as JSON", status=413)
    return json.loads(cleaned) if cleaned != encoded else value
