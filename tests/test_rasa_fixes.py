"""addons/rasa_fixes.py: the fixes to Rasa 3.6.21 keep Rasa's behaviour and skip the repeated work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import ValidationError

from addons import rasa_fixes


@pytest.fixture(scope="module", autouse=True)
def fixed():
    applied = rasa_fixes.apply()
    yield applied
    rasa_fixes.undo()  # the rest of the test session sees stock Rasa


# Stock Rasa, in a clean process: each defect a fix is for, measured. The day one of these is no
# longer there, its fix can go.
STOCK_SCRIPT = """
import asyncio, io, json, logging, sys, types
import jsonschema, structlog
import rasa.shared.utils.common as common
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.log_utils import configure_structlog

found = {}
calls = []
real_check = jsonschema.Draft7Validator.check_schema.__func__
for cls in (jsonschema.Draft7Validator, jsonschema.Draft202012Validator):
    cls.check_schema = classmethod(lambda c, s, *a, **k: calls.append(1) or real_check(c, s, *a, **k))
action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1/webhook"))
for _ in range(3):
    action._validate_action_result({"events": [], "responses": []})
found["schema_checks_for_3_replies"] = len(calls)

walks = []
real_walk = common.all_subclasses
common.all_subclasses = lambda cls: walks.append(1) or real_walk(cls)
for _ in range(3):
    Event.resolve_by_type("user")
found["subclass_walks_for_3_lookups"] = len(walks)

out = io.StringIO()
sys.stdout, real_stdout = out, sys.stdout
configure_structlog(logging.INFO)
structlog.get_logger().error("rest.message.received.timeout", text="marker-Ann-Example")
sys.stdout = real_stdout
found["typed_text_logged"] = "marker-Ann-Example" in out.getvalue()

tracker = DialogueStateTracker("s", [])
tracker.update(UserUttered("hi", message_id="m1"))
parse = {"intent": {"name": "greet", "confidence": 1.0}, "entities": [], "text": "hi"}
fake = types.SimpleNamespace(domain=Domain.empty())
asyncio.run(MessageProcessor._handle_message_with_tracker(fake, UserMessage("hi", message_id="m1", parse_data=parse), tracker))
from rasa.core.actions import action as action_module
from rasa.core.lock_store import LOCK_LIFETIME
found["action_wait_over_lock_lifetime"] = action_module.DEFAULT_REQUEST_TIMEOUT > LOCK_LIFETIME
found["same_message_id_stored"] = sum(isinstance(e, UserUttered) and e.message_id == "m1" for e in tracker.events)
print(json.dumps(found))
"""


def test_stock_rasa_still_has_each_defect_a_fix_is_for(root):
    import json

    result = subprocess.run([sys.executable, "-c", STOCK_SCRIPT], cwd=root, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["schema_checks_for_3_replies"] >= 3  # remote_action_validation
    assert found["subclass_walks_for_3_lookups"] >= 3  # event_lookup
    assert found["typed_text_logged"] is True  # log_redaction
    assert found["same_message_id_stored"] == 2  # answer_once: a retried request is handled again
    assert found["action_wait_over_lock_lifetime"] is True  # action_timeout: 300 s against 60 s


def test_a_turn_waits_for_the_action_server_less_than_the_lock_lasts(monkeypatch):
    from rasa.core.actions import action

    assert action.DEFAULT_REQUEST_TIMEOUT == 10 < 60
    monkeypatch.setenv("ACTION_TIMEOUT", "20")
    monkeypatch.setenv("TICKET_LOCK_LIFETIME", "15")
    with pytest.raises(
        rasa_fixes.UnpatchedRasa, match=r"ACTION_TIMEOUT \(20 s\) must be below TICKET_LOCK_LIFETIME \(15 s\)"
    ):
        rasa_fixes.apply()


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

    assert fixed == ["remote_action_validation", "event_lookup", "log_redaction", "action_timeout", "answer_once"]
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


def test_a_required_fix_whose_target_changed_stops_the_server_unless_allowed(monkeypatch):
    """Not the version string: the target itself. Before, any Rasa other than 3.6.21 silently ran
    without redaction."""
    from rasa.utils import log_utils

    def _anonymizer(event_dict):  # a future Rasa with another signature
        return event_dict

    monkeypatch.setattr(log_utils, "_anonymizer", _anonymizer)
    monkeypatch.delenv("ALLOW_UNPATCHED_RASA", raising=False)
    with pytest.raises(rasa_fixes.UnpatchedRasa, match="log_redaction: its target's parameters"):
        rasa_fixes.apply()
    monkeypatch.setenv("ALLOW_UNPATCHED_RASA", "1")
    assert "log_redaction" not in rasa_fixes.apply()
    assert log_utils._anonymizer is _anonymizer


def test_an_optional_fix_whose_target_is_gone_is_skipped(monkeypatch, caplog):
    from rasa.core.actions.action import RemoteAction

    monkeypatch.delattr(RemoteAction, "_validate_action_result")
    applied = rasa_fixes.apply()
    assert "remote_action_validation" not in applied and "log_redaction" in applied
    assert "remote_action_validation not applied: its target is gone" in caplog.text


def test_plain_rasa_run_gets_the_fixes_when_it_creates_the_tracker_store(root):
    """`rasa run` without addons.server: endpoints.yml's tracker store applies them, and logging
    that Rasa configured before is redacted from then on."""
    script = (
        "import logging, structlog\n"
        "from rasa.utils.log_utils import configure_structlog\n"
        "configure_structlog(logging.INFO)\n"
        "log = structlog.get_logger()\n"
        "log.info('before', sender_id='x')\n"
        "import tempfile, pathlib\n"
        "from addons.stores.tracker_store import GuardedSQLTrackerStore\n"
        "GuardedSQLTrackerStore(host='sqlite:///' + str(pathlib.Path(tempfile.mkdtemp()) / 't.db'))\n"
        "from rasa.core.processor import MessageProcessor\n"
        "assert getattr(MessageProcessor.handle_message, 'ahsct_fixed', False)\n"
        "log.error('rest.message.received.timeout', text='marker-Ann-Example')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "rest.message.received.timeout" in result.stdout and "marker-Ann-Example" not in result.stdout


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


def test_plain_rasa_reads_the_endpoints_with_nothing_set(root, monkeypatch):
    """Before: `rasa shell` failed unless five variables were set."""
    from rasa.core.utils import read_endpoints_from_path

    for name in ("ACTION_SERVER_URL", "TRACKER_URL", "LOCK_STORE", "REDIS_HOST", "REDIS_PORT"):
        monkeypatch.delenv(name, raising=False)
    endpoints = read_endpoints_from_path(root / "endpoints.yml")
    assert endpoints.action.url == "http://127.0.0.1:5055/webhook"
    assert endpoints.tracker_store.type == "addons.stores.tracker_store.GuardedSQLTrackerStore"


def test_the_launcher_gives_rasa_the_action_server_url_from_the_environment(root, tmp_path):
    import yaml

    from addons.server import endpoints_with_action_url

    args = endpoints_with_action_url(
        ["run", "--endpoints", str(root / "endpoints.yml"), "--port", "5005"], "http://actions:5055/webhook"
    )
    copy = yaml.safe_load(Path(args[2]).read_text(encoding="utf-8"))
    assert args[0] == "run" and args[3:] == ["--port", "5005"]
    assert copy["action_endpoint"]["url"] == "http://actions:5055/webhook"
    assert copy["lock_store"] == yaml.safe_load((root / "endpoints.yml").read_text())["lock_store"]
