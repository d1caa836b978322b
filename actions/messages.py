"""The assistant's own words that custom actions send (not medical content).

Responses used by rules live in domain.yml; these are sent from inside actions,
where `rasa data validate` would flag a domain response as unused.
"""

NOT_SURE_TEXT = "I'm not sure I understood. Did you mean one of these?"

START_OVER_TEXT = "OK, let's start again. I have forgotten this conversation. What would you like to know about AHSCT?"
NO_TOPIC_YET_TEXT = "I'm not sure which topic you mean yet."
SAME_EVERYWHERE_TEXT = "This part doesn't depend on where you live, so the answer is the same:"
FIRST_TURN_NOTE = (
    "I'm an information service about AHSCT for MS, not a doctor, and I can't replace your neurologist "
    "or MS team. Please don't share personal details such as your name or health record numbers."
)

# Asking where the person lives, when an answer depends on it (entries with ask_region).
REGION_QUESTION_TEXT = "The answer depends on where you live. Where are you?"
REGION_BUTTONS = [
    {"title": "UK", "payload": '/followup_context{"region": "uk"}'},
    {"title": "US", "payload": '/followup_context{"region": "us"}'},
    {"title": "EU country", "payload": '/followup_context{"region": "eu"}'},
    {"title": "Somewhere else", "payload": '/followup_context{"region": "other"}'},
]
REGION_NOTED_TEXT = "Thanks. I'll use that for answers that depend on where you live."
SAFETY_OF_TEXT = 'About safety, following "{question}":'

# The eligibility self-check (its questions and criteria are in the knowledge file).
CHECK_SKIP_BUTTON = {"title": "Skip this question", "payload": "skip"}
CHECK_STOP_BUTTON = {"title": "Stop the check", "payload": "/stop"}
CHECK_NOT_UNDERSTOOD_TEXT = (
    "Sorry, I didn't catch that. Please pick an option, type skip to pass, or type stop to end the check."
)
CHECK_QUESTION_LATER_TEXT = (
    "That sounds like a question. I can answer it after the check, or type stop to end the check now."
)
CHECK_STOPPED_TEXT = "OK, I've stopped the eligibility check. What else would you like to know?"
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
