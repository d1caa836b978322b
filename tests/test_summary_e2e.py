"""The notes for the neurologist end to end (issue 16): the real Rasa and action servers, over REST
and Telegram (the fake Bot API), the one-hour link (SUMMARY_LINK_SECONDS is short in the test
stack, tests/conftest.py), and the logs."""

from __future__ import annotations

import itertools
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest

from actions.messages import SUMMARY_NOTE, SUMMARY_READY_TELEGRAM, SUMMARY_READY_WEB, SUMMARY_TITLE
from actions.summary_render import content_security_policy
from tests.conftest import SUMMARY_LINK_SECONDS
from tests.test_e2e import send
from tests.test_telegram import post_update, text_update

pytestmark = pytest.mark.model

# Update ids of this module's own: tests/test_telegram.py's counter may be a second copy when this
# module imports it, and an update id the channel has seen is not handled again.
UPDATE_IDS = itertools.count(2 * 10**14)

# One answer per question of the self-check, typed as its option's title.
CHOICES = {
    "ms_type": "relapsing",
    "age": "18_44",
    "years": "under_10",
    "walking": "unaided",
    "dmt_failed": "no",
    "activity": "yes",
}


def do_the_self_check(knowledge, say):
    """Answer the whole self-check through `say(text)`; returns the options chosen."""
    check = knowledge.self_check
    say("/start_eligibility_check")
    chosen = []
    for question in check.questions:
        option = question.option(CHOICES[question.id])
        chosen.append((question, option))
        say(option.title)
    return chosen


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def pdf_text(content, tmp_path):
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def flat(text):
    return " ".join(text.split())


def assert_notes_hold(text, chosen, knowledge):
    check = knowledge.self_check
    for question, option in chosen:
        assert flat(f"{question.label}: {option.title}") in text
        assert flat(option.note) in text
    asks = [option.ask for _, option in chosen if option.ask]
    assert asks and all(flat(ask) in text for ask in asks)
    assert flat(check.neurologist_questions[0]) in text


@pytest.fixture()
def web_notes(stack, knowledge):
    """A REST conversation with the whole self-check, then "summary for my neurologist" (typed)."""
    sender = uuid.uuid4().hex
    chosen = do_the_self_check(knowledge, lambda text: send(stack, text, sender=sender))
    replies = send(stack, "make a summary for my neurologist please", sender=sender)
    made = time.monotonic()
    return sender, chosen, replies, made


def links_of(replies):
    [link] = [r["custom"]["summary"] for r in replies if "custom" in r]
    return link


def test_the_notes_are_offered_as_a_page_and_a_pdf_with_the_answers_and_questions(
    stack, knowledge, web_notes, tmp_path
):
    _sender, chosen, replies, _made = web_notes
    assert any(SUMMARY_READY_WEB in r.get("text", "") for r in replies)
    link = links_of(replies)
    assert re.fullmatch(r"/webhooks/summary/[A-Za-z0-9_-]{43}", link["view"])
    assert link["pdf"] == link["view"] + "/pdf"
    status, headers, body = fetch(stack.config.rasa_url + link["view"])
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["Content-Security-Policy"] == content_security_policy()
    assert headers["Cache-Control"] == "no-store" and headers["Referrer-Policy"] == "no-referrer"
    page = body.decode()
    assert SUMMARY_TITLE in page and "Download PDF" in page
    import html

    assert_notes_hold(html.unescape(re.sub(r"<[^>]+>", " ", page)), chosen, knowledge)
    status, headers, body = fetch(stack.config.rasa_url + link["pdf"])
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith('attachment; filename="ahsct-notes-')
    text = pdf_text(body, tmp_path)
    assert flat(SUMMARY_NOTE) in text
    assert_notes_hold(text, chosen, knowledge)


def test_a_link_that_was_not_given_opens_nothing(stack):
    for path in ("A" * 43, "A" * 43 + "/pdf", "short", "../../webhooks/rest/webhook", "A" * 43 + "%00"):
        status, _, body = fetch(f"{stack.config.rasa_url}/webhooks/summary/{path}")
        assert status == 404, path
        assert b"Traceback" not in body


def test_the_link_stops_working_when_it_expires(stack):
    sender = uuid.uuid4().hex
    send(stack, "what are the risks", sender=sender)
    url = stack.config.rasa_url + links_of(send(stack, "/request_summary", sender=sender))["view"]
    made = time.monotonic()
    assert fetch(url)[0] == 200
    wait = SUMMARY_LINK_SECONDS + 1 - (time.monotonic() - made)
    if wait > 0:
        time.sleep(wait)
    status, headers, body = fetch(url)
    assert status == 404 and b"expired" in body and headers["Cache-Control"] == "no-store"
    assert fetch(url + "/pdf")[0] == 404


def test_start_over_ends_the_link_and_empties_the_notes(stack, knowledge):
    sender = uuid.uuid4().hex
    send(stack, "is ahsct fda approved?", sender=sender)
    url = stack.config.rasa_url + links_of(send(stack, "/request_summary", sender=sender))["view"]
    assert fetch(url)[0] == 200
    send(stack, "start over", sender=sender)
    assert fetch(url)[0] == 404
    replies = send(stack, "/request_summary", sender=sender)
    assert not any("custom" in r for r in replies)  # nothing of theirs is left to put in notes


def test_a_newer_summary_replaces_the_older_link(stack):
    sender = uuid.uuid4().hex
    send(stack, "how much does it cost", sender=sender)
    first = stack.config.rasa_url + links_of(send(stack, "/request_summary", sender=sender))["view"]
    second = stack.config.rasa_url + links_of(send(stack, "/request_summary", sender=sender))["view"]
    assert fetch(first)[0] == 404 and fetch(second)[0] == 200


def test_telegram_gets_the_notes_as_a_pdf_document(stack, fake_telegram, knowledge, tmp_path):
    chat = 10**14 + 7601  # a chat the fuzz tests never write to (their ids stay within 10**13)

    def say(text):
        assert post_update(stack, text_update(chat, text, update_id=next(UPDATE_IDS))) == 200

    chosen = do_the_self_check(knowledge, say)
    say("/request_summary")
    try:
        fake_telegram.wait_for(lambda: bool(fake_telegram.sent_to(chat, "sendDocument")))
    except TimeoutError:
        pytest.fail("no document; the chat got: " + " | ".join(m["text"][:70] for m in fake_telegram.sent_to(chat)))
    [document] = fake_telegram.sent_to(chat, "sendDocument")
    assert document["document"]["type"] == "application/pdf"
    assert re.fullmatch(r"ahsct-notes-\d{4}-\d\d-\d\d\.pdf", document["document"]["filename"])
    assert "not a medical opinion" in document["caption"]
    assert any(SUMMARY_READY_TELEGRAM in m["text"] for m in fake_telegram.sent_to(chat))
    assert_notes_hold(pdf_text(document["document"]["content"], tmp_path), chosen, knowledge)


def test_no_notes_and_no_link_reach_the_logs(stack, web_notes):
    """Notes made and opened, as a page and a PDF: the logs hold no token and nothing of the notes."""
    _sender, _chosen, replies, _made = web_notes
    token = links_of(replies)["view"].rsplit("/", 1)[1]
    assert fetch(stack.config.rasa_url + links_of(replies)["view"])[0] == 200
    assert fetch(stack.config.rasa_url + links_of(replies)["pdf"])[0] == 200
    markers = [token, SUMMARY_NOTE[:60], SUMMARY_TITLE]
    for log in stack.config.log_dir.glob("*.log"):
        content = log.read_text(errors="replace")
        for marker in markers:
            assert marker not in content, (log.name, marker)


def test_purge_ends_the_link(stack):
    """`make purge` deletes idle conversations: this one is made to look 40 days idle, then purged."""
    import sqlite3

    from addons.channels.inputs import conversation_id
    from scripts.purge import purge

    sender = uuid.uuid4().hex
    send(stack, "can i get it on the nhs", sender=sender)
    url = stack.config.rasa_url + links_of(send(stack, "/request_summary", sender=sender))["view"]
    assert fetch(url)[0] == 200
    conversation = conversation_id("rest", sender)
    with sqlite3.connect(stack.config.tracker_db) as db:
        db.execute("UPDATE events SET timestamp = timestamp - 40 * 86400 WHERE sender_id = ?", (conversation,))
    conversations, _ = purge(f"sqlite:///{stack.config.tracker_db}", days=30)
    assert conversations == 1
    assert fetch(url)[0] == 404
