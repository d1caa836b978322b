"""Start and stop the assistant's processes (action server, Rasa server) on loopback.

Used by scripts/run.py (`make run`) and by the end-to-end tests, so both start
the assistant the same way. Plain Python: no Rasa import.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass
class StackConfig:
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8080  # the demo page and the widget's files
    model: Path = ROOT / "models" / "ahsct.tar.gz"
    tracker_db: Path = ROOT / "var" / "tracker.db"
    log_dir: Path | None = None  # None: inherit the terminal
    # Rasa's HTTP API is off unless one of these is given: it can read and change every conversation.
    api_token: str | None = None
    jwt_secret: str | None = None
    cors_origins: tuple[str, ...] = ()  # sites whose pages may call the REST channel; none by default
    # Rasa server processes on one port (Sanic workers): one per core uses the machine. More than
    # one needs a lock store that they share (LOCK_STORE=redis), so a conversation's turns queue.
    workers: int = 1
    debug: bool = False  # Rasa and the action server log at DEBUG (the tests check nothing typed shows even then)
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> StackConfig:
        """From HOST, RASA_PORT, ..., RASA_API_TOKEN / RASA_JWT_SECRET, ENABLE_API and CORS_ORIGINS.

        ENABLE_API without a token or JWT secret is refused: Rasa would serve its API to anyone."""
        api_token = os.environ.get("RASA_API_TOKEN", "").strip() or None
        jwt_secret = os.environ.get("RASA_JWT_SECRET", "").strip() or None
        if os.environ.get("ENABLE_API", "").strip().lower() in ("1", "true", "yes") and not (api_token or jwt_secret):
            raise ValueError("ENABLE_API is set without RASA_API_TOKEN or RASA_JWT_SECRET: refusing to start")
        cors = tuple(o.strip().rstrip("/") for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip())
        if "*" in cors:
            raise ValueError("CORS_ORIGINS must list sites; '*' is refused")
        workers = env_int("RASA_WORKERS", 1)
        if workers < 1:
            raise ValueError("RASA_WORKERS must be 1 or more")
        if workers > 1 and os.environ.get("LOCK_STORE", "in_memory") == "in_memory":
            raise ValueError(
                f"RASA_WORKERS={workers} needs a lock store that the processes share: set LOCK_STORE=redis "
                "and REDIS_HOST/REDIS_PORT (see docs/deploy.md, 'Several processes on one machine')"
            )
        return cls(
            workers=workers,
            api_token=api_token,
            jwt_secret=jwt_secret,
            cors_origins=cors,
            host=os.environ.get("HOST", "127.0.0.1"),
            rasa_port=env_int("RASA_PORT", 5005),
            action_port=env_int("ACTION_PORT", 5055),
            web_port=env_int("WEB_PORT", 8080),
            model=Path(os.environ.get("MODEL", ROOT / "models" / "ahsct.tar.gz")),
            tracker_db=Path(os.environ.get("TRACKER_DB", ROOT / "var" / "tracker.db")),
        )

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"


def http_get_json(url: str, timeout: float = 2.0) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return json.loads(resp.read().decode() or "null")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def stop_on_signals() -> None:
    """Ctrl-C (SIGINT), kill (SIGTERM) and a closed terminal (SIGHUP) raise KeyboardInterrupt, so the
    launchers stop their servers in order. SIGINT is set explicitly because a shell may start
    background jobs with it ignored."""

    def interrupted(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupted)


def run_until_stopped(start: Callable[[], None], wait: Callable[[], int], stop: Callable[[], None]) -> int:
    """The launchers' life cycle (make run, make scale-out): start, then wait; on Ctrl-C, kill or a
    closed terminal, or when starting fails, stop everything in order. Returns the exit code."""
    stop_on_signals()
    try:
        start()
        logger.info("Press Ctrl-C to stop.")
        return wait()
    except KeyboardInterrupt:
        logger.info("Stopping...")
        return 0
    except (RuntimeError, OSError) as exc:  # OSError includes TimeoutError (a server never ready)
        logger.error("%s", exc)
        return 1
    finally:
        stop()
        logger.info("Stopped.")


def busy_ports(host: str, ports: dict[str, int]) -> list[str]:
    """The names of `ports` that something already listens on at `host`. Before this check, `make run`
    with an earlier one still running took the old servers for its own ("rasa is ready"), and its action
    server restarted in a loop on "address already in use"."""
    busy = []
    for name, port in ports.items():
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                busy.append(name)
    return busy


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Rasa's workers are children of the first), MB."""
    total = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += rss_mb(int(child))
    except OSError:
        pass
    return total


class Stack:
    """The action server and the Rasa server as child processes."""

    def __init__(self, config: StackConfig):
        self.config = config
        self.procs: dict[str, subprocess.Popen] = {}
        self._logs: list[TextIO] = []

    # -- environment ---------------------------------------------------
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "ACTION_HOST": self.config.host,
                "ACTION_PORT": str(self.config.action_port),
                "ACTION_SERVER_URL": f"{self.config.action_url}/webhook",
                "TRACKER_DB": str(self.config.tracker_db),
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
            }
        )
        # One machine by default; the environment may name PostgreSQL and Redis instead (endpoints.yml).
        env.setdefault("TRACKER_URL", f"sqlite:///{self.config.tracker_db}")
        env.setdefault("LOCK_STORE", "in_memory")
        env.setdefault("REDIS_HOST", "127.0.0.1")
        env.setdefault("REDIS_PORT", "6379")
        env["SANIC_WORKERS"] = str(self.config.workers)
        if self.config.workers > 1:
            # Each process would otherwise run the MiniLM encoder's matrix products on as many
            # OpenBLAS threads as there are cores, and the processes fight for them (measured in
            # docs/performance.md). An explicit setting is kept.
            env.setdefault("OPENBLAS_NUM_THREADS", "1")
        if self.config.debug:
            env["LOG_LEVEL"] = "DEBUG"  # read by Rasa; it keeps 1 with an in-memory lock store
        env.update(self.config.extra_env)
        return env

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        out: int | TextIO | None = None
        if self.config.log_dir is not None:
            self.config.log_dir.mkdir(parents=True, exist_ok=True)
            log = open(self.config.log_dir / f"{name}.log", "a", encoding="utf-8")  # noqa: SIM115
            self._logs.append(log)
            out = log
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env(),
            stdout=out,
            stderr=subprocess.STDOUT if out is not None else None,
            start_new_session=True,  # Ctrl-C reaches us once; we stop the children in order
        )
        self.procs[name] = proc
        logger.info("started %s (pid %d): %s", name, proc.pid, " ".join(args))
        return proc

    # -- processes -----------------------------------------------------
    def start_actions(self) -> None:
        self._spawn("actions", [sys.executable, "-m", "actions"])

    def rasa_args(self) -> list[str]:
        """`rasa run` by way of addons/server.py, which applies addons/rasa_fixes.py first."""
        api: list[str] = []
        if self.config.api_token or self.config.jwt_secret:
            api.append("--enable-api")
            api += ["--auth-token", self.config.api_token] if self.config.api_token else []
            api += ["--jwt-secret", self.config.jwt_secret] if self.config.jwt_secret else []
        cors = ["--cors", *self.config.cors_origins] if self.config.cors_origins else []
        return [
            sys.executable,
            "-m",
            "addons.server",
            "run",
            "--model",
            str(self.config.model),
            "--interface",
            self.config.host,
            "--port",
            str(self.config.rasa_port),
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
            *api,
            *cors,
            *(["--debug"] if self.config.debug else []),
        ]

    def start_rasa(self) -> None:
        self._spawn("rasa", self.rasa_args())

    def start_web(self) -> None:
        self._spawn(
            "web",
            [
                sys.executable,
                "-m",
                "devtools.web",
                "--host",
                self.config.host,
                "--port",
                str(self.config.web_port),
                "--assistant-url",
                self.config.rasa_url,
            ],
        )

    def wait_ready(self, timeout: float = 240.0) -> None:
        """Wait until the servers answer their health checks; raise if one dies or times out."""
        checks = {
            "actions": f"{self.config.action_url}/health",
            "rasa": f"{self.config.rasa_url}/webhooks/rest/",
            "web": f"{self.config.web_url}/widget/ahsct-widget.js",
        }
        deadline = time.monotonic() + timeout
        pending = {name: url for name, url in checks.items() if name in self.procs}
        while pending:
            for name, url in list(pending.items()):
                proc = self.procs[name]
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode} while starting")
                if http_ok(url) if name == "web" else (http_get_json(url) or {}).get("status") == "ok":
                    logger.info("%s is ready at %s", name, url.rsplit("/", 2)[0])
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout:.0f}s: {', '.join(pending)}")
            if pending:
                time.sleep(0.5)

    def stop_process(self, name: str, timeout: float = 20.0) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        logger.info("stopping %s", name)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop(self) -> None:
        for name in reversed(list(self.procs)):
            self.stop_process(name)
        for log in self._logs:
            log.close()
        self._logs.clear()

    def watch(self, max_crashes: int = 5, window: float = 300.0, first_delay: float = 1.0) -> int:
        """Keep the servers up until interrupted: one that stops is logged with its exit code and
        started again after a pause that doubles with each crash (1 s, 2 s, 4 s ... up to 30 s),
        while the others keep serving. More than `max_crashes` crashes of one server within
        `window` seconds stop everything with a clear message (exit code 1): something is wrong
        that restarting will not mend."""
        starters = {"actions": self.start_actions, "rasa": self.start_rasa, "web": self.start_web}
        crashes: dict[str, list[float]] = {}
        due: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, proc in list(self.procs.items()):
                if name in due or proc.poll() is None:
                    continue
                recent = [t for t in crashes.get(name, []) if now - t < window] + [now]
                crashes[name] = recent
                if len(recent) > max_crashes:
                    logger.error(
                        "%s stopped %d times in %.0f s (last %s); not restarting it again. Stopping the assistant: "
                        "see the log above for the cause.",
                        name,
                        len(recent),
                        window,
                        exit_reason(proc.returncode),
                    )
                    return 1
                delay = min(first_delay * 2 ** (len(recent) - 1), 30.0)
                logger.error(
                    "%s stopped unexpectedly (%s); restarting it in %.0f s", name, exit_reason(proc.returncode), delay
                )
                due[name] = now + delay
            for name, when in list(due.items()):
                if now >= when:
                    del due[name]
                    starters[name]()
            time.sleep(0.5)


def exit_reason(code: int | None) -> str:
    """'exit code 1', or 'killed by SIGKILL' for a process a signal stopped."""
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
