from datetime import UTC, datetime

from mailflow import messages
from mailflow.classify import Kind, understand, worth_fetching

from factories import ME, mail

T = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def test_own_mail_is_never_a_recruiter_message():
    m = messages.parse(mail("Re: Interview", "Tuesday at 3pm works for the interview.",
                            sender=f"Alex <{ME}>", to="p@northwind.example", date=T))
    assert understand(m, me=[ME], tz="America/New_York").kind is Kind.OTHER


def test_auto_reply_is_not_a_reply():
    m = messages.parse(mail("Automatic reply: Interview", "I am out of the office until "
                            "Monday, November 30.", date=T,
                            headers={"Auto-Submitted": "auto-replied"}))
    u = understand(m, me=[ME], tz="America/New_York")
    assert u.auto_reply and u.kind is not Kind.REPLY


def test_rejection():
    m = messages.parse(mail("Your application", "Unfortunately, we have decided to move forward "
                            "with other candidates for the position.", date=T))
    assert understand(m, me=[ME], tz="America/New_York").kind is Kind.REJECTION


def test_screen_is_generous_for_known_threads_and_calendar_mail():
    h = messages.parse_headers(mail("lunch?", "x", date=T))
    assert worth_fetching(h, known_thread=True)
    cal = messages.parse_headers(b"Subject: x\nContent-Type: text/calendar; method=REQUEST\n\n")
    assert worth_fetching(cal, known_thread=False)
    assert worth_fetching(messages.parse_headers(mail("Phone screen next week", "x", date=T)),
                          known_thread=False)
