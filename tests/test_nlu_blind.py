"""NLU floors on the blind set (tests/nlu_blind.yml): 598 messages by writers who never saw the
training data, never used for any choice. The floors are what the model reached when they were set,
a little lower for run-to-run noise; the issue's targets are beside them. Texts are never printed."""

from __future__ import annotations

import pytest

from actions.config import second_intent_min_confidence
from devtools.evaluation import read_blind_set, score_blind

pytestmark = pytest.mark.model

# (floor asserted, the target). Measured 2026-11-30 with DIET over three trainings: topics
# 0.778-0.801, out-of-scope recall 0.915-0.949, AHSCT content for unrelated questions 0.017-0.025,
# situations 0.867-0.917; with each question classified on its own and the SituationGuard (chosen on
# tuning sets): two questions 0.633 (either order 0.800), situations 0.900, topics 0.798.
# With the LinearIntentClassifier (config.yml, chosen on the tuning sets; these figures were printed
# after the choice and changed nothing): topics 0.900, out-of-scope recall 0.958, AHSCT content for 4
# of 118 unrelated questions (0.034, was 2), situations 0.983, two questions 0.633 (either order 0.667),
# feelings 0.897. Then 156 training lines of unrelated questions after MS details and the
# SituationGuard's second look at out of scope (chosen on tuning sets and on an attacker's 1,059
# messages; printed after): topics 0.875, out-of-scope recall 0.966, AHSCT content for 2 of 118
# (0.017), situations 0.933, the rest the same. Then 208 training lines for the six topics an attack
# recognised worst (chosen on the attack's messages; the tuning sets were even): topics 0.906, two
# questions 0.767 (either order 0.800), AHSCT content for 3 of 118 unrelated questions (0.025), the
# rest the same. Then (chosen on the tuning sets and the attack; docs/understanding.md has each step's
# figures, printed after its choice) short, follow-up and misspelt topic questions, unrelated
# questions in the topics' words, a rule for two questions and text-speak joins: topics 0.925,
# out-of-scope recall 0.983, AHSCT content for 1 of 118 unrelated questions (0.008), situations
# 0.917, two questions 0.800 (either order 0.800), feelings 0.897. Then the classifier's sentence
# features from MiniLM's first 4 layers: topics 0.947, out-of-scope recall 0.992, AHSCT content for
# none of 118, situations 0.967, two questions 0.867 (either order 0.900), feelings 0.931. Training
# is deterministic; the floors sit under these for changes of training data. 2026-12-02 (last
# session's print): topics 0.947, two questions 0.933. 2026-12-02, later (printed once, after every
# choice of that session: a tuning set from 40 imagined people, rules for named trials, a topic only
# told about, an aside in an AHSCT question, 18 unrelated training lines): topics 0.950, out-of-scope
# recall 0.992, AHSCT content for none of 118, situations 0.983, two questions 0.933 (either order
# 0.967), feelings 0.966. 2026-12-02, evening (printed twice, each after NLU choices made on strangers'
# conversations and the tuning sets: place words, the Canadian trial's name, signs said absent): the
# same figures. 2026-12-03, morning (printed twice, each after that stop's NLU choices: a few training
# lines and US insurers as place words, then a crisis pattern, chosen on strangers' conversations, the
# tuning sets and the safety cases): the same figures. Every NLU target holds here, topics only just; the end-to-end check by strangers'
# conversations does not, so issue 13 stays open.
TOPIC_ACCURACY = (0.92, 0.95)
OOS_RECALL = (0.96, 0.95)
OOS_GIVEN_FAQ_CEILING = (0.02, 0.02)
SITUATIONS_ROUTED = (0.93, 0.90)
TWO_QUESTIONS = (0.80, 0.90)
FEELINGS_SUPPORTED = (0.86, None)


@pytest.fixture(scope="module")
def blind(root, parse_texts):
    messages = read_blind_set(root / "tests" / "nlu_blind.yml")
    parses = parse_texts([m["text"] for m in messages])
    scores = score_blind(messages, parses, second_intent_min_confidence())
    print("\nblind set:", scores.summary())
    return scores


def test_ahsct_questions_get_their_topic(blind):
    assert blind.topic_accuracy >= TOPIC_ACCURACY[0], blind.summary()


def test_unrelated_questions_are_declined(blind):
    assert blind.oos_recall >= OOS_RECALL[0], blind.summary()
    assert blind.oos_given_faq <= OOS_GIVEN_FAQ_CEILING[0], blind.summary()


def test_situations_go_to_eligibility_or_the_self_check(blind):
    assert blind.situations_routed >= SITUATIONS_ROUTED[0], blind.summary()


def test_two_questions_answer_one_and_offer_the_other(blind):
    assert blind.two_questions >= TWO_QUESTIONS[0], blind.summary()


def test_feelings_get_a_supportive_reply(blind):
    assert blind.support >= FEELINGS_SUPPORTED[0], blind.summary()
