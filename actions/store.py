"""The knowledge file, loaded once per action-server process."""

from __future__ import annotations

from functools import lru_cache

from actions.config import knowledge_path
from actions.knowledge.loader import load_knowledge
from actions.knowledge.model import Knowledge


@lru_cache(maxsize=1)
def get_knowledge() -> Knowledge:
    """Load and validate on first use; the server entry point calls this at start-up."""
    return load_knowledge(knowledge_path())
