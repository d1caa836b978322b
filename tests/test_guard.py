"""The channel guard: every message gets a clear reply, nothing is lost."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from addons.channels import guard


def message(text):
    return UserMessage(text, CollectingOutputChannel(), "u1", input_channel="rest")


async def run(text, handler):
    msg = message(text)
    await guard.guard_handler(handler)(msg)
    return msg, [m.get("text") for m in msg.output_channel.messages if hasattr(msg.output_channel, "messages")]


async def replying_handler(msg):
    await msg.output_channel.send_response(msg.sender_id, {"text": "answer"})


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None, "\x00\x01\x02"])
async def test_empty_messages_get_a_clear_reply_and_skip_the_model(text):
    called = []

    async def handler(msg):
        called.append(msg)

    msg = message(text)
    await guard.guard_handler(handler)(msg)
    assert not called
    assert msg.output_channel.messages[0]["text"] == guard.EMPTY_TEXT


async def test_non_text_is_refused_politely():
    async def handler(msg):
        raise AssertionError("must not be called")

    msg = message(guard.NON_TEXT_SENTINEL)
    await guard.guard_handler(handler)(msg)
    assert msg.output_channel.messages[0]["text"] == guard.NOT_TEXT


async def test_over_long_message_gets_the_limit_explained(monkeypatch):
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "50")
    msg = message("a" * 51)
    await guard.guard_handler(replying_handler)(msg)
    [reply] = msg.output_channel.messages
    assert "50 characters" in reply["text"]


async def test_control_characters_are_removed_before_the_model():
    seen = []

    async def handler(msg):
        seen.append(msg.text)
        await replying_handler(msg)

    msg = message("is it\x00 safe\x1b?\nreally")
    await guard.guard_handler(handler)(msg)
    assert seen == ["is it safe?\nreally"]
    assert msg.output_channel.messages[0]["text"] == "answer"


async def test_failure_or_silence_tells_the_user():
    async def failing(msg):
        raise ConnectionError("action server down")

    async def silent(msg):
        return None

    for handler in (failing, silent):
        msg = message("is ahsct approved")
        await guard.guard_handler(handler)(msg)
        assert [m["text"] for m in msg.output_channel.messages] == [guard.UNAVAILABLE_TEXT]


async def test_a_request_the_server_gives_up_on_still_tells_the_user():
    """Rasa's REST channel catches the cancellation (a response timeout) and returns what was sent."""

    async def stuck(msg):
        await asyncio.sleep(60)

    msg = message("where is that from?")
    task = asyncio.ensure_future(guard.guard_handler(stuck)(msg))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [m["text"] for m in msg.output_channel.messages] == [guard.UNAVAILABLE_TEXT]


async def test_a_normal_reply_passes_through_unchanged():
    msg = message("what is hsct")
    await guard.guard_handler(replying_handler)(msg)
    assert [m["text"] for m in msg.output_channel.messages] == ["answer"]


async def test_button_payloads_pass_even_if_they_look_odd():
    msg = message('/faq_cost{"region": "uk"}')
    await guard.guard_handler(replying_handler)(msg)
    assert [m["text"] for m in msg.output_channel.messages] == ["answer"]


INTENTS = guard.Known(
    intents=frozenset({"faq_cost", "start_over", "crisis", "red_flag", "greet"}),
    entities=frozenset({"region", "ms_type"}),
)


@pytest.mark.parametrize(
    ("text", "passed_on"),
    [
        ("/faq_cost", "/faq_cost"),
        ('/faq_cost{"region": "uk"}', '/faq_cost{"region": "uk"}'),
        ("/restart", "/start_over"),  # Rasa's own commands, as a person might type them
        ("/session_start", "/start_over"),
        ("/my name is Jane, nhs number 943 476 5919", "my name is Jane, nhs number 943 476 5919"),  # read as text
        ("/faq_cost{broken json", "faq_cost{broken json"),
        ('/faq_cost{"region": ["uk"]}', 'faq_cost{"region": ["uk"]}'),  # entity values are plain values
        ('/faq_cost{"last_topic": "x"}', 'faq_cost{"last_topic": "x"}'),  # only the model's entities
        ('/faq_cost{"region":\n"uk"}', 'faq_cost{"region":\n"uk"}'),  # one line, as Rasa reads payloads
        ("/no_such_intent", "no_such_intent"),
        ("//greet", "greet"),
    ],
)
def test_only_well_formed_payloads_of_known_intents_reach_rasa_as_payloads(text, passed_on):
    assert guard.screen(text, 2000, INTENTS) == (None, passed_on)


def test_back_gets_a_clear_reply_instead_of_silence():
    assert guard.screen("/back", 2000, INTENTS) == (guard.BACK_TEXT, None)


@pytest.mark.parametrize("text", ["/" + "a" * 2500, '/faq_cost{"region": "' + "u" * 2500 + '"}', "/ " + "x " * 1500])
def test_the_length_limit_applies_to_payloads_too(text):
    assert guard.screen(text, 2000, INTENTS) == (guard.too_long_text(2000), None)


def test_lone_surrogates_are_replaced_before_the_model():
    assert guard.screen("is it safe\ud800?", 2000, INTENTS) == (None, "is it safe\ufffd?")


class FakeRequest:
    def __init__(self, headers):
        self.headers = headers


def test_the_rest_channel_takes_a_well_formed_request_id_as_the_message_id():
    from addons.channels.rest import request_id

    assert (
        request_id(FakeRequest({"X-Request-ID": "0af7651916cd43dd8448eb211c80319c"}))
        == "0af7651916cd43dd8448eb211c80319c"
    )
    assert request_id(FakeRequest({})) is None


@pytest.mark.parametrize("header", ["", "short", "has spaces in it", "x" * 129, "semi;colon;12345"])
def test_a_malformed_request_id_is_ignored(header):
    from addons.channels.rest import request_id

    assert request_id(FakeRequest({"X-Request-ID": header})) is None


@pytest.mark.parametrize("text", ["((((((((((()))))))))))", "''", "?!?!", "...", "%$%$%$"])
def test_a_message_without_a_word_is_asked_for_one(text):
    """Before: a row of brackets got the warning-signs notice, a row of quotes the reply to insults."""
    assert guard.screen(text, 2000, INTENTS) == (guard.NO_WORDS_TEXT, None)


def test_an_emoji_is_read_as_something_said():
    assert guard.screen("👍", 2000, INTENTS) == (None, "👍")


def test_long_runs_of_symbols_are_cut_before_the_tokenizer():
    """spaCy's tokenizer took over a second on 2,000 characters of "%'$!" with no space."""
    reply, text = guard.screen("is it safe " + "%'$!" * 400, 2000, INTENTS)
    assert reply is None and text == "is it safe " + "%'$!%'$!%'"


SYMBOL_HEAVY = [
    "%" * 2000,
    "".join("%'$!"[n % 4] for n in range(2000)),
    ("%'$!%'$!%'" + "a") * 181,
    ("🙂" * 10 + "a") * 181,
    ("''''''''''a") * 181,
    "(" * 1000 + ")" * 1000,
    "'s." * 667,  # an apostrophe ending and one mark: runs of 2 symbols, 1.5 s in spaCy before
    "".join("'S" + ".!?,)]"[n % 6] for n in range(667)),
    "a!" * 1000,
    "x" * 2000,
    "ab'cd." * 333,
]


@pytest.mark.parametrize("text", SYMBOL_HEAVY, ids=range(len(SYMBOL_HEAVY)))
def test_what_passes_the_guard_takes_spacy_milliseconds_not_seconds(root, text):
    """The tokenizer the model runs, on what the guard lets through of 2,000 symbol-heavy characters."""
    import time

    import spacy

    nlp = spacy.load(root / "build" / "spacy" / "ahsct_en")
    reply, passed_on = guard.screen(text[:2000], 2000, INTENTS)
    if passed_on is None:
        assert reply == guard.NO_WORDS_TEXT
        return
    start = time.perf_counter()
    nlp(passed_on)
    assert time.perf_counter() - start < 0.1


@pytest.mark.parametrize("text", ["a!" * 1000, "1." * 1000, "((((((((((()))))))))))", "....", "- - -"])
def test_junk_with_no_word_is_asked_for_a_question(text):
    """Before: "a!" x 1000 got mortality figures and "1." x 1000 the warning-signs notice."""
    assert guard.screen(text[:2000], 2000, INTENTS) == (guard.NO_WORDS_TEXT, None)


@pytest.mark.parametrize("text", ["41", "38.6", "ok", "no", "y", "I'm 38", "👍", "ppms", "żyję"])
def test_short_answers_still_pass(text):
    assert guard.screen(text, 2000, INTENTS)[1] == text


def test_a_long_message_is_checked_for_crisis_at_its_start_and_end_at_a_bounded_cost():
    import time

    start = time.perf_counter()
    assert guard.screen("i " * 7800 + "i want to end it all", 2000, INTENTS) == (None, "/crisis")
    assert guard.screen("i want to end it all. " + "i " * 7800, 2000, INTENTS) == (None, "/crisis")
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(
    ("typed", "passed_on"),
    [
        ("we want kids one day\u2026 would it stop that?", "we want kids one day... would it stop that?"),
        ("I\u2019m scared, what\u2019s \u201cconditioning\u201d?", "I'm scared, what's \"conditioning\"?"),
        ("cost\u00a0in the UK \u2013 roughly", "cost in the UK - roughly"),
    ],
)
def test_phone_punctuation_reaches_the_model_as_plain_punctuation(typed, passed_on):
    """Before: "one day… would it stop that?" was not understood ("day…" was one unknown word)."""
    assert guard.screen(typed, 2000, None) == (None, passed_on)


@pytest.mark.parametrize(
    ("typed", "passed_on"),
    [
        (
            "\uff48\uff4f\uff57 \uff4d\uff55\uff43\uff48 \uff44\uff4f\uff45\uff53 \uff48\uff53\uff43\uff54 \uff43\uff4f\uff53\uff54",
            "how much does hsct cost",
        ),
        ("\U0001d421\U0001d42c\U0001d41c\U0001d42d cost", "hsct cost"),
        ("how much does hs\u200bct cost", "how much does hsct cost"),
        ("\u200fis it safe\u200e?", "is it safe?"),
        ("trans\u00adplant risks", "transplant risks"),
    ],
)
def test_styled_letters_and_invisible_characters_reach_the_model_as_plain_words(typed, passed_on):
    """A stranger's attack found full-width letters declined and a zero-width space inside "hsct"
    read as a greeting."""
    assert guard.screen(typed, 2000, None) == (None, passed_on)


def test_letters_that_expand_under_nfkc_do_not_grow_the_message():
    reply, text = guard.screen("\ufdfa" * 1500, 2000, None)
    assert reply is None and len(text) <= 2 * 1500 + 1500 // 40 + 1
