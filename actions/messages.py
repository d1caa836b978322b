"""The assistant's own words that custom actions send (not medical content).

Responses used by rules live in domain.yml; these are sent from inside actions,
where `rasa data validate` would flag a domain response as unused.
"""

NOT_SURE_TEXT = "I'm not sure I understood. Did you mean one of these?"
