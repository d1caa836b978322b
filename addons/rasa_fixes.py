"""Fixes to Rasa Open Source 3.6 itself, applied in the Rasa server's process.

Rasa has no extension point for these; the conversation queue and the tracker store's error
handling do, and are classes that endpoints.yml names (addons/stores/). They are applied by
`python -m addons.server` (make run, the image, compose, the manifests) before Rasa's command line
starts, and again, for a plain `rasa run` or `rasa shell`, when Rasa creates the tracker store that
endpoints.yml names. Each fix checks its target, not Rasa's version: the function it replaces must
exist with the parameters it was written for. A required fix (what people type kept out of the
logs; each message handled once) that cannot be applied stops the server, unless
ALLOW_UNPATCHED_RASA=1; an optional one (the two speed-ups) is skipped with a warning.
tests/test_rasa_fixes.py shows, in a clean subprocess, that stock Rasa still has each defect.

1. Action results validated once per schema, not once per schema check. Rasa checks every
   reply of the action server with `jsonschema.validate()`, which first validates Rasa's large
   event schema against the JSON Schema meta-schema, on every call: 31 ms of a 73 ms message
   (profiled in-process on 2 cores, jsonschema 4.17.3). The schema is a constant, so the
   validator is built once; a reply that breaks the schema is refused as before, with Rasa's
   own error message.
2. Event classes looked up once per name. Reading a conversation from the tracker store turns
   each stored event into its class by walking every subclass of `Event` (`all_subclasses`,
   with `inspect.isabstract` on each), for every event: 14% of the Rasa server's time at 10
   conversations at once (py-spy). The class found for a name is kept; a name not found still
   goes to Rasa's own lookup, so unknown events are refused as before.
3. What people typed stays out of the logs. Rasa's structured log events carry message text,
   slot values and parse data under known keys (the list Rasa's own `_anonymizer` takes to its
   anonymisation plugin, which Rasa Open Source does not have). For example, a request that the
   server cancels logs `rest.message.received.timeout` at ERROR with the message text. Those
   keys are now replaced with "[redacted]" at every level, before anything is written.
4. (The ticket queue of a conversation's messages is no longer a fix here: it is a lock store
   class, addons/stores/lock_store.py, that endpoints.yml names.)
5. A message handled before is answered from the record, not handled again. When a replica
   dies after it stored a turn but before its reply got out, nginx sends the request to another
   replica (it must, or a replica dying mid-message would lose the message). In the kill test
   that stored "what are the risks" twice, and the second answer was a follow-up to the first.
   The REST channel now takes the request's `X-Request-ID` (set by nginx, the same on a retry)
   as the message's id; if the conversation already holds a user message with that id and the
   same text, the bot messages stored after it are sent again and nothing is added. The check
   runs under the conversation's lock, on the tracker Rasa reads anyway. Rasa's own message ids
   are random, so other messages are never affected.
6. Every turn is bounded. Rasa waits up to 300 s for the action server, but a conversation's lock
   lasts TICKET_LOCK_LIFETIME (15 s in compose and Kubernetes): a turn slower than that let the
   next message of the same conversation run at the same time. Rasa now waits ACTION_TIMEOUT
   (10 s), which must be below the lock's lifetime; the server refuses to start otherwise. A turn
   that times out gets the "part of the service is not working" reply, and the next one goes on.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# (owner, attribute) -> Rasa's own function, for undo().
_ORIGINALS: dict[tuple[Any, str], Any] = {}


def _replace(owner: Any, name: str, new: Any) -> None:
    _ORIGINALS.setdefault((owner, name), owner.__dict__[name])
    setattr(owner, name, new)


def _remote_action_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, as jsonschema.validate() would do every time
    return validator_class(schema)


def _patch_remote_action_validation() -> None:
    from jsonschema.exceptions import best_match
    from rasa.core.actions import action

    original = action.RemoteAction._validate_action_result
    if getattr(original, "ahsct_fixed", False):
        return
    validator = _remote_action_validator()

    def _validate_action_result(self: action.RemoteAction, result: dict[str, Any]) -> bool:
        # As jsonschema.validate() reports it: the most relevant error, not just the first.
        error = best_match(validator.iter_errors(result))
        if error is not None:
            # Rasa's own wording (rasa/core/actions/action.py), so logs read the same as before.
            error.message += (
                ". Failed to validate Action server response from API, make sure your response from the "
                "Action endpoint is valid. For more information about the format visit "
                f"{action.DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    _validate_action_result.ahsct_fixed = True  # type: ignore[attr-defined]
    _replace(action.RemoteAction, "_validate_action_result", _validate_action_result)


def _patch_event_lookup() -> None:
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    if getattr(original, "ahsct_fixed", False):
        return
    found: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        cls = found.get(type_name)
        if cls is None:
            cls = original(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    resolve_by_type.ahsct_fixed = True  # type: ignore[attr-defined]
    _replace(Event, "resolve_by_type", staticmethod(resolve_by_type))


# The keys of Rasa 3.6's structlog events that can hold what a person typed or what the
# assistant knows about them (rasa/utils/log_utils.py, `_anonymizer`).
PERSONAL_LOG_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)
REDACTED = "[redacted]"


def redact_personal_fields(event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in PERSONAL_LOG_KEYS.intersection(event_dict):
        event_dict[key] = REDACTED
    return event_dict


def _patch_log_redaction() -> None:
    from rasa.utils import log_utils

    original = log_utils._anonymizer
    if getattr(original, "ahsct_fixed", False):
        return

    def _anonymizer(logger: Any, method_name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        return redact_personal_fields(original(logger, method_name, event_dict))

    _anonymizer.ahsct_fixed = True  # type: ignore[attr-defined]
    # configure_structlog() looks the name up when it runs; for a plain `rasa run`, which has
    # configured logging before it loads the tracker store, the running chain is changed in place
    # (structlog's loggers share that list, cached ones too).
    _replace(log_utils, "_anonymizer", _anonymizer)
    _swap_log_processor(original, _anonymizer)


def _swap_log_processor(old: Any, new: Any) -> None:
    import structlog

    processors = structlog.get_config().get("processors") or []
    for index, processor in enumerate(processors):
        if processor is old:
            processors[index] = new


def _reset_log_processors() -> None:
    import structlog
    from rasa.utils import log_utils

    processors = structlog.get_config().get("processors") or []
    for index, processor in enumerate(processors):
        if getattr(processor, "ahsct_fixed", False):
            processors[index] = log_utils._anonymizer


class AlreadyAnswered(Exception):
    """Raised inside Rasa's message handling when the message is in the conversation already."""

    def __init__(self, replies: list[dict[str, Any]]):
        super().__init__("message handled before")
        self.replies = replies


def answers_to(tracker: Any, message_id: str | None, text: str | None) -> list[dict[str, Any]] | None:
    """The bot messages that followed the user message `message_id` in the tracker, as Rasa sent
    them; None if the tracker has no such user message with the same text (a client that reuses
    a request id for another message gets that message answered), or if it got no reply (its turn
    failed: the retry is handled again, so that it can succeed)."""
    from rasa.shared.core.events import BotUttered, UserUttered

    replies: list[dict[str, Any]] | None = None
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break
            if message_id is not None and event.message_id == message_id and event.text == text:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            replies.append(event.message())
    return replies or None


def _patch_answer_once() -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.processor import MessageProcessor

    original_handle = MessageProcessor.handle_message
    if getattr(original_handle, "ahsct_fixed", False):
        return
    original_log = MessageProcessor._handle_message_with_tracker

    async def _handle_message_with_tracker(self: MessageProcessor, message: UserMessage, tracker: Any) -> None:
        replies = answers_to(tracker, message.message_id, message.text)
        if replies is not None:
            raise AlreadyAnswered(replies)
        await original_log(self, message, tracker)

    async def handle_message(self: MessageProcessor, message: UserMessage) -> list[dict[str, Any]] | None:
        try:
            return await original_handle(self, message)
        except AlreadyAnswered as answered:
            logger.info("a retried request was handled before: its answer is sent again")
            for reply in answered.replies:
                await message.output_channel.send_response(message.sender_id, reply)
            if isinstance(message.output_channel, CollectingOutputChannel):
                return message.output_channel.messages
            return None

    handle_message.ahsct_fixed = True  # type: ignore[attr-defined]
    _replace(MessageProcessor, "_handle_message_with_tracker", _handle_message_with_tracker)
    _replace(MessageProcessor, "handle_message", handle_message)


@dataclass(frozen=True)
class Fix:
    name: str
    required: bool  # required: a privacy or correctness promise; optional: speed only
    target: Callable[[], Any]  # the function the fix replaces (raises if Rasa no longer has it)
    parameters: tuple[str, ...]  # its parameters as the fix was written for them
    patch: Callable[[], None]


def _remote_action_target() -> Any:
    from rasa.core.actions.action import RemoteAction

    return RemoteAction._validate_action_result


def _event_lookup_target() -> Any:
    from rasa.shared.core.events import Event

    return Event.resolve_by_type


def _log_redaction_target() -> Any:
    from rasa.utils import log_utils

    return log_utils._anonymizer


def _action_timeout_target() -> Any:
    from rasa.core.actions import action

    if not isinstance(getattr(action, "DEFAULT_REQUEST_TIMEOUT", None), (int, float)):
        raise AttributeError("rasa.core.actions.action has no DEFAULT_REQUEST_TIMEOUT")
    if "DEFAULT_REQUEST_TIMEOUT" not in action.RemoteAction.run.__code__.co_names:
        raise AttributeError("RemoteAction.run no longer uses DEFAULT_REQUEST_TIMEOUT")
    return action.RemoteAction.run


def _patch_action_timeout() -> None:
    from rasa.core.actions import action

    from addons import settings

    timeout, lifetime = settings.action_timeout(), settings.lock_lifetime()
    if timeout >= lifetime:
        raise UnpatchedRasa(
            f"ACTION_TIMEOUT ({timeout} s) must be below TICKET_LOCK_LIFETIME ({lifetime} s): a turn that "
            "outlives its conversation's lock lets the next message of that conversation run at the same time"
        )
    _replace(action, "DEFAULT_REQUEST_TIMEOUT", timeout)


def _answer_once_target() -> Any:
    from rasa.core.processor import MessageProcessor

    return MessageProcessor.handle_message, MessageProcessor._handle_message_with_tracker


FIXES = (
    Fix("remote_action_validation", False, _remote_action_target, ("self", "result"), _patch_remote_action_validation),
    Fix("event_lookup", False, _event_lookup_target, ("type_name", "default"), _patch_event_lookup),
    Fix("log_redaction", True, _log_redaction_target, ("_", "__", "event_dict"), _patch_log_redaction),
    Fix(
        "action_timeout",
        True,
        _action_timeout_target,
        ("self", "output_channel", "nlg", "tracker", "domain"),
        _patch_action_timeout,
    ),
    Fix(
        "answer_once",
        True,
        _answer_once_target,
        ("self", "message", "|", "self", "message", "tracker"),
        _patch_answer_once,
    ),
)


class UnpatchedRasa(RuntimeError):
    """A required fix cannot be applied to the Rasa that is installed."""


def _parameters(target: Any) -> tuple[str, ...]:
    functions = target if isinstance(target, tuple) else (target,)
    found: list[str] = []
    for function in functions:
        found += [*(["|"] if found else []), *inspect.signature(function).parameters]
    return tuple(found)


def check(fix: Fix) -> str | None:
    """Why `fix` cannot be applied to this Rasa, or None if it can (or already is)."""
    try:
        target = fix.target()
    except (ImportError, AttributeError) as missing:
        return f"its target is gone ({missing})"
    functions = target if isinstance(target, tuple) else (target,)
    if getattr(functions[0], "ahsct_fixed", False):
        return None
    found = _parameters(target)
    if found != fix.parameters:
        return f"its target's parameters are {found}, not {fix.parameters}"
    return None


def apply(allow_unpatched: bool | None = None) -> list[str]:
    """Apply every fix whose target matches; returns the names applied. A required fix that does
    not match raises UnpatchedRasa, unless ALLOW_UNPATCHED_RASA=1 (or allow_unpatched)."""
    from addons import settings

    allow = settings.allow_unpatched_rasa() if allow_unpatched is None else allow_unpatched
    applied, refused = [], []
    for fix in FIXES:
        problem = check(fix)
        if problem is None:
            fix.patch()
            applied.append(fix.name)
        elif fix.required:
            refused.append(f"{fix.name}: {problem}")
        else:
            logger.warning("Rasa fix %s not applied: %s (a speed-up only)", fix.name, problem)
    if refused:
        message = "required Rasa fixes cannot be applied: " + "; ".join(refused)
        if not allow:
            raise UnpatchedRasa(message + ". Set ALLOW_UNPATCHED_RASA=1 to run without them.")
        logger.error("%s (ALLOW_UNPATCHED_RASA=1: running without them)", message)
    return applied


def undo() -> None:
    """Put Rasa's own functions back (for tests)."""
    for (owner, name), original in list(_ORIGINALS.items()):
        setattr(owner, name, original)
        del _ORIGINALS[(owner, name)]
    _reset_log_processors()
