"""Tuning-set NLU floors (tests/nlu_tuning.yml): a regression guard on the set that thresholds,
the pipeline and data were chosen on. The honest measure is the blind set (tests/test_nlu_blind.py)."""

from __future__ import annotations

import pytest

from devtools.evaluation import predicted_intent, read_nlu_examples, score

pytestmark = pytest.mark.model

# Measured 2026-11-30 after the tuning set gained lines for the new intents (situations, feelings,
# changing country): intent 0.845-0.876, out-of-scope recall 0.865-0.904, AHSCT content for 2 to 4
# of 52 unrelated messages (0.038-0.077) over retrainings with data changes (a dozen lines moved
# intent accuracy by 3 points, misses spread over 30 pairs; 553 lines for the intents cross-validation
# recognised worst brought it back to 0.876). Floors sit under that range.
INTENT_ACCURACY_FLOOR = 0.83
OOS_RECALL_FLOOR = 0.84
OOS_ANSWERED_CEILING = 0.10


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


# Two tuning sets written from the blind set's brief only (addons/nlu/questions.py was chosen on them):
# 80 messages of two questions, the first topic asked answered and the other offered (0.263 with the
# whole message classified, 0.500 with each question on its own, 2026-11-30); 80 one-topic messages
# told with a story, their topic answered (0.812 either way; 0.713 had the first topic asked always won).
TWO_QUESTIONS_FLOOR = 0.45
STORY_TOPIC_FLOOR = 0.77
# 99 messages (addons/nlu/situation_guard.py was chosen on them): 59 situations routed to
# eligibility or the self-check (0.850 -> 0.864 with the guard and the split), 40 topic questions that
# give personal details answered (0.775 -> 0.825).
SITUATIONS_FLOOR = 0.85
DETAILED_TOPIC_FLOOR = 0.70
OOS_DETAILS_DECLINED_FLOOR = 0.65


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
    first; 29 declined without the SituationGuard and with it (it keeps out of scope)."""
    scores = written_from_the_brief["oos_details"]
    assert scores.counts["oos"] == 40
    assert scores.oos_recall >= OOS_DETAILS_DECLINED_FLOOR, scores.summary()
