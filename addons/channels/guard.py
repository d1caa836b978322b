"""A guard around Rasa's message handler, shared by our input channels.

It makes sure every message gets a clear reply, nothing is silently lost, and no message costs
more than its size allows:
- empty, non-text or over-long messages get a polite explanation and never reach the model; the
  length limit applies to every message, payloads ("/...") and Telegram button data included;
- control characters (binary junk) and lone surrogates are removed before the text goes further;
- a message that starts with "/" is a button payload only if it is a well-formed one for an
  intent the assistant knows; anything else is read as typed text, so Rasa's payload parser never
  sees (or logs) it. Rasa's own commands are mapped to the assistant's: /restart and
  /session_start start over, /back is explained;
- an over-long message that carries crisis language or warning signs still gets the safety reply
  (as the payload /crisis or /red_flag: the long text itself goes no further);
- if handling fails (action server down, tracker store error, a lock wait too long) or produces no
  reply at all, the person is told the assistant cannot answer right now; the server keeps running.
Message text is never logged here, and conversations are named by their hashed id only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from addons import settings
from addons.channels.inputs import without_surrogates
from addons.nlu.safety import classify as safety_signal

logger = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_CHARS = settings.DEFAULT_MAX_MESSAGE_CHARS
EMPTY_TEXT = (
    "Your message was empty. Type a question about stem cell transplant (AHSCT) for MS, "
    'or type "help" to see what I can answer.'
)
NOT_TEXT = "I can only read text messages. Please type your question."
BACK_TEXT = (
    "I can't undo a message, but you can ask your question again in other words, "
    'or type "start over" to begin a new conversation.'
)
UNAVAILABLE_TEXT = (
    "Sorry, I can't answer right now because part of the service is not working. "
    "Please try again in a few minutes. If you need medical help, contact your MS team or neurologist; "
    "in an emergency call your local emergency number."
)

# What a channel passes on when the "message" it received was not text (a number, a list ...).
NON_TEXT_SENTINEL = "\x00non-text\x00"

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

# A button payload: /intent or /intent{"entity": "value", ...}, as the assistant's buttons send them.
_PAYLOAD = re.compile(r"/([A-Za-z_][A-Za-z0-9_]{0,63})(\{.{0,1000}\})?", re.DOTALL)
# Rasa's own commands, as a person might send them, and what they mean here.
COMMAND_PAYLOADS = {"restart": "/start_over", "session_start": "/start_over"}
UNDO_COMMANDS = frozenset({"back"})


def max_message_chars() -> int:
    return settings.max_message_chars()


def too_long_text(limit: int) -> str:
    return (
        f"That message is too long for me (my limit is {limit:,} characters). "
        "Could you ask your question in a sentence or two? Shorter questions get better answers."
    )


def clean_text(text: Any) -> Any:
    """Remove control characters and lone surrogates; keep newlines and tabs. Non-text is returned unchanged."""
    if not isinstance(text, str):
        return text
    return without_surrogates(_CONTROL_CHARS.sub("", text))


def precheck(text: Any, limit: int) -> str | None:
    """A reply that stops the message before the model, or None when it may go on."""
    if not isinstance(text, (str, type(None))) or text == NON_TEXT_SENTINEL:
        return NOT_TEXT
    if text is None or not text.strip():
        return EMPTY_TEXT
    if len(text) > limit:
        return too_long_text(limit)
    return None


def _entities_ok(raw: str | None) -> bool:
    if raw is None:
        return True
    try:
        entities = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return isinstance(entities, dict) and all(
        isinstance(k, str) and isinstance(v, (str, int, float, bool, type(None))) for k, v in entities.items()
    )


def payload(text: str, intents: frozenset[str] | None) -> str | None:
    """The payload to pass on if `text` is a well-formed one for a known intent, else None.

    `intents` are the assistant's (None if not known yet: the form alone is checked)."""
    match = _PAYLOAD.fullmatch(text.strip())
    if match is None or not _entities_ok(match.group(2)):
        return None
    intent = match.group(1)
    if intent in COMMAND_PAYLOADS:
        return COMMAND_PAYLOADS[intent]
    if intent in UNDO_COMMANDS or (intents is not None and intent not in intents):
        return intent if intent in UNDO_COMMANDS else None
    return text.strip()


def known_intents() -> frozenset[str] | None:
    """The intents of the model the server runs, from Rasa's agent on the Sanic app; None before it has one."""
    from sanic import Sanic

    for app in list(getattr(Sanic, "_app_registry", {}).values()):
        domain = getattr(getattr(getattr(app, "ctx", None), "agent", None), "domain", None)
        if domain is not None:
            return _intents_of(domain)
    return None


_INTENTS: dict[int, frozenset[str]] = {}


def _intents_of(domain: Any) -> frozenset[str]:
    key = id(domain)
    if key not in _INTENTS:
        _INTENTS.clear()
        _INTENTS[key] = frozenset(domain.intents)
    return _INTENTS[key]


class CountingOutputChannel(OutputChannel):
    """Passes every bot message on to the real channel and counts them."""

    def __init__(self, inner: OutputChannel):
        self.inner = inner
        self.sent = 0

    def name(self) -> str:
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, item: str) -> Any:
        return getattr(self.inner, item)


Handler = Callable[[UserMessage], Awaitable[Any]]


def screen(text: Any, limit: int, intents: frozenset[str] | None) -> tuple[str | None, str | None]:
    """(reply, text): a reply that answers the message instead of the model, or the text to pass on.

    All of it is linear in the message's length, which the request-size limit bounds."""
    if text == NON_TEXT_SENTINEL:
        return NOT_TEXT, None
    text = clean_text(text)
    if isinstance(text, str) and text.lstrip().startswith("/"):
        command = payload(text, intents)
        if command in UNDO_COMMANDS:
            return BACK_TEXT, None
        # Not a payload: read as typed text.
        text = command if command is not None else text.lstrip().lstrip("/")
    refusal = precheck(text, limit)
    if refusal is not None and refusal == too_long_text(limit):
        kind = safety_signal(text)  # safety first: never refuse a cry for help
        if kind:
            return None, f"/{kind}"
    if refusal is not None:
        return refusal, None
    return None, text


def guard_handler(on_new_message: Handler, intents: Callable[[], frozenset[str] | None] = known_intents) -> Handler:
    """Wrap Rasa's on_new_message with the checks described in the module docstring."""

    async def guarded(message: UserMessage) -> None:
        output = message.output_channel
        refusal, text = screen(message.text, max_message_chars(), intents())
        if refusal is not None:
            await output.send_text_message(message.sender_id, refusal)
            return
        counting = CountingOutputChannel(output)
        message.text = text
        message.output_channel = counting
        try:
            await on_new_message(message)
        except asyncio.CancelledError:
            # The server gave up on the request (response timeout, e.g. waiting for a conversation
            # lock held by a replica that died): the channel still returns what was sent.
            logger.error("handling a message timed out (conversation %s)", message.sender_id)
            if counting.sent == 0:
                await output.send_text_message(message.sender_id, UNAVAILABLE_TEXT)
            raise
        except Exception as exc:  # the person must get an answer whatever broke
            # The exception's type and where it was raised, not its text: a database error quotes
            # the values it was given, which can be what the person typed.
            logger.error(
                "handling a message failed (conversation %s): %s\n%s",
                message.sender_id,
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
            )
        if counting.sent == 0:
            logger.error("no reply was produced for a message (conversation %s); telling the user", message.sender_id)
            await output.send_text_message(message.sender_id, UNAVAILABLE_TEXT)

    return guarded
