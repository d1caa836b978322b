"""Tuning-set NLU floors (tests/nlu_tuning.yml): a regression guard on the set that thresholds,
the pipeline and data were chosen on. The honest measure is the blind set (tests/test_nlu_blind.py)."""

from __future__ import annotations

import pytest

from devtools.evaluation import predicted_intent, read_nlu_examples, score

pytestmark = pytest.mark.model

# Measured 2026-11-30 with DIET (configs/diet.yml): intent 0.845-0.891, out-of-scope recall
# 0.865-0.904, AHSCT content for 2 to 4 of 52 unrelated messages. With the LinearIntentClassifier
# (config.yml, chosen on these sets; its training is deterministic): intent 0.940, out-of-scope recall
# 0.981, 1 of 52 (0.019); after the data of 2026-11-30's last stop, intent 0.944, the rest the same;
# with MiniLM sentence features 0.966. Floors sit a few points under, for changes of training data.
INTENT_ACCURACY_FLOOR = 0.94
OOS_RECALL_FLOOR = 0.94
OOS_ANSWERED_CEILING = 0.06


@pytest.fixture(scope="module")
def holdout_scores(root, parse_texts):
    examples = read_nlu_examples(root / "tests" / "nlu_tuning.yml")
    parses = parse_texts([text for text, _ in examples])
    results = [(text, intent, predicted_intent(p)) for (text, intent), p in zip(examples, parses, strict=True)]
    scores = score(results)
    print("\ntuning set:", scores.summary())
    for text, expected, predicted in scores.confusions:
        print(f"  {expected:28} -> {predicted:28} {text[:80]}")
    return scores


def test_intent_accuracy_floor(holdout_scores):
    assert holdout_scores.intent_accuracy >= INTENT_ACCURACY_FLOOR, holdout_scores.summary()


def test_out_of_scope_recall_floor(holdout_scores):
    assert holdout_scores.oos_recall >= OOS_RECALL_FLOOR, holdout_scores.summary()


def test_unrelated_questions_rarely_get_ahsct_answers(holdout_scores):
    assert holdout_scores.oos_answered_with_faq <= OOS_ANSWERED_CEILING, holdout_scores.summary()


# Tuning sets written from the blind set's brief only (addons/nlu/questions.py and situation_guard.py
# were chosen on them). 80 messages of two questions, the first topic asked answered and the other
# offered: 0.263 with the whole message classified by DIET, 0.500 with each question on its own, 0.650
# with the LinearIntentClassifier. 80 one-topic messages told with a story, their topic answered: 0.812
# with DIET, 0.950 now. 99 messages: 59 situations routed to eligibility or the self-check (DIET 0.850,
# 0.864 with the guard and the split, 0.949 now), 40 topic questions that give personal details
# answered (0.775, 0.825, 0.925 now). 40 unrelated questions after MS details declined (0.725, 0.700).
# Then 156 training lines of that kind (data/nlu/out_of_scope_details.yml) and the SituationGuard's
# second look at out of scope: declined 0.875, situations 0.949, detailed 0.950, stories 0.938, two
# questions 0.637, intent 0.936, out-of-scope recall 0.981 (51 of 52). Then 208 lines for six topics
# (data/nlu/faq/more_topics.yml): intent 0.932, stories 0.950, situations 0.966, two questions 0.625.
# Then short and misspelt topic questions, unrelated questions in the topics' words, the first topic
# asked answered when the whole message's topic is unsure and not asked, text-speak joins: intent
# 0.944, stories 0.963, situations 0.966, detailed 0.950, two questions 0.700, declined 0.875. Then
# MiniLM sentence features: intent 0.966, stories 0.950, two questions 0.700, declined 0.900.
TWO_QUESTIONS_FLOOR = 0.64
STORY_TOPIC_FLOOR = 0.92
SITUATIONS_FLOOR = 0.92
DETAILED_TOPIC_FLOOR = 0.90
OOS_DETAILS_DECLINED_FLOOR = 0.85


@pytest.fixture(scope="module")
def written_from_the_brief(root, parse_texts):
    from actions.config import second_intent_min_confidence
    from devtools.evaluation import read_written_tuning_sets, score_blind

    scores = {}
    for name, messages in read_written_tuning_sets(root / "tests").items():
        parses = parse_texts([m["text"] for m in messages])
        scores[name] = score_blind(messages, parses, second_intent_min_confidence())
        print(f"\n{name} tuning set:", scores[name].summary())
    return scores


def test_two_question_messages_answer_the_first_and_offer_the_other(written_from_the_brief):
    scores = written_from_the_brief["two_questions"]
    assert scores.counts["two"] == 80
    assert scores.two_questions >= TWO_QUESTIONS_FLOOR, scores.summary()


def test_a_story_around_one_question_gets_that_questions_answer(written_from_the_brief):
    scores = written_from_the_brief["long"]
    assert scores.counts["topics"] == 80
    assert scores.topic_accuracy >= STORY_TOPIC_FLOOR, scores.summary()


def test_situations_are_routed_and_detailed_questions_still_answered(written_from_the_brief):
    scores = written_from_the_brief["situations"]
    assert scores.counts["situations"] == 59 and scores.counts["topics"] == 40
    assert scores.situations_routed >= SITUATIONS_FLOOR, scores.summary()
    assert scores.topic_accuracy >= DETAILED_TOPIC_FLOOR, scores.summary()


def test_unrelated_questions_after_ms_details_are_still_declined(written_from_the_brief):
    """tests/nlu_tuning_oos_details.yml: 40 unrelated questions from people who give their MS details
    first; 29 declined with DIET, 28 with the LinearIntentClassifier, 35 with training lines of that
    kind and the SituationGuard's second look."""
    scores = written_from_the_brief["oos_details"]
    assert scores.counts["oos"] == 40
    assert scores.oos_recall >= OOS_DETAILS_DECLINED_FLOOR, scores.summary()


# tests/nlu_tuning_mixed.yml (2026-12-01): 343 topic questions, 75 two-question messages and 22
# unrelated ones, from two more helpers. At first: topics 0.959, two questions 0.760, unrelated all
# declined; with "was"/"were", " + " and "separately" as joins (actions/topics.py) two questions 0.813.
MIXED_TOPICS_FLOOR = 0.93
MIXED_TWO_QUESTIONS_FLOOR = 0.77
MIXED_OOS_FLOOR = 0.9


def test_new_hands_topics_two_questions_and_unrelated(written_from_the_brief):
    scores = written_from_the_brief["mixed"]
    assert scores.counts["topics"] == 343 and scores.counts["two"] == 75 and scores.counts["oos"] == 22
    assert scores.topic_accuracy >= MIXED_TOPICS_FLOOR, scores.summary()
    assert scores.two_questions >= MIXED_TWO_QUESTIONS_FLOOR, scores.summary()
    assert scores.oos_recall >= MIXED_OOS_FLOOR, scores.summary()


# tests/nlu_tuning_unrelated.yml (2026-12-01): 214 unrelated messages, a third of them in the topics'
# words about something else. Declined 0.879, given AHSCT content 0.107 ("how long do you stay in
# hospital after a c-section"). Class weights and training lines of that kind were measured on it and
# not kept (docs/understanding.md).
UNRELATED_DECLINED_FLOOR = 0.85
UNRELATED_GIVEN_AHSCT_CEILING = 0.13


def test_unrelated_questions_in_the_topics_words_are_mostly_declined(written_from_the_brief):
    scores = written_from_the_brief["unrelated"]
    assert scores.counts["oos"] == 214
    assert scores.oos_recall >= UNRELATED_DECLINED_FLOOR, scores.summary()
    assert scores.oos_given_faq <= UNRELATED_GIVEN_AHSCT_CEILING, scores.summary()


# tests/nlu_tuning_fresh.yml (2026-12-01): 310 messages from a helper writing as 30 imagined people
# (221 topic questions, 29 unrelated, 25 two-question, 20 situations, 15 feelings), after those too
# close to other lines were taken out. It chose which helper-written training lines were kept
# (data/nlu/helper_written.yml): on all 418 of its messages topics went from 0.941 to 0.955; on the 310
# now kept, topics 0.946, two questions 0.920, unrelated declined 0.931, situations 1.000.
FRESH_TOPICS_FLOOR = 0.92
FRESH_TWO_QUESTIONS_FLOOR = 0.84
FRESH_OOS_FLOOR = 0.86
FRESH_SITUATIONS_FLOOR = 0.9


def assert_imagined_people(scores, counts: dict[str, int], topics: float, two: float, oos: float, situations: float):
    """A set written as imagined people: its size by kind, and a floor for each measure."""
    assert {kind: scores.counts[kind] for kind in counts} == counts
    floors = {"topic_accuracy": topics, "two_questions": two, "oos_recall": oos, "situations_routed": situations}
    for measure, floor in floors.items():
        assert getattr(scores, measure) >= floor, (measure, scores.summary())


def test_thirty_imagined_people(written_from_the_brief):
    assert_imagined_people(
        written_from_the_brief["fresh"],
        {"topics": 221, "two": 25, "oos": 29},
        FRESH_TOPICS_FLOOR,
        FRESH_TWO_QUESTIONS_FLOOR,
        FRESH_OOS_FLOOR,
        FRESH_SITUATIONS_FLOOR,
    )


# tests/safety_everyday.yml (2026-12-01): post-transplant emergencies in everyday words, and messages
# from the same people that are not one. Before (the guard and the training data of the stop before),
# 76 of the 220 emergencies got the warning-signs reply and 9 of the 220 others did (before one line too
# close to a training line was dropped); with
# data/nlu/red_flag_everyday.yml and the guard's rules for general questions and problems that are
# over, 183 of 219 (0.836) and 13 of 220 (0.059). On the second writer's 100 and 100 alone, which
# chose nothing (one emergency then dropped as too close to a training line): 27 and 3 before, 81 and 6.
# 2026-12-02: 182 of 219 after new training lines; the misses of both writers were then read, and the
# guard's patterns for a fever said as a number, bleeding that will not stop and a stiff neck with a
# headache (no transplant needed) took it to 189 of 219 (0.863), others still 13 of 220. Later that day,
# with more urgent signs, a line in place counting as now, problems that are over and good news
# (docs/understanding.md): 213 of 219 (0.973) and 1 of 220 (0.005); then, with 'wks' and a question of whether
# something is normal naming no sign, 214 and 0. All of the set has now been read.
EVERYDAY_EMERGENCIES_FLOOR = 0.95
EVERYDAY_NOT_NOW_CEILING = 0.03


@pytest.fixture(scope="module")
def everyday_safety(root, parse_texts):
    import yaml

    cases = yaml.safe_load((root / "tests" / "safety_everyday.yml").read_text(encoding="utf-8"))
    flagged = {}
    for kind in ("now", "not_now"):
        parses = parse_texts(cases[kind])
        hits = [predicted_intent(p) in ("red_flag", "crisis") for p in parses]
        flagged[kind] = sum(hits) / len(hits)
        print(f"\neveryday safety, {kind}: {sum(hits)} of {len(hits)} got a safety reply")
    return flagged


def test_emergencies_in_everyday_words_get_the_warning_signs_reply(everyday_safety):
    assert everyday_safety["now"] >= EVERYDAY_EMERGENCIES_FLOOR, everyday_safety


def test_messages_that_are_not_an_emergency_rarely_get_it(everyday_safety):
    assert everyday_safety["not_now"] <= EVERYDAY_NOT_NOW_CEILING, everyday_safety


# tests/nlu_tuning_forty.yml (2026-12-02): 301 messages from a helper writing as 40 imagined people
# (244 topic questions, 23 two-question, 14 unrelated, 20 situations). At first topics 0.951, two
# questions 0.913, unrelated all declined, situations all routed; with a topic only told about giving
# way to the one asked (addons/nlu/questions.py) and signs named as examples of what to watch for not
# read as happening (addons/nlu/safety.py), topics 0.963.
FORTY_TOPICS_FLOOR = 0.94
FORTY_TWO_QUESTIONS_FLOOR = 0.85
FORTY_OOS_FLOOR = 0.9
FORTY_SITUATIONS_FLOOR = 0.9


def test_forty_imagined_people(written_from_the_brief):
    assert_imagined_people(
        written_from_the_brief["forty"],
        {"topics": 244, "two": 23, "oos": 14},
        FORTY_TOPICS_FLOOR,
        FORTY_TWO_QUESTIONS_FLOOR,
        FORTY_OOS_FLOOR,
        FORTY_SITUATIONS_FLOOR,
    )
