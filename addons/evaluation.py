"""Held-out NLU evaluation shared by the tests, `make bench` and `make tune-threshold`.

Plain Python: the caller supplies parse results (Rasa's parse output dicts).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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
