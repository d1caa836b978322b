"""Settings of the action server, read from environment variables in one place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def knowledge_path() -> Path:
    """KNOWLEDGE_FILE, default knowledge/ahsct.yml in the project."""
    return Path(os.environ.get("KNOWLEDGE_FILE") or PROJECT_ROOT / "knowledge" / "ahsct.yml")


def action_port() -> int:
    return int(os.environ.get("ACTION_PORT", "5055"))


def action_host() -> str:
    return os.environ.get("ACTION_HOST", "127.0.0.1")


def second_intent_min_confidence() -> float:
    """Offer a second topic first among the buttons when NLU gives it at least this confidence."""
    return float(os.environ.get("SECOND_TOPIC_MIN_CONFIDENCE", "0.2"))
