"""`make crossval`: compare NLU pipelines by cross-validation, and what each costs to run.

    python scripts/crossval.py CONFIG [CONFIG ...] [--folds 5] [--seed 13] [--no-cost]

For each config file, on the training data (data/nlu/**.yml) and the tuning set
(tests/nlu_tuning.yml) together:
  1. k-fold cross-validation, stratified by intent, with fixed seeds (the fold split here, DIET's
     own random_seed in the config): each fold trains `rasa train nlu` on the other folds (with
     every lookup table, regex and synonym) and parses its own examples with the trained model.
     Every example is predicted once; scores use the intent the assistant acts on, i.e. after
     the FallbackClassifier threshold as configured and the safety guard
     (devtools/evaluation.py): intent accuracy on in-scope examples, accuracy on the AHSCT
     questions (faq_*), out-of-scope recall, and the share of out-of-scope examples given
     an AHSCT (faq_*) intent;
  2. (unless --no-cost) the cost: `rasa train` on the full training data as `make train` does
     (wall and CPU time); then one Rasa server per config (addons.server, as `make run` starts
     it), all running at once: per-message parse latency over HTTP (POST /model/parse of every
     tuning-set message, 3 rounds after a warm-up, the servers taking turns message by message:
     p50 of each message's median), the server's CPU time per message and its memory (RSS).
     "added p50" is the median over messages of the difference to the first config.

Runs one training at a time, each under `nice -n 10` (the machine is shared). Writes
results/crossval/<config name>.json (per-example predictions too) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import math
import os
import platform
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.evaluation import OUT_OF_SCOPE, predicted_intent, score  # noqa: E402
from devtools.stack import rss_mb  # noqa: E402

RASA = [sys.executable, "-m", "rasa"]
NICE = ["nice", "-n", "10"]
TUNING = ROOT / "tests" / "nlu_tuning.yml"
ENV = {
    **os.environ,
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "HF_HUB_OFFLINE": "1",
    # Rasa's training cache would reuse components trained by an earlier run: no honest training
    # time, and a fold could be fed a model from other data. Off for every training here.
    "RASA_MAX_CACHE_SIZE": "0",
    "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
}


def load_all():
    """(examples, extras): intent examples of data/nlu/**.yml and the tuning set as Rasa Messages;
    the lookup tables, regexes and synonyms that every fold trains with."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    files = sorted((ROOT / "data" / "nlu").rglob("*.yml")) + [TUNING]
    data = TrainingData().merge(*[load_data(str(f)) for f in files])
    examples = [m for m in data.intent_examples if m.get("text")]
    return examples, data


def fold_of(examples, folds: int, seed: int) -> list[int]:
    from sklearn.model_selection import StratifiedKFold

    labels = [m.get("intent") for m in examples]
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    assigned = [0] * len(examples)
    for fold, (_, test) in enumerate(split.split(labels, labels)):
        for n in test:
            assigned[n] = fold
    return assigned


def timed(args: list[str], **kwargs: Any) -> tuple[float, float]:
    """Run a command; (wall seconds, CPU seconds of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(args, cwd=ROOT, env=ENV, capture_output=True, text=True, **kwargs)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


async def parse_with(model: Path, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(t) for t in texts]


def our_modules(config: Path) -> list[Path]:
    """Our own component modules that a config names, and the addons modules they import."""
    pending = re.findall(r"name:\s*(addons(?:\.\w+)+)\.\w+", config.read_text(encoding="utf-8"))
    found: set[Path] = set()
    while pending:
        path = ROOT / (pending.pop().replace(".", "/") + ".py")
        if path.exists() and path not in found:
            found.add(path)
            pending += re.findall(r"^from (addons(?:\.\w+)+) import", path.read_text(encoding="utf-8"), re.M)
    return sorted(found)


def fingerprint(config: Path, fold_data_yaml: str) -> str:
    """What a fold's result depends on: the config, the fold's data, our code that the config runs
    and the spaCy pipeline."""
    digest = hashlib.sha256(config.read_bytes() + fold_data_yaml.encode())
    for path in our_modules(config) + [ROOT / "build" / "spacy" / "fingerprint.txt"]:
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def cross_validate(
    config: Path, examples, data, folds: int, seed: int, work: Path, saved: Path, only: list[int] | None = None
) -> dict[str, Any]:
    """Each fold's predictions are saved to `saved` (a folder) as soon as they are made, and reused
    when the same config, fold data and code come again, so an interrupted run resumes."""
    from rasa.shared.nlu.training_data.training_data import TrainingData

    assigned = fold_of(examples, folds, seed)
    rows: list[dict[str, Any]] = []
    fold_times: dict[int, float] = {}
    saved.mkdir(parents=True, exist_ok=True)
    for fold in only if only is not None else range(folds):
        train = [m for m, f in zip(examples, assigned, strict=True) if f != fold]
        test = [m for m, f in zip(examples, assigned, strict=True) if f == fold]
        fold_data = TrainingData(
            training_examples=train,
            entity_synonyms=data.entity_synonyms,
            regex_features=data.regex_features,
            lookup_tables=data.lookup_tables,
        )
        nlu_file = work / f"fold{fold}.yml"
        fold_data.persist_nlu(str(nlu_file))
        key = fingerprint(config, nlu_file.read_text(encoding="utf-8") + "\n".join(m.get("text") for m in test))
        record = saved / f"{config.stem}.fold{fold}of{folds}.seed{seed}.json"
        if record.exists() and json.loads(record.read_text())["fingerprint"] == key:
            kept = json.loads(record.read_text())
            rows += kept["rows"]
            fold_times[fold] = kept["train_seconds"]
            print(f"  fold {fold + 1}/{folds}: reused {record.name}", flush=True)
            continue
        wall, cpu = timed(
            [*NICE, *RASA, "train", "nlu", "--config", str(config), "--nlu", str(nlu_file), "--domain", "domain.yml"]
            + ["--out", str(work), "--fixed-model-name", f"fold{fold}", "--quiet"]
        )
        fold_times[fold] = wall
        parses = asyncio.run(parse_with(work / f"fold{fold}.tar.gz", [m.get("text") for m in test]))
        fold_rows = []
        for message, parse in zip(test, parses, strict=True):
            name, confidence = (parse.get("intent") or {}).get("name"), (parse.get("intent") or {}).get("confidence")
            fold_rows.append(
                {
                    "text": message.get("text"),
                    "expected": message.get("intent"),
                    "predicted": predicted_intent(parse),
                    "confidence": confidence if name else None,
                    "fold": fold,
                }
            )
        rows += fold_rows
        record.write_text(
            json.dumps({"fingerprint": key, "train_seconds": wall, "cpu_seconds": cpu, "rows": fold_rows})
        )
        (work / f"fold{fold}.tar.gz").unlink()
        print(f"  fold {fold + 1}/{folds}: trained in {wall:.0f} s (CPU {cpu:.0f} s), {len(test)} examples", flush=True)
    s = score((r["text"], r["expected"], r["predicted"]) for r in rows)
    faq = [r for r in rows if r["expected"].startswith("faq_")]
    per_fold = []
    for fold in sorted(fold_times):
        fs = score((r["text"], r["expected"], r["predicted"]) for r in rows if r["fold"] == fold)
        per_fold.append({"intent_accuracy": fs.intent_accuracy, "oos_recall": fs.oos_recall})
    return {
        "intent_accuracy": s.intent_accuracy,
        "faq_accuracy": sum(r["predicted"] == r["expected"] for r in faq) / len(faq),
        "oos_recall": s.oos_recall,
        "oos_given_faq": s.oos_answered_with_faq,
        "in_scope_not_sure": s.in_scope_fallback_rate,
        "n_in_scope": s.n_in_scope,
        "n_faq": len(faq),
        "n_oos": s.n_oos,
        "per_fold": per_fold,
        "fold_train_seconds": [fold_times[f] for f in sorted(fold_times)],
        "per_intent": s.per_intent,
        "predictions": rows,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_and_measure(models: list[Path], texts: list[str], work: Path, rounds: int = 3) -> list[dict[str, Any]]:
    """Start one Rasa server per model, as `make run` does (devtools/stack.py), all at once, and time
    POST /model/parse of every text on each, alternating between the servers message by message
    (so a busy moment of the shared machine falls on all of them alike). Per server: p50 and p95
    over the texts of each text's median time, CPU time per message, and memory (RSS)."""
    from devtools.stack import Stack, StackConfig

    token = secrets.token_hex(16)
    stacks = []
    try:
        for n, model in enumerate(models):
            config = StackConfig(
                rasa_port=free_port(),
                model=model,
                tracker_db=work / f"tracker{n}.db",
                log_dir=work / f"logs{n}",
                api_token=token,
            )
            stacks.append(Stack(config))
            stacks[-1].start_rasa()
            stacks[-1].wait_ready(timeout=900)

        def parse(stack: Stack, text: str) -> float:
            body = json.dumps({"text": text}).encode()
            request = urllib.request.Request(
                f"{stack.config.rasa_url}/model/parse?token={token}",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            return time.perf_counter() - start

        for stack in stacks:
            for text in texts[:20]:  # warm-up
                parse(stack, text)
        timings: list[list[list[float]]] = [[[] for _ in texts] for _ in stacks]
        cpu_before = [cpu_seconds(s.procs["rasa"].pid) for s in stacks]
        for r in range(rounds):
            for m, text in enumerate(texts):
                for k in range(len(stacks)):
                    n = (k + m + r) % len(stacks)  # who goes first changes from message to message
                    timings[n][m].append(parse(stacks[n], text))
        results = []
        for n, stack in enumerate(stacks):
            pid = stack.procs["rasa"].pid
            per_message = [statistics.median(t) * 1000 for t in timings[n]]
            results.append(
                {
                    "parse_p50_ms": percentile(per_message, 0.50),
                    "parse_p95_ms": percentile(per_message, 0.95),
                    "cpu_ms_per_message": (cpu_seconds(pid) - cpu_before[n]) * 1000 / (len(texts) * rounds),
                    "messages": len(texts),
                    "rounds": rounds,
                    "rss_mb": rss_mb(pid),
                    "per_message_ms": per_message,
                }
            )
        return results
    finally:
        for stack in stacks:
            stack.stop()


def cpu_check() -> float:
    """Seconds for a fixed piece of work: how busy the shared machine was (0.64 s when quiet)."""
    start = time.perf_counter()
    sum(range(30_000_000))
    return time.perf_counter() - start


def code_version() -> str:
    """The commit measured, with "+changes" when the working tree differs from it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def measure(config: Path, args: argparse.Namespace, examples, data, models: Path) -> dict[str, Any]:
    """Cross-validation (or, with --cost-only, the cross-validation of an earlier run, from its
    results file), then (unless --no-cost) the full training, whose model is kept in `models`."""
    if args.cost_only:
        result = json.loads((args.out / f"{config.stem}.json").read_text())
        print(f"{config}: cross-validation from {args.out / f'{config.stem}.json'} ({result['cv_code']})", flush=True)
    else:
        result = {"config": str(config), "folds": args.folds, "seed": args.seed, "cv_code": code_version()}
        with tempfile.TemporaryDirectory(prefix="crossval-") as tmp:
            print(f"{config}: {args.folds}-fold cross-validation on {len(examples)} examples", flush=True)
            result["cv"] = cross_validate(
                config, examples, data, args.folds, args.seed, Path(tmp), args.out / "folds", args.only_folds
            )
    if not args.no_cost:
        result["cost_code"] = code_version()
        wall, cpu = timed(
            [*NICE, *RASA, "train", "--config", str(config), "--domain", "domain.yml", "--data", "data"]
            + ["--out", str(models), "--fixed-model-name", config.stem, "--quiet"]
        )
        result["train_seconds"], result["train_cpu_seconds"] = wall, cpu
        print(f"  full training: {wall:.0f} s (CPU {cpu:.0f} s)", flush=True)
    return result


def table(results: list[dict[str, Any]]) -> str:
    """Markdown table. "added p50": the median over messages of (this config's time - the first
    config's time) for the same message, both measured at the same moments."""
    base = results[0].get("serve", {}).get("per_message_ms")
    lines = [
        "| configuration | intent accuracy (in scope) | AHSCT questions | out-of-scope recall | "
        "out-of-scope given AHSCT content | train time | parse p50 | added p50 | CPU per message | Rasa memory |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cv, serve = r["cv"], r.get("serve")
        added = statistics.median(b - a for a, b in zip(base, serve["per_message_ms"], strict=True)) if serve else 0.0
        cost = (
            f"{r['train_seconds'] / 60:.1f} min | {serve['parse_p50_ms']:.1f} ms | {added:+.1f} ms | "
            f"{serve['cpu_ms_per_message']:.1f} ms | {serve['rss_mb']:.0f} MB"
            if serve
            else "- | - | - | - | -"
        )
        lines.append(
            f"| {Path(r['config']).name} | {cv['intent_accuracy']:.3f} | {cv['faq_accuracy']:.3f} | "
            f"{cv['oos_recall']:.3f} | {cv['oos_given_faq']:.3f} | {cost} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("configs", nargs="+", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13, help="seed of the stratified fold split")
    parser.add_argument("--no-cost", action="store_true", help="cross-validation only")
    parser.add_argument(
        "--cost-only", action="store_true", help="training time, latency and memory only; CV from the last run's files"
    )
    parser.add_argument(
        "--only-folds", type=int, nargs="+", help="run these folds only (0-based), e.g. to compare quickly"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "crossval")
    args = parser.parse_args(argv)
    if args.no_cost and args.cost_only:
        parser.error("--no-cost and --cost-only leave nothing to do")
    logging.basicConfig(level=logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)

    from devtools.evaluation import read_nlu_examples

    examples, data = load_all()
    args.out.mkdir(parents=True, exist_ok=True)
    models = args.out / "models"
    results = []
    cpu_before = cpu_check()
    for config in args.configs:
        result = measure(config.resolve(), args, examples, data, models)
        result["machine"] = f"{os.cpu_count()} cores, Python {platform.python_version()}"
        results.append(result)
        (args.out / f"{config.stem}.json").write_text(json.dumps(result, indent=1))
    if not args.no_cost:
        texts = [t for t, _ in read_nlu_examples(TUNING)]
        with tempfile.TemporaryDirectory(prefix="crossval-serve-") as tmp:
            served = serve_and_measure([models / f"{c.stem}.tar.gz" for c in args.configs], texts, Path(tmp))
        for config, result, serve in zip(args.configs, results, served, strict=True):
            result["serve"] = serve
            (args.out / f"{config.stem}.json").write_text(json.dumps(result, indent=1))
    cpu_after = cpu_check()
    for config, result in zip(args.configs, results, strict=True):
        result["cpu_check_seconds" if not args.cost_only else "cost_cpu_check_seconds"] = [cpu_before, cpu_after]
        (args.out / f"{config.stem}.json").write_text(json.dumps(result, indent=1))
    print()
    print(table(results))
    print(
        f"\n{len(examples)} examples ({sum(m.get('intent') == OUT_OF_SCOPE for m in examples)} out of scope), "
        f"{args.folds} folds, seed {args.seed}. CPU check {cpu_before:.2f} s before, {cpu_after:.2f} s after "
        "(0.64 s on a quiet machine)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
