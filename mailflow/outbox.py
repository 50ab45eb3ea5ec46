"""The rules between a draft and the wire: who may approve what, and what may leave when.

These are the product's invariants, as pure functions of a draft and the clock:
- nothing is sent that the user did not approve, or that changed after approval (the
  approved fingerprint covers recipient, subject, body and threading);
- nothing stale is sent (a confirmation after the call): expired drafts never leave;
- nothing goes to anyone outside the thread unless the user typed the address out in full;
- nothing heated is approved in the heat of the moment: a flagged draft waits `cool_off`
  after its last edit, and there is no flag to skip that;
- every approval has an undo window before it can leave;
- nothing is sent twice: only a draft in state "approved" is sendable, and the sender moves
  it to "sending" in a committed step before the SMTP transaction (see sending.py).

Each check returns a `Refusal` (a name a test can assert on, and a sentence for the user) or
None. The shell applies them; it never decides on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from zoneinfo import ZoneInfo

from mailflow.settings import Policy

SENDABLE = "approved"
# Kinds whose reason to exist ends when the recruiter writes: hold them if they did.
HOLD_ON_REPLY = frozenset({"follow_up", "follow_up_final", "missed_call", "missed_call_again",
                           "confirmation"})
FOLLOW_UPS = frozenset({"follow_up", "follow_up_final"})
PLACEHOLDER_MARK = "[["


@dataclass(frozen=True)
class DraftView:
    """A stored draft, as the rules see it."""

    id: int
    thread_id: int
    kind: str
    state: str
    subject: str
    body: str
    in_reply_to: str | None
    references: tuple[str, ...]
    not_before: datetime
    expires_at: datetime | None
    created_at: datetime
    edited_at: datetime | None = None
    recipient: str | None = None
    approved_at: datetime | None = None
    approved_fingerprint: str | None = None
    send_after: datetime | None = None
    message_id: str | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None

    @property
    def last_change(self) -> datetime:
        return self.edited_at or self.created_at


@dataclass(frozen=True)
class Refusal:
    name: str  # stable, for tests and scripts
    message: str  # for the user

    def __str__(self) -> str:
        return self.message


def fingerprint(d: DraftView, to: str) -> str:
    from mailflow.drafts import Draft

    return Draft(d.kind, d.subject, d.body, d.in_reply_to, d.references, ()).fingerprint(to)


# ---- approval --------------------------------------------------------------------------------------

def cool_off_until(d: DraftView, flagged: bool, rules: Policy) -> datetime | None:
    """When a flagged draft may be approved: `cool_off` after its last edit."""
    return d.last_change + rules.cool_off if flagged else None


def approval_refusal(
    d: DraftView, *, to: str, participants: Iterable[str], typed_in_full: bool, flagged: bool,
    now: datetime, rules: Policy, seen_fingerprint: str | None = None, zone: str = "UTC",
) -> Refusal | None:
    """Why this draft cannot be approved for `to` now, or None if it can."""
    if d.state not in ("pending", "unknown"):
        return Refusal("not-pending", f"draft {d.id} is {d.state}, not waiting for review")
    if d.expires_at is not None and now >= d.expires_at:
        return Refusal("expired", f"draft {d.id} expired at {_local(d.expires_at, zone)}: "
                                  "it would arrive too late")
    if PLACEHOLDER_MARK in d.body or PLACEHOLDER_MARK in d.subject:
        return Refusal("placeholder", f"draft {d.id} still has a [[...]] gap to fill in: "
                                      "edit it first")
    until = cool_off_until(d, flagged, rules)
    if until is not None and now < until:
        return Refusal("cool-off", f"draft {d.id} has heated wording; it can be approved from "
                                   f"{_local(until, zone)} (or edit it calmer)")
    recipient_problem = recipient_refusal(to, participants, typed_in_full)
    if recipient_problem:
        return recipient_problem
    if seen_fingerprint is not None and seen_fingerprint != fingerprint(d, to):
        return Refusal("fingerprint", f"draft {d.id} changed since you looked at it: "
                                      "read it again (mailflow drafts show)")
    return None


def recipient_refusal(to: str, participants: Iterable[str], typed_in_full: bool) -> Refusal | None:
    address = to.strip().lower()
    if "@" not in address or any(c in address for c in " \r\n,;<>"):
        return Refusal("bad-recipient", f"{to!r} is not one email address")
    if address not in {p.lower() for p in participants} and not typed_in_full:
        return Refusal("outsider", f"{address} took no part in this thread: type the address "
                                   "out in full to confirm it")
    return None


@dataclass(frozen=True)
class Approval:
    recipient: str
    approved_at: datetime
    fingerprint: str
    message_id: str
    send_after: datetime


def approve(d: DraftView, to: str, now: datetime, rules: Policy, domain: str) -> Approval:
    """The approval record: the Message-ID is fixed now, so a crash can be reconciled."""
    return Approval(
        recipient=to.strip().lower(),
        approved_at=now,
        fingerprint=fingerprint(d, to.strip().lower()),
        message_id=make_msgid(idstring=f"mailflow.{d.id}", domain=domain),
        send_after=max(now + rules.undo_window, d.not_before),
    )


def cancel_refusal(d: DraftView, now: datetime) -> Refusal | None:
    if d.state != "approved":
        return Refusal("not-approved", f"draft {d.id} is {d.state}: there is nothing to cancel")
    return None


# ---- sending --------------------------------------------------------------------------------

def send_refusal(
    d: DraftView, *, now: datetime, rules: Policy, recruiter_wrote_at: datetime | None,
    recruiter_zone: str, sent_this_run: int, sent_to_thread_today: int,
) -> Refusal | None:
    """Why this draft must not leave now, or None. Checked just before the SMTP transaction."""
    if d.state != SENDABLE:
        return Refusal("not-approved", f"draft {d.id} is {d.state}, not approved")
    if d.recipient is None or d.approved_at is None or d.message_id is None:
        return Refusal("not-approved", f"draft {d.id} has no complete approval")
    if d.approved_fingerprint != fingerprint(d, d.recipient):
        return Refusal("edited", f"draft {d.id} changed after it was approved: approve it again")
    if d.expires_at is not None and now >= d.expires_at:
        return Refusal("expired", f"draft {d.id} expired: it would arrive too late")
    if d.send_after is not None and now < d.send_after:
        return Refusal("undo-window", f"draft {d.id} waits until {d.send_after.isoformat()}")
    if now < d.not_before:
        return Refusal("too-early", f"draft {d.id} may not be sent before its time")
    if d.next_attempt_at is not None and now < d.next_attempt_at:
        return Refusal("backoff", f"draft {d.id} waits before its next attempt")
    if (d.kind in HOLD_ON_REPLY and recruiter_wrote_at is not None
            and recruiter_wrote_at > d.approved_at):
        return Refusal("they-wrote", f"they wrote since you approved draft {d.id}: "
                                     "it is back in review")
    if d.kind in FOLLOW_UPS and not in_business_hours(now, recruiter_zone, rules):
        return Refusal("after-hours", f"draft {d.id} waits for business hours in their zone")
    if sent_this_run >= rules.max_per_run:
        return Refusal("run-limit", f"at most {rules.max_per_run} messages per run")
    if sent_to_thread_today >= rules.max_per_thread_per_day:
        return Refusal("thread-limit", f"at most {rules.max_per_thread_per_day} messages to "
                                       "one thread a day")
    return None


def in_business_hours(now: datetime, zone: str, rules: Policy) -> bool:
    local = now.astimezone(ZoneInfo(zone))
    return local.weekday() < 5 and rules.business_hours[0] <= local.hour < rules.business_hours[1]


# Temporary failures are retried this many times, waiting longer each time.
MAX_ATTEMPTS = 5


def backoff(attempts: int) -> timedelta:
    """5, 10, 20, 40 minutes... capped at 4 hours."""
    return min(timedelta(minutes=5) * (2 ** max(attempts - 1, 0)), timedelta(hours=4))


def _local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M %Z")
