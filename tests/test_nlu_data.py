"""Training and test data agree with each other, with the domain and with the knowledge file."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from actions.answers import FAQ_INTENT_PREFIX, intent_for_entry
from addons.evaluation import OUT_OF_SCOPE, by_intent, read_nlu_examples

SMALL_TALK = ["greet", "goodbye", "thanks", "bot_challenge", "help"]


@pytest.fixture(scope="module")
def training(root):
    return read_nlu_examples(root / "data" / "nlu.yml")


@pytest.fixture(scope="module")
def holdout(root):
    return read_nlu_examples(root / "tests" / "nlu_holdout.yml")


@pytest.fixture(scope="module")
def rules(root):
    return yaml.safe_load((root / "data" / "rules.yml").read_text())["rules"]


def test_one_faq_intent_per_knowledge_entry(knowledge, domain, training, rules):
    faq_intents = {i for i in domain["intents"] if i.startswith(FAQ_INTENT_PREFIX)}
    assert faq_intents == {intent_for_entry(e) for e in knowledge.entries}
    assert faq_intents <= {intent for _, intent in training}
    answered = {r["steps"][0]["intent"] for r in rules if r["steps"][1].get("action") == "action_answer_faq"}
    assert answered == faq_intents


def test_enough_training_examples(training, domain):
    counts = Counter(intent for _, intent in training)
    for intent in domain["intents"]:
        assert counts[intent] >= 25, (intent, counts[intent])
    assert counts[OUT_OF_SCOPE] >= 100


def test_training_examples_are_unique_across_intents(training):
    seen = {}
    for text, intent in training:
        key = text.lower()
        assert seen.setdefault(key, intent) == intent, f"'{text}' is in {seen[key]} and {intent}"


def test_holdout_is_big_enough_and_never_trained_on(holdout, training, domain):
    grouped = by_intent(holdout)
    measured = [i for i in domain["intents"] if i.startswith(FAQ_INTENT_PREFIX) or i in [*SMALL_TALK, OUT_OF_SCOPE]]
    for intent in measured:
        minimum = 60 if intent == OUT_OF_SCOPE else 8
        assert len(grouped.get(intent, [])) >= minimum, intent
    trained = {text.lower() for text, _ in training}
    leaked = [text for text, _ in holdout if text.lower() in trained]
    assert not leaked


def test_nlu_synonyms_agree_with_knowledge_terms(root, knowledge):
    data = yaml.safe_load((root / "data" / "nlu.yml").read_text())
    synonyms = {}
    for block in data["nlu"]:
        if "synonym" in block:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    synonyms[line.strip()[2:].strip().lower()] = block["synonym"]
    for kind, by_value in knowledge.terms.items():
        for value, terms in by_value.items():
            for term in terms:
                # A country's words map to the country (the region slot keeps "canada", which gives
                # both the country's own crisis lines and its region's answers).
                expected = knowledge.country(term) if kind == "region" and knowledge.country(term) else value
                if term != expected:
                    assert synonyms.get(term) == expected, (kind, term)
    for text, value in synonyms.items():
        assert any(knowledge.canonical(kind, text) == value for kind in knowledge.terms) or (
            knowledge.country(text) == value
        ), text


def test_every_country_maps_to_its_region(knowledge):
    """The countries the issue names are recognised, each with its region (terms test)."""
    expected = {"ireland": "eu", "canada": "other", "australia": "other", "new_zealand": "other"}
    for country, region in expected.items():
        assert knowledge.countries[country].region == region
    for word, place in [
        ("Canada", ("other", "canada")),
        ("Republic of Ireland", ("eu", "ireland")),
        ("aotearoa", ("other", "new_zealand")),
        ("Northern Ireland", ("uk", None)),
        ("sweden", ("eu", "sweden")),
        ("new_zealand", ("other", "new_zealand")),
        ("scotland", ("uk", None)),
        ("mars", (None, None)),
    ]:
        found = knowledge.place(word)
        assert (found.region, found.country) == place, word
    # Every country word is also one of its region's words, so the entity ruler finds it as a region.
    for country in knowledge.countries.values():
        assert set(country.words) <= set(knowledge.terms["region"][country.region])


def test_entity_annotations_agree_with_knowledge_terms(root, knowledge):
    text = (root / "data" / "nlu.yml").read_text()
    annotations = re.findall(r'\[([^\]]+)\]\{"entity": ?"(\w+)", ?"value": ?"(\w+)"\}', text)
    assert len(annotations) > 50
    for surface, entity, value in annotations:
        if entity not in knowledge.terms:  # e.g. feedback: not a knowledge term
            continue
        if entity == "region" and value in knowledge.countries:  # a country: its own key
            assert knowledge.country(surface) == value, (surface, value)
            continue
        assert value in knowledge.terms[entity], (surface, entity, value)
        assert knowledge.canonical(entity, surface) in (None, value), (surface, value)


def test_no_answer_text_outside_the_knowledge_file(root, knowledge):
    """Medical answers live only in knowledge/ahsct.yml: none copied into the domain or the data."""
    places = [root / "domain.yml", *sorted((root / "data").glob("*.yml"))]
    corpus = " ".join(" ".join(p.read_text().split()) for p in places)
    for entry in knowledge.entries.values():
        for sentence in re.split(r"(?<=[.!?])\s+", entry.answer):
            if len(sentence.split()) >= 8:
                assert sentence not in corpus, (entry.id, sentence)


def syllables(word: str) -> int:
    groups = re.findall(r"[aeiouy]+", word.lower())
    count = len(groups) - (1 if word.lower().endswith("e") and len(groups) > 1 else 0)
    return max(1, count)


def fk_grade(text: str) -> float:
    sentences = max(1, len(re.findall(r"[.!?]+(\s|$)", text)))
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    return 0.39 * len(words) / sentences + 11.8 * sum(syllables(w) for w in words) / len(words) - 15.59


def test_answers_are_plain_language(knowledge):
    """Reading age about 12: Flesch-Kincaid grade around 8 on average; no answer far above it."""
    texts = [e.answer for e in knowledge.entries.values()]
    texts += [t for e in knowledge.entries.values() for by in e.variants.values() for t in by.values()]
    grades = [fk_grade(t) for t in texts]
    assert sum(grades) / len(grades) <= 9.5, sorted(grades)
    assert max(grades) <= 13, max(grades)


def test_self_check_texts_are_plain_language(knowledge):
    check = knowledge.self_check
    texts = [check.intro, check.result_intro, *(o.note for q in check.questions for o in q.options)]
    grades = [fk_grade(t) for t in texts]
    assert sum(grades) / len(grades) <= 9.5, sorted(grades)
    assert max(grades) <= 13, max(grades)
