"""The notes for the neurologist (issue 16), delivered by each channel:

- on the web (socket.io) and REST, as a link that works for one hour:
      GET /webhooks/summary/<token>       the print-styled page ("Print or save as PDF")
      GET /webhooks/summary/<token>/pdf   the same notes as a PDF ("Download PDF")
- on Telegram, as a PDF document (sendDocument).

The action (actions/summary_actions.py) sends {"summary": {"key": K}} and keeps K in the slot
`summary_link`; the guard's output wrapper (addons/channels/guard.py) hands that message to
`deliver` here instead of the channel. The link's token is random (32 bytes) and says nothing;
it is remembered for one hour (SUMMARY_LINK_SECONDS) with the conversation and K, in this
process or in Redis when the replicas share one (addons/channels/memory.py). The notes are never
stored: each request builds them again from the stored conversation, and only while the
conversation's `summary_link` is still K, so "start over" (which empties the slots), a newer
summary or `make purge` (which deletes the conversation) ends the link at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import multiprocessing
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.trackers import EventVerbosity
from sanic import Blueprint, response
from sanic.exceptions import ServiceUnavailable
from sanic.request import Request
from sanic.response import HTTPResponse

from addons import settings
from addons.channels.inputs import log_ref
from addons.channels.limits import guard_requests
from addons.channels.memory import Memory, memory_for

logger = logging.getLogger(__name__)

PREFIX = "/webhooks/summary"
# The memory's key of a conversation's newest token (never a token: ":" is not in one).
CONVERSATION_KEY = "newest:"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Headers of every summary response: never cached or indexed, no referrer leaves the page.
PRIVATE = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

_links: Memory | None = None


def links() -> Memory:
    """token -> {"c": conversation, "k": key, "e": expiry}, for SUMMARY_LINK_SECONDS."""
    global _links
    if _links is None:
        _links = memory_for("summary:links", ttl_seconds=settings.summary_link_seconds())
    return _links


def new_link(conversation_id: str, key: str, now: float | None = None) -> tuple[str, float]:
    """A new token for the conversation's summary, and when it expires. The conversation's older
    token is forgotten: it would no longer open anyway (newer key), and one person asking again and
    again must not push other people's links out of the memory."""
    expires = (time.time() if now is None else now) + settings.summary_link_seconds()
    token = secrets.token_urlsafe(32)
    memory = links()
    newest = CONVERSATION_KEY + conversation_id
    older = memory.get(newest)
    if older:
        memory.delete(older)
    memory.add(token, json.dumps({"c": conversation_id, "k": key, "e": expires}))
    memory.delete(newest)  # add() keeps an existing value: replace it
    memory.add(newest, token)
    return token, expires


def forget(token: str) -> None:
    """A token whose conversation has moved on (started over, purged): answer it at once next time."""
    links().delete(token)


def resolve(token: str, now: float | None = None) -> tuple[str, str] | None:
    """(conversation, key) of a token that exists and has not expired; None otherwise."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    raw = links().get(token)
    try:
        record = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(record, dict) or float(record.get("e") or 0) <= (time.time() if now is None else now):
        return None
    conversation, key = record.get("c"), record.get("k")
    return (conversation, key) if isinstance(conversation, str) and isinstance(key, str) else None


async def summary_for(agent: Any, conversation_id: str, key: str | None = None) -> Any:
    """The conversation's notes (actions.summary.Summary), built from its stored state; None if the
    conversation is gone, or `key` is given and is no longer its newest link's."""
    from actions.store import get_knowledge
    from actions.summary import LINK_SLOT, build

    tracker = await agent.tracker_store.retrieve(conversation_id) if agent is not None else None
    if tracker is None:
        return None
    state = tracker.current_state(EventVerbosity.AFTER_RESTART)
    slots = state.get("slots") or {}
    if key is not None and slots.get(LINK_SLOT) != key:
        return None
    return build(get_knowledge(), slots, state.get("events") or [], dt.datetime.now(dt.timezone.utc).date())


# At most MAX_IN_FLIGHT requests for notes (page, PDF, Telegram document) are worked on at once in a
# process; more get "busy" (503) before any work, rather than a queue that grows: each reads the
# conversation from the store, and a burst of them slowed everyone's answers. PDFs are made one at a
# time in a process of their own (about 0.3 s of CPU each). In a thread they slowed chat answers
# (0.04 s to 0.7 s with 3 PDFs at once): fpdf2 is pure Python and held the interpreter's lock.
MAX_IN_FLIGHT = 3
_pdf_process: Executor | None = None  # tests put a thread pool here
_in_flight = 0


def _pdf_worker() -> Executor:
    """The PDF process, started when first needed ("spawn": a fresh interpreter, not a fork of the
    Rasa server and its threads); it lives as long as the server."""
    global _pdf_process
    if _pdf_process is None:
        _pdf_process = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _pdf_process


class Busy(ServiceUnavailable):
    """Too many notes are being made: try again in a moment."""


@contextlib.contextmanager
def turn() -> Iterator[None]:
    """One request's turn at making notes; Busy if MAX_IN_FLIGHT are already being made."""
    global _in_flight
    if _in_flight >= MAX_IN_FLIGHT:
        raise Busy("Many notes are being made right now. Please try again in a minute.")
    _in_flight += 1
    try:
        yield
    finally:
        _in_flight -= 1


async def pdf_of(summary: Any) -> bytes:
    """The PDF, made in the PDF thread (see above) while the server goes on answering everyone else."""
    from actions import summary_render

    global _pdf_process
    try:
        return await asyncio.get_running_loop().run_in_executor(_pdf_worker(), summary_render.to_pdf, summary)
    except BrokenProcessPool:  # the process died (killed, out of memory): a new one next time
        _pdf_process = None
        raise


def file_name(summary: Any) -> str:
    return f"ahsct-notes-{summary.made_on.isoformat()}.pdf"


async def deliver(output: OutputChannel, recipient_id: str, request: Any) -> None:
    """Send the notes the action asked for: a document where the channel can send one (Telegram's
    `send_summary_document`), else a link message {"summary": {"view", "pdf", "expires_at"}}."""
    key = request.get("key") if isinstance(request, dict) else None
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        logger.warning("a summary request without a valid key was not delivered")
        return
    send_document = getattr(output, "send_summary_document", None)
    if send_document is not None:
        await send_document(recipient_id)
        return
    token, expires = new_link(recipient_id, key)
    link = {
        "view": f"{PREFIX}/{token}",
        "pdf": f"{PREFIX}/{token}/pdf",
        "expires_at": dt.datetime.fromtimestamp(expires, dt.timezone.utc).isoformat(timespec="seconds"),
    }
    await output.send_custom_json(recipient_id, {"summary": link})
    logger.info("summary link sent (conversation %s)", log_ref(recipient_id))


def _gone() -> HTTPResponse:
    from actions.messages import SUMMARY_LINK_EXPIRED_TEXT

    return response.text(SUMMARY_LINK_EXPIRED_TEXT, status=404, headers=PRIVATE)


class SummaryInput(InputChannel):
    """Serves the summary links (see the module docstring). It takes no messages."""

    @classmethod
    def name(cls) -> str:
        return "summary"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SummaryInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("summary_pages", __name__)
        guard_requests(bp)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.listener("before_server_stop")
        async def stop_pdf_process(_app: Any, _loop: Any) -> None:
            global _pdf_process
            if _pdf_process is not None:
                _pdf_process.shutdown(wait=False, cancel_futures=True)
                _pdf_process = None

        async def found(request: Request, token: str) -> Any:
            target = resolve(token)
            if target is None:
                return None
            try:
                notes = await summary_for(request.app.ctx.agent, *target)
            except Exception as exc:  # the store is down: this request fails, not the server
                logger.error("summary not built (conversation %s): %s", log_ref(target[0]), type(exc).__name__)
                raise ServiceUnavailable("The notes cannot be made right now. Please try again in a minute.") from None
            if notes is None:
                forget(token)
            return notes

        @bp.route("/<token:str>", methods=["GET"])
        async def page(request: Request, token: str) -> HTTPResponse:
            from actions.summary_render import content_security_policy, to_html

            with turn():
                summary = await found(request, token)
                if summary is None:
                    return _gone()
                page = to_html(summary, pdf_href=f"{PREFIX}/{token}/pdf")
            headers = {**PRIVATE, "Content-Security-Policy": content_security_policy()}
            return response.html(page, headers=headers)

        @bp.route("/<token:str>/pdf", methods=["GET"])
        async def pdf(request: Request, token: str) -> HTTPResponse:
            with turn():
                summary = await found(request, token)
                if summary is None:
                    return _gone()
                content = await pdf_of(summary)
            headers = {**PRIVATE, "Content-Disposition": f'attachment; filename="{file_name(summary)}"'}
            return response.raw(content, content_type="application/pdf", headers=headers)

        return bp
