"""`make bench`: end-to-end answer accuracy and latency over the REST webhook.
`make bench-load` (--load): latency p50/p95/p99 and throughput at 1, 10 and 50
conversations at once and memory, written to docs/performance.md.

Starts its own action server and Rasa server on loopback (ports 5205/5255, a
throw-away tracker database), then:
  1. sends every tuning-set question (tests/nlu_tuning.yml) as a new conversation
     and checks the reply: FAQ questions must get their knowledge entry's answer
     (any variant), out-of-scope ones a decline, small talk its response;
  2. measures latency per message with 1 and with 10 conversations at once;
  3. reports the memory (RSS) of each server process.
Prints a table and writes results/bench.json.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import yaml  # noqa: E402

from actions.knowledge import load_knowledge  # noqa: E402
from actions.messages import (  # noqa: E402
    NOT_SURE_TEXT,
    NOT_WHAT_I_MEANT_TEXT,
    OUT_OF_SCOPE_TEXT,
    SITUATION_NOTHING_TEXT,
    SITUATION_UNDERSTOOD_TEXT,
    SUPPORT_TEXT,
)
from devtools.evaluation import OUT_OF_SCOPE, read_blind_set, read_nlu_examples  # noqa: E402
from devtools.scaleout import start_redis  # noqa: E402
from devtools.stack import Stack, StackConfig, rss_mb  # noqa: E402

SMALL_TALK_RESPONSE = {
    "greet": "utter_welcome",  # a conversation opened with a greeting gets the welcome
    "goodbye": "utter_goodbye",
    "thanks": "utter_youre_welcome",
    "bot_challenge": "utter_iamabot",
    "help": "utter_welcome",
}
LATENCY_MESSAGES = [
    "is ahsct fda approved",
    "what are the risks",
    "how much does it cost in the uk",
    "hello",
    "can i have kids after hsct",
]


def normalise(text: str) -> str:
    return " ".join(text.split())


def measured(intent: str) -> bool:
    """Intents with a single-turn answer to check (stop, skip, "and in the UK?" need context)."""
    return intent.startswith("faq_") or intent in (OUT_OF_SCOPE, "start_eligibility_check", *SMALL_TALK_RESPONSE)


def expected_texts(intent: str, knowledge, responses) -> list[str]:
    if intent == "start_eligibility_check":
        return [knowledge.self_check.intro]
    if intent.startswith("faq_"):
        entry = knowledge.entries[intent[4:]]
        return [entry.answer] + [t for by in entry.variants.values() for t in by.values()]
    if intent == OUT_OF_SCOPE:
        return [OUT_OF_SCOPE_TEXT, NOT_SURE_TEXT]
    return [responses[SMALL_TALK_RESPONSE[intent]][0]["text"]]


async def post(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> tuple[float, list]:
    start = time.perf_counter()
    async with session.post(url, json={"sender": sender, "message": text}) as resp:
        body = await resp.json()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}")
    return time.perf_counter() - start, body


async def accuracy(url: str, examples, knowledge, responses) -> dict[str, float]:
    ok: dict[str, list[bool]] = {"faq": [], "out_of_scope": [], "other": []}
    misses = []
    async with aiohttp.ClientSession() as session:
        for text, intent in examples:
            sender = uuid.uuid4().hex
            _, replies = await post(session, url, sender, text)
            got = [normalise(r.get("text", "")) for r in replies]
            hit = any(g.startswith(normalise(t)) for g in got for t in expected_texts(intent, knowledge, responses))
            group = "faq" if intent.startswith("faq_") else intent if intent == OUT_OF_SCOPE else "other"
            ok[group].append(hit)
            if not hit:
                misses.append((intent, text))
    total = [h for hits in ok.values() for h in hits]
    result = {group: sum(h) / len(h) for group, h in ok.items() if h}
    result["overall"] = sum(total) / len(total)
    result["n"] = len(total)
    for intent, text in misses:
        print(f"  miss  {intent:26} {text[:80]}")
    return result


async def latency(url: str, conversations: int, turns: int, rounds: int = 1) -> dict[str, float]:
    """`conversations` at once, each sending `turns` messages one after another (the next as soon
    as the reply is in); each of them `rounds` times over, with a new conversation each round."""
    timings: list[float] = []
    errors = 0

    async def conversation(session):
        nonlocal errors
        sender = uuid.uuid4().hex
        for i in range(turns):
            try:
                elapsed, _ = await post(session, url, sender, LATENCY_MESSAGES[i % len(LATENCY_MESSAGES)])
                timings.append(elapsed)
            except (aiohttp.ClientError, RuntimeError, asyncio.TimeoutError):
                errors += 1

    async def one_after_another(session):
        for _ in range(rounds):
            await conversation(session)

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        # Warm-up, not counted: a few at once, so that every Rasa worker has answered.
        await asyncio.gather(*(conversation(session) for _ in range(4)))
        timings.clear()
        errors = 0
        start = time.perf_counter()
        await asyncio.gather(*(one_after_another(session) for _ in range(conversations)))
        wall = time.perf_counter() - start
    return {"conversations": conversations, **summary(timings, errors, wall)}


def summary(timings: list[float], errors: int, wall: float) -> dict[str, float]:
    timings = sorted(timings)
    return {
        "messages": len(timings),
        "errors": errors,
        "p50_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * percentile(timings, 0.95),
        "p99_ms": 1000 * percentile(timings, 0.99),
        "throughput_msg_s": len(timings) / wall,
    }


async def steady_rate(url: str, rate: float, seconds: float = 10.0, people: int = 300) -> dict[str, float]:
    """Messages arriving at random moments, `rate` a second on average (a Poisson process), each from
    one of `people` conversations: people who read and type between messages, unlike latency() where
    each conversation sends again at once. A person's next message waits for their previous reply."""
    rng = random.Random(int(rate))
    senders = [uuid.uuid4().hex for _ in range(people)]
    locks = [asyncio.Lock() for _ in range(people)]
    sent = [0] * people
    timings: list[float] = []
    errors = 0

    async def message(session, person: int) -> None:
        nonlocal errors
        start = time.perf_counter()
        async with locks[person]:
            text = LATENCY_MESSAGES[sent[person] % len(LATENCY_MESSAGES)]
            sent[person] += 1
            try:
                await post(session, url, senders[person], text)
                timings.append(time.perf_counter() - start)
            except (aiohttp.ClientError, RuntimeError, asyncio.TimeoutError):
                errors += 1

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        tasks = []
        start = time.perf_counter()
        due = rng.expovariate(rate)
        while due < seconds:
            await asyncio.sleep(max(0.0, start + due - time.perf_counter()))
            tasks.append(asyncio.create_task(message(session, rng.randrange(people))))
            due += rng.expovariate(rate)
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - start
    return {"rate": rate, **summary(timings, errors, wall)}


TURN_COST_TURNS = 200
TURN_COST_WINDOWS = ((1, 10), (91, 110), (191, 200))


async def turn_cost(url: str, turns: int = TURN_COST_TURNS) -> dict[str, float]:
    """One long conversation, one message after another: the median time of turns 1-10, 91-110 and
    191-200, so that a turn that costs more the longer the conversation is shows (issue 11)."""
    timings: list[float] = []
    sender = uuid.uuid4().hex
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        await post(session, url, uuid.uuid4().hex, "hi")  # warm-up, another conversation
        for i in range(turns):
            elapsed, _ = await post(session, url, sender, LATENCY_MESSAGES[i % len(LATENCY_MESSAGES)])
            timings.append(elapsed)
    return {f"{a}-{b}": 1000 * statistics.median(timings[a - 1 : b]) for a, b in TURN_COST_WINDOWS}


async def blind_end_to_end(url: str, messages: list[dict], knowledge) -> dict[str, float]:
    """The blind set over REST, each message a new conversation, scored by what the person gets:
    an AHSCT question its topic's answer (any variant); a two-question message the main topic's
    answer and a button for the other; an unrelated question the polite boundary or "not sure";
    a situation its comparison with the criteria or the eligibility answer; feelings support.
    Texts are not printed: the set stays unread."""

    def answers(entry_id: str) -> list[str]:
        entry = knowledge.entries.get(entry_id[4:]) if entry_id.startswith("faq_") else None
        return [normalise(part.text) for part in entry.parts.values()] if entry else []

    hits: dict[str, list[bool]] = {
        "topics": [],
        "two_questions": [],
        "out_of_scope": [],
        "situations": [],
        "feelings": [],
    }
    async with aiohttp.ClientSession() as session:
        for message in messages:
            _, replies = await post(session, url, uuid.uuid4().hex, message["text"])
            texts = [normalise(r.get("text", "")) for r in replies]
            payloads = {b.get("payload") for r in replies for b in r.get("buttons") or []}
            label = message["label"]

            def answered(intent: str, texts: list[str] = texts) -> bool:
                return any(t.startswith(a) for t in texts for a in answers(intent))

            if label == OUT_OF_SCOPE:
                hits["out_of_scope"].append(any(t in (OUT_OF_SCOPE_TEXT, NOT_SURE_TEXT) for t in texts))
            elif label == "situation":
                hits["situations"].append(
                    any(t.startswith((SITUATION_UNDERSTOOD_TEXT, SITUATION_NOTHING_TEXT)) for t in texts)
                    or answered("faq_eligibility")
                )
            elif label == "emotional_support":
                hits["feelings"].append(any(t.startswith((SUPPORT_TEXT, NOT_WHAT_I_MEANT_TEXT)) for t in texts))
            elif message["kind"] == "two_questions":
                hits["two_questions"].append(answered(label) and f"/{message['second']}" in payloads)
            else:
                hits["topics"].append(answered(label))
    return {group: sum(h) / len(h) for group, h in hits.items() if h} | {f"n_{g}": len(h) for g, h in hits.items()}


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(0, int(round(q * len(ordered))) - 1)] if ordered else float("nan")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"
    )


# (conversations at once, turns each, conversations one after another in each of those places)
LOAD_LEVELS = [(1, 10, 4), (10, 10, 3), (50, 5, 2)]
GOAL_CONVERSATIONS, GOAL_P95_MS = 10, 150  # issue 6: p95 at most 150 ms at 10 conversations at once
REDIS_PORT = 5265
RATES = [10, 20, 30, 40]  # messages a second arriving at random moments (steady_rate)
SECONDS_BETWEEN_MESSAGES = 30  # a person reading an answer and typing the next question


@dataclass
class Setup:
    name: str
    workers: int
    rows: list[dict] = field(default_factory=list)
    rate_rows: list[dict] = field(default_factory=list)
    memory: dict[str, float] = field(default_factory=dict)
    turn_cost: dict[str, float] = field(default_factory=dict)


def cpu_check() -> float:
    """Seconds for a fixed piece of pure Python: the same code runs up to ~1.7 times slower when the
    virtual machine's neighbours are busy, so each table says how fast the machine was."""
    start = time.perf_counter()
    sum(range(30_000_000))
    return time.perf_counter() - start


def write_performance_doc(setups: list[Setup], path: Path, cpu_seconds: tuple[float, float]) -> None:
    lines = [
        "# Performance",
        "",
        "Written by `make bench-load` (scripts/bench.py --load): every message is a REST request to the",
        "Rasa server on loopback, with the action server and a fresh SQLite tracker store.",
        "Each conversation sends its next message as soon as the reply is in: nobody reads or types, so",
        "N conversations at once keep N requests in the server all the time, a far heavier load than",
        "N people chatting. Each conversation is 10 turns (5 at 50 at once); each place runs 3 of",
        "them one after another (4 for one at a time, 2 at 50 at once), after a warm-up.",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} on: {machine()}.",
        f"CPU check (`sum(range(30_000_000))`, 0.64 s on a quiet run): {cpu_seconds[0]:.2f} s before the",
        f"runs, {cpu_seconds[1]:.2f} s after.",
        "",
        "| set-up | conversations at once | messages | p50 ms | p95 ms | p99 ms | messages/s | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for setup in setups:
        for row in setup.rows:
            lines.append(
                f"| {setup.name} | {row['conversations']} | {row['messages']} | {row['p50_ms']:.0f} | "
                f"{row['p95_ms']:.0f} | {row['p99_ms']:.0f} | {row['throughput_msg_s']:.1f} | {row['errors']} |"
            )
    lines += [
        "",
        "People read and type between messages. Below, messages arrive at random moments (a Poisson",
        "process) at a steady rate, each from one of 300 conversations, for 10 s per rate; a person's",
        "next message waits for their reply. If each person sends a message every",
        f"{SECONDS_BETWEEN_MESSAGES} s, r messages/s is about {SECONDS_BETWEEN_MESSAGES} x r people chatting at once.",
        "",
        "| set-up | messages/s arriving | about people at once | messages | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for setup in setups:
        for row in setup.rate_rows:
            people = row["rate"] * SECONDS_BETWEEN_MESSAGES
            lines.append(
                f"| {setup.name} | {row['rate']:g} | {people:.0f} | {row['messages']} | "
                f"{row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['p99_ms']:.0f} | {row['errors']} |"
            )
    lines += [
        "",
        f"Cost of a turn by how long the conversation is: one conversation of {TURN_COST_TURNS} messages, one",
        "after another; the median of each stretch, and turn 100 (91-110) against turn 1 (1-10).",
        "",
        "| set-up | " + " | ".join(f"turns {a}-{b} ms" for a, b in TURN_COST_WINDOWS) + " | turn 100 / turn 1 |",
        "|---|" + "---:|" * (len(TURN_COST_WINDOWS) + 1),
    ]
    for setup in setups:
        cost = setup.turn_cost
        values = " | ".join(f"{cost[f'{a}-{b}']:.0f}" for a, b in TURN_COST_WINDOWS)
        lines.append(f"| {setup.name} | {values} | {cost['91-110'] / cost['1-10']:.2f} |")
    lines += ["", "Memory (RSS, Rasa with its workers) after the runs:", ""]
    for setup in setups:
        lines.append(f"- {setup.name}: " + ", ".join(f"{n} {mb:.0f} MB" for n, mb in setup.memory.items()))
    goal = f"p95 at most {GOAL_P95_MS} ms at {GOAL_CONVERSATIONS} conversations at once, no errors"
    lines += ["", f"Goal (issue 6): {goal}.", ""]
    for setup in setups:
        [row] = [r for r in setup.rows if r["conversations"] == GOAL_CONVERSATIONS]
        met = row["p95_ms"] <= GOAL_P95_MS and not row["errors"]
        lines.append(f"- {setup.name}: p95 {row['p95_ms']:.0f} ms, {'met' if met else 'not met'}.")
    lines += [
        "",
        "One Rasa process works on one message at a time (Python), so at 10 and 50 conversations",
        "at once messages queue and the latency is set by throughput. `RASA_WORKERS=2` runs one",
        "process per core; it needs the Redis lock store (docs/deploy.md, 'Several processes on one machine').",
        "",
        "With `RASA_WORKERS` above 1 each process runs the MiniLM encoder's matrix products on one",
        "OpenBLAS thread (`OPENBLAS_NUM_THREADS=1`, set by devtools/stack.py; docker-compose.yml sets it",
        "for its two replicas). Measured on 2026-12-01, 2 processes, as many threads as cores against one",
        "each: 10 conversations at once 31.7 against 34.9 messages/s (p95 516 against 412 ms); 40",
        "messages a second arriving, p50 2,579 against 165 ms. One process keeps every core: its encoder",
        "takes 10.2 ms a message on 2 threads, 13.6 ms on one.",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


@contextlib.contextmanager
def running_stack(db_name: str, workers: int = 1) -> Iterator[Stack]:
    """The action server and Rasa on the bench's own ports, over a throw-away tracker database;
    with more than one worker, over a throw-away Redis lock store too."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as cleanup:
        extra_env = {}
        if workers > 1:
            redis = start_redis("127.0.0.1", REDIS_PORT)
            cleanup.callback(redis.wait)
            cleanup.callback(redis.terminate)
            extra_env = {
                "LOCK_STORE": "redis",
                "REDIS_HOST": "127.0.0.1",
                "REDIS_PORT": str(REDIS_PORT),
                "CONVERSATION_ID_KEY": uuid.uuid4().hex,
            }
        config = StackConfig(
            rasa_port=5205,
            action_port=5255,
            tracker_db=Path(tmp) / db_name,
            log_dir=ROOT / "results" / "bench-logs",
            workers=workers,
            extra_env=extra_env,
        )
        stack = Stack(config)
        try:
            stack.start_actions()
            stack.start_rasa()
            stack.wait_ready()
            yield stack
        finally:
            stack.stop()


def main_load() -> int:
    setups = [Setup("1 process (make run)", workers=1)]
    if shutil.which("redis-server"):
        setups.append(Setup("2 processes + Redis locks", workers=2))
    else:
        print("redis-server is not installed (make test-packages): measuring one process only")
    cpu_before = cpu_check()
    for setup in setups:
        with running_stack(f"load-{setup.workers}.db", workers=setup.workers) as stack:
            url = f"{stack.config.rasa_url}/webhooks/rest/webhook"
            setup.rows = [asyncio.run(latency(url, *level)) for level in LOAD_LEVELS]
            setup.rate_rows = [asyncio.run(steady_rate(url, rate)) for rate in RATES]
            setup.turn_cost = asyncio.run(turn_cost(url))
            setup.memory = {name: rss_mb(proc.pid) for name, proc in stack.procs.items()}
    doc = ROOT / "docs" / "performance.md"
    write_performance_doc(setups, doc, (cpu_before, cpu_check()))
    print(doc.read_text())
    print(f"Written to {doc.relative_to(ROOT)}")
    return 1 if any(row["errors"] for setup in setups for row in setup.rows + setup.rate_rows) else 0


def main() -> int:
    if "--load" in sys.argv[1:]:
        return main_load()
    knowledge = load_knowledge(ROOT / "knowledge" / "ahsct.yml")
    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    examples = [(t, i) for t, i in read_nlu_examples(ROOT / "tests" / "nlu_tuning.yml") if measured(i)]
    blind = read_blind_set(ROOT / "tests" / "nlu_blind.yml")
    # Tuning sets written from the blind set's brief (two questions; one topic told with a story).
    written = {name: read_blind_set(ROOT / "tests" / f"nlu_tuning_{name}.yml") for name in ("two_questions", "long")}
    with running_stack("bench.db") as stack:
        url = f"{stack.config.rasa_url}/webhooks/rest/webhook"
        acc = asyncio.run(accuracy(url, examples, knowledge, responses))
        blind_acc = asyncio.run(blind_end_to_end(url, blind, knowledge))
        written_acc = {name: asyncio.run(blind_end_to_end(url, m, knowledge)) for name, m in written.items()}
        lat = [asyncio.run(latency(url, 1, 10, rounds=4)), asyncio.run(latency(url, 10, 10, rounds=3))]
        memory = {name: rss_mb(proc.pid) for name, proc in stack.procs.items()}

    print(f"\nMachine: {machine()}")
    print(f"\nTuning set (tests/nlu_tuning.yml: chose the threshold and pipeline), answers over REST (n={acc['n']}):")
    for key in ("overall", "faq", "out_of_scope", "other"):
        print(f"  {key:14} {acc[key]:.3f}")
    two, story = written_acc["two_questions"], written_acc["long"]
    print(
        f"  two questions  {two['two_questions']:.3f} (n={two['n_two_questions']}, tests/nlu_tuning_two_questions.yml)"
    )
    print(f"  one-topic stories {story['topics']:.3f} (n={story['n_topics']}, tests/nlu_tuning_long.yml)")
    print("\nBlind set (tests/nlu_blind.yml: never used for any choice), what people get over REST:")
    for key in ("topics", "two_questions", "out_of_scope", "situations", "feelings"):
        print(f"  {key:14} {blind_acc.get(key, 0):.3f} (n={blind_acc['n_' + key]})")
    print("\nLatency per message over REST:")
    print(
        f"  {'conversations':>13}  {'messages':>8}  {'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}  "
        f"{'msg/s':>6}  {'errors':>6}"
    )
    for row in lat:
        print(
            f"  {row['conversations']:13d}  {row['messages']:8d}  {row['p50_ms']:7.0f}  "
            f"{row['p95_ms']:7.0f}  {row['p99_ms']:7.0f}  {row['throughput_msg_s']:6.1f}  {row['errors']:6d}"
        )
    print("\nMemory (RSS): " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in memory.items()))
    out = ROOT / "results" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "tuning": acc,
                "tuning_written_from_the_brief": written_acc,
                "blind": blind_acc,
                "latency": lat,
                "memory_mb": memory,
            },
            indent=2,
        )
    )
    print(f"\nWritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
