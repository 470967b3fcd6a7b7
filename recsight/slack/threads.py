"""What the bot remembers between messages: each thread's last answer, and who asked.

Memory is bounded (least recently used goes first) and lives in the process: a restart forgets
every thread, and a follow-up in a forgotten thread is answered as a fresh question.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from recsight.answering.answer import Answer

DEFAULT_THREADS = 500
DEFAULT_EVENTS = 2000

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class RequestIdentity:
    """Who asked, where: kept on every request so a later feature can scope what a channel sees."""

    team_id: str
    channel_id: str
    user_id: str

    def __str__(self) -> str:
        return f"{self.user_id} in {self.team_id}/{self.channel_id}"


@dataclass(frozen=True)
class Place:
    """A thread in a channel; `thread_ts` is the timestamp of the thread's first message."""

    channel_id: str
    thread_ts: str


@dataclass(frozen=True)
class Remembered:
    """An answer posted in a thread, with the request that produced it."""

    answer_id: str
    answer: Answer
    place: Place
    identity: RequestIdentity


class LRU(Generic[K, V]):
    """A thread-safe mapping that forgets its least recently used entries beyond `capacity`."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def add_if_absent(self, key: K, value: V) -> bool:
        """Store `value` unless `key` is present; True when it was stored."""
        with self._lock:
            if key in self._items:
                return False
            self._items[key] = value
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
            return True

    def __len__(self) -> int:
        return len(self._items)


class ThreadMemory:
    """Thread -> last answer, answer id -> answer (for buttons), and event ids already handled."""

    def __init__(self, threads: int = DEFAULT_THREADS, events: int = DEFAULT_EVENTS) -> None:
        self._threads: LRU[Place, Remembered] = LRU(threads)
        # Buttons under older answers in a thread still work while those answers are remembered.
        self._answers: LRU[str, Remembered] = LRU(threads * 4)
        self._joined: LRU[Place, bool] = LRU(threads)
        self._events: LRU[str, bool] = LRU(events)

    def join(self, place: Place) -> None:
        """Note a thread the bot talks in, answered or not: replies there are meant for it."""
        self._joined.put(place, True)

    def remember(self, answer: Answer, place: Place, identity: RequestIdentity) -> Remembered:
        entry = Remembered(secrets.token_hex(6), answer, place, identity)
        self._threads.put(place, entry)
        self._answers.put(entry.answer_id, entry)
        self.join(place)
        return entry

    def last_answer(self, place: Place) -> Answer | None:
        entry = self._threads.get(place)
        return entry.answer if entry else None

    def knows(self, place: Place) -> bool:
        return self._joined.get(place) is not None

    def answer(self, answer_id: str) -> Remembered | None:
        return self._answers.get(answer_id)

    def first_delivery(self, event_id: str) -> bool:
        """False when this event was handled already (Slack redelivers events it thinks lost)."""
        return not event_id or self._events.add_if_absent(event_id, True)
