"""Defects found by attacking the notes for the neurologist (addons/channels/summary.py).

Each test fails on the code as found and passes once the defect is fixed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest


@pytest.fixture
def channel(monkeypatch):
    """The summary channel with the links memory it makes by default (one process, no Redis)."""
    from addons.channels import summary as channel

    monkeypatch.delenv("LOCK_STORE", raising=False)
    monkeypatch.setattr(channel, "_links", None)
    # PDFs in a thread rather than the PDF process, so that a test can replace the renderer.
    pool = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(channel, "_pdf_process", pool)
    yield channel
    pool.shutdown()


def test_one_person_making_many_summaries_does_not_end_other_peoples_links(channel):
    """The docs promise a link works for one hour. The in-process memory keeps only the newest
    10,000 tokens, and every new summary adds one while the superseded ones stay, so one client
    that asks for notes 10,000 times (no rate limit; ~30 a second over REST) silently ends every
    other person's link long before its hour is up."""
    victim, _ = channel.new_link("victim-conversation", "V" * 22)
    assert channel.resolve(victim) == ("victim-conversation", "V" * 22)
    for n in range(10_000):
        channel.new_link("attacker-conversation", f"{n:022d}")
    assert channel.resolve(victim) == ("victim-conversation", "V" * 22)


async def test_many_pdf_requests_do_not_starve_the_servers_shared_worker_threads(channel, monkeypatch):
    """`pdf_of` renders every request on the event loop's default executor, unbounded. Forty GETs
    of one valid /pdf link (about 0.3 s of CPU each) queue ahead of everything else the server runs
    in that executor; measured on `make run`, a chat answer took 7 s instead of 0.04 s meanwhile.
    Here rendering is replaced by a 0.25 s wait, the executor has 4 threads: a trivial job of
    someone else's must still run at once."""
    import actions.summary_render as render

    def slow_render(_summary):
        time.sleep(0.25)
        return b"%PDF-"

    monkeypatch.setattr(render, "to_pdf", slow_render)
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=4)
    loop.set_default_executor(pool)
    try:
        renders = [asyncio.create_task(channel.pdf_of(object())) for _ in range(40)]
        await asyncio.sleep(0.05)
        started = time.monotonic()
        await loop.run_in_executor(None, lambda: None)
        waited = time.monotonic() - started
        await asyncio.gather(*renders, return_exceptions=True)  # those over the limit are turned away (Busy)
    finally:
        pool.shutdown(wait=True)
    assert waited < 1.0, f"another request's executor job waited {waited:.1f} s behind PDF rendering"


async def test_pdf_rendering_is_bounded_not_one_thread_per_request(channel, monkeypatch):
    """fpdf2 is pure Python: renders in threads share one GIL with the event loop, so N parallel
    renders slow every chat answer about N-fold (40 renders: the loop's own work ran 9x slower).
    However many /pdf requests arrive, only a couple may render at once."""
    import actions.summary_render as render

    running, peak, lock = 0, 0, threading.Lock()

    def counting_render(_summary):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return b"%PDF-"

    monkeypatch.setattr(render, "to_pdf", counting_render)
    await asyncio.gather(*(channel.pdf_of(object()) for _ in range(20)), return_exceptions=True)
    assert peak <= 2, f"{peak} PDFs were rendered at the same time"
