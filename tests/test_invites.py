"""text/calendar parsing: methods, sequences, and every way a zone is written."""

from __future__ import annotations

from datetime import datetime, timedelta

from mailflow.invites import parse_calendars

VTZ_CENTRAL = """BEGIN:VTIMEZONE
TZID:Central Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0600
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:-0600
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
"""


def cal(method: str, start: str, *, vtz: str = "", seq: int = 0, status: str = "CONFIRMED",
        end: str | None = None, extra: str = "") -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    if method:
        lines.append(f"METHOD:{method}")
    body = "\n".join(lines) + "\n" + vtz + "\n".join([
        "BEGIN:VEVENT", "UID:abc@example.com", start, end or start.replace("DTSTART", "DTEND"),
        f"SEQUENCE:{seq}", f"STATUS:{status}", "SUMMARY:Interview: Alex / Acme",
        "LOCATION:Phone: +1 (980) 555-0123", "ORGANIZER:mailto:Jane@Acme.example.com",
        *([extra] if extra else []), "END:VEVENT", "END:VCALENDAR", ""])
    return body.replace("\n", "\r\n")


def test_request_with_vtimezone_windows_name() -> None:
    (ev,) = parse_calendars([cal("REQUEST", "DTSTART;TZID=Central Standard Time:20250710T140000",
                                 vtz=VTZ_CENTRAL)])
    assert ev.method == "REQUEST"
    assert ev.start is not None and ev.start.utcoffset() == timedelta(hours=-5)  # CDT in July
    assert ev.zone == "America/Chicago"
    assert ev.organizer == "jane@acme.example.com"
    assert "555-0123" in ev.location


def test_windows_name_without_vtimezone() -> None:
    (ev,) = parse_calendars([cal("REQUEST", "DTSTART;TZID=W. Europe Standard Time:20251028T100000")])
    assert ev.zone == "Europe/Berlin"
    assert ev.start is not None and ev.start.utcoffset() == timedelta(hours=1)  # CET after DST


def test_iana_tzid_and_vendor_prefix() -> None:
    (ev,) = parse_calendars([cal("REQUEST", "DTSTART;TZID=America/Los_Angeles:20250722T130000")])
    assert ev.zone == "America/Los_Angeles" and ev.start is not None
    assert ev.start.utcoffset() == timedelta(hours=-7)
    (ev,) = parse_calendars([cal("REQUEST",
                                 "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:20250122T090000")])
    assert ev.start is not None and ev.start.utcoffset() == timedelta(hours=1)


def test_utc_times() -> None:
    (ev,) = parse_calendars([cal("REQUEST", "DTSTART:20250915T133000Z")])
    assert ev.start == datetime.fromisoformat("2025-09-15T13:30:00+00:00")


def test_floating_time_is_in_the_users_zone() -> None:
    (ev,) = parse_calendars([cal("REQUEST", "DTSTART:20250612T150000")], tz="America/New_York")
    assert ev.start == datetime.fromisoformat("2025-06-12T15:00:00-04:00")
    assert ev.zone == "America/New_York"


def test_duration_instead_of_dtend() -> None:
    text = cal("REQUEST", "DTSTART:20250915T133000Z", end="DURATION:PT45M")
    (ev,) = parse_calendars([text])
    assert ev.end is not None and ev.start is not None
    assert ev.end - ev.start == timedelta(minutes=45)


def test_cancel_reply_and_sequence() -> None:
    (ev,) = parse_calendars([cal("CANCEL", "DTSTART:20250915T133000Z", status="CANCELLED", seq=2)])
    assert ev.method == "CANCEL" and ev.status == "CANCELLED" and ev.sequence == 2
    (ev,) = parse_calendars([cal("REPLY", "DTSTART:20250915T133000Z")])
    assert ev.method == "REPLY"


def test_all_day_event_has_no_start() -> None:
    (ev,) = parse_calendars([cal("REQUEST", "DTSTART;VALUE=DATE:20250915",
                                 end="DTEND;VALUE=DATE:20250916")])
    assert ev.all_day and ev.start is None


def test_broken_parts_never_raise() -> None:
    assert parse_calendars(["", "BEGIN:VCALENDAR\r\nnonsense", "\x00\x01"]) == []
    broken = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nDTSTART:2025XXXX\r\n" \
             "DTSTART;TZID=Eastern Standard Time:20251203T160000\r\nEND:VEVENT\r\n"
    events = parse_calendars([broken])
    assert all(e.method == "REQUEST" for e in events)
