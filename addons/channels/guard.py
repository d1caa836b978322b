"""A guard around Rasa's message handler, shared by our input channels.

It makes sure every message gets a clear reply and nothing is silently lost:
- empty, non-text or over-long messages get a polite explanation and never reach the model;
- control characters (binary junk) are removed before the text goes further;
- if handling fails (action server down, tracker store error) or produces no reply at all,
  the person is told the assistant cannot answer right now; the server keeps running.
Message text is never logged here.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from addons.nlu.safety import classify as safety_signal

logger = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_CHARS = 2000
EMPTY_TEXT = (
    "Your message was empty. Type a question about stem cell transplant (AHSCT) for MS, "
    'or type "help" to see what I can answer.'
)
NOT_TEXT = "I can only read text messages. Please type your question."
UNAVAILABLE_TEXT = (
    "Sorry, I can't answer right now because part of the service is not working. "
    "Please try again in a few minutes. If you need medical help, contact your MS team or neurologist; "
    "in an emergency call your local emergency number."
)

# What a channel passes on when the "message" it received was not text (a number, a list ...).
NON_TEXT_SENTINEL = "\x00non-text\x00"

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def max_message_chars() -> int:
    try:
        return max(1, int(os.environ.get("MAX_MESSAGE_CHARS", DEFAULT_MAX_MESSAGE_CHARS)))
    except ValueError:
        return DEFAULT_MAX_MESSAGE_CHARS


def too_long_text(limit: int) -> str:
    return (
        f"That message is too long for me (my limit is {limit:,} characters). "
        "Could you ask your question in a sentence or two? Shorter questions get better answers."
    )


def clean_text(text: Any) -> Any:
    """Remove control characters; keep newlines and tabs. Non-text is returned unchanged."""
    if not isinstance(text, str):
        return text
    return _CONTROL_CHARS.sub("", text)


def precheck(text: Any, limit: int) -> str | None:
    """A reply that stops the message before the model, or None when it may go on."""
    if not isinstance(text, (str, type(None))) or text == NON_TEXT_SENTINEL:
        return NOT_TEXT
    if text is None or not text.strip():
        return EMPTY_TEXT
    if len(text) > limit and not safety_signal(text):  # safety first: never refuse a cry for help
        return too_long_text(limit)
    return None


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


def guard_handler(on_new_message: Handler) -> Handler:
    """Wrap Rasa's on_new_message with the checks described in the module docstring."""

    async def guarded(message: UserMessage) -> None:
        output = message.output_channel
        text = message.text if message.text == NON_TEXT_SENTINEL else clean_text(message.text)
        is_intent_payload = isinstance(text, str) and text.startswith("/")
        refusal = precheck(text, max_message_chars())
        if refusal is not None and not is_intent_payload:
            await output.send_text_message(message.sender_id, refusal)
            return
        counting = CountingOutputChannel(output)
        message.text = text
        message.output_channel = counting
        try:
            await on_new_message(message)
        except asyncio.CancelledError:
            # The server gave up on the request (response timeout, e.g. waiting for a conversation
            # lock held by a replica that died): Rasa's REST channel still returns what was sent.
            logger.error("handling a message timed out (sender %s)", message.sender_id)
            if counting.sent == 0:
                await output.send_text_message(message.sender_id, UNAVAILABLE_TEXT)
            raise
        except Exception:  # the person must get an answer whatever broke
            logger.exception("handling a message failed (sender %s)", message.sender_id)
        if counting.sent == 0:
            logger.error("no reply was produced for a message (sender %s); telling the user", message.sender_id)
            await output.send_text_message(message.sender_id, UNAVAILABLE_TEXT)

    return guarded
