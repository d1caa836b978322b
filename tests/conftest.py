"""Shared fixtures: the real knowledge file, trackers, a dispatcher, the domain."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.knowledge import Knowledge, load_knowledge  # noqa: E402

# The key conversation ids are hashed with (addons/settings.py): the same in the servers the tests
# start and in the tests, which look conversations up by it.
os.environ.setdefault("CONVERSATION_ID_KEY", "test-conversation-key")

# TEST_PORT_OFFSET moves every port the tests open, so two checkouts can run their tests at once.
PORT_OFFSET = int(os.environ.get("TEST_PORT_OFFSET", "0"))
TEST_REDIS_PORT = 6391 + PORT_OFFSET


def pytest_configure(config: pytest.Config) -> None:
    """pytest-randomly shuffles the order (what we want from it) and also reseeds random, NumPy and
    every registered seeder before each test with the run's seed plus an offset. thinc's seeder
    passes that to NumPy, which refuses anything over 2**32 - 1, so some tests errored at setup
    depending on the seed. No test relies on a seeded generator: keep the order, skip the reseed."""
    if hasattr(config.option, "randomly_reset_seed"):
        config.option.randomly_reset_seed = False


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge(ROOT / "knowledge" / "ahsct.yml")


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture(scope="session")
def parse_texts(root):
    """Parse texts with the trained model, loaded once for the tuning- and blind-set tests: a function
    from a list of texts to their parse results, in order."""
    import asyncio
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # results are printed by the tests, not logged per message
    model = root / "models" / "ahsct.tar.gz"
    if not model.exists():
        pytest.fail("no trained model: run `make train` (make test does this)")
    agent = Agent.load(str(model))

    def parse(texts: list[str]) -> list[dict[str, Any]]:
        async def parse_all() -> list[dict[str, Any]]:
            return [await agent.parse_message(text) for text in texts]

        return asyncio.run(parse_all())

    return parse


@pytest.fixture()
def dispatcher():
    from rasa_sdk.executor import CollectingDispatcher

    return CollectingDispatcher()


def make_tracker(
    intent: str | None,
    text: str = "",
    slots: dict[str, Any] | None = None,
    ranking: list[dict[str, Any]] | None = None,
    entities: list[dict[str, Any]] | None = None,
):
    from rasa_sdk import Tracker

    confidence = (ranking or [{"confidence": 0.9}])[0].get("confidence", 0.9)
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
        "entities": entities or [],
    }
    return Tracker(
        sender_id="test-user",
        slots=slots or {},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture()
def tracker_for():
    return make_tracker


# The real servers for the end-to-end, browser and Telegram tests, started once per test session.
RASA_PORT, ACTION_PORT, WEB_PORT, BOT_API_PORT = (p + PORT_OFFSET for p in (5105, 5155, 8105, 8181))
# Links to the notes for the neurologist work this long in the test stack (an hour by default), so
# that a test can see one expire.
SUMMARY_LINK_SECONDS = 12
TELEGRAM = {"token": "123456:TEST-token", "secret": "test-secret_0123456789", "api_token": "test-api-token"}


@pytest.fixture(scope="session")
def redis_server():
    """Debian's redis-server on loopback for the tests that share state through Redis: (host, port)."""
    if not shutil.which("redis-server"):
        # `make test` installs it and sets REQUIRE_SERVICES=1: there a missing service fails.
        missing = "redis-server is not installed (make test-packages installs it)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    from devtools.scaleout import start_redis

    proc = start_redis("127.0.0.1", TEST_REDIS_PORT)
    yield "127.0.0.1", TEST_REDIS_PORT
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def fake_telegram():
    from tests.fake_telegram import FakeBotApi

    server = FakeBotApi(port=BOT_API_PORT)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stack(root, tmp_path_factory, fake_telegram):
    from devtools.stack import Stack, StackConfig

    config = StackConfig(
        rasa_port=RASA_PORT,
        action_port=ACTION_PORT,
        web_port=WEB_PORT,
        tracker_db=tmp_path_factory.mktemp("tracker") / "tracker.db",
        log_dir=root / "results" / "e2e-logs",
        api_token=TELEGRAM["api_token"],
        debug=True,  # so that the log tests cover every level
        extra_env={
            "ALLOWED_ORIGINS": f"http://127.0.0.1:{WEB_PORT}",
            "TELEGRAM_TOKEN": TELEGRAM["token"],
            "TELEGRAM_SECRET_TOKEN": TELEGRAM["secret"],
            "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{RASA_PORT}/webhooks/telegram/webhook",
            "TELEGRAM_API_URL": fake_telegram.url,
            "SUMMARY_LINK_SECONDS": str(SUMMARY_LINK_SECONDS),
        },
    )
    running = Stack(config)
    try:
        running.start_actions()
        running.start_rasa()
        running.start_web()
        running.wait_ready()
        yield running
    finally:
        running.stop()
