"""Commands ("stop", "start over", "help") only when the message is the command. Plain Python.

The classifier learns these intents from words, so "we want kids... would it stop that?" came
out as the command stop. A command intent is kept when the whole message is one of the ways
people give that command (a few words, maybe with "please" or "ok"), or, for stop, help and start,
when the message does not use the command's own words at all ("what topics do you cover", "i don't
want to carry on"): then it was the meaning, not a word, that the classifier went by. "start over"
forgets the conversation, so it is kept only for the command itself.
"""

from __future__ import annotations

import re

from actions.self_check import SKIP_PHRASES

COMMAND_INTENTS = ("stop", "start_over", "help", "start")

_POLITE = (
    r"(?:(?:ok|okay|please|pls|plz|just|now|thanks|thank you|then|right|yes|can you|can we|could you"
    r"|i want to|i'd like to|id like to|let's|lets)\s+)*"
)
_AFTER = r"(?:\s+(?:please|pls|plz|now|thanks|thank you|then|for now|for today|it|this|that))*"
_COMMANDS = {
    "stop": (
        r"(?:stop|cancel|quit|exit|end|abort|enough|no more"
        r"|stop (?:it|this|that|asking|checking|the (?:check|quiz|questions?|test|self.?check))"
        r"|end (?:the|this) (?:check|chat|conversation)|i'?m done|im done|that'?s enough)"
    ),
    "start_over": (
        r"(?:start (?:over|again|afresh|from scratch)|(?:restart|reset)(?: (?:the|this|my) (?:chat|conversation))?"
        r"|begin again|(?:start )?(?:a )?new (?:chat|conversation|start)"
        r"|clear (?:the |this |my )?(?:chat|conversation|history|data)"
        r"|forget (?:everything|this|it all|what i (?:said|told you))|wipe (?:it|this|the chat))"
    ),
    "help": (
        r"(?:help|help me|menu|topics|options|main menu|what can (?:you|i) (?:do|ask|help with)"
        r"|what do you (?:do|know)|what can you tell me(?: about)?|how does this work|what should i ask|\?+)"
    ),
    "start": r"(?:/?start|get started|begin)",
}
_PATTERNS = {intent: re.compile(rf"{_POLITE}{pattern}{_AFTER}") for intent, pattern in _COMMANDS.items()}
# The words of each command that also occur in questions ("would it stop that?", "can hsct help?").
_COMMAND_WORDS = {
    # With the self-check's ways to pass on one question (actions/self_check.py: "skip", "pass",
    # "move on"); with sentence features the classifier took "skip" for stop.
    "stop": re.compile(
        r"\b(?:stop\w*|cancel\w*|quit\w*|exit\w*|end\w*|abort\w*|enough|done|skip\w*|"
        + "|".join(re.escape(phrase) for phrase in SKIP_PHRASES)
        + r")\b"
    ),
    "help": re.compile(r"\b(?:help\w*|options?)\b"),
    "start": re.compile(r"\b(?:start\w*|begin\w*|began)\b"),
}


# A message that only acknowledges the answer ("ok", "i see", "got it") is taken like "thanks": "ok"
# after a cost answer got "We have not checked this for Canada yet" again, "i see" got "Goodbye" and
# "right" got "Sorry, I got that wrong" (a nineteenth stranger, 2026-12-03). Not "yes", "no" or "sure":
# those answer the self-check's questions.
ACKNOWLEDGEMENT_INTENT = "thanks"
_ACKNOWLEDGEMENT = re.compile(
    r"(?:(?:oh|ah|ahh|ok|okay|okey|k|kk|right|alright|all right|cool|hm+|mm+|i see|got it|gotcha"
    r"|understood|makes sense|that makes sense|fair enough|noted|fine|good|great|i understand"
    r"|ok then|okay then|right then|alright then)\s*)+"
)


def is_acknowledgement(text: str | None) -> bool:
    """Whether the whole message only acknowledges what was said ("ok", "oh i see", "ok got it")."""
    return bool(_ACKNOWLEDGEMENT.fullmatch(_normalise(text or "")))


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    return " ".join(re.sub(r"[^a-z0-9'?/ ]+", " ", text).split()).strip(" ?") or text.strip()


def command_in(text: str | None) -> str | None:
    """The command a message is, as a whole ("start over", "please stop"), or None."""
    said = _normalise(text or "")
    return next((intent for intent, pattern in _PATTERNS.items() if pattern.fullmatch(said)), None)


def keeps_command(intent: str, text: str | None) -> bool:
    """Whether the classifier's command `intent` stands for `text`: the message is the command, or
    (not for start_over) it asks for it without any of the command's words."""
    if is_command(intent, text):
        return True
    words = _COMMAND_WORDS.get(intent)
    return words is not None and not words.search(_normalise(text or ""))


def is_command(intent: str, text: str | None) -> bool:
    """Whether `text` is, as a whole, a way of giving the command `intent`."""
    pattern = _PATTERNS.get(intent)
    if pattern is None:
        return True
    said = _normalise(text or "")
    return bool(pattern.fullmatch(said))
