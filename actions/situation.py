"""What a person's description of their situation says, in the self-check's terms. Plain Python.

"i had 2 relapses this year and new lesions on my mri. im 41" gives age 18-44 and recent
activity yes. Each self-check question is read only where the message says something clear
about it; nothing is guessed. The result fills in the self-check, which then asks only the rest.
"""

from __future__ import annotations

import datetime as dt
import re

from actions.self_check import Option, Question, SelfCheck, normalise, readings

# Option words that mean something only as the answer to that question ("yes", "no", "fine")
# are not read from a free description.
_ANSWER_ONLY = frozenset(
    {"yes", "yeah", "yep", "yup", "y", "no", "nope", "nah", "n", "fine", "none", "working", "growing"}
    | {"primary", "secondary", "quiet", "active", "stick", "frame", "normally", "not allowed", "not suitable"}
    | {"recently", "this year", "last year", "last month", "few months", "few years", "months ago", "weeks ago"}
    | {"side effects", "no problem", "no problems", "on my own", "it works", "not yet", "never had", "stable"}
)

# What follows a number that is not an age: "41 years ago", "2 relapses", "3 months".
_NOT_AN_AGE = (
    r"(?! ?(?:years? (?:ago|since|with|of|on|post|into|in)|yrs? (?:ago|with|into|in)"
    r"|months?|weeks?|days?|relapses?|lesions?|times?|kg|%))"
)
_AGE = [
    # A correction: "I'm actually 43 not 47", "my age is 43" (a stranger's conversation, 2026-12-01).
    re.compile(r"\b(?:my age is|age is|i'?m|im|i am) (?:actually|really|only|just|now)\s+(\d{2})\b" + _NOT_AN_AGE),
    re.compile(r"\bmy age is\s+(\d{2})\b"),
    re.compile(
        r"\b(?:i'?m|im|i am|aged|age|she'?s|he'?s|she is|he is|they'?re|who is|who'?s)\s+(\d{2})\b" + _NOT_AN_AGE
    ),
    re.compile(r"\b(\d{2}) ?(?:years? old|yrs? old|yo|y o|year old)\b"),
    re.compile(r"\b(\d{2}) ?[mf]\b"),
    re.compile(
        r"\b(?:wife|husband|partner|son|daughter|mum|mom|mother|dad|father|brother|sister|friend|girlfriend|boyfriend)"
        r"(?: is|'s| who is)? (\d{2})\b" + _NOT_AN_AGE
    ),
]
_SINCE_YEAR = re.compile(
    r"\b(?:diagnosed|dx|dx'd|symptoms? (?:started|began|start)|first symptoms?|ms since|had ms since|since)"
    r"(?: in| back in| around| about)? (19\d\d|20\d\d)\b"
)
_FOR_YEARS = re.compile(
    r"\b(?:diagnosed|dx|dx'd|symptoms? (?:started|began)|first symptoms?|had ms|ms for|with ms for|living with ms for"
    r"|ms|rrms|spms|ppms)\D{0,25}?(\d{1,2}) ?(?:years?|yrs?)(?: ago)?\b"
)
# EDSS, the disability scale neurologists use: 6 means needing one stick to walk 100 m, 6.5 two
# sticks or a frame, 7 and above mostly a wheelchair.
_EDSS = re.compile(r"\bedss(?: score)?(?: of| is| was| at| around| about)? (\d(?:[.,]\d)?)\b")


# MS active on a strong drug: "had my 3rd relapse this year even on ocrevus" (a twentieth stranger,
# 2026-12-03, whose situation reply left the strong drugs out). Not other drugs ("2 relapses last year
# on tecfidera"), and not "no relapses since starting ocrevus".
_STRONG_DMT = (
    r"(?:tysabri|natalizumab|lemtrada|alemtuzumab|ocrevus|ocrelizumab|kesimpta|ofatumumab|mavenclad|cladribine"
    r"|briumvi|ublituximab|rituximab|rituxan)"
)
_ACTIVE_ON_STRONG_DMT = re.compile(
    rf"\b(?:relaps\w*|lesions?|attacks?|flare\w*)\b(?P<gap>[^.?!]{{0,40}}?)\b(?:on|despite|taking)\s+(?:the\s+)?{_STRONG_DMT}\b"
    rf"|\b(?:despite|even on|still on)\s+{_STRONG_DMT}\b[^.?!]{{0,30}}?\b(?:relaps\w*|new lesions?|attacks?|flare\w*)\b"
)
_NOT_ACTIVE = re.compile(r"\b(?:no|zero|without|free|stable|since|never|not|havent|haven't|hasnt|hasn't)\b")


_CLAUSE_END = re.compile(r"[.,;!?\n]+")

# A strong drug that has not worked, said of the drug: "Tysabri hasn't stopped it", "Ocrevus not working
# well" (a twenty-eighth stranger, 2026-12-03). Not "my legs aren't working".
_NOT = r"(?:not|isn'?t|is not|hasn'?t|has not|didn'?t|did not|doesn'?t|does not|wasn'?t|was not|never)"
_FAILED = re.compile(
    rf"\b{_STRONG_DMT}\b[^.?!,;]{{0,25}}?\b{_NOT}\s+(?:really\s+|been\s+|fully\s+)?"
    r"(?:work\w*|stopp?\w*|help\w*|control\w*|slow\w*)\b"
    rf"|\b{_STRONG_DMT}\b[^.?!,;]{{0,25}}?\b(?:failed|is failing|stopped working)\b"
)


def _failed(text: str | None) -> bool:
    return bool(_FAILED.search((text or "").lower().replace("\u2019", "'")))


def _active_on_a_strong_drug(text: str) -> bool:
    for match in _ACTIVE_ON_STRONG_DMT.finditer(text):
        before = text[max(0, match.start() - 15) : match.start()]
        if not _NOT_ACTIVE.search(before) and not _NOT_ACTIVE.search(match.group("gap") or ""):
            return True
    return False


def _usable(phrase: str) -> bool:
    return normalise(phrase) not in _ANSWER_ONLY


def _find(phrase: str, text: str) -> bool:
    return re.search(rf"(?<![a-z0-9']){re.escape(normalise(phrase))}(?![a-z0-9'])", text) is not None


def _by_words(question: Question, text: str) -> Option | None:
    """The option whose longest usable phrase is in the text (negated phrases read as
    `actions.self_check.readings` says); None if options of different readings are both named ("no
    relapses but new lesions" is unclear, so it is left to ask)."""
    found = [(phrase, option) for phrase, option in readings(question, text) if _usable(phrase)]
    if not found:
        return None
    longest = max(found, key=lambda reading: len(normalise(reading[0])))[1]
    # "no new lesions" contains "new lesions": the longer phrase decides. Two separate answers
    # ("no relapses but new lesions") leave the question to ask.
    said_longest = [normalise(phrase) for phrase, option in found if option is longest]
    for phrase, option in found:
        if option is not longest and not any(_find(phrase, said) for said in said_longest):
            return None
    return longest


def _band(question: Question, number: int | None) -> str | None:
    if number is None:
        return None
    return next((o.value for o in question.options if o.holds(number)), None)


def _age(text: str) -> int | None:
    for pattern in _AGE:
        match = pattern.search(text)
        if match and 16 <= int(match.group(1)) <= 90:
            return int(match.group(1))
    return None


def _years(text: str, today: dt.date) -> int | None:
    match = _SINCE_YEAR.search(text)
    if match and int(match.group(1)) <= today.year:
        return today.year - int(match.group(1))
    match = _FOR_YEARS.search(text)
    if match and int(match.group(1)) <= 60:
        return int(match.group(1))
    return None


def _walking_from_edss(question: Question, score: float) -> str | None:
    wanted = "unaided" if score < 6 else "one_aid" if score < 6.5 else "two_aids" if score < 7 else "wheelchair"
    return wanted if question.option(wanted) is not None else None


def understand(check: SelfCheck, text: str | None, today: dt.date | None = None) -> dict[str, str]:
    """Question id -> option value, for what the description says clearly."""
    today = today or dt.date.today()
    said = normalise(text or "")
    # A negation reaches no further than its clause: "Ocrevus not working well, new lesions" was read as
    # no new lesions, and "Tysabri hasn't stopped it. 4 relapses" as no relapses (a twenty-eighth
    # stranger, 2026-12-03, whose reply said "Recent activity: No"). "but" ends a negation's reach.
    clauses = " but ".join(c for c in (normalise(part) for part in _CLAUSE_END.split(text or "")) if c)
    found: dict[str, str] = {}
    for question in check.questions:
        if question.number == "age":
            value = _band(question, _age(said))
        elif question.number == "years":
            value = _band(question, _years(said, today))
        elif (
            question.id == "walking"
            and _by_words(question, clauses) is None
            and (edss := _EDSS.search((text or "").lower()))
        ):
            # What the person says of their walking comes first: "i use a stick outside now, neuro said
            # edss 5.5" was read as walking without help (a stranger's conversation, 2026-12-01).
            value = _walking_from_edss(question, float(edss.group(1).replace(",", ".")))
        else:
            option = _by_words(question, clauses)
            value = option.value if option else None
            if value is None and question.id == "dmt_failed" and (_active_on_a_strong_drug(said) or _failed(text)):
                value = "yes"
        if value is not None:
            found[question.id] = value
    return found
