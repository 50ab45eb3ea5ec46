"""The IMAP adapter against the real Dovecot: read-only, UIDVALIDITY, dropped connections,
TLS and logins."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from mailflow import service
from mailflow.errors import ConnectionFailed, LoginFailed, TLSFailure
from mailflow.imap import ImapSource
from mailflow.poller import poll_account
from mailflow.settings import load
from mailflow.store import Store

from factories import ME, mail, settings_text
from test_poller import DAY, INVITE, NOW, ImapBox, make_settings, rows


@pytest.fixture
def imap(imap_user, monkeypatch):
    return ImapBox(imap_user, monkeypatch)


def test_polling_changes_no_flag_of_any_message(imap, tmp_path):
    imap.deliver(mail(**INVITE, date=NOW - DAY))
    imap.user.append("INBOX", mail("Re: interview", "Ok", date=NOW, in_reply_to=INVITE["message_id"]),
                     flags=[b"\\Flagged"])
    imap.deliver(mail("Your interview", "Sent", sender=f"Alex <{ME}>",
                      to="priya.shah@northwind.example", date=NOW,
                      in_reply_to=INVITE["message_id"]), folder="Sent")
    before = {f: imap.user.flags(f) for f in ("INBOX", "Sent")}
    settings = make_settings(imap, tmp_path)
    service.poll(settings, NOW)
    assert rows(settings), "the poll read the thread"
    after = {f: imap.user.flags(f) for f in ("INBOX", "Sent")}
    assert after == before
    assert all(b"\\Seen" not in flags for flags in after["INBOX"].values())


def test_a_changed_uidvalidity_rescans_without_duplicates(imap, tmp_path):
    imap.deliver(mail(**INVITE, date=NOW - DAY), folder="Jobs")
    settings = make_settings(imap, tmp_path, "folders = INBOX, Jobs")
    service.poll(settings, NOW)
    with imap.user.client() as c:
        c.delete_folder("Jobs")
        c.create_folder("Jobs")
    imap.deliver(mail(**INVITE, date=NOW - DAY), folder="Jobs")
    imap.deliver(mail("Re: Phone screen with Northwind", "We will decide about the role by "
                      "Friday.", date=NOW, in_reply_to=INVITE["message_id"]), folder="Jobs")
    report = service.poll(settings, NOW + timedelta(minutes=5))[0]
    assert report.tracked == 1
    store = Store.open(settings.state_dir)
    assert store.conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 2


def test_a_dropped_connection_loses_nothing_and_the_next_run_resumes(imap, tmp_path, dovecot):
    for i in range(7):
        imap.deliver(mail(f"Interview round {i}", f"Can we talk about the role? {i}",
                          date=NOW - DAY, message_id=f"<r{i}@northwind.example>",
                          sender=f"R{i} <r{i}@company{i}.example>"))
    settings = make_settings(imap, tmp_path, "batch_size = 2")
    calls = {"n": 0}

    class DyingServer(ImapSource):
        def headers(self, uids):
            calls["n"] += 1
            if calls["n"] == 3:
                dovecot.kill()  # the server dies in the middle of the scan
            return super().headers(uids)

    store = Store.open(settings.state_dir)
    try:
        with pytest.raises(ConnectionFailed, match="connection to 127.0.0.1"):
            poll_account(store, settings, settings.account, NOW,
                         source_factory=lambda a: DyingServer(a))
    finally:
        dovecot.start()
    partial = store.conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    assert partial == 4  # two committed batches of two
    report = poll_account(store, settings, settings.account, NOW)
    assert report.tracked == 3
    total = store.conn.execute("SELECT COUNT(DISTINCT message_id), COUNT(*) FROM messages").fetchone()
    assert tuple(total) == (7, 7)


def test_wrong_password_is_a_login_error(imap, tmp_path, monkeypatch):
    monkeypatch.setenv("MAILFLOW_PASSWORD", "wrong")
    settings = make_settings(imap, tmp_path)
    with pytest.raises(LoginFailed, match="refused the login"):
        service.poll(settings, NOW)
    lines, accounts = service.status(settings, NOW)
    assert "refused the login" in accounts[0]["last_error"]


def test_unverifiable_certificate_is_refused(imap, tmp_path):
    lines = imap.account_lines().replace(f"cafile = {imap.user.cafile}\n", "")
    settings = load(settings_text(lines, tmp_path / "state"), tmp_path / "s.ini")
    with pytest.raises(TLSFailure, match="could not be verified"):
        service.poll(settings, NOW)


def test_implicit_tls_works(imap, tmp_path):
    imap.deliver(mail(**INVITE, date=NOW - DAY))
    lines = imap.account_lines().replace(f"port = {imap.user.port}", f"port = {imap.user.ssl_port}")
    lines = lines.replace("security = starttls", "security = ssl")
    settings = load(settings_text(lines, tmp_path / "state"), tmp_path / "s.ini")
    assert service.poll(settings, NOW)[0].tracked == 1


def test_unreachable_server(tmp_path, monkeypatch):
    from servers.dovecot import free_port

    monkeypatch.setenv("MAILFLOW_PASSWORD", "x")
    lines = f"host = 127.0.0.1\nport = {free_port()}\nsecurity = starttls\nusername = u"
    settings = load(settings_text(lines, tmp_path / "state"), tmp_path / "s.ini")
    with pytest.raises(ConnectionFailed, match="refused the connection"):
        service.poll(settings, NOW)


def test_sent_folder_is_found_by_special_use_or_setting(imap):
    settings_acc = load(settings_text(imap.account_lines(), Path("/tmp/x")), Path("/tmp/s.ini")).account
    with ImapSource(settings_acc, password=imap.user.password) as src:
        assert src.sent_folder() == "Sent"
        assert src.drafts_folder() == "Drafts"
    override = load(settings_text(imap.account_lines() + "\nsent_folder = Outbox-copy",
                                  Path("/tmp/x")), Path("/tmp/s.ini")).account
    with ImapSource(override, password=imap.user.password) as src:
        assert src.sent_folder() == "Outbox-copy"


def test_status_json_shows_the_thread(imap, tmp_path):
    imap.deliver(mail(**INVITE, date=NOW - DAY))
    settings = make_settings(imap, tmp_path)
    service.poll(settings, NOW)
    lines, accounts = service.status(settings, NOW)
    data = [line.to_json() for line in lines]
    assert json.loads(json.dumps(data))[0]["counterpart"] == "Priya Shah"
    assert accounts[0]["last_success_at"] == NOW.isoformat()




def test_a_long_scan_classifies_in_a_worker_with_the_same_result(imap, tmp_path, monkeypatch):
    from mailflow import poller

    for i in range(6):
        imap.deliver(mail(f"Interview round {i}", f"Can we talk about the role? {i}",
                          date=NOW - DAY, message_id=f"<r{i}@northwind.example>",
                          sender=f"R{i} <r{i}@company{i}.example>"))
    imap.deliver(mail("Re: Interview round 0", "Thanks, we will decide by Friday.",
                      date=NOW, in_reply_to="<r0@northwind.example>",
                      sender="R0 <r0@company0.example>"))
    imap.deliver(mail("Garden news", "Tomatoes", sender="news@garden.example", date=NOW))
    monkeypatch.setattr(poller, "PARALLEL_FROM", 1)
    settings = make_settings(imap, tmp_path, "batch_size = 3")
    report = service.poll(settings, NOW)[0]
    assert report.tracked == 7 and report.new_threads == 6
    store = Store.open(settings.state_dir)
    counts = sorted(len(store.messages(t["id"])) for t in store.threads())
    assert counts == [1, 1, 1, 1, 1, 2]
