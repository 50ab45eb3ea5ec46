"""The calendar export: parsed back with icalendar, compared with what the store tracked."""

from __future__ import annotations

import mailbox
from datetime import datetime, timedelta

import icalendar
import pytest
from test_report import HOSTILE, NOW, Search, make_search

from mailflow import ics
from mailflow.settings import load
from mailflow.store import Store, instant

from factories import mail, settings_text

M = timedelta(minutes=1)


@pytest.fixture
def search(tmp_path) -> Search:
    # A fresh search per test: some tests deliver more mail into it.
    return make_search(tmp_path)


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in parse(data).walk("VEVENT")}


def tracked(search: Search) -> dict[int, tuple[datetime, str | None, str]]:
    """thread id -> (interview start, recruiter zone, state), as the store has them."""
    store = Store.open(search.settings.state_dir)
    try:
        return {r["id"]: (instant(r["interview_start"]), r["interview_zone"], r["state"])
                for r in store.threads() if r["interview_start"]}
    finally:
        store.close()


def test_every_interview_round_trips_to_the_tracked_instant(search):
    data = ics.export(search.settings, NOW)
    cal = parse(data)
    got = events(data)
    want = tracked(search)
    assert len(got) == len(want) == 7
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    for thread_id, (start, zone, _state) in want.items():
        event = got[ics.uid("default", thread_id)]
        assert event.decoded("DTSTART") == start  # the same instant, whatever the zone
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
        tzid = event["DTSTART"].params["TZID"]
        assert tzid == (zone or "America/New_York") and tzid in zones
        assert event["DTEND"].params["TZID"] == tzid
        assert event.decoded("DTSTAMP") == NOW
    # Fabrikam's interview is fixed in Dana's day: Friday 11:00 in Los Angeles.
    fab = got[ics.uid("default", search.ids["Fabrikam"])]
    assert fab["DTSTART"].to_ical() == b"20261127T110000"
    assert fab["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert zones == {"America/Los_Angeles", "America/New_York"}
    # Each VTIMEZONE knows the rules of the interviews' season (EST here, not EDT).
    ny = next(tz for tz in cal.walk("VTIMEZONE") if tz["TZID"] == "America/New_York")
    assert any(str(c["TZNAME"]) == "EST" for c in ny.walk("STANDARD"))


def test_what_where_and_with_whom(search):
    got = events(ics.export(search.settings, NOW))

    def event(company: str) -> icalendar.Event:
        return got[ics.uid("default", search.ids[company])]

    nw = event("Northwind")
    assert str(nw["SUMMARY"]) == "Phone interview: Northwind (Priya Shah)"
    assert str(nw["LOCATION"]) == "+1 212-555-0142"
    assert "Phone: +1 212-555-0142" in str(nw["DESCRIPTION"])
    assert "priya.shah@northwind.example" in str(nw["DESCRIPTION"])
    fab = event("Fabrikam")
    assert str(fab["SUMMARY"]) == "Video interview: Fabrikam (Dana Cho)"
    assert str(fab["LOCATION"]) == "https://fabrikam.zoom.us/j/5551234567"
    assert str(fab["URL"]) == "https://fabrikam.zoom.us/j/5551234567"
    assert "Moved once." in str(fab["DESCRIPTION"])
    # Text from mail survives the format's escaping (commas, semicolons, quotes) intact.
    assert str(event("Hostile")["SUMMARY"]) == f"Phone interview: Hostile ({HOSTILE})"


def test_an_alarm_15_minutes_before_except_when_called_off(search):
    got = events(ics.export(search.settings, NOW))
    for uid, event in got.items():
        alarms = event.walk("VALARM")
        if uid == ics.uid("default", search.ids["Contoso"]):
            assert str(event["STATUS"]) == "CANCELLED" and alarms == []
            continue
        assert str(event["STATUS"]) == "CONFIRMED"
        (alarm,) = alarms
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm["TRIGGER"].to_ical() == b"-PT15M"
        assert alarm.decoded("TRIGGER") == -timedelta(minutes=15)
        assert str(alarm["DESCRIPTION"])  # required for a DISPLAY alarm


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(search):
    uid = ics.uid("default", search.ids["Northwind"])
    before = events(ics.export(search.settings, NOW))[uid]
    assert before["SEQUENCE"] == 0
    # Exporting again with nothing new changes nothing: a re-import is a no-op.
    assert ics.export(search.settings, NOW) == ics.export(search.settings, NOW)
    search.deliver(mail("Re: Phone screen with Northwind",
                        "Hi Alex,\n\nSmall change: could we move our call to Wednesday, "
                        "November 25 at 4:00 PM ET instead?\n\nPriya",
                        sender="Priya Shah <priya.shah@northwind.example>", date=NOW + 5 * M,
                        in_reply_to="<nw@northwind.example>"))
    search.poll(NOW + 10 * M)
    after_data = ics.export(search.settings, NOW + 10 * M)
    after = events(after_data)[uid]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == tracked(search)[search.ids["Northwind"]][0]
    assert after["DTSTART"].to_ical() == b"20261125T160000"
    assert len(events(after_data)) == 7  # the same event moved, no second one


def test_cancelled_then_back_on_at_the_same_time_still_raises_the_sequence(search):
    # The interview's time never changes (`rescheduled` stays 0), but its status flips
    # twice: a calendar only takes the flip back if the SEQUENCE grows again.
    uid = ics.uid("default", search.ids["Contoso"])
    cancelled = events(ics.export(search.settings, NOW))[uid]
    search.deliver(mail("Re: Interview with Contoso",
                        "Hi Alex,\n\nGood news, the role is open again. Can we do the phone "
                        "interview on Wednesday, November 25 at 10:00 AM ET after all? I'll "
                        "call you at +1 212-555-0142.\n\nMark",
                        sender="Mark Lee <mark.lee@contoso.example>", date=NOW + 5 * M,
                        in_reply_to="<ct@contoso.example>"))
    search.poll(NOW + 10 * M)
    back = events(ics.export(search.settings, NOW + 10 * M))[uid]
    assert tracked(search)[search.ids["Contoso"]][2] == "scheduled"
    assert back.decoded("DTSTART") == cancelled.decoded("DTSTART")
    assert str(cancelled["STATUS"]) == "CANCELLED" and str(back["STATUS"]) == "CONFIRMED"
    assert back["SEQUENCE"] > cancelled["SEQUENCE"]


def test_a_rejection_before_the_call_cancels_the_event(search):
    from mailflow import service

    uid = ics.uid("default", search.ids["Litware"])
    service.mark(search.settings, search.ids["Litware"], "rejected", NOW + M)
    event = events(ics.export(search.settings, NOW + M))[uid]
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1


def test_no_interviews_is_an_empty_calendar(tmp_path):
    mailbox.Maildir(tmp_path / "Maildir", create=True)
    path = tmp_path / "settings.ini"
    path.write_text(settings_text(f"source = maildir:{tmp_path / 'Maildir'}", tmp_path / "st"))
    cal = parse(ics.export(load(path.read_text(), path), NOW))
    assert cal.walk("VEVENT") == [] and cal.walk("VTIMEZONE") == []
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]) == ics.PRODID


def test_uids_are_plain_and_stable():
    assert ics.uid("default", 3) == "mailflow-default-3@mailflow.invalid"
    assert ics.uid("work mail/é", 3) == "mailflow-work_mail__-3@mailflow.invalid"
