"""Sending against a real SMTP server (aiosmtpd, STARTTLS + AUTH) on 127.0.0.1.

Covers the path from approval to the wire: exactly the approved bytes, the undo window,
holds when they wrote, expiry, retries and failures, the Sent copy, and crash injection
at every step (the sending process is killed with os._exit, so no cleanup code runs).
"""

from __future__ import annotations

import mailbox
import multiprocessing
import os
from datetime import timedelta

import pytest
from conftest import INVITE_ID, NOW, PRIYA

from mailflow import sending, service
from mailflow.errors import LoginFailed, UsageError
from mailflow.settings import load
from mailflow.store import Store

from factories import ME, mail, settings_text

M = timedelta(minutes=1)


def test_the_approved_text_leaves_exactly_once_with_its_threading(world):
    row = world.approve()
    assert row["send_after"] == (NOW + 60 * M).isoformat()  # the draft's own not_before
    assert world.send(NOW + 30 * M).sent == []  # not before its time
    report = world.send(NOW + 65 * M)
    assert report.sent == [row["id"]]
    (got,) = world.smtpd.messages
    assert got.rcpt_tos == (PRIYA,) and got.mail_from == ME
    msg = got.message
    assert msg["Message-ID"] == row["message_id"]
    assert msg["In-Reply-To"] == INVITE_ID and INVITE_ID in msg["References"]
    assert msg["From"] == f"Alex Candidate <{ME}>"
    assert msg["Subject"] == row["subject"]
    assert [p.get_content_type() for p in msg.walk()] == ["text/plain"]  # no HTML part
    assert b"<br" not in got.data and b"text/html" not in got.data
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == row["body"]
    assert world.draft()["state"] == "sent"
    store = Store.open(world.settings.state_dir)
    assert store.thread(row["thread_id"])["state"] == "confirmed"
    # Later runs send nothing more.
    assert world.send(NOW + 70 * M).sent == [] and len(world.smtpd.messages) == 1


def test_cancel_in_the_undo_window(world):
    row = world.approve(at=NOW + 59 * M)
    assert row["send_after"] == (NOW + 61 * M).isoformat()
    service.cancel(world.settings, row["id"], NOW + 60 * M)
    assert world.send(NOW + 62 * M).sent == []
    assert world.draft()["state"] == "pending" and world.smtpd.messages == []


def test_an_edit_withdraws_the_approval(world):
    row = world.approve()
    service.edit(world.settings, row["id"], row["subject"], row["body"] + "PS: see you!\n",
                 NOW + 5 * M)
    assert world.draft()["state"] == "pending"
    assert world.send(NOW + 65 * M).sent == [] and world.smtpd.messages == []


def test_a_reply_since_approval_holds_the_send(world):
    world.approve()
    world.box.add(mail("Re: Phone screen with Northwind", "Small change: can we make it 4pm?",
                       sender=f"Priya Shah <{PRIYA}>", date=NOW + 20 * M,
                       in_reply_to=INVITE_ID))
    report = world.send(NOW + 65 * M)
    assert report.sent == [] and world.smtpd.messages == []
    d = world.draft()
    assert d["state"] == "pending" and "they wrote" in d["notes"]


def test_stale_mail_is_never_sent(world):
    world.approve()
    report = world.send(NOW + 151 * M)  # 14:31 in New York: the call is at 15:00
    assert report.sent == [] and world.smtpd.messages == []
    assert world.draft()["state"] == "expired"


def test_approval_refused_for_an_outsider_unless_typed_in_full(world):
    d = world.draft()
    with pytest.raises(UsageError, match="took no part in this thread"):
        service.approve(world.settings, d["id"], NOW, to="boss@elsewhere.example")
    row = service.approve(world.settings, d["id"], NOW, to="boss@elsewhere.example",
                          typed_in_full=True)
    assert row["recipient"] == "boss@elsewhere.example"


def test_a_deferral_is_retried_with_backoff(world):
    world.approve()
    world.smtpd.fail_next(451, "4.3.0 try again later")
    report = world.send(NOW + 65 * M)
    assert report.retry == [world.draft()["id"]] and world.smtpd.messages == []
    d = world.draft()
    assert d["state"] == "approved" and "451" in d["last_error"]
    assert world.send(NOW + 66 * M).sent == []  # backoff: 5 minutes
    assert world.send(NOW + 71 * M).sent == [d["id"]]
    assert len(world.smtpd.messages) == 1


def test_a_refusal_fails_with_the_servers_words(world):
    world.approve()
    world.smtpd.fail_next(550, "5.1.1 no such user")
    report = world.send(NOW + 65 * M)
    assert report.failed == [world.draft()["id"]]
    assert "550 5.1.1 no such user" in world.draft()["last_error"]
    assert world.send(NOW + 80 * M).sent == []


def test_a_drop_after_data_is_never_resent_on_a_guess(world):
    world.approve()
    world.smtpd.drop_next()
    report = world.send(NOW + 65 * M)
    assert report.unknown == [world.draft()["id"]]
    assert world.draft()["state"] == "sending"
    delivered = len(world.smtpd.messages)
    report = world.send(NOW + 70 * M)  # not in Sent: unknown, and not resent
    assert report.unknown == [world.draft()["id"]] and world.draft()["state"] == "unknown"
    assert len(world.smtpd.messages) == delivered


def test_a_wrong_smtp_password_loses_nothing(world, monkeypatch):
    world.approve()
    monkeypatch.setenv("MAILFLOW_PASSWORD", "wrong")
    with pytest.raises(LoginFailed, match="refused the SMTP login"):
        world.send(NOW + 65 * M)
    assert world.draft()["state"] == "approved"
    monkeypatch.setenv("MAILFLOW_PASSWORD", world.smtpd.password)
    assert len(world.send(NOW + 66 * M).sent) == 1


def test_header_injection_from_incoming_mail_cannot_add_headers(tmp_path, smtpd, monkeypatch):
    smtpd.reset()
    monkeypatch.setenv("MAILFLOW_PASSWORD", smtpd.password)
    box = mailbox.Maildir(tmp_path / "Maildir", factory=None, create=True)
    evil = (b"Message-ID: <evil@x.example>\r\nFrom: =?utf-8?q?Eve=0D=0ABcc=3A_spy=40evil.example?="
            b" <eve@x.example>\r\nTo: " + ME.encode() + b"\r\nDate: Thu, 19 Nov 2026 15:00:00 "
            b"+0000\r\nSubject: =?utf-8?q?Phone_interview=0D=0ABcc=3A_spy2=40evil.example?=\r\n\r\n"
            b"Can we do a phone interview on Tuesday, November 24 at 3:00 PM ET?\r\n")
    box.add(evil)
    path = tmp_path / "s.ini"
    path.write_text(settings_text(f"source = maildir:{tmp_path / 'Maildir'}", tmp_path / "state",
                                  f"\n[smtp]\nhost = 127.0.0.1\nport = {smtpd.port}\n"
                                  f"username = {smtpd.username}\ncafile = {smtpd.cafile}\n"
                                  "save_sent = no\n"))
    settings = load(path.read_text(), path)
    service.send(settings, NOW)
    (d,) = service.list_drafts(settings)
    assert "\n" not in d["subject"] and "\r" not in d["subject"]
    detail = service.draft_detail(settings, d["id"])
    service.approve(settings, d["id"], NOW, seen_fingerprint=detail.fingerprint)
    service.send(settings, NOW + 65 * M)
    (got,) = smtpd.messages
    assert got.rcpt_tos == ("eve@x.example",)
    assert got.message["Bcc"] is None and b"\r\nBcc:" not in got.data


# ---- crash injection --------------------------------------------------------------------------

def _die(*_a, **_k):
    os._exit(137)


def _crash_child(settings, at, target, attr):
    import importlib

    module_name, _, cls = target.rpartition(".")
    module = importlib.import_module(module_name)
    owner = getattr(module, cls) if cls else module
    if attr == "__after__send":  # let SMTP finish, then die before the commit
        original = owner.send

        def send_then_die(self, *a, **k):
            original(self, *a, **k)
            os._exit(137)

        owner.send = send_then_die
    else:
        setattr(owner, attr, _die)
    service.send(settings, at)
    os._exit(0)


def _run_crashing(settings, at, target, attr):
    ctx = multiprocessing.get_context("fork")
    p = ctx.Process(target=_crash_child, args=(settings, at, target, attr))
    p.start()
    p.join(60)
    return p.exitcode


@pytest.mark.parametrize("step, target, attr, delivered, final", [
    # killed after "sending" was committed, before any SMTP: nothing left; the next run
    # cannot tell, so it marks the draft unknown for a new approval, never resends
    ("before SMTP", "mailflow.smtp.SmtpConnection", "send", 0, "unknown"),
    # killed after the server accepted DATA, before the commit: the provider filed a copy
    # in Sent, so the next run finds the Message-ID there and marks it sent
    ("after DATA", "mailflow.smtp.SmtpConnection", "__after__send", 1, "sent"),
    # killed after the commit, while saving the Sent copy: already sent, nothing to redo
    ("after commit", "mailflow.sending.SentFolder", "save_copy", 1, "sent"),
])
def test_a_crash_at_any_step_neither_loses_nor_duplicates(world, step, target, attr,
                                                          delivered, final):
    row = world.approve()
    if attr == "save_copy":
        world.settings = _with_save_sent(world.settings)
    assert _run_crashing(world.settings, NOW + 65 * M, target, attr) == 137
    assert len(world.smtpd.messages) == delivered
    if delivered:
        # The provider files SMTP sends in Sent itself (as Gmail does).
        world.box.get_folder("Sent").add(world.smtpd.messages[0].data)
    world.send(NOW + 70 * M)
    world.send(NOW + 75 * M)
    assert len(world.smtpd.messages) == delivered
    d = world.draft()
    assert d["state"] == final, step
    assert d["message_id"] == row["message_id"]


def _with_save_sent(settings):
    text = settings.path.read_text().replace("save_sent = no", "save_sent = yes")
    settings.path.write_text(text)
    return load(text, settings.path)


def test_save_sent_auto_knows_gmail(world):

    gmail = world.settings._replace(smtp=world.settings.smtp._replace(host="smtp.gmail.com",
                                                 save_sent="auto"))
    other = world.settings._replace(smtp=world.settings.smtp._replace(save_sent="auto"))
    assert sending._save_copy(gmail) is False and sending._save_copy(other) is True


def test_new_drafts_are_announced_once_by_command_and_digest(tmp_path, smtpd, monkeypatch):
    import sys

    smtpd.reset()
    monkeypatch.setenv("MAILFLOW_PASSWORD", smtpd.password)
    box = mailbox.Maildir(tmp_path / "Maildir", factory=None, create=True)
    box.add(mail("Phone screen", "Can we do a phone interview on Tuesday, November 24 at 3:00 "
                 "PM ET?", sender=f"Priya Shah <{PRIYA}>", date=NOW - timedelta(days=5),
                 message_id=INVITE_ID))
    recorder = tmp_path / "notify.py"
    recorder.write_text("import sys, json\nopen(sys.argv[1], 'a').write(json.dumps(sys.argv[2:]) "
                        "+ '\\n')\n")
    calls = tmp_path / "calls.jsonl"
    path = tmp_path / "s.ini"
    path.write_text(settings_text(
        f"source = maildir:{tmp_path / 'Maildir'}", tmp_path / "state",
        f"\n[smtp]\nhost = 127.0.0.1\nport = {smtpd.port}\nusername = {smtpd.username}\n"
        f"cafile = {smtpd.cafile}\nsave_sent = no\n[notify]\n"
        f"notify_command = {sys.executable} {recorder} {calls}\ndigest = yes\n"))
    settings = load(path.read_text(), path)
    service.run_once(settings, NOW)
    (argv,) = [line for line in calls.read_text().splitlines()]
    assert "1 draft(s) wait for your review" in argv
    (digest,) = smtpd.messages
    assert digest.rcpt_tos == (ME,) and digest.mail_from == ME
    assert digest.message["Auto-Submitted"] == "auto-generated"
    service.run_once(settings, NOW + M)  # nothing new: no second announcement
    assert len(calls.read_text().splitlines()) == 1 and len(smtpd.messages) == 1
