"""The Telegram channel (addons/channels/telegram.py): formatting units, then the real Rasa
server with the connector against a fake Bot API server on loopback (tests/fake_telegram.py)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import urllib.error
import urllib.request

import pytest

from addons.channels import telegram
from addons.channels.memory import LocalMemory
from addons.channels.telegram import (
    MAX_CALLBACK_BYTES,
    MAX_MESSAGE_CHARS,
    CallbackStore,
    SeenUpdates,
    TelegramConfig,
    split_text,
    to_html,
)
from tests.conftest import TELEGRAM

# --- units ------------------------------------------------------------------------------------


def test_text_is_escaped_and_links_are_clickable():
    html = to_html('<b>bold?</b> & see https://www.nhs.uk/x?a=1&b=2. "ok"')
    assert html.startswith("&lt;b&gt;bold?&lt;/b&gt; &amp; see ")
    assert '<a href="https://www.nhs.uk/x?a=1&amp;b=2">https://www.nhs.uk/x?a=1&amp;b=2</a>.' in html


def test_long_text_is_split_below_the_limit_and_nothing_is_lost():
    text = "\n\n".join(f"Paragraph {n}: " + "word & more " * 60 for n in range(20)) + " " + "x" * 9000
    pieces = split_text(text)
    assert len(pieces) > 3
    assert all(len(to_html(p)) <= MAX_MESSAGE_CHARS for p in pieces)
    assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_callback_data_fits_in_64_bytes_and_maps_back():
    store = CallbackStore()
    short = "/faq_mortality"
    long = "Progressive (primary or secondary) with a very long title that goes on and on"
    assert store.data_for(short) == short
    data = store.data_for(long)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert store.payload_for(data) == long
    assert store.payload_for("cb:unknown") is None


def test_an_update_is_handled_once():
    seen = SeenUpdates(LocalMemory(size=2))
    assert seen.first_time(1) and not seen.first_time(1)
    assert seen.first_time(2) and seen.first_time(3) and seen.first_time(1)  # 1 was forgotten (size 2)


def test_commands():
    assert telegram._command("/start") == "/start"
    assert telegram._command("/help@AhsctBot") == "/help"
    assert telegram._command("/restart") == "/start_over"
    assert telegram._command("what is hsct") == "what is hsct"


def test_the_channel_is_off_without_a_token_and_refuses_a_token_without_a_secret(monkeypatch):
    monkeypatch.delenv("TELEGRAM_TOKEN", raising=False)
    assert TelegramConfig.from_env() is None
    monkeypatch.setenv("TELEGRAM_TOKEN", "1:x")
    monkeypatch.delenv("TELEGRAM_SECRET_TOKEN", raising=False)
    with pytest.raises(ValueError, match="TELEGRAM_SECRET_TOKEN"):
        TelegramConfig.from_env()
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", "s3cret")
    config = TelegramConfig.from_env()
    assert config.api_url == "https://api.telegram.org" and config.secret == "s3cret"


# --- end to end: the real Rasa server, a fake Bot API ---------------------------------------

# Above the ids the fuzz tests send (tests/test_fuzz.py: up to 10**13): an update id they used is
# "already handled" for the channel, and an update of this module with it would be skipped.
_update_ids = iter(range(10**14, 10**14 + 10**6))


def post_update(stack, update, secret=TELEGRAM["secret"]):
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        f"{stack.config.rasa_url}/webhooks/telegram/webhook", data=json.dumps(update).encode(), headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as resp:
            return resp.status
    except urllib.error.HTTPError as error:
        return error.code


def text_update(chat_id, text, kind="message", update_id=None):
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        kind: {
            "message_id": next(_update_ids),
            "date": 1764100000,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
            "text": text,
        },
    }


def texts_to(fake, chat_id):
    return [m["text"] for m in fake.sent_to(chat_id)]


def html_of(text):
    return to_html(" ".join(text.split()))


pytestmark_e2e = pytest.mark.model


@pytestmark_e2e
def test_the_webhook_was_registered_with_the_secret(stack, fake_telegram):
    fake_telegram.wait_for(lambda: any(c.method == "setWebhook" for c in fake_telegram.calls))
    call = [c for c in fake_telegram.calls if c.method == "setWebhook"][-1]  # one per server start
    assert call.token == TELEGRAM["token"]
    assert call.body["url"] == f"{stack.config.rasa_url}/webhooks/telegram/webhook"
    assert call.body["secret_token"] == TELEGRAM["secret"]
    # getMe once per server start (for mentions in groups), never per update as Rasa's connector did
    assert sum(c.method == "getMe" for c in fake_telegram.calls) == sum(
        c.method == "setWebhook" for c in fake_telegram.calls
    )


@pytestmark_e2e
def test_a_question_gets_its_answer_with_an_inline_keyboard(stack, fake_telegram, knowledge):
    chat = 7001
    assert post_update(stack, text_update(chat, "is ahsct fda approved?")) == 200
    fake_telegram.wait_for(lambda: any("FDA" in t for t in texts_to(fake_telegram, chat)))
    [answer] = [m for m in fake_telegram.sent_to(chat) if "reply_markup" in m]
    assert answer["parse_mode"] == "HTML"
    assert html_of(knowledge.entries["fda_status"].answer)[:80] in " ".join(answer["text"].split())
    assert '<a href="https://www.fda.gov/' in answer["text"]
    keyboard = answer["reply_markup"]["inline_keyboard"]
    assert all(len(row[0]["callback_data"].encode()) <= 64 for row in keyboard)
    assert any(row[0]["callback_data"].startswith("/feedback") for row in keyboard)


@pytestmark_e2e
def test_a_button_press_gets_that_topics_answer(stack, fake_telegram, knowledge):
    chat = 7002
    update = {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": "cbq-1",
            "from": {"id": chat, "is_bot": False, "first_name": "Test"},
            "message": {"message_id": 5, "date": 1764100000, "chat": {"id": chat, "type": "private"}, "text": "x"},
            "data": "/faq_mortality",
        },
    }
    assert post_update(stack, update) == 200
    fake_telegram.wait_for(lambda: len(fake_telegram.sent_to(chat)) >= 2)
    assert any(
        c.method == "answerCallbackQuery" and c.body["callback_query_id"] == "cbq-1" for c in fake_telegram.calls
    )
    expected = html_of(knowledge.entries["mortality"].answer)[:80]
    assert any(expected in " ".join(t.split()) for t in texts_to(fake_telegram, chat))


@pytestmark_e2e
@pytest.mark.parametrize("secret", [None, "wrong-secret", ""])
def test_an_update_without_the_right_secret_is_refused_and_not_processed(stack, fake_telegram, secret):
    chat = 7003
    assert post_update(stack, text_update(chat, "is ahsct fda approved?"), secret=secret) == 403
    post_update(stack, text_update(7004, "hi"))  # a real update after it, to know the server has moved on
    fake_telegram.wait_for(lambda: len(fake_telegram.sent_to(7004)) >= 1)
    assert fake_telegram.sent_to(chat) == []


@pytestmark_e2e
def test_start_gets_the_welcome_and_the_privacy_notice(stack, fake_telegram, domain):
    chat = 7005
    post_update(stack, text_update(chat, "/start"))
    fake_telegram.wait_for(lambda: len(fake_telegram.sent_to(chat)) >= 2)
    sent = texts_to(fake_telegram, chat)
    welcome = domain["responses"]["utter_welcome"][0]["text"]
    assert html_of(welcome)[:60] in " ".join(sent[0].split())
    assert fake_telegram.sent_to(chat)[0]["reply_markup"]["inline_keyboard"]
    assert sent[1] == to_html(telegram.PRIVACY_TEXT)


@pytestmark_e2e
@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "document"])
def test_non_text_messages_get_a_polite_reply(stack, fake_telegram, kind):
    chat = 7100 + ["photo", "sticker", "voice", "document"].index(kind)
    update = text_update(chat, "")
    del update["message"]["text"]
    update["message"][kind] = [{"file_id": "abc"}] if kind == "photo" else {"file_id": "abc"}
    assert post_update(stack, update) == 200
    fake_telegram.wait_for(lambda: len(fake_telegram.sent_to(chat)) >= 1)
    assert texts_to(fake_telegram, chat) == [to_html(telegram.NON_TEXT_TEXT)]


@pytestmark_e2e
def test_an_edited_message_is_answered_and_a_repeated_update_only_once(stack, fake_telegram, knowledge):
    chat = 7006
    update = text_update(chat, "what are the risks of hsct", kind="edited_message")
    assert post_update(stack, update) == 200
    assert post_update(stack, update) == 200  # Telegram re-sending the same update
    post_update(stack, text_update(chat, "thanks"))
    fake_telegram.wait_for(lambda: len(fake_telegram.sent_to(chat)) >= 2)
    expected = html_of(knowledge.entries["risks"].answer)[:60]
    answers = [t for t in texts_to(fake_telegram, chat) if expected in " ".join(t.split())]
    assert len(answers) == 1


@pytestmark_e2e
def test_trigger_intent_sends_to_the_telegram_chat(stack, fake_telegram, knowledge):
    chat = 7007
    post_update(stack, text_update(chat, "hi"))
    fake_telegram.wait_for(lambda: len(fake_telegram.sent_to(chat)) >= 1)
    before = len(fake_telegram.sent_to(chat))
    request = urllib.request.Request(
        f"{stack.config.rasa_url}/conversations/{chat}/trigger_intent"
        f"?output_channel=telegram&token={TELEGRAM['api_token']}",
        data=json.dumps({"name": "faq_fertility"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as resp:
        assert resp.status == 200
    fake_telegram.wait_for(lambda: len(fake_telegram.sent_to(chat)) > before)
    expected = html_of(knowledge.entries["fertility"].answer)[:60]
    assert any(expected in " ".join(t.split()) for t in texts_to(fake_telegram, chat)[before:])


QUESTIONS = {
    "is ahsct fda approved?": "fda_status",
    "can i have children after hsct": "fertility",
    "what are the risks of hsct": "risks",
    "can you die from ahsct": "mortality",
    "why is chemo part of hsct": "chemotherapy",  # "what chemo..." gets the point naming the drugs
}


@pytestmark_e2e
def test_fifty_chats_at_once_each_get_their_own_answer(stack, fake_telegram, knowledge):
    chats = {8000 + n: list(QUESTIONS)[n % len(QUESTIONS)] for n in range(50)}
    statuses = {}

    def send(chat, question):
        statuses[chat] = post_update(stack, text_update(chat, question))

    threads = [threading.Thread(target=send, args=item) for item in chats.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert set(statuses.values()) == {200}
    expected = {topic: html_of(knowledge.entries[topic].answer)[:60] for topic in QUESTIONS.values()}

    def answered(chat, topic):
        return any(expected[topic] in " ".join(t.split()) for t in texts_to(fake_telegram, chat))

    fake_telegram.wait_for(lambda: all(answered(c, QUESTIONS[q]) for c, q in chats.items()), timeout=180)
    for chat, question in chats.items():
        others = [t for t in set(QUESTIONS.values()) if t != QUESTIONS[question]]
        assert not any(answered(chat, other) for other in others), chat  # nothing crossed


# --- hostile and group updates --------------------------------------------------------------


def group_update(chat_id, user_id, text, reply_to_bot=False):
    update = text_update(chat_id, text)
    update["message"]["chat"] = {"id": chat_id, "type": "supergroup", "title": "MS support group"}
    update["message"]["from"] = {"id": user_id, "is_bot": False, "first_name": f"Member {user_id}"}
    if reply_to_bot:
        bot_id = int(TELEGRAM["token"].split(":")[0])
        update["message"]["reply_to_message"] = {"message_id": 1, "from": {"id": bot_id, "is_bot": True}}
    return update


def test_a_conversation_is_the_private_chat_or_one_person_in_a_group():
    assert telegram.conversation_for({"chat": {"id": 42, "type": "private"}}, {"id": 42}) == "42"
    group = {"chat": {"id": -100, "type": "supergroup"}}
    assert telegram.conversation_for(group, {"id": 7}) == "-100:7"
    assert telegram.conversation_for(group, {"id": 8}) == "-100:8"
    assert telegram.chat_of("-100:8") == "-100" and telegram.chat_of("42") == "42"
    for chat in ({"id": "42"}, {"id": True}, {"id": 4.2}, {"id": None}, {}, "42", None):
        assert telegram.conversation_for({"chat": chat}, {"id": 1}) is None
    assert telegram.conversation_for(group, {"id": "7"}) is None  # a group message needs its sender


@pytest.mark.parametrize(
    ("text", "reply", "expected"),
    [
        ("what is hsct", False, None),  # the group talking among themselves
        ("what is hsct", True, "what is hsct"),  # a reply to the assistant
        ("@AhsctTestBot what is hsct", False, "what is hsct"),
        ("hey @ahscttestbot is it safe?", False, "hey  is it safe?"),
        ("/help", False, "/help"),
        ("/help@AhsctTestBot", False, "/help@AhsctTestBot"),
        ("/help@SomeOtherBot", False, None),
        ("email me at x@AhsctTestBotter.com", False, None),
    ],
)
def test_in_a_group_only_messages_for_the_assistant_are_read(text, reply, expected):
    message = {"text": text}
    if reply:
        message["reply_to_message"] = {"from": {"id": 123456, "is_bot": True}}
    assert telegram.addressed(message, 123456, "AhsctTestBot") == expected


@pytestmark_e2e
@pytest.mark.parametrize("update_id", ["1001", None, True, 1.5, [1], {"id": 1}])
def test_an_update_with_a_malformed_update_id_is_refused(stack, fake_telegram, update_id):
    chat = 7300
    update = text_update(chat, "is ahsct fda approved?")
    update["update_id"] = update_id
    assert post_update(stack, update) == 400
    assert post_update(stack, update) == 400  # replayed: still nothing handled


@pytestmark_e2e
@pytest.mark.parametrize("chat_id", ["7301", True, 73.01, None, [7301]])
def test_an_update_with_a_malformed_chat_id_is_not_handled(stack, fake_telegram, chat_id):
    calls_before = len(fake_telegram.calls)
    update = text_update(7302, "is ahsct fda approved?")
    update["message"]["chat"]["id"] = chat_id
    assert post_update(stack, update) == 200
    post_update(stack, text_update(7303, "hi"))  # a real update after it, to know the server has moved on
    fake_telegram.wait_for(lambda: len(fake_telegram.sent_to(7303)) >= 1)
    assert [c for c in fake_telegram.calls[calls_before:] if c.body.get("chat_id") not in (7303, "7303")] == []


@pytestmark_e2e
def test_a_button_press_is_answered_even_when_telegram_refuses_the_acknowledgement(stack, fake_telegram, knowledge):
    chat = 7304
    update = {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": "too-old-1",  # the fake Bot API answers "query is too old"
            "from": {"id": chat, "is_bot": False, "first_name": "Test"},
            "message": {"message_id": 5, "date": 1764100000, "chat": {"id": chat, "type": "private"}, "text": "x"},
            "data": "/faq_fertility",
        },
    }
    assert post_update(stack, update) == 200
    expected = html_of(knowledge.entries["fertility"].answer)[:60]
    fake_telegram.wait_for(lambda: any(expected in " ".join(t.split()) for t in texts_to(fake_telegram, chat)))


@pytestmark_e2e
def test_in_a_group_the_assistant_answers_only_when_addressed_and_keeps_each_person_apart(
    stack, fake_telegram, knowledge
):
    group, ann, bob = -1007305, 7306, 7307
    assert post_update(stack, group_update(group, ann, "what are the risks of hsct")) == 200  # not addressed
    assert post_update(stack, group_update(group, ann, "I live in the UK @AhsctTestBot")) == 200
    assert post_update(stack, group_update(group, bob, "/help")) == 200
    fake_telegram.wait_for(lambda: len(fake_telegram.sent_to(group)) >= 2)
    risks = html_of(knowledge.entries["risks"].answer)[:60]
    assert not any(risks in " ".join(t.split()) for t in texts_to(fake_telegram, group))
    # Each person in the group has their own conversation; the group as a whole has none.
    with contextlib.closing(sqlite3.connect(stack.config.tracker_db)) as db:
        senders = {
            row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events WHERE sender_id LIKE ?", (f"{group}%",))
        }
    assert senders == {f"{group}:{ann}", f"{group}:{bob}"}
