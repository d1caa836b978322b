"""REST channel (/webhooks/rest/webhook) with the message guard.

A request may carry an `X-Request-ID` header; it becomes the message's id. nginx sets it
(deploy/nginx.conf) and keeps it when it retries the request on another replica, so a message
that was already handled is answered from the record instead of twice (addons/rasa_fixes.py).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from addons.channels.guard import NON_TEXT_SENTINEL, guard_handler

MAX_SENDER_CHARS = 128
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
# The request id travels from get_metadata() to the message handler under this key; it is
# taken out again before the message goes on, so it is never stored as metadata.
_REQUEST_ID_KEY = "ahsct_request_id"


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
        sent = _body(request).get("metadata")
        metadata = {k: v for k, v in sent.items() if k != _REQUEST_ID_KEY} if isinstance(sent, dict) else {}
        request_id = request.headers.get(REQUEST_ID_HEADER, "")
        if _REQUEST_ID.fullmatch(request_id):
            metadata[_REQUEST_ID_KEY] = request_id
        return metadata if metadata or isinstance(sent, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_request_id(message: UserMessage) -> None:
            take_request_id(message)
            await on_new_message(message)

        return super().blueprint(guard_handler(with_request_id))


def take_request_id(message: UserMessage) -> None:
    """Make the request id that get_metadata() put in the metadata the message's id."""
    if message.metadata:
        request_id = message.metadata.pop(_REQUEST_ID_KEY, None)
        if request_id:
            message.message_id = request_id
        if not message.metadata:
            message.metadata = None
