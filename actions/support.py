"""Rasa actions for the person rather than a topic: feelings, "that's not what I meant", where they
live, and a description of their situation. Support replies never carry topic content."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    answer_reply,
    button_for,
    last_shown_entry,
    not_sure_buttons,
    notice_text,
    point_reply,
)
from actions.knowledge import Entry, Knowledge, Place
from actions.language import ONLY_ENGLISH_TEXT, language_request_texts, only_english_text
from actions.messages import (
    ALONE_TEXT,
    ANGRY_TEXT,
    CHANGE_REGION_TEXT,
    DYING_FEAR_FAMILY_TEXT,
    DYING_FEAR_TEXT,
    FIRST_TURN_NOTE,
    IN_TREATMENT_TEXT,
    IN_TREATMENT_TOPICS,
    KEEP_ASKING_CARER_TEXT,
    KEEP_ASKING_TEXT,
    MISSED_POINT_TEXT,
    NOT_WHAT_I_MEANT_TEXT,
    OUT_OF_SCOPE_TEXT,
    REGION_BUTTONS,
    REGION_SET_TEXT,
    SITUATION_CHECK_BUTTON,
    SITUATION_CHECK_BUTTON_ONE,
    SITUATION_CRITERIA_TEXT,
    SITUATION_NOTHING_TEXT,
    SITUATION_PLACE_LINE,
    SITUATION_UNDERSTOOD_TEXT,
    STRUGGLING_TEXT,
    SUPPORT_AFTER_CRISIS_TEXT,
    SUPPORT_AGAIN_TEXT,
    SUPPORT_TEXT,
    TALK_TO_SOMEONE_BUTTON,
    THANKS_AFTER_CRISIS_TEXT,
    THANKS_AFTER_WARNING_SIGN_TEXT,
    THANKS_AND_A_QUESTION_TEXT,
    THANKS_TEXT,
    VERY_UPSET_TEXT,
    WORRY_TEXT,
    WORRY_THEN_ANSWER_TEXT,
    YOUNG_PERSON_TEXT,
)
from actions.places import ASKS_ABOUT_HERE, mentioned_places, only_place_named, place_name
from actions.points import points_asked
from actions.second_answer import answer_also
from actions.situation import understand
from actions.store import get_knowledge
from actions.topics import AHSCT_NAMES, about_another_drug, about_another_illness, is_told, lowered, parts
from actions.tracker_utils import (
    ANSWERED_SLOT,
    REGION_SLOT,
    about_someone_else,
    answered_before,
    asks_a_question,
    canonical_slot,
    had_the_transplant,
    is_first_turn,
    last_reply_contains,
    latest_text,
    lives_in,
    point_key,
    previous_user_message,
    recent_crisis,
    recent_warning_sign,
    sent_in_session,
    session_user_texts,
    shown_key,
    welcome_shown,
    whereabouts,
)
from actions.urgent import answer_emergency_follow_up

START_CHECK_PAYLOAD = "/start_eligibility_check"
# "grand thanks, whos the best person to ask here": the thanks, then what follows it.
_THANKS_FIRST = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:thanks|thank you|thank u|thx|ty|cheers|ta)\b(?: (?:so much|a lot|again|heaps))?\W*",
    re.IGNORECASE,
)

# "im 15", "i'm only 13", "im in year 10", "i'm in 9th grade": the person says they are under 18.
_YOUNG = re.compile(
    r"\b(?:i'?m|im|i am)\s+(?:only\s+|just\s+)?(?:(?:[89]|1[0-7])(?:\s*(?:years?|yrs?)\s+old|\s*y/?o)?\b"
    r"(?!\s*(?:years?|yrs?|months?|weeks?|wks?|days?|hours?|hrs?|times?|relapses?|lesions?|mg|%))"
    r"|in\s+(?:year\s+(?:[789]|1[0-3])|(?:[6-9]th|1[0-2]th)\s+grade|high\s+school)\b)",
    re.IGNORECASE,
)


# "I'm really worried", "im so scared", "we are terrified", "freaking out", "cant stop crying"
_WORRIED = re.compile(
    r"\b(?:(?:i'?m|im|i am|we'?re|we are|i feel|feeling|i get|getting)\s+(?:so\s+|really\s+|very\s+|just\s+|quite\s+)*"
    r"(?:worried|scared|terrified|frightened|anxious|afraid|nervous|petrified|panicking)"
    r"|freaking out|can'?t stop crying|cannot stop crying|worried sick|scared stiff)\b",
    re.IGNORECASE,
)


# Whether someone will be all right is asked with worry, said or not ("is she going to be ok" from a
# 15-year-old got the death figures straight away: a seventh stranger, 2026-12-02).
_WILL_THEY_BE_OK = re.compile(
    r"\b(?:is|are|will|am)\s+(?:she|he|they|i|my \w+|mum|mom|dad)\s+(?:going to|gonna)?\s*(?:be\s+)?"
    r"(?:ok|okay|alright|all right|fine|die|make it|survive|pull through)\b",
    re.IGNORECASE,
)


# Distress beyond worry: crying, terror, panic.
_VERY_UPSET = re.compile(
    r"\b(?:can'?t stop crying|crying|in tears|terrified|petrified|panic\w*|freaking out|falling apart|breaking down"
    r"|(?:so|really|very) (?:scared|frightened|afraid))\b"
)


def says_worried(text: str) -> bool:
    text = text.replace("\u2019", "'")
    return bool(_WORRIED.search(text) or _WILL_THEY_BE_OK.search(text))


# Feeling alone or angry, said with a question ("Is there a helpline? I feel very alone with this", "I'm
# furious ... does anywhere take progressive MS?" got the answer with no word for the feeling: an
# eighth stranger, 2026-12-02).
_ALONE = re.compile(
    r"\b(?:i|we)(?:'m|'re| am| are| feel| felt| m| re)?(?: (?:so|very|really|completely|totally|quite))*"
    r" (?:alone|lonely|isolated)\b|\b(?:im|i'm|we're|were) on (?:my|our) own with (?:this|it)\b",
    re.IGNORECASE,
)
_ANGRY = re.compile(
    r"\b(?:i'?m|im|i am|we'?re|we are|i feel|feeling)(?: (?:so|really|very|just|absolutely|frankly))*"
    r" (?:furious|angry|livid|fuming|frustrated|fed up)\b",
    re.IGNORECASE,
)
# "thanks. is there anyone i can talk to, im struggling a bit myself" (a husband caring for his wife after
# her transplant) got the helpline numbers and no word for him (a twenty-third stranger, 2026-12-03). Not
# "struggling to understand" or "struggling with the stairs".
_STRUGGLING = re.compile(
    r"\b(?:i'?m|im|i am|we'?re|we are|i'?ve been|ive been|we'?ve been)(?: (?:really|so|just|quite|honestly))*"
    r" (?:struggling(?= ?(?:a bit|a little|a lot|myself|too|as well|at the moment|right now|lately|emotionally"
    r"|mentally|to cope|[.,!?]|$))|not coping|overwhelmed)|\bi can'?t cope\b|\bi cannot cope\b",
    re.IGNORECASE,
)
# Fear of dying of the treatment: "what if i die. i have a 2 year old" got the death figures and no word
# for the fear (a twenty-third stranger, 2026-12-03). The person's own death, then someone else's.
_FEARS_OWN_DEATH = re.compile(
    r"\bwhat if i (?:die|don'?t make it|dont make it)\b"
    # Not "I am not afraid of dying but I don't want to be worse off" (a twenty-eighth stranger, 2026-12-03).
    r"|(?<!not )(?<!never )(?<!n't )(?<!nt )"
    r"\b(?:scared|afraid|terrified|frightened|petrified) (?:of|about) (?:dying|death)\b"
    r"|\b(?:scared|afraid|terrified|frightened|petrified) (?:that )?i(?:'ll| will| might| could| would) die\b"
    r"|\bi (?:don'?t|dont|do not) want to die\b",
    re.IGNORECASE,
)
_FEARS_THEIR_DEATH = re.compile(
    r"\bwhat if (?:he|she|my \w+) (?:dies|doesn'?t make it|doesnt make it)\b"
    r"|\b(?:scared|afraid|terrified|frightened|petrified) (?:that )?(?:he|she)(?:'ll| will| might| could| would) die\b"
    r"|\bi (?:don'?t|dont|do not) want (?:him|her) to die\b",
    re.IGNORECASE,
)
_FAMILY = re.compile(
    r"\b(?:kids?|child|children|son|daughter|baby|babies|toddler|\d+ ?(?:year|yr)s? old|husband|wife|partner"
    r"|family|little one)\b",
    re.IGNORECASE,
)


# Feelings in words the classifier was not sure of: "i honestly dont know if i can keep doing this ... what if
# he dies and its my fault" and "how do I even tell her this. she's going to be devastated" got "I'm not
# sure I understood" and a button on whether you can die from AHSCT (a thirtieth stranger, 2026-12-03).
_HARD_FEELINGS = re.compile(
    r"\b(?:can'?t|cannot|(?:don'?t|dont) know if i can) (?:keep (?:doing|going (?:on )?with) (?:this|it)"
    r"|do this anymore|go on like this)\b|\bmy fault\b|\bdevastated\b|\bheartbroken\b"
    r"|\bhow (?:do|can|should) i (?:even )?(?:tell|break it to) (?:him|her|them|my \w+)\b"
    # "im very tensed, my bro is crying every nite" and "she is also really depressed" (a thirty-first
    # stranger, 2026-12-03, got "not sure" and a refusal).
    r"|\b(?:tensed|so stressed|really stressed|very stressed|worried sick|crying every|cries every|crying all"
    r"|(?:is|am|been|feels?|feeling)(?: also)? (?:so |really |very )?depressed)\b",
    re.IGNORECASE,
)


def voices_a_feeling(text: str | None) -> bool:
    """Whether a message says how the person feels (fear of a death, loneliness, anger, not coping, low
    mood, guilt), whatever else it says."""
    said = lowered(text or "")
    patterns = (_FEARS_OWN_DEATH, _FEARS_THEIR_DEATH, _ALONE, _ANGRY, _STRUGGLING, _LOW_MOOD, _HARD_FEELINGS)
    return any(pattern.search(said) for pattern in patterns)


def acknowledge_worry(dispatcher: CollectingDispatcher, tracker: Tracker, before_answer: bool = True) -> None:
    """Before a reply to a message said with worry, loneliness or anger: the feeling heard, each once a
    session; a young person who is worried is also told to tell an adult they trust."""
    # Single spaces, so that the patterns below read each word once (a message of 2,000 spaces took
    # 0.2 s with patterns that allowed any spacing).
    text = " ".join(latest_text(tracker).replace("\u2019", "'").split())
    if says_worried(text) and not sent_in_session(tracker.events, WORRY_TEXT):
        young = f" {YOUNG_PERSON_TEXT}" if says_young([*session_user_texts(tracker.events), text]) else ""
        then = f" {WORRY_THEN_ANSWER_TEXT}" if before_answer else ""
        if _VERY_UPSET.search(text.lower()):
            # "im so scared ... i read people die from it. i cant stop crying" got one line, then the
            # death figures (a sixteenth stranger, 2026-12-03): a person to talk to, offered first.
            talk = [dict(TALK_TO_SOMEONE_BUTTON)]
            dispatcher.utter_message(text=f"{WORRY_TEXT} {VERY_UPSET_TEXT}{young}{then}", buttons=talk)
            return
        dispatcher.utter_message(text=f"{WORRY_TEXT}{young}{then}")
        return
    own = _FEARS_OWN_DEATH.search(text)
    heard_before = any(sent_in_session(tracker.events, t) for t in (DYING_FEAR_TEXT, DYING_FEAR_FAMILY_TEXT))
    if (own or _FEARS_THEIR_DEATH.search(text)) and not heard_before:
        # Heard even after "It makes sense to feel worried" earlier in the conversation: a new fear. A family
        # who needs the person only when it is their own death they fear.
        family = own and _FAMILY.search(" ".join([*session_user_texts(tracker.events), text]))
        dispatcher.utter_message(text=DYING_FEAR_FAMILY_TEXT if family else DYING_FEAR_TEXT)
        return
    for pattern, heard in ((_ALONE, ALONE_TEXT), (_ANGRY, ANGRY_TEXT), (_STRUGGLING, STRUGGLING_TEXT)):
        if pattern.search(text) and not sent_in_session(tracker.events, heard):
            dispatcher.utter_message(text=heard)
            return


def note_only_english(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """To a message in another language, once a session: in that language, that the answers are in
    English (actions/language.py)."""
    note = only_english_text(latest_text(tracker))
    if note and not any(sent_in_session(tracker.events, line) for line in ONLY_ENGLISH_TEXT.values()):
        dispatcher.utter_message(text=note)


def answer_language_request(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """ "you can answer in spanish please?": that it cannot, in that language and in English. True if
    the message asked for another language."""
    texts = language_request_texts(latest_text(tracker))
    for text in texts:
        dispatcher.utter_message(text=text)
    return bool(texts)


def first_turn_note(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The one-line note on what the assistant is, above the first answer of a session, unless
    the welcome (which says it) was shown."""
    if is_first_turn(tracker.events) and not welcome_shown(tracker.events):
        dispatcher.utter_message(text=FIRST_TURN_NOTE)


def answer_helpline_for_place(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge
) -> list[EventType] | None:
    """Right after the helpline for an unknown place ("Tell me your country and I'll try to help"), a
    place said gets its own helpline, not the last topic again nor only "Thanks. I'll use that"; None
    when this is not that turn."""
    if not last_reply_contains(tracker.events, knowledge.helpline(None).text):
        return None
    where = whereabouts(tracker, knowledge)
    if not where.stated:
        return None
    place = where.place
    dispatcher.utter_message(text=REGION_SET_TEXT.format(place=place_name(knowledge, place)))
    dispatcher.utter_message(text=notice_text(knowledge.helpline(place.region), place))
    return list(where.events)


def says_young(texts: list[str]) -> bool:
    """Whether the person said, in one of `texts`, that they are a child or a teenager."""
    return any(_YOUNG.search(text.replace("\u2019", "'")) for text in texts)


# Hopelessness short of the crisis words (addons/nlu/safety.py has those): "whats the point", "either
# ms takes me or the treatment does", "i havent told anyone how bad i feel".
_LOW_MOOD = re.compile(
    r"\b(?:wh?at'?s the point|what is the point|no point|why bother|giv(?:e|ing) up|no hope|hopeless|no future"
    r"|lost hope|(?:takes?|kills?) me|how bad i feel|can'?t see (?:a|any) way|nothing (?:left|to look forward to)"
    r"|not coping|(?:so|really|very) low|rock bottom|dark place"
    # "i cant stop crying tbh. i feel like my life is over" got no crisis line (a twenty-seventh stranger).
    r"|(?:my )?life is over|life'?s over|my life is ruined|ruined my life)\b"
)


# Dying spoken of as a risk of the treatment, in a message read as feelings.
_DYING_OF_IT = re.compile(
    r"\b(?:(?:if|and) (?:i|he|she|we) (?:die|dies)|(?:could|might|would|will) (?:i |he |she )?die"
    r"|die from|dying from|die of|dying of|risk of dying|(?:don'?t|dont|not) make it)\b"
)


def send_support(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    knowledge: Knowledge,
    after_crisis: bool = False,
    closing: tuple[str, list[dict[str, str]]] | None = None,
) -> list[EventType]:
    """A warm reply that acknowledges the feeling, with who to talk to where the person lives.
    `closing` (text, buttons) replaces the last line: the self-check says it is paused."""
    where = whereabouts(tracker, knowledge)
    talk = [dict(TALK_TO_SOMEONE_BUTTON)]
    low_mood = notice_text(knowledge.notices["low_mood_check"], where.place)
    check_mood = (
        not after_crisis
        and bool(_LOW_MOOD.search(lowered(latest_text(tracker))))
        and not sent_in_session(tracker.events, low_mood)
    )
    keep_asking = None
    if after_crisis:
        dispatcher.utter_message(text=SUPPORT_AFTER_CRISIS_TEXT, buttons=None if closing else talk)
    elif sent_in_session(tracker.events, SUPPORT_TEXT):
        # Three times the same 970 characters in one chat, after "i dont want to ring anyone".
        dispatcher.utter_message(text=SUPPORT_AGAIN_TEXT, buttons=None if closing else talk)
    else:
        helpline = notice_text(knowledge.helpline(where.place.region), where.place)
        young = (
            f" {YOUNG_PERSON_TEXT}" if says_young([*session_user_texts(tracker.events), latest_text(tracker)]) else ""
        )
        dispatcher.utter_message(text=f"{SUPPORT_TEXT}{young}\n{helpline}")
        if closing is None:
            # "im scared tbh. my dad is exhausted" heard "Your MS nurse is also there for you" (a seventh
            # stranger's teenager): the person writing is looking after someone.
            keep_asking = KEEP_ASKING_CARER_TEXT if about_someone_else(latest_text(tracker)) else KEEP_ASKING_TEXT
    if check_mood:
        dispatcher.utter_message(text=low_mood)
    if keep_asking is not None:
        # "what if i do it and i die. my kids would grow up without me" (a twentieth stranger): the
        # figures on dying from it, one tap away.
        mortality = (
            [button_for(knowledge.entries["mortality"])] if _DYING_OF_IT.search(lowered(latest_text(tracker))) else None
        )
        dispatcher.utter_message(text=keep_asking, buttons=mortality)
    if closing is not None:
        dispatcher.utter_message(text=closing[0], buttons=[*closing[1], *talk])
    return list(where.events)


class ActionSupport(Action):
    """Fear, exhaustion, sadness short of a crisis: acknowledgement and who to talk to."""

    def name(self) -> str:
        return "action_support"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        knowledge = get_knowledge()
        if answer_emergency_follow_up(dispatcher, tracker, knowledge):
            return []
        return send_support(dispatcher, tracker, knowledge, after_crisis=recent_crisis(tracker.events))


class ActionGoodbye(Action):
    """'Bye', and 'ok were going now' read as one: right after the warning-signs notice, help on its
    way is acknowledged (it got "Goodbye, and take care. For decisions about your own treatment ...",
    2026-12-03); else the goodbye."""

    def name(self) -> str:
        return "action_goodbye"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        sent = len(dispatcher.messages)
        answer_emergency_follow_up(dispatcher, tracker, get_knowledge())
        if len(dispatcher.messages) == sent:  # (it may send and still leave a question to answer)
            dispatcher.utter_message(response="utter_goodbye")
        return []


class ActionThanks(Action):
    """'Thanks': after the crisis lines or the warning-signs notice, a reply that stays with the person
    ("ok we called them, hes going in. thank you" got "Is there anything else you'd like to know about
    AHSCT?": a seventh stranger, 2026-12-02); with a question after it, the topics it may ask about
    ("grand thanks, whos the best person to ask here" lost its question)."""

    def name(self) -> str:
        return "action_thanks"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        # Each of the warmer replies once a session: not the same words under every "thanks".
        # "ok" or "i see" comes here too (addons/nlu/commands.py): no "You're welcome" before any reply.
        text = latest_text(tracker)
        replies = (THANKS_AFTER_CRISIS_TEXT, THANKS_AFTER_WARNING_SIGN_TEXT, THANKS_TEXT)
        after_crisis, after_sign, thanks = (_as_said_to(text, reply) for reply in replies)
        if recent_crisis(tracker.events) and not sent_in_session(tracker.events, after_crisis):
            dispatcher.utter_message(text=after_crisis)
        elif asks_a_question(_THANKS_FIRST.sub("", text)):
            ranking = [r for r in tracker.latest_message.get("intent_ranking") or [] if r.get("name") != "thanks"]
            buttons = not_sure_buttons(get_knowledge(), ranking)[:3]
            dispatcher.utter_message(text=THANKS_AND_A_QUESTION_TEXT, buttons=[*buttons, dict(TALK_TO_SOMEONE_BUTTON)])
        elif recent_warning_sign(tracker.events) and not sent_in_session(tracker.events, after_sign):
            dispatcher.utter_message(text=after_sign)
        else:
            dispatcher.utter_message(text=thanks)
        return []


_WELCOME = "You're welcome. "
_THANKS_WORDS = re.compile(r"\b(?:thanks|thank|thx|ty|cheers|ta|appreciate)", re.IGNORECASE)


def _as_said_to(text: str, reply: str) -> str:
    """A thanks reply as it is after a thank-you; after "ok", without "You're welcome."."""
    return reply if _THANKS_WORDS.search(text or "") else reply.removeprefix(_WELCOME)


class ActionInTreatment(Action):
    """Someone having AHSCT now, or who has had it, told as news with no question: good wishes, who
    to call if something feels wrong, and what to read next (it got how to get AHSCT, or "not sure")."""

    def name(self) -> str:
        return "action_in_treatment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        knowledge = get_knowledge()
        buttons = [button_for(knowledge.entries[entry_id]) for entry_id in IN_TREATMENT_TOPICS]
        first_turn_note(dispatcher, tracker)
        dispatcher.utter_message(text=IN_TREATMENT_TEXT, buttons=buttons)
        return []


class ActionNotWhatIMeant(Action):
    """'That's not what I asked': an apology, the other topics the last message could have meant,
    and a person to talk to."""

    def name(self) -> str:
        return "action_not_what_i_meant"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        knowledge = get_knowledge()
        points = points_asked(knowledge, latest_text(tracker), whereabouts(tracker, knowledge).place)
        if points:
            # "u didnt say if it hurts tho" and "you didnt answer which hospitals" got "Sorry, I got that
            # wrong. Could you say it another way?" (strangers, 2026-12-03): the point they name.
            reply = point_reply(knowledge, points[0])
            dispatcher.utter_message(text=f"{MISSED_POINT_TEXT}\n\n{reply.text}", buttons=reply.buttons)
            return [SlotSet("last_topic", points[0].entry.id)]
        before = previous_user_message(tracker.events) or {}
        ranking = (before.get("parse_data") or {}).get("intent_ranking") or []
        shown = ((before.get("parse_data") or {}).get("intent") or {}).get("name")
        others = [r for r in ranking if r.get("name") != shown]
        buttons = [*not_sure_buttons(knowledge, others)[:3], dict(TALK_TO_SOMEONE_BUTTON)]
        dispatcher.utter_message(text=NOT_WHAT_I_MEANT_TEXT, buttons=buttons)
        return []


# A place given with a question of whether AHSCT is to be had there.
_ASKS_ABOUT_ACCESS = re.compile(
    r"\b(?:availab\w*|offered|done|do(?:es)? (?:it|hsct|ahsct)|get (?:it|hsct|ahsct)|have (?:it|hsct|ahsct)"
    r"|centres?|centers?|hospitals?|clinics?)\b"
)


def _question_with_the_place(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge, place: Place
) -> str | None:
    """A question asked with where the person lives ("we're in Canada not the UK. I read about a trial in
    Ottawa ... is that real" got only "OK, I'll use Canada from now on.": a fifteenth stranger,
    2026-12-03): its point, else its topic, answered for that place. The topic answered, or None."""
    text = latest_text(tracker)
    if not asks_a_question(text):
        return None
    asked = [e for e in (tracker.latest_message or {}).get("questions_asked") or [] if e in knowledge.entries]
    if ASKS_ABOUT_HERE.search(lowered(text)):
        # "we live in germany. can she get it here instead of russia" got the checklist for clinics abroad
        # again (a twenty-third stranger, 2026-12-03): getting it where the person lives.
        asked = ["access", *(e for e in asked if e not in ("access", "treatment_abroad"))]
    point = next((p for p in points_asked(knowledge, text, place) if not asked or p.answers(asked[0])), None)
    if point is not None:
        reply = point_reply(knowledge, point, also_asked=asked[1:2])
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return point.entry.id
    if not asked:
        return None
    entry = knowledge.entries[asked[0]]
    ms_type = canonical_slot(tracker, knowledge, "ms_type")
    reply = answer_reply(
        knowledge, entry, ms_type, place, also_asked=asked[1:2], place_label=place_name(knowledge, place)
    )
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
    return entry.id


class ActionChangeRegion(Action):
    """'Change my country', 'I'm in the US, not Mexico': the place said, or the question where."""

    def name(self) -> str:
        return "action_change_region"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        knowledge = get_knowledge()
        if answer_language_request(dispatcher, tracker):
            return []
        helpline = answer_helpline_for_place(dispatcher, tracker, knowledge)
        if helpline is not None:
            return helpline
        where = whereabouts(tracker, knowledge)
        named = None if where.stated else only_place_named(latest_text(tracker), knowledge)
        if named is not None:
            # The message is about where the person lives (its intent), so the one place it names is it.
            where = lives_in(tracker, knowledge, named)
        if where.stated:
            dispatcher.utter_message(text=REGION_SET_TEXT.format(place=place_name(knowledge, where.place)))
            asked = _question_with_the_place(dispatcher, tracker, knowledge, where.place)
            if asked is not None:
                return [*where.events, SlotSet("last_topic", asked)]
            # The last answer again, if it is written differently for the new place: the person asked
            # "is it covered there?", not only to be remembered.
            entry = knowledge.entries.get(str(tracker.get_slot("last_topic") or ""))
            place = where.place

            def differs(e: Entry | None) -> bool:
                return e is not None and e.part_for(region=place.region, country=place.country) != e.part_for()

            if not differs(entry) and _ASKS_ABOUT_ACCESS.search(lowered(latest_text(tracker))):
                # "you did not say if it is available in Brazil" after the hospital stay got only "OK, I'll
                # use Brazil from now on." (a twelfth stranger): how to get it there.
                entry = knowledge.entries.get("access")
            if entry is not None and differs(entry):
                ms_type = canonical_slot(tracker, knowledge, "ms_type")
                reply = answer_reply(knowledge, entry, ms_type, place, place_label=place_name(knowledge, place))
                dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            return list(where.events)
        dispatcher.utter_message(text=CHANGE_REGION_TEXT, buttons=[dict(b) for b in REGION_BUTTONS])
        return [SlotSet(REGION_SLOT, None)]


def _asks_about_home(knowledge: Knowledge, text: str, home: Place) -> bool:
    """Whether a question of the message asks about getting it where the person lives: "here", or the
    place they live named in the question."""
    if ASKS_ABOUT_HERE.search(lowered(text)):
        return True
    questions = [q for q in parts(text) if not is_told(q, text)]
    return any(
        knowledge.place(key) == home for q in questions for key in mentioned_places(q, knowledge) if home != Place()
    )


# A question asked without a question mark: "I ... wonder whether it is worth pursuing at my stage."
_ASKS_INDIRECTLY = re.compile(
    r"\b(?:wonder(?:ing)?|not sure|unsure) (?:whether|if)\b|\b(?:would|i'?d|want to|wanted to|need to) know\b"
)


class ActionSituation(Action):
    """A person describing their situation: what was understood, what published criteria say
    about it in general, and the self-check with those answers filled in (never a verdict)."""

    def name(self) -> str:
        return "action_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        knowledge = get_knowledge()
        check = knowledge.self_check
        assert check is not None  # the loader refuses a knowledge file without one
        found = understand(check, latest_text(tracker))
        missing = [q for q in check.questions if q.id not in found and not tracker.get_slot(q.slot)]
        title = SITUATION_CHECK_BUTTON_ONE if len(missing) == 1 else SITUATION_CHECK_BUTTON.format(n=len(missing))
        buttons = [
            {"title": title, "payload": START_CHECK_PAYLOAD},
            {"title": knowledge.entries["eligibility"].question, "payload": "/faq_eligibility"},
        ]
        where = whereabouts(tracker, knowledge)
        # "im so scared. had my 3rd relapse this year even on ocrevus ... i cant stop crying" got only
        # "Recent activity: Yes" (a twentieth stranger, 2026-12-03): the feeling first.
        acknowledge_worry(dispatcher, tracker, before_answer=False)
        low_mood = notice_text(knowledge.notices["low_mood_check"], where.place)
        if _LOW_MOOD.search(lowered(latest_text(tracker))) and not sent_in_session(tracker.events, low_mood):
            # "...honestly im scared and feel like theres no hope left" got a criteria card and no support
            # (a twenty-first stranger, 2026-12-03): the low-mood line with its numbers, once a session.
            dispatcher.utter_message(text=low_mood)
        if not found:
            dispatcher.utter_message(text=SITUATION_NOTHING_TEXT, buttons=buttons)
            return list(where.events)
        lines = [SITUATION_UNDERSTOOD_TEXT]
        notes = [SITUATION_CRITERIA_TEXT]
        events: list[EventType] = list(where.events)
        for question in check.questions:
            option = question.option(found.get(question.id))
            if option is None:
                continue
            lines.append(f"• {question.label}: {option.title}")
            notes.append(f"• {option.note}")
            events.append(SlotSet(question.slot, option.value))
            if question.id == "ms_type":
                events.append(SlotSet("ms_type", option.value))
        if where.stated:
            # Said so it can be corrected: answers about cost and access use it from now on.
            lines.append(SITUATION_PLACE_LINE.format(place=place_name(knowledge, where.place)))
        asked = [
            entry_id
            for entry_id in (tracker.latest_message or {}).get("questions_worded") or []
            if entry_id in knowledge.entries and entry_id != "eligibility"
        ]
        trial = next(
            (p for p in points_asked(knowledge, latest_text(tracker)) if p.entry.id == "clinical_trials"), None
        )
        if not asked and trial is not None:
            # "...still getting new lesions. my neuro at ut southwestern mentioned beat-ms trial??" got what
            # was understood and never a word on BEAT-MS (a twenty-third stranger, 2026-12-03): a trial named
            # in a situation is the question, answered under what was understood.
            dispatcher.utter_message(text="\n".join(lines), buttons=buttons[:1] if missing else [])
            reply = point_reply(knowledge, trial)
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            shown = [*answered_before(tracker), point_key(tracker, trial)]
            return [*events, SlotSet("last_topic", trial.entry.id), SlotSet(ANSWERED_SLOT, shown)]
        asked_by_nlu = (tracker.latest_message or {}).get("questions_asked") or []
        topics = [e for e in asked_by_nlu if isinstance(e, str) and e in knowledge.entries]
        text = latest_text(tracker)
        # Progressive MS described, and its topic among the questions: that one ("I am 58 ... now secondary
        # progressive. I use a walker ... My neurologist says there is nothing more to offer me ... wonder
        # whether it is worth pursuing at my stage." got only what was understood: a twenty-eighth stranger).
        pick = "progressive_ms" if found.get("ms_type") == "progressive" and "progressive_ms" in topics else None
        pick = pick or (topics[-1] if topics else None)
        if not asked and (text.rstrip().endswith("?") or _ASKS_INDIRECTLY.search(lowered(text))) and pick:
            # "...had a relapse anyway. manchester. my mate sent me an article saying an analysis of nine
            # studies proved stem cells work for MS. true?" got only what was understood (a twenty-fifth
            # stranger, 2026-12-03): the topic of the part that ends with the question mark is asked.
            asked = [pick] if pick != "eligibility" else []
        if asked and asked[0] == "treatment_abroad" and _asks_about_home(knowledge, text, where.place):
            # "I live in Utrecht, Netherlands ... Is HSCT possible in the Netherlands or must I go abroad?" got
            # the checklist for clinics abroad (a twenty-eighth stranger, 2026-12-03): getting it at home.
            asked = ["access", *asked[1:]]
        if asked:
            # "...now shes on kesimpta and had 2 relapses this year. how long does the whole thing take
            # and does she lose her hair and how long off work" got only what was understood (a
            # stranger's conversation, 2026-12-01): the first question is answered, the next offered.
            dispatcher.utter_message(text="\n".join(lines), buttons=buttons[:1] if missing else [])
            entry = knowledge.entries[asked[0]]
            ms_type = canonical_slot(tracker, knowledge, "ms_type") or knowledge.canonical(
                "ms_type", found.get("ms_type")
            )
            reply = answer_reply(
                knowledge,
                entry,
                ms_type=ms_type,
                place=where.place,
                also_asked=asked[1:2],
                place_label=place_name(knowledge, where.place),
            )
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            part = entry.part_for(ms_type=ms_type, region=where.place.region, country=where.place.country)
            events += [
                SlotSet("last_topic", entry.id),
                SlotSet(ANSWERED_SLOT, [*answered_before(tracker), shown_key(tracker, entry, part)]),
            ]
            if len(asked) > 1:
                # "Questions: 1) can people with PPMS even get HSCT 2) what would the risks be" got the
                # second only as a button (a twentieth stranger, 2026-12-03): it is answered under the first.
                other = knowledge.entries[asked[1]]
                events += answer_also(dispatcher, knowledge, tracker, other, ms_type, where.place, events)
            return events
        dispatcher.utter_message(text="\n".join(lines))
        dispatcher.utter_message(text="\n".join(notes), buttons=buttons if missing else buttons[1:])
        return [*events, SlotSet("last_topic", "eligibility")]


# How someone feels, or whether it is normal ("so tired i can barely shower, is this normal").
_HOW_I_FEEL = re.compile(
    r"\b(?:tired|exhausted|fatigue\w*|pain\w*|aches?|aching|sore|sick|nause\w*|dizzy|weak|rash|itch\w*|cough\w*"
    r"|hair|numb\w*|tingl\w*|headaches?|swollen|can'?t (?:sleep|eat)|not (?:eating|sleeping)"
    # Signs of bleeding ("red dots, like pinpricks, dont go away when i press a glass on them": a
    # twenty-ninth stranger, 2026-12-03, got a refusal).
    r"|dots|spots|bruis\w*|bleed\w*|nosebleeds?"
    r"|feel(?:ing)? (?:awful|rough|terrible|unwell|ill|low|down|off|rubbish|bad)|normal)\b"
)


def answer_after_the_transplant(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge
) -> list[EventType] | None:
    """Someone who has had the transplant, telling how they feel or asking whether it is normal, in a
    message that was not understood or out of scope: a side effect's point if one is asked, else the
    transplant team first ("5 weeks out, home, so tired I can barely shower: normal?" was declined and
    sent to the neurologist or GP: a ninth stranger, 2026-12-02). None when that is not the case."""
    text = latest_text(tracker)
    if not (_HOW_I_FEEL.search(lowered(text)) and had_the_transplant(tracker.events)):
        return None
    first_turn_note(dispatcher, tracker)
    point = next((p for p in points_asked(knowledge, text) if p.entry.id == "side_effects"), None)
    if point is not None:
        reply = point_reply(knowledge, point)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return [SlotSet("last_topic", "side_effects")]
    return send_after_transplant_contacts(dispatcher, tracker, knowledge)


def send_after_transplant_contacts(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge
) -> list[EventType]:
    """Who to call after the transplant (the transplant team first), with what to watch for and side
    effects as buttons."""
    where = whereabouts(tracker, knowledge)
    buttons = [button_for(knowledge.entries[e]) for e in ("warning_signs", "side_effects")]
    dispatcher.utter_message(
        text=notice_text(knowledge.notices["after_transplant_contacts"], where.place), buttons=buttons
    )
    return [SlotSet("last_topic", "warning_signs"), *where.events]


def send_helpline(dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge) -> list[EventType]:
    """The MS helpline for the person's country or region, with any feeling said heard first."""
    where = whereabouts(tracker, knowledge)
    acknowledge_worry(dispatcher, tracker, before_answer=False)
    dispatcher.utter_message(text=notice_text(knowledge.helpline(where.place.region), where.place))
    return list(where.events)


# Asking for a person to talk to ("who can i talk to", "i need someone to talk to").
# "Anybody she can talk to?" for a worried daughter got the refusal (a twelfth stranger, 2026-12-02).
_SOMEONE_WHO = r"(?:i|we|she|he|they|my \w+)"
_ASKS_FOR_SOMEONE = re.compile(
    rf"\b(?:who|anyone|anybody|someone|somebody|where) (?:(?:can|could|should|do|does) )?{_SOMEONE_WHO}"
    r" (?:can |could )?(?:talk|speak|turn) to\b"
    rf"|\b{_SOMEONE_WHO} needs? (?:someone|somebody|a person) to talk to\b|\bhelpline\b"
)


def asks_for_someone(text: str) -> bool:
    """Whether a message asks for a person to talk to ("who do i talk to about all this")."""
    return bool(_ASKS_FOR_SOMEONE.search(lowered(text)))


_NAMES_AHSCT = re.compile(rf"\b(?:{AHSCT_NAMES})\b", re.IGNORECASE)
# Chemotherapy, named in a conversation already about AHSCT (review 36: "my mum starts chemo, hair loss?" alone
# is about another treatment).
_NAMES_CHEMO = re.compile(r"\bchemo(?:therapy)?\b", re.IGNORECASE)


class ActionOutOfScope(Action):
    """The polite boundary; right after crisis lines, support instead."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        knowledge = get_knowledge()
        if answer_emergency_follow_up(dispatcher, tracker, knowledge):
            return []
        if recent_crisis(tracker.events):
            return send_support(dispatcher, tracker, knowledge, after_crisis=True)
        if answer_language_request(dispatcher, tracker):
            return []
        # "what about ocrevus, is that better for PPMS" after the UK study got its point on progressive MS
        # (a twenty-fifth stranger, 2026-12-03): a question about another MS drug is declined.
        point = (
            None
            if about_another_drug(latest_text(tracker))
            else answer_point_of_last_topic(dispatcher, tracker, knowledge)
        )
        if point is not None:
            return point
        after = answer_after_the_transplant(dispatcher, tracker, knowledge)
        if after is not None:
            return after
        text = latest_text(tracker)
        if voices_a_feeling(text):
            # "she is also really depressed ... barely eats" got "Sorry, I can't help with that" (a
            # thirty-first stranger, 2026-12-03): the feeling is heard.
            acknowledge_worry(dispatcher, tracker, before_answer=False)
            return send_support(dispatcher, tracker, knowledge)
        names = _NAMES_AHSCT.search(text) or (_NAMES_CHEMO.search(text) and tracker.get_slot("last_topic"))
        if names and not about_another_drug(text) and not about_another_illness(text):
            # "just got diagnosed w RRMS 3 weeks ago ... someone in a fb group said i should go straight for
            # hsct?? is that a thing" was declined (a thirtieth stranger, 2026-12-03), and so was "ok. whats the
            # chemo like, will my hair fall out? i'm getting married next year lol" (a thirty-first): a point
            # asked about the treatment the message names is answered.
            point = answer_the_one_point_asked(dispatcher, tracker, knowledge)
            if point is not None:
                return point
        if asks_for_someone(latest_text(tracker)):
            # "i havent even told my wife how bad the legs are. who can i talk to" got the refusal (an
            # eleventh stranger): a request for a person gets the helpline.
            return send_helpline(dispatcher, tracker, knowledge)
        note_only_english(dispatcher, tracker)
        dispatcher.utter_message(text=OUT_OF_SCOPE_TEXT)
        return []


def answer_the_one_point_asked(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge
) -> list[EventType] | None:
    """A message not understood that asks exactly one specific point of any topic, not shown yet, gets
    it ("why you say no?? it is cure for ms or not" got "Sorry, I got that wrong": a tenth stranger).
    None otherwise. Only for "not sure": a message out of scope ("is lupus curable") is another subject."""
    points = points_asked(knowledge, latest_text(tracker), whereabouts(tracker, knowledge).place)
    if len(points) != 1:
        return None
    shown = answered_before(tracker)
    key = point_key(tracker, points[0])
    if key in shown:
        return None
    first_turn_note(dispatcher, tracker)
    reply = point_reply(knowledge, points[0])
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
    return [SlotSet(ANSWERED_SLOT, [*shown, key]), SlotSet("last_topic", points[0].entry.id)]


def answer_point_of_last_topic(
    dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge, related: bool = True
) -> list[EventType] | None:
    """After the hospital stay was answered, "i have a cold, can i visit her" reads as unrelated to
    the classifier (a fourth stranger); it asks a point of the topic just answered, so it gets that
    point. So does a point of the topic answered last as a second answer ("but what about Aetna
    specifically?" after the hospital stay and, under it, insurance: a twenty-eighth stranger got "The
    answer above doesn't depend on where you live"), and, if `related`, of a topic the last one lists as
    related: after side effects, "when do i restart my vaccines" (a fifth stranger). None when the
    message asks no such point not shown yet."""
    last = knowledge.entries.get(str(tracker.get_slot("last_topic") or ""))
    if last is None:
        return None
    shown = answered_before(tracker)
    latest = last_shown_entry(knowledge, shown)
    topics = {last.id, *([latest.id] if latest else [])}
    for point in points_asked(knowledge, latest_text(tracker), whereabouts(tracker, knowledge).place):
        key = point_key(tracker, point)
        of_topic = any(point.answers(t) for t in topics) or (related and point.entry.id in last.related)
        if of_topic and key not in shown:
            reply = point_reply(knowledge, point)
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
            return [SlotSet(ANSWERED_SLOT, [*shown, key])]
    return None
