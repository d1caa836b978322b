"""Hostile input against the running assistant (REST and socket.io): no request stops a server,
stalls other people, mixes two people's conversations or puts what someone typed into a log.
One regression test per finding of the independent hostile run (issue 11)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from actions.messages import START_OVER_TEXT
from addons.channels import guard
from addons.channels.inputs import conversation_id
from devtools.stack import http_get_json

pytestmark = pytest.mark.model


def post(stack, body, timeout=60, headers=None):
    """(status, decoded JSON or text, seconds) for a raw body or an object sent as JSON."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{stack.config.rasa_url}/webhooks/rest/webhook",
        data=data,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        content = json.loads(raw)
    except ValueError:
        content = raw.decode(errors="replace")
    return status, content, time.monotonic() - start


def ask(stack, message, sender=None, **extra):
    status, replies, _ = post(stack, {"sender": sender or uuid.uuid4().hex, "message": message, **extra})
    assert status == 200, replies
    return [r.get("text", "") for r in replies]


def still_serving(stack):
    assert http_get_json(f"{stack.config.rasa_url}/webhooks/rest/") == {"status": "ok"}
    assert ask(stack, "hi")


def test_a_sender_the_database_cannot_store_is_refused_and_the_server_stays_up(stack):
    """Before: a lone surrogate in the sender id made Rasa's SQL store exit the process."""
    for body in (b'{"sender": "x\\ud800", "message": "hi"}', b'{"sender": "\\udfff", "message": "hi"}'):
        status, error, _ = post(stack, body)
        assert status == 400 and error["error"] == "invalid_sender"
    still_serving(stack)
    assert ask(stack, "is it safe\ud800?")  # in the text, the character is replaced and the question answered
    still_serving(stack)


@pytest.mark.parametrize(
    "body",
    [
        {"message": "i live in the uk"},
        {"sender": None, "message": "hi"},
        {"sender": "", "message": "hi"},
        {"sender": "   ", "message": "hi"},
        {"sender": [], "message": "hi"},
        {"sender": {}, "message": "hi"},
        {"sender": True, "message": "hi"},
        {"sender": 1.5, "message": "hi"},
        {"sender": "x" * 129, "message": "hi"},
        {"sender": "me\n2026-11-30 INFO forged log line", "message": "hi"},
    ],
)
def test_a_missing_or_malformed_sender_is_refused_instead_of_sharing_a_conversation(stack, body):
    """Before: all of these landed in one conversation, 'default', with its region and answers."""
    status, error, _ = post(stack, body)
    assert status == 400
    assert error["error"] == "invalid_sender" and error["message"]


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"', b"null", b"[" * 5000 + b"]" * 5000, b""])
def test_a_body_that_is_not_a_json_object_is_refused(stack, body):
    status, error, _ = post(stack, body)
    assert status == 400 and error["error"] == "invalid_json"


def test_two_senders_that_share_a_prefix_have_two_conversations(stack, knowledge):
    prefix = uuid.uuid4().hex * 4  # 128 characters
    ask(stack, "i live in the uk", sender=prefix)
    status, _, _ = post(stack, {"sender": prefix + "2", "message": "hi"})
    assert status == 400  # over 128: refused, not cut to the first person's id
    with contextlib.closing(sqlite3.connect(stack.config.tracker_db)) as db:
        rows = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (conversation_id("rest", prefix),))
        assert rows.fetchone()[0] > 0
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (prefix,)).fetchone()[0] == 0


def test_a_large_body_is_refused_before_any_work_and_nobody_else_waits(stack):
    """Before: 130 KB of "on purpose " stalled another person's answer 8.5 s; a 2 MB body took 2.3 s."""
    big: dict = {}

    def send_big():
        big["result"] = post(stack, {"sender": uuid.uuid4().hex, "message": "on purpose " * 14_000})  # 150 KB

    sender = threading.Thread(target=send_big)
    sender.start()
    time.sleep(0.05)
    status, replies, seconds = post(stack, {"sender": uuid.uuid4().hex, "message": "is it fda approved"})
    sender.join(60)
    assert status == 200 and replies
    assert seconds < 1.0
    assert big["result"][0] == 413
    status, _, seconds = post(stack, b'{"sender": "a", "message": "' + b"x" * 2_000_000 + b'"}')
    assert status == 413 and seconds < 2


def test_a_long_message_with_a_crisis_phrase_at_the_end_gets_the_crisis_reply_without_the_model_reading_it(
    stack, knowledge
):
    """Before: the whole 100 KB went to the model (11.5 s) and was stored. (Bodies over 16 KB now get a
    413, so this one is 14 KB.)"""
    sender = uuid.uuid4().hex
    status, replies, seconds = post(stack, {"sender": sender, "message": "on purpose " * 1300 + "i want to end it all"})
    assert status == 200 and seconds < 5
    assert replies[0]["text"].startswith(knowledge.notices["crisis"].text)
    with contextlib.closing(sqlite3.connect(stack.config.tracker_db)) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (conversation_id("rest", sender),)
        )
        assert [json.loads(data)["text"] for (data,) in rows] == ["/crisis"]


@pytest.mark.parametrize(
    "message", ["/" + "a" * 5000, '/faq_cost{"region": "' + "u" * 5000 + '"}', "/ " + "word " * 1000]
)
def test_a_message_starting_with_a_slash_has_the_same_length_limit(stack, message):
    assert ask(stack, message) == [guard.too_long_text(guard.max_message_chars())]


def test_metadata_over_the_limit_is_refused(stack):
    """Before: ten messages with 1 MB metadata grew the database by 20 MB and slowed that conversation."""
    status, error, _ = post(stack, {"sender": uuid.uuid4().hex, "message": "hi", "metadata": {"x": "y" * 5000}})
    assert status == 413 and error["error"] == "metadata_too_large"
    status, error, _ = post(stack, {"sender": uuid.uuid4().hex, "message": "hi", "metadata": ["a list"]})
    assert status == 400 and error["error"] == "invalid_metadata"
    assert ask(stack, "hi", metadata={"page": "faq"})


def test_deeply_nested_metadata_is_refused_not_turned_into_an_outage(stack):
    """Before: 490 levels of [[[...]]] (under 1 KB) made Rasa's copy of the metadata recurse, the
    person was told the service was down, and each request wrote 2,000 lines of traceback."""
    depth = 490
    body = '{"sender": "deep", "message": "hi", "metadata": {"a": ' + "[" * depth + "]" * depth + "}}"
    status, error, _ = post(stack, body.encode())
    assert status == 400 and error["error"] == "invalid_metadata"
    assert ask(stack, "hi", metadata={"a": [[[[1]]]]})


def test_a_retried_request_whose_first_try_failed_is_answered(stack, knowledge):
    """Before: the failed turn was stored with no reply, and every retry with the same X-Request-ID
    got that empty reply again, as "part of the service is not working"."""
    sender, request_id = uuid.uuid4().hex, uuid.uuid4().hex
    headers = {"X-Request-ID": request_id}
    stack.stop_process("actions")
    try:
        status, replies, _ = post(stack, {"sender": sender, "message": "is ahsct fda approved"}, headers=headers)
        assert status == 200 and [r["text"] for r in replies] == [guard.UNAVAILABLE_TEXT]
    finally:
        stack.start_actions()
        stack.wait_ready()
    status, replies, _ = post(stack, {"sender": sender, "message": "is ahsct fda approved"}, headers=headers)
    assert any(r["text"].startswith(knowledge.entries["fda_status"].answer[:60]) for r in replies)


def test_rasas_own_commands_get_clear_replies(stack):
    """Before: /restart, /session_start and /back got "part of the service is not working"."""
    sender = uuid.uuid4().hex
    ask(stack, "i live in the uk", sender=sender)
    assert ask(stack, "/restart", sender=sender) == [START_OVER_TEXT]
    assert ask(stack, "/session_start", sender=sender) == [START_OVER_TEXT]
    assert ask(stack, "/back", sender=sender) == [guard.BACK_TEXT]


def test_ten_messages_at_once_in_one_conversation_are_each_answered_without_waiting_in_seconds(stack):
    """Before: the lock store looked once a second, so the tenth answer came after 9.4 s."""
    sender = uuid.uuid4().hex
    ask(stack, "hi", sender=sender)
    results: list = []

    def one(n):
        results.append(post(stack, {"sender": sender, "message": "is it fda approved"}))

    start = time.monotonic()
    threads = [threading.Thread(target=one, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    elapsed = time.monotonic() - start
    assert [r[0] for r in results] == [200] * 10 and all(r[1] for r in results)
    assert elapsed < 6, elapsed


def test_nothing_typed_reaches_any_log(stack):
    """Markers in every place a client can type: message text, payloads that are not payloads,
    payload entities, sender ids, metadata, an over-long message. The Rasa server runs at DEBUG."""
    marker = f"zebra{uuid.uuid4().hex[:10]}"
    sender = f"{marker}-sender"
    ask(stack, f"my name is {marker} and what is hsct", sender=sender)
    ask(stack, f"/my name is Jane {marker}, nhs number 943 476 5919", sender=sender)
    ask(stack, f'/faq_cost{{"region": "{marker}"}}', sender=sender)
    ask(stack, f"/faq_cost{{broken {marker}", sender=sender)
    ask(stack, f'/greet{{"{marker}": "x"}}', sender=sender)  # an entity the model does not know
    ask(stack, f'/faq_cost{{"region":\n"uk", "ms_type": "{marker}"}}', sender=sender)  # over two lines
    request_id = f"{marker}-request"
    for _ in range(2):  # the second is "handled before"
        post(stack, {"sender": sender, "message": "what are the risks"}, headers={"X-Request-ID": request_id})
    ask(stack, f"hello {marker}", sender=sender, metadata={"note": marker})
    ask(stack, f"{marker} " * 400)
    ask(stack, f"{marker} i feel hopeless and want to end it all")  # the safety path logs too
    post(stack, {"sender": f"{marker}\n", "message": marker})  # refused sender
    post(stack, {"sender": "x", "message": "hi", "metadata": {"big": marker * 1000}})  # refused metadata
    for log in stack.config.log_dir.glob("*.log"):
        assert marker not in log.read_text(errors="replace"), log.name


def test_a_long_conversation_keeps_what_it_was_told_and_forgets_it_on_start_over(stack, knowledge):
    """Long sessions are read back compacted (addons/stores/tracker_store.py): the region given at the
    start still picks the answer 80 turns later, and "start over" still forgets it."""
    sender = uuid.uuid4().hex
    ask(stack, "i live in the uk", sender=sender)
    for n in range(80):
        ask(stack, ["thanks", "what is hsct", "ok"][n % 3], sender=sender)
    replies = ask(stack, "can i get it on the nhs where i live?", sender=sender)
    assert any(r.startswith(knowledge.entries["access"].variants["region"]["uk"][:80]) for r in replies)
    assert ask(stack, "start over", sender=sender) == [START_OVER_TEXT]
    for _ in range(10):
        ask(stack, "thanks", sender=sender)
    replies = ask(stack, "how can i get it where i live?", sender=sender)
    assert not any(r.startswith(knowledge.entries["access"].variants["region"]["uk"][:80]) for r in replies)


# --- found by the second hostile run ----------------------------------------------------------------


def raw_request(host: str, port: int, head: str, body: bytes = b"", timeout: float = 10) -> bytes:
    """Send bytes as they are (urllib refuses malformed headers) and return the status line."""
    import socket

    with socket.create_connection((host, port), timeout=timeout) as connection:
        connection.sendall(head.encode("latin-1") + body)
        try:
            return connection.recv(200).split(b"\r\n", 1)[0]
        except OSError:
            return b""


@pytest.mark.parametrize(
    "headers",
    [
        "Content-Length: -1",  # Sanic 21.12 span on this for ever: the whole server hung
        "Content-Length: zq-length-header",
        "Content-Length: 5\r\nContent-Length: 6",
        "Transfer-Encoding: gzip",
        "Transfer-Encoding: chunked\r\nContent-Length: 5",
    ],
)
def test_malformed_length_headers_get_a_400_and_the_server_goes_on(stack, headers):
    status = raw_request(
        stack.config.host,
        stack.config.rasa_port,
        f"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{headers}\r\n\r\n",
        b'{"sender": "a", "message": "hi"}',
    )
    assert status.startswith(b"HTTP/1.1 400"), status
    still_serving(stack)


def test_the_action_server_refuses_a_negative_length_too(stack):
    status = raw_request(
        stack.config.host, stack.config.action_port, "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"
    )
    assert status.startswith(b"HTTP/1.1 400"), status
    assert http_get_json(f"{stack.config.action_url}/health") == {"status": "ok"}


def test_what_a_client_puts_in_malformed_requests_is_not_logged(stack):
    marker = f"zebra{uuid.uuid4().hex[:10]}"
    raw_request(
        stack.config.host,
        stack.config.rasa_port,
        f"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: {marker}\r\n\r\n",
    )
    raw_request(
        stack.config.host,
        stack.config.rasa_port,
        "POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        f"{marker}\r\n".encode(),
    )
    raw_request(stack.config.host, stack.config.web_port, f"GET /?{marker} HTTP/9.{marker}\r\nHost: x\r\n\r\n")
    raw_request(stack.config.host, stack.config.web_port, f"GET / HTTP/1.1\r\nBad Header {marker}\r\n\r\n")
    for log in stack.config.log_dir.glob("*.log"):
        assert marker not in log.read_text(errors="replace"), log.name


def test_a_message_that_makes_spacy_work_hard_does_not_stall_anyone_else(stack):
    """Before: "'s." x 667 (no space) took spaCy 1.5 s on the server's only event loop."""
    heavy: dict = {}

    def send_heavy():
        heavy["result"] = post(stack, {"sender": uuid.uuid4().hex, "message": ("'s." * 667)[:2000]})

    thread = threading.Thread(target=send_heavy)
    thread.start()
    time.sleep(0.05)
    status, replies, seconds = post(stack, {"sender": uuid.uuid4().hex, "message": "is ahsct fda approved?"})
    thread.join(60)
    assert status == 200 and replies and seconds < 1.0
    assert heavy["result"][0] == 200 and heavy["result"][2] < 1.5
