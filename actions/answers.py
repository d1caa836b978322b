"""Turn knowledge entries into chat messages. Plain Python, no Rasa import."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from actions.feedback import FEEDBACK_BUTTONS
from actions.knowledge import Entry, Knowledge, Notice, Part, Place, Source
from actions.messages import (
    ALSO_ANSWERED_TEXT,
    AS_ABOVE_TEXT,
    AS_ABOVE_THEN_MORE_TEXT,
    CHANGE_REGION_BUTTON,
    CHANGE_REGION_HINT,
    CHECK_BASED_ON,
    CHECK_HEADINGS,
    CHECK_NEUROLOGIST_HEADING,
    CHECK_NOTHING_ANSWERED_TEXT,
    CHECK_SKIP_BUTTON,
    CHECK_SKIPPED_TEXT,
    CHECK_STOP_BUTTON,
    CHECK_UNSURE_TEXT,
    GENERAL_ANSWER,
    LIVES_IN_BUTTON,
    MORE_BUTTON,
    REGION_BUTTONS,
    REGION_NAMED_QUESTION_TEXT,
    REGION_NOTE,
    REGION_QUESTION_TEXT,
    SIMPLER_TEXT,
    SOURCES_BUTTON,
    SUMMARY_BUTTON,
    UNCHECKED_ANSWERS,
    UNCHECKED_OWN_PLACE_TEXT,
    UNCHECKED_PLACE_TEXT,
)
from actions.places import place_name
from actions.points import Point
from actions.self_check import Comparison, Question
from actions.topics import is_told, other_topic, parts

FAQ_INTENT_PREFIX = "faq_"
MAX_BUTTONS = 3
# Answers under which the notes for the neurologist are offered (and after the self-check's result).
SUMMARY_OFFERED_AFTER = frozenset({"talk_to_neurologist"})
SOMETHING_ELSE = {"title": "Something else", "payload": "/help"}


@dataclass
class Reply:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def entry_id_for_intent(intent: str | None) -> str | None:
    if intent and intent.startswith(FAQ_INTENT_PREFIX):
        return intent[len(FAQ_INTENT_PREFIX) :]
    return None


def intent_for_entry(entry_id: str) -> str:
    return FAQ_INTENT_PREFIX + entry_id


def button_for(entry: Entry) -> dict[str, str]:
    return {"title": entry.question, "payload": "/" + intent_for_entry(entry.id)}


def format_date(value) -> str:
    return f"{value.day} {value:%B %Y}"


def format_source(src: Source) -> str:
    """The full citation, for "where is that from?"."""
    return f"{src.title} ({src.publisher}, {src.year}) {src.url}"


def source_line(part: Part) -> str:
    """One "Source:" line per source of the text shown, with its short label (the web widget
    turns each line into a link)."""
    return "\n".join(f"Source: {src.label} {src.url}" for src in part.sources)


def notice_text(notice: Notice, place: Place | None = None) -> str:
    """A safety or support notice for where the person is, with its own sources, ready to send
    (one message: no blank line, which Rasa's REST channel would split into two)."""
    place = place or Place()
    part = notice.part_for(region=place.region, country=place.country)
    return f"{part.text}\n{source_line(part)}"


def variant_key(entry: Entry, part: Part) -> str | None:
    """Which variant of the entry `part` is ("region.uk", "country.canada", "ms_type.progressive"),
    or None for the short answer."""
    return next((key for key, candidate in entry.parts.items() if candidate is part and "." in key), None)


def answer_key(entry: Entry, part: Part) -> str:
    """How the conversation remembers that this text was shown (for "As above")."""
    return f"{entry.id}:{variant_key(entry, part) or 'answer'}"


def last_shown_part(entry: Entry, answered: Sequence[str]) -> Part | None:
    """The text of `entry` last shown in this conversation, from the `answered` keys
    ("<session>|<entry>:<variant>"), or None if it was not shown."""
    for key in reversed(list(answered or [])):
        entry_id, _, variant = key.rpartition("|")[2].partition(":")
        if entry_id == entry.id:
            return entry.answer_part if variant == "answer" else entry.parts.get(variant)
    return None


def last_shown_entry(knowledge: Knowledge, answered: Sequence[str]) -> Entry | None:
    """The entry of the text shown last in this conversation (a topic, a point or a second answer)."""
    for key in reversed(list(answered or [])):
        entry = knowledge.entries.get(key.rpartition("|")[2].partition(":")[0])
        if entry is not None:
            return entry
    return None


# Topics about the route to treatment in a country: "im in south africa, does anyone do it here" and
# "a trial in brazil?" hear that the country was not checked. (Eligibility's UK and US texts give
# national criteria; its general text is the international one, so it needs no such note.)
PLACE_TOPICS = frozenset({"fda_status", "treatment_abroad", "clinical_trials"})


def depends_on_place(entry: Entry) -> bool:
    return entry.ask_region or entry.id in PLACE_TOPICS


def unchecked_countries(entry: Entry, part: Part, countries: Iterable[str | None]) -> list[str]:
    """The countries (keys, in order) that the text `part` of a place-dependent entry was not written
    for: the person's own country without a text of its own, and countries the message names."""
    shown = variant_key(entry, part)
    if not depends_on_place(entry) or (shown or "").startswith("ms_type."):
        return []  # an MS type's text is the same wherever the person lives
    return [c for c in dict.fromkeys(countries) if c and shown != f"country.{c}"]


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def unchecked_note(knowledge: Knowledge, entry: Entry, part: Part, place: Place, named: Sequence[str]) -> str | None:
    """ "We have not checked the rules in India." for countries without their own text; when the
    person's own country is one, also what the text shown is (the answer for EU countries, or the
    general one) and how to change the country. None when every country has its text."""
    unchecked = unchecked_countries(entry, part, [place.country, *named])
    if not unchecked:
        return None
    places = _listed([place_name(knowledge, Place(country=c)) for c in unchecked])
    if place.region and place.country not in unchecked:
        return UNCHECKED_PLACE_TEXT.format(places=places)
    region = (variant_key(entry, part) or "").partition("region.")[2]
    note = UNCHECKED_OWN_PLACE_TEXT.format(places=places, answer=UNCHECKED_ANSWERS.get(region, GENERAL_ANSWER))
    return f"{note} {CHANGE_REGION_HINT}" if place.country in unchecked else note


def lives_in_button(knowledge: Knowledge, country: str) -> dict[str, str]:
    name = place_name(knowledge, Place(country=country))
    return {"title": LIVES_IN_BUTTON.format(place=name), "payload": f'/followup_context{{"region": "{country}"}}'}


def answer_reply(
    knowledge: Knowledge,
    entry: Entry,
    ms_type: str | None = None,
    place: Place | None = None,
    also_asked: Sequence[str] = (),
    place_label: str | None = None,
    named_countries: Sequence[str] = (),
    ask_where: bool = True,
) -> Reply:
    """The short answer (or its variant for the MS type or place), the sources of that text, the
    review date, and at most three follow-up buttons plus 👍 / 👎.

    An answer written for a place says which one, with a "Change country" button. An entry that
    differs by country and a place not known yet: the general answer, then the question where the
    person lives with the region buttons. `also_asked` are entry ids the person may also have asked
    about in the same message (second-best intents); they come first among the buttons.
    `named_countries` are countries the message names: those without a text of their own are said
    to be unchecked (see unchecked_note). With `ask_where` false the general answer does not ask
    where the person lives (another answer under it will: see region_question_reply).
    """
    place = place or Place()
    part = entry.part_for(ms_type=ms_type, region=place.region, country=place.country)
    key = variant_key(entry, part) or ""
    paragraphs = [part.text]
    # The other topic of a two-question message first, then a way to change the place the answer
    # was written for, the self-check, related questions: at most three, then 👍 / 👎.
    follow_ups = _buttons(knowledge, also_asked, exclude=entry.id)
    unchecked = unchecked_note(knowledge, entry, part, place, named_countries)
    own_unchecked = place.country is not None and place.country in unchecked_countries(entry, part, [place.country])
    if key.startswith(("region.", "country.")) and place_label and not own_unchecked:
        paragraphs.append(REGION_NOTE.format(place=place_label))
    if unchecked:
        paragraphs.append(unchecked)
    if (key.startswith(("region.", "country.")) and place_label) or own_unchecked:
        follow_ups.append(dict(CHANGE_REGION_BUTTON))
    if asks_where(entry, place) and ask_where:
        question = region_question_reply(knowledge, named_countries)
        paragraphs.append(question.text)
        buttons = [*question.buttons, *follow_ups[:1], *FEEDBACK_BUTTONS]
    else:
        follow_ups += self_check_button(knowledge, entry)
        if entry.id in SUMMARY_OFFERED_AFTER:
            follow_ups.append(dict(SUMMARY_BUTTON))
        follow_ups += _buttons(knowledge, entry.related, exclude=entry.id)
        buttons = with_feedback(follow_ups)
    text = "\n\n".join([*paragraphs, source_line(part), f"Last reviewed: {format_date(entry.last_reviewed)}"])
    return Reply(text=text, buttons=buttons)


def with_feedback(follow_ups: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """At most MAX_BUTTONS follow-up buttons, each payload once (the first kept), then 👍 / 👎."""
    unique = list({b["payload"]: b for b in follow_ups}.values())
    return [*unique[:MAX_BUTTONS], *FEEDBACK_BUTTONS]


def region_question_reply(knowledge: Knowledge, named_countries: Sequence[str] = ()) -> Reply:
    """Where do you live?, with the region buttons.

    "hsct available in india?" then "Where do you live?": India is offered first, one tap (a fifth
    stranger typed India twice)."""
    lives_in = [lives_in_button(knowledge, c) for c in named_countries[:1]]
    named = place_name(knowledge, Place(country=named_countries[0])) if named_countries else None
    text = REGION_NAMED_QUESTION_TEXT.format(place=named) if named else REGION_QUESTION_TEXT
    return Reply(text=text, buttons=[*lives_in, *(dict(b) for b in REGION_BUTTONS)])


def asks_where(entry: Entry, place: Place) -> bool:
    """Whether the answer to `entry` asks where the person lives (see answer_reply)."""
    return entry.ask_region and place.region is None


def also_answered_reply(entry: Entry, answer: Reply, buttons_above: Sequence[dict[str, str]], asks: bool) -> Reply:
    """The answer to the other question of a two-question message, under the first answer, with
    the buttons of the message above (one row of buttons per turn) without this topic's own; or
    with the region buttons when it `asks` where the person lives."""
    text = ALSO_ANSWERED_TEXT.format(question=entry.question, answer=answer.text)
    if asks:
        return Reply(text=text, buttons=answer.buttons)
    mine = button_for(entry)["payload"]
    follow_ups = [b for b in [*buttons_above, *answer.buttons] if b not in FEEDBACK_BUTTONS and b["payload"] != mine]
    return Reply(text=text, buttons=with_feedback(follow_ups))


def point_reply(knowledge: Knowledge, point: Point, also_asked: Sequence[str] = ()) -> Reply:
    """The text for the specific point asked, its sources and review date; the topic's general
    answer as the first button, then the other topic asked, then related topics."""
    follow_ups = [button_for(point.entry), *_buttons(knowledge, also_asked, exclude=point.entry.id)]
    follow_ups += _buttons(knowledge, point.entry.related, exclude=point.entry.id)
    text = "\n\n".join(
        [point.part.text, source_line(point.part), f"Last reviewed: {format_date(point.entry.last_reviewed)}"]
    )
    return Reply(text=text, buttons=with_feedback(follow_ups))


def point_text(point: Point) -> str:
    """A second point asked in the same message, under the first answer: its text and sources."""
    return f"{point.part.text}\n{source_line(point.part)}"


def _opening(part: Part, at_least: int) -> str:
    """The text's first sentences, as few as make `at_least` characters (at most three): "No." alone
    says nothing, nor does "AHSCT happens in stages."."""
    sentences = re.split(r"(?<=[.!?])\s+", part.text.strip())
    taken = sentences[:1]
    while len(" ".join(taken)) < at_least and len(taken) < min(3, len(sentences)):
        taken.append(sentences[len(taken)])
    return " ".join(taken)


def as_above_reply(entry: Entry, part: Part) -> Reply:
    """The same answer asked for again: its first sentence, with the detail and sources offered."""
    buttons = [dict(MORE_BUTTON), dict(SOURCES_BUTTON), *FEEDBACK_BUTTONS]
    return Reply(text=AS_ABOVE_TEXT.format(summary=_opening(part, 25)), buttons=buttons)


def as_above_then_more(part: Part) -> str:
    """The one-line reminder above the detail, for the same answer asked again in other words."""
    return AS_ABOVE_THEN_MORE_TEXT.format(summary=_opening(part, 25))


# "say that again simpler", "in plain english", "too much words": the short form, never the detail.
_SIMPLER = re.compile(
    r"\b(?:simpl\w*|plain (?:english|words|language)|easier|shorter|short version|too (?:much|many) words"
    r"|too long|layman'?s?|dumb(?:ed)? (?:it )?down|eli5|in short|not so good|english (?:is )?not)\b",
    re.IGNORECASE,
)


def asks_simpler(text: str | None) -> bool:
    """Whether a follow-up asks for the answer in simpler or fewer words."""
    return isinstance(text, str) and bool(_SIMPLER.search(text))


def simpler_reply(part: Part) -> Reply:
    """The answer in its plainest form: the first sentences of the text shown (about two lines on
    a phone; "In short: AHSCT happens in stages." alone said nothing), with its sources."""
    buttons = [dict(MORE_BUTTON), dict(SOURCES_BUTTON), *FEEDBACK_BUTTONS]
    return Reply(text=f"{SIMPLER_TEXT.format(summary=_opening(part, 80))}\n\n{source_line(part)}", buttons=buttons)


def _buttons(knowledge: Knowledge, ids: Iterable[str], exclude: str = "") -> list[dict[str, str]]:
    buttons: list[dict[str, str]] = []
    seen = {exclude}
    for entry_id in ids:
        entry = knowledge.get(entry_id)
        if entry is None or entry_id in seen:
            continue
        seen.add(entry_id)
        buttons.append(button_for(entry))
        if len(buttons) == MAX_BUTTONS:
            break
    return buttons


def also_asked_about(
    text: str | None,
    answered: str,
    intent_ranking: Iterable[dict],
    min_confidence: float,
    known: Iterable[str],
    questions_asked: Iterable[str] | None = None,
) -> list[str]:
    """The other topic of a two-question message, to offer first under the answer to `answered`:
    the next topic its questions ask about (`questions_asked`, from the NLU: addons/nlu/questions.py),
    else the one its words name (actions/topics.py), else the classifier's second guess if it is
    sure enough. At most one entry id; never the answered entry."""
    known = set(known)
    asked = [e for e in questions_asked or [] if isinstance(e, str) and e != answered and e in known]
    if asked:
        return asked[:1]
    named = other_topic(text, answered)
    if named is not None and named in known:
        return [named]
    return [
        entry_id
        for entry_id, confidence in ranked_entry_ids(intent_ranking)[1:2]
        if confidence >= min_confidence and entry_id != answered
    ]


def ranked_entry_ids(intent_ranking: Iterable[dict]) -> list[tuple[str, float]]:
    """FAQ entry ids from an NLU intent ranking, best first, with their confidence."""
    ranked = []
    for item in intent_ranking or []:
        entry_id = entry_id_for_intent(item.get("name"))
        if entry_id:
            ranked.append((entry_id, float(item.get("confidence") or 0.0)))
    return ranked


def not_sure_buttons(knowledge: Knowledge, intent_ranking: Iterable[dict]) -> list[dict[str, str]]:
    """The three most likely topics as buttons, plus 'Something else'."""
    ids = [entry_id for entry_id, _ in ranked_entry_ids(intent_ranking)]
    return [*_buttons(knowledge, ids), dict(SOMETHING_ELSE)]


def detail_reply(knowledge: Knowledge, entry: Entry) -> Reply:
    """'Tell me more': the entry's longer detail, or its related questions when it has none."""
    buttons = _buttons(knowledge, entry.related, exclude=entry.id)
    detail = entry.detail_part
    if detail is not None:
        return Reply(text=f"{detail.text}\n\n{source_line(detail)}", buttons=buttons)
    return Reply(text=f'That is all I have on "{entry.question}". These may help:', buttons=buttons)


def sources_reply(entry: Entry, part: Part | None = None, detail: bool = False) -> Reply:
    """'Where is that from?': every source of the text last shown (the answer or variant, or
    the detail after "tell me more"), in full, and the entry's review date."""
    part = part or entry.answer_part
    lines = [f'More about "{entry.question}" is based on:' if detail else f'"{entry.question}" is based on:']
    lines += [f"{n}. {format_source(src)}" for n, src in enumerate(part.sources, start=1)]
    lines.append(f"Last reviewed: {format_date(entry.last_reviewed)}")
    return Reply(text="\n".join(lines))


def self_check_button(knowledge: Knowledge, entry: Entry) -> list[dict[str, str]]:
    """The 'check how the criteria compare with my situation' button under eligibility answers."""
    check = knowledge.self_check
    if check is None or entry.id not in check.offered_after:
        return []
    return [{"title": check.button_title, "payload": "/start_eligibility_check"}]


def self_check_question_reply(question: Question) -> Reply:
    """One question of the self-check, its options as buttons, then Skip and Stop."""
    buttons = [{"title": o.title, "payload": o.title} for o in question.options]
    return Reply(text=question.text, buttons=[*buttons, dict(CHECK_SKIP_BUTTON), dict(CHECK_STOP_BUTTON)])


def self_check_result_replies(knowledge: Knowledge, comparison: Comparison) -> list[Reply]:
    """The comparison, the questions for the neurologist, and the sources: three messages.

    Single newlines only: Rasa's REST channel splits a text without buttons at blank lines.
    """
    check = knowledge.self_check
    assert check is not None
    lines = [check.result_intro]
    if comparison.answered:
        for reading, heading in CHECK_HEADINGS.items():
            items = comparison.by_reading.get(reading) or ()
            if items:
                lines.append(heading)
                lines += [f"• {question.label}: {option.title}. {option.note}" for question, option in items]
    else:
        lines += [CHECK_NOTHING_ANSWERED_TEXT, knowledge.entries["eligibility"].answer]
    if comparison.unsure:
        lines.append(CHECK_UNSURE_TEXT.format(", ".join(q.label for q in comparison.unsure)))
    if comparison.skipped and comparison.answered:
        lines.append(CHECK_SKIPPED_TEXT.format(", ".join(q.label for q in comparison.skipped)))
    asks = [CHECK_NEUROLOGIST_HEADING, *(f"• {ask}" for ask in comparison.neurologist_questions)]
    sources = [
        CHECK_BASED_ON,
        *(f"{n}. {format_source(src)}" for n, src in enumerate(check.sources, start=1)),
        f"Last reviewed: {format_date(check.last_reviewed)}",
    ]
    return [
        Reply(text="\n".join(lines)),
        Reply(text="\n".join(asks)),
        Reply(text="\n".join(sources), buttons=[dict(SUMMARY_BUTTON), *FEEDBACK_BUTTONS]),
    ]


# A trial named like "BEAT-MS" or "NET-MS" ("What were the results of the NET-MS trial?" got the trials
# answer as if it were about it: a seventh stranger, 2026-12-02).
_TRIAL_NAME = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{3,8}-MS)(?![A-Za-z0-9])", re.IGNORECASE)


_ALL_TEXT: dict[int, str] = {}


def _all_text(knowledge: Knowledge) -> str:
    """Every text of the knowledge file's entries, lower case; built once per knowledge file loaded."""
    if id(knowledge) not in _ALL_TEXT:
        _ALL_TEXT.clear()
        _ALL_TEXT[id(knowledge)] = " ".join(
            part.text for entry in knowledge.entries.values() for part in entry.parts.values()
        ).lower()
    return _ALL_TEXT[id(knowledge)]


def unknown_trials(knowledge: Knowledge, text: str | None) -> list[str]:
    """Trial names ("NET-MS") in `text` that no text of the knowledge file mentions, as written."""
    known = _all_text(knowledge)
    names = dict.fromkeys(m.group(1) for m in _TRIAL_NAME.finditer(text or ""))
    return [name for name in names if name.lower() not in known]


# A two-question message longer than this is a story around its questions: the other topic is only
# offered. On the tuning sets (never the blind set; 200 two-question messages, 1,090 of one topic or a
# situation): both topics answered 171 / 159 / 149 at no limit / 30 / 25 words, and another topic
# answered to a message that asked one in 146 / 20 / 15 (most of them long stories).
TWO_QUESTIONS_MAX_WORDS = 30


def other_to_answer(
    text: str | None, answered: str, questions_asked: Iterable[str] | None, known: Iterable[str]
) -> str | None:
    """The other topic of a message that asks two questions, to answer too, not only offer: the next
    topic its questions ask about (the NLU's `questions_asked`), else the one its other question
    names (actions.topics.other_topic); never the classifier's second guess. Only for a message of
    at most TWO_QUESTIONS_MAX_WORDS with two parts asked, not told (actions.topics.is_told)."""
    text = text or ""
    if len(text.split()) > TWO_QUESTIONS_MAX_WORDS or sum(1 for p in parts(text) if not is_told(p, text)) < 2:
        return None
    known = set(known)
    asked = [e for e in questions_asked or [] if isinstance(e, str) and e != answered and e in known]
    if asked:
        return asked[0]
    named = other_topic(text, answered)
    return named if named in known else None
