"""A conversation with one recruiter: its state, and how events move it on.

Why a table: the rules of a job-search thread are few but easy to get subtly wrong when
they are spread across `if`s in the poller, the planner and the CLI. Here every transition
is one line of `TRANSITIONS`, keyed by (state, event type), readable in one screen.
`advance` is the only way a thread changes: it is pure (the clock is an argument), returns
a new value and leaves the old one untouched, and an event the table does not allow in
that state raises `IllegalTransition` (the CLI turns that into "thread 3 has no interview
to mark as held") instead of being silently dropped.

Events have past-tense names: they record what happened (a message arrived, the user
marked the call as missed, a draft went out), never what should happen. What *should*
happen, given a thread and the time, is the policy's business (policy.py).

A thread is stored as its events; its state is `replay(events)`. Folders are read one
after another (INBOX, then Sent), so events arrive out of order; replaying them sorted by
time makes the state independent of the order they were read in.

This module also decides which thread a message belongs to (`match`).
"""


import enum
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple


class State(enum.StrEnum):
    NEW = "new"  # job-related mail, no interview time yet
    REPLIED = "replied"  # a conversation without a time: they wrote, or you did
    SCHEDULED = "scheduled"  # an interview time is known
    CONFIRMED = "confirmed"  # the day-of confirmation went out
    HELD = "held"  # the call took place
    MISSED_BY_THEM = "missed_by_them"  # they did not call
    MISSED_BY_ME = "missed_by_me"  # you missed it
    RESCHEDULING = "rescheduling"  # after a miss, waiting for a new time
    CANCELLED = "cancelled"  # the interview was called off, no new time
    AWAITING_DECISION = "awaiting_decision"  # after the call, waiting for the promised answer
    FOLLOWED_UP = "followed_up"  # one or two follow-ups sent, still no answer
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NO_RESPONSE = "no_response"  # closed after the last follow-up; reopens on any reply


S = State
PRE_CALL = frozenset({S.SCHEDULED, S.CONFIRMED})
WAITING = frozenset({S.HELD, S.AWAITING_DECISION, S.FOLLOWED_UP})
TALKING = frozenset({S.NEW, S.REPLIED, S.RESCHEDULING, S.CANCELLED})
MISSED = frozenset({S.MISSED_BY_THEM, S.MISSED_BY_ME})
OPEN = PRE_CALL | WAITING | TALKING | MISSED
CLOSED = frozenset({S.OFFER, S.REJECTED, S.WITHDRAWN, S.NO_RESPONSE})
# Closed by a decision of one side: nothing the other side writes reopens them.
FINAL = frozenset({S.OFFER, S.REJECTED, S.WITHDRAWN})


# ---- events -----------------------------------------------------------------------------------
# Events are NamedTuples rather than dataclasses: immutable all the same, and six times
# cheaper to define, which every scheduled run pays at start-up.
# Messages (from the poller)

class InviteReceived(NamedTuple):
    at: datetime
    start: datetime
    end: datetime | None = None


class RescheduleReceived(NamedTuple):
    at: datetime
    start: datetime
    end: datetime | None = None


class CancelReceived(NamedTuple):
    at: datetime


class ReplyReceived(NamedTuple):
    at: datetime
    respond_by: date | None = None


class ThanksAfterCallReceived(NamedTuple):
    """They wrote after the call, in words that say it happened ("thanks for your time")."""

    at: datetime
    respond_by: date | None = None


class RejectionReceived(NamedTuple):
    at: datetime


class AutoReplyReceived(NamedTuple):
    at: datetime
    back_on: date | None = None


class SentByMe(NamedTuple):
    """A message the user wrote by hand (found in Sent)."""

    at: datetime


# Drafts that mailflow sent after the user approved them

class DraftSent(NamedTuple):
    at: datetime
    kind: str  # a drafts.KINDS value


# The user's marks

class MarkedHeld(NamedTuple):
    at: datetime


class MarkedMissed(NamedTuple):
    at: datetime


class MarkedIMissed(NamedTuple):
    at: datetime


class RespondBySet(NamedTuple):
    at: datetime
    respond_by: date


class MarkedOffer(NamedTuple):
    at: datetime


class MarkedRejected(NamedTuple):
    at: datetime


class Withdrew(NamedTuple):
    at: datetime


# Time passing (from the planner)

class FollowUpsExhausted(NamedTuple):
    at: datetime


Event = (
    InviteReceived | RescheduleReceived | CancelReceived | ReplyReceived
    | ThanksAfterCallReceived | RejectionReceived | AutoReplyReceived | SentByMe | DraftSent
    | MarkedHeld | MarkedMissed | MarkedIMissed | RespondBySet | MarkedOffer | MarkedRejected
    | Withdrew | FollowUpsExhausted
)
EVENT_TYPES: dict[str, type] = {cls.__name__: cls for cls in typing.get_args(Event)}


class Same:
    """Target meaning "the state does not change" (the event still updates the facts)."""


SAME = Same
Target = State | type[Same]


# ---- the table ----------------------------------------------------------------------------------

TRANSITIONS: dict[tuple[State, type], Target] = {}


def _on(event: type, target: Target, sources: Iterable[State]) -> None:
    for source in sources:
        TRANSITIONS[(source, event)] = target


# A time is set: any open thread is scheduled; a new time even reopens a rejection or silence.
_on(InviteReceived, S.SCHEDULED, OPEN | {S.NO_RESPONSE, S.REJECTED})
_on(RescheduleReceived, S.SCHEDULED, OPEN | {S.NO_RESPONSE, S.REJECTED})
_on(InviteReceived, SAME, {S.OFFER, S.WITHDRAWN})
_on(RescheduleReceived, SAME, {S.OFFER, S.WITHDRAWN})
_on(CancelReceived, S.CANCELLED, OPEN)
_on(CancelReceived, SAME, CLOSED)
# A reply sets no time. After a miss it means "let's find another time"; after the call it
# is the wait for their decision; after follow-ups or silence it reopens the wait.
_on(ReplyReceived, S.REPLIED, {S.NEW, S.REPLIED, S.CANCELLED})
_on(ReplyReceived, SAME, PRE_CALL | {S.RESCHEDULING, S.AWAITING_DECISION} | FINAL)
_on(ReplyReceived, S.RESCHEDULING, MISSED)
_on(ReplyReceived, S.AWAITING_DECISION, {S.HELD, S.FOLLOWED_UP, S.NO_RESPONSE})
_on(ThanksAfterCallReceived, S.HELD, PRE_CALL | {S.MISSED_BY_THEM})
_on(ThanksAfterCallReceived, SAME, {S.HELD} | FINAL)
_on(ThanksAfterCallReceived, S.AWAITING_DECISION,
    {S.AWAITING_DECISION, S.FOLLOWED_UP, S.NO_RESPONSE, S.NEW, S.REPLIED, S.RESCHEDULING,
     S.CANCELLED, S.MISSED_BY_ME})
_on(RejectionReceived, S.REJECTED, OPEN | {S.NO_RESPONSE, S.REJECTED})
_on(RejectionReceived, SAME, {S.OFFER, S.WITHDRAWN})
_on(AutoReplyReceived, SAME, set(State))
_on(SentByMe, S.REPLIED, {S.NEW})
_on(SentByMe, SAME, set(State) - {S.NEW})
# Drafts that went out.
_on(DraftSent, SAME, set(State))  # refined by kind in `_draft_target`
# The user's marks: only where they make sense, so a mistyped thread number is caught.
_on(MarkedHeld, S.HELD, PRE_CALL | {S.MISSED_BY_THEM, S.MISSED_BY_ME, S.HELD})
_on(MarkedMissed, S.MISSED_BY_THEM, PRE_CALL | {S.HELD})
_on(MarkedIMissed, S.MISSED_BY_ME, PRE_CALL | {S.HELD, S.MISSED_BY_THEM})
_on(RespondBySet, S.AWAITING_DECISION, WAITING | {S.NO_RESPONSE})
_on(RespondBySet, SAME, PRE_CALL | TALKING | MISSED)
_on(MarkedOffer, S.OFFER, OPEN | {S.NO_RESPONSE, S.REJECTED, S.OFFER})
_on(MarkedRejected, S.REJECTED, OPEN | CLOSED)
_on(Withdrew, S.WITHDRAWN, OPEN | {S.NO_RESPONSE, S.OFFER, S.WITHDRAWN})
_on(FollowUpsExhausted, S.NO_RESPONSE, {S.FOLLOWED_UP})

# What a sent draft does to the state, by its kind.
DRAFT_TARGETS: dict[str, dict[State, State]] = {
    "confirmation": {S.SCHEDULED: S.CONFIRMED},
    "thank_you": {S.HELD: S.AWAITING_DECISION},
    "follow_up": {S.HELD: S.FOLLOWED_UP, S.AWAITING_DECISION: S.FOLLOWED_UP},
    "follow_up_final": {S.HELD: S.FOLLOWED_UP, S.AWAITING_DECISION: S.FOLLOWED_UP},
    "apology": {S.MISSED_BY_ME: S.RESCHEDULING},
    "withdraw": {},
    "missed_call": {},
    "missed_call_again": {},
}


# ---- the value ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Thread:
    state: State = State.NEW
    interview_start: datetime | None = None
    interview_end: datetime | None = None
    rescheduled: int = 0  # how many times the interview moved
    last_in: datetime | None = None  # the recruiter's latest message
    last_out: datetime | None = None  # the user's latest message (by hand or sent draft)
    updated: datetime | None = None  # the latest event applied: time never runs backwards
    missed_count: int = 0  # calls they missed in this thread (two make a pattern)
    marked_at: datetime | None = None  # when the latest mark (held, missed, ...) was made
    held_at: datetime | None = None
    respond_by: date | None = None
    follow_ups: int = 0  # follow-ups sent since the recruiter last wrote
    last_follow_up_at: datetime | None = None
    back_on: date | None = None  # an auto-reply's return date
    sent_kinds: frozenset[str] = field(default_factory=frozenset)  # drafts sent, by kind

    @property
    def closed(self) -> bool:
        return self.state in CLOSED

    @property
    def pattern_of_missed_calls(self) -> bool:
        return self.missed_count >= 2


class IllegalTransition(Exception):
    def __init__(self, state: State, event: Event) -> None:
        super().__init__(f"{type(event).__name__} is not possible in state {state.value}")
        self.state = state
        self.event = event


def advance(thread: Thread, event: Event, now: datetime) -> Thread:
    """The thread after `event`; raises IllegalTransition for an event the table lacks.

    `now` bounds the event's time: mail from the future (a skewed Date header) is taken as
    having happened now, so no later rule fires early.
    """
    if isinstance(event, ThanksAfterCallReceived) and (
            thread.interview_start is None or event.at < thread.interview_start):
        # "Thanks for your time" before any interview took place is an ordinary reply.
        event = ReplyReceived(event.at, event.respond_by)
    target = TRANSITIONS.get((thread.state, type(event)))
    if target is None:
        raise IllegalTransition(thread.state, event)
    at = min(event.at, now)
    if isinstance(event, DraftSent):
        target = DRAFT_TARGETS.get(event.kind, {}).get(thread.state, SAME)
    new_state = thread.state if target is SAME else target
    assert isinstance(new_state, State)
    changes: dict[str, object] = {"state": new_state, "updated": _latest(thread.updated, at)}
    incoming = isinstance(event, InviteReceived | RescheduleReceived | CancelReceived
                          | ReplyReceived | ThanksAfterCallReceived | RejectionReceived)
    if incoming:
        changes["last_in"] = _latest(thread.last_in, at)
        # Any word from them resets the follow-up count: the next one waits afresh.
        changes["follow_ups"] = 0
    if isinstance(event, InviteReceived | RescheduleReceived):
        moved = thread.interview_start is not None and thread.interview_start != event.start
        changes.update(interview_start=event.start, interview_end=event.end,
                       rescheduled=thread.rescheduled + int(moved), held_at=None)
        if moved:
            changes["sent_kinds"] = frozenset()  # a new time wants a new confirmation
    if isinstance(event, ReplyReceived | ThanksAfterCallReceived) and event.respond_by:
        changes["respond_by"] = event.respond_by
    if isinstance(event, ThanksAfterCallReceived) and new_state is S.HELD:
        changes["held_at"] = at
    if isinstance(event, AutoReplyReceived) and event.back_on:
        changes["back_on"] = event.back_on
    if isinstance(event, SentByMe | DraftSent):
        changes["last_out"] = _latest(thread.last_out, at)
    if isinstance(event, DraftSent):
        changes["sent_kinds"] = thread.sent_kinds | {event.kind}
        if event.kind in ("follow_up", "follow_up_final"):
            changes["follow_ups"] = thread.follow_ups + 1
            changes["last_follow_up_at"] = at
    if isinstance(event, MarkedHeld | MarkedMissed | MarkedIMissed | Withdrew):
        changes["marked_at"] = at
    if isinstance(event, MarkedHeld):
        changes["held_at"] = at
    if isinstance(event, MarkedMissed):
        changes["missed_count"] = thread.missed_count + 1
    if isinstance(event, RespondBySet):
        changes["respond_by"] = event.respond_by
        changes["follow_ups"] = 0
    return replace(thread, **changes)  # type: ignore[arg-type]


def replay(events: Iterable[Event], now: datetime) -> tuple[Thread, list[IllegalTransition]]:
    """Fold events in time order; an illegal one is skipped and reported, never fatal."""
    thread = Thread()
    skipped: list[IllegalTransition] = []
    for event in sorted(events, key=lambda e: e.at):
        try:
            thread = advance(thread, event, now)
        except IllegalTransition as exc:
            skipped.append(exc)
    return thread, skipped


def _latest(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


# ---- events as records (the store keeps them as name + JSON) -----------------------------------------

def to_record(event: Event) -> tuple[str, datetime, dict[str, object]]:
    data: dict[str, object] = {}
    for name in event._fields:
        if name == "at":
            continue
        value = getattr(event, name)
        data[name] = value.isoformat() if isinstance(value, datetime | date) else value
    return type(event).__name__, event.at, data


def from_record(name: str, at: datetime, data: dict[str, object]) -> Event:
    cls = EVENT_TYPES[name]
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, object] = {"at": at}
    for key, value in data.items():
        kinds = set(typing.get_args(hints.get(key))) | {hints.get(key)}
        if isinstance(value, str) and datetime in kinds:
            kwargs[key] = datetime.fromisoformat(value)
        elif isinstance(value, str) and date in kinds:
            kwargs[key] = date.fromisoformat(value)
        else:
            kwargs[key] = value
    return cls(**kwargs)  # type: ignore[no-any-return]


def event_for(
    kind: str, *, outgoing: bool, at: datetime, start: datetime | None, end: datetime | None,
    respond_by: date | None = None, auto_reply: bool = False, back_on: date | None = None,
    call_held: bool = False,
) -> Event | None:
    """The event a classified message stands for, or None if it moves nothing.

    `kind` is a classify.Kind value, taken as its string so that this module (needed by
    every run) does not import the classifier (needed only when mail arrives).
    """
    if outgoing:
        return SentByMe(at)
    if auto_reply:
        return AutoReplyReceived(at, back_on)
    if kind == "invite" and start is not None:
        return InviteReceived(at, start, end)
    if kind == "reschedule" and start is not None:
        return RescheduleReceived(at, start, end)
    if kind == "cancel":
        return CancelReceived(at)
    if kind == "rejection":
        return RejectionReceived(at)
    if call_held:
        return ThanksAfterCallReceived(at, respond_by)
    if kind in ("reply", "invite", "reschedule"):
        # An invite whose time could not be read still says "they are talking to you".
        return ReplyReceived(at, respond_by)
    return None


# ---- which thread does a message belong to ------------------------------------------------------------

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
