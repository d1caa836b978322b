"""Conversation lock stores: each message of a conversation is handled once, in order, and the next
one starts as soon as the one before it is done.

Rasa queues the messages of one conversation with numbered tickets (`TicketLock`) in a lock store,
loaded from endpoints.yml by module path. Stock Rasa 3.6 has three faults that these classes fix:

- **Lost turns across replicas.** Taking, renewing and returning a ticket were separate Redis reads
  and writes, so two replicas could take the same number and handle two messages of one
  conversation at once; the turn stored second then dropped the other's message. Each change of
  the queue is one Redis transaction here (WATCH/MULTI, tried again on conflict).
- **Hung messages.** Tickets expire, so that a replica that dies holding the lock blocks the
  conversation only `TICKET_LOCK_LIFETIME` seconds. But a *waiting* ticket expired too, and when it
  did before the dead holder's, nobody was served. A waiting message here keeps its ticket alive
  while it waits, and takes a new one at the back if it was dropped; only the holder's ticket runs
  out, counted from when it got the lock.
- **Waits in whole seconds.** Rasa looks at the queue once a second, so ten messages sent at once
  took ten seconds. Here a message in this process wakes the next one the moment it is done; the
  Redis store also looks again after 10 ms, then less often up to every 100 ms, for turns that
  another replica finishes.

A wait is bounded (`max_wait`, below Sanic's 60 s response timeout): after it Rasa's own
`LockError` is raised, and the channel guard tells the person to try again.

`ConversationLockStore` is the one named in endpoints.yml: Redis when `LOCK_STORE=redis` (several
processes or replicas), otherwise in this process.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeVar

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore, RedisLockStore

from addons import settings

T = TypeVar("T")

DEFAULT_MAX_WAIT = 50.0  # seconds; Sanic answers a request after 60 s whatever happens
FIRST_LOOK = 0.01  # seconds before a waiting message looks again (another replica may be done) ...
LAST_LOOK = 0.1  # ... doubling up to this


def look_at_queue(queue: TicketLock, number: int | None, lifetime: float) -> tuple[int, TicketLock | None]:
    """A message's look at its conversation's queue. The first look (`number` None) takes a ticket;
    later ones renew it, or take a new one at the back if it was dropped. Expired tickets go.
    Returns the ticket's number, and the queue if it is now this message's turn (else None)."""
    if number is None:
        number = queue.issue_ticket(lifetime)
    else:
        mine = next((t for t in queue.tickets if t.number == number), None)
        if mine is not None:
            mine.expires = time.time() + lifetime
        queue.remove_expired_tickets()
        if mine is None:
            number = queue.last_issued + 1
            queue.tickets.append(Ticket(number, time.time() + lifetime))
    return number, queue if queue.tickets[0].number == number else None


def needs_change(queue: TicketLock | None, number: int, lifetime: float) -> bool:
    """Whether a look would change the queue: a ticket ahead has expired, this one was dropped or
    is past half its life. If not, a look only reads, which costs one Redis call."""
    if queue is None or not queue.tickets:
        return True
    now = time.time()
    mine = next((t for t in queue.tickets if t.number == number), None)
    return mine is None or mine.expires - now < lifetime / 2 or any(t.has_expired() for t in queue.tickets)


class QueueingLockStore(LockStore):
    """The ticket queue, waited on without sleeping in whole seconds. Subclasses say where the queue lives."""

    max_wait: float = DEFAULT_MAX_WAIT

    def __init__(self) -> None:
        super().__init__()
        # Messages of this process waiting for a conversation: woken when one of its turns ends here.
        self._released: dict[str, asyncio.Event] = {}

    def change_queue(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply `change` to the conversation's queue as one step; save it, or delete it once empty."""
        queue = self.get_lock(conversation_id) or TicketLock(conversation_id)
        result = change(queue)
        if queue.tickets:
            self.save_lock(queue)
        else:
            self.delete_lock(conversation_id)
        return result

    def take_ticket(self, conversation_id: str, lifetime: float) -> tuple[int, TicketLock | None]:
        """A message's first look at the queue: its ticket, and the queue if it may go on at once."""
        try:
            return self.change_queue(conversation_id, lambda queue: look_at_queue(queue, None, lifetime))
        except Exception as e:  # as Rasa's own issue_ticket reports it
            raise LockError(f"Error while acquiring lock. Error:\n{e}") from e

    def look_again(self, conversation_id: str, number: int, lifetime: float) -> tuple[int, TicketLock | None]:
        queue = self.get_lock(conversation_id)
        if not needs_change(queue, number, lifetime):
            assert queue is not None
            return number, queue if queue.tickets[0].number == number else None
        return self.change_queue(conversation_id, lambda q: look_at_queue(q, number, lifetime))

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self.take_ticket(conversation_id, lock_lifetime)[0]

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def finish(queue: TicketLock) -> None:
            queue.remove_ticket_for(ticket_number)  # expired tickets go too; an empty queue is deleted

        self.change_queue(conversation_id, finish)

    async def _wait(self, conversation_id: str, timeout: float) -> None:
        event = self._released.setdefault(conversation_id, asyncio.Event())
        with suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def _wake(self, conversation_id: str) -> None:
        event = self._released.pop(conversation_id, None)
        if event is not None:
            event.set()  # everyone waiting looks again; the one whose turn it is goes on

    def next_look(self, previous: float) -> float:
        """How long a waiting message sleeps before it looks again when nobody here wakes it."""
        return min(previous * 2, LAST_LOOK)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = FIRST_LOOK,
    ) -> AsyncIterator[TicketLock]:
        number, turn = self.take_ticket(conversation_id, lock_lifetime)
        try:
            deadline = time.monotonic() + self.max_wait
            pause = min(wait_time_in_seconds, FIRST_LOOK)
            while turn is None:
                if time.monotonic() > deadline:
                    raise LockError(f"Waited over {self.max_wait:.0f} s for the conversation's earlier messages")
                await self._wait(conversation_id, pause)
                pause = self.next_look(pause)
                number, turn = self.look_again(conversation_id, number, lock_lifetime)
            yield turn
        finally:
            try:
                self.cleanup(conversation_id, number)
            finally:
                self._wake(conversation_id)


class InMemoryQueueingLockStore(QueueingLockStore, InMemoryLockStore):
    """The queue in this process: for one Rasa process (`make run`)."""

    def __init__(self, endpoint_config: Any = None) -> None:
        super().__init__()

    def next_look(self, previous: float) -> float:
        # Only this process changes the queue, so it is woken when a turn ends; looking now and
        # then only notices a ticket expiring (a turn that overran the lock's lifetime).
        return min(previous * 2, 1.0)


class RedisQueueingLockStore(QueueingLockStore, RedisLockStore):
    """The queue in Redis, shared by every Rasa process and replica."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        RedisLockStore.__init__(self, **kwargs)
        self._released = {}

    def change_queue(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """One Redis transaction (WATCH/MULTI, tried again if another process changed the queue
        meanwhile). The key expires a minute after its last ticket would, so a queue left by a
        replica that died does not stay in Redis."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> T:
            saved = pipe.get(key)
            queue = TicketLock.from_dict(json.loads(saved)) if saved else TicketLock(conversation_id)
            result = change(queue)
            pipe.multi()
            if queue.tickets:
                last = max(ticket.expires for ticket in queue.tickets)
                pipe.set(key, queue.dumps(), ex=max(1, math.ceil(last - time.time())) + 60)
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)


class ConversationLockStore(QueueingLockStore):
    """The lock store endpoints.yml names: in Redis when LOCK_STORE=redis, else in this process.

    Rasa makes lock stores named by module path as `cls(endpoint_config=...)`; this one gives
    back the store the settings ask for. An in-process store with more than one Sanic worker is
    refused: each worker would queue the same conversation on its own (Rasa checks that only for
    its own store names)."""

    def __new__(cls, endpoint_config: Any = None) -> QueueingLockStore:
        kwargs = dict(getattr(endpoint_config, "kwargs", None) or {})
        if settings.shared_lock_store():
            redis = settings.redis()
            return RedisQueueingLockStore(
                host=str(redis["host"]),
                port=int(redis["port"]),
                db=int(redis["db"]),
                password=str(redis["password"]) or None,
                key_prefix=kwargs.get("key_prefix"),
            )
        if settings.sanic_workers() > 1:
            raise ValueError(
                "SANIC_WORKERS above 1 needs LOCK_STORE=redis, so that the workers share conversation locks"
            )
        return InMemoryQueueingLockStore()
