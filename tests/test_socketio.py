"""The socket.io channel against the running assistant: what the widget sends is answered, and what
a hostile client sends gets a clear reply on its own socket (socket.io's equivalent of a 400)."""

from __future__ import annotations

import asyncio
import contextlib
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest
import socketio

from addons.channels import guard, inputs
from addons.channels.socketio import INVALID_SESSION_TEXT, METADATA_REFUSED_TEXT
from tests.conftest import WEB_PORT

pytestmark = pytest.mark.model


class Chat:
    """A socket.io client as the widget is one: an allowed origin, a session, messages and replies."""

    def __init__(self, url: str):
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.session: asyncio.Future[str] | None = None

        @self.client.on("bot_uttered")
        async def bot_uttered(data: dict[str, Any]) -> None:
            await self.replies.put(data)

        @self.client.on("session_confirm")
        async def session_confirm(session_id: str) -> None:
            if self.session is not None and not self.session.done():
                self.session.set_result(session_id)

    async def connect(self, session_id: Any = None) -> str:
        self.session = asyncio.get_running_loop().create_future()
        await self.client.connect(
            self.url, headers={"Origin": f"http://127.0.0.1:{WEB_PORT}"}, transports=["polling"], wait_timeout=10
        )
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.session, 10)

    async def say(self, data: Any) -> list[str]:
        """Emit a user_uttered event; the texts of the replies that come within a moment of the first."""
        await self.client.emit("user_uttered", data)
        first = await asyncio.wait_for(self.replies.get(), 60)
        texts = [first.get("text", "")]
        with contextlib.suppress(asyncio.TimeoutError):
            while True:
                texts.append((await asyncio.wait_for(self.replies.get(), 0.8)).get("text", ""))
        return texts

    async def close(self) -> None:
        await self.client.disconnect()


@pytest.fixture()
async def chat(stack):
    one = Chat(stack.config.rasa_url)
    yield one
    await one.close()


async def test_a_question_is_answered_in_its_session(chat, knowledge):
    session = await chat.connect(uuid.uuid4().hex)
    texts = await chat.say({"message": "is ahsct fda approved?", "session_id": session})
    assert any(t.startswith(knowledge.entries["fda_status"].answer[:60]) for t in texts)


@pytest.mark.parametrize("wanted", ["x\ud800", "a\nb", "", "x" * 129, 12.5, ["a"], {"a": 1}, "my-own-id", None])
async def test_a_session_request_for_an_id_the_server_did_not_issue_gets_a_new_one(chat, wanted):
    session = await chat.connect(wanted)
    assert session != wanted and inputs.is_issued_session_id(session)
    assert await chat.say({"message": "hi", "session_id": session})


async def test_a_reload_asking_for_its_own_session_continues_the_conversation(stack, knowledge):
    first = Chat(stack.config.rasa_url)
    session = await first.connect(None)
    await first.say({"message": "i live in the uk", "session_id": session})
    await first.close()
    again = Chat(stack.config.rasa_url)
    try:
        assert await again.connect(session) == session
        texts = await again.say({"message": "can i get it on the nhs where i live?", "session_id": session})
        assert any(t.startswith(knowledge.entries["access"].variants["region"]["uk"][:60]) for t in texts)
    finally:
        await again.close()


async def test_a_socket_cannot_write_into_another_sockets_session(stack):
    """Before: any socket could post into any session id it knew, and the reply went to the victim."""
    victim, attacker = Chat(stack.config.rasa_url), Chat(stack.config.rasa_url)
    try:
        session = await victim.connect(None)
        await attacker.connect(None)
        assert await attacker.say({"message": "how much does it cost?", "session_id": session}) == [
            INVALID_SESSION_TEXT
        ]
        with contextlib.suppress(asyncio.TimeoutError):
            stray = await asyncio.wait_for(victim.replies.get(), 2)
            raise AssertionError(f"the victim's chat got {stray}")
    finally:
        await victim.close()
        await attacker.close()


async def test_a_message_before_any_session_request_is_answered_not_dropped(stack):
    lone = Chat(stack.config.rasa_url)
    await lone.client.connect(
        stack.config.rasa_url,
        headers={"Origin": f"http://127.0.0.1:{WEB_PORT}"},
        transports=["polling"],
        wait_timeout=10,
    )
    try:
        assert await lone.say({"message": "hi", "session_id": "12345"}) == [INVALID_SESSION_TEXT]
    finally:
        await lone.close()


def test_what_a_socketio_client_sends_in_headers_and_ids_is_not_logged(stack):
    marker = f"zebra{uuid.uuid4().hex[:10]}"
    for url, headers in [
        (f"{stack.config.rasa_url}/socket.io/?EIO=4&transport=polling", {"Origin": f"http://{marker}.example"}),
        (f"{stack.config.rasa_url}/socket.io/?EIO=4&transport=polling&sid={marker}", {}),
    ]:
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10).read()
    for log in stack.config.log_dir.glob("*.log"):
        assert marker not in log.read_text(errors="replace"), log.name


@pytest.mark.parametrize("data", [42, ["is it safe"], "is it safe", None, True])
async def test_a_message_that_is_not_an_object_gets_the_polite_reply(chat, data):
    await chat.connect(uuid.uuid4().hex)
    assert await chat.say(data) == [guard.NOT_TEXT]


@pytest.mark.parametrize("message", [42, ["is it safe"], {"text": "is it safe"}, True])
async def test_a_message_text_that_is_not_text_gets_the_polite_reply(chat, message):
    session = await chat.connect(uuid.uuid4().hex)
    assert await chat.say({"message": message, "session_id": session}) == [guard.NOT_TEXT]


@pytest.mark.parametrize("session_id", [None, "", "x\ud800", "a\nb", 1.5, ["s"]])
async def test_a_message_without_a_valid_session_is_told_so(chat, session_id):
    await chat.connect(uuid.uuid4().hex)
    assert await chat.say({"message": "hi", "session_id": session_id}) == [INVALID_SESSION_TEXT]


@pytest.mark.parametrize("metadata", [{"x": "y" * 5000}, "not json", '{"x": "' + "y" * 5000 + '"}', ["a list"]])
async def test_metadata_that_is_too_large_or_not_an_object_is_refused(chat, metadata):
    session = await chat.connect(uuid.uuid4().hex)
    assert await chat.say({"message": "hi", "session_id": session, "metadata": metadata}) == [METADATA_REFUSED_TEXT]


async def test_rasas_commands_get_clear_replies(chat):
    session = await chat.connect(uuid.uuid4().hex)
    await chat.say({"message": "hi", "session_id": session})
    assert await chat.say({"message": "/back", "session_id": session}) == [guard.BACK_TEXT]
    restarted = await chat.say({"message": "/restart", "session_id": session})
    assert restarted and "start again" in restarted[0]


async def test_a_message_with_extra_arguments_is_still_answered(chat):
    """Before: 42["user_uttered", {...}, "extra"] raised a TypeError and got no reply."""
    session = await chat.connect(None)
    await chat.client.emit("user_uttered", ({"message": "hi", "session_id": session}, "extra"))
    assert await asyncio.wait_for(chat.replies.get(), 60)
