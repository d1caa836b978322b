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
