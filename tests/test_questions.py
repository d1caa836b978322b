"""The NLU components for messages of several questions (addons/nlu/questions.py), without a
model: a stand-in classifier gives each text an intent between SplitQuestions and JoinQuestions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.questions import PART_OF, QUESTIONS_ASKED, JoinQuestions, SplitQuestions, questions_of

SPLIT, JOIN = SplitQuestions({}), JoinQuestions({"min_confidence": 0.5})
FAQ_FOR = {
    "approved": "faq_fda_status",
    "cost": "faq_cost",
    "risks": "faq_risks",
    "kids": "faq_fertility",
    "fever": "red_flag",
    "hopeless": "crisis",
    # What the classifier had learnt: a transplant weeks ago reads as a warning sign, sign or not.
    "weeks ago": "red_flag",
    "diagnosed": "describe_situation",
}


def classify(messages: list[Message], whole: str, whole_confidence: float = 0.9) -> None:
    """The stand-in classifier: a question gets the FAQ intent of the first key word it holds, else
    out_of_scope; the whole message (not a question added by SplitQuestions) gets `whole`, with
    `whole_confidence`."""
    for message in messages:
        text = message.get(TEXT)
        name = (
            whole
            if message.get(PART_OF) is None
            else next((intent for word, intent in FAQ_FOR.items() if word in text), "out_of_scope")
        )
        confidence = whole_confidence if message.get(PART_OF) is None else 0.9
        message.set(INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)


def run(texts: list[str], whole: str, whole_confidence: float = 0.9, join: JoinQuestions = JOIN) -> list[Message]:
    messages = SPLIT.process([Message(data={TEXT: t}) for t in texts])
    classify(messages, whole, whole_confidence)
    return join.process(messages)


def intent(message: Message) -> str:
    return message.get(INTENT)[INTENT_NAME_KEY]


def test_the_first_topic_asked_is_the_intent_and_all_are_listed_in_order():
    [message] = run(["is it approved in the uk and how much does it cost"], whole="faq_cost")
    assert intent(message) == "faq_fda_status"
    assert message.get(QUESTIONS_ASKED) == ["fda_status", "cost"]
    assert message.as_dict(only_output_properties=True)[QUESTIONS_ASKED] == ["fda_status", "cost"]


def test_a_topic_only_told_about_gives_way_to_the_whole_messages_topic_asked_after_it():
    told = "my neurologist mentioned the risks but said nothing about money. does insurance cover the cost?"
    [message] = run([told], whole="faq_cost")
    assert intent(message) == "faq_cost"
    assert message.get(QUESTIONS_ASKED) == ["risks", "cost"]  # the other still offered
    # Not when the first is asked (a question mark, a join), nor when no question asks the whole's.
    for text, whole in (
        ("the risks?? and how much does it cost", "faq_cost"),
        ("the risks and how much does it cost", "faq_cost"),
        ("my neurologist mentioned the risks. the cost is the problem.", "faq_cost"),
        (told, "faq_fertility"),
    ):
        [message] = run([text], whole=whole)
        assert intent(message) == "faq_risks", text


def test_a_question_naming_the_treatment_is_answered_though_an_aside_made_the_message_declined():
    [message] = run(["whats a good fast food place? and how much does hsct cost"], whole="out_of_scope")
    assert intent(message) == "faq_cost"
    for text in ("whats a good fast food place? and how much does a tesla cost", "is hsct a band? tell me a joke"):
        [message] = run([text], whole="out_of_scope")
        assert intent(message) == "out_of_scope", text


def test_not_sure_and_out_of_scope_give_way_to_two_topics_asked():
    for whole in ("nlu_fallback", "out_of_scope"):
        [message] = run(["what are the risks? can i have kids after"], whole=whole)
        assert intent(message) == "faq_risks"


def test_safety_commands_situations_and_feelings_are_never_changed():
    for whole in ("crisis", "red_flag", "stop", "describe_situation", "express_feelings"):
        [message] = run(["what are the risks? can i have kids after"], whole=whole)
        assert intent(message) == whole
        assert message.get(QUESTIONS_ASKED) == ["risks", "fertility"]


def test_a_crisis_or_warning_sign_in_one_question_is_the_messages_intent():
    [message] = run(["how much does it cost? he has a fever, 10 days post transplant"], whole="faq_cost")
    assert intent(message) == "red_flag"
    [message] = run(["fever since last night. i feel hopeless. what are the risks"], whole="faq_risks")
    assert intent(message) == "crisis"  # a crisis comes before a warning sign
    [message] = run(["i feel hopeless. what are the risks"], whole="red_flag")
    assert intent(message) == "red_flag"  # a safety intent of the whole message is never changed


def test_a_warning_sign_only_the_classifier_saw_needs_a_sign_named_and_no_question_of_what_to_watch_for():
    """From a stranger's conversation (2026-12-01): both got the emergency reply."""
    text = "he had his transplant 2 weeks ago and is home now. what should we watch for?"
    [message] = run([text], whole="faq_warning_signs")
    assert intent(message) == "faq_warning_signs"
    [message] = run(["he had his transplant 2 weeks ago and came home. i am terrified"], whole="express_feelings")
    assert intent(message) == "express_feelings"
    # A sign named anywhere in the message, or a pattern's warning sign, still makes it one.
    [message] = run(["he had his transplant 2 weeks ago. he looks grey and floppy"], whole="faq_side_effects")
    assert intent(message) == "red_flag"
    [message] = run(["he had his transplant 2 weeks ago. what should we watch for? he has a fever"], whole="faq_cost")
    assert intent(message) == "red_flag"


def test_a_topic_named_only_by_words_never_makes_the_message_an_ahsct_question():
    # "price" names cost (actions/topics.py), but the stand-in classifier took it for out of scope.
    [message] = run(["what is the price of a tesla and what are the risks"], whole="out_of_scope")
    assert intent(message) == "out_of_scope" and message.get(QUESTIONS_ASKED) == ["cost", "risks"]


def test_a_message_declined_as_a_whole_that_names_the_treatment_gets_the_topic_of_its_question():
    """A stranger's first message (2026-12-02) got "Sorry, I can't help with that"."""
    text = "i just got diagnosed with rrms, im 26. my friend said stem cells cure ms, what are the risks?"
    [message] = run([text], whole="out_of_scope")
    assert intent(message) == "faq_risks"
    # Not when a question is out of scope, nor when the treatment is not named.
    [donor] = run(
        ["my mum is donating stem cells to her brother. what are the risks for a donor"], whole="out_of_scope"
    )
    assert intent(donor) == "out_of_scope"
    [other] = run(
        ["i was diagnosed with lupus last year. what are the risks of a kidney transplant"], whole="out_of_scope"
    )
    assert intent(other) == "out_of_scope"


def test_an_unsure_topic_that_no_question_asks_gives_way_to_the_first_asked():
    # Some parts unsure ("and then?"), so the rule for lists of questions does not apply.
    text = "what are the risks? and then? can i have kids after"
    [message] = run([text], whole="faq_access", whole_confidence=0.4)
    assert intent(message) == "faq_risks" and message.get(QUESTIONS_ASKED) == ["risks", "fertility"]
    assert message.get(INTENT)[PREDICTED_CONFIDENCE_KEY] == 0.4  # the whole message's, not more
    # Sure of the whole message's topic, or its topic is one of those asked: it stays.
    [message] = run([text], whole="faq_access", whole_confidence=0.6)
    assert intent(message) == "faq_access"
    [message] = run([text], whole="faq_fertility", whole_confidence=0.55)
    assert intent(message) == "faq_fertility"
    # One topic asked is not a list; out of scope and "not sure" are not FAQ topics to give way.
    [message] = run(["what are the risks? and then?"], whole="faq_access", whole_confidence=0.4)
    assert intent(message) == "faq_access"
    for whole in ("out_of_scope", "nlu_fallback", "describe_situation", "express_feelings"):
        [message] = run([text], whole=whole, whole_confidence=0.4)
        assert intent(message) == whole
    # The bar comes from the config.
    [message] = run([text], whole="faq_access", whole_confidence=0.4, join=JoinQuestions({"unsure_whole": 0.3}))
    assert intent(message) == "faq_access"


def test_a_later_topic_the_classifier_was_unsure_of_gives_way_to_a_first_it_was_sure_of():
    text = "what are the risks? and then? can i have kids after"  # "and then?" unsure: no list rule
    [message] = run([text], whole="faq_fertility", whole_confidence=0.4)
    assert intent(message) == "faq_risks" and message.get(QUESTIONS_ASKED) == ["risks", "fertility"]
    assert message.get(INTENT)[PREDICTED_CONFIDENCE_KEY] == 0.4
    # Sure enough of the whole message (at least min_confidence): the later topic stays.
    [message] = run([text], whole="faq_fertility", whole_confidence=0.5)
    assert intent(message) == "faq_fertility"
    # The first topic asked only by a word the classifier did not take for it: nothing changes.
    [message] = run(
        ["what is the price of a tesla? and then? are the risks high"], whole="faq_risks", whole_confidence=0.4
    )
    assert intent(message) == "faq_risks" and message.get(QUESTIONS_ASKED) == ["cost", "risks"]
    # The bar is the questions' own (min_confidence).
    [message] = run([text], whole="faq_fertility", whole_confidence=0.4, join=JoinQuestions({"min_confidence": 0.3}))
    assert intent(message) == "faq_fertility"


def test_the_first_topic_asked_keeps_the_classifiers_confidence():
    [message] = run(["is it approved in the uk and how much does it cost"], whole="faq_cost")
    assert message.get(INTENT)[PREDICTED_CONFIDENCE_KEY] == 0.9


def test_one_question_a_story_and_a_button_payload_are_not_cut_up():
    assert questions_of("how much does it cost") == []
    assert questions_of("/faq_cost") == []
    assert questions_of(". ".join(["the risks are what worry me"] * 7)) == []
    assert questions_of("what are the risks? " + "and the cost " * 50) == []  # over MAX_CHARS
    [message] = run(["how much does it cost"], whole="faq_cost")
    assert intent(message) == "faq_cost" and message.get(QUESTIONS_ASKED) is None


def test_a_story_around_one_question_keeps_the_whole_messages_intent():
    # The first part tells, it asks nothing: the whole message's intent stays, the topics are listed.
    [message] = run(["my wife is scared. are the risks high? what about cost"], whole="faq_cost")
    assert intent(message) == "faq_cost" and message.get(QUESTIONS_ASKED) == ["risks", "cost"]


def test_one_topic_asked_twice_keeps_the_whole_messages_intent():
    [message] = run(["what are the risks? are the risks high?"], whole="faq_mortality")
    assert intent(message) == "faq_mortality" and message.get(QUESTIONS_ASKED) == ["risks"]


def test_training_data_passes_through():
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = TrainingData([Message(data={TEXT: "cost? risks?", INTENT: "faq_cost"})])
    assert not hasattr(SPLIT, "process_training_data") or SPLIT.process_training_data(data) is data


PIECES = st.sampled_from(
    ["a", "b", " ", "?", ".", "&", " n ", "\n", "/", "and what ", "cost", "kids", "fever", "hopeless", "price", "é"]
)


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.lists(PIECES, max_size=25).map("".join) | st.text(max_size=80), max_size=4),
    whole=st.sampled_from(["faq_cost", "crisis", "red_flag", "nlu_fallback", "stop", "out_of_scope"]),
)
def test_the_messages_come_back_alone_in_order_and_safety_is_kept(texts, whole):
    out = run(texts, whole)
    assert [m.get(TEXT) for m in out] == texts
    assert all(m.get(PART_OF) is None for m in out)
    for message in out:
        asked = message.get(QUESTIONS_ASKED) or []
        assert len(asked) == len(set(asked)) and all(isinstance(a, str) for a in asked)
        if whole in ("crisis", "red_flag"):
            assert intent(message) == whole
        elif whole == "stop" or len(asked) < 2:
            assert intent(message) in (whole, "crisis", "red_flag")


def test_a_crisis_only_guessed_in_one_question_of_a_fear_of_dying_of_the_treatment_is_not_the_messages():
    """ "what if i do it and i die. my kids would grow up without me" got the crisis lines: the classifier
    read one question as a crisis (a twentieth stranger, 2026-12-03). Crisis words still raise it."""
    text = "what if i do it and i die. my family would be hopeless. i dont know what to do"
    [message] = run([text], whole="express_feelings")
    assert intent(message) == "express_feelings"
    [message] = run(["life feels hopeless. what are the risks"], whole="faq_risks")
    assert intent(message) == "crisis"
    [message] = run(["what if i do it and i die. i feel hopeless and i want to die"], whole="express_feelings")
    assert intent(message) == "crisis"


def test_a_long_story_has_its_questions_read_for_a_situation_only():
    """A twenty-eighth stranger (2026-12-03): "Hello, my son is 22 ... 4 relapses and lost some sight in one
    eye. Tysabri hasn't stopped it. ... I'm terrified. Is it on the NHS? Where would he go? We're in Leeds."
    had more parts than are read, so neither question was answered. Its questions are read; for another
    long message (no situation) they are not, as before: second answers nobody asked for followed."""
    story = (
        "my son is 22 and was diagnosed 18 months ago, hes had a really aggressive start, 4 relapses and lost some "
        "sight in one eye. tysabri hasnt stopped it. the neurologist mentioned it at the last appointment and im "
        "terrified. what are the risks? how much does it cost? we are in leeds."
    )
    assert questions_of(story) == ["what are the risks", "how much does it cost"]
    [message] = run([story], whole="describe_situation")
    assert message.get(QUESTIONS_ASKED) == ["risks", "cost"]
    [message] = run([story], whole="faq_risks")
    assert message.get(QUESTIONS_ASKED) is None
