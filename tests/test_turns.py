"""Bounded turns (issue 14): a slow action keeps its conversation's next message waiting, and each
message is answered once, in order; a turn that outlives ACTION_TIMEOUT ends with a clear reply and
the next message goes on. A proxy in front of the real action server delays the marked turns."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import pytest
from aiohttp import ClientSession, ClientTimeout, web

from addons.channels import guard
from devtools.stack import ROOT

pytestmark = pytest.mark.model

SLOW = "what is hsct, tell me please"  # the turn the proxy delays


class DelayingProxy:
    """Forwards the action server's port to the real one; the turn whose message is SLOW waits
    `delay` seconds first."""

    def __init__(self, port: int, upstream: str, delay: float):
        self.port, self.upstream, self.delay = port, upstream, delay
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        if request.method == "POST" and self._latest_text(body) == SLOW:
            await asyncio.sleep(self.delay)
        async with (
            ClientSession(timeout=ClientTimeout(total=60)) as session,
            session.request(
                request.method,
                self.upstream + request.path,
                data=body or None,
                headers={"Content-Type": "application/json"},
            ) as response,
        ):
            return web.Response(status=response.status, body=await response.read(), content_type="application/json")

    @staticmethod
    def _latest_text(body: bytes) -> object:
        try:
            return json.loads(body)["tracker"]["latest_message"]["text"]
        except (ValueError, KeyError, TypeError):
            return None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self.runner = web.AppRunner(app)
        self.loop.run_until_complete(self.runner.setup())
        self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", self.port).start())
        self.ready.set()
        self.loop.run_forever()

    def __enter__(self) -> DelayingProxy:
        self.thread.start()
        assert self.ready.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture()
def slow_actions(stack):
    """The stack's action port served by a DelayingProxy over a real action server on another port."""
    upstream_port = stack.config.action_port + 7
    env = {**stack.env(), "ACTION_PORT": str(upstream_port)}
    stack.stop_process("actions")
    real = subprocess.Popen([sys.executable, "-m", "actions"], env=env, cwd=ROOT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{upstream_port}/health", timeout=2)
                break
            except OSError:
                assert time.time() < deadline, "the action server did not start"
                time.sleep(0.5)

        def proxy(delay: float) -> DelayingProxy:
            return DelayingProxy(stack.config.action_port, f"http://127.0.0.1:{upstream_port}", delay)

        yield proxy
    finally:
        real.terminate()
        real.wait(20)
        stack.start_actions()
        stack.wait_ready()


async def _two_messages(url: str, first: str, second: str) -> list[tuple[float, list[dict]]]:
    sender = uuid.uuid4().hex

    async def send(text: str, after: float) -> tuple[float, list[dict]]:
        await asyncio.sleep(after)
        body = json.dumps({"sender": sender, "message": text})
        async with ClientSession(timeout=ClientTimeout(total=90)) as session, session.post(url, data=body) as response:
            assert response.status == 200
            replies = await response.json()
        return time.perf_counter(), replies

    return list(await asyncio.gather(send(first, 0.0), send(second, 0.5)))


def _texts(replies: list[dict]) -> list[str]:
    return [r.get("text", "") for r in replies]


def test_a_slow_turn_keeps_the_next_message_waiting_and_each_is_answered_once_in_order(stack, slow_actions, knowledge):
    url = f"{stack.config.rasa_url}/webhooks/rest/webhook"
    with slow_actions(delay=4.0):
        (done_first, first), (done_second, second) = asyncio.run(_two_messages(url, SLOW, "is ahsct fda approved"))
    what_is, fda = knowledge.entries["what_is_ahsct"].answer[:50], knowledge.entries["fda_status"].answer[:50]
    assert sum(t.startswith(what_is) for t in _texts(first)) == 1, _texts(first)
    assert sum(t.startswith(fda) for t in _texts(second)) == 1, _texts(second)
    assert not any(t.startswith(fda) for t in _texts(first)) and not any(t.startswith(what_is) for t in _texts(second))
    assert done_second > done_first  # the second waited for the first


def test_a_turn_that_outlives_the_action_timeout_ends_and_the_next_goes_on(stack, slow_actions, knowledge):
    url = f"{stack.config.rasa_url}/webhooks/rest/webhook"
    start = time.perf_counter()
    with slow_actions(delay=14.0):
        (done_first, first), (done_second, second) = asyncio.run(_two_messages(url, SLOW, "is ahsct fda approved"))
    assert _texts(first) == [guard.UNAVAILABLE_TEXT]
    assert done_first - start < 13  # ACTION_TIMEOUT (10 s), not the 14 s delay nor Rasa's 300 s
    assert any(t.startswith(knowledge.entries["fda_status"].answer[:50]) for t in _texts(second))
