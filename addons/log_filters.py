"""Logging filters that keep what a client sent out of the logs of the libraries we run on.

Sanic, engine.io, socket.io, aiohttp and asyncio put request data into some log messages: a URL,
an Origin header, a session id, the bytes of a malformed request line, and exception messages that
quote a header value ("invalid literal for int() with base 10: '...'"). Each filter keeps a message
of a known form with those values replaced, and logs an exception by its type and stack frames,
never its message. What Rasa itself logs is redacted by addons/rasa_fixes.py.
"""

from __future__ import annotations

import logging
import re
import traceback

REDACTED = "[redacted]"
FRAMES = 12  # the innermost frames of a traceback are kept


def _exception_without_message(record: logging.LogRecord) -> None:
    if record.exc_info and record.exc_info[0] is not None:
        kind, _, tb = record.exc_info
        frames = "".join(traceback.format_tb(tb, limit=-FRAMES)).rstrip()
        record.exc_text = f"Traceback (most recent call last):\n{frames}\n{kind.__name__}: (message not logged)"
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = "(exception details not logged)"


class WithoutClientValues(logging.Filter):
    """For loggers that format what a client sent into their messages: messages of a known form
    keep their text with the values replaced, fixed messages pass, anything else is logged as a
    refusal without its text. Exceptions lose their messages."""

    TEMPLATES: tuple[tuple[re.Pattern[str], str], ...] = (
        (re.compile(r".* is not an accepted origin\.(.*)", re.DOTALL), r"[an origin] is not an accepted origin.\1"),
        (re.compile(r"Invalid session .*?( \(further.*)?$", re.DOTALL), r"Invalid session [an id]\1"),
        (
            re.compile(r"Exception occurred while handling uri: .*", re.DOTALL),
            "Exception occurred while handling a request",
        ),
    )
    FIXED = frozenset(
        {
            "Invalid transport",
            "Invalid JSONP index number",
            "Invalid websocket upgrade",
            "post request handler error",
            "service task exception",
            "Application rejected connection",
            "Unknown receive error",
            "Receive error -- socket is closed",
            "Error handling request",
            "Task exception was never retrieved",
        }
    )

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a message that cannot even be formatted
            message = ""
        for pattern, replacement in self.TEMPLATES:
            if pattern.fullmatch(message):
                message = pattern.sub(replacement, message)
                break
        else:
            if message.split(" (further", 1)[0] not in self.FIXED:
                message = f"{record.name}: a request was refused or failed (details not logged: they may be a client's)"
        record.msg, record.args = message, ()
        _exception_without_message(record)
        return True


def quiet(*names: str, level: int | None = None) -> None:
    """Put the filter on these loggers (once each); optionally raise their level."""
    for name in names:
        log = logging.getLogger(name)
        if not any(isinstance(f, WithoutClientValues) for f in log.filters):
            log.addFilter(WithoutClientValues())
        if level is not None:
            log.setLevel(level)


# The loggers of the Rasa server process that can carry request data.
SERVER_LOGGERS = (
    "sanic.error",
    "sanic.server",
    "asyncio",
    "engineio",
    "engineio.server",
    "socketio",
    "socketio.server",
)
# The demo page server's (aiohttp).
WEB_LOGGERS = ("aiohttp.server", "aiohttp.web", "aiohttp.access", "aiohttp.internal", "asyncio")
