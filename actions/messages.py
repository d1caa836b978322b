"""The assistant's own words that custom actions send (not medical content).

Responses used by rules live in domain.yml; these are sent from inside actions,
where `rasa data validate` would flag a domain response as unused.
"""

NOT_SURE_TEXT = "I'm not sure I understood. Did you mean one of these?"
OUT_OF_SCOPE_TEXT = (
    "Sorry, I can't help with that. I can only answer questions about AHSCT (stem cell transplant) for MS, "
    "such as what it is, who may be eligible, risks, results, cost and clinical trials. "
    "For other questions about your health or your MS, please ask your neurologist, MS nurse or GP."
)

THANKS_TEXT = "You're welcome. Is there anything else you'd like to know about AHSCT?"
# Wording of these three from an independent review (2026-12-02): "again" assumed a call already made.
THANKS_AFTER_WARNING_SIGN_TEXT = (
    "You're welcome. If you have not called yet, please call the transplant team now, or the emergency "
    "number if it is urgent. I'm here if you need me."
)
THANKS_AFTER_CRISIS_TEXT = (
    "You're welcome. I'm still here if you want to keep talking. If you feel unsafe, please call one of "
    "the lines above or your local emergency number straight away."
)
THANKS_AND_A_QUESTION_TEXT = "You're welcome. Is your question one of these?"
# Someone having AHSCT now or who has had it, told as news ("my mum is in hospital getting the stem
# cell thing rn"): good wishes, the warning signs first among what to read next.
IN_TREATMENT_TEXT = (
    "Thank you for telling me. I hope the treatment and the recovery go well. If something feels wrong, "
    "call the transplant team. I can explain what to watch for at home, how recovery usually goes, or side "
    "effects."
)
IN_TREATMENT_TOPICS = ("warning_signs", "hospital_stay", "side_effects")
UNKNOWN_TRIAL_TEXT = "We have no checked information on a trial called {name}, so this is the general answer:"
START_OVER_TEXT = "OK, let's start again. I have forgotten this conversation. What would you like to know about AHSCT?"
NO_TOPIC_YET_TEXT = "I'm not sure which topic you mean yet."
SAME_EVERYWHERE_TEXT = "This part doesn't depend on where you live, so the answer is the same:"
SAME_ANSWER_TEXT = "The answer above is the one for {place}."
# A topic written the same for everyone: "The answer above is the one for the US" under the UK
# charity's advice on going abroad misled (a fifth stranger).
SAME_EVERYWHERE_ABOVE_TEXT = "The answer above doesn't depend on where you live, so it is the same for {place}."
# "ireland i said" got only the first sentence: a dead end (a seventh stranger).
SAME_GENERAL_ANSWER_TEXT = (
    "We have not checked this for {place} yet, so the answer above is the general one. "
    "Your MS neurologist or an MS charity there can tell you more."
)
# "Please don't share personal details", right after people told their age and MS type, read as a
# telling-off (an eighteenth stranger, 2026-12-03): what not to share, said plainly.
FIRST_TURN_NOTE = "I'm not a doctor: this is general information. No need to give your name or contact details."

# Asking where the person lives, when an answer depends on it (entries with ask_region): after the
# general answer, never instead of it.
# "theres no ireland button" (a stranger in Cork): a typed country is understood, so say so.
REGION_QUESTION_TEXT = "This differs by country. Where do you live? Tap a button or type your country."
# "and in canada? how would I access it" heard "Where do you live?" right after naming Canada (a sixth
# stranger): the place named is offered, not asked for.
REGION_NAMED_QUESTION_TEXT = (
    'If you live in {place}, tap "I live in {place}". Somewhere else? Tap a button or type your country.'
)

CHANGE_REGION_TEXT = (
    "Where do you live? Tap a button or type your country. I use it for answers about access, cost and support lines."
)
REGION_SET_TEXT = "OK, I'll use {place} from now on."
REGION_NOTE = 'For {place}. Somewhere else? Tap "Change country".'
# A country the knowledge file has no text for: say so, never "For Canada" under a text about
# Australia or a US insurer (a fourth stranger, in Ottawa, Cork and Buenos Aires).
# "We have not checked Australia yet" under the cost, when the access answer has Australia's, read as
# a contradiction (a thirteenth stranger): the place is unchecked for this question only.
UNCHECKED_PLACE_TEXT = "We have not checked this for {places} yet."
UNCHECKED_OWN_PLACE_TEXT = "We have not checked this for {places} yet, so this is {answer}."
UNCHECKED_ANSWERS = {"eu": "the answer for EU countries"}
GENERAL_ANSWER = "the general answer"
CHANGE_REGION_HINT = 'Somewhere else? Tap "Change country".'
CHANGE_REGION_BUTTON = {"title": "Change country", "payload": "/change_region"}
REGION_BUTTONS = [
    {"title": "UK", "payload": '/followup_context{"region": "uk"}'},
    {"title": "US", "payload": '/followup_context{"region": "us"}'},
    {"title": "EU country", "payload": '/followup_context{"region": "eu"}'},
    {"title": "Somewhere else", "payload": '/followup_context{"region": "other"}'},
]
LIVES_IN_BUTTON = "I live in {place}"
REGION_NOTED_TEXT = "Thanks. I'll use that for answers that depend on where you live."
SAFETY_OF_TEXT = 'About safety, following "{question}":'

# The eligibility self-check (its questions and criteria are in the knowledge file).
CHECK_SKIP_BUTTON = {"title": "Skip this question", "payload": "skip"}
CHECK_STOP_BUTTON = {"title": "Stop the check", "payload": "/stop"}
CHECK_NOT_UNDERSTOOD_TEXT = (
    "Sorry, I didn't catch that. Please pick an option, type skip to pass, or type stop to end the check."
)
CHECK_ALREADY_KNOWN_TEXT = "I'll use what you already told me ({}), so there are fewer questions."
CHECK_STOPPED_TEXT = "OK, I've stopped the eligibility check. What else would you like to know?"
# Feelings in the middle of the check ("this is pointless"): support first, the check waits.
CHECK_PAUSED_TEXT = "I've paused the check and kept your answers so far. Go on whenever you like, or just talk to me."
CHECK_FRUSTRATED_TEXT = "I'm sorry this has been frustrating."
CHECK_CONTINUE_BUTTON = {"title": "Go on with the check", "payload": "/start_eligibility_check"}
CHECK_HEADINGS = {
    "favours": "Usually in favour:",
    "depends": "Depends on the centre or on more details:",
    "against": "Usually counts against:",
}
CHECK_SKIPPED_TEXT = "You skipped: {}."
CHECK_UNSURE_TEXT = "You weren't sure about: {}."
CHECK_NOTHING_ANSWERED_TEXT = (
    "You didn't answer any of the questions, so I can't compare your situation with the criteria. In general:"
)
CHECK_NEUROLOGIST_HEADING = "Questions you could take to your neurologist or MS team:"
CHECK_BASED_ON = "Based on:"

# The same answer asked for again in one conversation.
# "Say that again simpler": the answer's first sentence, its plainest line (answers come first).
SIMPLER_TEXT = "In short: {summary}"
# The other question of a two-question message, answered under the first.
ALSO_ANSWERED_TEXT = 'You also asked: "{question}"\n{answer}'
AS_ABOVE_TEXT = 'As above: {summary} Tap "Tell me more" for the details.'
AS_ABOVE_THEN_MORE_TEXT = "As above: {summary} Here is more on it."
MORE_BUTTON = {"title": "Tell me more", "payload": "/ask_more"}
SOURCES_BUTTON = {"title": "Where is that from?", "payload": "/ask_source"}

# Feelings, "that's not what I meant", and the turns after crisis lines: support, never topic content.
SUPPORT_TEXT = (
    "I'm sorry you're going through this. It's a lot to carry, and it makes sense to feel this way. "
    "You don't have to work through it alone."
)
SUPPORT_AFTER_CRISIS_TEXT = (
    "Thank you for telling me. I'm still here. If you feel unsafe, the lines above are there day and night. "
    "You can tell me more, or ask me anything about AHSCT when you're ready."
)
# Feelings again, after the helplines were given in this session: not the same long list again.
SUPPORT_AGAIN_TEXT = (
    "I'm here, and I'm listening. You don't have to call anyone: you can keep talking to me, or ask about "
    "AHSCT whenever you like. The helplines above are there if you want them later."
)
# A young person upset about a parent ("im 15 and my mum is having it... i cant stop crying").
YOUNG_PERSON_TEXT = (
    "Please tell an adult you trust how you feel: someone in your family, a teacher or your school nurse. "
    "You don't have to keep it to yourself."
)
# A question asked with worry ("is he going to be ok? I'm really worried"): the feeling is heard
# first, once a session, then the answer (a fifth stranger's 17-year-old).
WORRY_TEXT = "It makes sense to feel worried."
WORRY_THEN_ANSWER_TEXT = "Here is what is known in general:"
VERY_UPSET_TEXT = "This is a lot to take in, and you don't have to face it alone: you can talk to a person too."
ALONE_TEXT = "I'm sorry you feel alone with this. You don't have to carry it by yourself."
ANGRY_TEXT = "It's understandable to feel angry and let down."
STRUGGLING_TEXT = "I'm sorry things are hard for you right now. How you feel matters too."
DYING_FEAR_TEXT = "That is a frightening thought, and it's natural to have it."
DYING_FEAR_FAMILY_TEXT = "That is a frightening thought, especially when you have a family who needs you."
KEEP_ASKING_TEXT = "Your MS nurse is also there for you. And I'm here if you want to ask anything, at your own pace."
KEEP_ASKING_CARER_TEXT = (
    "Looking after someone is hard too, and you deserve support as well. And I'm here if you want to ask "
    "anything, at your own pace."
)
MISSED_POINT_TEXT = "Sorry I missed that."
NOT_WHAT_I_MEANT_TEXT = (
    "Sorry, I got that wrong. Could you say it another way? You can also pick one of these, "
    "or talk to a person at your MS society's helpline or your MS nurse."
)
TALK_TO_SOMEONE_BUTTON = {"title": "Talk to a person", "payload": "/human_help"}

# A person describing their situation.
SITUATION_UNDERSTOOD_TEXT = "Thank you for telling me. This is what I understood:"
SITUATION_PLACE_LINE = "• Where you live: {place}"
SITUATION_CRITERIA_TEXT = "In general, published criteria say (this is not a decision about you):"
SITUATION_NOTHING_TEXT = (
    "Thank you for telling me about your situation. I can set it beside the published criteria for AHSCT "
    "if you answer a few short questions, or tell you who can usually have it."
)
SITUATION_CHECK_BUTTON = "Compare with the criteria ({n} questions)"
SITUATION_CHECK_BUTTON_ONE = "Compare with the criteria (1 question)"

# The summary for the neurologist (actions/summary.py, actions/summary_render.py).
SUMMARY_BUTTON = {"title": "Summary for my neurologist", "payload": "/request_summary"}
SUMMARY_TITLE = "AHSCT: notes for my neurologist"
SUMMARY_NOTE = (
    "General information from published criteria and guidance, made by an information service. "
    "It is not a medical opinion or a decision about treatment: that is for you and your MS team."
)
SUMMARY_ANSWERS_HEADING = "My answers, beside what published criteria usually say"
SUMMARY_NO_ANSWERS_TEXT = "No self-check answers. The self-check (6 short questions) can add them to these notes."
SUMMARY_TOPICS_HEADING = "What I asked about"
SUMMARY_QUESTIONS_HEADING = "Questions to ask my neurologist or MS team"
SUMMARY_SUPPORT_HEADING = "Support"
SUMMARY_CRITERIA_SOURCES = "What the criteria say comes from:"
SUMMARY_UNSURE_TEXT = "Not sure"
SUMMARY_UNSURE_CRITERIA = "Not known yet"
SUMMARY_UNSURE_NOTE = "One of the questions below is about this."
SUMMARY_MADE_ON = "Made on {date}"
SUMMARY_FOR_PLACE = "Support lines are for {place}."
# What the chat says when a summary is asked for.
SUMMARY_READY_TEXT = (
    "Here are your notes for your neurologist: {what}. They hold only your answers (never what you "
    "typed) and the general information I gave, with sources."
)
SUMMARY_READY_WEB = "Open them to print or save as PDF, or download the PDF. The link works for one hour."
SUMMARY_READY_TELEGRAM = "I'm sending them as a PDF you can print or show on your phone."
SUMMARY_EMPTY_TEXT = (
    "I can make notes to take to your neurologist once there is something in them: ask me about "
    "AHSCT, or do the self-check and I'll set your answers beside the published criteria."
)
SUMMARY_CHECK_BUTTON = {"title": "Do the self-check", "payload": "/start_eligibility_check"}
SUMMARY_LINK_EXPIRED_TEXT = (
    "This link has expired or is no longer valid. Links to your notes work for one hour, and stop "
    'working when you start over. Ask the assistant for new notes: type "summary".'
)
SUMMARY_DOCUMENT_CAPTION = "Notes for your neurologist (general information, not a medical opinion)."
SUMMARY_ALSO_ASKED = "I also asked: {topics}{more}."
SUMMARY_MORE_TOPICS = "; and {n} more"
