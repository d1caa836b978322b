"""End to end: the real action server and Rasa server on loopback, over the REST webhook."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import subprocess
import sys
import urllib.request
import uuid

import pytest

from actions.messages import (
    CHECK_NOT_UNDERSTOOD_TEXT,
    CHECK_PAUSED_TEXT,
    CHECK_STOPPED_TEXT,
    FIRST_TURN_NOTE,
    OUT_OF_SCOPE_TEXT,
    REGION_BUTTONS,
    REGION_QUESTION_TEXT,
    REGION_SET_TEXT,
    SAFETY_OF_TEXT,
    SAME_ANSWER_TEXT,
    START_OVER_TEXT,
)
from addons.channels import guard
from addons.channels.inputs import conversation_id
from devtools.stack import http_get_json

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


def test_two_questions_in_a_short_message_get_both_answers(ask, knowledge):
    """Each question of the message is classified on its own (addons/nlu/questions.py), and a short
    message's two topics are both answered, the second under the first (since 2026-12-02; before, the
    second was only offered as the first button)."""
    replies = ask("is it dangerous n how much does it cost")
    cost = knowledge.entries["cost"]
    assert replies[0]["text"].startswith(knowledge.entries["risks"].answer)
    assert replies[-1]["text"].startswith(f'You also asked: "{cost.question}"\n{cost.answer}')
    assert {"UK", "US"} <= {b["title"] for b in replies[-1]["buttons"]}  # the cost depends on the place


def test_button_payload_is_answered(ask, knowledge):
    [reply] = ask("/faq_mortality")
    assert reply["text"].startswith(knowledge.entries["mortality"].answer)


def test_unrelated_question_is_declined_without_ahsct_content(stack, knowledge, domain):
    boundary = OUT_OF_SCOPE_TEXT
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


def test_a_warning_sign_after_a_question_still_comes_first(stack, knowledge):
    """Found in one question of the message (addons/nlu/questions.py) though the whole was an FAQ."""
    message = "how much does it cost? my husband is 12 days post HSCT and he's shaking uncontrollably"
    replies = send(stack, message)
    assert replies[0]["text"].startswith(knowledge.notices["red_flag"].text)


def test_question_about_dying_is_answered_not_treated_as_crisis(ask, knowledge):
    [reply] = ask("what is the risk of dying from ahsct?")
    assert reply["text"].startswith(knowledge.entries["mortality"].answer)


def test_long_message_with_crisis_language_is_not_refused(stack, knowledge):
    [reply] = send(stack, "sorry for rambling. " * 150 + "i cant go on anymore")
    assert reply["text"].startswith(knowledge.notices["crisis"].text)


def test_asking_for_a_person_gives_the_regional_helpline(ask, stack, knowledge):
    sender = uuid.uuid4().hex
    send(stack, "I live in Leeds. can i get hsct on the nhs", sender=sender)
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


def test_a_question_during_the_self_check_is_answered_and_the_check_goes_on_when_asked(stack, knowledge):
    """A nineteenth stranger (2026-12-03) got "I can answer it after the check" for a question."""
    check = knowledge.self_check
    say = chat(stack)
    say("/start_eligibility_check")
    say(check.questions[0].options[0].title)
    replies = texts(say("what are the risks of ahsct?"))
    assert any(t.startswith(knowledge.entries["risks"].answer[:40]) for t in replies), replies
    assert replies[-1] == CHECK_PAUSED_TEXT
    # "Go on with the check" asks what is still missing, not the first question again.
    assert check.questions[1].text in texts(say("/start_eligibility_check"))[-1]


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
    """So that a commit does not lock readers out (devtools.stack.use_write_ahead_log)."""
    with contextlib.closing(sqlite3.connect(stack.config.tracker_db)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


# --- whole conversations: answer first, situations, places, commands, feelings, no loops ----------
# (issue 13's five conversations on a phone, turn by turn)


def displayed(text: str) -> str:
    """As the widget shows it: a "Source: <label> <url>" line shows its label."""
    return re.sub(r"^(Source: .+?) https?://\S+$", r"\1", text, flags=re.M)


def follow_up_buttons(reply):
    return [b for b in reply.get("buttons") or [] if not b["payload"].startswith(("/feedback", "/followup_context"))]


def test_a_question_that_depends_on_the_country_is_answered_first(stack, knowledge):
    say = chat(stack)
    replies = say("how much does AHSCT cost?")
    answer = replies[-1]
    assert answer["text"].startswith(knowledge.entries["cost"].answer)
    assert REGION_QUESTION_TEXT in answer["text"]
    assert {b["title"] for b in REGION_BUTTONS} <= {b["title"] for b in answer["buttons"]}
    [reply] = say(REGION_BUTTONS[0]["payload"])
    assert reply["text"].startswith(knowledge.entries["cost"].variants["region"]["uk"])


def test_eligibility_is_answered_without_asking_where_the_person_lives(ask, knowledge):
    replies = ask("can someone with relapsing remitting ms get it")
    assert replies[-1]["text"].startswith(knowledge.entries["eligibility"].part_for(ms_type="relapsing").text)
    assert REGION_QUESTION_TEXT not in replies[-1]["text"]


def test_asking_who_to_talk_to_gets_that_answer_not_the_self_check(ask, knowledge):
    replies = ask("who should I talk to about whether stem cell transplant is right for me")
    assert replies[-1]["text"].startswith(knowledge.entries["talk_to_neurologist"].answer)
    assert knowledge.self_check.intro not in texts(replies)


def test_a_situation_is_understood_and_the_self_check_asks_only_the_rest(stack, knowledge):
    from actions.messages import SITUATION_UNDERSTOOD_TEXT

    check = knowledge.self_check
    say = chat(stack)
    replies = say("i had 2 relapses this year and new lesions on my mri. im 41")
    assert any(t.startswith(SITUATION_UNDERSTOOD_TEXT) for t in texts(replies))
    started = texts(say("/start_eligibility_check"))
    asked = [q for q in check.questions if q.text in started]
    assert asked and asked[0].id not in ("age", "activity")
    assert check.question("age").text not in started


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("how likely is it to work for someone like me", "effectiveness"),
        ("what kind of patients are chosen for HSCT", "eligibility"),
        ("we want kids one day… would it stop that?", "fertility"),
        ("what should I look out for when he comes home?", "warning_signs"),
    ],
)
def test_questions_that_were_misunderstood_get_their_answer(ask, knowledge, question, entry):
    replies = ask(question)
    assert replies[-1]["text"].startswith(knowledge.entries[entry].answer[:80]), texts(replies)


def test_only_where_the_person_lives_sets_the_country(stack, knowledge):
    say = chat(stack)
    say("are the clinics in Mexico any good?")
    [fda] = [r for r in say("is it FDA approved?") if r["text"].startswith(knowledge.entries["fda_status"].answer[:40])]
    assert "Change country" not in [b["title"] for b in fda["buttons"]]  # no place was set
    # The general FDA answer is the one for the US: said so, not repeated.
    assert texts(say("I live in Ohio")) == [
        REGION_SET_TEXT.format(place="the US") + " " + SAME_ANSWER_TEXT.format(place="the US")
    ]
    [cost] = [r for r in say("how much does it cost?") if "For the US." in r["text"]]
    assert cost["text"].startswith(knowledge.entries["cost"].variants["region"]["us"])
    say("change my country")
    reply, *again = say("I'm in the UK, not Mexico")
    assert "the UK" in reply["text"]
    # The last answer again, for the new place (it differs for the UK).
    assert [r["text"][:60] for r in again] == [knowledge.entries["cost"].variants["region"]["uk"][:60]]


def test_after_crisis_lines_feelings_get_support_not_faq_content(stack, knowledge):
    from actions.messages import SUPPORT_AFTER_CRISIS_TEXT

    say = chat(stack)
    [crisis] = say("i don't want to be here anymore")
    assert crisis["text"].startswith(knowledge.notices["crisis"].text[:40])
    for feeling in ("I'm just exhausted from fighting this", "I'm really scared"):
        replies = texts(say(feeling))
        assert replies[0] in (SUPPORT_AFTER_CRISIS_TEXT,) or replies[0].startswith(
            knowledge.notices["crisis"].text[:40]
        )
        assert not any(t.startswith(e.answer[:40]) for t in replies for e in knowledge.entries.values())


def test_asking_again_gets_as_above_never_about_safety_following(stack, knowledge):
    say = chat(stack)
    first = say("is it safe?")
    assert first[-1]["text"].startswith(knowledge.entries["risks"].answer)
    again = texts(say("what are the risks?"))
    assert not any(t.startswith("About safety") for t in again)
    # Asked again: a one-line reminder, then the detail once; after that the reminder alone.
    assert again[0].startswith("As above:") and again[1].startswith(knowledge.entries["risks"].detail[:40])
    assert texts(say("what are the risks?"))[-1].startswith("As above:")
    assert not texts(say("how much does it cost in the uk"))[-1].startswith("As above:")
    for _ in range(2):
        assert texts(say("how much does it cost in the uk"))[0].startswith("As above:")


def test_a_first_answer_fits_a_phone_with_a_one_line_note(stack):
    note, answer = send(stack, "what are the side effects of hsct")
    assert note["text"] == FIRST_TURN_NOTE and "\n" not in note["text"]
    assert len(displayed(answer["text"])) <= 600
    assert len(follow_up_buttons(answer)) <= 3


def test_the_note_is_not_repeated_after_the_welcome(stack):
    say = chat(stack)
    welcome = texts(say("/start"))
    assert welcome and FIRST_TURN_NOTE not in welcome
    assert FIRST_TURN_NOTE not in texts(say("what are the side effects of hsct"))
