"""`mailflow watch` as a real process: IDLE against Dovecot, reconnects, timed wake-ups."""

from __future__ import annotations

import mailbox
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from conftest import INVITE_ID, INVITED, NOW, PRIYA

from mailflow.store import Store

from factories import mail, settings_text


def start_watch(config, *args, env=None):
    cmd = [sys.executable, "-m", "mailflow", "-v", "--config", str(config), *args, "watch",
           "--interval", "60"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env or os.environ.copy())


def wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def threads(state_dir):
    if not (state_dir / "mailflow.sqlite3").exists():
        return []
    store = Store.open(state_dir)
    try:
        return [dict(r) for r in store.threads()]
    finally:
        store.close()


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=15)
    return proc.returncode, out, err


def imap_config(imap_user, tmp_path):
    lines = (f"host = 127.0.0.1\nport = {imap_user.port}\nsecurity = starttls\n"
             f"username = {imap_user.username}\ncafile = {imap_user.cafile}")
    path = tmp_path / "s.ini"
    path.write_text(settings_text(lines, tmp_path / "state"))
    return path


def test_mail_appended_while_idling_is_picked_up_within_seconds(imap_user, tmp_path):
    config = imap_config(imap_user, tmp_path)
    env = dict(os.environ, MAILFLOW_PASSWORD=imap_user.password)
    proc = start_watch(config, env=env)
    try:
        wait_for(lambda: (tmp_path / "state" / "mailflow.log").exists()
                 and "next cycle" in (tmp_path / "state" / "mailflow.log").read_text())
        time.sleep(0.5)  # let it enter IDLE
        appended = time.monotonic()
        imap_user.append("INBOX", mail("Phone screen", "Can we do a phone interview on "
                                       "Tuesday, November 24 at 3:00 PM ET?",
                                       sender=f"Priya <{PRIYA}>", date=INVITED,
                                       message_id=INVITE_ID))
        # IDLE wakes the watcher at once; the 60 s interval would take a minute. The slack
        # is for a loaded CI machine (a poll there has taken over 10 s).
        wait_for(lambda: threads(tmp_path / "state"), timeout=40)
        assert time.monotonic() - appended < 40
    finally:
        code, _out, err = stop(proc)
    assert code == 0, err
    assert "stopped by SIGTERM" in (tmp_path / "state" / "mailflow.log").read_text()


def test_a_server_restart_ends_in_a_reconnect_and_nothing_lost(imap_user, tmp_path, dovecot):
    config = imap_config(imap_user, tmp_path)
    env = dict(os.environ, MAILFLOW_PASSWORD=imap_user.password)
    proc = start_watch(config, env=env)
    log = tmp_path / "state" / "mailflow.log"
    try:
        wait_for(lambda: log.exists() and "next cycle" in log.read_text())
        dovecot.kill()
        time.sleep(1.0)
        dovecot.start()
        imap_user.append("INBOX", mail("Phone screen", "Can we do a phone interview on "
                                       "Tuesday, November 24 at 3:00 PM ET?",
                                       sender=f"Priya <{PRIYA}>", date=INVITED,
                                       message_id=INVITE_ID))
        # Upper bounds for a loaded CI machine; the reconnect backs off for a few seconds.
        wait_for(lambda: threads(tmp_path / "state"), timeout=60)
        wait_for(lambda: "reconnected" in log.read_text(), timeout=60)
    finally:
        if not dovecot.running:
            dovecot.start()
        code, _out, err = stop(proc)
    assert code == 0, err
    assert "connection lost" in log.read_text()
    store = Store.open(tmp_path / "state")
    assert store.conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 1


def test_a_timed_action_fires_with_no_mail_arriving(tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", factory=None, create=True)
    box.add(mail("Phone screen", "Can we do a phone interview on Tuesday, November 24 at "
                 "3:00 PM ET?", sender=f"Priya <{PRIYA}>", date=INVITED, message_id=INVITE_ID))
    config = tmp_path / "s.ini"
    config.write_text(settings_text(f"source = maildir:{tmp_path / 'Maildir'}",
                                    tmp_path / "state"))
    # 15:14:56 in New York: the grace period after the 15:00 call ends in four seconds.
    start = NOW + timedelta(hours=3, minutes=14, seconds=56)
    proc = start_watch(config, "--now", start.isoformat())
    try:
        def missed_call_drafted():
            if not (tmp_path / "state" / "mailflow.sqlite3").exists():
                return False
            store = Store.open(tmp_path / "state")
            try:
                return [d["kind"] for d in store.drafts()] == ["missed_call"]
            finally:
                store.close()

        began = time.monotonic()
        wait_for(missed_call_drafted, timeout=50)
        # Woken by the timer (due 4 s in), not the 60 s poll interval; the slack is for a
        # loaded CI machine starting the subprocess.
        assert time.monotonic() - began < 45
    finally:
        code, _out, err = stop(proc)
    assert code == 0, err
