"""text/calendar parts (iTIP invitations) -> the events they carry.

A calendar part is the most reliable statement of an interview time there is: the
instant and its zone are machine-written. What varies is how the zone is written:
  - a TZID with a VTIMEZONE block (Outlook, Google): icalendar builds the zone from it;
  - a TZID that is an Outlook/Windows name ("W. Europe Standard Time") with no block:
    mapped to IANA through `zones.windows_zone`;
  - UTC times ("...T140000Z");
  - floating times (no zone at all): the user's zone, like a time written in prose.

METHOD says what the part means (RFC 5546): REQUEST an invitation or update (SEQUENCE > 0
is an update of an earlier one), CANCEL a cancellation, REPLY an attendee's RSVP
(when the user sends it, it is their own mail, not news), PUBLISH a plain calendar
export (treated like a request). Parsing never raises: a broken part yields nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from mailflow import zones


@dataclass(frozen=True)
class CalendarEvent:
    method: str  # REQUEST | CANCEL | REPLY | PUBLISH | "" (upper-case)
    summary: str = ""
    description: str = ""
    location: str = ""
    start: datetime | None = None
    end: datetime | None = None
    zone: str | None = None  # IANA name when the written zone maps to one
    sequence: int = 0
    uid: str = ""
    status: str = ""  # CONFIRMED | TENTATIVE | CANCELLED
    organizer: str = ""  # e-mail address, lower-case
    attendees: tuple[str, ...] = ()
    all_day: bool = False

    @property
    def text(self) -> str:
        """Summary, location and description together, for wording cues and phones."""
        return "\n".join(x for x in (self.summary, self.location, self.description) if x)


def parse_calendars(parts: Iterable[str], tz: str = "UTC") -> list[CalendarEvent]:
    """All VEVENTs of the given text/calendar parts; floating times are in `tz`."""
    events: list[CalendarEvent] = []
    for part in parts:
        try:
            events.extend(_parse_one(part, tz))
        except Exception:  # a malformed part must never lose the message around it
            events.extend(_parse_fallback(part, tz))
    return events


def _parse_one(text: str, tz: str) -> list[CalendarEvent]:
    import warnings

    from icalendar import Calendar

    with warnings.catch_warnings():
        # icalendar warns when it guesses a vendor-prefixed TZID; guessing is what we want.
        warnings.simplefilter("ignore")
        cal = Calendar.from_ical(text)
        return _events(cal, tz)


def _events(cal: object, tz: str) -> list[CalendarEvent]:
    method = str(cal.get("METHOD", "") or "").strip().upper()  # type: ignore[attr-defined]
    out: list[CalendarEvent] = []
    for ev in cal.walk("VEVENT"):  # type: ignore[attr-defined]
        start, zone, all_day = _when(ev, "DTSTART", tz)
        end, _, _ = _when(ev, "DTEND", tz)
        if end is None and start is not None and ev.get("DURATION") is not None:
            try:
                end = start + ev.decoded("DURATION")
            except Exception:
                end = None
        try:
            sequence = int(ev.get("SEQUENCE", 0) or 0)
        except (TypeError, ValueError):
            sequence = 0
        attendees = ev.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        out.append(CalendarEvent(
            method=method,
            summary=_str(ev.get("SUMMARY")),
            description=_str(ev.get("DESCRIPTION")),
            location=_str(ev.get("LOCATION")),
            start=start,
            end=end,
            zone=zone,
            sequence=sequence,
            uid=_str(ev.get("UID")),
            status=_str(ev.get("STATUS")).upper(),
            organizer=_mail(ev.get("ORGANIZER")),
            attendees=tuple(_mail(a) for a in attendees),
            all_day=all_day,
        ))
    return out


def _str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def _mail(value: object) -> str:
    s = _str(value)
    return s[7:].lower() if s.lower().startswith("mailto:") else s.lower()


def _when(ev: object, name: str, tz: str) -> tuple[datetime | None, str | None, bool]:
    """An event time as an aware datetime, the IANA zone it was written in, all-day flag."""
    prop = ev.get(name)  # type: ignore[attr-defined]
    if prop is None:
        return None, None, False
    value = getattr(prop, "dt", None)
    tzid = ""
    params = getattr(prop, "params", None)
    if params is not None:
        tzid = str(params.get("TZID", "") or "")
    if isinstance(value, date) and not isinstance(value, datetime):
        return None, None, True
    if not isinstance(value, datetime):
        return None, None, False
    mapped = _zone_name(tzid) if tzid else None
    if value.tzinfo is None:
        # Floating, or a TZID icalendar could not build: map the name ourselves.
        zone = mapped or tz
        return value.replace(tzinfo=ZoneInfo(zone)), zone, False
    name_of = _tz_key(value.tzinfo)
    if mapped and name_of != mapped:
        # A VTIMEZONE-built zone: keep its offsets (they are what the sender's calendar
        # used) but name the IANA zone when it agrees at that instant.
        iana = value.replace(tzinfo=ZoneInfo(mapped))
        if iana.utcoffset() == value.utcoffset():
            return iana, mapped, False
        return value, None, False
    return value, name_of or mapped, False


def _zone_name(tzid: str) -> str | None:
    clean = tzid.strip().strip('"')
    if zones.is_zone(clean):
        return clean
    # "/mozilla.org/20050126_1/Europe/Berlin" and similar vendor prefixes.
    found = re.search(r"((?:America|Europe|Asia|Africa|Australia|Pacific|Atlantic)/[\w/+-]+)$",
                      clean)
    if found and zones.is_zone(found.group(1)):
        return found.group(1)
    return zones.windows_zone(clean)


def _tz_key(tzinfo_: tzinfo) -> str | None:
    key = getattr(tzinfo_, "key", None)
    if isinstance(key, str):
        return key
    zone = getattr(tzinfo_, "zone", None)  # pytz
    if isinstance(zone, str):
        return zone
    if tzinfo_.utcoffset(None) is not None and str(tzinfo_) in ("UTC", "UTC+00:00"):
        return "UTC"
    return None


_LINE_RE = re.compile(r"^([A-Z-]+)((?:;[^:]*)?):(.*)$")


def _parse_fallback(text: str, tz: str) -> list[CalendarEvent]:
    """A line scan for the few fields we need, when icalendar rejects a broken part."""
    method = ""
    fields: dict[str, tuple[str, str]] = {}
    in_event = False
    out: list[CalendarEvent] = []
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    for line in unfolded.splitlines():
        m = _LINE_RE.match(line.strip())
        if not m:
            continue
        key, params, value = m.group(1).upper(), m.group(2), m.group(3)
        if key == "METHOD":
            method = value.strip().upper()
        elif key == "BEGIN" and value.strip().upper() == "VEVENT":
            in_event, fields = True, {}
        elif key == "END" and value.strip().upper() == "VEVENT" and in_event:
            in_event = False
            start, zone = _fallback_time(fields.get("DTSTART"), tz)
            end, _ = _fallback_time(fields.get("DTEND"), tz)
            try:
                seq = int(fields.get("SEQUENCE", ("", "0"))[1] or 0)
            except ValueError:
                seq = 0
            out.append(CalendarEvent(
                method=method, summary=fields.get("SUMMARY", ("", ""))[1],
                description=fields.get("DESCRIPTION", ("", ""))[1].replace("\\n", "\n"),
                location=fields.get("LOCATION", ("", ""))[1], start=start, end=end, zone=zone,
                sequence=seq, status=fields.get("STATUS", ("", ""))[1].upper(),
            ))
        elif in_event and key not in fields:
            fields[key] = (params, value)
    return out


def _fallback_time(field: tuple[str, str] | None, tz: str) -> tuple[datetime | None, str | None]:
    if field is None:
        return None, None
    params, value = field
    m = re.match(r"(\d{8})T(\d{6})(Z?)", value.strip())
    if not m:
        return None, None
    naive = datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    if m.group(3):
        return naive.replace(tzinfo=ZoneInfo("UTC")), "UTC"
    tzid = re.search(r"TZID=([^;:]+)", params)
    zone = (_zone_name(tzid.group(1)) if tzid else None) or tz
    return naive.replace(tzinfo=ZoneInfo(zone)), zone
