"""Drafts: what each message says, in which zones, with which headers, from which template."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from mailflow.drafts import (
    KINDS,
    PLACEHOLDER_RE,
    Draft,
    DraftContext,
    find_placeholders,
    render,
    reply_subject,
    sanitize_header,
)
from mailflow.errors import UsageError

REPO = Path(__file__).resolve().parent.parent

# Tuesday 24 November 2026, 1 PM in New York: the call is at 3 PM New York / noon in LA.
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
START = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


def ctx(kind: str = "confirmation", **changes: object) -> DraftContext:
    base = DraftContext(
        kind=kind,
        now=NOW,
        recruiter_name="Priya Shah",
        recruiter_email="priya.shah@northwind.example",
        company="Northwind",
        role="Senior Data Engineer",
        interviewer=None,
        subject="Phone screen with Northwind",
        in_reply_to="<m3@northwind.example>",
        references=("<m1@northwind.example>", "<m2@alex.example>"),
        interview_start=START,
        interview_end=START + timedelta(minutes=30),
        recruiter_zone="America/Los_Angeles",
        user_zone="America/New_York",
        medium="phone",
        phone="+12125550142",
        user_name="Alex Candidate",
        user_email="alex.candidate@example.com",
        user_phone="+12125550142",
        signature="",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# Each kind rendered at the moment the planner would render it.
MOMENTS = {
    "confirmation": NOW,
    "missed_call": START + timedelta(minutes=15),
    "missed_call_again": START + timedelta(minutes=15),
    "apology": START + timedelta(minutes=40),
    "thank_you": START + timedelta(hours=1),
    "follow_up": datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
    "follow_up_final": datetime(2026, 12, 8, 15, 0, tzinfo=UTC),
    "withdraw": datetime(2026, 12, 2, 15, 0, tzinfo=UTC),
}


def draft(kind: str, **changes: object) -> Draft:
    changes.setdefault("now", MOMENTS[kind])
    return render(ctx(kind, **changes))


def paragraphs(body: str) -> str:
    """The body with lines joined, so a phrase can be found whatever the wrapping."""
    return " ".join(body.split())


# --- every kind ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_a_well_formed_reply(kind: str) -> None:
    d = draft(kind)
    assert d.kind == kind
    assert d.subject == "Re: Phone screen with Northwind"
    assert d.in_reply_to == "<m3@northwind.example>"
    assert d.references == (
        "<m1@northwind.example>", "<m2@alex.example>", "<m3@northwind.example>")
    assert d.body.startswith("Hi Priya,\n\n")
    assert d.body.endswith("Best regards,\nAlex Candidate\n")
    assert d.body.endswith("\n") and not d.body.endswith("\n\n")
    assert "\r" not in d.body
    assert "\n\n\n" not in d.body
    assert all(line == line.rstrip() for line in d.body.split("\n"))
    assert "None" not in d.body and "{{" not in d.body and "{%" not in d.body
    assert Path(d.template).name == f"{kind}.txt.j2"


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_known_still_reads_well(kind: str) -> None:
    # A thread with nothing but an address: no "Hi None", no "the None role", no gaps.
    d = draft(kind, recruiter_name=None, company=None, role=None, interviewer=None,
              recruiter_zone=None, medium=None, phone=None, user_phone=None,
              in_reply_to=None, references=())
    assert d.body.startswith("Hello,\n\n")
    assert "None" not in d.body and "  " not in d.body.replace("\n  - ", "")
    assert d.in_reply_to is None and d.references == ()
    if kind in ("thank_you", "follow_up", "follow_up_final", "withdraw"):
        assert "the opportunity" in d.body


def test_confirmation() -> None:
    d = draft("confirmation")
    text = paragraphs(d.body)
    assert "confirm our call today at 3:00 PM EST (12:00 PM PST for you)" in text
    assert "looking forward" in text
    assert "+1 212-555-0142" in text  # the number they will reach the user on
    assert len([p for p in d.body.split("\n\n") if p.strip()]) <= 5  # brief
    assert d.stale_at == datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # midnight in New York


def test_confirmation_the_day_before_says_tomorrow() -> None:
    text = paragraphs(draft("confirmation", now=NOW - timedelta(days=1)).body)
    assert "tomorrow at 3:00 PM EST (12:00 PM PST for you)" in text
    assert "today" not in text


def test_confirmation_with_another_interviewer_and_video() -> None:
    text = paragraphs(draft("confirmation", interviewer="Sam Lee", medium="video",
                            rescheduled=True).body)
    assert "my video call with Sam Lee today at 3:00 PM EST" in text
    assert "new time" in text
    assert "+1" not in text  # nobody dials a number for a video call


def test_confirmation_for_a_phone_call_without_a_number_asks_for_one() -> None:
    d = draft("confirmation", phone=None, user_phone=None, notes=("Phone number missing",))
    assert "[[your phone number]]" in d.body
    assert d.placeholders == ("[[your phone number]]",)
    assert d.notes[0] == "Phone number missing"  # the planner's notes come first, unchanged
    assert any("phone" in note for note in d.notes[1:])


def test_missed_call() -> None:
    d = draft("missed_call", slots=("Wednesday, 10 AM-12 PM EST", "Thursday after 2 PM EST"))
    text = paragraphs(d.body)
    assert "scheduled for today at 3:00 PM EST (12:00 PM PST for you)" in text
    assert "haven't heard from you" in text
    assert "I understand things come up" in text
    assert "another 30 minutes, until 3:45 PM EST (12:45 PM PST for you)" in text
    assert "reschedule" in text
    assert "\n  - Wednesday, 10 AM-12 PM EST\n  - Thursday after 2 PM EST\n" in d.body
    assert "+1 212-555-0142" in text and "replying to this email" in text
    # "for another 30 minutes" is false once they are over: the draft says when.
    assert d.stale_at == START + timedelta(minutes=45)


def test_missed_call_when_the_user_was_to_call() -> None:
    text = paragraphs(draft("missed_call", user_calls=True, phone="+14155550132",
                            available_for=timedelta(hours=1)).body)
    assert "I called today at 3:00 PM EST (12:00 PM PST for you) on +1 415-555-0132" in text
    assert "wasn't able to reach you" in text
    assert "another 1 hour, until 4:15 PM EST (1:15 PM PST for you)" in text
    assert "on +1 212-555-0142" in text  # the user's own number, not the one they dialled


def test_missed_call_again_asks_them_to_call_the_users_number() -> None:
    text = paragraphs(draft("missed_call_again", missed_count=2, user_phone="+14155550132").body)
    assert "scheduled for today at 3:00 PM EST (12:00 PM PST for you)" in text
    assert "again" in text
    assert "calling me on +1 415-555-0132 at the new time" in text
    assert "another 30 minutes" in text


def test_missed_call_again_without_any_number_leaves_a_placeholder() -> None:
    d = draft("missed_call_again", phone=None, user_phone=None)
    assert "calling me on [[your phone number]] at the new time" in paragraphs(d.body)
    assert d.placeholders


def test_apology() -> None:
    d = draft("apology")
    text = paragraphs(d.body)
    assert "I'm sorry I missed our call today at 3:00 PM EST (12:00 PM PST for you)" in text
    assert "Is now a good time" in text and "later this week" in text  # Tuesday
    assert text.count("sorry") == 1  # own it once, don't belabour it


def test_apology_on_a_friday_asks_about_next_week() -> None:
    friday = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
    text = paragraphs(draft("apology", now=friday, interview_start=friday - timedelta(hours=1),
                            interview_end=friday - timedelta(minutes=30)).body)
    assert "early next week" in text


def test_thank_you() -> None:
    d = draft("thank_you")
    text = paragraphs(d.body)
    assert "Thank you for taking the time to speak with me today" in text
    assert "the Senior Data Engineer role at Northwind" in text
    assert "flexibility" not in text
    assert "still very interested" in text and "next steps" in text
    # The specific line only the user can write, marked so review refuses it as it is.
    assert find_placeholders(d.body) == (
        "[[One specific thing you enjoyed about the conversation or the role]]",)
    assert PLACEHOLDER_RE.search(d.body)


def test_thank_you_next_morning_with_interviewer_after_a_reschedule() -> None:
    next_morning = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    text = paragraphs(draft("thank_you", now=next_morning, interviewer="Sam Lee",
                            rescheduled=True).body)
    assert "my conversation with Sam Lee yesterday" in text
    assert "flexibility" in text
    assert "thanks to Sam " in text


def test_follow_up_mentions_the_date_they_gave() -> None:
    text = paragraphs(draft("follow_up", respond_by=date(2026, 11, 27)).body)
    assert "by Friday, November 27" in text
    assert "timeline" in text and "still very interested" in text
    assert "anything else you need" in text


def test_follow_up_without_a_date() -> None:
    text = paragraphs(draft("follow_up").body)
    assert "mentioned" not in text and "next steps" in text


def test_follow_up_final_is_shorter_and_leaves_the_door_open() -> None:
    first, final = draft("follow_up").body, draft("follow_up_final").body
    assert len(final) < len(first)
    assert "stay in touch" in final and "still interested" in final


def test_withdraw_gives_no_reasons() -> None:
    text = paragraphs(draft("withdraw").body)
    assert "Thank you for considering me for the Senior Data Engineer role at Northwind" in text
    assert "move forward with other options" in text and "all the best" in text
    for reason_word in ("because", "salary", "unfortunately", "however", "reason"):
        assert reason_word not in text.lower()


# --- zones ---------------------------------------------------------------------------------


def test_same_zone_shows_one_time() -> None:
    for recruiter_zone in ("America/New_York", "America/Toronto", None):
        text = paragraphs(draft("confirmation", recruiter_zone=recruiter_zone).body)
        assert "our call today at 3:00 PM EST." in text
        assert "for you" not in text
        missed = paragraphs(draft("missed_call", recruiter_zone=recruiter_zone).body)
        assert "for today at 3:00 PM EST," in missed and "until 3:45 PM EST," in missed
        assert "for you)" not in missed


@pytest.mark.parametrize(
    ("start", "user", "recruiter"),
    [
        (datetime(2026, 7, 14, 19, 0, tzinfo=UTC), "3:00 PM EDT", "12:00 PM PDT"),  # summer
        (datetime(2026, 1, 13, 20, 0, tzinfo=UTC), "3:00 PM EST", "12:00 PM PST"),  # winter
    ],
)
def test_abbreviations_follow_daylight_saving(start: datetime, user: str, recruiter: str) -> None:
    text = paragraphs(draft("confirmation", now=start - timedelta(hours=2),
                            interview_start=start).body)
    assert f"today at {user} ({recruiter} for you)" in text


def test_the_weeks_when_only_one_side_has_changed_clocks() -> None:
    # US clocks moved on 8 March 2026, British ones only on 29 March: 4 hours apart.
    start = datetime(2026, 3, 20, 14, 0, tzinfo=UTC)
    text = paragraphs(draft("confirmation", now=start - timedelta(hours=3),
                            interview_start=start, recruiter_zone="Europe/London").body)
    assert "today at 10:00 AM EDT (2:00 PM GMT for you)" in text


def test_a_call_on_another_day_for_the_recruiter_names_both_days() -> None:
    # 8 PM Tuesday in New York is 6:30 AM Wednesday in Bangalore: no "today" for anyone.
    start = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    text = paragraphs(draft("confirmation", now=NOW, interview_start=start,
                            recruiter_zone="Asia/Kolkata").body)
    assert ("our call on Tuesday, November 24 at 8:00 PM EST "
            "(Wednesday, November 25 at 6:30 AM IST for you)") in text
    assert "today" not in text and "tomorrow" not in text


def test_one_abbreviation_for_two_clocks_shows_offsets() -> None:
    # "CST" is both Chicago and Shanghai: the letters alone would be the same for both.
    start = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    text = paragraphs(draft("confirmation", now=NOW, interview_start=start,
                            user_zone="America/Chicago", recruiter_zone="Asia/Shanghai").body)
    assert "3:00 PM UTC-6" in text and "5:00 AM UTC+8" in text
    assert "CST" not in text


def test_zones_without_letters_read_as_utc_offsets() -> None:
    text = paragraphs(draft("confirmation", recruiter_zone="Asia/Dubai").body)
    assert ("on Tuesday, November 24 at 3:00 PM EST "
            "(Wednesday, November 25 at 12:00 AM UTC+4 for you)") in text


# --- subject and threading -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Phone screen", "Re: Phone screen"),
        ("Re: Phone screen", "Re: Phone screen"),
        ("RE: Re: re:Phone screen", "Re: Phone screen"),
        ("Re[2]: AW: SV: Phone screen", "Re: Phone screen"),
        ("Fwd: Phone screen", "Re: Fwd: Phone screen"),
        ("Regarding the role", "Re: Regarding the role"),  # "Re" inside a word stays
        ("", "Re: Our conversation"),
        ("  Re:  ", "Re: Our conversation"),
    ],
)
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected
    assert draft("withdraw", subject=subject).subject == expected


def test_missing_values_from_the_store_are_tolerated() -> None:
    # A thread whose messages had no Subject, and settings without a signature.
    d = draft("withdraw", subject=None, signature=None)
    assert d.subject == "Re: Our conversation"
    assert d.body.endswith("Best regards,\nAlex Candidate\n")


def test_threading_headers_keep_order_and_drop_duplicates() -> None:
    d = draft("follow_up", in_reply_to="<m2@alex.example>",
              references=("<m1@northwind.example>", "<m2@alex.example>", "<m1@northwind.example>"))
    assert d.in_reply_to == "<m2@alex.example>"
    assert d.references == ("<m1@northwind.example>", "<m2@alex.example>")


def test_message_ids_from_mail_cannot_inject_headers() -> None:
    d = draft("follow_up", in_reply_to="<m3@x>\r\nBcc: evil@example.com",
              references=("m1@x", " <m2@x>\n"))
    assert d.in_reply_to is not None and "\n" not in d.in_reply_to and "\r" not in d.in_reply_to
    assert d.references[:2] == ("<m1@x>", "<m2@x>")
    assert all(" " not in ref and "\n" not in ref for ref in d.references)


def test_a_very_long_reference_chain_keeps_the_root_and_the_latest() -> None:
    chain = tuple(f"<m{i}@x>" for i in range(60))
    d = draft("follow_up", references=chain, in_reply_to="<m60@x>")
    assert d.references[0] == "<m0@x>" and d.references[-1] == "<m60@x>"
    assert len(d.references) == 20


# --- header injection ----------------------------------------------------------------------


def test_sanitize_header_kills_line_breaks_and_controls() -> None:
    assert sanitize_header("Priya\r\nBcc: x@y") == "Priya Bcc: x@y"
    for evil in ("\r", "\n", "\x00", "\x0b", "\x0c", "\x1b", "\x85", "\u2028", "\u2029"):
        cleaned = sanitize_header(f"Phone{evil}screen{evil}")
        assert cleaned == "Phone screen", repr(evil)
    assert sanitize_header("  Phone \t  screen  ") == "Phone screen"
    assert sanitize_header("invoice\u202egnp.exe") == "invoicegnp.exe"  # no bidi override


def test_sanitize_header_limits_length() -> None:
    long = "word " * 200
    cleaned = sanitize_header(long)
    assert len(cleaned) <= 255 and cleaned.endswith("\u2026")
    assert sanitize_header("x" * 50, max_length=10) == "x" * 9 + "\u2026"


def test_injection_through_name_and_subject_never_makes_a_header() -> None:
    d = draft("confirmation", recruiter_name="Priya\r\nBcc: evil@example.com",
              subject="Phone screen\r\nBcc: evil@example.com\r\n\r\nfake body")
    assert "\r" not in d.subject and "\n" not in d.subject
    # Built into a real message and parsed back, there is still exactly one recipient.
    msg = EmailMessage(policy=SMTP)
    msg["To"] = "priya.shah@northwind.example"
    msg["Subject"] = d.subject
    if d.in_reply_to:
        msg["In-Reply-To"] = d.in_reply_to
    msg["References"] = " ".join(d.references)
    msg.set_content(d.body)
    parsed = message_from_bytes(bytes(msg))
    assert parsed["Bcc"] is None
    assert parsed.get_all("Subject") is not None and len(parsed.get_all("Subject")) == 1
    assert not any(line.startswith("Bcc:") for line in d.body.split("\n"))


def test_a_user_template_cannot_put_a_line_break_in_the_subject(tmp_path: Path) -> None:
    (tmp_path / "withdraw.txt.j2").write_text(
        "Subject: {{ subject }}{{ '\\r' }}Bcc: evil@example.com\n\nHi.\n")
    # The line break would start a second header line: the template is refused as broken.
    with pytest.raises(UsageError, match=r"template withdraw\.txt\.j2"):
        render(ctx("withdraw"), [tmp_path])


def test_a_draft_refuses_control_characters_in_headers() -> None:
    with pytest.raises(ValueError, match="control character"):
        Draft(kind="withdraw", subject="Re: x\r\nBcc: y", body="Hi\n", in_reply_to=None,
              references=(), notes=())
    with pytest.raises(ValueError, match="control character"):
        Draft(kind="withdraw", subject="Re: x", body="Hi\n", in_reply_to=None,
              references=("<a@b>\n",), notes=())


# --- greetings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Priya Shah", "Hi Priya,"),
        ("Shah, Priya", "Hi Priya,"),
        ('"Priya Shah"', "Hi Priya,"),
        ("PRIYA SHAH", "Hi Priya,"),
        ("Priya Shah via Greenhouse", "Hi Priya,"),
        ("Priya Shah (Northwind)", "Hi Priya,"),
        ("Dr. Priya Shah", "Hi Dr. Shah,"),
        (None, "Hello,"),
        ("", "Hello,"),
        ("   ", "Hello,"),
        ("Northwind Recruiting", "Hello,"),
        ("Talent Acquisition Team", "Hello,"),
        ("no-reply", "Hello,"),
        ("priya.shah@northwind.example", "Hello,"),
    ],
)
def test_greeting(name: str | None, greeting: str) -> None:
    assert draft("follow_up", recruiter_name=name).body.split("\n", 1)[0] == greeting


# --- signature -----------------------------------------------------------------------------


def test_signature_is_used_when_given() -> None:
    d = draft("withdraw", signature="Alex Candidate\nalexcandidate.dev")
    assert d.body.endswith("Best regards,\nAlex Candidate\nalexcandidate.dev\n")


def test_a_delimited_signature_follows_the_name() -> None:
    d = draft("withdraw", signature="-- \nAlex Candidate | +1 212-555-0142")
    assert d.body.endswith("Best regards,\nAlex Candidate\n\n-- \nAlex Candidate | +1 212-555-0142\n")


# --- templates -----------------------------------------------------------------------------


def test_user_templates_win_and_the_rest_stay_bundled(tmp_path: Path) -> None:
    (tmp_path / "thank_you.txt.j2").write_text(
        "Subject: Thanks! {{ reply_subject }}\n\n{{ greeting }}\n\nThanks, {{ first_name }}!\n"
        "{{ signature }}\n")
    mine = render(ctx("thank_you", now=MOMENTS["thank_you"]), [tmp_path / "missing", tmp_path])
    assert mine.subject == "Thanks! Re: Phone screen with Northwind"
    assert mine.body == "Hi Priya,\n\nThanks, Priya!\nAlex Candidate\n"
    assert Path(mine.template) == tmp_path / "thank_you.txt.j2"
    bundled = render(ctx("withdraw", now=MOMENTS["withdraw"]), [tmp_path])
    assert Path(bundled.template).parent != tmp_path
    assert "withdraw from the process" in bundled.body


def test_an_undefined_variable_in_a_user_template_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "follow_up.txt.j2").write_text(
        "Subject: {{ reply_subject }}\n\nHi {{ recruiter_nickname }},\n")
    with pytest.raises(UsageError) as raised:
        render(ctx("follow_up"), [tmp_path])
    assert "template follow_up.txt.j2" in raised.value.message
    assert "recruiter_nickname" in raised.value.message
    assert raised.value.hint is not None and "greeting" in raised.value.hint


def test_time_variables_are_undefined_without_a_time(tmp_path: Path) -> None:
    # Absent, not "None": a template that needs the time says so instead of a gap.
    (tmp_path / "thank_you.txt.j2").write_text(
        "Subject: {{ reply_subject }}\n\nOur call {{ call_when }}.\n")
    with pytest.raises(UsageError, match="call_when"):
        render(ctx("thank_you", interview_start=None, interview_end=None), [tmp_path])


def test_a_broken_user_template_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "withdraw.txt.j2").write_text("Subject: x\n\n{% if %}\n")
    with pytest.raises(UsageError, match=r"template withdraw\.txt\.j2: .*line 3"):
        render(ctx("withdraw"), [tmp_path])


@pytest.mark.parametrize("source", [b"Subject: x\n\n{{ 1 / 0 }}\n", "Subject: \xe9t\xe9\n".encode("latin-1")])
def test_a_user_template_that_fails_at_runtime_is_a_clear_error(tmp_path: Path,
                                                                 source: bytes) -> None:
    (tmp_path / "withdraw.txt.j2").write_bytes(source)
    with pytest.raises(UsageError, match=r"template withdraw\.txt\.j2: \w+Error"):
        render(ctx("withdraw"), [tmp_path])


@pytest.mark.parametrize("text", ["Hello\n\nbody\n", "Subject: x\nbody right away\n"])
def test_a_template_must_start_with_a_subject_line(tmp_path: Path, text: str) -> None:
    (tmp_path / "withdraw.txt.j2").write_text(text)
    with pytest.raises(UsageError, match=r"template withdraw\.txt\.j2"):
        render(ctx("withdraw"), [tmp_path])


def test_templates_are_plain_text_not_html() -> None:
    text = draft("withdraw", company="AT&T <Labs>", role=None).body
    assert "the opportunity at AT&T <Labs>" in text


def test_every_kind_has_a_bundled_template() -> None:
    bundled = REPO / "templates"
    assert sorted(p.name for p in bundled.glob("*.txt.j2")) == sorted(
        f"{kind}.txt.j2" for kind in KINDS)


# --- fingerprint ---------------------------------------------------------------------------


def test_fingerprint_is_stable_and_covers_what_is_sent() -> None:
    d = draft("follow_up")
    to = "priya.shah@northwind.example"
    fp = d.fingerprint(to)
    assert len(fp) == 64 and fp == d.fingerprint(to)
    assert fp == draft("follow_up").fingerprint(to)  # same inputs, same draft, same hash
    changed = {
        d.fingerprint("someone.else@northwind.example"),
        replace(d, subject=d.subject + "!").fingerprint(to),
        replace(d, body=d.body.replace("well", "well!")).fingerprint(to),
        replace(d, in_reply_to="<other@x>").fingerprint(to),
        replace(d, in_reply_to=None).fingerprint(to),
        replace(d, references=d.references[1:]).fingerprint(to),
        replace(d, references=tuple(reversed(d.references))).fingerprint(to),
    }
    assert fp not in changed and len(changed) == 7
    # What is not sent does not count.
    assert replace(d, notes=("x",), stale_at=NOW, template="elsewhere").fingerprint(to) == fp


def test_fingerprint_encoding_is_unambiguous() -> None:
    a = Draft(kind="withdraw", subject="Re: a", body="b\n", in_reply_to=None,
              references=("<x@y> <z@w>",), notes=())
    b = replace(a, references=("<x@y>", "<z@w>"))
    c = replace(a, subject="Re: ab", body="\n")
    assert len({a.fingerprint("t"), b.fingerprint("t"), c.fingerprint("t")}) == 3
    assert replace(a, in_reply_to="").fingerprint("t") != a.fingerprint("t")


# --- the context ---------------------------------------------------------------------------


def test_kinds_that_name_the_time_need_one() -> None:
    for kind in ("confirmation", "missed_call", "missed_call_again"):
        with pytest.raises(ValueError, match="interview_start"):
            render(ctx(kind, interview_start=None, interview_end=None))
    # The others say less, but still render.
    assert "Thank you for taking the time to speak with me about" in paragraphs(
        draft("thank_you", interview_start=None, interview_end=None).body)
    assert "I'm sorry I missed our call;" in draft(
        "apology", interview_start=None, interview_end=None).body


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "reminder"},
        {"now": datetime(2026, 11, 24, 13, 0)},
        {"interview_start": datetime(2026, 11, 24, 15, 0)},
        {"user_zone": "Mars/Olympus"},
        {"recruiter_zone": "EST5EDT/nowhere"},
    ],
)
def test_a_bad_context_fails_early(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ctx(**changes)  # type: ignore[arg-type]


# --- start-up cost and tone ----------------------------------------------------------------


def test_importing_drafts_does_not_import_jinja2() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = ("import sys, mailflow.drafts; "
            "assert 'jinja2' not in sys.modules, 'jinja2 imported'; "
            "assert 'phonenumbers' not in sys.modules, 'phonenumbers imported'")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("variant", ["full", "bare", "user_calls"])
@pytest.mark.parametrize("kind", KINDS)
def test_bundled_templates_pass_the_tone_check(kind: str, variant: str) -> None:
    # What mailflow itself writes must never be what the tone check warns the user about.
    tone = pytest.importorskip(
        "mailflow.tone", reason="mailflow.tone is not written yet: nothing to check the tone with")
    changes: dict[str, object] = {
        "full": {"slots": ("Wednesday, 10 AM-12 PM EST",), "interviewer": "Sam Lee",
                 "respond_by": date(2026, 11, 27), "rescheduled": True, "missed_count": 2},
        "bare": {"recruiter_name": None, "company": None, "role": None, "phone": None,
                 "user_phone": None, "recruiter_zone": None, "medium": None},
        "user_calls": {"user_calls": True, "phone": "+14155550132", "medium": "video"},
    }[variant]
    d = draft(kind, **changes)
    flags = tone.check(d.subject + "\n\n" + d.body)
    assert flags == (), [(f.rule, f.words) for f in flags]
