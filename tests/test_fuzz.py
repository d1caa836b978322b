"""Fuzzing the running assistant: random and adversarial senders, messages, metadata, payloads and
Telegram updates over REST, socket.io and the Telegram webhook (Hypothesis).

Every input must get a 200 with a reply, or a 400 / 403 / 413 with a clear error; the servers stay
up; another person asking a normal question meanwhile is answered; and no marker word typed into
any field reaches any log (the test stack runs Rasa at DEBUG). Bounded so that `make test` stays
short: FUZZ_EXAMPLES (default 120) Telegram updates, twice as many REST requests, and a quarter
as many socket.io conversations of up to five messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addons import settings as app_settings
from devtools.stack import http_get_json
from tests.conftest import TELEGRAM, WEB_PORT

pytestmark = pytest.mark.model

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
MARK = f"fuzzmark{uuid.uuid4().hex[:8]}"
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text of every kind, surrogates and control characters included, often with the marker in it.
ANY_CHAR = st.characters(codec=None, categories=None)
RAW_TEXT = st.text(ANY_CHAR, max_size=60)
MARKED = st.builds(lambda a, b: f"{a}{MARK}{b}", RAW_TEXT, RAW_TEXT)
WORDS = st.sampled_from(["is it safe", "how much does hsct cost", "i live in the uk", "help", "stop", "start over"])
PAYLOADS = st.builds(
    lambda intent, body: f"/{intent}{body}",
    st.sampled_from(["faq_cost", "restart", "session_start", "back", "crisis", "no_such_intent", "", "faq_risks "]),
    st.one_of(
        st.just(""),
        st.just('{"region": "uk"}'),
        st.builds(lambda t: json.dumps({"region": t}), MARKED),
        st.builds(lambda k: json.dumps({k: "x"}), MARKED),  # an entity the model does not know
        st.builds(lambda t: '{"region":\n"' + t + '"}', MARKED),  # over two lines
        RAW_TEXT,
    ),
)
TEXTS = st.one_of(
    WORDS,
    MARKED,
    PAYLOADS,
    st.builds(lambda t, n: t * n, MARKED, st.integers(1, 80)),  # long, up to a few KB
    RAW_TEXT,
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | MARKED,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(MARKED | RAW_TEXT, inner, max_size=4),
    max_leaves=12,
)
PRINTABLE = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), max_size=40)
VALID_SENDER = st.one_of(
    st.builds(lambda: uuid.uuid4().hex),
    st.builds(lambda a: f"{MARK}{a}".strip()[:128], PRINTABLE),
)
SENDERS = st.one_of(
    VALID_SENDER,
    VALID_SENDER,
    VALID_SENDER,
    MARKED,
    RAW_TEXT,
    st.text(ANY_CHAR, min_size=120, max_size=140),
    st.integers(),
    JSON_VALUES,
)
METADATA = st.one_of(
    st.none(),
    st.dictionaries(MARKED, JSON_VALUES, max_size=3),
    st.builds(lambda n: {"big": MARK * n}, st.integers(1, 800)),
    st.builds(lambda n: {"deep": json.loads("[" * n + "]" * n)}, st.integers(1, 600)),
    JSON_VALUES,
)


def post(url: str, data: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=90) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def others_are_answered(stack) -> None:
    """A person asking a normal question is answered."""
    body = json.dumps({"sender": f"control-{uuid.uuid4().hex}", "message": "is ahsct fda approved?"}).encode()
    status, raw = post(f"{stack.config.rasa_url}/webhooks/rest/webhook", body)
    assert status == 200 and json.loads(raw)[0]["text"]


def no_marker_in_the_logs(stack) -> None:
    for log in stack.config.log_dir.glob("*.log"):
        assert MARK not in log.read_text(errors="replace"), log.name


@pytest.fixture(scope="module")
def counter():
    return {"n": 0}


def checked(stack, counter) -> None:
    counter["n"] += 1
    if counter["n"] % 25 == 0:
        assert http_get_json(f"{stack.config.rasa_url}/webhooks/rest/") == {"status": "ok"}
        others_are_answered(stack)


@settings(FUZZ, max_examples=EXAMPLES * 2)
@given(
    sender=SENDERS,
    message=st.one_of(TEXTS, JSON_VALUES),
    metadata=METADATA,
    extra=st.dictionaries(RAW_TEXT, JSON_VALUES, max_size=2),
    raw=st.one_of(st.none(), st.binary(max_size=200), st.builds(lambda n: b"{" * n, st.integers(1, 5000))),
    request_id=st.one_of(st.none(), st.builds(lambda a: f"{MARK}{a}", st.text("abcdef0123456789-", max_size=20))),
)
def test_rest_every_input_gets_a_reply_or_a_clear_error(
    stack, counter, sender, message, metadata, extra, raw, request_id
):
    body = {**extra, "sender": sender, "message": message}
    if metadata is not None:
        body["metadata"] = metadata
    data = raw if raw is not None else json.dumps(body).encode()
    headers = {"X-Request-ID": request_id} if request_id else {}
    status, content = post(f"{stack.config.rasa_url}/webhooks/rest/webhook", data, headers)
    assert status in (200, 400, 413), (status, content[:200])
    if status == 200:
        replies = json.loads(content)
        assert replies and all(isinstance(r.get("text"), str) and r["text"] for r in replies if "image" not in r)
    elif status == 400:
        assert json.loads(content)["message"]
    checked(stack, counter)


TELEGRAM_IDS = st.one_of(st.integers(-(10**13), 10**13), RAW_TEXT, st.none(), st.booleans(), st.floats(allow_nan=False))
CHATS = st.fixed_dictionaries(
    {"id": TELEGRAM_IDS},
    optional={"type": st.sampled_from(["private", "group", "supergroup", "channel"]) | RAW_TEXT},
)
MESSAGES = st.fixed_dictionaries(
    {"message_id": st.integers(1, 10**6), "chat": CHATS | JSON_VALUES},
    optional={
        "text": TEXTS | JSON_VALUES,
        "from": st.fixed_dictionaries({"id": TELEGRAM_IDS}) | JSON_VALUES,
        "reply_to_message": JSON_VALUES,
        "photo": JSON_VALUES,
        "caption": MARKED,
    },
)
UPDATES = st.fixed_dictionaries(
    {"update_id": st.one_of(st.integers(0, 2**40), TELEGRAM_IDS)},
    optional={
        "message": MESSAGES | JSON_VALUES,
        "edited_message": MESSAGES,
        "callback_query": st.fixed_dictionaries(
            {"id": RAW_TEXT | JSON_VALUES, "data": TEXTS | JSON_VALUES},
            optional={"message": MESSAGES | JSON_VALUES, "from": st.fixed_dictionaries({"id": TELEGRAM_IDS})},
        ),
        MARK: JSON_VALUES,
    },
)


@FUZZ
@given(
    update=st.one_of(UPDATES, JSON_VALUES),
    secret=st.one_of(
        st.just(TELEGRAM["secret"]), st.none(), st.text(st.characters(min_codepoint=33, max_codepoint=126))
    ),
)
def test_telegram_every_update_is_answered_or_refused_and_nothing_breaks(stack, counter, update, secret):
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    body = json.dumps(update).encode()
    status, content = post(f"{stack.config.rasa_url}/webhooks/telegram/webhook", body, headers)
    if len(body) > app_settings.max_request_bytes():
        assert status == 413  # the size limit is checked first, before the secret or the JSON
    elif headers.get("X-Telegram-Bot-Api-Secret-Token") != TELEGRAM["secret"]:
        assert status == 403
    else:
        assert status in (200, 400), (status, content[:200])
    checked(stack, counter)


class Socket:
    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[Any] = asyncio.Queue()
        self.client.on("bot_uttered", self.replies.put)
        self.confirmed: asyncio.Queue[Any] = asyncio.Queue()
        self.client.on("session_confirm", self.confirmed.put)


async def socket_run(url: str, events: list[tuple[Any, Any, Any]]) -> list[int]:
    """Send each (session_request data, message data, metadata) on one connection; the number of
    replies each got (it must be at least one)."""
    socket = Socket()
    await socket.client.connect(url, headers={"Origin": f"http://127.0.0.1:{WEB_PORT}"}, transports=["polling"])
    counts = []
    try:
        for wanted, message, metadata in events:
            await socket.client.emit("session_request", {"session_id": wanted})
            session = await asyncio.wait_for(socket.confirmed.get(), 20)
            data = message if not isinstance(message, dict) else {**message, "session_id": session}
            if isinstance(data, dict) and metadata is not None:
                data["metadata"] = metadata
            await socket.client.emit("user_uttered", data)
            await asyncio.wait_for(socket.replies.get(), 60)
            got = 1
            with contextlib.suppress(asyncio.TimeoutError):
                while True:
                    await asyncio.wait_for(socket.replies.get(), 0.3)
                    got += 1
            counts.append(got)
    finally:
        await socket.client.disconnect()
    return counts


@settings(FUZZ, max_examples=max(1, EXAMPLES // 4))
@given(
    events=st.lists(
        st.tuples(
            SENDERS,
            st.one_of(st.builds(lambda t: {"message": t}, TEXTS | JSON_VALUES), JSON_VALUES),
            st.one_of(st.none(), METADATA, MARKED),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_socketio_every_message_gets_a_reply(stack, counter, events):
    counts = asyncio.run(socket_run(stack.config.rasa_url, events))
    assert len(counts) == len(events) and all(n >= 1 for n in counts)
    checked(stack, counter)


def test_after_the_fuzzing_the_servers_are_up_others_are_answered_and_no_marker_is_logged(stack):
    """Runs after the fuzz tests above (pytest keeps the file's order)."""
    for name, proc in stack.procs.items():
        assert proc.poll() is None, f"{name} exited"
    others_are_answered(stack)
    no_marker_in_the_logs(stack)
