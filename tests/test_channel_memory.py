"""addons/channels/memory.py: what the Telegram channel remembers is shared by all Rasa processes
when they share Redis, and kept in the process otherwise."""

from __future__ import annotations

import threading

import pytest

from addons.channels.memory import LocalMemory, RedisMemory, memory_for
from addons.channels.telegram import CallbackStore, SeenUpdates, TelegramConfig, TelegramSecureInput

LONG_PAYLOAD = '/check_answer{"question": "walking", "value": "needs a stick or crutch to walk 100 m"}'


def test_local_memory_keeps_the_newest_keys_and_says_whether_a_key_is_new():
    memory = LocalMemory(size=2)
    assert memory.add("a", "1") and not memory.add("a", "1")
    assert memory.add("b", "2") and memory.add("c", "3")
    assert memory.get("a") is None and memory.get("c") == "3"  # "a" was the oldest


@pytest.fixture()
def redis_url(redis_server):
    return redis_server


def redis_memory(redis_url, name, ttl=60):
    import redis

    host, port = redis_url
    return RedisMemory(redis.Redis(host=host, port=port), prefix=f"test:{name}:", ttl_seconds=ttl)


def test_a_button_made_by_one_process_is_understood_by_another(redis_url):
    one, other = (CallbackStore(redis_memory(redis_url, "callbacks")) for _ in range(2))
    data = one.data_for(LONG_PAYLOAD)
    assert data.startswith(CallbackStore.PREFIX)
    assert other.payload_for(data) == LONG_PAYLOAD
    assert other.payload_for(CallbackStore.PREFIX + "0" * 32) is None


def test_an_update_is_handled_once_across_processes_even_when_they_race(redis_url):
    processes = [SeenUpdates(redis_memory(redis_url, "updates")) for _ in range(8)]
    firsts = []

    def handle(seen):
        firsts.append(seen.first_time(424242))

    threads = [threading.Thread(target=handle, args=(seen,)) for seen in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(firsts) == [False] * 7 + [True]


def test_keys_expire_in_redis(redis_url):
    import redis

    memory = redis_memory(redis_url, "ttl", ttl=120)
    memory.add("k", "v")
    ttl = redis.Redis(host=redis_url[0], port=redis_url[1]).ttl("test:ttl:k")
    assert 0 < ttl <= 120


def test_without_redis_an_update_is_still_handled_and_an_old_button_reads_as_expired():
    import redis

    unreachable = RedisMemory(redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1), "x:", 60)
    assert SeenUpdates(unreachable).first_time(7) is True
    assert CallbackStore(unreachable).payload_for(CallbackStore.PREFIX + "0" * 32) is None


def test_the_telegram_channel_uses_redis_when_the_processes_share_it(monkeypatch, redis_url):
    monkeypatch.setenv("LOCK_STORE", "redis")
    monkeypatch.setenv("REDIS_HOST", redis_url[0])
    monkeypatch.setenv("REDIS_PORT", str(redis_url[1]))
    config = TelegramConfig(token="1:x", secret="s3cret", api_url="http://127.0.0.1:1")
    one, other = TelegramSecureInput(config), TelegramSecureInput(config)
    assert isinstance(memory_for("x", 60), RedisMemory)
    assert other.callbacks.payload_for(one.callbacks.data_for(LONG_PAYLOAD)) == LONG_PAYLOAD
    assert one.seen.first_time(99) and not other.seen.first_time(99)
    monkeypatch.setenv("LOCK_STORE", "in_memory")
    assert isinstance(memory_for("x", 60), LocalMemory)
