"""Small key-value memories for a channel: in the process, or in Redis when Rasa runs as several
processes or replicas (LOCK_STORE=redis), so that what one process remembers the others know.

The Telegram channel keeps two: the short keys it gives long button payloads, and the updates
it has already handled. In one process's memory, a button made by one replica would be
"expired" on another, and an update Telegram re-sends to another replica answered twice.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any, Protocol

from addons import settings

logger = logging.getLogger(__name__)


class Memory(Protocol):
    def add(self, key: str, value: str) -> bool:
        """Remember key -> value; True if the key was new (checked and set as one step)."""

    def get(self, key: str) -> str | None: ...

    def delete(self, key: str) -> None:
        """Forget the key (nothing if it is not known)."""


class LocalMemory:
    """The newest `size` keys, in this process."""

    def __init__(self, size: int = 10_000):
        self._items: OrderedDict[str, str] = OrderedDict()
        self._size = size

    def add(self, key: str, value: str) -> bool:
        new = key not in self._items
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        return new

    def get(self, key: str) -> str | None:
        return self._items.get(key)

    def delete(self, key: str) -> None:
        self._items.pop(key, None)


class RedisMemory:
    """Keys in Redis under `prefix`, each kept for `ttl_seconds`. If Redis cannot be reached the
    caller is told the key is new / unknown (and it is logged), rather than the message failing."""

    def __init__(self, client: Any, prefix: str, ttl_seconds: int):
        self._client = client
        self._prefix = prefix
        self._ttl = ttl_seconds

    def add(self, key: str, value: str) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(self._client.set(self._prefix + key, value, nx=True, ex=self._ttl))
        except RedisError as exc:
            logger.warning("Redis unavailable for %s: %s", self._prefix, type(exc).__name__)
            return True

    def get(self, key: str) -> str | None:
        from redis.exceptions import RedisError

        try:
            value = self._client.get(self._prefix + key)
        except RedisError as exc:
            logger.warning("Redis unavailable for %s: %s", self._prefix, type(exc).__name__)
            return None
        return value.decode() if isinstance(value, bytes) else value

    def delete(self, key: str) -> None:
        from redis.exceptions import RedisError

        try:
            self._client.delete(self._prefix + key)
        except RedisError as exc:
            logger.warning("Redis unavailable for %s: %s", self._prefix, type(exc).__name__)


def memory_for(name: str, ttl_seconds: int, size: int = 10_000) -> Memory:
    """Redis (REDIS_HOST, REDIS_PORT) when the Rasa processes share a Redis lock store, else local."""
    if not settings.shared_lock_store():
        return LocalMemory(size)
    import redis

    config = settings.redis()
    client = redis.Redis(
        host=str(config["host"]),
        port=int(config["port"]),
        password=str(config["password"]) or None,
        socket_timeout=2,
        socket_connect_timeout=2,
    )
    return RedisMemory(client, prefix=f"ahsct:{name}:", ttl_seconds=ttl_seconds)
