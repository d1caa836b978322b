"""addons/rasa_fixes.py: the fixes to Rasa 3.6.21 keep Rasa's behaviour and skip the repeated work."""

from __future__ import annotations

import subprocess
import sys

import pytest
from jsonschema import ValidationError

from addons import rasa_fixes


@pytest.fixture(scope="module", autouse=True)
def fixed():
    return rasa_fixes.apply()


def remote_action():
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    return RemoteAction("action_answer_faq", EndpointConfig("http://127.0.0.1:1/webhook"))


VALID = {
    "events": [{"event": "slot", "name": "region", "value": "uk", "timestamp": None}],
    "responses": [{"text": "An answer"}],
}


def test_both_fixes_apply_and_applying_again_changes_nothing(fixed):
    from rasa.core.actions.action import RemoteAction

    assert fixed == ["remote_action_validation", "event_lookup", "log_redaction", "answer_once"]
    before = RemoteAction._validate_action_result
    assert rasa_fixes.apply() == fixed
    assert RemoteAction._validate_action_result is before


def test_a_valid_action_server_reply_passes_without_checking_the_schema_again(monkeypatch):
    import jsonschema

    def checked_again(*_args, **_kwargs):
        raise AssertionError("the schema was checked again")

    for cls in (jsonschema.Draft202012Validator, jsonschema.Draft7Validator):
        monkeypatch.setattr(cls, "check_schema", classmethod(checked_again))
    monkeypatch.setattr(jsonschema, "validate", checked_again)
    assert remote_action()._validate_action_result(VALID) is True


@pytest.mark.parametrize(
    "reply",
    [
        {"events": "not a list", "responses": []},
        {"events": [{"event": "slot", "name": 3}], "responses": []},  # a slot event without a proper name
        {"events": [], "responses": ["text, not an object"]},
    ],
)
def test_a_reply_that_breaks_rasas_schema_is_still_refused_with_rasas_message(reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action()._validate_action_result(reply)


def test_event_classes_are_found_once_by_name(monkeypatch):
    import rasa.shared.utils.common
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("action") is ActionExecuted

    def walked(_cls):
        raise AssertionError("walked every Event subclass again")

    monkeypatch.setattr(rasa.shared.utils.common, "all_subclasses", walked)
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("slot") is SlotSet
    stored = [{"event": "action", "name": "action_listen"}, {"event": "slot", "name": "region", "value": "uk"}]
    assert [type(Event.from_parameters(e)) for e in stored] == [ActionExecuted, SlotSet]


def test_unknown_event_names_are_still_refused_or_get_the_default():
    from rasa.shared.core.events import Event, UserUttered

    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", UserUttered) is UserUttered
    assert Event.resolve_by_type("topic") is None  # Rasa's old TopicSet events


def test_another_rasa_version_gets_no_fix(monkeypatch):
    import rasa

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    assert rasa_fixes.apply() == []


def test_the_launcher_applies_the_fixes_then_runs_rasas_command_line(monkeypatch):
    import rasa.__main__

    from addons import server

    calls = []
    monkeypatch.setattr(rasa_fixes, "apply", lambda: calls.append("fixes") or [])
    monkeypatch.setattr(rasa.__main__, "main", lambda: calls.append("rasa"))
    server.main()
    assert calls == ["fixes", "rasa"]


LOG_SCRIPT = """
import logging, structlog
from addons import rasa_fixes
rasa_fixes.apply()
from rasa.utils.log_utils import configure_structlog
configure_structlog(logging.INFO)
log = structlog.get_logger()
log.error("rest.message.received.timeout", text="I have RRMS and my name is Ann Example")
log.info("processor.slots.log", slot_values="region: uk", sender_id="abc")
"""


def test_what_people_type_is_redacted_from_rasas_logs(root):
    """Rasa's own logging set-up, as `rasa run` makes it; the event Rasa logs when a request is cancelled."""
    result = subprocess.run([sys.executable, "-c", LOG_SCRIPT], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "rest.message.received.timeout" in out and "processor.slots.log" in out
    assert "Ann Example" not in out and "RRMS" not in out and "region: uk" not in out
    assert out.count(rasa_fixes.REDACTED) == 2
    assert "abc" in out  # other fields are kept


def test_only_the_personal_fields_are_redacted():
    event = {"event": "x", "text": "hello", "user_message": {"text": "hi"}, "sender_id": "s1", "count": 3}
    assert rasa_fixes.redact_personal_fields(event) == {
        "event": "x",
        "text": "[redacted]",
        "user_message": "[redacted]",
        "sender_id": "s1",
        "count": 3,
    }


def test_a_message_seen_before_is_found_with_the_answers_that_followed_it():
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events(
        "s1",
        [
            ActionExecuted("action_listen"),
            UserUttered("is it approved", message_id="req-aaaa"),
            BotUttered("Not by the FDA.", {"buttons": [{"title": "Sources", "payload": "/sources"}]}),
            BotUttered("Anything else?"),
            ActionExecuted("action_listen"),
            UserUttered("thanks", message_id="req-bbbb"),
            BotUttered("You're welcome."),
            ActionExecuted("action_listen"),
            UserUttered("what does it cost", message_id="req-dddd"),  # its turn failed: no reply stored
        ],
    )
    first = rasa_fixes.answers_to(tracker, "req-aaaa", "is it approved")
    assert [m["text"] for m in first] == ["Not by the FDA.", "Anything else?"]
    assert first[0]["buttons"] == [{"title": "Sources", "payload": "/sources"}]
    assert [m["text"] for m in rasa_fixes.answers_to(tracker, "req-bbbb", "thanks")] == ["You're welcome."]
    assert rasa_fixes.answers_to(tracker, "req-aaaa", "another question") is None  # an id reused for new text
    assert rasa_fixes.answers_to(tracker, "req-cccc", "thanks") is None
    assert rasa_fixes.answers_to(tracker, None, "thanks") is None
    assert rasa_fixes.answers_to(tracker, "req-dddd", "what does it cost") is None  # handled again, so it can succeed
