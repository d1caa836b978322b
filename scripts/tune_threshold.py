"""Print held-out NLU scores for a range of fallback thresholds (`make tune-threshold`).

The FallbackClassifier threshold in config.yml is chosen from this table: the
highest in-scope accuracy that keeps out-of-scope recall >= 0.85 and almost no
unrelated question answered with AHSCT content.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.evaluation import predicted_intent, read_nlu_examples, score  # noqa: E402


async def parse_all(model: Path, texts):
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # parse results are printed by us, not logged per message

    agent = Agent.load(str(model))
    return [await agent.parse_message(t) for t in texts]


def main() -> int:
    examples = read_nlu_examples(ROOT / "tests" / "nlu_tuning.yml")
    parses = asyncio.run(parse_all(ROOT / "models" / "ahsct.tar.gz", [t for t, _ in examples]))
    print(f"{'threshold':>9}  {'accuracy':>8}  {'oos recall':>10}  {'oos->faq':>8}  {'in-scope not sure':>17}")
    for step in range(0, 17):
        threshold = 0.10 + step * 0.05
        s = score((t, i, predicted_intent(p, threshold)) for (t, i), p in zip(examples, parses, strict=True))
        print(
            f"{threshold:9.2f}  {s.intent_accuracy:8.3f}  {s.oos_recall:10.3f}  "
            f"{s.oos_answered_with_faq:8.3f}  {s.in_scope_fallback_rate:17.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
