"""Right after the warning-signs notice ("Please act now ..."), a message about getting that help
("should we just go to the regular ER?", "what do we tell them there?", "we cant reach the team")
gets a direct answer: go, what to tell the staff. Whatever topic the classifier guessed, the person is
in the middle of an emergency. Once they say help is on its way ("im ringing 999 now", "paramedics
took him in"), that is acknowledged, and later messages are answered as usual."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import notice_text
from actions.knowledge import Knowledge
from actions.topics import lowered, parts, reads_as_question
from actions.tracker_utils import asks_a_question, latest_text, recent_warning_sign, sent_in_session, whereabouts

_GETTING_HELP = re.compile(
    r"\b(?:er|e\.r|a ?& ?e|a and e|emergency (?:room|department|dept|services|number|line)|casualty|hospital"
    r"|ambulance|paramedics?|911|999|112|000|111|urgent care|walk[- ]in|go in|go there|go now"
    r"|tell (?:them|the (?:doctors?|nurses?|staff|people))|say to them|(?:their|the|team'?s?) (?:number|phone)"
    r"|front desk|reception|triage|bring|pack|paracetamol|tylenol|acetaminophen|ibuprofen|calpol|panadol|wait and see"
    r"|can'?t (?:reach|get through|get hold|find)|no answer|not answering|(?:wait|leave it) (?:till|til|'til|until|for)"
    r"|sleep it off|(?:in|until|till|til) (?:the )?morning"
    r"|drive (?:her|him|them)|take (?:her|him|them) in|(?:the|to|in|at) (?:\w+ )?ed"
    # The sign itself, or whether to call: "its 37.9", "is that a fever?", "bother the team on a sunday".
    r"|3[5-9](?:[.,]\d)?|9\d[.,]\d|10[0-4](?:[.,]\d)?|fever|temp|temperature|should (?:we|i) (?:call|ring|phone|go)"
    r"|call (?:them|the team)|bother\w*|weekend|sunday|saturday|tonight|overnight|middle of the night"
    r"|who (?:do|should|can|would|shall) (?:i|we) (?:even )?(?:call|ring|phone|contact|go to|talk to)"
    r"|is (?:that|this|it) a fever)\b"
)


def asks_about_getting_help(text: str | None) -> bool:
    """Whether the message is about getting urgent care (the emergency department, an ambulance,
    the team's number, what to tell the staff, waiting) or about the sign itself (a temperature,
    whether it counts, whether to call)."""
    if not isinstance(text, str):
        return False
    said = lowered(text)
    if _ABOUT_MS_ITSELF.search(said) and not _A_SIGN.search(said):
        # "is it normal for her ms symptoms to get worse for a while after?" right after the fever notice
        # got the emergency text again (a nineteenth stranger, 2026-12-03): a question about MS itself.
        return False
    if _IS_IT_OK.search(said) and (len(said.split()) <= _SHORT or _A_SIGN.search(said)):
        return True  # "is that normal?", "is 37.6 ok", "is this shivering serious"
    return bool(_GETTING_HELP.search(said))


# "is that ok" asks about the sign only in a short message or one that names a sign: "he wants to go to the
# pub with mates next week, is that ok" and "is it normal that his legs feel weaker" right after the fever
# notice got the emergency text again (a twenty-seventh stranger, 2026-12-03).
_IS_IT_OK = re.compile(r"\bis (?:that|this|it) (?:normal|serious|bad|ok|okay)\b")
_SHORT = 6


# MS's own symptoms, asked about ("her ms symptoms", "his ms getting worse"), and the signs that would
# still make a message about the emergency.
_ABOUT_MS_ITSELF = re.compile(r"\b(?:ms|m\.s\.) (?:symptoms?|getting worse|get worse|flare\w*|relapse\w*)\b")
_A_SIGN = re.compile(
    r"\b(?:fever\w*|temp\w*|shiver\w*|shak\w*|chills?|breath\w*|confus\w*|drowsy|bleed\w*|rash|vomit\w*"
    r"|3[5-9](?:[.,]\d)?|ambulance|999|911|112|a ?& ?e|er|emergency|hospital)\b"
)


_SUBJECT = r"(?:i'?m|im|i am|we'?re|were|we are|he'?s|hes|he is|she'?s|shes|she is|they'?re|theyre|they are)"
_HELP_UNDER_WAY = re.compile(
    rf"\b(?:{_SUBJECT} (?:now )?(?:calling|ringing|phoning|dialling|dialing|on the phone to|taking (?:her|him|them)"
    r"|leaving (?:for|now)|heading (?:to|for|in|over)"
    r"|driving (?:her|him|them)|going(?=[.,!;]|$)"
    r"|going (?:in|now|to (?:the )?(?:er|ed|a ?& ?e|a and e|hospital|emergency))"
    r"|on (?:our|my|the|their) way|in the (?:car|ambulance)"
    r"|(?:now )?(?:in|at) (?:the )?(?:hospital|er|ed|a ?& ?e|a and e|emergency|ward|resus))"
    # "ok called them. also ..." (a twenty-seventh stranger, 2026-12-03).
    r"|(?:i|we|i'?ve|we'?ve|ive|weve|just|have|already|ok|okay|right|alright) (?:just )?"
    r"(?:called|rang|phoned|rung|dialled|dialed)"
    r" (?:999|911|112|000|111|an ambulance|the ambulance|the team|the ward|them|the hospital)"
    r"|on (?:our|my) way|ambulance (?:is )?(?:coming|here|on (?:its|the|it'?s) way|arrived|came|took)"
    # "ok going now. should i bring anything? her meds?" got the follow-up notice again (a twelfth stranger).
    r"|(?:^|ok |okay |right |alright )(?:going|leaving|heading (?:in|there|over|off|out)) now"
    # "my husband is driving me to the Alfred ED now" got the refusal (a fourteenth stranger).
    r"|(?:(?:driving|taking|bringing|rushing) (?:me|us|her|him|them)|^(?:ok |okay |right )?(?:going|heading|off))"
    r" (?:in\b|to (?:the )?(?:\w+ )?(?:er|ed|a ?& ?e|a and e|hospital|emergency|ward|resus|casualty))"
    r"|ambulances? (?:are|is) here"
    r"|paramedics? (?:are |is )?(?:here|arrived|came|took|with)|(?:was|been|got|is|are) admitted"
    r"|(?:they'?re|theyre|they are|doctors are|nurses are) (?:giving|treating|seeing|looking after|with)"
    r"|(?:he'?s|hes|she'?s|shes|they'?re|theyre) (?:being seen|in hospital|in safe hands)"
    # Told by the team to come in ("ok they said come straight to the ER": an eighth stranger).
    r"|(?:they|the team|team|the nurse|the doctor|the ward|the hospital) (?:said|told (?:me|us|him|her|them))"
    r" (?:to )?(?:come|go|bring|take|head)(?: him| her| them| me| us)?(?: straight| right)? (?:in|to|down|over|up))\b"
)


def says_help_is_under_way(text: str | None) -> bool:
    """Whether the message says that urgent help is being called or has come ("im ringing 999
    now", "paramedics took him in", "hes in hospital now")."""
    return isinstance(text, str) and bool(_HELP_UNDER_WAY.search(lowered(text)))


# Care has started: in hospital, admitted, on antibiotics ("update - hes been admitted, on iv
# antibiotics, neutropenic fever. is this common after hsct?" got "Please act now ... call an ambulance"
# five times over: a tenth stranger). Not care being sought ("ringing 999", "on our way").
_CARE_STARTED = re.compile(
    r"\b(?:admitted"
    r"|(?:is|are|am|now|already|still) (?:in|at) (?:the )?(?:hospital|a ?& ?e|a and e|er|ed|emergency|ward|icu|resus)"
    r"|(?:he'?s|hes|she'?s|shes|they'?re|theyre|i'?m|im|we'?re) (?:now |already |still )?(?:in|at) (?:the )?"
    r"(?:hospital|a ?& ?e|a and e|er|ed|ward|icu|resus)"
    r"|on (?:iv |the )?(?:antibiotics|a drip)"
    # "At A&E now, antibiotics given, Sheffield called ..." (a twelfth stranger got the notice three times).
    r"|(?:at|in) (?:the )?(?:hospital|a ?& ?e|a and e|er|ed|emergency|ward|resus) now"
    r"|(?:iv )?antibiotics (?:given|started|going in|running|in)"
    r"|(?:started|given|giving|gave|put (?:him|her|me) on) (?:him |her |me |them )?(?:iv )?antibiotics"
    r"|being (?:treated|looked after)|(?:doctors|nurses|the team) (?:are|is) (?:with|treating|looking after)"
    # "ok he's fine now theyre seeing him" (a twenty-sixth stranger, 2026-12-03).
    r"|(?:they'?re|theyre|they are|doctors are|someone is|a doctor is) (?:now |already )?(?:seeing|checking|examining)"
    r" (?:him|her|me|us|them)|being seen)\b"
)


# Care that may be over: "she was admitted last week, now at home with 39 again" is a new emergency.
_MAYBE_OVER = re.compile(
    r"\b(?:home|discharged|ago|last (?:week|month|night|time)|yesterday|before|earlier|was|were)\b"
)


# The team could not be reached.
_CANT_REACH = re.compile(
    r"\b(?:voice ?mail|answer ?phone|answering machine|no answer|no one answer\w*|nobody answer\w*|not answering"
    r"|(?:can'?t|cannot|couldn'?t|could not) (?:reach|get through|get hold|get a hold|find)|no reply|not picking up"
    # The team is abroad ("we had it done in moscow, his team is in russia, we're back in dublin. who do i
    # even call" got the treatment-abroad checklist: a sixteenth stranger, 2026-12-03).
    r"|(?:team|doctors?|clinic|hospital) (?:is|are|was|were) (?:all )?(?:abroad|overseas|in another country"
    r"|(?:back |out |over )?in (?!the\b|a\b|an\b|hospital\b|charge\b|touch\b|contact\b|town\b)[a-z]+)"
    r"|(?:had|got) (?:it|the transplant|hsct|ahsct|treatment) (?:done )?(?:abroad|overseas|in (?!hospital)\w+))\b"
)


# Said in the present, in care now: "ok we're in A&E now ... his gums were bleeding earlier" (a
# twenty-eighth stranger, 2026-12-03, got "go to the emergency department now": "earlier" may mean over).
_IN_CARE_NOW = re.compile(
    r"\b(?:we'?re|i'?m|im|he'?s|hes|she'?s|shes|they'?re|theyre)\s+(?:now\s+|already\s+|still\s+)?(?:in|at)\s+"
    r"(?:the\s+)?(?:hospital|a ?& ?e|a and e|er|ed|emergency|ward|icu|resus)\b"
)
_GONE_HOME = re.compile(r"\b(?:home|discharged|last (?:week|month|night|time)|ago|yesterday)\b")


def says_care_has_started(text: str | None) -> bool:
    """Whether the message says the person is being cared for now (see _CARE_STARTED), and nothing
    that could mean that care is over (_MAYBE_OVER) unless it says so in the present (_IN_CARE_NOW): when
    unsure, the warning-signs notice stands."""
    if not isinstance(text, str):
        return False
    said = lowered(text)
    if not _CARE_STARTED.search(said) and not _IN_CARE_NOW.search(said):
        return False
    return not _MAYBE_OVER.search(said) or (bool(_IN_CARE_NOW.search(said)) and not _GONE_HOME.search(said))


# A new sign, or a question about telling the staff of one, from someone already in care: "i just noticed
# hes got loads of tiny red dots on his shins", "should i tell them about the dots" (a twenty-eighth
# stranger, 2026-12-03).
_NEW_SIGN = re.compile(
    r"\b(?:bleed\w*|blood|bruis\w*|spots?|dots?|rash\w*|blotch\w*|petechia\w*|gums?|nosebleeds?|purple"
    r"|blister\w*|vomit\w*|diarrh\w*|confus\w*|drowsy|breath\w*)\b"
)
_TELL_ABOUT = re.compile(r"\b(?:tell|mention|say|show)\b[^.?!]{0,25}?\babout\b(?! (?:the |his |her )?transplant)")


def tells_of_a_new_sign(text: str | None) -> bool:
    """Whether the message names a sign beyond the fever, or asks about telling the staff of one."""
    said = lowered(text or "")
    return bool(_NEW_SIGN.search(said) or _TELL_ABOUT.search(said))


def tell_staff_notice(tracker: Tracker, knowledge: Knowledge) -> str:
    """The notice to tell the staff of a new sign: the short one once the long one was sent."""
    sent = sent_in_session(tracker.events, knowledge.notices["red_flag_tell_staff"].text)
    return "red_flag_tell_staff_again" if sent else "red_flag_tell_staff"


def cared_for_since_the_notice(tracker: Tracker) -> bool:
    """Whether this message or one since the warning-signs notice says care has started."""
    texts = [latest_text(tracker), *_earlier_messages_since_the_notice(tracker.events)]
    return any(says_care_has_started(t) for t in texts)


def _earlier_messages_since_the_notice(events: list[dict]) -> list[str]:
    """The person's messages after the last safety notice, the latest one left out."""
    texts: list[str] = []
    for event in reversed(events or []):
        if event.get("event") == "action" and event.get("name") == "action_safety_notice":
            break
        if event.get("event") == "user":
            texts.append(str(event.get("text") or ""))
    return texts[1:]


def answer_emergency_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker, knowledge: Knowledge) -> bool:
    """When the warning-signs notice answered one of the last few messages: the first message that
    says help is on its way is acknowledged, and a later one that is not a question too; before
    that, a message about getting help gets the follow-up notice. Whether it sent one."""
    if not recent_warning_sign(tracker.events):
        return False
    text = latest_text(tracker)
    cared_for = says_care_has_started(text)
    on_its_way = says_help_is_under_way(text)
    helped = any(_under_way(t) for t in _earlier_messages_since_the_notice(tracker.events))
    if tells_of_a_new_sign(text) and (helped or cared_for or on_its_way):
        # "ok rang them, they want her in. while we wait, she also has little red dots on her legs, is that
        # related", then "the red dots, like pinpricks, dont go away when i press a glass on them. should i be
        # worried" got "not sure" and a refusal (a twenty-ninth stranger, 2026-12-03).
        in_care = cared_for_since_the_notice(tracker)
        notice = tell_staff_notice(tracker, knowledge) if in_care else "red_flag_new_sign_on_way"
        dispatcher.utter_message(text=notice_text(knowledge.notices[notice], whereabouts(tracker, knowledge).place))
        return True
    if cared_for or on_its_way:
        if helped and asks_a_question(text):
            return False
        notice = "red_flag_help_here" if helped or cared_for else "red_flag_help_on_way"
    elif helped or not asks_about_getting_help(text):
        return False
    elif _CANT_REACH.search(lowered(text)):
        # "Transplant number goes to voicemail ... drive to the ER or wait?" got "Call the transplant
        # team's emergency number now" (a thirteenth stranger): go now.
        notice = "red_flag_go_now"
    else:
        notice = "red_flag_follow_up"
    where = whereabouts(tracker, knowledge)
    dispatcher.utter_message(text=notice_text(knowledge.notices[notice], where.place))
    # A question about something else, asked with the news that help is on its way, is answered under
    # the acknowledgement ("im in the ER now ... how common are infections like this after hsct?": an
    # eighth stranger got only "You're doing the right thing").
    # Once care has started, any question is about the person's state ("Admitted, IV antibiotics, he's
    # OK; is this normal after HSCT?": a thirteenth stranger got only "Tell the paramedics ...").
    return not (
        notice != "red_flag_follow_up" and (_asks_something_else(text) or (cared_for and asks_a_question(text)))
    )


def _under_way(text: str | None) -> bool:
    """Help is on its way or care has started ("we're already AT the hospital": a twelfth stranger got
    the follow-up notice for it, three times over)."""
    return says_help_is_under_way(text) or says_care_has_started(text)


# "ok he's fine now theyre seeing him. different question - when can he have his vaccines again" got only
# "Tell the paramedics ..." (a twenty-sixth stranger, 2026-12-03): a question said to be another one.
_ANOTHER_QUESTION = re.compile(
    r"^(?:(?:a|one|and|ok|okay|so)\s+)*(?:different|another|other|separate|new|unrelated|next|quick|one more)\s+"
    r"(?:question|q|thing)\s*[-:,\u2013]*\s*"
)


def _asks_something_else(text: str) -> bool:
    """Whether a part of the message is a question not about getting urgent care."""
    return any(
        reads_as_question(_ANOTHER_QUESTION.sub("", part)) and not asks_about_getting_help(part) for part in parts(text)
    )
