"""A conversation with one recruiter: its state, and how messages move it on.

Why a table: the rules of a job-search thread are few but easy to get subtly wrong when
they are spread across `if`s in the poller, the planner and the CLI. Here every
transition is one line of `TRANSITIONS`, keyed by (state, event type). `advance` is the
only way a thread changes: it is pure (the clock is an argument), returns a new value and
leaves the old one untouched, and an event the table does not know for that state raises
`IllegalTransition` instead of being silently dropped.

This module also decides which thread a message belongs to (`match`): by Message-ID
references first (exact), then Gmail's thread id, then the normalized subject plus the
counterpart's address within a window (for clients that drop References).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mailflow.classify import Kind


class State(enum.StrEnum):
    NEW = "new"  # job-related mail, no interview time yet
    SCHEDULED = "scheduled"  # an interview time is known
    REPLIED = "replied"  # a conversation without a time: they wrote, or you did
    REJECTED = "rejected"
    CANCELLED = "cancelled"


CLOSED = frozenset({State.REJECTED})


# Events carry past-tense names: they record what happened, they do not ask for anything.
@dataclass(frozen=True)
class InviteReceived:
    at: datetime
    start: datetime
    end: datetime | None = None


@dataclass(frozen=True)
class RescheduleReceived:
    at: datetime
    start: datetime
    end: datetime | None = None


@dataclass(frozen=True)
class CancelReceived:
    at: datetime


@dataclass(frozen=True)
class ReplyReceived:
    at: datetime


@dataclass(frozen=True)
class RejectionReceived:
    at: datetime


@dataclass(frozen=True)
class SentByMe:
    at: datetime


Event = (
    InviteReceived | RescheduleReceived | CancelReceived | ReplyReceived | RejectionReceived
    | SentByMe
)


class IllegalTransition(Exception):
    def __init__(self, state: State, event: Event) -> None:
        super().__init__(f"{type(event).__name__} is not possible in state {state.value}")
        self.state = state
        self.event = event


S = State
# (state, event) -> next state. `None` as the state key means "any state not listed".
TRANSITIONS: dict[tuple[State | None, type], State] = {
    (None, InviteReceived): S.SCHEDULED,
    (None, RescheduleReceived): S.SCHEDULED,
    (None, CancelReceived): S.CANCELLED,
    (None, RejectionReceived): S.REJECTED,
    # A reply sets no time: a scheduled interview stays scheduled.
    (S.NEW, ReplyReceived): S.REPLIED,
    (S.REPLIED, ReplyReceived): S.REPLIED,
    (S.SCHEDULED, ReplyReceived): S.SCHEDULED,
    (S.CANCELLED, ReplyReceived): S.REPLIED,
    (S.REJECTED, ReplyReceived): S.REJECTED,
    (S.NEW, SentByMe): S.REPLIED,
    (S.REPLIED, SentByMe): S.REPLIED,
    (S.SCHEDULED, SentByMe): S.SCHEDULED,
    (S.CANCELLED, SentByMe): S.CANCELLED,
    (S.REJECTED, SentByMe): S.REJECTED,
}


@dataclass(frozen=True)
class Thread:
    state: State = State.NEW
    interview_start: datetime | None = None
    interview_end: datetime | None = None
    rescheduled: int = 0  # how many times the interview moved
    last_in: datetime | None = None  # the recruiter's latest message
    last_out: datetime | None = None  # the user's latest message
    updated: datetime | None = None  # the latest event applied: time never runs backwards


def advance(thread: Thread, event: Event, now: datetime) -> Thread:
    """The thread after `event`; raises IllegalTransition for an event the table lacks.

    `now` bounds the event's time: mail from the future (a skewed Date header) is taken as
    having happened now, so no later rule fires early.
    """
    key = (thread.state, type(event))
    target = TRANSITIONS.get(key, TRANSITIONS.get((None, type(event))))
    if target is None:
        raise IllegalTransition(thread.state, event)
    at = min(event.at, now)
    changes: dict[str, object] = {"state": target}
    if isinstance(event, InviteReceived | RescheduleReceived):
        moved = thread.interview_start is not None and thread.interview_start != event.start
        changes.update(
            interview_start=event.start,
            interview_end=event.end,
            rescheduled=thread.rescheduled + (1 if moved else 0),
        )
    if isinstance(event, SentByMe):
        changes["last_out"] = max(filter(None, (thread.last_out, at)))
    else:
        changes["last_in"] = max(filter(None, (thread.last_in, at)))
    changes["updated"] = max(filter(None, (thread.updated, at)))
    return replace(thread, **changes)  # type: ignore[arg-type]


def event_for(
    kind: Kind, *, outgoing: bool, at: datetime, start: datetime | None, end: datetime | None
) -> Event | None:
    """The event a classified message stands for, or None if it moves nothing."""
    if outgoing:
        return SentByMe(at)
    if kind in (Kind.INVITE, Kind.RESCHEDULE) and start is None:
        # An invite whose time could not be read still says "they are talking to you".
        return ReplyReceived(at)
    if kind is Kind.INVITE:
        assert start is not None
        return InviteReceived(at, start, end)
    if kind is Kind.RESCHEDULE:
        assert start is not None
        return RescheduleReceived(at, start, end)
    return {
        Kind.CANCEL: CancelReceived,
        Kind.REJECTION: RejectionReceived,
        Kind.REPLY: ReplyReceived,
    }.get(kind, lambda at: None)(at)


# ---- which thread does a message belong to -------------------------------------------------

SUBJECT_WINDOW = timedelta(days=45)


@dataclass(frozen=True)
class Candidate:
    """A known thread as the matcher sees it."""

    thread_id: int
    message_ids: frozenset[str]
    gm_thrid: str | None
    subject_key: str
    counterparts: frozenset[str]
    last_activity: datetime | None


def match(
    *,
    message_ids: Iterable[str],
    gm_thrid: str | None,
    subject_key: str,
    counterpart: str | None,
    at: datetime | None,
    candidates: Iterable[Candidate],
) -> int | None:
    """The id of the thread this message continues, or None for a new conversation.

    `message_ids` are the message's own id, In-Reply-To and References. The subject rule
    needs both the same normalized subject and the same counterpart, and only within
    SUBJECT_WINDOW: "Phone interview" with two different companies are two threads.
    """
    ids = set(message_ids)
    by_subject: int | None = None
    for c in candidates:
        if ids & c.message_ids:
            return c.thread_id
        if gm_thrid and c.gm_thrid == gm_thrid:
            return c.thread_id
        if (
            by_subject is None
            and subject_key
            and counterpart
            and c.subject_key == subject_key
            and counterpart in c.counterparts
            and (at is None or c.last_activity is None or abs(at - c.last_activity) <= SUBJECT_WINDOW)
        ):
            by_subject = c.thread_id
    return by_subject
