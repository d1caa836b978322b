"""The notes for the neurologist (issue 16): what they hold, the page, the PDF, the links, the action."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.messages import (
    SUMMARY_BUTTON,
    SUMMARY_EMPTY_TEXT,
    SUMMARY_NOTE,
    SUMMARY_READY_TELEGRAM,
    SUMMARY_READY_WEB,
    SUMMARY_UNSURE_TEXT,
)
from actions.self_check import UNSURE
from actions.summary import (
    CHECK_ANSWERS_SLOT,
    LINK_SLOT,
    MAX_TOPICS_IN_FULL,
    MAX_TOPICS_NAMED,
    build,
    given_answers,
    takeaway,
)
from actions.summary_render import STYLE, content_security_policy, printable, to_html, to_pdf

TODAY = dt.date(2026, 11, 30)
SESSION = [{"event": "session_started", "timestamp": 1000.0}]
ALL_ANSWERS = {
    "ms_type": "progressive",
    "age": "45_56",
    "years": "10_plus",
    "walking": "one_aid",
    "dmt_failed": "cannot_take",
    "activity": UNSURE,
}


def shown(*keys: str, session: float = 1000.0) -> list[str]:
    return [f"{session}|{key}" for key in keys]


def everything(knowledge, region: str = "us"):
    """The longest notes there can be: every answer, every topic."""
    slots = {
        CHECK_ANSWERS_SLOT: ALL_ANSWERS,
        "answered": shown(*(f"{entry_id}:answer" for entry_id in knowledge.entries)),
        "region": region,
    }
    return build(knowledge, slots, SESSION, TODAY)


# --- what the notes hold ----------------------------------------------------------------------


def test_only_the_answers_given_are_shown_each_beside_the_criteria(knowledge):
    check = knowledge.self_check
    slots = {CHECK_ANSWERS_SLOT: {"ms_type": "relapsing", "walking": "wheelchair"}}
    summary = build(knowledge, slots, SESSION, TODAY)
    assert [line.question for line in summary.answers] == ["MS type", "Walking"]
    relapsing = check.question("ms_type").option("relapsing")
    wheelchair = check.question("walking").option("wheelchair")
    assert summary.answers[0].answer == relapsing.title and summary.answers[0].reading == "favours"
    assert summary.answers[0].note == relapsing.note
    assert summary.answers[1].reading == "against" and summary.answers[1].criteria == "Usually counts against"
    assert summary.answers[1].note == wheelchair.note


def test_the_questions_to_ask_follow_the_answers(knowledge):
    check = knowledge.self_check
    progressive = build(knowledge, {CHECK_ANSWERS_SLOT: {"ms_type": "progressive"}}, SESSION, TODAY)
    relapsing = build(knowledge, {CHECK_ANSWERS_SLOT: {"ms_type": "relapsing"}}, SESSION, TODAY)
    ask = check.question("ms_type").option("progressive").ask
    assert ask in progressive.questions and ask not in relapsing.questions
    unsure = build(knowledge, {CHECK_ANSWERS_SLOT: {"activity": UNSURE}}, SESSION, TODAY)
    assert check.question("activity").unsure_ask in unsure.questions
    assert unsure.answers[0].answer == SUMMARY_UNSURE_TEXT and unsure.answers[0].reading is None
    # With no answers: the general questions only, never an answer's.
    none = build(knowledge, {}, SESSION, TODAY)
    assert none.answers == () and none.questions == check.neurologist_questions
    every = build(knowledge, {CHECK_ANSWERS_SLOT: ALL_ANSWERS}, SESSION, TODAY)
    assert 1 <= len(every.questions) <= 6 and len(set(every.questions)) == len(every.questions)


def test_answers_given_since_the_check_win_and_unread_text_is_left_out(knowledge):
    slots = {
        CHECK_ANSWERS_SLOT: {"ms_type": "relapsing", "age": "18_44", "walking": "made up"},
        "check_ms_type": "progressive",  # a situation described after the check
        "check_years": "i think about twelve years",  # typed, not read by the check yet
        "check_age": None,
    }
    assert given_answers(knowledge, slots) == {"ms_type": "progressive", "age": "18_44"}
    assert given_answers(knowledge, {CHECK_ANSWERS_SLOT: "not a mapping"}) == {}


def test_topics_are_this_sessions_once_each_with_the_text_that_was_shown(knowledge):
    cost = knowledge.entries["cost"]
    slots = {
        "answered": [
            *shown("risks:answer", session=1.0),  # an earlier session
            *shown("cost:region.uk", "fda_status:answer", "cost:region.uk", "no_such_entry:answer"),
        ],
        "region": "uk",
    }
    summary = build(knowledge, slots, SESSION, TODAY)
    assert [t.question for t in summary.topics] == [cost.question, knowledge.entries["fda_status"].question]
    uk = cost.parts["region.uk"]
    assert summary.topics[0].takeaway == takeaway(uk.text)
    assert summary.topics[0].source == uk.sources[0]


def test_a_short_first_sentence_keeps_its_reason():
    assert takeaway("No. It is not approved for MS. More text.") == "No. It is not approved for MS. More text."
    assert takeaway("A sentence that is long enough to stand on its own as the line. Then more.") == (
        "A sentence that is long enough to stand on its own as the line."
    )


def test_many_topics_stay_short(knowledge):
    summary = everything(knowledge)
    assert len(summary.topics) == MAX_TOPICS_IN_FULL
    assert len(summary.also_asked) == MAX_TOPICS_NAMED
    assert summary.more_topics == len(knowledge.entries) - MAX_TOPICS_IN_FULL - MAX_TOPICS_NAMED


@pytest.mark.parametrize(
    "region, helpline, paper, place",
    [("uk", "helpline_uk", "a4", "the UK"), ("us", "helpline_us", "letter", "the US"), (None, None, "a4", None)],
)
def test_the_helpline_and_paper_are_for_where_the_person_lives(knowledge, region, helpline, paper, place):
    summary = build(knowledge, {"region": region}, SESSION, TODAY)
    notice = knowledge.helpline(region).part_for(region=region)
    assert summary.helpline == notice.text and summary.helpline_sources == notice.sources
    assert summary.paper == paper and summary.place == place
    if helpline:
        assert knowledge.notices[helpline].part_for(region=region).text == summary.helpline


def test_nothing_of_their_own_is_empty(knowledge):
    assert build(knowledge, {"region": "uk"}, SESSION, TODAY).empty
    assert not build(knowledge, {"answered": shown("cost:answer")}, SESSION, TODAY).empty
    assert not build(knowledge, {CHECK_ANSWERS_SLOT: {"age": "18_44"}}, SESSION, TODAY).empty


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([CHECK_ANSWERS_SLOT, "answered", "region", "check_age", "check_ms_type", LINK_SLOT, "x"]),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=40),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
            max_leaves=12,
        ),
    )
)
def test_any_slot_values_give_notes_without_their_text(knowledge, slots):
    """Whatever a conversation's slots hold, the notes are made, and hold none of it as typed."""
    summary = build(knowledge, slots, SESSION, TODAY)
    page = to_html(summary)
    for key, value in slots.items():
        if isinstance(value, str) and len(value) > 12 and value.strip():
            # Text the page holds whatever was typed is no echo: Hypothesis drew "www.mssociety", a
            # source's address on every page, in a fresh clone (2026-12-02).
            stand_in = to_html(build(knowledge, {**slots, key: "q" * len(value)}, SESSION, TODAY))
            assert value not in page or value in stand_in


# --- the page -----------------------------------------------------------------------------------


def test_the_page_holds_every_section_escaped_and_allows_only_its_own_style_and_script(knowledge):
    summary = everything(knowledge, region="uk")
    page = to_html(summary, pdf_href="/webhooks/summary/x/pdf")
    for text in (SUMMARY_NOTE, *summary.questions, summary.answers[0].note, summary.topics[0].question):
        assert _html_text(text) in page
    for src in summary.criteria_sources:
        assert src.url in page  # written out, readable on paper
    assert 'href="/webhooks/summary/x/pdf"' in page and "Print or save as PDF" in page
    csp = content_security_policy()
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert style == STYLE
    assert "font: 12pt" in STYLE and "@media print" in STYLE


def _html_text(text: str) -> str:
    import html

    return html.escape(text)


# --- the PDF ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def poppler():
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        pytest.fail("poppler-utils is missing (make test-packages installs it)")


@pytest.mark.parametrize("region, size", [("uk", "595.28 x 841.89 pts (A4)"), ("us", "612 x 792 pts (letter)")])
def test_the_pdf_reads_back_with_the_answers_and_questions_on_two_pages_at_most(
    knowledge, poppler, tmp_path, region, size
):
    summary = everything(knowledge, region=region)
    path = tmp_path / "notes.pdf"
    path.write_bytes(to_pdf(summary))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert size in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 1 <= pages <= 2
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for expected in (*summary.questions, *(line.note for line in summary.answers), summary.topics[0].question):
        assert " ".join(expected.split()) in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts and " yes " in fonts  # embedded
    _assert_pages_drawn(path, pages, tmp_path)
    _assert_text_at_least_12pt(path)


def _assert_pages_drawn(path: Path, pages: int, tmp_path: Path) -> None:
    """Each page rendered to PNG has ink on it (not blank)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    for image in images:
        grey = Image.open(image).convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 0.005 * grey.width * grey.height, f"{image.name} looks blank"


def _assert_text_at_least_12pt(path: Path) -> None:
    """Every line's height, as pdftotext measures it, is that of 12 pt type or more."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True)
    heights = [
        float(b) - float(a)
        for a, b in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out.stdout)
    ]
    assert heights and min(heights) >= 12 * 0.95


def test_characters_the_font_lacks_are_left_out_not_boxed():
    assert printable("Zoë, Ελλάδα, Україна – 👍 ok") == "Zoë, Ελλάδα, Україна –  ok"


# --- the links ----------------------------------------------------------------------------------


@pytest.fixture()
def links(monkeypatch):
    from addons.channels import summary as channel
    from addons.channels.memory import LocalMemory

    monkeypatch.setattr(channel, "_links", LocalMemory())
    # PDFs in a thread rather than the PDF process, so that a test can replace the renderer.
    pool = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(channel, "_pdf_process", pool)
    yield channel
    pool.shutdown()


def test_a_link_works_for_one_hour_and_names_nothing(links, monkeypatch):
    monkeypatch.delenv("SUMMARY_LINK_SECONDS", raising=False)
    token, expires = links.new_link("conversation-1", "K" * 22, now=1_000_000.0)
    assert expires == 1_000_000.0 + 3600
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token) and "conversation" not in token
    assert links.resolve(token, now=1_000_000.0 + 3599) == ("conversation-1", "K" * 22)
    assert links.resolve(token, now=1_000_000.0 + 3600) is None
    other, _ = links.new_link("conversation-1", "K" * 22, now=1_000_000.0)
    assert other != token


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_token_that_was_not_given_opens_nothing(links, token):
    assert links.resolve(token) is None


def test_a_damaged_record_opens_nothing(links):
    token = "A" * 43
    for raw in ("not json", "[]", json.dumps({"c": 1, "k": "x", "e": 9e18}), json.dumps({"c": "c", "k": "k"})):
        links.links().add(token, raw)
        assert links.resolve(token) is None


# --- the action --------------------------------------------------------------------------------


async def test_nothing_yet_offers_the_self_check_and_sends_no_notes(dispatcher, tracker_for, domain):
    from actions.summary_actions import ActionMakeSummary

    events = await ActionMakeSummary().run(dispatcher, tracker_for("request_summary"), domain)
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [SUMMARY_EMPTY_TEXT]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/start_eligibility_check"


@pytest.mark.parametrize("channel, how", [("socketio", SUMMARY_READY_WEB), ("telegram", SUMMARY_READY_TELEGRAM)])
async def test_the_notes_are_described_and_asked_of_the_channel_with_a_new_key(
    dispatcher, tracker_for, domain, channel, how
):
    from actions.summary_actions import ActionMakeSummary

    tracker = tracker_for("request_summary", slots={CHECK_ANSWERS_SLOT: {"age": "18_44", "ms_type": "relapsing"}})
    tracker.events = [{"event": "user", "input_channel": channel, "text": "summary"}]
    events = await ActionMakeSummary().run(dispatcher, tracker, domain)
    text, custom = dispatcher.messages
    assert "your 2 self-check answers" in text["text"] and text["text"].endswith(how)
    key = custom["custom"]["summary"]["key"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", key)
    assert events == [{"event": "slot", "name": LINK_SLOT, "value": key, "timestamp": None}]


async def test_the_self_check_result_keeps_the_answers_and_offers_the_notes(dispatcher, tracker_for, domain):
    from actions.self_check_actions import ActionSelfCheckResult

    slots = {"check_ms_type": "relapsing", "check_age": "18_44", "check_years": UNSURE, "check_walking": "typed text"}
    events = await ActionSelfCheckResult().run(dispatcher, tracker_for("nlu_fallback", slots=slots), domain)
    kept = {"ms_type": "relapsing", "age": "18_44", "years": UNSURE}
    assert {"event": "slot", "name": CHECK_ANSWERS_SLOT, "value": kept, "timestamp": None} in events
    assert SUMMARY_BUTTON in dispatcher.messages[-1]["buttons"]


def test_the_neurologist_answer_offers_the_notes(knowledge):
    from actions.answers import answer_reply

    reply = answer_reply(knowledge, knowledge.entries["talk_to_neurologist"])
    assert SUMMARY_BUTTON in reply.buttons
    assert SUMMARY_BUTTON not in answer_reply(knowledge, knowledge.entries["cost"]).buttons


def test_newer_notes_forget_the_older_link(links):
    older, _ = links.new_link("conversation-2", "A" * 22)
    newer, _ = links.new_link("conversation-2", "B" * 22)
    assert links.resolve(older) is None and links.resolve(newer) == ("conversation-2", "B" * 22)
    links.forget(newer)
    assert links.resolve(newer) is None


async def test_too_many_notes_at_once_are_turned_away_not_queued_for_ever(links, monkeypatch):
    import asyncio
    import time as clock

    import actions.summary_render as render

    monkeypatch.setattr(render, "to_pdf", lambda _summary: clock.sleep(0.1) or b"%PDF-")

    async def request():
        with links.turn():
            return await links.pdf_of(object())

    results = await asyncio.gather(*(request() for _ in range(links.MAX_IN_FLIGHT + 4)), return_exceptions=True)
    assert results.count(b"%PDF-") == links.MAX_IN_FLIGHT
    assert all(isinstance(r, links.Busy) for r in results if r != b"%PDF-")
    assert await request() == b"%PDF-"  # the turns are given back
