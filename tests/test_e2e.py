"""End to end: the real action server and Rasa server on loopback, over the REST webhook."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import urllib.request
import uuid

import pytest

from actions.messages import (
    CHECK_NOT_UNDERSTOOD_TEXT,
    CHECK_STOPPED_TEXT,
    FIRST_TURN_NOTE,
    REGION_BUTTONS,
    REGION_QUESTION_TEXT,
    SAFETY_OF_TEXT,
    START_OVER_TEXT,
)
from addons.channels import guard
from addons.channels.inputs import conversation_id
from addons.stack import http_get_json

pytestmark = pytest.mark.model


def send(stack, message, sender=None, raw=None, request_id=None):
    body = raw if raw is not None else json.dumps({"sender": sender or uuid.uuid4().hex, "message": message}).encode()
    headers = {"Content-Type": "application/json"}
    if request_id is not None:
        headers["X-Request-ID"] = request_id
    req = urllib.request.Request(f"{stack.config.rasa_url}/webhooks/rest/webhook", data=body, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as resp:
        assert resp.status == 200
        return json.loads(resp.read())


def texts(replies):
    return [r.get("text", "") for r in replies]


@pytest.fixture()
def ask(stack):
    """Send a message in a new conversation; its first answer starts with the note on what the
    assistant is, which is checked and dropped."""

    def _ask(message):
        replies = send(stack, message)
        assert replies[0]["text"] == FIRST_TURN_NOTE
        return replies[1:]

    return _ask


def test_fda_question_gets_the_fda_answer_and_source(ask, knowledge):
    entry = knowledge.entries["fda_status"]
    [reply] = ask("Is AHSCT FDA approved?")
    assert reply["text"].startswith(entry.answer)
    assert entry.sources[0].url in reply["text"]
    faq_buttons = {b["payload"] for b in reply["buttons"] if not b["payload"].startswith("/feedback")}
    assert faq_buttons <= {f"/faq_{r}" for r in knowledge.entries}


def test_feedback_is_kept_in_the_tracker_store_and_reported(stack):
    sender = uuid.uuid4().hex
    send(stack, "how much does hsct cost", sender=sender)
    [thanks] = send(stack, '/feedback{"feedback": "down"}', sender=sender)
    assert thanks["text"]
    out = subprocess.run(
        [sys.executable, "scripts/report.py", "--db", str(stack.config.tracker_db)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    negative = out.split("Topics with negative feedback")[1].split("Answers per topic")[0]
    assert "cost" in negative


def test_region_in_the_question_picks_the_variant(ask, knowledge):
    entry = knowledge.entries["access"]
    [reply] = ask("can i get hsct on the nhs in england")
    assert reply["text"].startswith(entry.variants["region"]["uk"])


def test_button_payload_is_answered(ask, knowledge):
    [reply] = ask("/faq_mortality")
    assert reply["text"].startswith(knowledge.entries["mortality"].answer)


def test_unrelated_question_is_declined_without_ahsct_content(stack, knowledge, domain):
    boundary = " ".join(domain["responses"]["utter_out_of_scope"][0]["text"].split())
    for question in ["what's a good recipe for banana bread", "who won the football last night"]:
        replies = send(stack, question)
        joined = " ".join(texts(replies))
        assert boundary in " ".join(joined.split())
        assert not any(e.answer[:60] in joined for e in knowledge.entries.values())


def test_empty_message_gets_a_clear_reply(stack):
    assert texts(send(stack, "")) == [guard.EMPTY_TEXT]
    assert texts(send(stack, "   \n ")) == [guard.EMPTY_TEXT]


def test_huge_message_gets_a_clear_reply(stack):
    [reply] = texts(send(stack, "why " * 2500))
    assert reply == guard.too_long_text(guard.max_message_chars())


def test_non_text_and_hostile_messages_get_clear_replies(stack):
    assert texts(send(stack, {"evil": [1, 2]})) == [guard.NOT_TEXT]
    for hostile in ["<script>alert(1)</script>", "'; DROP TABLE events; --", "\x00\x01\x02 hello \x7f", "🙂" * 50]:
        replies = send(stack, hostile)
        assert replies and all(r.get("text") for r in replies)


def test_action_server_down_user_is_told_and_rasa_keeps_serving(stack, knowledge):
    sender = uuid.uuid4().hex
    stack.stop_process("actions")
    try:
        replies = send(stack, "is ahsct fda approved", sender=sender)
        assert texts(replies) == [guard.UNAVAILABLE_TEXT]
        assert http_get_json(f"{stack.config.rasa_url}/webhooks/rest/")["status"] == "ok"
        assert texts(send(stack, "thanks", sender=sender))[0]  # responses that need no action still work
    finally:
        stack.start_actions()
        stack.wait_ready()
    [reply] = send(stack, "is ahsct fda approved", sender=sender)
    assert reply["text"].startswith(knowledge.entries["fda_status"].answer)


def test_crisis_message_gets_crisis_lines_first_and_conversation_stays_open(ask, stack, knowledge):
    sender = uuid.uuid4().hex
    send(stack, "hi", sender=sender)
    [reply] = send(stack, "what is the death rate of hsct, honestly i want to die anyway", sender=sender)
    assert reply["text"].startswith(knowledge.notices["crisis"].text)
    assert "988" in reply["text"] and "116 123" in reply["text"]
    [reply] = send(stack, "what are the risks of ahsct", sender=sender)
    assert reply["text"].startswith(knowledge.entries["risks"].answer)


def test_crisis_lines_follow_the_country_the_person_named(stack, knowledge):
    sender = uuid.uuid4().hex
    send(stack, "i live in australia", sender=sender)
    [reply] = send(stack, "i want to end my life", sender=sender)
    australia = knowledge.notices["crisis"].parts["country.australia"]
    assert reply["text"].startswith(australia.text)
    assert "13 11 14" in reply["text"] and "116 123" not in reply["text"]


def test_red_flag_gets_contact_your_team_now_before_anything_else(stack, knowledge):
    [reply] = send(stack, "im 8 days post hsct and my temperature is 38.6 and im shivering")
    assert reply["text"].startswith(knowledge.notices["red_flag"].text)


def test_question_about_dying_is_answered_not_treated_as_crisis(ask, knowledge):
    [reply] = ask("what is the risk of dying from ahsct?")
    assert reply["text"].startswith(knowledge.entries["mortality"].answer)


def test_long_message_with_crisis_language_is_not_refused(stack, knowledge):
    [reply] = send(stack, "sorry for rambling. " * 150 + "i cant go on anymore")
    assert reply["text"].startswith(knowledge.notices["crisis"].text)


def test_asking_for_a_person_gives_the_regional_helpline(ask, stack, knowledge):
    sender = uuid.uuid4().hex
    send(stack, "can i get hsct on the nhs", sender=sender)
    [reply] = send(stack, "can i talk to a real person please", sender=sender)
    assert reply["text"].startswith(knowledge.notices["helpline_uk"].text)
    [reply] = send(stack, "i want to speak to a human")
    assert reply["text"].startswith(knowledge.notices["helpline_other"].text)


def test_two_misunderstandings_in_a_row_offer_a_person(stack, knowledge):
    sender = uuid.uuid4().hex
    first = send(stack, "/nlu_fallback", sender=sender)
    assert not any(knowledge.notices["helpline_other"].text in t for t in texts(first))
    second = send(stack, "/nlu_fallback", sender=sender)
    assert any(t.startswith(knowledge.notices["helpline_other"].text) for t in texts(second))


# --- multi-turn: the eligibility self-check, asking the region, "is it safe?" --------------------


def chat(stack):
    """One conversation: each call sends a message from the same sender and returns the reply texts."""
    sender = uuid.uuid4().hex
    return lambda message: send(stack, message, sender=sender)


def test_self_check_typed_answers_end_with_answers_beside_the_criteria(stack, knowledge):
    check = knowledge.self_check
    say = chat(stack)
    assert texts(say("/start_eligibility_check")) == [check.intro, check.questions[0].text]
    typed = ["rrms", "I'm 38", "diagnosed in 2021", "i walk fine", "yes, tysabri stopped working"]
    for answer, question in zip(typed, check.questions[1:], strict=True):
        assert texts(say(answer)) == [question.text], answer
    comparison, asks, sources = texts(say("yes, 2 relapses this year"))
    assert comparison.startswith(check.result_intro)
    assert "You skipped" not in comparison and "weren't sure" not in comparison
    for note in (check.question("ms_type").option("relapsing").note, check.question("age").option("18_44").note):
        assert " ".join(note.split()) in comparison
    assert check.neurologist_questions[0] in asks
    assert check.sources[0].url in sources


def test_self_check_skip_then_stop_ends_it_and_questions_are_answered_again(stack, knowledge):
    check = knowledge.self_check
    say = chat(stack)
    say("/start_eligibility_check")
    assert texts(say("skip")) == [check.questions[1].text]
    assert texts(say("I'd rather not say")) == [check.questions[2].text]
    assert texts(say("stop")) == [CHECK_STOPPED_TEXT]
    [reply] = say("what are the risks of ahsct")
    assert reply["text"].startswith(knowledge.entries["risks"].answer)


def test_self_check_unclear_answer_is_asked_again(stack, knowledge):
    check = knowledge.self_check
    say = chat(stack)
    say("/start_eligibility_check")
    assert texts(say("banana")) == [CHECK_NOT_UNDERSTOOD_TEXT, check.questions[0].text]


def test_crisis_during_the_self_check_comes_first_and_ends_the_check(stack, knowledge):
    check = knowledge.self_check
    say = chat(stack)
    say("/start_eligibility_check")
    say("relapsing remitting")
    [reply] = say("honestly I don't want to live anymore")
    assert reply["text"].startswith(knowledge.notices["crisis"].text)
    assert check.questions[1].text not in texts(say("42"))


def test_start_over_during_the_self_check_forgets_it(stack, knowledge):
    say = chat(stack)
    say("/start_eligibility_check")
    assert texts(say("start over")) == [START_OVER_TEXT]
    assert knowledge.self_check.questions[1].text not in texts(say("rrms"))


def test_cost_without_a_region_asks_and_the_answer_uses_the_region(stack, knowledge):
    say = chat(stack)
    replies = say("how much does hsct cost")
    assert replies[-1]["text"] == REGION_QUESTION_TEXT
    assert [b["title"] for b in replies[-1]["buttons"]] == [b["title"] for b in REGION_BUTTONS]
    [answer] = say(REGION_BUTTONS[0]["payload"])
    assert answer["text"].startswith(knowledge.entries["cost"].variants["region"]["uk"])
    [answer] = say("and how do i get it?")  # the region is remembered: no second question
    assert answer["text"] != REGION_QUESTION_TEXT


def test_typed_region_after_the_question(stack, knowledge):
    say = chat(stack)
    say("can i get ahsct where i live")
    [answer] = say("we live in the states")
    assert answer["text"].startswith(knowledge.entries["access"].variants["region"]["us"])


def test_is_it_safe_right_after_an_answer_is_about_that_topic(stack, knowledge):
    say = chat(stack)
    say("what chemo drugs do they use in hsct")
    lead, answer = texts(say("is it safe?"))
    assert lead == SAFETY_OF_TEXT.format(question=knowledge.entries["chemotherapy"].question)
    assert answer.startswith(knowledge.entries["side_effects"].answer)


def test_a_conversation_survives_a_restart_of_both_servers(stack, knowledge):
    """Durable by default: the SQLite tracker store keeps the conversation and its context."""
    say = chat(stack)
    answer = say("is ahsct fda approved")[-1]  # after the first-turn note
    assert answer["text"].startswith(knowledge.entries["fda_status"].answer)
    stack.stop_process("rasa")
    stack.stop_process("actions")
    stack.start_actions()
    stack.start_rasa()
    stack.wait_ready()
    [sources] = say("where is that from?")
    assert sources["text"].startswith(f'"{knowledge.entries["fda_status"].question}" is based on')


def test_a_retried_request_is_answered_from_the_record_not_handled_twice(stack):
    """What nginx does when a replica dies after storing a turn: the same request, same X-Request-ID."""
    sender, request_id = uuid.uuid4().hex, uuid.uuid4().hex
    send(stack, "is ahsct fda approved", sender=sender)
    first = send(stack, "what are the risks", sender=sender, request_id=request_id)
    again = send(stack, "what are the risks", sender=sender, request_id=request_id)
    assert again == first  # handled twice, it would be a follow-up: "About safety, following ..."
    reused = send(stack, "how much does it cost", sender=sender, request_id=request_id)  # an id reused for new text
    assert reused != first
    with contextlib.closing(sqlite3.connect(stack.config.tracker_db)) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (conversation_id("rest", sender),),
        )
        stored = [json.loads(data)["text"] for (data,) in rows]
    assert stored == ["is ahsct fda approved", "what are the risks", "how much does it cost"]


def test_the_sqlite_tracker_store_keeps_a_write_ahead_log(stack):
    """So that a commit does not lock readers out (addons.stack.use_write_ahead_log)."""
    with contextlib.closing(sqlite3.connect(stack.config.tracker_db)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
