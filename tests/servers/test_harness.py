"""Tests of the real-server harness itself.

mailflow's integration tests trust these servers to behave like production
ones; if a helper silently did nothing (say, write_maildir files Dovecot never
sees), those tests would pass for the wrong reason. So each helper is checked
against an independent observation over the protocol.
"""

from __future__ import annotations

import contextlib
import email.policy
import smtplib
import ssl
import time
from collections.abc import Iterator
from email.message import EmailMessage

import imapclient
import pytest
from imapclient.exceptions import LoginError
from imapclient.imapclient import DRAFTS, SEEN, SENT

from .dovecot import Account, Dovecot, dovecot_available
from .smtpd import SMTPServer
from .tls import client_context

needs_dovecot = pytest.mark.skipif(
    not dovecot_available(), reason="dovecot not installed (apt-get install dovecot-imapd)"
)


def _raw(subject: str, body: str = "Hello.\r\n") -> bytes:
    return (
        f"From: Ada <ada@example.test>\r\n"
        f"To: Bob <bob@example.test>\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: <{abs(hash(subject))}@example.test>\r\n"
        f"\r\n{body}"
    ).encode()


def _subjects(client: imapclient.IMAPClient, uids: list[int]) -> dict[int, str]:
    key = b"BODY[HEADER.FIELDS (SUBJECT)]"
    fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
    return {
        uid: data[key].decode().strip().removeprefix("Subject: ") for uid, data in fetched.items()
    }


# -- Dovecot -----------------------------------------------------------------


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    if not dovecot_available():
        pytest.skip("dovecot not installed (apt-get install dovecot-imapd)")
    with Dovecot() as server:
        yield server


@pytest.fixture
def account(dovecot: Dovecot) -> Account:
    return dovecot.add_user()


@pytest.fixture
def own_dovecot() -> Iterator[Dovecot]:
    """A private server for tests that stop or kill it."""
    if not dovecot_available():
        pytest.skip("dovecot not installed (apt-get install dovecot-imapd)")
    with Dovecot() as server:
        yield server


@needs_dovecot
@pytest.mark.parametrize(
    "transport", [{}, {"starttls": True}, {"ssl": True}], ids=["plain", "starttls", "imaps"]
)
def test_append_then_read_back(dovecot: Dovecot, transport: dict[str, bool]) -> None:
    alice, bob = dovecot.add_user(), dovecot.add_user()
    inbox_uid = alice.append("INBOX", _raw("to inbox"))
    sent_uid = alice.append("Sent", _raw("to sent"), flags=[SEEN])

    with alice.client(**transport) as client:
        client.select_folder("INBOX", readonly=True)
        assert _subjects(client, client.search("ALL")) == {inbox_uid: "to inbox"}
        client.select_folder("Sent", readonly=True)
        assert _subjects(client, client.search("ALL")) == {sent_uid: "to sent"}
        assert SEEN in client.get_flags([sent_uid])[sent_uid]
        if transport:
            # Really encrypted, not silently downgraded to plain text.
            assert "TLS" in client.socket().version()

    # A second user on the same server shares nothing.
    with bob.client() as client:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
        assert client.select_folder("Sent")[b"EXISTS"] == 0


@needs_dovecot
@pytest.mark.parametrize("mode", ["starttls", "imaps"])
def test_tls_certificate_is_verified(account: Account, mode: str) -> None:
    # A context that does not trust the test CA must refuse the server, proving
    # the harness's clients verify rather than merely encrypt.
    untrusting = ssl.create_default_context()
    if mode == "imaps":
        with pytest.raises(ssl.SSLCertVerificationError):
            imapclient.IMAPClient(
                account.host, port=account.ssl_port, ssl=True, ssl_context=untrusting, timeout=5
            )
    else:
        client = imapclient.IMAPClient(account.host, port=account.port, ssl=False, timeout=5)
        try:
            with pytest.raises(ssl.SSLCertVerificationError):
                client.starttls(untrusting)
        finally:
            # The failed handshake already closed the socket.
            with contextlib.suppress(OSError):
                client.shutdown()


@needs_dovecot
def test_wrong_password_is_refused(account: Account) -> None:
    client = imapclient.IMAPClient(account.host, port=account.port, ssl=False, timeout=5)
    try:
        with pytest.raises(LoginError):
            client.login(account.username, account.password + "x")
    finally:
        client.shutdown()


@needs_dovecot
def test_new_users_can_log_in_immediately(dovecot: Dovecot) -> None:
    # Dovecot re-reads a passwd-file at most once a second; several users added
    # and used within one second must all work (the harness uses a file per user).
    started = time.monotonic()
    for _ in range(5):
        user = dovecot.add_user()
        with user.client() as client:
            client.noop()
    assert time.monotonic() - started < 5


@needs_dovecot
def test_special_use_folders_are_listed(account: Account) -> None:
    with account.client() as client:
        folders = {name: flags for flags, _delimiter, name in client.list_folders()}
        assert SENT in folders["Sent"]
        assert DRAFTS in folders["Drafts"]
        assert client.find_special_folder(SENT) == "Sent"
        assert client.find_special_folder(DRAFTS) == "Drafts"
        # auto=subscribe: mail clients that only show subscribed folders see them.
        assert {"Sent", "Drafts"} <= {name for _f, _d, name in client.list_sub_folders()}


@needs_dovecot
def test_append_creates_missing_folder(account: Account) -> None:
    first = account.append("Interviews", _raw("one"))
    second = account.append("Interviews", _raw("two"))
    assert second > first
    assert set(account.flags("Interviews")) == {first, second}


@needs_dovecot
def test_write_maildir_bulk_is_visible_in_order(account: Account) -> None:
    existing = account.append("INBOX", _raw("appended first"))
    with account.client() as watcher:
        # A session that already has INBOX open, synced in this same second:
        # Dovecot must still notice files written right after.
        watcher.select_folder("INBOX")
        assert watcher.search("ALL") == [existing]

        started = time.monotonic()
        written = account.write_maildir("INBOX", (_raw(f"bulk {i}") for i in range(1000)))
        assert written == 1000
        assert time.monotonic() - started < 10

        watcher.noop()
        uids = watcher.search("ALL")
        assert len(uids) == 1001
        subjects = _subjects(watcher, uids)
        # UIDs are assigned in the order the messages were given.
        assert [subjects[uid] for uid in sorted(uids)] == ["appended first"] + [
            f"bulk {i}" for i in range(1000)
        ]

    with account.client() as fresh:
        fresh.select_folder("INBOX", readonly=True)
        assert len(fresh.search("ALL")) == 1001
        assert fresh.search(["SUBJECT", "bulk 999"]) == [max(uids)]


@needs_dovecot
def test_write_maildir_new_folder_with_flags(account: Account) -> None:
    account.write_maildir("Archive", [_raw("old read mail")], maildir_flags="S")
    account.write_maildir("Archive", [_raw("old unread mail")])
    with account.client() as client:
        assert "Archive" in {name for _f, _d, name in client.list_folders()}
    flags = account.flags("Archive")
    assert sorted(flags.values()) == [(), (SEEN,)]


@needs_dovecot
def test_flags_helper_sees_peek_leaves_seen_alone(account: Account) -> None:
    uid = account.append("INBOX", _raw("unread"))
    before = account.flags("INBOX")
    assert before == {uid: ()}

    with account.client() as client:
        client.select_folder("INBOX")  # read-write, as mailflow would
        client.fetch([uid], ["BODY.PEEK[]"])
    assert account.flags("INBOX") == before

    # Control: a non-peek fetch does set \Seen, so the helper can see a change.
    with account.client() as client:
        client.select_folder("INBOX")
        client.fetch([uid], ["BODY[]"])
    assert account.flags("INBOX") == {uid: (SEEN,)}


@needs_dovecot
def test_restart_keeps_messages_and_ports(own_dovecot: Dovecot) -> None:
    user = own_dovecot.add_user()
    uid = user.append("INBOX", _raw("survives restart"))
    port, ssl_port = own_dovecot.port, own_dovecot.ssl_port
    own_dovecot.restart()
    assert (own_dovecot.port, own_dovecot.ssl_port) == (port, ssl_port)
    with user.client(ssl=True) as client:
        client.select_folder("INBOX", readonly=True)
        assert _subjects(client, client.search("ALL")) == {uid: "survives restart"}


@needs_dovecot
def test_kill_breaks_sessions_and_start_recovers(own_dovecot: Dovecot) -> None:
    user = own_dovecot.add_user()
    uid = user.append("INBOX", _raw("survives crash"))
    victim = user.client()
    victim.select_folder("INBOX")
    own_dovecot.kill()
    assert not own_dovecot.running
    # The open session is really dead, as it would be after a server crash.
    with pytest.raises((imapclient.exceptions.IMAPClientAbortError, OSError)):
        victim.noop()
    with pytest.raises(OSError):
        user.client()
    victim.shutdown()

    own_dovecot.start()
    with user.client() as client:
        client.select_folder("INBOX", readonly=True)
        assert client.search("ALL") == [uid]


# -- SMTP --------------------------------------------------------------------


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


@pytest.fixture
def smtp(smtp_server: SMTPServer) -> Iterator[SMTPServer]:
    smtp_server.reset()
    yield smtp_server
    smtp_server.reset()


def _login(server: SMTPServer, password: str | None = None) -> smtplib.SMTP:
    client = smtplib.SMTP(server.host, server.port, timeout=5)
    client.starttls(context=client_context(server.cafile))
    client.login(server.username, server.password if password is None else password)
    return client


# Leading dot (dot-stuffing), 8-bit UTF-8 and a long line: all must arrive as sent.
EXACT = (
    b"From: Ada <ada@example.test>\r\n"
    b"To: Bob <bob@example.test>\r\n"
    b"Subject: =?utf-8?q?Caf=C3=A9?=\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b".a line starting with a dot\r\n"
    b"caf\xc3\xa9 " + b"x" * 200 + b"\r\n"
)


def test_smtp_delivers_exact_bytes(smtp: SMTPServer) -> None:
    with _login(smtp) as client:
        refused = client.sendmail("ada@example.test", ["bob@example.test"], EXACT)
    assert refused == {}
    [received] = smtp.messages
    assert received.data == EXACT
    assert received.mail_from == "ada@example.test"
    assert received.rcpt_tos == ("bob@example.test",)
    assert received.login == smtp.username
    assert isinstance(received.message, EmailMessage)
    assert received.message["Subject"] == "Café"
    assert received.message.policy == email.policy.default


def test_smtp_tls_certificate_is_verified(smtp: SMTPServer) -> None:
    with (
        smtplib.SMTP(smtp.host, smtp.port, timeout=5) as client,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        client.starttls(context=ssl.create_default_context())


def test_smtp_auth_before_starttls_is_refused(smtp: SMTPServer) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=5) as client:
        client.ehlo()
        # AUTH is not even advertised on the clear-text connection...
        with pytest.raises(smtplib.SMTPNotSupportedError):
            client.login(smtp.username, smtp.password)
        # ...and sending it anyway is refused.
        code, _text = client.docmd("AUTH", "PLAIN AHNlbmRlcgBzZWNyZXQ=")
        assert code == 530
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("ada@example.test", ["bob@example.test"], EXACT)
        assert refused.value.smtp_code == 530
    assert smtp.messages == []


def test_smtp_mail_without_auth_is_refused(smtp: SMTPServer) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=5) as client:
        client.starttls(context=client_context(smtp.cafile))
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("ada@example.test", ["bob@example.test"], EXACT)
        assert refused.value.smtp_code == 530
    assert smtp.messages == []


def test_smtp_wrong_password_is_refused(smtp: SMTPServer) -> None:
    with pytest.raises(smtplib.SMTPAuthenticationError) as error:
        _login(smtp, password=smtp.password + "x")
    assert error.value.smtp_code == 535


@pytest.mark.parametrize(("code", "text"), [(451, "4.3.0 try later"), (550, "5.1.1 no such user")])
def test_smtp_fail_next_at_data(smtp: SMTPServer, code: int, text: str) -> None:
    smtp.fail_next(code, text)
    with _login(smtp) as client:
        with pytest.raises(smtplib.SMTPDataError) as error:
            client.sendmail("ada@example.test", ["bob@example.test"], EXACT)
        assert (error.value.smtp_code, error.value.smtp_error) == (code, text.encode())
        # Only the next transaction fails; a retry goes through.
        client.sendmail("ada@example.test", ["bob@example.test"], EXACT)
    assert [r.data for r in smtp.rejected] == [EXACT]
    assert [r.data for r in smtp.messages] == [EXACT]


def test_smtp_fail_next_count_and_stage(smtp: SMTPServer) -> None:
    smtp.fail_next(450, "4.2.0 mailbox busy", count=2, stage="RCPT")
    with _login(smtp) as client:
        for _ in range(2):
            with pytest.raises(smtplib.SMTPRecipientsRefused) as error:
                client.sendmail("ada@example.test", ["bob@example.test"], EXACT)
            assert error.value.recipients == {"bob@example.test": (450, b"4.2.0 mailbox busy")}
        client.sendmail("ada@example.test", ["bob@example.test"], EXACT)
    assert len(smtp.messages) == 1


def test_smtp_drop_next_disconnects_during_data(smtp: SMTPServer) -> None:
    smtp.drop_next()
    client = _login(smtp)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        client.sendmail("ada@example.test", ["bob@example.test"], EXACT)
    client.close()
    # The server got the whole message but never acknowledged it.
    assert [r.data for r in smtp.rejected] == [EXACT]
    assert smtp.messages == []
    # The server itself is fine: the next connection delivers.
    with _login(smtp) as again:
        again.sendmail("ada@example.test", ["bob@example.test"], EXACT)
    assert len(smtp.messages) == 1


def test_smtp_stop_start_keeps_port() -> None:
    with SMTPServer() as server:
        port = server.port
        server.stop()
        with pytest.raises(ConnectionRefusedError):
            smtplib.SMTP(server.host, port, timeout=5)
        server.start()
        assert server.port == port
        with _login(server) as client:
            client.sendmail("ada@example.test", ["bob@example.test"], EXACT)
        assert [r.data for r in server.messages] == [EXACT]
