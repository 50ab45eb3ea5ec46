"""The poller against both sources: a real Dovecot over IMAP, and a Maildir on disk.

The contract tests run once per source; the IMAP-only tests cover what only a server has
(flags, UIDVALIDITY, dropped connections, TLS, logins).
"""

from __future__ import annotations

import mailbox
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mailflow import service
from mailflow.settings import load
from mailflow.store import Store

from factories import ME, mail, settings_text

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
DAY = timedelta(days=1)

INVITE = dict(
    subject="Phone screen with Northwind",
    body="Hi Alex,\n\nWould you be available for a phone interview on Tuesday, "
         "November 24 at 3:00 PM ET? I will call you at +1 212-555-0142.\n\nPriya",
    message_id="<invite@northwind.example>",
)
NEWSLETTER = dict(subject="This week in gardening", body="Tomatoes!",
                  sender="Garden News <news@garden.example>",
                  headers={"List-Unsubscribe": "<mailto:u@garden.example>",
                           "Precedence": "bulk"})


class MaildirBox:
    name = "maildir"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.box = mailbox.Maildir(root, factory=None, create=True)
        self.box.add_folder("Sent")

    def deliver(self, raw: bytes, folder: str = "INBOX", when: datetime | None = None) -> None:
        target = self.box if folder == "INBOX" else self.box.get_folder(folder)
        target.add(raw)

    def account_lines(self) -> str:
        return f"source = maildir:{self.root}"


class ImapBox:
    name = "imap"

    def __init__(self, user, monkeypatch) -> None:
        self.user = user
        monkeypatch.setenv("MAILFLOW_PASSWORD", user.password)

    def deliver(self, raw: bytes, folder: str = "INBOX", when: datetime | None = None) -> None:
        self.user.append(folder, raw, msg_time=when)

    def account_lines(self) -> str:
        u = self.user
        return (f"host = 127.0.0.1\nport = {u.port}\nsecurity = starttls\n"
                f"username = {u.username}\ncafile = {u.cafile}\ntimeout = 10s")


@pytest.fixture(params=["maildir", "imap"])
def box(request, tmp_path, monkeypatch):
    if request.param == "maildir":
        return MaildirBox(tmp_path / "Maildir")
    user = request.getfixturevalue("imap_user")
    return ImapBox(user, monkeypatch)


def make_settings(box, tmp_path, extra_account: str = "", extra: str = ""):
    lines = box.account_lines() + ("\n" + extra_account if extra_account else "")
    return load(settings_text(lines, tmp_path / "state", extra), tmp_path / "settings.ini")


def rows(settings):
    store = Store.open(settings.state_dir)
    try:
        return [dict(r) for r in store.threads()]
    finally:
        store.close()


# ---- the contract: both sources ---------------------------------------------------------------

def test_first_poll_tracks_the_interview_and_ignores_the_rest(box, tmp_path):
    box.deliver(mail(**INVITE, date=NOW - 5 * DAY), when=NOW - 5 * DAY)
    box.deliver(mail(**NEWSLETTER, date=NOW - 4 * DAY), when=NOW - 4 * DAY)
    settings = make_settings(box, tmp_path)
    reports = service.poll(settings, NOW)
    assert reports[0].new_threads == 1
    threads = rows(settings)
    assert len(threads) == 1
    t = threads[0]
    assert t["counterpart_email"] == "priya.shah@northwind.example"
    assert t["company"] == "Northwind"
    assert t["state"] in ("scheduled", "replied")
    assert t["history"] == 0


def test_polls_are_incremental_and_replies_join_their_thread(box, tmp_path):
    box.deliver(mail(**INVITE, date=NOW - 5 * DAY), when=NOW - 5 * DAY)
    settings = make_settings(box, tmp_path)
    service.poll(settings, NOW)
    again = service.poll(settings, NOW + timedelta(minutes=5))
    assert again[0].tracked == 0 and sum(again[0].folders.values()) == 0
    box.deliver(mail("Re: Phone screen with Northwind", "Thanks, we will get back to you "
                     "about the position by Friday.", date=NOW - DAY,
                     in_reply_to=INVITE["message_id"]), when=NOW - DAY)
    third = service.poll(settings, NOW + timedelta(minutes=10))
    assert third[0].tracked == 1 and third[0].new_threads == 0
    assert len(rows(settings)) == 1
    store = Store.open(settings.state_dir)
    assert len(store.messages(rows(settings)[0]["id"])) == 2


def test_a_reply_written_by_hand_in_sent_moves_the_thread(box, tmp_path):
    first = mail("Software engineer role at Contoso", "Hi Alex, are you interested in the "
                 "position? Let me know your availability.",
                 sender="Mark Lee <mark.lee@contoso.example>", date=NOW - 3 * DAY,
                 message_id="<q@contoso.example>")
    box.deliver(first, when=NOW - 3 * DAY)
    mine = mail("Re: Software engineer role at Contoso", "Yes, very interested.",
                sender=f"Alex Candidate <{ME}>", to="Mark Lee <mark.lee@contoso.example>",
                date=NOW - 2 * DAY, in_reply_to="<q@contoso.example>")
    box.deliver(mine, folder="Sent", when=NOW - 2 * DAY)
    settings = make_settings(box, tmp_path)
    service.poll(settings, NOW)
    (t,) = rows(settings)
    assert t["state"] == "replied"
    assert t["last_out"] is not None
    store = Store.open(settings.state_dir)
    directions = sorted(m["direction"] for m in store.messages(t["id"]))
    assert directions == ["in", "out"]


def test_first_run_looks_back_only_lookback_days(box, tmp_path):
    old = dict(INVITE, message_id="<old@northwind.example>", subject="Interview next week")
    box.deliver(mail(**old, date=NOW - 60 * DAY), when=NOW - 60 * DAY)
    box.deliver(mail(**INVITE, date=NOW - 5 * DAY), when=NOW - 5 * DAY)
    settings = make_settings(box, tmp_path, "lookback_days = 30")
    report = service.poll(settings, NOW)[0]
    assert report.tracked == 1


def test_old_threads_are_history_on_the_first_run(box, tmp_path):
    old = dict(INVITE, message_id="<old@northwind.example>",
               body="Hi Alex,\n\nWould you be available for a phone interview on Monday, "
                    "September 21 at 3:00 PM ET?\n\nPriya")
    box.deliver(mail(**old, date=NOW - 60 * DAY), when=NOW - 60 * DAY)
    settings = make_settings(box, tmp_path, "lookback_days = all")
    service.poll(settings, NOW)
    (t,) = rows(settings)
    assert t["history"] == 1
    lines, _ = service.status(settings, NOW)
    assert lines[0].next_step.startswith("none (imported as history)")


def test_a_malformed_message_never_stops_the_poll(box, tmp_path):
    broken = (b"Message-ID: <broken@x.example>\nFrom: recruiter@broken.example\n"
              b"Subject: Interview =?bogus?q?=ZZ?=\nContent-Type: multipart/mixed\n"
              b"Date: Sat, 21 Nov 2026 10:00:00 +0000\n\n--nope\nContent-Type: text/plain; "
              b"charset=x-unknown\n\nWe would like to interview you for the position.\xff\n")
    box.deliver(broken, when=NOW - 3 * DAY)
    box.deliver(mail(**INVITE, date=NOW - 2 * DAY), when=NOW - 2 * DAY)
    settings = make_settings(box, tmp_path)
    report = service.poll(settings, NOW)[0]
    assert report.tracked >= 1
    store = Store.open(settings.state_dir)
    assert store.has_message("default", INVITE["message_id"])


def test_a_message_that_takes_too_long_to_read_is_set_aside(box, tmp_path, monkeypatch):
    # A budget no reading can meet stands in for a crafted mail that makes a regex
    # backtrack: the timer must interrupt the classifier, and the poll must go on.
    from mailflow import poller

    monkeypatch.setattr(poller, "UNDERSTAND_BUDGET", 1e-6)
    box.deliver(mail(**INVITE, date=NOW - 2 * DAY), when=NOW - 2 * DAY)
    box.deliver(mail("Re: Phone screen", "Thanks, talk soon!", date=NOW - DAY,
                     message_id="<second@northwind.example>"), when=NOW - DAY)
    settings = make_settings(box, tmp_path)
    report = service.poll(settings, NOW)[0]
    assert report.problems == 2 and report.new_threads == 0
    store = Store.open(settings.state_dir)
    try:
        assert {p["message_id"] for p in store.problems()} == {
            INVITE["message_id"], "<second@northwind.example>"}
        assert all("took over" in p["what"] for p in store.problems())
    finally:
        store.close()
    monkeypatch.setattr(poller, "UNDERSTAND_BUDGET", 5.0)
    box.deliver(mail("Interview", "Can we do a call on Friday, November 27 at 10am ET?",
                     date=NOW, message_id="<third@northwind.example>"), when=NOW)
    assert service.poll(settings, NOW + DAY)[0].new_threads == 1  # the next run reads again


def test_a_message_over_the_size_cap_is_kept_by_its_headers(box, tmp_path):
    big = mail("Interview schedule attached", "x" * 50_000, date=NOW - DAY,
               message_id="<big@northwind.example>")
    box.deliver(big, when=NOW - DAY)
    settings = make_settings(box, tmp_path, "max_body_bytes = 10kB")
    service.poll(settings, NOW)
    store = Store.open(settings.state_dir)
    problems = store.problems()
    assert any("too large" in p["what"] for p in problems) or not store.has_message(
        "default", "<big@northwind.example>")
    if store.has_message("default", "<big@northwind.example>"):
        row = store.conn.execute("SELECT body_skipped FROM messages WHERE message_id=?",
                                 ("<big@northwind.example>",)).fetchone()
        assert row[0] == 1


@pytest.fixture(autouse=True)
def _cleanup_state(tmp_path):
    yield
    shutil.rmtree(tmp_path / "state", ignore_errors=True)


def test_several_accounts_each_keep_their_own_cursor(tmp_path):
    personal = MaildirBox(tmp_path / "personal")
    work = MaildirBox(tmp_path / "work")
    personal.deliver(mail(**INVITE, date=NOW - DAY))
    work.deliver(mail("Phone interview at Contoso", "Can we do a phone interview on Monday, "
                      "November 30 at 11:00 AM ET?", sender="Mark Lee <mark@contoso.example>",
                      date=NOW - DAY, message_id="<m@contoso.example>"))
    text = settings_text(personal.account_lines(), tmp_path / "state",
                         f"\n[account work]\n{work.account_lines()}\n")
    settings = load(text, tmp_path / "settings.ini")
    reports = service.poll(settings, NOW)
    assert [(r.account, r.new_threads) for r in reports] == [("default", 1), ("work", 1)]
    store = Store.open(settings.state_dir)
    assert sorted(t["account"] for t in store.threads()) == ["default", "work"]
    assert {(r["name"], bool(r["last_success_at"])) for r in store.accounts()} == {
        ("default", True), ("work", True)}
    work.deliver(mail("Re: Phone interview at Contoso", "See you then.",
                      sender="Mark Lee <mark@contoso.example>", date=NOW,
                      in_reply_to="<m@contoso.example>"))
    again = service.poll(settings, NOW + DAY)
    assert [(r.account, r.tracked) for r in again] == [("default", 0), ("work", 1)]
