"""Use cases, one function each: what the CLI commands do, without the terminal.

Each function takes the settings and `now` and returns plain values that the CLI formats.
Anything that writes runs inside `session()`: the run lock, then the store. Reading
commands (status, show, drafts) open the store without the lock: SQLite's WAL lets them
read while a scheduled run writes.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mailflow import policy, threads
from mailflow.errors import MailflowError, UsageError
from mailflow.policy import ThreadFacts
from mailflow.poller import PollReport, Progress, poll_account
from mailflow.settings import Settings
from mailflow.store import RunLock, Store, instant, iso, prepare_state_dir
from mailflow.threads import State

# Draft states in which a draft still waits for something (review, the undo window, SMTP).
LIVE_DRAFT_STATES = ("pending", "approved")


def open_store(settings: Settings) -> Store:
    return Store.open(settings.state_dir)


@contextlib.contextmanager
def session(settings: Settings) -> Iterator[Store]:
    """The run lock and the store, for anything that writes."""
    prepare_state_dir(settings.state_dir)
    with RunLock(settings.state_dir):
        store = open_store(settings)
        try:
            yield store
        finally:
            store.close()


@contextlib.contextmanager
def reading(settings: Settings) -> Iterator[Store]:
    store = open_store(settings)
    try:
        yield store
    finally:
        store.close()


# ---- poll ------------------------------------------------------------------------------------

def poll(
    settings: Settings, now: datetime, progress: Callable[[], Progress] | None = None,
    only: str | None = None,
) -> list[PollReport]:
    with session(settings) as store:
        return poll_with(store, settings, now, progress, only)


def poll_with(
    store: Store, settings: Settings, now: datetime,
    progress: Callable[[], Progress] | None = None, only: str | None = None,
) -> list[PollReport]:
    """Poll every account (or the one named). Records each account's success or failure.

    One account failing does not stop the others; the first failure is raised at the end so
    the exit code says something went wrong.
    """
    reports: list[PollReport] = []
    failure: MailflowError | None = None
    for account in settings.accounts:
        if only and account.name != only:
            continue
        try:
            reports.append(poll_account(
                store, settings, account, now, progress() if progress else None))
            store.record_poll(account.name, now)
        except MailflowError as exc:
            store.record_poll(account.name, now, error=str(exc))
            failure = failure or exc
    if failure:
        raise failure
    return reports


# ---- plan: bring the timeline up to date -----------------------------------------------------------

@dataclass
class PlanReport:
    created: list[int] = field(default_factory=list)  # draft ids
    expired: list[int] = field(default_factory=list)
    obsolete: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)  # thread ids closed as no_response
    rewritten: list[int] = field(default_factory=list)  # stale wording, written again


def plan(settings: Settings, now: datetime) -> PlanReport:
    with session(settings) as store:
        report = plan_with(store, settings, now)
        mirror_drafts(store, settings, now)
        return report


def mirror_drafts(store: Store, settings: Settings, now: datetime) -> None:
    """Keep the IMAP Drafts folder's copies in line, when the user asked for them."""
    if settings.account.mirror_drafts:
        from mailflow import mirror

        mirror.sync(store, settings, now)


def plan_with(store: Store, settings: Settings, now: datetime) -> PlanReport:
    """Create the drafts that are due, expire the stale ones, apply time's own transitions.

    Idempotent: a draft is made once per (thread, occasion key), whatever happens to it
    later (sent, discarded, expired), so running this every few minutes for weeks makes
    each draft exactly once.
    """
    report = PlanReport()
    rules = settings.policy
    with store.transaction():
        for thread_id, event in policy.due_transitions(thread_facts(store), now, rules):
            store.add_event(thread_id, event)
            store.replay(thread_id, now)
            report.closed.append(thread_id)
        facts = thread_facts(store)
        actions = policy.due_actions(facts, now, rules, user_zone=settings.user.timezone,
                                     user_phone=settings.user.phone)
        existing = store.draft_keys()
        by_id = {f.thread_id: f for f in facts}
        wanted = {(a.thread_id, a.key): a for a in actions}
        for action in actions:
            if (action.thread_id, action.key) in existing:
                continue
            report.created.append(_create_draft(store, settings, by_id[action.thread_id],
                                                action, now))
        for row in store.drafts(LIVE_DRAFT_STATES):
            action = wanted.get((row["thread_id"], row["key"]))
            expires = instant(row["expires_at"])
            if action is None and (expires is None or expires > now):
                # The occasion passed without its moment: they wrote, the time moved, the
                # thread closed. A draft for it must not go out any more.
                store.update_draft(row["id"], {"state": "obsolete", "updated_at": iso(now)})
                report.obsolete.append(row["id"])
            elif expires is not None and expires <= now:
                if action is not None and row["edited_at"] is None:
                    # Still wanted, but its words went stale ("until 3:45", "today"):
                    # write it again for now; an approval of the old words lapses.
                    _render_into(store, settings, by_id[row["thread_id"]], action, now,
                                 row["id"])
                    report.rewritten.append(row["id"])
                else:
                    store.update_draft(row["id"], {"state": "expired", "updated_at": iso(now)})
                    report.expired.append(row["id"])
    return report


def thread_facts(store: Store) -> list[ThreadFacts]:
    return [
        ThreadFacts(
            thread_id=row["id"],
            thread=store.thread_value(row),
            zone=row["interview_zone"],
            phone=row["phone"],
            medium=row["medium"],
            history=bool(row["history"]),
        )
        for row in store.threads()
    ]


def _create_draft(store: Store, settings: Settings, facts: ThreadFacts,
                  action: policy.Action, now: datetime) -> int:
    return _render_into(store, settings, facts, action, now, None)


def _render_into(store: Store, settings: Settings, facts: ThreadFacts, action: policy.Action,
                 now: datetime, draft_id: int | None) -> int:
    """Render the draft for an action; insert it, or replace a stale one's text."""
    from mailflow import drafts

    row = store.thread(facts.thread_id)
    assert row is not None
    latest = store.latest_message(facts.thread_id)
    t = facts.thread
    references: list[str] = []
    in_reply_to = None
    if latest is not None:
        in_reply_to = latest["message_id"]
        references = [r for r in json.loads(latest["refs"]) if r != in_reply_to]
    # Written as of the earliest moment it may leave, so "today" is true when it is sent.
    as_of = max(now, action.not_before)
    ctx = drafts.DraftContext(
        kind=action.kind,
        now=as_of,
        recruiter_name=row["counterpart_name"] or None,
        recruiter_email=row["counterpart_email"] or "",
        company=row["company"],
        role=row["role"],
        interviewer=None,
        subject=(latest["subject"] if latest is not None else None) or row["subject"],
        in_reply_to=in_reply_to,
        references=tuple(dict.fromkeys(references)),
        interview_start=t.interview_start,
        interview_end=policy.interview_end(t, settings.policy),
        recruiter_zone=facts.zone,
        user_zone=settings.user.timezone,
        medium=facts.medium,
        phone=facts.phone,
        user_name=settings.user.name,
        user_email=settings.user.email,
        user_phone=settings.user.phone,
        signature=settings.user.signature,
        rescheduled=t.rescheduled > 0,
        available_for=settings.policy.available_for,
        respond_by=t.respond_by,
        missed_count=t.missed_count,
        notes=action.notes,
    )
    draft = drafts.render(ctx, template_dirs=[settings.path.parent / "templates"])
    expires = min(filter(None, (action.expires_at, draft.stale_at)), default=None)
    text = {
        "subject": draft.subject,
        "body": draft.body,
        "in_reply_to": draft.in_reply_to,
        "refs": json.dumps(list(draft.references)),
        "notes": json.dumps(list(draft.notes)),
        "not_before": iso(action.not_before),
        "expires_at": iso(expires),
        "updated_at": iso(now),
    }
    if draft_id is not None:
        store.update_draft(draft_id, {**_unapproved(now), **text})
        return draft_id
    reply_to = json.loads(row["reply_to"] or "[]")
    return store.insert_draft({
        "thread_id": facts.thread_id,
        "kind": action.kind,
        "key": action.key,
        "state": "pending",
        "proposed_to": reply_to[0] if reply_to else row["counterpart_email"],
        "created_at": iso(now),
        **text,
    })


# ---- marks --------------------------------------------------------------------------------------

MARKS = ("held", "missed", "i-missed", "respond-by", "offer", "rejected")


def mark(settings: Settings, thread_id: int, what: str, now: datetime,
         respond_by: date | None = None) -> State:
    """Record the user's word on a thread, then bring the timeline up to date."""
    events: dict[str, threads.Event] = {
        "held": threads.MarkedHeld(now),
        "missed": threads.MarkedMissed(now),
        "i-missed": threads.MarkedIMissed(now),
        "offer": threads.MarkedOffer(now),
        "rejected": threads.MarkedRejected(now),
        "withdraw": threads.Withdrew(now),
    }
    if what == "respond-by":
        if respond_by is None:
            raise UsageError("respond-by needs a date", hint="mailflow mark 3 respond-by 2026-12-04")
        event: threads.Event = threads.RespondBySet(now, respond_by)
    elif what in events:
        event = events[what]
    else:
        raise UsageError(f"unknown mark {what!r}", hint=f"use one of: {', '.join(MARKS)}")
    with session(settings) as store:
        row = store.thread(thread_id)
        if row is None:
            raise UsageError(f"there is no thread {thread_id}", hint="see `mailflow status`")
        current = store.thread_value(row)
        try:
            threads.advance(current, event, now)
        except threads.IllegalTransition:
            raise UsageError(
                f"thread {thread_id} is {current.state.value.replace('_', ' ')}: "
                f"it cannot be marked {what}",
                hint=f"see `mailflow show {thread_id}`",
            ) from None
        with store.transaction():
            store.add_event(thread_id, event)
            value = store.replay(thread_id, now)
            if what == "held":
                # "Yes, they called": the missed-call note prepared for this call goes.
                _discard_kinds(store, thread_id, ("missed_call", "missed_call_again"), now)
        plan_with(store, settings, now)
        mirror_drafts(store, settings, now)
        return value.state


def _discard_kinds(store: Store, thread_id: int, kinds: tuple[str, ...], now: datetime) -> None:
    for row in store.drafts(LIVE_DRAFT_STATES):
        if row["thread_id"] == thread_id and row["kind"] in kinds:
            store.update_draft(row["id"], {"state": "discarded", "updated_at": iso(now)})


# ---- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ThreadLine:
    """One row of `mailflow status`."""

    id: int
    counterpart: str
    company: str
    state: str
    interview: str  # in the user's zone, with the recruiter's where it differs
    interview_at: str | None  # ISO 8601, for --json
    last_message: str
    next_step: str
    next_due: str | None
    flags: tuple[str, ...]  # a pattern of missed calls, a clash, a phone number to check
    history: bool

    def to_json(self) -> dict[str, object]:
        data = dict(self.__dict__)
        data["flags"] = list(self.flags)
        return data


def status(settings: Settings, now: datetime) -> tuple[list[ThreadLine], list[sqlite3.Row]]:
    """Thread rows for the table, and the per-account poll records."""
    with reading(settings) as store:
        zone = ZoneInfo(settings.user.timezone)
        facts = thread_facts(store)
        clashes = policy.find_clashes(facts, settings.policy)
        lines = []
        for row, f in zip(store.threads(), facts, strict=True):
            lines.append(_line(row, f, zone, now, settings, clashes))
        return lines, store.accounts()


def problems(settings: Settings) -> list[sqlite3.Row]:
    with reading(settings) as store:
        return store.problems()


def list_drafts(settings: Settings, include_done: bool = False) -> list[sqlite3.Row]:
    with reading(settings) as store:
        return store.drafts(None if include_done else LIVE_DRAFT_STATES)


def show(settings: Settings, thread_id: int) -> tuple[sqlite3.Row, list[dict[str, object]]]:
    """A thread and its messages, events and drafts merged, oldest first."""
    with reading(settings) as store:
        row = store.thread(thread_id)
        if row is None:
            raise UsageError(f"there is no thread {thread_id}", hint="see `mailflow status`")
        items: list[dict[str, object]] = []
        for m in store.messages(thread_id):
            items.append({
                "at": m["date"], "type": "message", "direction": m["direction"],
                "kind": m["kind"], "from": m["sender"], "subject": m["subject"],
                "excerpt": m["excerpt"], "facts": json.loads(m["facts"]),
            })
        for e in store.events(thread_id):
            items.append({"at": e["at"], "type": "event", "name": e["name"],
                          "data": json.loads(e["data"])})
        for d in store.drafts():
            if d["thread_id"] == thread_id:
                items.append({"at": d["created_at"], "type": "draft", "id": d["id"],
                              "kind": d["kind"], "state": d["state"],
                              "not_before": d["not_before"], "expires_at": d["expires_at"]})
        items.sort(key=lambda i: (str(i["at"]), ["message", "event", "draft"].index(
            str(i["type"]))))
        return row, items


def format_instant(value: datetime, user_zone: ZoneInfo, source_zone: str | None = None) -> str:
    """"Tue 24 Nov 15:00 CET", plus the source zone's reading when it differs."""
    local = value.astimezone(user_zone)
    text = local.strftime("%a %d %b %Y %H:%M %Z")
    if source_zone and source_zone != str(user_zone.key):
        try:
            other = value.astimezone(ZoneInfo(source_zone))
        except (KeyError, ValueError):
            return text
        if other.utcoffset() != local.utcoffset():
            text += other.strftime(" (%H:%M %Z there)")
    return text


def _line(row: sqlite3.Row, f: ThreadFacts, zone: ZoneInfo, now: datetime,
          settings: Settings, clashes: dict[int, list[int]]) -> ThreadLine:
    t = f.thread
    start = t.interview_start
    last = max(filter(None, (t.last_in, t.last_out)), default=None)
    step = policy.next_step(f, now, settings.policy, settings.user.timezone)
    flags = []
    if t.pattern_of_missed_calls:
        flags.append("missed twice: a pattern worth weighing")
    for other in clashes.get(f.thread_id, []):
        flags.append(f"clashes with thread {other}")
    if t.state in threads.PRE_CALL and not f.history:
        warning = policy.phone_warning(f, settings.user.phone)
        if warning:
            flags.append(warning)
    return ThreadLine(
        id=row["id"],
        counterpart=row["counterpart_name"] or row["counterpart_email"] or "?",
        company=row["company"] or "",
        state=row["state"],
        interview=format_instant(start, zone, f.zone) if start else "",
        interview_at=start.isoformat() if start else None,
        last_message=last.astimezone(zone).strftime("%d %b %H:%M") if last else "",
        next_step=step.text + (f" ({step.due.astimezone(zone).strftime('%a %d %b %H:%M')})"
                               if step.due else ""),
        next_due=step.due.isoformat() if step.due else None,
        flags=tuple(flags),
        history=f.history,
    )


# ---- review and approval -------------------------------------------------------------------------

@dataclass(frozen=True)
class DraftDetail:
    """Everything the review shows for one draft."""

    draft: sqlite3.Row
    thread: sqlite3.Row
    last_from_them: sqlite3.Row | None
    participants: tuple[str, ...]
    proposed_to: str
    fingerprint: str  # for proposed_to and the text as it is now
    tone_flags: tuple[object, ...]
    cool_off_until: datetime | None


def draft_detail(settings: Settings, draft_id: int) -> DraftDetail:
    with reading(settings) as store:
        return _detail(store, settings, draft_id)


def _detail(store: Store, settings: Settings, draft_id: int) -> DraftDetail:
    from mailflow import outbox, sending, tone

    row = store.draft(draft_id)
    if row is None:
        raise UsageError(f"there is no draft {draft_id}", hint="see `mailflow drafts`")
    thread = store.thread(row["thread_id"])
    assert thread is not None
    incoming = [m for m in store.messages(row["thread_id"]) if m["direction"] == "in"]
    d = sending.view(row)
    proposed = (row["proposed_to"] or thread["counterpart_email"] or "").lower()
    # The subject is usually the recruiter's ("Re: URGENT: PHONE SCREEN"): judge it only
    # once the user has edited the draft, and the body always.
    flags = tone.check(f"{d.subject}\n{d.body}" if d.edited_at else d.body)
    return DraftDetail(
        draft=row, thread=thread, last_from_them=incoming[-1] if incoming else None,
        participants=participants(store, row["thread_id"], settings),
        proposed_to=proposed, fingerprint=outbox.fingerprint(d, proposed),
        tone_flags=tuple(flags),
        cool_off_until=outbox.cool_off_until(d, bool(flags), settings.policy),
    )


def participants(store: Store, thread_id: int, settings: Settings) -> tuple[str, ...]:
    """Every address that took part in the thread, except the user's own."""
    from email.utils import getaddresses

    row = store.thread(thread_id)
    found: list[str] = []
    if row is not None:
        found += [row["counterpart_email"] or "", *json.loads(row["reply_to"] or "[]")]
    for m in store.messages(thread_id):
        found += [addr for _n, addr in getaddresses([m["sender"] or ""])]
        found += json.loads(m["recipients"] or "[]")
    mine = set(settings.user.addresses)
    return tuple(dict.fromkeys(a.lower() for a in found if "@" in a and a.lower() not in mine))


def approve(settings: Settings, draft_id: int, now: datetime, *, to: str | None = None,
            seen_fingerprint: str | None = None, typed_in_full: bool = False) -> sqlite3.Row:
    """Approve a draft for one recipient: bound now, last, as the advice says."""
    from mailflow import outbox, sending

    with session(settings) as store:
        detail = _detail(store, settings, draft_id)
        d = sending.view(detail.draft)
        recipient = (to or detail.proposed_to).strip().lower()
        refusal = outbox.approval_refusal(
            d, to=recipient, participants=detail.participants, typed_in_full=typed_in_full,
            flagged=bool(detail.tone_flags), now=now, rules=settings.policy,
            seen_fingerprint=seen_fingerprint, zone=settings.user.timezone,
        )
        if refusal is not None:
            raise UsageError(refusal.message)
        approval = outbox.approve(d, recipient, now, settings.policy,
                                  domain=settings.user.email.rsplit("@", 1)[-1])
        with store.transaction():
            store.update_draft(draft_id, {
                "state": "approved", "recipient": approval.recipient,
                "approved_at": iso(approval.approved_at),
                "approved_fingerprint": approval.fingerprint,
                "message_id": approval.message_id, "send_after": iso(approval.send_after),
                "next_attempt_at": None, "last_error": None, "updated_at": iso(now),
            })
        mirror_drafts(store, settings, now)
        row = store.draft(draft_id)
        assert row is not None
        return row


def cancel(settings: Settings, draft_id: int, now: datetime) -> None:
    """Take an approval back (the undo window): the draft waits for review again."""
    from mailflow import outbox, sending

    with session(settings) as store:
        row = store.draft(draft_id)
        if row is None:
            raise UsageError(f"there is no draft {draft_id}", hint="see `mailflow drafts`")
        refusal = outbox.cancel_refusal(sending.view(row), now)
        if refusal is not None:
            raise UsageError(refusal.message)
        with store.transaction():
            store.update_draft(draft_id, _unapproved(now))
        mirror_drafts(store, settings, now)


def discard(settings: Settings, draft_id: int, now: datetime) -> None:
    with session(settings) as store:
        row = store.draft(draft_id)
        if row is None:
            raise UsageError(f"there is no draft {draft_id}", hint="see `mailflow drafts`")
        if row["state"] not in ("pending", "approved", "unknown", "failed"):
            raise UsageError(f"draft {draft_id} is {row['state']}: nothing to discard")
        with store.transaction():
            store.update_draft(draft_id, {**_unapproved(now), "state": "discarded"})
        mirror_drafts(store, settings, now)


def edit(settings: Settings, draft_id: int, subject: str, body: str, now: datetime) -> None:
    """Replace a draft's text. Any approval is withdrawn: you approve what you read."""
    from mailflow.drafts import sanitize_header

    with session(settings) as store:
        row = store.draft(draft_id)
        if row is None:
            raise UsageError(f"there is no draft {draft_id}", hint="see `mailflow drafts`")
        if row["state"] not in ("pending", "approved", "unknown"):
            raise UsageError(f"draft {draft_id} is {row['state']}: it can no longer be edited")
        body = body.replace("\r\n", "\n").rstrip("\n") + "\n"
        with store.transaction():
            store.update_draft(draft_id, {**_unapproved(now), "subject": sanitize_header(subject),
                                          "body": body, "edited_at": iso(now)})
        mirror_drafts(store, settings, now)


def _unapproved(now: datetime) -> dict[str, object]:
    return {"state": "pending", "recipient": None, "approved_at": None,
            "approved_fingerprint": None, "send_after": None, "message_id": None,
            "next_attempt_at": None, "updated_at": iso(now)}


def send(settings: Settings, now: datetime, progress: Callable[[], Progress] | None = None):  # type: ignore[no-untyped-def]
    """Poll first (a reply holds a follow-up), then send what is due."""
    from mailflow import sending

    with session(settings) as store:
        poll_with(store, settings, now, progress)
        plan_with(store, settings, now)
        report = sending.send_due(store, settings, now)
        mirror_drafts(store, settings, now)
        return report


@dataclass
class RunReport:
    """What one scheduled run did, and what it must tell the user."""

    polled: list[PollReport] = field(default_factory=list)
    plan: PlanReport = field(default_factory=PlanReport)
    sent: object | None = None  # sending.SendReport, when [smtp] is configured
    poll_error: MailflowError | None = None
    alerts: list[str] = field(default_factory=list)  # failing for longer than alert_after
    waiting: int = 0  # drafts waiting for review
    news: bool = False  # some of them are new (made, rewritten or held back in this run)


def run_once(settings: Settings, now: datetime,
             progress: Callable[[], Progress] | None = None) -> RunReport:
    """The scheduled job: poll, plan, send what is due, mirror drafts; one lock for all.

    A failed poll (server down, login refused) is recorded, not raised: a blip should not
    mail the user from cron. Only once polling has failed for longer than `alert_after`
    does the report carry an alert. Nothing is sent in a run whose poll failed, since a
    reply that would hold a follow-up may be sitting unread.
    """
    from mailflow.errors import SettingsError

    report = RunReport()
    with session(settings) as store:
        try:
            report.polled = poll_with(store, settings, now, progress)
        except SettingsError:
            raise
        except MailflowError as exc:
            report.poll_error = exc
        report.plan = plan_with(store, settings, now)
        if settings.smtp is not None and report.poll_error is None:
            report.sent = sending_due(store, settings, now)
        mirror_drafts(store, settings, now)
        report.alerts = alerts(store, settings, now)
        pending = store.drafts(("pending",))
        report.waiting = len(pending)
        held = list(getattr(report.sent, "held", []) or [])
        # Told when something new waits, not at every run while it waits: cron mails each
        # line the run prints, and a notifier would nag.
        report.news = bool(pending) and bool(report.plan.created or report.plan.rewritten or held)
        if report.news:
            tell_user(settings, [dict(r) for r in pending], now)
    return report


def tell_user(settings: Settings, pending: list[dict[str, object]], now: datetime) -> None:
    """New drafts wait: run the notify command and/or mail the user a digest."""
    import logging

    from mailflow import notify

    log = logging.getLogger(__name__)
    title = f"mailflow: {len(pending)} draft(s) wait for your review"
    if settings.notify.command:
        notify.notify(settings.notify.command, title, "Run `mailflow review` to read them.")
    if settings.notify.digest and settings.smtp is not None:
        from mailflow.smtp import SmtpConnection

        local_now = now.astimezone(ZoneInfo(settings.user.timezone))
        msg = notify.digest(pending, settings.user.name, settings.user.email, local_now)
        notify.check_only_to_user(msg, settings.user.email)  # the one unreviewed send
        try:
            with SmtpConnection(settings.smtp) as connection:
                connection.send(msg, settings.user.email, settings.user.email)
        except MailflowError as exc:
            log.warning("the digest could not be sent: %s", exc)


def alerts(store: Store, settings: Settings, now: datetime) -> list[str]:
    out = []
    zone = ZoneInfo(settings.user.timezone)
    for row in store.accounts():
        since = instant(row["failing_since"])
        if since is not None and now - since >= settings.policy.alert_after:
            hours = (now - since).total_seconds() / 3600
            out.append(
                f"polling {row['name']} has failed for {hours:.1f} h (since "
                f"{since.astimezone(zone):%a %d %b %H:%M}): {row['last_error']}"
            )
    return out


def sending_due(store: Store, settings: Settings, now: datetime):  # type: ignore[no-untyped-def]
    from mailflow import sending

    return sending.send_due(store, settings, now)
