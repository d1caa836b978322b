"""Which term of the knowledge file's glossary a message asks the meaning of: "what is neda",
"sorry dumb question but what is a relapse exactly?", "what does EDSS stand for", "jacie?".

Only a question about the word itself counts: "what is the relapse rate after hsct" and "i had 2
relapses this year" name a term without asking what it means."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from actions.knowledge import Definition
from actions.topics import lowered
from actions.tracker_utils import asks_a_question

# Longer than this, a message is about more than one word (a story, several questions).
MAX_WORDS = 30

_ARTICLE = r"(?:(?:a|an|the|this|that|these|those|term|word|thing|called|so[- ]called)\s+)*"
# What may follow the term in a question about its meaning.
_AFTER = (
    r"(?=\s*(?:$|[?.!,;:)\"']|exactly|actually|again|please|pls|plz|lol|mean|means|meant|stand|stands"
    r"|in (?:ms|a?hsct|this|that|the (?:context|study|studies|paper|article))"
    r"|you (?:mentioned|said|keep)|i keep|people keep|ppl keep"
    r"|that (?:you|people|ppl|my|the|they)|my (?:neuro|neurologist|doctor|nurse)|and (?:how|why|what|is|does)))"
)


# A score after the term, and words before "mean": "wat does edss 6.5 even mean tho" got the eligibility
# answer (a twenty-eighth stranger, 2026-12-03).
_SCORE = r"(?:\s+(?:score\s+)?(?:of\s+)?\d{1,2}(?:[.,]\d)?)?"
_QUOTE = r"[\"'\u2018\u2019\u201c\u201d]?"
_FILLER = r"(?:\s+(?:even|actually|exactly|really|really even))?"


@lru_cache(maxsize=8)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    term = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    asked = (
        r"(?:what|wat|wht|whats|what's)(?:\s+(?:is|are|r|was|does|do|exactly is|is an?|s))?\s+"
        + _ARTICLE
        + rf"{_QUOTE}(?P<a>{term}){_QUOTE}{_SCORE}{_AFTER}"
        + rf"|(?:meaning|definition|explanation) of\s+{_ARTICLE}(?P<b>{term})\b"
        + rf"|(?:what (?:counts|classes|qualifies) as|what is meant by)\s+{_ARTICLE}(?P<g>{term}){_AFTER}"
        + rf"|(?:define|explain)\s+{_ARTICLE}(?P<c>{term}){_AFTER}"
        + r"|(?:what does|what do|wat does|wot does|what dose|what does a|what would)\s+"
        + rf"{_ARTICLE}{_QUOTE}(?P<d>{term}){_QUOTE}{_SCORE}{_FILLER}\s+(?:mean|stand)"
        + rf"|^{_ARTICLE}(?P<e>{term})\s*(?:meaning|definition|\?+|mean\w*\?*)?\s*$"
        + r"|(?:dont|don't|do not|didnt|didn't|never) (?:know|understand|get) what\s+"
        + rf"{_ARTICLE}(?P<f>{term})\s+(?:is|means)"
    )
    return re.compile(rf"(?:^|(?<=[\s,.;:!?(]))(?:{asked})", re.IGNORECASE)


_CLOSING = re.compile(
    r"^\s*(?:(?:exactly|actually|again|please|pls|mean\w*|stand\w*(?: for)?|(?:in|for|with|during|after) (?:ms|a?hsct"
    r"|(?:this|that|the) (?:context|case|study|studies|paper|article|transplant|treatment)|this|that|it"
    r"|(?:a |the )?stem cell transplant))\b\s*)*"
    r"[?.!,;:]*"
)
# What the word means for someone: "what does EDSS 7 mean for my risk though" got the definition (a
# thirty-first stranger, 2026-12-03).
_FOR_SOMEONE = re.compile(r"\s*for (?:my|his|her|their|our|me|him|them|us|the)\b(?! (?:ms|a?hsct)\b)")
_ANOTHER = re.compile(
    r"\b(?:and|but|also|plus|or)\s+(?:why|how|what|whats|when|where|which|who|is|are|does|do|can|will|should|would)\b"
)


def _asks_more(rest: str) -> bool:
    """Whether the message goes on to ask something else ("what is mobilisation and why is it
    needed?", "whats BEAM and how many people die from that version"): then the topic's answer,
    which explains the word too, serves better than the definition alone."""
    rest = _CLOSING.sub("", rest, count=1)
    return asks_a_question(rest) or bool(_ANOTHER.search(rest) or _FOR_SOMEONE.match(rest))


def _words_of(glossary: Mapping[str, Definition]) -> dict[str, str]:
    return {word: term.id for term in glossary.values() for word in term.words}


def term_asked(text: object, glossary: Mapping[str, Definition]) -> str | None:
    """The glossary term whose meaning the message asks, or None."""
    if not isinstance(text, str) or not glossary:
        return None
    said = lowered(text)
    if not said or len(said.split()) > MAX_WORDS:
        return None
    owners = _words_of(glossary)
    found = _pattern(tuple(owners)).search(said)
    if found is None or _asks_more(said[found.end() :]):
        return None
    word = next(g for g in found.groups() if g)
    return owners.get(" ".join(word.lower().split()))


def terms_known(glossary: Mapping[str, Definition]) -> list[str]:
    """The first word of each term, as the assistant lists them ("NEDA, relapse, EDSS ...")."""
    return [term.words[0].upper() if len(term.words[0]) <= 5 else term.words[0] for term in glossary.values()]


def definition_text(term: Definition) -> str:
    """The definition with its sources and review date, as one message."""
    from actions.answers import format_date, notice_text

    return f"{notice_text(term)}\nLast reviewed: {format_date(term.last_reviewed)}"


def unknown_term_text(glossary: Mapping[str, Definition]) -> str:
    """For a word the glossary does not have: the words it does explain."""
    return f"I can explain these words: {', '.join(terms_known(glossary))}. Which one would you like?"
