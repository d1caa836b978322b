"""A fake Telegram Bot API server on loopback for the Telegram channel's tests.

It records every call (method and JSON body) and answers like the Bot API does. It runs
in its own thread with its own event loop, so tests can wait for calls synchronously.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USERNAME = "AhsctTestBot"


@dataclass
class Call:
    token: str
    method: str
    body: dict[str, Any]


@dataclass
class FakeBotApi:
    host: str = "127.0.0.1"
    port: int = 8181
    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def _handle(self, request: web.Request) -> web.Response:
        if request.content_type == "multipart/form-data":  # sendDocument: the file as {"filename", "content"}
            body = {}
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    body[name] = {"filename": value.filename, "type": value.content_type, "content": value.file.read()}
                else:
                    body[name] = value
        else:
            try:
                body = await request.json()
            except ValueError:
                body = dict(await request.post())
        call = Call(request.match_info["token"], request.match_info["method"], body)
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()
        result: Any = True
        if call.method == "answerCallbackQuery" and str(body.get("callback_query_id", "")).startswith("too-old"):
            description = "Bad Request: query is too old and response timeout expired or query ID is invalid"
            return web.json_response({"ok": False, "error_code": 400, "description": description}, status=400)
        if call.method == "getMe":
            result = {
                "id": int(call.token.split(":")[0]),
                "is_bot": True,
                "first_name": "AHSCT",
                "username": BOT_USERNAME,
            }
        if call.method in ("sendMessage", "sendPhoto", "sendDocument"):
            result = {"message_id": next(self._ids), "chat": {"id": body.get("chat_id")}, "text": body.get("text")}
        return web.json_response({"ok": True, "result": result})

    def start(self) -> None:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            app.router.add_post("/bot{token}/{method}", self._handle)
            self._runner = web.AppRunner(app, access_log=None)
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.TCPSite(self._runner, self.host, self.port).start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Bot API server did not start")

    def stop(self) -> None:
        if self._loop is None or self._runner is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def sent_to(self, chat_id: int | str, method: str = "sendMessage") -> list[dict[str, Any]]:
        with self._lock:
            return [c.body for c in self.calls if c.method == method and str(c.body.get("chat_id")) == str(chat_id)]

    def wait_for(self, predicate, timeout: float = 30.0) -> None:
        """Wait until predicate() is true (it is called with the lock held, after every call)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the expected Bot API calls did not come")
                self._lock.wait(remaining)
