"""socket.io channel (/socket.io) with the message guard, checked input and an origin allow-list.

Rasa creates its socket.io server with ``cors_allowed_origins=[]``, which turns the origin check
off: any web page could open a chat with the assistant in its visitors' browsers. Here only the
origins in ``ALLOWED_ORIGINS`` (comma-separated) may connect; by default the demo page served by
``make run``.

Session ids are issued by the server and signed with the conversation key
(addons/channels/inputs.py): a ``session_request`` for an id this server did not issue gets a new
one; a reload asking for its own id gets it back. A socket may write only in the session it was
confirmed, so nobody can write into, or read, a conversation whose id they did not get from the
server for their own socket. What a client sends is checked as on the REST channel, with the
socket.io equivalent of a 400: a message without its socket's session, or that is not an object,
or with metadata over the limit, is answered with a short explanation to that socket only. A
packet over the request-size limit closes the connection (engine.io's own limit). Every message
gets a reply. engine.io and socket.io log without the values a client sent (origins, ids).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer  # type: ignore[import-untyped]

from addons import log_filters, settings
from addons.channels import inputs
from addons.channels.guard import NON_TEXT_SENTINEL, NOT_TEXT, guard_handler
from addons.channels.limits import guard_requests

logger = logging.getLogger(__name__)

INVALID_SESSION_TEXT = "This chat session is not valid any more. Please reload the page to start a new one."
METADATA_REFUSED_TEXT = (
    "I couldn't read that message: the extra data sent with it was too large or not valid. "
    "Please send your question again."
)

allowed_origins = settings.allowed_origins  # kept here for the deploy checks and older imports


def quiet_logger(name: str) -> logging.Logger:
    """A logger for engine.io or socket.io: warnings and errors only, without client values."""
    log_filters.quiet(name, level=logging.WARNING)
    return logging.getLogger(name)


def socket_metadata(value: Any) -> dict[str, Any] | None:
    """Metadata as a socket.io client sends it: an object, or an object as a JSON string (as Rasa
    accepts). Raises InputError (a ValueError) if it is over the limit or not an object."""
    limit = settings.max_metadata_bytes()
    if isinstance(value, str):
        if len(value.encode("utf-8", "replace")) > limit:
            raise inputs.InputError("metadata_too_large", f"metadata must be at most {limit:,} bytes as JSON")
        value = json.loads(value)
    return inputs.metadata(value, limit)


class RoomOutput(SocketIOOutput):
    """Sends the replies to the session's room (the socket.io session id), not to Rasa's conversation
    id, which is a hash of it."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str, room: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.room = room

    async def _send_message(self, socket_id: str, response: Any) -> None:
        await self.sio.emit(self.bot_message_evt, response, room=self.room)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """As one bot message (Rasa's spreads the dict into emit's keyword arguments)."""
        await self._send_message(recipient_id, dict(json_message))


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, checked and guarded (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        origins = settings.allowed_origins()
        # engine.io checks the Origin header of every polling request and websocket upgrade and
        # answers 400 "Not an accepted origin" to the others; packets over the limit are refused.
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=origins,
            max_http_buffer_size=settings.max_request_bytes(),
            logger=quiet_logger("addons.channels.socketio.server"),
            engineio_logger=quiet_logger("addons.channels.socketio.engineio"),
        )
        # The session each connected socket was confirmed in (sockets stay on one process).
        sessions: dict[str, str] = {}
        self.sio = sio
        bp = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        guard_requests(bp)
        handle = guard_handler(on_new_message)
        logger.info("socket.io accepts connections from: %s", ", ".join(origins))

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: Any) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            sessions.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None, *_extra: Any) -> None:
            wanted = data.get("session_id") if isinstance(data, dict) else None
            session_id = str(wanted) if inputs.is_issued_session_id(wanted) else inputs.new_session_id()
            previous = sessions.get(sid)
            if previous is not None and previous != session_id:
                sio.leave_room(sid, previous)
            sessions[sid] = session_id
            if self.session_persistence:
                sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        async def tell(sid: str, text: str) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None, *_extra: Any) -> None:
            if not isinstance(data, dict):
                await tell(sid, NOT_TEXT)
                return
            session_id = sessions.get(sid) if self.session_persistence else sid
            if session_id is None or (self.session_persistence and data.get("session_id") != session_id):
                await tell(sid, INVALID_SESSION_TEXT)
                return
            try:
                metadata = socket_metadata(data.get(self.metadata_key))
            except (ValueError, RecursionError):  # InputError included
                await tell(sid, METADATA_REFUSED_TEXT)
                return
            text = data.get("message")
            if text is not None and not isinstance(text, str):
                text = NON_TEXT_SENTINEL
            room = session_id
            await handle(
                UserMessage(
                    text,
                    RoomOutput(sio, self.bot_message_evt, room),
                    inputs.conversation_id(self.name(), session_id),
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        return bp
