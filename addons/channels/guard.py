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
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from rasa.core.channels.channel import OutputChannel, UserMessage

from addons import settings
from addons.channels import summary
from addons.channels.inputs import log_ref, without_surrogates
from addons.nlu.safety import classify as safety_signal

logger = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_CHARS = settings.DEFAULT_MAX_MESSAGE_CHARS
EMPTY_TEXT = (
    "Your message was empty. Type a question about stem cell transplant (AHSCT) for MS, "
    'or type "help" to see what I can answer.'
)
NOT_TEXT = "I can only read text messages. Please type your question."
NO_WORDS_TEXT = (
    'I didn\'t catch a question there. Type a question about AHSCT in words, or type "help" to see the topics.'
)
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

# A button payload: /intent or /intent{"entity": "value", ...}, as the assistant's buttons send them,
# on one line (Rasa's own payload pattern does not read past a line break, and logs what it cannot read).
_PAYLOAD = re.compile(r"/([A-Za-z_][A-Za-z0-9_]{0,63})(\{[^\n\r]{0,1000}\})?")
# spaCy's tokenizer takes time that grows with the square of the length of a "word" full of affixes
# ("%'$!" x 500 took over a second; so did "'s." x 667): runs of symbols are cut to 10 characters and
# any stretch of 40 characters without a space is broken with one, so every word costs little.
_SYMBOL_RUN = re.compile(r"[^\w\s]{11,}")
_LONG_WORD = re.compile(r"\S{40}(?=\S)")
# An over-long message is checked for crisis language or warning signs at its start and its end.
SAFETY_SCAN_CHARS = 4000
_WORD = re.compile(r"[^\W\d_]{2}")  # two letters in a row, in any script
SHORT_ANSWER_CHARS = 20  # "41", "y", "I'm 38": answers to the self-check's questions
# Rasa's own commands, as a person might send them, and what they mean here.
COMMAND_PAYLOADS = {"restart": "/start_over", "session_start": "/start_over"}
UNDO_COMMANDS = frozenset({"back"})
TRACEBACK_FRAMES = 12  # the innermost frames of a failure are logged; a recursion has thousands


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


class Known(NamedTuple):
    """What the running model knows: its intents and entities (a payload may name only these)."""

    intents: frozenset[str]
    entities: frozenset[str]


def _entities_ok(raw: str | None, entities: frozenset[str] | None) -> bool:
    if raw is None:
        return True
    try:
        given = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return isinstance(given, dict) and all(
        isinstance(k, str)
        and (entities is None or k in entities)
        and isinstance(v, (str, int, float, bool, type(None)))
        for k, v in given.items()
    )


def payload(text: str, known: Known | None) -> str | None:
    """The payload to pass on if `text` is a well-formed one for a known intent with known entities,
    else None. `known` is what the model knows (None if not known yet: the form alone is checked)."""
    match = _PAYLOAD.fullmatch(text.strip())
    if match is None or not _entities_ok(match.group(2), known.entities if known else None):
        return None
    intent = match.group(1)
    if intent in COMMAND_PAYLOADS:
        return COMMAND_PAYLOADS[intent]
    if intent in UNDO_COMMANDS:
        return intent
    if known is not None and intent not in known.intents:
        return None
    return text.strip()


def known_intents() -> Known | None:
    """The intents and entities of the model the server runs, from Rasa's agent on the Sanic app;
    None before it has one."""
    from sanic import Sanic

    for app in list(getattr(Sanic, "_app_registry", {}).values()):
        domain = getattr(getattr(getattr(app, "ctx", None), "agent", None), "domain", None)
        if domain is not None:
            return _known_of(domain)
    return None


_KNOWN: dict[int, Known] = {}


def _known_of(domain: Any) -> Known:
    key = id(domain)
    if key not in _KNOWN:
        _KNOWN.clear()
        _KNOWN[key] = Known(frozenset(domain.intents), frozenset(domain.entities))
    return _KNOWN[key]


class CountingOutputChannel(OutputChannel):
    """Passes every bot message on to the real channel and counts them; a request for the notes
    for the neurologist goes to addons.channels.summary.deliver instead."""

    def __init__(self, inner: OutputChannel):
        self.inner = inner
        self.sent = 0

    def name(self) -> str:
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        custom = message.get("custom")
        if isinstance(custom, dict) and "summary" in custom:
            # The notes for the neurologist: a link or a document, made by addons/channels/summary.py.
            await summary.deliver(self.inner, recipient_id, custom["summary"])
            return
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, item: str) -> Any:
        return getattr(self.inner, item)


Handler = Callable[[UserMessage], Awaitable[Any]]


def has_words(text: str) -> bool:
    """Whether there is anything to read: a word (two letters in a row), a short answer with a letter
    or a digit ("41", "y", "I'm 38": the self-check's answers), or an emoji (a thumbs-up means
    something). "a!a!a!..." and "1.1.1..." are not: they got confident medical answers."""
    if _WORD.search(text) or any(unicodedata.category(c) == "So" for c in text):
        return True
    return len(text.strip()) <= SHORT_ANSWER_CHARS and any(c.isalnum() for c in text)


# Phones type curly quotes and a one-character ellipsis; the model was trained on plain ones, and
# "one day… would it" made "day…" one unknown word (the question was not understood).
_PLAIN_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2026": "...",
        "\u2013": "-",
        "\u2014": " - ",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def plain_punctuation(text: str) -> str:
    """Curly quotes, the ellipsis character, dashes and non-breaking spaces as plain ASCII."""
    return text.translate(_PLAIN_PUNCTUATION)


def plain_letters(text: str) -> str:
    """Full-width and styled letters as plain ones (NFKC: "ｈｓｃｔ", "𝐡𝐬𝐜𝐭" -> "hsct"), and without
    invisible format characters (zero-width spaces and joiners, direction marks, soft hyphens), which
    split a word for the model: "hs\u200bct cost" was read as a greeting, "ｃｏｓｔ" as nothing."""
    plain = unicodedata.normalize("NFKC", text)
    if len(plain) > 2 * len(text):  # "\ufdfa" is 18 letters in NFKC: no growth past the size limit's reach
        plain = text
    return "".join(c for c in plain if unicodedata.category(c) != "Cf")


def bounded_words(text: str) -> str:
    """Runs of symbols cut to 10 characters, and a space at least every 40 characters (see above)."""
    return _LONG_WORD.sub(lambda stretch: stretch.group(0) + " ", _SYMBOL_RUN.sub(lambda run: run.group(0)[:10], text))


def screen(text: Any, limit: int, known: Known | None) -> tuple[str | None, str | None]:
    """(reply, text): a reply that answers the message instead of the model, or the text to pass on.

    All of it is linear in the message's length, which the request-size limit bounds."""
    if text == NON_TEXT_SENTINEL:
        return NOT_TEXT, None
    text = clean_text(text)
    if isinstance(text, str) and text.lstrip().startswith("/"):
        command = payload(text, known)
        if command in UNDO_COMMANDS:
            return BACK_TEXT, None
        # Not a payload: read as typed text.
        text = command if command is not None else text.lstrip().lstrip("/")
    refusal = precheck(text, limit)
    if refusal is not None and refusal == too_long_text(limit):
        # Safety first: never refuse a cry for help. Its start and end are read, at a bounded cost.
        scanned = (
            text if len(text) <= 2 * SAFETY_SCAN_CHARS else f"{text[:SAFETY_SCAN_CHARS]}\n{text[-SAFETY_SCAN_CHARS:]}"
        )
        kind = safety_signal(scanned)
        if kind:
            return None, f"/{kind}"
    if refusal is not None:
        return refusal, None
    if not text.startswith("/") and not has_words(text):
        return NO_WORDS_TEXT, None
    return None, text if text.startswith("/") else bounded_words(plain_punctuation(plain_letters(text)))


def guard_handler(on_new_message: Handler, intents: Callable[[], Known | None] = known_intents) -> Handler:
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
            logger.error("handling a message timed out (conversation %s)", log_ref(message.sender_id))
            if counting.sent == 0:
                await output.send_text_message(message.sender_id, UNAVAILABLE_TEXT)
            raise
        except Exception as exc:  # the person must get an answer whatever broke
            # The exception's type and where it was raised, not its text: a database error quotes
            # the values it was given, which can be what the person typed.
            logger.error(
                "handling a message failed (conversation %s): %s\n%s",
                log_ref(message.sender_id),
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__, limit=-TRACEBACK_FRAMES)).rstrip(),
            )
        if counting.sent == 0:
            logger.error(
                "no reply was produced for a message (conversation %s); telling the user", log_ref(message.sender_id)
            )
            await output.send_text_message(message.sender_id, UNAVAILABLE_TEXT)

    return guarded
