"""REST channel (/webhooks/rest/webhook): POST {"sender": "...", "message": "...", "metadata": {...}}.

Every request is checked before any work (addons/channels/inputs.py): a body that is not a JSON
object, a missing or malformed sender, or metadata that is not a small JSON object gets a 400
(413 for metadata over the limit) with {"error": ..., "message": ...}. A body over the server's
request-size limit gets Sanic's 413 before it is read. The message itself goes through the guard.

A request may carry an `X-Request-ID` header; it becomes the message's id. nginx sets it
(deploy/nginx.conf) and keeps it when it retries the request on another replica, so a message
that was already handled is answered from the record instead of twice (addons/rasa_fixes.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons import settings
from addons.channels import inputs
from addons.channels.guard import NON_TEXT_SENTINEL, guard_handler
from addons.channels.limits import guard_requests

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")


def _body(req: Request) -> dict[str, Any]:
    """The JSON body, which must be an object (raises InputError)."""
    try:
        body = json.loads(req.body or b"null")
    except (ValueError, RecursionError):
        raise inputs.InputError("invalid_json", "the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise inputs.InputError("invalid_json", "the body must be a JSON object")
    return body


def request_id(req: Request) -> str | None:
    value = req.headers.get(REQUEST_ID_HEADER, "")
    return value if _REQUEST_ID.fullmatch(value) else None


class GuardedRestInput(RestInput):
    """Rasa's REST channel, checked and guarded (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        guard_requests(bp)
        handle = guard_handler(on_new_message)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = _body(request)
                sender = inputs.sender_id(body.get("sender"))
                metadata = inputs.metadata(body.get("metadata"), settings.max_metadata_bytes())
            except inputs.InputError as error:
                return response.json(error.as_json(), status=error.status)
            text = body.get("message")
            if text is not None and not isinstance(text, str):
                text = NON_TEXT_SENTINEL
            collector = CollectingOutputChannel()
            message = UserMessage(
                text,
                collector,
                inputs.conversation_id(self.name(), sender),
                input_channel=self.name(),
                metadata=metadata,
                message_id=request_id(request),
            )
            # On a response timeout the guard logs it and tells the person; return what was sent (as Rasa does).
            with contextlib.suppress(asyncio.CancelledError):
                await handle(message)
            return response.json([{**reply, "recipient_id": sender} for reply in collector.messages])

        return bp
