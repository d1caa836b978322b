"""socket.io channel (/socket.io) with the message guard."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from addons.channels.guard import guard_handler


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel; every message gets a clear reply (see addons.channels.guard)."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return super().blueprint(guard_handler(on_new_message))
