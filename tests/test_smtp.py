from datetime import UTC, datetime

import pytest

from mailflow.errors import LoginFailed, TLSFailure
from mailflow.settings import Smtp
from mailflow.smtp import (
    Outgoing,
    SendRejected,
    SendRetry,
    SendUnknown,
    SmtpConnection,
    _dot_stuff,
    compose,
)

from servers.smtpd import SMTPServer

OUT = Outgoing("Alex Candidate", "alex@example.com", "priya@northwind.example",
               "Re: Phone screen", "Hi Priya,\n.leading dot\n\nCafé at 3?\n", "<m1@example.com>",
               "<a@n.example>", ("<z@n.example>", "<a@n.example>"),
               datetime(2026, 11, 24, 17, tzinfo=UTC))


@pytest.fixture(scope="module")
def server():
    with SMTPServer() as s:
        yield s


def settings_for(server, **kw):
    args = dict(host="127.0.0.1", port=server.port, security="starttls",
                username=server.username, cafile=server.cafile)
    args.update(kw)
    return Smtp(**args)


def test_compose_is_one_plain_part_with_our_headers():
    msg = compose(OUT)
    assert msg.get_content_type() == "text/plain" and not msg.is_multipart()
    assert msg["Message-ID"] == "<m1@example.com>"
    assert msg["References"] == "<z@n.example> <a@n.example>"
    assert msg.get_content() == OUT.body
    assert b"\r\n" in msg.as_bytes() and b"<br" not in msg.as_bytes()


def test_dot_stuffing_and_line_endings():
    assert _dot_stuff(b"a\n.b\r\n..c\rd\n") == b"a\r\n..b\r\n...c\r\nd"


def test_the_server_receives_the_text_unchanged(server):
    server.reset()
    with SmtpConnection(settings_for(server), password=server.password) as c:
        c.send(compose(OUT), "alex@example.com", "priya@northwind.example")
    (got,) = server.messages
    assert got.message.get_content().replace("\r\n", "\n") == OUT.body  # CRLF on the wire
    assert got.message["Subject"] == "Re: Phone screen"


def test_temporary_permanent_and_ambiguous_failures(server):
    server.reset()
    with SmtpConnection(settings_for(server), password=server.password) as c:
        server.fail_next(451, "4.7.1 greylisted", stage="RCPT")
        with pytest.raises(SendRetry, match="451"):
            c.send(compose(OUT), "alex@example.com", "priya@northwind.example")
        server.fail_next(554, "5.7.1 rejected")
        with pytest.raises(SendRejected, match="554 5.7.1 rejected"):
            c.send(compose(OUT), "alex@example.com", "priya@northwind.example")
    server.drop_next()
    with SmtpConnection(settings_for(server), password=server.password) as c, \
            pytest.raises(SendUnknown, match="before the server confirmed"):
        c.send(compose(OUT), "alex@example.com", "priya@northwind.example")


def test_login_and_tls_errors_are_clear(server):
    with pytest.raises(LoginFailed, match="refused the SMTP login"):
        SmtpConnection(settings_for(server), password="wrong")
    with pytest.raises(TLSFailure, match="could not be verified"):
        SmtpConnection(settings_for(server, cafile=None), password=server.password)
