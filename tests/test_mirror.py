"""Pending drafts mirrored into the real Dovecot's Drafts folder, only when asked."""

from __future__ import annotations

import email
from datetime import timedelta

from conftest import INVITE_ID, INVITED, NOW, PRIYA

from mailflow import service
from mailflow.settings import load

from factories import mail, settings_text

M = timedelta(minutes=1)


def setup(imap_user, tmp_path, monkeypatch, mirror="yes"):
    monkeypatch.setenv("MAILFLOW_PASSWORD", imap_user.password)
    imap_user.append("INBOX", mail("Phone screen", "Can we do a phone interview on Tuesday, "
                                   "November 24 at 3:00 PM ET?", sender=f"Priya <{PRIYA}>",
                                   date=INVITED, message_id=INVITE_ID))
    lines = (f"host = 127.0.0.1\nport = {imap_user.port}\nsecurity = starttls\n"
             f"username = {imap_user.username}\ncafile = {imap_user.cafile}\n"
             f"mirror_drafts = {mirror}")
    path = tmp_path / "s.ini"
    path.write_text(settings_text(lines, tmp_path / "state"))
    return load(path.read_text(), path)


def drafts_in(imap_user):
    with imap_user.client() as c:
        c.select_folder("Drafts", readonly=True)
        uids = c.search("ALL")
        data = c.fetch(uids, ["FLAGS", "BODY.PEEK[]"]) if uids else {}
    return {uid: (set(d[b"FLAGS"]), email.message_from_bytes(d[b"BODY[]"]))
            for uid, d in data.items()}


def test_pending_drafts_are_mirrored_replaced_and_removed(imap_user, tmp_path, monkeypatch):
    settings = setup(imap_user, tmp_path, monkeypatch)
    service.poll(settings, NOW)
    service.plan(settings, NOW)
    (copy,) = drafts_in(imap_user).values()
    flags, msg = copy
    assert b"\\Draft" in flags and b"\\Seen" in flags
    assert msg["To"] is None  # the recipient is bound at approval, never before
    assert msg["In-Reply-To"] == INVITE_ID
    (d,) = service.list_drafts(settings)
    assert msg["X-Mailflow-Draft"] == str(d["id"])
    service.plan(settings, NOW + M)  # nothing changed: nothing rewritten
    assert len(drafts_in(imap_user)) == 1
    service.edit(settings, d["id"], d["subject"], d["body"] + "PS: talk soon.\n", NOW + 2 * M)
    (copy,) = drafts_in(imap_user).values()
    assert "PS: talk soon." in copy[1].get_payload(decode=True).decode()
    service.discard(settings, d["id"], NOW + 3 * M)
    assert drafts_in(imap_user) == {}
    # The user's own drafts are never touched.
    imap_user.append("Drafts", mail("My own draft", "x", date=NOW), flags=[b"\\Draft"])
    service.plan(settings, NOW + 4 * M)
    assert [m["Subject"] for _f, m in drafts_in(imap_user).values()] == ["My own draft"]


def test_no_mirror_unless_asked(imap_user, tmp_path, monkeypatch):
    settings = setup(imap_user, tmp_path, monkeypatch, mirror="no")
    service.poll(settings, NOW)
    service.plan(settings, NOW)
    assert len(service.list_drafts(settings)) == 1
    assert drafts_in(imap_user) == {}
