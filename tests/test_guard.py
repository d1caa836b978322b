"""The channel guard: every message gets a clear reply, nothing is lost."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from addons.channels import guard


def message(text):
    return UserMessage(text, CollectingOutputChannel(), "u1", input_channel="rest")


async def run(text, handler):
    msg = message(text)
    await guard.guard_handler(handler)(msg)
    return msg, [m.get("text") for m in msg.output_channel.messages if hasattr(msg.output_channel, "messages")]


async def replying_handler(msg):
    await msg.output_channel.send_response(msg.sender_id, {"text": "answer"})


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None, "\x00\x01\x02"])
async def test_empty_messages_get_a_clear_reply_and_skip_the_model(text):
    called = []

    async def handler(msg):
        called.append(msg)

    msg = message(text)
    await guard.guard_handler(handler)(msg)
    assert not called
    assert msg.output_channel.messages[0]["text"] == guard.EMPTY_TEXT


async def test_non_text_is_refused_politely():
    async def handler(msg):
        raise AssertionError("must not be called")

    msg = message(guard.NON_TEXT_SENTINEL)
    await guard.guard_handler(handler)(msg)
    assert msg.output_channel.messages[0]["text"] == guard.NOT_TEXT


async def test_over_long_message_gets_the_limit_explained(monkeypatch):
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "50")
    msg = message("a" * 51)
    await guard.guard_handler(replying_handler)(msg)
    [reply] = msg.output_channel.messages
    assert "50 characters" in reply["text"]


async def test_control_characters_are_removed_before_the_model():
    seen = []

    async def handler(msg):
        seen.append(msg.text)
        await replying_handler(msg)

    msg = message("is it\x00 safe\x1b?\nreally")
    await guard.guard_handler(handler)(msg)
    assert seen == ["is it safe?\nreally"]
    assert msg.output_channel.messages[0]["text"] == "answer"


async def test_failure_or_silence_tells_the_user():
    async def failing(msg):
        raise ConnectionError("action server down")

    async def silent(msg):
        return None

    for handler in (failing, silent):
        msg = message("is ahsct approved")
        await guard.guard_handler(handler)(msg)
        assert [m["text"] for m in msg.output_channel.messages] == [guard.UNAVAILABLE_TEXT]


async def test_a_request_the_server_gives_up_on_still_tells_the_user():
    """Rasa's REST channel catches the cancellation (a response timeout) and returns what was sent."""

    async def stuck(msg):
        await asyncio.sleep(60)

    msg = message("where is that from?")
    task = asyncio.ensure_future(guard.guard_handler(stuck)(msg))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [m["text"] for m in msg.output_channel.messages] == [guard.UNAVAILABLE_TEXT]


async def test_a_normal_reply_passes_through_unchanged():
    msg = message("what is hsct")
    await guard.guard_handler(replying_handler)(msg)
    assert [m["text"] for m in msg.output_channel.messages] == ["answer"]


async def test_button_payloads_pass_even_if_they_look_odd():
    msg = message('/faq_cost{"region": "uk"}')
    await guard.guard_handler(replying_handler)(msg)
    assert [m["text"] for m in msg.output_channel.messages] == ["answer"]


class FakeRequest:
    def __init__(self, body, headers=None):
        self.json = body
        self.headers = headers or {}


def rest_message(request):
    from addons.channels.rest import GuardedRestInput, take_request_id

    msg = UserMessage("hi", CollectingOutputChannel(), "u1", metadata=GuardedRestInput().get_metadata(request))
    take_request_id(msg)
    return msg


def test_the_rest_channel_takes_the_request_id_as_the_message_id():
    msg = rest_message(FakeRequest({"message": "hi"}, {"X-Request-ID": "0af7651916cd43dd8448eb211c80319c"}))
    assert msg.message_id == "0af7651916cd43dd8448eb211c80319c"
    assert msg.metadata is None  # the id does not stay in the metadata


def test_the_rest_channel_keeps_the_senders_metadata_and_ignores_an_id_smuggled_into_it():
    body = {"message": "hi", "metadata": {"page": "faq", "ahsct_request_id": "smuggled-id-1234"}}
    msg = rest_message(FakeRequest(body))
    assert msg.metadata == {"page": "faq"}
    assert msg.message_id != "smuggled-id-1234"
    with_header = rest_message(FakeRequest(body, {"X-Request-ID": "from-nginx-5678"}))
    assert with_header.metadata == {"page": "faq"} and with_header.message_id == "from-nginx-5678"


@pytest.mark.parametrize("header", ["", "short", "has spaces in it", "x" * 129, "semi;colon;12345"])
def test_a_malformed_request_id_is_ignored_and_rasa_makes_its_own(header):
    msg = rest_message(FakeRequest({"message": "hi"}, {"X-Request-ID": header}))
    assert msg.message_id != header and len(msg.message_id) == 32  # Rasa's uuid4().hex
    assert msg.metadata is None
