"""OAuth2 (XOAUTH2) logins with a token_command, against the real servers.

Dovecot checks tokens with its own oauth2 passdb, which asks the harness's token
introspection endpoint; aiosmtpd implements AUTH XOAUTH2 the way Gmail does (a
refused token is a 334 error challenge the client answers with an empty line).
Nothing in the protocols is mocked.
"""

from __future__ import annotations

import shlex
import smtplib
import sys
from base64 import b64encode
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailflow import credentials, service
from mailflow.errors import LoginFailed, SecretError, SettingsError
from mailflow.imap import ImapSource
from mailflow.settings import Smtp, load
from mailflow.smtp import Outgoing, SmtpConnection, compose

from factories import ME, mail, settings_text
from servers.tls import client_context
from test_poller import DAY, INVITE, NOW, rows

OUT = Outgoing("Alex Candidate", ME, "priya@northwind.example", "Re: Phone screen",
               "Hi Priya,\n\nTuesday at 3 works.\n", "<oauth2@example.com>", None, (),
               datetime(2026, 11, 24, 17, tzinfo=UTC))


def printing(text: str, exit_code: int = 0, stderr: str = "") -> str:
    """A token_command that prints `text` (as oama or mutt_oauth2.py print a token)."""
    code = (f"import sys; print({text!r}); sys.stderr.write({stderr!r}); "
            f"sys.exit({exit_code})")
    return shlex.join([sys.executable, "-c", code])


def oauth2_lines(user, token_command: str) -> str:
    return (f"host = 127.0.0.1\nport = {user.port}\nsecurity = starttls\n"
            f"username = {user.username}\ncafile = {user.cafile}\ntimeout = 10s\n"
            f"auth = oauth2\ntoken_command = {token_command}")


def files_under(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.rglob("*") if p.is_file())


# ---- settings and credentials --------------------------------------------------------------

BASE = "[user]\nname = Alex\nemail = alex@example.com\ntimezone = Europe/Berlin\n\n"


def test_auth_defaults_to_password(tmp_path):
    s = load(BASE + "[account]\nhost = imap.example.com\nusername = alex\n", tmp_path / "s.ini")
    assert (s.account.auth, s.account.token_command) == ("password", None)


def test_oauth2_without_token_command_is_one_clear_line_per_section(tmp_path):
    text = (BASE + "[account]\nhost = imap.example.com\nusername = alex\nauth = oauth2\n\n"
            "[smtp]\nhost = smtp.example.com\nusername = alex\nauth = oauth2\n")
    with pytest.raises(SettingsError) as err:
        load(text, tmp_path / "s.ini")
    msg = str(err.value)
    assert "\n" not in msg and str(tmp_path / "s.ini") in msg
    assert "[account] token_command: is required with auth = oauth2" in msg
    assert "[smtp] token_command: is required with auth = oauth2" in msg


def test_auth_must_be_password_or_oauth2(tmp_path):
    text = BASE + "[account]\nhost = imap.example.com\nusername = alex\nauth = xoauth\n"
    with pytest.raises(SettingsError, match=r"\[account\] auth: 'xoauth': use one of "
                                            r"password, oauth2"):
        load(text, tmp_path / "s.ini")


def test_oauth2_settings_load(tmp_path):
    text = (BASE + "[account]\nhost = imap.example.com\nusername = alex\nauth = OAuth2\n"
            "token_command = oama access alex@example.com\n\n"
            "[smtp]\nhost = smtp.example.com\nusername = alex\nauth = oauth2\n"
            "token_command = oama access alex@example.com\n")
    s = load(text, tmp_path / "s.ini")
    assert s.account.auth == "oauth2" and s.account.token_command == "oama access alex@example.com"
    assert s.smtp is not None and s.smtp.auth == "oauth2"


def test_xoauth2_string():
    assert credentials.xoauth2_string("a@b.example", "tok") == (
        "user=a@b.example\x01auth=Bearer tok\x01\x01"
    )


def test_token_runs_the_command_and_keeps_only_the_first_line():
    assert credentials.token(printing("ya29.abc\nsecond line")) == "ya29.abc"


def test_a_failing_token_command_shows_stderr_but_never_stdout():
    command = printing("ya29.LEAKED", exit_code=2, stderr="oauth: refresh failed\ninvalid_grant\n")
    with pytest.raises(SecretError) as err:
        credentials.token(command)
    assert "token_command failed with exit code 2: invalid_grant" in str(err.value)
    assert "LEAKED" not in str(err.value)
    with pytest.raises(SecretError, match="token_command printed nothing"):
        credentials.token(printing(""))


# ---- IMAP against Dovecot's oauth2 passdb ------------------------------------------------------


def test_a_poll_logs_in_with_the_token(imap_user, dovecot, tmp_path):
    imap_user.append("INBOX", mail(**INVITE, date=NOW - DAY))
    token = dovecot.issue_token(imap_user.username)
    # No MAILFLOW_PASSWORD and no keyring (conftest): only the token can log in.
    settings = load(settings_text(oauth2_lines(imap_user, printing(token)), tmp_path / "state"),
                    tmp_path / "settings.ini")
    assert service.poll(settings, NOW)[0].tracked == 1
    assert len(rows(settings)) == 1
    assert token in dovecot.tokens_checked  # Dovecot asked the token endpoint
    assert token.encode() not in files_under(tmp_path / "state")


def test_a_refused_token_is_a_login_error_that_never_shows_the_token(imap_user, dovecot,
                                                                     tmp_path):
    token = dovecot.issue_token(imap_user.username)
    dovecot.revoke_token(token)  # as when it expired
    settings = load(settings_text(oauth2_lines(imap_user, printing(token)), tmp_path / "state"),
                    tmp_path / "settings.ini")
    with pytest.raises(LoginFailed) as err:
        service.poll(settings, NOW)
    text = str(err.value)
    assert f"refused the OAuth2 access token for {imap_user.username}" in text
    assert "token_command" in (err.value.hint or "")
    assert token not in text
    lines, accounts = service.status(settings, NOW)
    assert "refused the OAuth2 access token" in accounts[0]["last_error"]
    assert token not in repr((lines, accounts))
    assert token.encode() not in files_under(tmp_path / "state")


def test_a_token_for_someone_else_is_refused(imap_user, dovecot, tmp_path):
    other = dovecot.add_user()
    settings = load(
        settings_text(oauth2_lines(imap_user, printing(dovecot.issue_token(other.username))),
                      tmp_path / "state"),
        tmp_path / "settings.ini",
    )
    with pytest.raises(LoginFailed, match="refused the OAuth2 access token"):
        ImapSource(settings.account)


def test_passwords_still_work_and_never_reach_the_token_endpoint(imap_user, dovecot):
    with imap_user.client(starttls=True) as client:
        client.select_folder("INBOX", readonly=True)
    import imapclient
    from imapclient.exceptions import LoginError

    with imapclient.IMAPClient(imap_user.host, port=imap_user.port, ssl=False,
                               timeout=10) as client:
        client.starttls(client_context(imap_user.cafile))
        with pytest.raises(LoginError):
            client.login(imap_user.username, "not-" + imap_user.password)
    assert not {imap_user.password, "not-" + imap_user.password} & set(dovecot.tokens_checked)


# ---- SMTP against aiosmtpd's AUTH XOAUTH2 ----------------------------------------------------


def smtp_settings(server, token_command: str) -> Smtp:
    return Smtp(host="127.0.0.1", port=server.port, security="starttls",
                username=server.username, cafile=server.cafile, auth="oauth2",
                token_command=token_command)


def test_smtp_sends_with_xoauth2(smtpd):
    smtpd.reset()
    with SmtpConnection(smtp_settings(smtpd, printing(smtpd.issue_token()))) as c:
        c.send(compose(OUT), ME, "priya@northwind.example")
    (got,) = smtpd.messages
    assert got.login == smtpd.username
    assert got.message["Message-ID"] == OUT.message_id


def test_smtp_refused_token_answers_the_challenge_and_is_a_login_error(smtpd):
    smtpd.reset()
    token = smtpd.issue_token()
    smtpd.revoke_token(token)
    with pytest.raises(LoginFailed) as err:
        SmtpConnection(smtp_settings(smtpd, printing(token)))
    text = str(err.value)
    assert f"refused the OAuth2 access token for {smtpd.username} (SMTP): 535" in text
    assert "token_command" in text and token not in text
    # The error challenge was answered with an empty line, as XOAUTH2 requires.
    assert smtpd.xoauth2_answers == [b""]
    assert smtpd.messages == []


def test_smtp_password_login_is_unchanged_next_to_xoauth2(smtpd):
    smtpd.reset()
    plain = Smtp(host="127.0.0.1", port=smtpd.port, security="starttls",
                 username=smtpd.username, cafile=smtpd.cafile)
    with SmtpConnection(plain, password=smtpd.password) as c:
        c.send(compose(OUT), ME, "priya@northwind.example")
    assert [m.login for m in smtpd.messages] == [smtpd.username]


def test_the_harness_takes_xoauth2_only_after_starttls(smtpd):
    blob = b64encode(
        credentials.xoauth2_string(smtpd.username, smtpd.issue_token()).encode()).decode()
    with smtplib.SMTP(smtpd.host, smtpd.port, timeout=10) as s:
        s.ehlo()
        assert s.docmd("AUTH", "XOAUTH2 " + blob)[0] == 530  # STARTTLS first
        s.starttls(context=client_context(smtpd.cafile))
        s.ehlo()
        assert "XOAUTH2" in s.esmtp_features["auth"].split()
        assert s.docmd("AUTH", "XOAUTH2 " + blob)[0] == 235
