"""The whole search at a glance: the data behind `mailflow report`, and its HTML page.

`build` reads the store once and returns plain JSON-able data (the `--json` output and the
page's only input), so what the page shows and what a script reads cannot drift apart.
`render_html` turns that data into one self-contained page: inline CSS, no script, no
network. Every string in it came from someone's email, so Jinja2 escapes everything
(autoescape on) and the page carries a Content-Security-Policy that forbids scripts and
any fetch: a mistake in escaping still could not run or load anything.

Jinja2 is imported inside `render_html` only: the scheduled run imports this module's
neighbours and should not pay for a template engine it does not use.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mailflow import policy, service
from mailflow.policy import ThreadFacts
from mailflow.settings import Settings
from mailflow.store import Store, instant, iso
from mailflow.threads import PRE_CALL, State

Json = dict[str, Any]

TEMPLATE = "report.html.j2"
# Drafts the page shows on a thread's row: those still waiting (for review, or approved
# and waiting for their moment) and those that went stale unsent.
SHOWN_DRAFT_STATES = ("pending", "approved", "expired")

# The store keeps no meeting link (only the medium), so the link is read back from the
# stored excerpt of the invitation (its first lines). Only known meeting hosts count: a
# signature's company site or LinkedIn profile is not where the interview happens.
_MEETING_URL_RE = re.compile(
    r"https://[^\s<>\"'()\[\]]*(?:zoom\.us/(?:j|my|w|meeting)/|teams\.microsoft\.com/l/meetup"
    r"|teams\.live\.com/meet|meet\.google\.com/|\.webex\.com/|whereby\.com/|bluejeans\.com/"
    r"|chime\.aws/|gotomeeting\.com/|meet\.jit\.si/)[^\s<>\"'()\[\]]*",
    re.IGNORECASE,
)


# ---- the data ---------------------------------------------------------------------------------

def build(settings: Settings, now: datetime) -> Json:
    """Everything the report shows, as JSON-able values (instants as ISO 8601 in UTC).

    Shape: `generated_at`, `user_zone`, `axis` (`start`, `end`: the shared time axis, every
    instant on the page with a margin), `summary` (`threads`, `by_state`, `drafts_waiting`,
    `drafts_approved`, `flagged`, `next_due`) and `threads`, one dict per thread in the
    order of `mailflow status`.
    """
    zone = ZoneInfo(settings.user.timezone)
    with snapshot(settings) as store:
        rows = store.threads()
        facts = {f.thread_id: f for f in service.thread_facts(store)}
        clashes = policy.find_clashes(list(facts.values()), settings.policy)
        drafts_by_thread: dict[int, list[sqlite3.Row]] = {}
        for d in store.drafts():
            drafts_by_thread.setdefault(d["thread_id"], []).append(d)
        threads = [
            _thread(store, row, facts[row["id"]], drafts_by_thread.get(row["id"], []),
                    clashes, settings, zone, now)
            for row in rows
        ]
        all_drafts = [d for ds in drafts_by_thread.values() for d in ds]
    return {
        "generated_at": iso(now),
        "generated_display": format_moment(now, zone),
        "user_zone": settings.user.timezone,
        "axis": _axis(threads, now),
        "summary": _summary(threads, all_drafts),
        "threads": threads,
    }


@contextlib.contextmanager
def snapshot(settings: Settings) -> Iterator[Store]:
    """The store inside one read transaction.

    Each statement outside a transaction sees the database as it is then; a scheduled run
    may commit between two of them. Inside one (WAL mode), every read sees the same
    moment, so a thread's row, its messages and its drafts always agree. It takes no lock
    that a writer would wait for.
    """
    with service.reading(settings) as store:
        store.conn.execute("BEGIN")
        try:
            yield store
        finally:
            store.conn.execute("ROLLBACK")  # nothing was written: just end the snapshot


def interview_of(row: sqlite3.Row, f: ThreadFacts, messages: list[sqlite3.Row],
                 settings: Settings) -> Json | None:
    """The thread's interview as the report and the calendar export see it, or None.

    Shared with `mailflow.ics`, so the page and the calendar name the same instant, zone,
    number and link.
    """
    t = f.thread
    start = t.interview_start
    if start is None:
        return None
    zone = ZoneInfo(settings.user.timezone)
    end = policy.interview_end(t, settings.policy)
    assert end is not None  # set whenever start is
    recruiter = _recruiter_reading(start, zone, f.zone)
    return {
        "start": iso(start),
        "end": iso(end),
        "end_stated": t.interview_end is not None,  # else the default call length
        "zone": f.zone,  # the recruiter's, when the mail said
        "display": service.format_instant(start, zone, f.zone),
        "user_display": format_moment(start, zone),
        "recruiter_display": recruiter,  # None when the zones read the same
        "medium": f.medium,
        "phone": f.phone,
        "phone_display": _format_phone(f.phone),
        "link": meeting_link(messages),
        "rescheduled": t.rescheduled,
        "cancelled": t.state is State.CANCELLED,
    }


def meeting_link(messages: list[sqlite3.Row]) -> str | None:
    """The meeting link of the latest invitation or reschedule that names one."""
    for m in reversed(messages):
        if m["direction"] != "in" or m["kind"] not in ("invite", "reschedule"):
            continue
        found = _MEETING_URL_RE.search(m["excerpt"] or "")
        if found:
            return found.group(0).rstrip(".,;:!?")
    return None


def format_moment(value: datetime, zone: ZoneInfo) -> str:
    """"Tue 24 Nov 2026 15:00 EST": the same reading as `mailflow status`."""
    return value.astimezone(zone).strftime("%a %d %b %Y %H:%M %Z")


def _short(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%a %d %b %H:%M")


def _short_iso(value: str | None, zone: ZoneInfo) -> str:
    moment = instant(value)
    return _short(moment, zone) if moment else ""


def _recruiter_reading(start: datetime, zone: ZoneInfo, source_zone: str | None) -> str | None:
    """The interview in the recruiter's zone, only when it reads differently from ours."""
    if not source_zone or source_zone == zone.key:
        return None
    try:
        other = start.astimezone(ZoneInfo(source_zone))
    except (KeyError, ValueError):
        return None
    if other.utcoffset() == start.astimezone(zone).utcoffset():
        return None
    return other.strftime("%a %d %b %Y %H:%M %Z")


def _format_phone(number: str | None) -> str:
    from mailflow.drafts import format_phone

    return format_phone(number)


def _thread(store: Store, row: sqlite3.Row, f: ThreadFacts, drafts: list[sqlite3.Row],
            clashes: dict[int, list[int]], settings: Settings, zone: ZoneInfo,
            now: datetime) -> Json:
    t = f.thread
    messages = store.messages(row["id"])
    step = policy.next_step(f, now, settings.policy, settings.user.timezone)
    return {
        "id": row["id"],
        "account": row["account"],
        "counterpart": row["counterpart_name"] or row["counterpart_email"] or "?",
        "counterpart_email": row["counterpart_email"] or "",
        "company": row["company"] or "",
        "role": row["role"] or "",
        "subject": row["subject"] or "",
        "state": t.state.value,
        "state_label": t.state.value.replace("_", " "),
        "history": f.history,
        "interview": interview_of(row, f, messages, settings),
        "messages": [
            {
                "at": m["date"],
                "display": _short_iso(m["date"], zone),
                "direction": m["direction"],
                "kind": m["kind"],
                "sender": m["sender"] or "",
                "subject": m["subject"] or "",
            }
            for m in messages
        ],
        "drafts": [_draft(d, zone, now) for d in drafts if d["state"] in SHOWN_DRAFT_STATES],
        "next": {
            "text": step.text,
            "due": iso(step.due),
            "display": _short(step.due, zone) if step.due else "",
            "overdue": bool(step.due and step.due <= now),
        },
        "flags": _flags(f, clashes, settings),
    }


def _draft(d: sqlite3.Row, zone: ZoneInfo, now: datetime) -> Json:
    not_before = instant(d["not_before"])
    expires = instant(d["expires_at"])
    assert not_before is not None  # NOT NULL in the schema
    waiting = d["state"] != "expired"
    # A waiting draft sits on the axis where it may leave; an expired one where it lapsed.
    at = not_before if waiting or expires is None else expires
    return {
        "id": d["id"],
        "kind": d["kind"],
        "kind_label": d["kind"].replace("_", " "),
        "state": d["state"],
        "not_before": iso(not_before),
        "expires_at": iso(expires),
        "at": iso(at),
        "display": _short(at, zone),
        "due": waiting and not_before <= now,
    }


def _flags(f: ThreadFacts, clashes: dict[int, list[int]], settings: Settings) -> list[Json]:
    """The same flags as `mailflow status`, with a kind so the page can mark them."""
    t = f.thread
    flags: list[Json] = []
    if t.pattern_of_missed_calls:
        flags.append({"kind": "missed_twice", "text": "missed twice: a pattern worth weighing"})
    for other in clashes.get(f.thread_id, []):
        flags.append({"kind": "clash", "text": f"clashes with thread {other}", "thread": other})
    if t.state in PRE_CALL and not f.history:
        warning = policy.phone_warning(f, settings.user.phone)
        if warning:
            flags.append({"kind": "phone", "text": warning})
    return flags


def _summary(threads: list[Json], drafts: list[sqlite3.Row]) -> Json:
    counts: dict[str, int] = {}
    for t in threads:
        counts[t["state"]] = counts.get(t["state"], 0) + 1
    # In the state machine's order (new ... closed), which reads as the search's progress.
    by_state = [{"state": s.value, "label": s.value.replace("_", " "), "count": counts[s.value]}
                for s in State if s.value in counts]
    dated = [t for t in threads if t["next"]["due"]]
    first = min(dated, key=lambda t: datetime.fromisoformat(t["next"]["due"]), default=None)
    next_due = None
    if first is not None:
        next_due = {
            "thread": first["id"], "counterpart": first["counterpart"],
            "company": first["company"], **first["next"],
        }
    return {
        "threads": len(threads),
        "by_state": by_state,
        "drafts_waiting": sum(1 for d in drafts if d["state"] == "pending"),
        "drafts_approved": sum(1 for d in drafts if d["state"] == "approved"),
        "flagged": sum(1 for t in threads if t["flags"]),
        "next_due": next_due,
    }


def _instants(t: Json) -> list[str]:
    found = [m["at"] for m in t["messages"] if m["at"]]
    found += [d["at"] for d in t["drafts"]]
    if t["interview"]:
        found += [t["interview"]["start"], t["interview"]["end"]]
    if t["next"]["due"]:
        found.append(t["next"]["due"])
    return found


def _axis(threads: list[Json], now: datetime) -> Json:
    """The shared time axis: every instant on the page, now included, with a margin.

    The margin (5% a side, at least an hour) keeps the first and last markers off the
    track's edges, where they would be cut in half.
    """
    moments = [now] + [datetime.fromisoformat(s) for t in threads for s in _instants(t)]
    first, last = min(moments), max(moments)
    margin = max((last - first) * 0.05, timedelta(hours=1))
    return {"start": iso(first - margin), "end": iso(last + margin)}


# ---- the page ----------------------------------------------------------------------------------

# Tick spacing for the axis, in days: the first that gives at most this many ticks.
_TICK_STEPS = (1, 2, 7, 14, 28, 91)
_MAX_TICKS = 8


def render_html(data: Json) -> str:
    """The page for `build`'s data: one self-contained HTML document."""
    import jinja2

    from mailflow.drafts import bundled_template_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(bundled_template_dir()), encoding="utf-8"),
        # Every string on the page came from someone's email: escape all of it.
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a missing value is a bug, never a blank
        trim_blocks=True,
        lstrip_blocks=True,
    )
    zone = ZoneInfo(data["user_zone"])
    start = datetime.fromisoformat(data["axis"]["start"])
    end = datetime.fromisoformat(data["axis"]["end"])
    now = datetime.fromisoformat(data["generated_at"])
    rows = [{**t, "markers": _markers(t, start, end)} for t in data["threads"]]
    return env.get_template(TEMPLATE).render(
        data=data,
        rows=rows,
        ticks=_ticks(start, end, zone),
        now_pct=_pct(now, start, end),
        axis_display=(_short(start, zone), _short(end, zone)),
    )


def _pct(moment: datetime, start: datetime, end: datetime) -> float:
    span = (end - start).total_seconds() or 1.0
    return round(min(100.0, max(0.0, (moment - start).total_seconds() / span * 100)), 3)


def _markers(t: Json, start: datetime, end: datetime) -> list[Json]:
    """Positioned markers for one thread's track, drawn in this order (later on top)."""
    def at(iso_value: str) -> float:
        return _pct(datetime.fromisoformat(iso_value), start, end)

    marks: list[Json] = []
    for m in t["messages"]:
        if m["at"]:
            word = "from them" if m["direction"] == "in" else "from you"
            marks.append({"kind": m["direction"], "pct": at(m["at"]),
                          "label": f"{m['display']}: {word}: {m['subject']}"})
    for d in t["drafts"]:
        kind = "expired" if d["state"] == "expired" else ("draft due" if d["due"] else "draft")
        word = "expired" if d["state"] == "expired" else d["state"]
        marks.append({"kind": kind, "pct": at(d["at"]),
                      "label": f"{d['display']}: {d['kind_label']} draft ({word})"})
    if t["next"]["due"]:
        marks.append({"kind": "next", "pct": at(t["next"]["due"]),
                      "label": f"{t['next']['display']}: next: {t['next']['text']}"})
    interview = t["interview"]
    if interview:
        kind = "interview cancelled" if interview["cancelled"] else "interview"
        marks.append({"kind": kind, "pct": at(interview["start"]),
                      "label": f"interview: {interview['display']}"})
    if t["flags"]:
        # The red marker sits on the interview when there is one (what the flags are
        # about), else on the thread's latest moment.
        anchor = interview["start"] if interview else max(_instants(t), default=None)
        if anchor:
            marks.append({"kind": "flag", "pct": at(anchor),
                          "label": "; ".join(f["text"] for f in t["flags"])})
    return marks


def _ticks(start: datetime, end: datetime, zone: ZoneInfo) -> list[Json]:
    """Midnights in the user's zone, every 1, 2, 7... days: at most _MAX_TICKS of them."""
    span_days = (end - start).total_seconds() / 86400
    step = next((s for s in _TICK_STEPS if span_days / s <= _MAX_TICKS), _TICK_STEPS[-1])
    local = start.astimezone(zone)
    day = local.date() + timedelta(days=1)
    if step == 7:
        day += timedelta(days=(7 - day.weekday()) % 7)  # weeks start on Monday
    ticks = []
    while True:
        moment = datetime.combine(day, datetime.min.time(), zone)
        if moment >= end:
            break
        pct = _pct(moment, start, end)
        # A label near the right edge would be cut off: the page leaves it out.
        ticks.append({"pct": pct, "label": moment.strftime("%a %d %b"), "edge": pct > 90})
        day += timedelta(days=step)
    return ticks
