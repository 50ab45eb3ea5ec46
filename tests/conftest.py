"""Shared fixtures: a real Dovecot for the whole session, a fresh mailbox per test."""

from __future__ import annotations

import mailbox
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailflow import service  # noqa: E402
from mailflow.settings import load  # noqa: E402

from factories import mail, settings_text  # noqa: E402
from servers.dovecot import Account, Dovecot, dovecot_available  # noqa: E402
from servers.smtpd import SMTPServer  # noqa: E402


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if not dovecot_available():
        pytest.skip("Dovecot is not installed: run the README's test command (bash .ci/test)")
    with Dovecot() as server:
        yield server


@pytest.fixture
def imap_user(dovecot: Dovecot) -> Account:
    """A fresh, empty mailbox on the shared server."""
    return dovecot.add_user()


@pytest.fixture(autouse=True)
def _no_real_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests never read the developer's keyring or config; each passes what it needs.
    monkeypatch.delenv("MAILFLOW_PASSWORD", raising=False)
    monkeypatch.delenv("MAILFLOW_CONFIG", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


# ---- a small world for the send path: one thread, a confirmation draft, a real SMTP server ----

INVITED = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # Tue 12:00 New York; the call is at 15:00
PRIYA = "priya.shah@northwind.example"
INVITE_ID = "<invite@northwind.example>"


@pytest.fixture(scope="session")
def smtpd():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def world(tmp_path, smtpd, monkeypatch):
    smtpd.reset()
    monkeypatch.setenv("MAILFLOW_PASSWORD", smtpd.password)
    box = mailbox.Maildir(tmp_path / "Maildir", factory=None, create=True)
    box.add_folder("Sent")
    box.add(mail("Phone screen with Northwind",
                 "Hi Alex,\n\nCan we do a phone interview on Tuesday, November 24 at 3:00 PM "
                 "ET? I'll call you at +1 212-555-0142.\n\nPriya",
                 sender="Priya Shah <priya.shah@northwind.example>", date=INVITED,
                 message_id=INVITE_ID))
    smtp = (f"\n[smtp]\nhost = 127.0.0.1\nport = {smtpd.port}\nsecurity = starttls\n"
            f"username = {smtpd.username}\ncafile = {smtpd.cafile}\nsave_sent = no\n")
    path = tmp_path / "settings.ini"
    path.write_text(settings_text(f"source = maildir:{tmp_path / 'Maildir'}", tmp_path / "state",
                                  smtp))
    settings = load(path.read_text(), path)
    service.send(settings, NOW)  # poll + plan: the confirmation draft appears
    return World(settings, box, smtpd)


class World:
    def __init__(self, settings, box, smtpd):
        self.settings, self.box, self.smtpd = settings, box, smtpd

    def draft(self, kind="confirmation"):
        rows = [r for r in service.list_drafts(self.settings, include_done=True)
                if r["kind"] == kind]
        assert len(rows) == 1, [dict(r) for r in rows]
        return rows[0]

    def approve(self, at=NOW, **kw):
        d = self.draft()
        detail = service.draft_detail(self.settings, d["id"])
        return service.approve(self.settings, d["id"], at, seen_fingerprint=detail.fingerprint,
                               **kw)

    def send(self, at):
        return service.send(self.settings, at)


