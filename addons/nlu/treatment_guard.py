"""NLU component: a question that names the treatment is not declined on a weak out-of-scope guess,
nor one that names a trial of it (`trial_topic`) given another topic that cannot answer it.
"hi im 29 and just got diagnosed with rrms last month in dublin ... what even is it" (a stranger's
first message, 2026-12-01) got "Sorry, I can't help with that": out_of_scope 0.44, what-is-AHSCT 0.42.
When out_of_scope is the classifier's guess below `unsure_below`, the message names AHSCT and no other
illness or transplant, and the next intent is an FAQ topic with at least `next_at_least`, that topic is
the intent. Chosen on the tuning sets: 2 topic questions gained, no unrelated message lost (0.8 and 0.1
lost 2 to 4: "stem cells for spinal cord injury")."""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.component import ConfiguredComponent
from addons.nlu.ranking import FALLBACK, put_first, ranking

OUT_OF_SCOPE = "out_of_scope"
_TREATMENT = re.compile(r"\b(?:a?hsct|ahcst|a?hsc|stem[ -]?cells?|transplant\w*|immune reset)\b", re.IGNORECASE)
# Other illnesses and transplants, where stem cells or a transplant are someone else's subject.
_OTHER = re.compile(
    r"\b(?:lupus|leuk\w+|lymphoma|myeloma|sickle|diabet\w*|cancer|kidney|liver|heart|lung|cornea|hair|als|parkinson\w*"
    r"|crohn\w*|scleroderma|arthritis|knee|spinal cord|stroke|autism|cerebral palsy|alzheimer\w*|dementia|nmo"
    r"|neuromyelitis|myasthenia|donat\w+|donor|cord blood bank\w*|dogs?|cats?|horses?|plants?)\b",
    re.IGNORECASE,
)


# A trial of AHSCT for MS, by name ("what is star ms", "any news on beat ms", "tell me about star-ms":
# declined at 0.66 to 0.98). "beat ms" only where it reads as a name, not "can diet beat ms"; another
# name like "NET-MS" with the word trial or study (the action says which trials it knows). MIST, the
# randomised trial against MS drugs, is answered with that comparison ("What exactly did the MIST trial
# show" got the 2025 UK study three times: an eighth stranger, 2026-12-02).
_TRIAL = re.compile(
    r"\b(?:star[ -]?ms|(?:ram|halt|beat)-ms)\b"
    r"|\b(?:the|on|about|of|in|join|joining|for|is|from|with)\s+(?:beat|ram|halt) ms\b"
    r"|\b(?:beat|ram|halt) ms (?:trial|study|results?|recruit\w*)\b"
    # The Canadian trial ("What did the Ottawa trial find?", "the Canadian HSCT study with busulfan" got
    # the 2025 UK study: an eleventh stranger, 2026-12-02).
    r"|\b(?:canadian|canada|ottawa) (?:(?:a?hsct|stem cell|transplant) )?(?:trial|study)\b|\batkins (?:et al|2016)\b",
    re.IGNORECASE,
)
_MIST = re.compile(r"\bMIST\b|\b(?i:mist (?:trial|study)|burt (?:et al|2019))\b")
_ANY_TRIAL_NAME = re.compile(r"\b[a-z]{3,8}-ms\b", re.IGNORECASE)
_TRIAL_WORD = re.compile(r"\b(?:trial|study)\b", re.IGNORECASE)
CLINICAL_TRIALS = "faq_clinical_trials"
VS_DMTS = "faq_vs_dmts"
# What a trial's name takes the place of: not understood, or a topic that cannot hold a trial's
# answer (a question about BEAT-MS's age limit is about BEAT-MS, not eligibility in general).
_GIVES_WAY_TO_A_TRIAL = frozenset(
    {
        OUT_OF_SCOPE,
        FALLBACK,
        "followup_context",  # "what about the canadian trial" is not "and in Canada?"
        "faq_what_is_ahsct",
        "faq_eligibility",
        "faq_uk_study",
        "faq_meta_analysis",
        "faq_access",
    }
)

# MIST's results are the comparison's point, not the general answer on how well AHSCT works.
_GIVES_WAY_TO_MIST = frozenset({"faq_effectiveness", CLINICAL_TRIALS})


def trial_topic(text: Any) -> str | None:
    """The FAQ intent for a trial of AHSCT for MS the message names (see _TRIAL, _MIST), or None; never
    when it names another illness too."""
    if not isinstance(text, str) or _OTHER.search(text):
        return None
    if _TRIAL.search(text) or (_ANY_TRIAL_NAME.search(text) and _TRIAL_WORD.search(text)):
        return CLINICAL_TRIALS  # MIST among others ("STAR-MS, BEAT-MS, RAM-MS, MIST. what are these trials")
    return VS_DMTS if _MIST.search(text) else None


def names_only_this_treatment(text: Any) -> bool:
    """Whether the message names AHSCT (its names, stem cells, a transplant) and no other illness or
    transplant that those words could be about."""
    return isinstance(text, str) and bool(_TREATMENT.search(text)) and not _OTHER.search(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TreatmentNamedGuard(ConfiguredComponent):
    """See the module docstring. Runs after the classifier, before the SafetyGuard."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"unsure_below": 0.6, "next_at_least": 0.2}

    def __init__(self, config: dict[str, Any]) -> None:
        self.unsure_below = float(config.get("unsure_below", 0.6))
        self.next_at_least = float(config.get("next_at_least", 0.2))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            trial = trial_topic(message.get(TEXT))
            gives_way = _GIVES_WAY_TO_A_TRIAL | (_GIVES_WAY_TO_MIST if trial == VS_DMTS else frozenset())
            if trial and intent.get(INTENT_NAME_KEY) in gives_way:
                put_first(message, trial, 1.0)  # a rule, like a word asked (term_guard.py)
                continue
            if intent.get(INTENT_NAME_KEY) != OUT_OF_SCOPE:
                continue
            if float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self.unsure_below:
                continue
            if not names_only_this_treatment(message.get(TEXT)):
                continue
            following = [r for r in ranking(message) if r[INTENT_NAME_KEY] != OUT_OF_SCOPE][:1]
            if following and str(following[0][INTENT_NAME_KEY]).startswith("faq_"):
                confidence = float(following[0][PREDICTED_CONFIDENCE_KEY])
                if confidence >= self.next_at_least:
                    put_first(message, following[0][INTENT_NAME_KEY], confidence)
        return messages
