"""Rules of free-text extraction, one test per rule (zones, DST, relative dates, ...)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailflow import extract, zones

NY = "America/New_York"


def ctx(sent: str = "2025-07-10T09:00:00-04:00", tz: str = NY, **kw: object) -> extract.Context:
    return extract.Context(sent=datetime.fromisoformat(sent), tz=tz, **kw)  # type: ignore[arg-type]


def start_of(text: str, c: extract.Context | None = None, *, moving: bool = False,
             h24: bool = False) -> datetime | None:
    c = c or ctx()
    choice = extract.choose_time(text, extract.find_times(text, c, h24=h24), moving=moving)
    return choice.best.start if choice.best else None


def at(s: str, zone: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=ZoneInfo(zone))


# --- zones ------------------------------------------------------------------------------

def test_written_zone_wins_over_user_zone() -> None:
    assert start_of("Call on July 15 at 11am PT.") == at("2025-07-15T11:00", "America/Los_Angeles")


def test_no_zone_means_user_zone() -> None:
    c = ctx(tz="Europe/Berlin")
    assert start_of("Interview on July 15 at 11:00.", c) == at("2025-07-15T11:00", "Europe/Berlin")


def test_standard_abbreviation_in_summer_means_region_local_time() -> None:
    # "CST" in July: Central daylight time (-05:00), not a fixed -06:00.
    got = start_of("Let's talk Thursday 7/17 at 3:30 CST.")
    assert got == at("2025-07-17T15:30", "America/Chicago")
    assert got is not None and got.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(("word", "domain", "offset", "zone"), [
    ("IST", "", timedelta(hours=5, minutes=30), "Asia/Kolkata"),
    ("IST", "acme.ie", None, "Europe/Dublin"),
    ("IST", "", timedelta(hours=3), "Asia/Jerusalem"),
    ("CST", "", timedelta(hours=8), "Asia/Shanghai"),
    ("CST", "acme.cn", None, "Asia/Shanghai"),
    ("CST", "", timedelta(hours=-5), "America/Chicago"),
    ("BST", "", timedelta(hours=1), "Europe/London"),
    ("BST", "acme.bd", None, "Asia/Dhaka"),
    ("GMT", "", None, "UTC"),
    ("GMT", "acme.co.uk", None, "Europe/London"),
])
def test_ambiguous_abbreviations_use_evidence(word: str, domain: str,
                                              offset: timedelta | None, zone: str) -> None:
    assert zones.resolve_abbreviation(word, sender_domain=domain, date_offset=offset) == zone


def test_cst_from_china_by_date_header() -> None:
    c = ctx(sent="2025-07-10T09:00:00+08:00")
    assert start_of("Interview on July 15 at 10:00 CST", c) == at("2025-07-15T10:00",
                                                                  "Asia/Shanghai")


def test_outlook_display_zone_name() -> None:
    text = "When: Wednesday, December 3, 2025 4:00 PM-4:30 PM (UTC-05:00) Eastern Time (US & Canada)."
    assert start_of(text) == at("2025-12-03T16:00", NY)


def test_utc_offset_zone() -> None:
    got = start_of("Interview on April 14th, 3:00 PM (GMT+2)", ctx(sent="2025-04-08T10:00:00+02:00"))
    assert got == datetime(2025, 4, 14, 15, 0, tzinfo=timezone(timedelta(hours=2)))


def test_windows_zone_ids() -> None:
    assert zones.windows_zone("W. Europe Standard Time") == "Europe/Berlin"
    assert zones.windows_zone("Central Standard Time") == "America/Chicago"
    assert zones.windows_zone("(UTC-08:00) Pacific Time (US & Canada)") == "America/Los_Angeles"


def test_region_for_zone() -> None:
    assert zones.region_for_zone("America/Chicago") == "US"
    assert zones.region_for_zone("Europe/Berlin") == "DE"
    assert zones.region_for_zone("Europe/London") == "GB"
    assert zones.region_for_zone("America/Toronto") == "CA"


# --- DST --------------------------------------------------------------------------------

def test_dst_offsets_follow_the_interview_date_not_the_message_date() -> None:
    c = ctx(sent="2025-03-07T09:00:00-08:00", tz="America/Los_Angeles")
    got = start_of("Video interview on March 11, 2025 at 9:30 AM Pacific Time.", c)
    assert got is not None and got.utcoffset() == timedelta(hours=-7)
    c = ctx(sent="2025-10-24T09:00:00+02:00", tz="Europe/Berlin")
    got = start_of("Interview on Thursday, October 30, 2025 at 17:00 CET.", c)
    assert got is not None and got.utcoffset() == timedelta(hours=1)


# --- relative dates ---------------------------------------------------------------------

def test_tomorrow_at_bare_hour() -> None:
    assert start_of("Can you talk tomorrow at 10?") == at("2025-07-11T10:00", NY)


@pytest.mark.parametrize(("sent", "phrase", "day"), [
    ("2025-11-06T15:00:00-05:00", "next Tuesday", "2025-11-11"),  # Thu -> the coming Tue
    ("2025-10-13T11:00:00-04:00", "next Friday", "2025-10-24"),  # Mon -> Fri of next week
    ("2025-12-02T09:00:00-05:00", "this Friday", "2025-12-05"),
    ("2025-07-10T09:00:00-04:00", "Thursday", "2025-07-17"),  # a weekday: first one *after*
])
def test_weekday_phrases(sent: str, phrase: str, day: str) -> None:
    got = start_of(f"Interview {phrase} at 2pm", ctx(sent=sent))
    assert got is not None and got.date().isoformat() == day


def test_relative_dates_use_the_senders_day() -> None:
    # Sent late on the 20th in New York (already the 21st in UTC): "tomorrow" is the 21st.
    got = start_of("Call tomorrow at 9am ET", ctx(sent="2025-11-20T22:00:00-05:00"))
    assert got == at("2025-11-21T09:00", NY)


def test_missing_year_rolls_over() -> None:
    got = start_of("Panel interview on January 6 at 11:00 AM ET", ctx(sent="2025-12-19T15:00:00-05:00"))
    assert got == at("2026-01-06T11:00", NY)


def test_weekday_picks_the_year() -> None:
    got = start_of("Interview Thursday, Jan 8 at 1pm", ctx(sent="2026-01-02T10:00:00-08:00"))
    assert got is not None and got.date() == date(2026, 1, 8)


# --- numeric dates ----------------------------------------------------------------------

def test_us_numeric_dates_by_default() -> None:
    assert start_of("Interview on 8/5 at 1:15 pm") == at("2025-08-05T13:15", NY)


def test_european_numeric_dates_when_clearly_european() -> None:
    c = ctx(sent="2025-08-29T11:00:00+01:00", tz="Europe/London", day_first=True)
    assert start_of("Interview on 04/09/2025 at 2.30pm", c) == at("2025-09-04T14:30",
                                                                  "Europe/London")
    assert extract.day_first("en", "thamesbridge.co.uk", NY)
    assert extract.day_first("de", "example.com", NY)
    assert not extract.day_first("en", "example.com", NY)


def test_dotted_dates_are_day_first() -> None:
    c = ctx(sent="2025-11-06T15:00:00+01:00", tz="Europe/Berlin")
    got = start_of("Neuer Termin: Mittwoch, 12.11.2025, 9:30 Uhr", c, h24=True)
    assert got == at("2025-11-12T09:30", "Europe/Berlin")


def test_weekday_disambiguates_numeric_date() -> None:
    # 10/07 with "Thursday": 10 July 2025 is a Thursday, 7 October is a Tuesday.
    got = start_of("Interview Thursday 10/07 at 3pm")
    assert got is not None and got.date() == date(2025, 7, 10)


# --- other languages --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "tz", "want"), [
    ("Datum: Donnerstag, 24. Juli 2025, 14:00 - 15:00 Uhr (MESZ)", "Europe/Berlin",
     "2025-07-24T14:00"),
    ("un entretien le mardi 14 octobre à 16h30 (heure de Paris)", "Europe/Paris",
     "2025-10-14T16:30"),
    ("el jueves 17 de julio a las 10:00 (hora de Madrid)", "Europe/Madrid", "2025-07-17T10:00"),
    ("el martes 15 de julio a las 4 de la tarde", "Europe/Madrid", "2025-07-15T16:00"),
])
def test_german_french_spanish(text: str, tz: str, want: str) -> None:
    c = ctx(sent="2025-07-10T12:00:00+02:00", tz=tz, day_first=True)
    assert start_of(text, c, h24=True) == at(want, tz)


# --- ranges, two zones, sessions, arrival ------------------------------------------------

def test_range_gives_start_and_end() -> None:
    c = ctx()
    text = "Phone screen on Tuesday, July 15 from 2:00-2:45pm PT"
    choice = extract.choose_time(text, extract.find_times(text, c))
    assert choice.best is not None
    assert choice.best.start == at("2025-07-15T14:00", "America/Los_Angeles")
    assert choice.best.end == at("2025-07-15T14:45", "America/Los_Angeles")


def test_short_range_borrows_meridiem() -> None:
    text = "Interview on July 15, 11-12pm"
    choice = extract.choose_time(text, extract.find_times(text, ctx()))
    assert choice.best is not None and choice.best.start.hour == 11
    assert choice.best.end is not None and choice.best.end.hour == 12


def test_same_time_in_two_zones_is_one_time() -> None:
    text = "Thursday, September 18, 2025\n10:00 a.m. PT / 1:00 p.m. ET"
    choice = extract.choose_time(text, extract.find_times(text, ctx()))
    assert choice.best is not None and not choice.alternatives
    assert choice.best.start == at("2025-09-18T10:00", "America/Los_Angeles")


def test_multi_session_day_starts_with_first_session() -> None:
    text = ("Agenda for Thursday, May 22 (all times Pacific):\n"
            "8:45 - check in at reception\n"
            "9:00 - 9:45 Coding\n10:00 - 10:45 System design\n")
    got = start_of(text, ctx(sent="2025-05-16T17:00:00-07:00"))
    assert got == at("2025-05-22T09:00", "America/Los_Angeles")


def test_arrival_time_is_not_the_start() -> None:
    text = ("Interview: Monday, November 17, 2025, 10:00 AM (Eastern Time).\n"
            "Please arrive by 9:40 AM and check in at the security desk.")
    assert start_of(text, ctx(sent="2025-11-11T15:00:00-05:00")) == at("2025-11-17T10:00", NY)


def test_deadline_is_not_the_start() -> None:
    text = "Please confirm by Friday, July 11 at 5pm. The interview is July 15 at 2pm."
    assert start_of(text) == at("2025-07-15T14:00", NY)


def test_old_time_of_a_move_is_not_the_start() -> None:
    text = "we need to move your interview from Tuesday 2pm to Wednesday, July 16 at 11:00am ET."
    assert start_of(text, moving=True) == at("2025-07-16T11:00", NY)
    text = "Could we do Thursday, July 17 at 10am instead of Tuesday at 3pm?"
    assert start_of(text, moving=True) == at("2025-07-17T10:00", NY)


def test_alternatives_are_flagged() -> None:
    text = "Would Tuesday 10/14 at 10am or Wednesday 10/15 at 3pm work for you?"
    choice = extract.choose_time(text, extract.find_times(text, ctx(sent="2025-10-09T10:00:00-05:00")))
    assert choice.alternatives


# --- quoted text ------------------------------------------------------------------------

def test_quoted_reply_is_cut() -> None:
    body = ("Perfect, Friday at 10:30 then.\n\nOn Tue, Jul 22, 2025 at 4:12 PM Alex <a@x.com> "
            "wrote:\n> Thursday at 2pm or Friday at 10:30am?\n")
    parts = extract.split_reply(body)
    assert "Thursday" not in parts.new and "Thursday" in parts.quoted


def test_wrapped_gmail_attribution_is_cut() -> None:
    body = "Sounds good.\n\nOn Mon, Jul 14, 2025 at 8:01 AM Alex Candidate <\nalex@example.com> wrote:\n> old\n"
    assert extract.split_reply(body).new.strip() == "Sounds good."


@pytest.mark.parametrize("marker", [
    "-----Original Message-----",
    "From: Alex <a@x.com>\nSent: Tuesday, July 22, 2025 4:12 PM\nTo: Marco\nSubject: RE: call",
    "________________________________\nFrom: Alex\nSent: Tuesday",
    "Am 22.07.2025 um 16:12 schrieb Alex <a@x.com>:",
    "Le mar. 22 juil. 2025 à 16:12, Alex <a@x.com> a écrit :",
])
def test_outlook_and_foreign_quote_markers(marker: str) -> None:
    parts = extract.split_reply(f"New text here.\n\n{marker}\nOld text at 3pm\n")
    assert "Old text" not in parts.new


def test_forwarded_block_is_kept_apart() -> None:
    parts = extract.split_reply("FYI\n\n---------- Forwarded message ---------\nFrom: X\nbody\n")
    assert parts.new.strip() == "FYI" and "body" in parts.forwarded


def test_signature_is_split_off() -> None:
    parts = extract.split_reply("Let's talk Tuesday.\n\nBest,\nJane Doe\nRecruiter\nO: 212-555-0199\n")
    assert "212" not in parts.new and "212" in parts.signature


# --- phones -----------------------------------------------------------------------------

def test_phone_call_you_at_is_the_candidates_own_number() -> None:
    # The contract: the candidate's own number is not `phone`; it is `callee_phone`.
    hits = extract.find_phones("I'll call you at (617) 555-0148 on Tuesday.", "US")
    assert extract.pick_phone(hits, medium="phone", video_link=False) is None
    assert extract.pick_callee(hits) == "+16175550148"


@pytest.mark.parametrize(("text", "region", "callee"), [
    ("We will reach you on 617-555-0148 at the scheduled time.", "US", "+16175550148"),
    ("Jordan will call you at +1 212-555-0142.", "US", "+12125550142"),
    ("Our controls lead, Victor Huang, will call Alex directly at 617-555-0148.", "US",
     "+16175550148"),
    ("Dana will call you at the number you provided: 617-555-0148.", "US", "+16175550148"),
    ("It will be a phone interview - we'll call you at the number on your resume, "
     "(617) 555-0148.", "US", "+16175550148"),
    ("She'll dial you directly on 617 555 0148.", "US", "+16175550148"),
    ("I'll give you a ring at 617-555-0148.", "US", "+16175550148"),
    ("I'll call your\ncell at +1 212-555-0142. If that time doesn't work, just reply.", "US",
     "+12125550142"),
    ("Je vous appellerai le jeudi 5 juin à 9h30 au 06 12 34 56 78.", "FR", "+33612345678"),
    ("Te llamaremos al +34 612 345 678.", "ES", "+34612345678"),
    ("Wir rufen Sie unter +49 30 12345678 an.", "DE", "+493012345678"),
    ("rufe ich Sie morgen um 10 Uhr an, unter der Nummer +49 151 23456789.", "DE",
     "+4915123456789"),
])
def test_number_the_candidate_is_called_at_is_callee_not_phone(
        text: str, region: str, callee: str) -> None:
    hits = extract.find_phones(text, region)
    assert extract.pick_phone(hits, medium="phone", video_link=False) is None
    assert extract.pick_callee(hits) == callee


@pytest.mark.parametrize(("text", "region", "phone"), [
    ("I'll call you from 415-555-0163 at 10.", "US", "+14155550163"),
    ("I'll call you from my cell, 312-555-0187.", "US", "+13125550187"),
    ("Mr. Weber will call you from his office number +49 30 12345678.", "DE", "+493012345678"),
    ("Please dial +1 (872) 555-0160 at the scheduled time.", "US", "+18725550160"),
    ("Please call Marcus at +1 646-555-0123.", "US", "+16465550123"),
    ("Please call him directly at (480) 555-0135.", "US", "+14805550135"),
    ("Please call me on my mobile at that time: 206-555-0134", "US", "+12065550134"),
    ("If we can't reach you at the scheduled time, please call 800-555-0199.", "US",
     "+18005550199"),
    ("Te llamaremos desde el número +34 910 555 120.", "ES", "+34910555120"),
    ("Ich rufe Sie zum vereinbarten Termin von meiner Durchwahl +49 30 5557 8812 an.", "DE",
     "+493055578812"),
])
def test_number_to_dial_or_called_from_stays_phone(text: str, region: str, phone: str) -> None:
    hits = extract.find_phones(text, region)
    assert extract.pick_phone(hits, medium="phone", video_link=False) == phone
    assert extract.pick_callee(hits) is None


def test_the_candidates_number_is_never_the_phone_even_when_repeated() -> None:
    text = "I'll call you at 617-555-0148 on Tuesday.\n\nYour number on file: 617-555-0148"
    hits = extract.find_phones(text, "US")
    assert extract.pick_phone(hits, medium="phone", video_link=False) is None
    assert extract.pick_callee(hits) == "+16175550148"


def test_a_dotted_date_is_not_a_phone_number() -> None:
    hits = extract.find_phones("Donnerstag, 16.10.2025, 15:30 Uhr", "DE")
    assert hits == []


def test_video_dial_in_is_not_the_phone() -> None:
    text = ("Join Zoom Meeting https://zoom.us/j/123\nMeeting ID: 845 1234 5678\n\n"
            "Dial by your location\n        +1 646 558 8656 US (New York)\n"
            "        +1 312 626 6799 US (Chicago)\n")
    hits = extract.find_phones(text, "US")
    assert extract.pick_phone(hits, medium="video", video_link=True) is None


def test_conference_line_of_a_phone_interview_is_the_phone() -> None:
    text = "Please dial +1 (872) 555-0160 and enter access code 449 812."
    hits = extract.find_phones(text, "US")
    assert extract.pick_phone(hits, medium="phone", video_link=False) == "+18725550160"


def test_signature_line_is_not_the_phone() -> None:
    hits = extract.find_phones("Office: (312) 555-0100", "US")
    assert extract.pick_phone(hits, medium="phone", video_link=False) is None


def test_local_numbers_use_the_region() -> None:
    hits = extract.find_phones("Je vous appellerai au 06 12 34 56 78.", "FR")
    assert hits and hits[0].e164 == "+33612345678"


# --- respond_by and back_on -------------------------------------------------------------

@pytest.mark.parametrize(("text", "want"), [
    ("We'll get back to you by Friday.", "2025-07-11"),
    ("You'll hear from us by next Wednesday.", "2025-07-16"),
    ("We will have a decision by the end of the week.", "2025-07-11"),
    ("You should hear from us within 3 business days.", "2025-07-15"),
    ("We'll be in touch by 7/20 with next steps.", "2025-07-20"),
    ("Please confirm by Friday.", None),  # the candidate's deadline, not a promise
    # Phrasings from the blind sets.
    ("team is chewing on it will get back to you by wed", "2025-07-16"),
    ("Let me check with the hiring manager and get back to you tomorrow.", "2025-07-11"),
    ("We aim to inform all candidates of the\noutcome by 28 July 2025.", "2025-07-28"),
    ("Please note that the final results will be communicated to all candidates by 22nd July "
     "2025.", "2025-07-22"),
    ("I'm checking with the panel now and will confirm the final time by Monday.", "2025-07-14"),
    ("I'll update you by end of day Tuesday.", "2025-07-15"),
    ("Wir werden uns spätestens bis zum 15. Juli bei Ihnen melden.", "2025-07-15"),
    ("Je reviens vers vous au plus tard le vendredi 18 juillet.", "2025-07-18"),
    ("Te\ndiremos algo como muy tarde el viernes 18 de julio.", "2025-07-18"),
    ("I expect to have an update for you on Monday.", "2025-07-14"),
])
def test_respond_by(text: str, want: str | None) -> None:
    got = extract.respond_by(text, ctx())  # sent on Thursday 2025-07-10
    assert (got.isoformat() if got else None) == want


def test_respond_by_weekday_means_first_after_message_date() -> None:
    # Sent on a Friday: "by Friday" is a week later, never the same day.
    got = extract.respond_by("We'll get back to you by Friday.", ctx(sent="2025-07-11T09:00:00-04:00"))
    assert got == date(2025, 7, 18)


@pytest.mark.parametrize(("text", "want"), [
    ("I am out of the office, returning on Monday, August 11.", "2025-08-11"),
    ("I'm away until July 21 with limited access to email.", "2025-07-21"),
    ("Out of office through Friday, July 18.", "2025-07-21"),
    ("Je suis absente jusqu'au lundi 3 novembre inclus.", "2025-11-04"),
])
def test_back_on(text: str, want: str) -> None:
    got = extract.back_on(text, ctx())
    assert got is not None and got.isoformat() == want


# --- robustness -------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_extraction_never_raises(text: str) -> None:
    c = ctx()
    parts = extract.split_reply(text)
    extract.choose_time(parts.new, extract.find_times(parts.new, c), moving=True)
    extract.respond_by(text, c)
    extract.back_on(text, c)
    extract.find_phones(text, "US")
    extract.language(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "Tuesday", "July 15", "at", "2pm", "14:00", "PT", "CST", "-", "to", "10/07", "tomorrow",
    "Uhr", "le", "jeudi", "5", "juin", "à", "9h30", "de la tarde", "(UTC-05:00)", "noon",
    "\n", "> ", "On Mon wrote:", "+1 617 555 0148", "IST", "GMT+2", "the same time",
]), max_size=30))
def test_time_words_in_any_order_never_raise(words: list[str]) -> None:
    text = " ".join(words)
    for m in extract.find_times(text, ctx(), h24=True):
        assert m.start.tzinfo is not None


# --- rules added from the fresh batches ---------------------------------------------------


def test_short_weekday_needs_a_clock_time_and_a_capital() -> None:
    c = ctx(sent="2026-01-12T16:00:00-05:00")
    assert start_of("can you do Thu 2pm ET for a phone screen?", c) == at("2026-01-15T14:00", NY)
    assert start_of("can we move to Thu same time (11am)?", c) == at("2026-01-15T11:00", NY)
    assert start_of("the sun is out at 5pm", c) is None


def test_tmrw_is_tomorrow() -> None:
    c = ctx(sent="2026-12-09T19:30:00-05:00")
    assert start_of("ok great, tmrw 3pm est then", c) == at("2026-12-10T15:00", NY)


def test_wrap_up_time_is_the_end_not_the_start() -> None:
    c = ctx(sent="2026-12-07T15:00:00-05:00")
    text = ("You're confirmed for the onsite this Friday. Please arrive by 8:45am for a badge; "
            "interviews start at 9am and wrap around 1pm.")
    choice = extract.choose_time(text, extract.find_times(text, c))
    assert choice.best is not None
    assert choice.best.start == at("2026-12-11T09:00", NY)
    assert choice.best.end == at("2026-12-11T13:00", NY)


def test_underscore_rule_of_a_teams_block_is_not_quoted_history() -> None:
    text = ("Interview on Thursday at 2pm.\n\n" + "_" * 40 + "\nMicrosoft Teams meeting\n"
            "Click here to join the meeting\n" + "_" * 40 + "\n\nRegards,\nAhmed")
    parts = extract.split_reply(text)
    assert "Microsoft Teams meeting" in parts.new and not parts.quoted
    outlook = "Sounds good.\n\n" + "_" * 32 + "\nFrom: Ahmed\nSent: Monday\nTo: Alex\n\nOld"
    assert extract.split_reply(outlook).quoted.startswith("_")


def test_legal_footer_joins_the_signature() -> None:
    text = ("Your interview is on Thursday at 9am.\n\nSincerely,\nBill\nHR\n\n"
            "CONFIDENTIALITY NOTICE: This e-mail is intended only for the named recipient.\n"
            "Call +1 (212) 555-0000 if received in error.\n" + "Line.\n" * 10)
    parts = extract.split_reply(text)
    assert "555-0000" not in parts.new and "555-0000" in parts.signature
    assert "9am" in parts.new


def test_phone_only_conference_line_told_in_words_beats_a_stray_number() -> None:
    text = ("Please dial our conference line at 1-888-555-0199, access code 447821#, a few "
            "minutes before the start time.\n\nWe look forward to speaking with you and hope "
            "you enjoy the conversation.\n\nFront office: 212-555-0123")
    hits = extract.find_phones(text, "US")
    assert extract.pick_phone(hits, medium="phone", video_link=False) == "+18885550199"


def test_respond_by_ignores_the_candidates_deadline_in_the_same_sentence() -> None:
    c = ctx(sent="2026-12-03T17:00:00-05:00")
    text = ("Please send it back by Wednesday, December 9; we'll review it with the team and "
            "follow up within a week.")
    assert extract.respond_by(text, c) == date(2026, 12, 10)


# --- holdout2 phenomena (general forms, not the corpus sentences) ------------------------

@pytest.mark.parametrize("text,want", [
    ("Phone interview on Tuesday 15th July at half past two (BST).", "2025-07-15T14:30:00+01:00"),
    ("Call on Friday, July 11 at quarter to ten.", "2025-07-11T09:45:00-04:00"),
    ("Interview on July 24, 2:00 PM MST (Arizona time).", "2025-07-24T14:00:00-07:00"),
])
def test_spoken_times_and_a_region_after_the_abbreviation(text: str, want: str) -> None:
    choice = extract.choose_time(text, extract.find_times(text, ctx()))
    assert choice.best is not None
    assert choice.best.start == datetime.fromisoformat(want)


def test_old_slot_restated_in_another_zone_is_old_too() -> None:
    text = ("We must change the hour. The new hour is 17:00 CET the 21.01.2026. "
            "Before it was at 15:00 CET (9:00 New York).")
    c = ctx(sent="2026-01-19T10:05:00+01:00", day_first=True)
    choice = extract.choose_time(text, extract.find_times(text, c, h24=True), moving=True)
    assert choice.best is not None
    assert choice.best.start == datetime.fromisoformat("2026-01-21T17:00:00+01:00")


def test_a_length_given_as_a_range_states_no_end() -> None:
    text = "Your call is on July 15 at 4:00 PM. Please allow 30-45 minutes."
    choice = extract.choose_time(text, extract.find_times(text, ctx()))
    assert choice.best is not None and choice.best.end is None


def test_promise_at_the_latest() -> None:
    assert str(extract.respond_by("We will come back to you latest on July 18.", ctx())) == \
        "2025-07-18"


def test_bare_cell_label_under_a_name_is_a_signature() -> None:
    hits = extract.find_phones("See you then!\n\nTyler Brandt\nRocket Staffing\nCell 646-555-0111",
                               "US")
    assert extract.pick_phone(hits, medium="video", video_link=False) is None


# --- session-2 rules from blind corpora -------------------------------------------------

def test_weekday_with_a_day_of_month_and_no_month() -> None:
    c = ctx("2026-11-03T11:08:00-05:00")
    assert start_of("Could you come by on Thursday the 12th at noon?", c) == \
        at("2026-11-12T12:00", NY)


def test_lower_case_weekday_abbreviation_before_a_clock() -> None:
    c = ctx("2026-03-02T07:41:00-08:00", tz="America/Denver")
    assert start_of("can you hop on a call thu 4pm", c) == at("2026-03-05T16:00", "America/Denver")
    # "sat"/"sun" stay words.
    assert start_of("I sat 4pm", c) is None


def test_spanish_from_to_is_a_range_not_a_meridiem() -> None:
    c = ctx("2026-10-09T12:20:45+02:00", tz="Europe/Madrid")
    text = "Jueves 15 de octubre, de 16:30 a 17:30"
    choice = extract.choose_time(text, extract.find_times(text, c, h24=True))
    assert choice.best is not None
    assert (choice.best.start, choice.best.end) == (
        at("2026-10-15T16:30", "Europe/Madrid"), at("2026-10-15T17:30", "Europe/Madrid"))


def test_from_old_to_new_in_a_move_is_not_a_range() -> None:
    c = ctx("2026-04-15T17:10:00-05:00", tz="America/Chicago")
    text = "could we push our 30-minute call from 10am to 3:30pm tomorrow instead?"
    assert start_of(text, c, moving=True) == at("2026-04-16T15:30", "America/Chicago")


def test_an_availability_window_is_not_an_interview() -> None:
    c = ctx("2026-11-11T10:22:00+00:00", tz="Europe/London")
    assert start_of("Anything between 9:00 and 17:30 GMT on Friday 20 Nov works on our side.",
                    c) is None


def test_a_help_line_is_not_the_interviews_number() -> None:
    hits = extract.find_phones("Questions? Call us at (212) 555-0187 or reply.", "US")
    assert [h.where for h in hits] == ["helpline"]
    assert extract.pick_phone(hits, medium="phone", video_link=False) is None


def test_a_label_owned_phone_line_is_a_signature() -> None:
    hits = extract.find_phones("Raymond Goh\nSenior Consultant\nTel: +65 6123 4567", "SG")
    assert [h.where for h in hits] == ["signature"]


def test_german_return_date_before_the_verb() -> None:
    c = ctx("2026-08-03T08:12:00+02:00", tz="Europe/Berlin")
    text = "Ich bin derzeit nicht im Büro und ab dem 17.08.2026\nwieder erreichbar."
    assert extract.back_on(text, c) == date(2026, 8, 17)


def test_day_month_year_with_hyphens() -> None:
    c = ctx("2026-07-07T10:00:00+05:30", tz="Asia/Kolkata")
    assert start_of("New Date : 09-Jul-2026\nTime     : 3:00 PM IST", c) == \
        at("2026-07-09T15:00", "Asia/Kolkata")
