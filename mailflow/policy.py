"""Which draft is due, from when, and until when: the career advice as rules.

`due_actions` looks at every tracked thread at one moment and returns the drafts that
should exist then, each with the earliest moment it may be sent (`not_before`) and the
moment it goes stale (`expires_at`). It is pure: the planner (service.plan) compares its
answer with the drafts already stored and creates only the missing ones, so running it a
thousand times over the same state and clock creates each draft exactly once. Each action
carries a `key` naming the occasion (the interview instant, the follow-up number and its
basis date): a reschedule changes the key, so the old draft becomes obsolete and a new one
is made for the new time.

The numbers come from `settings.Policy` (shared/DOMAIN.md gives the advice behind them).
Business days are Monday to Friday; public holidays are not known.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mailflow.settings import Policy
from mailflow.threads import (
    MISSED,
    PRE_CALL,
    FollowUpsExhausted,
    State,
    Thread,
)


@dataclass(frozen=True)
class ThreadFacts:
    """What the policy needs to know of one thread, beyond its state-machine value."""

    thread_id: int
    thread: Thread
    zone: str | None = None  # the recruiter's zone, when known
    phone: str | None = None  # the number the thread names for the call (E.164)
    medium: str | None = None  # phone | video | onsite
    history: bool = False  # imported on the first run: never draft for it


@dataclass(frozen=True)
class Action:
    thread_id: int
    kind: str  # a drafts.KINDS value
    key: str  # the occasion: one draft per (thread, key), ever
    not_before: datetime
    expires_at: datetime | None
    notes: tuple[str, ...] = ()  # shown at review: a phone mismatch, a clash
    appears_at: datetime | None = None  # when the draft is made; default: at not_before

    @property
    def appears(self) -> datetime:
        return self.appears_at or self.not_before


@dataclass(frozen=True)
class NextStep:
    text: str
    due: datetime | None = None


# ---- business time ------------------------------------------------------------------------------

def add_business_days(day: date, n: int) -> date:
    """`n` Monday-to-Friday days after `day` (a Friday + 2 is the Tuesday)."""
    current = day
    while n > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            n -= 1
    return current


def business_moment(moment: datetime, zone: str, hours: tuple[int, int]) -> datetime:
    """The first instant at or after `moment` inside business hours in `zone`.

    Computed in the recruiter's local time, so "9:00 on a business day" means their 9:00:
    a follow-up due on Tuesday is never sent on Monday evening in their zone.
    """
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    opening, closing = hours
    day = local.date()
    if day.weekday() < 5 and opening <= local.hour < closing:
        return moment
    if day.weekday() < 5 and local.hour < opening:
        return datetime.combine(day, time(opening), tz)
    # After hours, or a weekend: the next business day's opening.
    return datetime.combine(add_business_days(day, 1), time(opening), tz)


# ---- the rules -----------------------------------------------------------------------------------

def due_actions(
    threads: Sequence[ThreadFacts], now: datetime, rules: Policy, *, user_zone: str,
    user_phone: str | None = None,
) -> list[Action]:
    """Every draft that should exist at `now` (created or not yet), across all threads."""
    clashes = find_clashes(threads, rules)
    actions: list[Action] = []
    for facts in threads:
        if facts.history:
            continue
        for action in _thread_actions(facts, now, rules, user_zone, user_phone, clashes):
            # Inside its window only: not before it appears, never once it is stale.
            if action.appears <= now and (action.expires_at is None or action.expires_at > now):
                actions.append(action)
    return actions


def _thread_actions(
    f: ThreadFacts, now: datetime, rules: Policy, user_zone: str, user_phone: str | None,
    clashes: dict[int, list[int]],
) -> Iterable[Action]:
    t = f.thread
    start = t.interview_start
    end = interview_end(t, rules)
    if start is not None and end is not None:
        occasion = start.isoformat()
        # Confirmation: prepared the day before, sendable from 2 h before, stale 30 min before.
        if (t.state is State.SCHEDULED and "confirmation" not in t.sent_kinds
                and not (t.last_out and t.last_out >= start - rules.confirm_before)):
            yield Action(f.thread_id, "confirmation", f"confirmation:{occasion}",
                         start - rules.confirm_before, start - rules.confirm_stale_before,
                         notes=_confirmation_notes(f, user_phone, clashes),
                         appears_at=start - timedelta(days=1))
        # Did the call happen? Past the grace period with no word from them since the
        # start, prepare the missed-call note so answering "no" is one step from sending.
        silent_since_start = t.last_in is None or t.last_in < start
        if (t.state in PRE_CALL and silent_since_start) or t.state is State.MISSED_BY_THEM:
            previous_misses = t.missed_count - (1 if t.state is State.MISSED_BY_THEM else 0)
            kind = "missed_call_again" if previous_misses >= 1 else "missed_call"
            if kind not in t.sent_kinds and silent_since_start:
                yield Action(f.thread_id, kind, f"missed:{occasion}", start + rules.grace,
                             start + rules.missed_call_expires)
        if t.state is State.MISSED_BY_ME and "apology" not in t.sent_kinds:
            marked = t.marked_at or now
            yield Action(f.thread_id, "apology", f"apology:{occasion}", marked,
                         marked + timedelta(hours=48))
        if (t.state is State.HELD and "thank_you" not in t.sent_kinds
                and not (t.last_out and t.last_out >= end)):
            yield Action(f.thread_id, "thank_you", f"thank_you:{occasion}",
                         max(end, t.held_at or end), end + rules.thank_you_within)
    if t.state in (State.HELD, State.AWAITING_DECISION, State.FOLLOWED_UP):
        yield from _follow_ups(f, rules, user_zone)
    if t.state is State.WITHDRAWN and "withdraw" not in t.sent_kinds:
        marked = t.marked_at or now
        yield Action(f.thread_id, "withdraw", "withdraw", marked, marked + timedelta(days=14))


def _follow_ups(f: ThreadFacts, rules: Policy, user_zone: str) -> Iterable[Action]:
    t = f.thread
    basis = follow_up_basis(t, rules)
    if basis is None or t.follow_ups >= 2:
        return
    zone = f.zone or user_zone
    if t.follow_ups == 0:
        due = datetime.combine(add_business_days(basis, rules.follow_up_after_business_days),
                               time(rules.business_hours[0]), ZoneInfo(zone))
        kind, number = "follow_up", 1
    else:
        assert t.last_follow_up_at is not None
        due = t.last_follow_up_at + timedelta(days=rules.second_follow_up_after_days)
        kind, number = "follow_up_final", 2
    if t.back_on is not None:
        # An out-of-office names a return date: wait until the next business day after it.
        back = datetime.combine(add_business_days(t.back_on, 1), time(rules.business_hours[0]),
                                ZoneInfo(zone))
        due = max(due, back)
    not_before = business_moment(due, zone, rules.business_hours)
    yield Action(f.thread_id, kind, f"follow_up:{number}:{basis.isoformat()}", not_before,
                 not_before + timedelta(days=rules.second_follow_up_after_days))


def follow_up_basis(t: Thread, rules: Policy) -> date | None:
    """The date from which follow-ups count: the promised date, else a default after the call.

    When the recruiter wrote after the promised date without giving a new one, the wait
    starts again from their message.
    """
    last_in = t.last_in.date() if t.last_in else None
    if t.respond_by is not None and (last_in is None or last_in <= t.respond_by):
        return t.respond_by
    anchor_moment = max(filter(None, (t.last_in, t.held_at, t.interview_end, t.interview_start)),
                        default=None)
    if anchor_moment is None:
        return None
    return add_business_days(anchor_moment.date(), rules.default_respond_business_days)


def interview_end(t: Thread, rules: Policy) -> datetime | None:
    if t.interview_start is None:
        return None
    return t.interview_end or t.interview_start + rules.call_duration


def due_transitions(
    threads: Sequence[ThreadFacts], now: datetime, rules: Policy
) -> list[tuple[int, FollowUpsExhausted]]:
    """Events that time alone causes: silence after the last follow-up closes the thread."""
    out = []
    for f in threads:
        t = f.thread
        if (t.state is State.FOLLOWED_UP and t.follow_ups >= 2 and t.last_follow_up_at
                and now >= t.last_follow_up_at + timedelta(days=rules.second_follow_up_after_days)):
            out.append((f.thread_id, FollowUpsExhausted(
                t.last_follow_up_at + timedelta(days=rules.second_follow_up_after_days))))
    return out


def find_clashes(threads: Sequence[ThreadFacts], rules: Policy) -> dict[int, list[int]]:
    """Threads whose interviews overlap another thread's, thread id -> the others."""
    slots = []
    for f in threads:
        t = f.thread
        if t.interview_start is not None and t.state in PRE_CALL and not f.history:
            slots.append((f.thread_id, t.interview_start, interview_end(t, rules)))
    clashes: dict[int, list[int]] = {}
    for i, (a, a_start, a_end) in enumerate(slots):
        for b, b_start, b_end in slots[i + 1:]:
            if a_start < b_end and b_start < a_end:  # type: ignore[operator]
                clashes.setdefault(a, []).append(b)
                clashes.setdefault(b, []).append(a)
    return clashes


def phone_warning(f: ThreadFacts, user_phone: str | None) -> str | None:
    """The advice: double-check the number they will call. None when all is consistent."""
    if f.medium not in (None, "phone") or f.thread.interview_start is None:
        return None
    if f.phone is None:
        if f.medium == "phone":
            return "the invitation names no phone number: confirm the number they will call"
        return None
    if user_phone and _digits(user_phone)[-10:] != _digits(f.phone)[-10:]:
        return (f"they have {f.phone}, your settings say {user_phone}: "
                "check which number they will call")
    return None


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def _confirmation_notes(f: ThreadFacts, user_phone: str | None,
                        clashes: dict[int, list[int]]) -> tuple[str, ...]:
    notes = []
    warning = phone_warning(f, user_phone)
    if warning:
        notes.append(warning)
    for other in clashes.get(f.thread_id, []):
        notes.append(f"clashes with the interview in thread {other}")
    return tuple(notes)


def next_step(f: ThreadFacts, now: datetime, rules: Policy, user_zone: str) -> NextStep:
    """One line for `status`: what happens next in this thread, and when."""
    t = f.thread
    if f.history:
        return NextStep("none (imported as history)")
    if t.state in (State.OFFER, State.REJECTED, State.WITHDRAWN):
        return NextStep("none (closed)")
    if t.state is State.NO_RESPONSE:
        return NextStep("none (closed: no answer; reopens if they write)")
    actions = list(_thread_actions(f, now, rules, user_zone, None, {}))
    # A missed-call note is conditional on a silence that has not happened yet: before the
    # grace period ends, the next step is the call itself.
    live = [a for a in actions if (a.expires_at is None or a.expires_at > now)
            and not (a.kind.startswith("missed_call") and now < a.not_before)]
    if live:
        first = min(live, key=lambda a: a.not_before)
        label = first.kind.replace("_", " ")
        return NextStep(f"send the {label}", first.not_before)
    start = t.interview_start
    if t.state in PRE_CALL and start is not None:
        if now < start:
            return NextStep("the interview", start)
        if now < start + rules.grace:
            return NextStep("wait for the call (grace period)", start + rules.grace)
        return NextStep(f"did the call happen? mailflow mark {f.thread_id} held (or missed)")
    if t.state in MISSED or t.state is State.RESCHEDULING:
        return NextStep("wait for a new time")
    if t.state is State.CANCELLED:
        return NextStep("wait for a new time (cancelled)")
    if t.state in (State.AWAITING_DECISION, State.FOLLOWED_UP, State.HELD):
        basis = follow_up_basis(t, rules)
        return NextStep(f"wait for their answer (promised by {basis})" if basis else
                        "wait for their answer")
    return NextStep("wait for their answer")


def next_moment(
    threads: Sequence[ThreadFacts], now: datetime, rules: Policy, *, user_zone: str
) -> datetime | None:
    """The earliest future instant at which the plan could change with no new mail.

    `mailflow watch` sleeps until then (or until mail arrives): a confirmation window
    opening, a grace period ending, a draft going stale, silence closing a thread.
    """
    moments: list[datetime] = []
    for f in threads:
        if f.history:
            continue
        t = f.thread
        for action in _thread_actions(f, now, rules, user_zone, None, {}):
            moments += [m for m in (action.appears, action.expires_at) if m is not None]
        if t.state in PRE_CALL and t.interview_start is not None:
            moments.append(t.interview_start + rules.grace)
        if t.state is State.FOLLOWED_UP and t.last_follow_up_at is not None:
            moments.append(t.last_follow_up_at + timedelta(days=rules.second_follow_up_after_days))
    future = [m for m in moments if m > now]
    return min(future) if future else None
