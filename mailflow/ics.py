"""Every interview in the user's calendar: the .ics behind `mailflow calendar`.

One VEVENT per thread that has an interview. A calendar updates an event it already has
when the UID is the same and the SEQUENCE is higher, so:

- the UID is derived from the account and the thread, never from the time: a moved
  interview is the same event, and importing the file again updates rather than
  duplicates;
- the SEQUENCE counts the messages and marks that changed the interview (an invitation,
  a move, a cancellation, a rejection or withdrawal), less one. It only ever grows, since
  events are only ever added, and it grows with every move (`rescheduled` alone would
  not: cancelled and then re-invited at the same time, the thread moves nothing but its
  status changes twice).

Times carry the recruiter's zone when the mail named one (the interview is fixed in their
day), else the user's, with a VTIMEZONE generated from the tz database so calendars that
do not know the zone still place it right.

icalendar is imported inside `export` only: no other command needs it.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from mailflow import report, service
from mailflow.settings import Settings
from mailflow.threads import State

if TYPE_CHECKING:
    import icalendar

PRODID = "-//mailflow//mailflow interviews//EN"
ALARM_BEFORE = timedelta(minutes=15)
# Events that change what the calendar should show for the interview (see the docstring).
_CHANGES = frozenset({"InviteReceived", "RescheduleReceived", "CancelReceived",
                      "RejectionReceived", "MarkedRejected", "Withdrew"})
# Closed by a decision before the call: the interview will not take place.
_CALLED_OFF = frozenset({State.CANCELLED, State.REJECTED, State.WITHDRAWN})


def uid(account: str, thread_id: int) -> str:
    # The account name is free text in the settings; a UID is safest as plain ASCII.
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", account) or "account"
    return f"mailflow-{safe}-{thread_id}@mailflow.invalid"


def export(settings: Settings, now: datetime) -> bytes:
    """The calendar as iCalendar bytes (RFC 5545), stamped `now`."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Interviews (mailflow)")
    days: list[date] = []
    with report.snapshot(settings) as store:
        facts = {f.thread_id: f for f in service.thread_facts(store)}
        # Oldest thread first, so the file reads (and diffs) in a stable order.
        for row in sorted(store.threads(), key=lambda r: r["id"]):
            f = facts[row["id"]]
            interview = report.interview_of(row, f, store.messages(row["id"]), settings)
            if interview is None:
                continue
            changes = sum(1 for e in store.events(row["id"]) if e["name"] in _CHANGES)
            cal.add_component(_event(row, interview, f.thread.state, changes, settings, now))
            days.append(datetime.fromisoformat(interview["start"]).date())
    if days:
        # VTIMEZONE rules for the years around the interviews only: the default range
        # (1970-2038) adds some 150 lines of transitions per zone that nobody needs.
        cal.add_missing_timezones(first_date=date(min(days).year - 1, 1, 1),
                                  last_date=date(max(days).year + 2, 1, 1))
    return cal.to_ical()


def _event(row: sqlite3.Row, interview: dict[str, Any], state: State, changes: int,
           settings: Settings, now: datetime) -> icalendar.Event:
    import icalendar

    zone = _zone(interview["zone"], settings.user.timezone)
    start = datetime.fromisoformat(interview["start"]).astimezone(zone)
    end = datetime.fromisoformat(interview["end"]).astimezone(zone)
    called_off = state is State.CANCELLED or (state in _CALLED_OFF and start > now)
    counterpart = row["counterpart_name"] or row["counterpart_email"] or ""
    link = interview["link"]
    phone = interview["phone_display"]

    event = icalendar.Event()
    event.add("uid", uid(row["account"], row["id"]))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", max(0, changes - 1))
    event.add("status", "CANCELLED" if called_off else "CONFIRMED")
    event.add("summary", _summary(interview["medium"], row["company"], counterpart))
    location = link or phone
    if location:
        event.add("location", location)
    if link:
        event.add("url", link)
    event.add("description", _description(row, interview, counterpart))
    if not called_off:
        # An alarm for an interview that will not happen would only mislead.
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -ALARM_BEFORE)
        alarm.add("description", f"In 15 minutes: {_summary(interview['medium'], row['company'], counterpart)}")
        event.add_component(alarm)
    return event


def _zone(recruiter: str | None, user: str) -> ZoneInfo:
    if recruiter:
        try:
            return ZoneInfo(recruiter)
        except (KeyError, ValueError):
            pass  # a zone the tz database does not know: the user's is still right
    return ZoneInfo(user)


def _summary(medium: str | None, company: str | None, counterpart: str) -> str:
    what = {"phone": "Phone interview", "video": "Video interview",
            "onsite": "On-site interview"}.get(medium or "", "Interview")
    who = company or counterpart
    if company and counterpart:
        who = f"{company} ({counterpart})"
    return f"{what}: {who}" if who else what


def _description(row: sqlite3.Row, interview: dict[str, Any], counterpart: str) -> str:
    lines = []
    if interview["phone_display"]:
        lines.append(f"Phone: {interview['phone_display']}")
    if interview["link"]:
        lines.append(f"Meeting link: {interview['link']}")
    email = row["counterpart_email"]
    if counterpart or email:
        lines.append(f"With: {counterpart}" + (f" <{email}>" if email and email != counterpart
                                               else ""))
    if interview["rescheduled"]:
        times = "once" if interview["rescheduled"] == 1 else f"{interview['rescheduled']} times"
        lines.append(f"Moved {times}.")
    lines.append(f"Thread {row['id']}: {row['subject'] or ''}".rstrip())
    lines.append(f"mailflow show {row['id']}")
    return "\n".join(lines)
