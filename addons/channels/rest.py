"""REST channel (/webhooks/rest/webhook) with the message guard."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from addons.channels.guard import NON_TEXT_SENTINEL, guard_handler

MAX_SENDER_CHARS = 128


def _body(req: Request) -> dict[str, Any]:
    """The JSON body if it is an object; anything else counts as an empty one."""
    body = req.json
    return body if isinstance(body, dict) else {}


class GuardedRestInput(RestInput):
    """Rasa's REST channel; every message gets a clear reply (see addons.channels.guard)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str | None:
        sender = _body(req).get("sender")
        if isinstance(sender, (int, float)) and not isinstance(sender, bool):
            sender = str(sender)
        return sender[:MAX_SENDER_CHARS] if isinstance(sender, str) and sender.strip() else None

    def _extract_message(self, req: Request) -> str | None:
        message = _body(req).get("message")
        if message is None or isinstance(message, str):
            return message
        return NON_TEXT_SENTINEL

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = _body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return super().blueprint(guard_handler(on_new_message))
