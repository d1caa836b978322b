"""socket.io channel (/socket.io) with the message guard and an origin allow-list.

Rasa creates its socket.io server with ``cors_allowed_origins=[]``, which turns the
origin check off: any web page could open a chat with the assistant in its
visitors' browsers. Here only the origins in ``ALLOWED_ORIGINS`` (comma-separated)
may connect; by default the demo page served by ``make run``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from addons.channels.guard import guard_handler

logger = logging.getLogger(__name__)

DEFAULT_ALLOWED_ORIGINS = ("http://127.0.0.1:8080", "http://localhost:8080")


def allowed_origins(value: str | None = None) -> list[str]:
    """The origins allowed to connect, from ALLOWED_ORIGINS (comma-separated) or the defaults.

    "*" is refused on purpose: a health assistant should name the sites it is embedded in.
    """
    raw = os.environ.get("ALLOWED_ORIGINS", "") if value is None else value
    origins = [o.strip().rstrip("/") for o in raw.split(",") if o.strip()]
    if "*" in origins:
        raise ValueError("ALLOWED_ORIGINS must list the sites that embed the widget; '*' is not allowed")
    return origins or list(DEFAULT_ALLOWED_ORIGINS)


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel; every message gets a clear reply (see addons.channels.guard),
    and only allowed origins can connect."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(guard_handler(on_new_message))
        assert self.sio is not None  # set by Rasa's blueprint()
        origins = allowed_origins()
        # engine.io checks the Origin header of every polling request and websocket upgrade
        # and answers 400 "Not an accepted origin" to the others.
        self.sio.eio.cors_allowed_origins = origins
        logger.info("socket.io accepts connections from: %s", ", ".join(origins))
        return blueprint
