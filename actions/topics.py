"""The other question in a two-question message. Plain Python, no Rasa import.

The classifier gives one intent per message, and it gives it nearly all its confidence, so "is it
FDA approved and how much would it cost me" was answered about the FDA with nothing said of cost.
The message is cut into its questions (at question marks, full stops and "and also"-like joins);
each part other than the one the answer is about is matched against a few words that name a
topic unmistakably ("cost", "pregnant", "FDA"). The best match is offered first under the answer.
"""

from __future__ import annotations

import re

# Words that name a topic on their own. Topics whose questions have no such words (what AHSCT is,
# how to talk to the neurologist) are not detected; the classifier's second guess still applies.
TOPIC_WORDS: dict[str, str] = {
    "cost": (
        r"costs?|price|pay|paid|afford|insurance|insurer|insured|expensive|cheap|money|funding|fees?|medicare"
        r"|medicaid|how much (?:is|does|would|will|do|money)"
    ),
    "fda_status": r"fda|approved|approval|licen[cs]ed|legal|regulators?|\bema\b",
    "mortality": r"die|dying|death|deaths|dead|mortality|fatal|survive|survival",
    "risks": r"risks?|risky|safe|safety|dangerous|danger",
    "side_effects": r"side ?effects?|hair|nausea|sick|thyroid|long.?term effects?",
    "fertility": r"pregnan\w*|children|kids|baby|babies|fertil\w*|eggs|sperm|periods?|menopause|family",
    "infections": r"infections?|virus\w*|vaccin\w*|jabs?|immun\w* (?:low|weak)|shingles",
    "hospital_stay": r"hospital|recover\w*|back to work|weeks? off|how long (?:does|will) it take",
    "procedure": r"steps?|process|procedure|what happens|collection|harvest\w*|mobili[sz]\w*|apheresis",
    "chemotherapy": r"chemo\w*|cyclophosphamide|\batg\b|\bbeam\b|busulfan",
    "effectiveness": r"work|works|working|effective|success\w*|cure\w*|results?|relapse.?free|stop (?:my )?ms",
    "eligibility": r"qualify|eligib\w*|criteria|candidate|who can (?:have|get)",
    "progressive_ms": r"progressive|ppms|spms",
    "access": r"referr?\w*|where can i (?:get|have)|centres?|centers?|waiting list|on the nhs",
    "treatment_abroad": r"abroad|overseas|mexico|russia|india|cyprus|argentina|travel\w*",
    "clinical_trials": r"trials?|beat.?ms|star.?ms|ram.?ms",
    "vs_dmts": r"ocrevus|ocrelizumab|lemtrada|alemtuzumab|tysabri|natalizumab|kesimpta|mavenclad|\bdmts?\b",
    "unproven_clinics": r"mesenchymal|umbilical|regenerative|stem cell (?:injections?|clinics?)",
    "warning_signs": r"watch (?:out )?for|look out for|warning signs?|when (?:should|do) (?:we|i) call",
    "information_sources": r"sources?|where (?:does|do) (?:your|you get) (?:the )?information",
}
_PATTERNS = {topic: re.compile(rf"(?<![a-z])(?:{words})(?![a-z])") for topic, words in TOPIC_WORDS.items()}
# Where one question ends and the next begins.
_PARTS = re.compile(
    r"[?.!;\n]+|\b(?:and also|and what about|also|plus|and (?=(?:is|are|can|does|do|how|what|will|would|when)\b))"
)


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def parts(text: str) -> list[str]:
    """The questions of a message: at least two words each."""
    return [p.strip() for p in _PARTS.split(_normalise(text)) if len(p.split()) >= 2]


def _topics(part: str) -> list[str]:
    return [topic for topic, pattern in _PATTERNS.items() if pattern.search(part)]


def other_topic(text: str | None, answered: str) -> str | None:
    """The entry id of another question in the message than the one answered (`answered`, an entry
    id), or None. A part that names the answered topic is that question; another part that names
    exactly one other topic is the second question."""
    questions = parts(text or "")
    if len(questions) < 2:
        return None
    candidates = []
    for part in questions:
        named = _topics(part)
        if answered in named:
            continue
        if len(named) == 1:
            candidates.append(named[0])
    return candidates[0] if candidates else None
