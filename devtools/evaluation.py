"""Held-out NLU evaluation shared by the tests, `make bench` and `make tune-threshold`.

Plain Python: the caller supplies parse results (Rasa's parse output dicts).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
NOT_ANSWERED = (OUT_OF_SCOPE, FALLBACK)
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def plain_text(example: str) -> str:
    """Example text without entity annotations."""
    return _ANNOTATION.sub(r"\1", example).strip()


def read_nlu_examples(path: str | Path) -> list[tuple[str, str]]:
    """(text, intent) pairs from a Rasa 3 NLU YAML file; entity annotations removed."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    pairs = []
    for block in data.get("nlu") or []:
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((plain_text(line[2:]), block["intent"]))
    return pairs


def read_training_examples(folder: str | Path) -> list[tuple[str, str]]:
    """(text, intent) pairs from every NLU YAML file under `folder` (data/nlu/), in path order."""
    return [pair for path in sorted(Path(folder).rglob("*.yml")) for pair in read_nlu_examples(path)]


def normalised(text: str) -> str:
    """Lower case, letters and digits only, single spaces: how the leak check compares texts."""
    text = text.lower().replace("\u2019", "'")
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())


def similarity(a: str, b: str) -> float:
    """The larger of word-set overlap (Jaccard) and difflib's ratio, on normalised texts."""
    if a == b:
        return 1.0
    words_a, words_b = set(a.split()), set(b.split())
    union = words_a | words_b
    jaccard = len(words_a & words_b) / len(union) if union else 0.0
    return max(jaccard, difflib.SequenceMatcher(None, a, b).ratio())


_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 "


def _letter_counts(texts: Sequence[str]) -> Any:
    import numpy as np

    counts = np.zeros((len(texts), len(_ALPHABET)), dtype=np.int32)
    for row, text in enumerate(texts):
        for char in text:
            counts[row, _ALPHABET.index(char)] += 1
    return counts


def near_duplicates(
    texts: Iterable[str], training: Iterable[str], at_least: float = 0.8
) -> list[tuple[str, str, float]]:
    """(text, training text, similarity) for every text with a training text at least `at_least`
    similar (one such training text). difflib's ratio is at most 2 x (letters in common) / (total
    letters), so only training texts within that bound are compared in full."""
    import numpy as np

    trained = sorted({normalised(t) for t in training})
    counts = _letter_counts(trained)
    lengths = counts.sum(axis=1)
    vocabulary = {word: n for n, word in enumerate(sorted({w for t in trained for w in t.split()}))}
    has_word = np.zeros((len(trained), len(vocabulary)), dtype=np.int16)
    for row, text in enumerate(trained):
        for word in set(text.split()):
            has_word[row, vocabulary[word]] = 1
    sizes = has_word.sum(axis=1)
    found = []
    for text in texts:
        mine = normalised(text)
        bound = 2 * np.minimum(counts, _letter_counts([mine])[0]).sum(axis=1) / np.maximum(lengths + len(mine), 1)
        mine_words = set(mine.split())
        shared = has_word[:, [vocabulary[w] for w in mine_words if w in vocabulary]].sum(axis=1)
        jaccard = shared / np.maximum(sizes + len(mine_words) - shared, 1)
        if jaccard.max(initial=0) >= at_least:
            n = int(jaccard.argmax())
            found.append((text, trained[n], float(jaccard[n])))
            continue
        for n in sorted(np.nonzero(bound >= at_least)[0], key=lambda n: -bound[n]):
            ratio = similarity(mine, trained[n])
            if ratio >= at_least:
                found.append((text, trained[n], ratio))
                break
    return found


def top_intent(parse: dict) -> tuple[str | None, float]:
    """The classifier's own best intent and confidence, before the fallback threshold."""
    for item in parse.get("intent_ranking") or []:
        if item.get("name") != FALLBACK:
            return item.get("name"), float(item.get("confidence") or 0.0)
    intent = parse.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def predicted_intent(parse: dict, threshold: float | None = None) -> str | None:
    """The intent the assistant acts on; with a threshold, re-applies the fallback rule."""
    if threshold is None:
        return (parse.get("intent") or {}).get("name")
    name, confidence = top_intent(parse)
    return name if confidence >= threshold else FALLBACK


@dataclass
class Scores:
    intent_accuracy: float  # in-scope examples whose intent was recognised
    oos_recall: float  # out-of-scope examples that were not answered (declined or "not sure")
    oos_strict_recall: float  # out-of-scope examples recognised as out_of_scope
    oos_answered_with_faq: float  # out-of-scope examples that got an AHSCT answer (must stay low)
    in_scope_fallback_rate: float  # in-scope examples that got "not sure"
    n_in_scope: int
    n_oos: int
    per_intent: dict[str, float]
    confusions: list[tuple[str, str, str]]  # (text, expected, predicted)

    def summary(self) -> str:
        return (
            f"intent accuracy {self.intent_accuracy:.3f} (n={self.n_in_scope}), "
            f"out-of-scope recall {self.oos_recall:.3f} (strict {self.oos_strict_recall:.3f}, n={self.n_oos}), "
            f"out-of-scope answered with AHSCT content {self.oos_answered_with_faq:.3f}, "
            f"in-scope 'not sure' {self.in_scope_fallback_rate:.3f}"
        )


def score(results: Iterable[tuple[str, str, str | None]]) -> Scores:
    """results: (text, expected intent, predicted intent)."""
    results = list(results)
    per_total: Counter = Counter()
    per_ok: Counter = Counter()
    confusions = []
    in_scope = [r for r in results if r[1] != OUT_OF_SCOPE]
    oos = [r for r in results if r[1] == OUT_OF_SCOPE]
    for text, expected, predicted in results:
        per_total[expected] += 1
        ok = predicted in NOT_ANSWERED if expected == OUT_OF_SCOPE else predicted == expected
        if ok:
            per_ok[expected] += 1
        else:
            confusions.append((text, expected, str(predicted)))

    def share(items: Sequence, cond) -> float:
        return sum(1 for r in items if cond(r)) / len(items) if items else 0.0

    return Scores(
        intent_accuracy=share(in_scope, lambda r: r[2] == r[1]),
        oos_recall=share(oos, lambda r: r[2] in NOT_ANSWERED),
        oos_strict_recall=share(oos, lambda r: r[2] == OUT_OF_SCOPE),
        oos_answered_with_faq=share(oos, lambda r: str(r[2]).startswith("faq_")),
        in_scope_fallback_rate=share(in_scope, lambda r: r[2] == FALLBACK),
        n_in_scope=len(in_scope),
        n_oos=len(oos),
        per_intent={k: per_ok[k] / v for k, v in sorted(per_total.items())},
        confusions=confusions,
    )


def by_intent(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for text, intent in pairs:
        grouped[intent].append(text)
    return dict(grouped)


# --- the blind set (tests/nlu_blind.yml) -----------------------------------------------------

SITUATION_ROUTES = frozenset({"describe_situation", "faq_eligibility", "start_eligibility_check"})
SUPPORT_INTENTS = frozenset({"express_feelings", "not_what_i_meant"})
TOPIC_KINDS = frozenset({"topic", "typo", "long"})


def read_blind_set(path: str | Path) -> list[dict]:
    """The blind set's messages: text, label, kind, and for some second / near_domain."""
    return list((yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("messages") or [])


# Tuning sets written by helpers from the blind set's brief only (tests/nlu_tuning_<name>.yml), in
# the blind set's format; the NLU components for several questions and situations were chosen on them.
WRITTEN_TUNING_SETS = ("two_questions", "long", "situations", "oos_details", "mixed", "unrelated", "fresh", "forty")


def read_written_tuning_sets(tests_dir: str | Path) -> dict[str, list[dict]]:
    """Each of WRITTEN_TUNING_SETS: its messages, by name."""
    return {name: read_blind_set(Path(tests_dir) / f"nlu_tuning_{name}.yml") for name in WRITTEN_TUNING_SETS}


def offered_second(parse: dict, min_confidence: float) -> str | None:
    """The FAQ intent the answer offers as the other topic, chosen as actions/actions.py does: the
    next topic the message's questions ask about, else the topic its other question names, else the
    second-best FAQ intent if sure enough."""
    from actions.answers import also_asked_about, entry_id_for_intent, intent_for_entry
    from actions.store import get_knowledge

    answered = entry_id_for_intent(predicted_intent(parse)) or ""
    ranking = parse.get("intent_ranking") or []
    known = get_knowledge().entries
    asked = parse.get("questions_asked")
    offered = also_asked_about(parse.get("text"), answered, ranking, min_confidence, known, asked)
    return intent_for_entry(offered[0]) if offered else None


@dataclass
class BlindScores:
    """The issue's measures on the blind set (never used for any choice)."""

    topic_accuracy: float  # AHSCT questions (kinds topic, typo, long) given their topic's intent
    oos_recall: float  # out-of-scope messages declined or "not sure"
    oos_given_faq: float  # out-of-scope messages given AHSCT content (must stay low)
    situations_routed: float  # situations routed to eligibility or the self-check
    two_questions: float  # main topic answered and the other offered
    two_questions_either: float  # both topics answered or offered, in either order
    support: float  # feelings given a supportive reply
    counts: dict[str, int]
    misses: list[tuple[str, str, str]]  # (kind, expected, predicted), no text: the set stays unread

    def summary(self) -> str:
        return (
            f"topics {self.topic_accuracy:.3f} (n={self.counts['topics']}), "
            f"out-of-scope recall {self.oos_recall:.3f} (n={self.counts['oos']}), "
            f"out-of-scope given AHSCT content {self.oos_given_faq:.3f}, "
            f"situations {self.situations_routed:.3f} (n={self.counts['situations']}), "
            f"two questions {self.two_questions:.3f} / either order {self.two_questions_either:.3f} "
            f"(n={self.counts['two']}), feelings {self.support:.3f} (n={self.counts['support']})"
        )


def score_blind(messages: Sequence[dict], parses: Sequence[dict], second_min_confidence: float) -> BlindScores:
    def share(hits: list[bool]) -> float:
        return sum(hits) / len(hits) if hits else 0.0

    topics, oos, oos_faq, situations, two, two_either, support = [], [], [], [], [], [], []
    misses = []
    for message, parse in zip(messages, parses, strict=True):
        label, kind = message["label"], message["kind"]
        predicted = predicted_intent(parse) or ""
        if label == OUT_OF_SCOPE:
            oos.append(predicted in NOT_ANSWERED)
            oos_faq.append(predicted.startswith("faq_"))
            hit = oos[-1]
        elif label == "situation":
            situations.append(predicted in SITUATION_ROUTES)
            hit = situations[-1]
        elif label == "emotional_support":
            support.append(predicted in SUPPORT_INTENTS)
            hit = support[-1]
        elif kind == "two_questions":
            offered = offered_second(parse, second_min_confidence)
            two.append(predicted == label and offered == message.get("second"))
            two_either.append({predicted, offered} == {label, message.get("second")})
            hit = two[-1]
        else:
            topics.append(predicted == label)
            hit = topics[-1]
        if not hit:
            misses.append((kind, label, predicted))
    return BlindScores(
        topic_accuracy=share(topics),
        oos_recall=share(oos),
        oos_given_faq=share(oos_faq),
        situations_routed=share(situations),
        two_questions=share(two),
        two_questions_either=share(two_either),
        support=share(support),
        counts={
            "topics": len(topics),
            "oos": len(oos),
            "situations": len(situations),
            "two": len(two),
            "support": len(support),
        },
        misses=misses,
    )
