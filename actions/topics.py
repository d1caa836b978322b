"""The other question in a two-question message. Plain Python, no Rasa import.

The classifier gives one intent per message, and it gives it nearly all its confidence, so "is it
FDA approved and how much would it cost me" was answered about the FDA with nothing said of cost.
The message is cut into its questions (at question marks, full stops and joins such as "and what",
"n how", "also"). The NLU (addons/nlu/questions.py) classifies each question on its own and
`topics_asked` lists the topics they ask about in order: the first is answered, the next offered
first under the answer. A question the classifier is unsure of counts for the one topic its words
name unmistakably ("cost", "pregnant", "FDA"), if any. `other_topic` does the same with words only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
    # Children as a wish, not as visitors ("can me and the kids visit her" got the fertility answer: a
    # sixteenth stranger, 2026-12-03).
    "fertility": (
        r"pregnan\w*|(?:have|having|had|want|wants|wanted|start|starting|more|future|another) (?:a |more |any )?"
        r"(?:children|kids|baby|babies|family)|fertil\w*|eggs|sperm|periods?|menopause|family planning"
    ),
    "infections": r"infections?|virus\w*|vaccin\w*|jabs?|immun\w* (?:low|weak)|shingles",
    "hospital_stay": r"hospital|recover\w*|back to work|weeks? off|how long (?:does|will) it take",
    "procedure": r"steps?|process|procedure|what happens|involve[sd]?|collection|harvest\w*|mobili[sz]\w*|apheresis",
    "chemotherapy": r"chemo\w*|cyclophosphamide|\batg\b|\bbeam\b|busulfan",
    # Not a job ("how long would i be off work for? im a nurse" got "Does AHSCT work?" too: a sixteenth
    # stranger; "i work in IT" too: a twenty-fourth).
    "effectiveness": (
        r"(?<!off )(?<!to )(?<!at )(?<!my )(?<!from )(?<!of )(?<!for )(?<!her )(?<!his )(?<!\bi )(?<!\bwe )"
        r"(?:work|works|working)|effective|success\w*|cure\w*|results?|relapse.?free|stop (?:my )?ms"
    ),
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
# Where one question ends and the next begins: punctuation, or a join before a question word.
# Chosen on tests/nlu_tuning_two_questions.yml (80 messages), each question classified on its own:
# main topic answered and the other offered 0.58, against 0.46 with the earlier joins (only "and"
# before is/are/can/does/do/how/what/will/would/when); a comma before a question word cost 2. Text-speak
# question words ("hw risky is hsct and wat r the side efects") added 2026-11-30: 0.662 -> 0.675, no
# other tuning set moved; "or" before a question word ("approved in canada or is mexico the only
# option") changed nothing and is not a join. "was"/"were" as question words, " + " and "separately"
# as joins (2026-12-01): on tests/nlu_tuning_mixed.yml's 75 two-question messages 0.760 -> 0.813;
# no other tuning message changed.
_QUESTION_WORD = (
    r"(?:is|are|was|were|can|could|does|do|did|has|have|how|what|whats|what's|which|where|why|who|will|would|when|should"
    r"|if|any|wat|wot|wats|hw|hws|hows)"
)
# Numbered questions ("Questions: 1) can people with PPMS even get HSCT 2) what would the risks be 3) does
# it ever reverse damage" got only what was understood: a twentieth stranger, 2026-12-03) are parts too.
_PARTS = re.compile(
    rf"[?.!;\n]+|\s\+\s|(?:^|\s)\d{{1,2}}\)\s*"
    rf"|\b(?:and also|and what about|and separately|separately|also|plus|(?:and|n|&) (?={_QUESTION_WORD}\b))"
)
# A message of more parts than this is a story, not a list of questions: it is not cut up.
MAX_PARTS = 6


def lowered(text: str) -> str:
    """Lower case, straight apostrophes, single spaces; punctuation kept (patterns read "37.9", "a&e")."""
    return " ".join(text.lower().replace("\u2019", "'").split())


def parts(text: str) -> list[str]:
    """The questions of a message: at least two words each."""
    return [p.strip() for p in _PARTS.split(lowered(text)) if len(p.split()) >= 2]


# An auxiliary followed by a past participle, a number or "not" tells, it does not ask: "(diagnosed 3
# years ago and) has had 4 relapses even on ocrevus" was read as a question about MS drugs, which was
# answered in place of the questions that followed (a twentieth stranger's message, 2026-12-03).
_TELLS = (
    r"(?:is|are|was|were|can|could|does|do|did|has|have|will|would|should)\s+"
    r"(?:had|been|got|gotten|tried|done|gone|started|stopped|failed|diagnosed|never|always|already|still|not|\d+)\b"
)
# Words before the question word: "for later what other things should i watch for" was not a question,
# so it went unanswered under "You're doing the right thing" (a twentieth stranger, 2026-12-03).
_LEAD_IN = (
    r"(?:and|so|but|ok|okay|also|then|n|&|for later|later|btw|by the way|oh|one more thing|last thing|quick question)"
)
_ASKS = re.compile(rf"^(?:{_LEAD_IN},?\s+)*(?!{_TELLS}){_QUESTION_WORD}\b")


def reads_as_question(part: str) -> bool:
    """Whether a part of a message (see `parts`) is worded as a question, not a statement: "does she
    lose her hair", not "she was on tecfidera then tysabri"."""
    return bool(_ASKS.match(lowered(part)))


def is_told(part: str, text: str) -> bool:
    """Whether a part of `text` (see `parts`) is a statement: not worded as a question and ended by a
    full stop or an exclamation mark in the message ("my neurologist mentioned the transplant but said
    nothing about cost."), not by a question mark or a join ("hair loss??", "ok total beginner here
    what even is ahsct and ...")."""
    return not reads_as_question(part) and ended_by(part, text) in (".", "!")


def ended_by(part: str, text: str) -> str:
    """The character that ends a part of `text` (see `parts`) there: ".", "?", a letter of what follows,
    or "" at the end."""
    whole = lowered(text)
    at = whole.find(part)
    return whole[at + len(part) :].lstrip()[:1] if at >= 0 else ""


def _topics(part: str) -> list[str]:
    return [topic for topic, pattern in _PATTERNS.items() if pattern.search(part)]


def topic_of(question: str, entry_id: str | None, confidence: float, min_confidence: float) -> str | None:
    """The entry id one question of a message (see `parts`) asks about: the classifier's FAQ entry
    (`entry_id`, None for another intent) when it is at least `min_confidence` sure, else the one
    topic the question's words name, else None."""
    if entry_id and confidence >= min_confidence:
        return entry_id
    named = _topics(lowered(question))
    return named[0] if len(named) == 1 else None


def topics_asked(topics: Sequence[str | None]) -> list[str]:
    """The topics of a message's questions (`topic_of` each), in the order asked, each once."""
    return list(dict.fromkeys(t for t in topics if t is not None))


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


# MS drugs by brand and generic name, for "is kesimpta better than ocrevus" (a question about two MS
# drugs, not about AHSCT).
_DMT_NAMES = re.compile(
    r"\b(?:ocrevus|ocrelizumab|lemtrada|alemtuzumab|tysabri|natalizumab|kesimpta|ofatumumab|mavenclad|cladribine"
    r"|copaxone|glatiramer|tecfidera|dimethyl fumarate|gilenya|fingolimod|aubagio|teriflunomide|rituximab|briumvi"
    r"|ublituximab|zeposia|ozanimod|ponvory|ponesimod|mayzent|siponimod|vumerity|avonex|rebif|plegridy|betaferon)\b"
)
# The treatment named: by the messages about other drugs here, and by actions.actions for "is AHSCT safe?".
AHSCT_NAMES = r"a?hsct|ahcst|a?hsc|stem[ -]?cells?|transplant\w*|bone marrow|immune reset"
_AHSCT_OR_IT = re.compile(rf"\b(?:{AHSCT_NAMES}|chemo\w*|it|this|that)\b")


def compares_other_drugs_only(text: str | None) -> bool:
    """Whether the message names two or more MS drugs and neither AHSCT nor "it" ("is kesimpta better
    than ocrevus"): a question about those drugs, not about AHSCT."""
    said = lowered(text or "")
    return len({m.group(0) for m in _DMT_NAMES.finditer(said)}) >= 2 and not _AHSCT_OR_IT.search(said)


_AHSCT_NAMED = re.compile(rf"\b(?:{AHSCT_NAMES})\b")


def about_another_drug(text: str | None) -> bool:
    """Whether the message names an MS drug and not AHSCT by name ("what about ocrevus, is that better for
    PPMS"): a question about the drug, whatever "it" or "that" refers to."""
    said = lowered(text or "")
    return bool(_DMT_NAMES.search(said)) and not _AHSCT_NAMED.search(said)


_OTHER_CELLS = re.compile(r"(?<![a-z])(?:" + TOPIC_WORDS["unproven_clinics"] + r"|mscs?|exosomes?|cord blood)(?![a-z])")


def compares_other_cells(text: str | None) -> bool:
    """Whether a message names other cell treatments (mesenchymal cells, cord blood, clinic injections)
    and no MS drug: "hsct vs mesenchymal which is better" compares AHSCT with those, not with MS drugs."""
    said = lowered(text or "")
    return bool(_OTHER_CELLS.search(said)) and not _DMT_NAMES.search(said) and not re.search(r"\bdmts?\b", said)


# Another illness as the subject ("my mum has parkinsons, could a stem cell transplant help her too?"
# got what AHSCT is: a seventeenth stranger, 2026-12-03), with no word for MS. Not illnesses that are
# side effects or risks of AHSCT (cancer, leukaemia, thyroid disease).
_OTHER_ILLNESS = re.compile(
    r"\b(?:parkinson'?s?|parkinsons|als|motor neurone disease|mnd|alzheimer'?s?|alzheimers|dementia|autism|autistic"
    r"|cerebral palsy|spinal cord injur\w*|stroke|lupus|crohn'?s?|crohns|diabetes|diabetic|rheumatoid|sickle cell"
    r"|psoriasis|scleroderma|myasthenia|nmo|neuromyelitis|long covid)\b"
)
_MS = re.compile(r"\b(?:ms|m\.s\.|multiple sclerosis|rrms|spms|ppms|rms|cis)\b")
# Topics where another illness may be what the question is about, not a risk of AHSCT.
TOPICS_FOR_MS_ONLY = frozenset(
    {"what_is_ahsct", "effectiveness", "eligibility", "access", "vs_dmts", "cost", "procedure", "treatment_abroad"}
)


def about_another_illness(text: str | None) -> bool:
    """Whether the message is about another illness and never names MS: "could a stem cell transplant
    help her parkinsons"."""
    said = lowered(text or "")
    return bool(_OTHER_ILLNESS.search(said)) and not _MS.search(said)
