"""Use cases, one function each: what the CLI commands do, without the terminal.

Each function takes the settings, an open store and `now`, and returns plain values that
the CLI formats. The run lock is taken here, around anything that writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from mailflow.errors import MailflowError, UsageError
from mailflow.poller import PollReport, Progress, poll_account
from mailflow.settings import Settings
from mailflow.store import RunLock, Store, instant, prepare_state_dir
from mailflow.threads import State


def open_store(settings: Settings) -> Store:
    return Store.open(settings.state_dir)


def poll(
    settings: Settings, now: datetime, progress: Callable[[], Progress] | None = None,
    only: str | None = None,
) -> list[PollReport]:
    """Poll every account (or the one named). Records each account's success or failure.

    One account failing does not stop the others; the first failure is raised at the end so
    the exit code says something went wrong.
    """
    prepare_state_dir(settings.state_dir)
    with RunLock(settings.state_dir):
        store = open_store(settings)
        try:
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
        finally:
            store.close()


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
    history: bool

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def status(settings: Settings, now: datetime) -> tuple[list[ThreadLine], list[sqlite3.Row]]:
    """Thread rows for the table, and the per-account poll records."""
    store = open_store(settings)
    try:
        zone = ZoneInfo(settings.user.timezone)
        lines = [_line(row, zone, now) for row in store.threads()]
        return lines, store.accounts()
    finally:
        store.close()


def problems(settings: Settings) -> list[sqlite3.Row]:
    store = open_store(settings)
    try:
        return store.problems()
    finally:
        store.close()


def show(settings: Settings, thread_id: int) -> tuple[sqlite3.Row, list[dict[str, object]]]:
    """A thread and its messages and events merged, oldest first."""
    store = open_store(settings)
    try:
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
        items.sort(key=lambda i: (str(i["at"]), i["type"] != "message"))
        return row, items
    finally:
        store.close()


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


def _line(row: sqlite3.Row, zone: ZoneInfo, now: datetime) -> ThreadLine:
    start = instant(row["interview_start"])
    last = max(filter(None, (instant(row["last_in"]), instant(row["last_out"]))), default=None)
    return ThreadLine(
        id=row["id"],
        counterpart=row["counterpart_name"] or row["counterpart_email"] or "?",
        company=row["company"] or "",
        state=row["state"],
        interview=format_instant(start, zone, row["interview_zone"]) if start else "",
        interview_at=start.isoformat() if start else None,
        last_message=last.astimezone(zone).strftime("%d %b %H:%M") if last else "",
        next_step=_next_step(row, start, now),
        history=bool(row["history"]),
    )


def _next_step(row: sqlite3.Row, start: datetime | None, now: datetime) -> str:
    # A plain-language hint per state; the timeline's planner refines this with due drafts.
    if row["history"]:
        return "none (imported as history)"
    state = State(row["state"])
    if state is State.SCHEDULED and start is not None:
        return "prepare for the interview" if start > now else "did the call happen?"
    if state is State.REJECTED:
        return "none (closed)"
    if state is State.CANCELLED:
        return "wait for a new time"
    if state is State.REPLIED and row["respond_by"]:
        return f"wait for their answer (promised by {row['respond_by']})"
    return "wait for their answer"
