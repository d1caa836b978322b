"""A message written in another language gets, once a session, a line in that language saying the
answers are in English. A fifth stranger's "¿El HSCT está aprobado en España? Mi madre tiene EM" got
the English refusal alone, which its writer may not read.

Plain word counts, no model: a language is named only when at least three of its common words are
in the message, more than any other language's and more than twice the English ones, so an English
message with a name or a borrowed word ("de novo", "la Charité") is left alone.
"""

from __future__ import annotations

import re

from actions.topics import lowered


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common words of each language that are not English words (nor each other's, where it could be
# helped), and its words about MS and AHSCT.
_WORDS: dict[str, frozenset[str]] = {
    "es": _words(
        "que el los las del es para por con una mi tengo puedo cuánto cuanto cómo qué hay pero muy también dónde donde "
        "está estoy esta soy hijo hija madre padre esposo esposa tiene cuesta esclerosis múltiple trasplante "
        "células aprobado españa méxico hola gracias ayuda sí años"
    ),
    "fr": _words(
        "le les des est une pour avec je mon ma mes peux puis qui quoi combien c'est j'ai pas ne très aussi dans être "
        "mais ou où sclérose plaques greffe cellules souches bonjour merci mère père fille fils coûte ans"
    ),
    "de": _words(
        "der die das und ist ich nicht mit für ein eine einen meine mein kann wie was viel kostet bei auch zu werden "
        "sklerose stammzellen stammzelltransplantation hallo danke mutter vater tochter sohn jahre habe"
    ),
    "it": _words(
        "il lo gli che di è per con una sono mio mia posso quanto costa sclerosi trapianto cellule staminali non anche "
        "come cosa ciao grazie madre padre figlia figlio anni ho"
    ),
    "pt": _words(
        "os que de é para com uma um meu minha posso quanto custa esclerose transplante células tronco não também "
        "você olá obrigado obrigada mãe pai filha filho anos tenho"
    ),
    "pl": _words(
        "w z na jest nie się mój moja czy ile kosztuje stwardnienie rozsiane przeszczep komórek macierzystych mam to "
        "jak co dzień dobry dziękuję mama tata córka syn lat"
    ),
}
_ENGLISH = _words(
    "the and is i my to of a in it what how can you do for with after have has will be are this that does about "
    "me we he she his her they is it's im i'm get"
)
ONLY_ENGLISH_TEXT = {
    "es": "Lo siento, por ahora solo puedo responder en inglés.",
    "fr": "Désolé, pour l'instant je ne peux répondre qu'en anglais.",
    "de": "Entschuldigung, ich kann im Moment nur auf Englisch antworten.",
    "it": "Mi dispiace, per ora posso rispondere solo in inglese.",
    "pt": "Desculpe, por enquanto só posso responder em inglês.",
    "pl": "Przepraszam, na razie mogę odpowiadać tylko po angielsku.",
}
MIN_WORDS = 3
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def language_of(text: str | None) -> str | None:
    """The language (a key of ONLY_ENGLISH_TEXT) the message is written in, or None for English or
    when unsure."""
    if not isinstance(text, str):
        return None
    tokens = _TOKEN.findall(lowered(text))
    if not tokens:
        return None
    scores = {lang: sum(token in words for token in tokens) for lang, words in _WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    english = sum(token in _ENGLISH for token in tokens)
    runner_up = max(score for lang, score in scores.items() if lang != best)
    if scores[best] >= MIN_WORDS and scores[best] > runner_up and scores[best] > 2 * english:
        return best
    return None


def only_english_text(text: str | None) -> str | None:
    """The line saying, in the message's own language, that the answers are in English; or None."""
    lang = language_of(text)
    return ONLY_ENGLISH_TEXT[lang] if lang else None


# "my english is not good, you can answer in spanish please?" was taken as a request to change country
# (a sixth stranger). A request for another language, named in English or in itself.
_LANGUAGE_NAMES = {
    "es": "spanish|español|espanol|castellano",
    "fr": "french|français|francais",
    "de": "german|deutsch",
    "it": "italian|italiano",
    "pt": "portuguese|português|portugues",
    "pl": "polish|polski|po polsku",
}
_ASKS_LANGUAGE = re.compile(
    r"\b(?:answer|reply|respond|speak|talk|write|explain|say|tell|translate|chat|habla\w*|parle\w*|sprechen|sprichst"
    r"|parla\w*|fala\w*|m[oó]wi\w*)\b[^.?!]{0,30}?\b(?:in |en |auf |em |po )?(?:"
    + "|".join(f"(?P<{code}>{names})" for code, names in _LANGUAGE_NAMES.items())
    + r")\b"
    + r"|^\s*(?:in )?(?P<alone>"
    + "|".join(_LANGUAGE_NAMES.values())
    + r")\s*(?:please|pls|\?)*\s*$",
    re.IGNORECASE,
)
ENGLISH_ONLY_TEXT = (
    "Sorry, I can only answer in English for now. Your phone or browser may be able to translate this page for you."
)


def language_asked_for(text: str | None) -> str | None:
    """The language (a key of ONLY_ENGLISH_TEXT) the message asks the assistant to answer in, or None."""
    if not isinstance(text, str):
        return None
    found = _ASKS_LANGUAGE.search(lowered(text))
    if found is None:
        return None
    for code, names in _LANGUAGE_NAMES.items():
        if found.group(code) or re.fullmatch(names, found.group("alone") or ""):
            return code
    return None


def language_request_texts(text: str | None) -> list[str]:
    """For a request to answer in another language: that it cannot, in that language and in English."""
    code = language_asked_for(text)
    return [ONLY_ENGLISH_TEXT[code], ENGLISH_ONLY_TEXT] if code else []
