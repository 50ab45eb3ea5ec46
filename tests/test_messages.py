import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailflow import messages

CPYTHON_CORPUS = Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data"


def test_plain_message():
    raw = (
        b"Message-ID: <a1@x.example>\r\nFrom: \"Priya Shah\" <Priya@Northwind.example>\r\n"
        b"Reply-To: talent@northwind.example\r\nTo: alex@example.com\r\n"
        b"Subject: =?utf-8?q?Phone_screen_=E2=80=93_Tuesday?=\r\n"
        b"Date: Thu, 19 Nov 2026 10:02:00 -0500\r\nIn-Reply-To: <p0@x.example>\r\n"
        b"References: <p-1@x.example> <p0@x.example>\r\n\r\nHello Alex,\r\nTalk soon.\r\n"
    )
    m = messages.parse(raw)
    assert m.message_id == "<a1@x.example>"
    assert m.sender == messages.Address("Priya Shah", "priya@northwind.example")
    assert m.reply_to[0].email == "talent@northwind.example"
    assert m.subject == "Phone screen – Tuesday"
    assert m.date.isoformat() == "2026-11-19T10:02:00-05:00"
    assert m.in_reply_to == "<p0@x.example>"
    assert m.references == ("<p-1@x.example>", "<p0@x.example>")
    assert m.text.strip() == "Hello Alex,\nTalk soon."
    assert m.participants == {"priya@northwind.example", "talent@northwind.example",
                              "alex@example.com"}
    h = messages.parse_headers(raw)
    assert (h.message_id, h.subject, h.sender.email, h.in_reply_to, h.references, h.date) == (
        m.message_id, m.subject, m.sender.email, m.in_reply_to, m.references, m.date)


def test_html_only_message_gives_text():
    raw = (b"Message-ID: <h@x>\nContent-Type: text/html; charset=utf-8\n\n"
           b"<html><head><style>p{}</style></head><body><p>Call on <b>Tuesday</b>&nbsp;at 3pm"
           b"</p><div>Thanks</div><script>x()</script></body></html>")
    m = messages.parse(raw)
    assert m.text == "Call on Tuesday at 3pm\n\nThanks"


def test_calendar_parts_are_kept():
    raw = (b"Message-ID: <c@x>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n"
           b"--B\nContent-Type: text/plain\n\nInvite\n--B\nContent-Type: text/calendar; "
           b"method=REQUEST\n\nBEGIN:VCALENDAR\nEND:VCALENDAR\n--B\nContent-Type: "
           b"application/octet-stream\nContent-Disposition: attachment; filename=invite.ics\n\n"
           b"BEGIN:VCALENDAR\nX-ATTACHED:1\nEND:VCALENDAR\n--B--\n")
    m = messages.parse(raw)
    assert m.text.strip() == "Invite"
    assert len(m.calendars) == 2 and "X-ATTACHED" in m.calendars[1]


def test_unknown_charset_and_missing_message_id_are_defects_not_crashes():
    raw = b"Subject: hi\nContent-Type: text/plain; charset=x-klingon\n\nqapla\xff\n"
    m = messages.parse(raw)
    assert m.text.startswith("qapla")
    assert "missing Message-ID" in m.defects
    assert m.message_id.startswith("<sha256-")
    assert messages.parse(raw).message_id == m.message_id  # stable: dedupe still works


def test_header_injection_is_folded_away():
    raw = b"Message-ID: <x@y>\nSubject: hello\n =?utf-8?q?=0D=0ABcc=3A_evil=40x?=\n\nbody"
    m = messages.parse(raw)
    assert "\n" not in m.subject and "\r" not in m.subject


@pytest.mark.parametrize("subject, expected", [
    ("Re: Phone interview", "phone interview"),
    ("RE[2]: AW: Fwd: Phone interview", "phone interview"),
    ("TR: RV: SV: Re^3: Interview", "interview"),
    ("[Acme Careers] Re: Next steps", "next steps"),
    ("Re:   Next    steps ", "next steps"),
    ("Regarding the role", "regarding the role"),
])
def test_normalized_subject(subject, expected):
    assert messages.normalized_subject(subject) == expected


@pytest.mark.skipif(not CPYTHON_CORPUS.is_dir(), reason="CPython's test data is not installed")
def test_every_message_of_cpythons_email_corpus_parses():
    files = sorted(p for p in CPYTHON_CORPUS.iterdir() if p.is_file())
    assert len(files) > 40
    for path in files:
        raw = path.read_bytes()
        full = messages.parse(raw)
        quick = messages.parse_headers(raw)
        assert full.message_id and quick.message_id, path.name
        assert quick.subject == full.subject, path.name


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_never_raises_on_arbitrary_bytes(raw):
    for m in (messages.parse(raw), messages.parse_headers(raw)):
        assert m.message_id.startswith("<")
        assert "\n" not in m.subject


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    b"Subject: ", b"From: ", b"Content-Type: multipart/mixed; boundary=b\n", b"--b\n", b"\n",
    b"=?utf-8?q?x?=", b"=?bogus?b?!!?=", b"text", b"<a@b>", b"\xff\xfe", b"--b--\n",
    b"Content-Transfer-Encoding: base64\n", b"To: ,,<>,\"\" <@>\n", b"Date: Mon, 99 Foo\n",
]), max_size=40))
def test_parse_survives_structured_garbage(parts):
    raw = b"".join(parts)
    messages.parse(raw)
    messages.parse_headers(raw)


def test_html_quoted_history_is_marked_like_plain_text_quotes():
    html = (b"Message-ID: <q@x>\nContent-Type: text/html; charset=utf-8\n\n"
            b"<p>Friday at 3pm works.</p><div>On Mon, Priya wrote:<blockquote>Old time: "
            b"<p>Tuesday 2pm</p><blockquote>older</blockquote>still quoted</blockquote></div>"
            b"<p>Thanks</p>")
    text = messages.parse(html).text
    assert text.splitlines() == ["Friday at 3pm works.", "", "On Mon, Priya wrote:",
                                 "> Old time:", "> Tuesday 2pm", ">", "> > older",
                                 "> still quoted", "", "Thanks"]


@pytest.mark.parametrize(("domain", "want"), [
    ("acme.com", "acme"),
    ("careers.acme.co.uk", "acme"),
    ("southerncrossrec.com.au", "southerncrossrec"),
    ("ucd.ie", "ucd"),
    ("stadtwerke-kornfeld.de", "stadtwerke-kornfeld"),
    ("gmail.com", None),
    ("mail.yahoo.com", None),
])
def test_organisation_is_the_name_left_of_the_public_suffix(domain: str, want: str | None) -> None:
    assert messages.organisation(domain) == want
