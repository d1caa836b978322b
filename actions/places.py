"""Where the person lives, as opposed to places they only mention. Plain Python, no Rasa import.

Only a statement about the person's own location sets it: "I live in Ohio", "we're in the US",
"from Canada", or a bare answer such as "UK" or "ohio". A destination or a topic does not:
"clinics in Mexico", "the NHS policy", "is it cheaper in Russia". In "I'm in the US, not Mexico"
the place after the statement counts and the one after "not" does not.
"""

from __future__ import annotations

import re

from actions.knowledge import Entry, Knowledge, Place

# Words just before a place that make it where the person lives. "from" only as "I'm from",
# "we're from", "originally from" or at the start of the message ("from Canada").
_CUE = re.compile(
    r"(?:\b(?:i|we) (?:live|reside|stay)|\b(?:i'?m|im|i am|we'?re|we are|were) (?:living|based|located|staying)"
    r"|\b(?:i'?m|im|i am|we'?re|we are)|\bliving|\bbased|\blocated|\b(?:i|we)(?: have|'ve)? (?:just )?moved"
    # "live" with no subject, in a self-description: "im 52 with spms, edss 6.5, live in ohio" (2026-12-03:
    # the cost then asked "Where do you live?"); not "people who live in the uk", "do you live in".
    r"|(?<!who )(?<!they )(?<!you )(?<!people )(?<!patients )(?<!those )(?<!to )(?<!can )(?<!could )(?<!would )"
    r"(?<!does )(?<!do )(?<!will )(?<!that )(?<!she )(?<!he )(?<!others )(?<!anyone )(?<!someone )\blive"
    r"|\bmoved|\bresident|\bhome is|\bhere|\bmy country is|\bcountry is"
    # "my neuro in houston says no" (a fifteenth stranger, 2026-12-03: "Where do you live?" came later).
    r"|\bmy (?:neuro\w*|doctor|gp|consultant|ms nurse|ms team|local hospital)(?: is| here)?)"
    r"(?: (?:in|at|to|over in|down in|up in|out in|here in|over here in|right here in|of))?(?: the)? $"
)
# Who the person is, then where: "im 45 from glasgow", "45 year old woman in glasgow", "34M, Ontario"
# (strangers' conversations, 2026-12-01: the place was not kept and "Where do you live?" came later).
_PROFILE = re.compile(
    r"(?:\b\d{1,2} ?(?:m|f|yo|y o|yrs? old|years? old|year old)(?: (?:male|female|man|woman|guy|lady|mum|mom|dad))?"
    r"|\b(?:i'?m|im|i am|aged?) \d{1,2})(?: (?:in|from|living in|based in))?(?: the)? $"
)
# A town before the country: "were in cork ireland", "im from leeds uk" (a seventh stranger, 2026-12-02:
# "Where do you live?" came later).
_CUE_TOWN = re.compile(
    r"\b(?:live|living|based|located|staying|i'?m|im|i am|we'?re|we are) (?:in|near|outside|from) (?!the )[a-z']{3,} $"
    r"|(?:^|\b(?:i'?m|im|i am|we'?re|we are|originally)\s)from (?!the )[a-z']{3,} $"
)
_FROM = re.compile(r"(?:^|\b(?:i'?m|im|i am|we'?re|we are|originally|both|all|are|is)\s)from(?: the)? $")
# Words that may stand beside a place in a bare answer ("uk please", "in the us", "i'm in ohio").
_FILLERS = frozenset(
    {"i", "im", "i'm", "am", "we", "we're", "are", "in", "the", "from", "live", "living", "based", "here"}
    | {"please", "thanks", "thank", "you", "ok", "okay", "its", "it's", "my", "country", "is", "currently"}
    | {"now", "yes", "sorry", "at", "said", "told", "already"}
)

_PUNCTUATION = re.compile(r"[^a-z0-9' ]+")
# Just before a place that is not where the person lives: "I'm in the US, not Mexico".
_NOT_BEFORE = re.compile(r"\bnot (?:in |from )?(?:the )?$")
# A statement that the person does not live there: "i dont live in the uk", "we no longer live in
# Spain", "I'm not based in the US" (a fourteenth stranger, 2026-12-02: the first set the UK).
_NOT_LIVING = re.compile(
    r"\b(?:dont|don't|don t|do not|doesn't|does not|didn't|never|no longer|not|aren't|arent|isn't|isnt)"
    r"(?: (?:really|actually|currently|even|yet))? (?:live|lived|living|reside|based|located|staying|from|in)"
    r"(?: (?:in|at|to|over in|out in))?(?: the)? $"
)


def _said_not_there(before: str) -> bool:
    """Whether the words just before a place say it is not where the person lives ("not Mexico", "i dont
    live in the uk")."""
    return bool(_NOT_BEFORE.search(before) or _NOT_LIVING.search(before))


# "US" or "U.S." as written, in capitals: the country, not the pronoun.
_US = re.compile(r"(?<![A-Za-z])U\.?S\.?(?:A\.?)?(?![A-Za-z])")


def _with_us(text: str) -> str:
    """The text with a capitalised "US" spelt out, so the place words find it."""
    return _US.sub(" united states ", text)


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


_PATTERNS: dict[int, tuple[re.Pattern[str], dict[str, str]]] = {}


def _place_words(knowledge: Knowledge) -> tuple[re.Pattern[str], dict[str, str]]:
    """Cached per knowledge file loaded: see _build."""
    if id(knowledge) not in _PATTERNS:
        _PATTERNS.clear()
        _PATTERNS[id(knowledge)] = _build(knowledge)
    return _PATTERNS[id(knowledge)]


def _build(knowledge: Knowledge) -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern of every place word of the knowledge file's terms (longest first) and, for each,
    the key the region slot keeps: the country's key if it is one, else the region's."""
    keys: dict[str, str] = {}
    for region, words in knowledge.terms.get("region", {}).items():
        # A region's key is a word for it too, except "us", the pronoun (see _US below).
        for word in (*([region] if region != "us" else []), *words):
            normal = _normalise(word)
            if normal:
                keys.setdefault(normal, knowledge.country(word) or region)
    for country in knowledge.countries.values():
        for word in (country.key.replace("_", " "), *country.words):
            normal = _normalise(word)
            if normal:
                keys[normal] = country.key
    alternatives = "|".join(re.escape(word) for word in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9']){'(?:' + alternatives + ')' if alternatives else '(?!)'}(?![a-z0-9'])"), keys


# Just before a place someone would travel to for treatment: "the clinic in mexico", "going to russia".
_DESTINATION = re.compile(
    r"\b(?:clinics?|hospitals?|centres?|centers?|treatment|go|going|goes|went|travel\w*|fly|flying|flew)"
    r" (?:in|at|from|to|over to|out to|abroad to)(?: the)? $"
)


def _named_in_context(text: str | None, knowledge: Knowledge) -> list[tuple[str, bool, bool]]:
    """Each place key a message names, in order; whether the person says they do not live there; and
    whether it is named as where a clinic is or where someone goes."""
    pattern, keys = _place_words(knowledge)
    said = _normalise(_with_us(text or ""))
    return [
        (keys[m.group(0)], bool(_NOT_LIVING.search(said[: m.start()])), bool(_DESTINATION.search(said[: m.start()])))
        for m in pattern.finditer(said)
    ]


def destinations(text: str | None, knowledge: Knowledge) -> list[str]:
    """The place keys named as where a clinic is or where someone goes ("the clinic in mexico")."""
    return [key for key, _, destination in _named_in_context(text, knowledge) if destination]


def mentioned_places(text: str | None, knowledge: Knowledge) -> list[str]:
    """The place keys a message names, in order, whoever they are about, but not one the person says
    they do not live in ("i dont live in the uk")."""
    return [key for key, denied, _ in _named_in_context(text, knowledge) if not denied]


def denied_places(text: str | None, knowledge: Knowledge) -> list[str]:
    """The place keys the message says the person does not live in ("i dont live in the uk")."""
    return [key for key, denied, _ in _named_in_context(text, knowledge) if denied]


def stated_place(text: str | None, knowledge: Knowledge) -> str | None:
    """The key (country or region) of where the message says the person lives, or None."""
    bare = _normalise(text or "")
    if bare in ("us", "usa", "the us", "in the us", "us please"):
        return "us"  # a bare answer: "us" cannot be the pronoun here
    said = _normalise(_with_us(text or ""))
    if not said:
        return None
    pattern, keys = _place_words(knowledge)
    found = list(pattern.finditer(said))
    for match in found:
        before = said[: match.start()]
        tail = before[-40:]
        cued = _CUE.search(tail) or _FROM.search(before) or _PROFILE.search(tail) or _CUE_TOWN.search(tail)
        if cued and not _said_not_there(tail):
            return keys[match.group(0)]
    if len(found) == 1:
        rest = (said[: found[0].start()] + " " + said[found[0].end() :]).split()
        if all(word in _FILLERS for word in rest):
            return keys[found[0].group(0)]  # a bare answer: "UK", "ohio please", "in the us"
    named = {keys[match.group(0)] for match in found}
    if len(named) == 1 and ASKS_ABOUT_HERE.search(said) and not destinations(text, knowledge):
        # "G'day. 47, PPMS dx 6 yrs ago, EDSS about 5. Melbourne. Can I get HSCT here" was asked where he
        # lives (a twenty-fourth stranger, 2026-12-03): the one place named is "here".
        return named.pop()
    return None


# Whether it can be had where the person lives: "can she get it here", "is it done here", "available
# in our country".
ASKS_ABOUT_HERE = re.compile(
    r"\b(?:get|have|do|does|done|offer\w*|availab\w*|treat\w*)\b(?: \w+){0,3}"
    r" (?:here|in (?:my|our|this|her|his) country|locally|at home|where (?:i|we|she|he) live)\b"
)


def only_place_named(text: str | None, knowledge: Knowledge) -> str | None:
    """The key of the one place a message names, when it names one and not after "not": for a
    message that is about where the person lives ("australia!! i said aus. is it covered there"),
    where `stated_place` needs a cue such as "I live in"."""
    said = _normalise(_with_us(text or ""))
    pattern, keys = _place_words(knowledge)
    found = list(pattern.finditer(said))
    if any(_said_not_there(said[: match.start()]) for match in found):
        return None
    named = {keys[match.group(0)] for match in found}
    return named.pop() if len(named) == 1 else None


REGION_NAMES = {"uk": "the UK", "us": "the US", "eu": "an EU country", "other": "a country outside the UK, US and EU"}


def place_name(knowledge: Knowledge, place: Place) -> str:
    """How an answer names the place it was written for: "Canada", "the UK"."""
    if place.country:
        name = place.country.replace("_", " ").title()
        return f"the {name}" if name.lower() in ("netherlands", "czech republic") else name
    return REGION_NAMES.get(place.region or "", "where you live")


# Approval is a question about the place it names, wherever the person lives: "is it approved in
# australia" got the FDA answer (a stranger's conversation, 2026-12-01). So are getting it and trials
# there: "hsct melbourne" got "We have not checked Australia yet" and the general answer, though the
# knowledge file has Australia's (a ninth stranger, 2026-12-02).
PLACE_NAMED_ENTRIES = frozenset({"fda_status", "access", "clinical_trials"})


def countries_named(knowledge: Knowledge, text: str, place: Place | None = None) -> list[str]:
    """The countries (keys) a message names, whoever they are about: "hsct in india how much". Where the
    answer is for a known place, not a country named only as where a clinic is ("my neuro in houston says
    no but the clinic in mexico says its approved" got "We have not checked this for Mexico yet", twice:
    a fifteenth stranger, 2026-12-03)."""
    away = set(destinations(text, knowledge)) - {place.country} if place is not None and place.region else set()
    return [key for key in mentioned_places(text, knowledge) if knowledge.place(key).country and key not in away]


def place_asked_about(knowledge: Knowledge, entry: Entry, text: str) -> Place | None:
    """For PLACE_NAMED_ENTRIES, the first known place the message names; else None."""
    if entry.id not in PLACE_NAMED_ENTRIES:
        return None
    return next((p for p in map(knowledge.place, mentioned_places(text, knowledge)) if p.region), None)
