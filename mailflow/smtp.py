"""SMTP: the only way out, used only for approved drafts (see sending.py).

yagmail gives us the connection: TLS with a verifying context, login, and the keyring. It
does not build our messages: it always adds an HTML part and turns newlines into <br>, and
its default Message-ID repeats for equal from/to/subject. So the message is built here with
the standard library, exactly as approved, and sent over yagmail's authenticated
connection.

The SMTP transaction is split into its phases, because what a failure means depends on
when it happens:
- refused or dropped before the end of DATA: nothing was delivered; retry later
  (`SendRetry` for temporary problems, `SendRejected` for a 5xx);
- dropped after the end-of-data marker was written but before the server answered: it may
  have been delivered (RFC 1047's duplicate window). That is `SendUnknown`: never resent
  on a guess; the next run looks for the Message-ID in the Sent folder.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr

from mailflow import credentials
from mailflow.errors import ConnectionFailed, LoginFailed, MailflowError, TLSFailure
from mailflow.settings import Smtp


class SendRetry(MailflowError):
    """Temporary: the server said 4xx, or the connection failed before DATA ended."""


class SendRejected(MailflowError):
    """Permanent: the server refused the message (5xx)."""


class SendUnknown(MailflowError):
    """The connection broke after the whole message was sent, before the server answered."""


@dataclass(frozen=True)
class Outgoing:
    from_name: str
    from_address: str
    to: str
    subject: str
    body: str
    message_id: str
    in_reply_to: str | None
    references: tuple[str, ...]
    date: datetime


def compose(out: Outgoing) -> EmailMessage:
    """The message as approved: one text/plain part, our Message-ID, threading headers."""
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = formataddr((out.from_name, out.from_address))
    msg["To"] = out.to
    msg["Subject"] = out.subject
    msg["Date"] = format_datetime(out.date)
    msg["Message-ID"] = out.message_id
    if out.in_reply_to:
        msg["In-Reply-To"] = out.in_reply_to
    if out.references:
        msg["References"] = " ".join(out.references)
    msg["Auto-Submitted"] = "no"  # written and approved by a person: not an auto-reply
    msg.set_content(out.body)
    return msg


class SmtpConnection:
    """A logged-in SMTP connection through yagmail."""

    def __init__(self, settings: Smtp, password: str | None = None) -> None:
        import yagmail

        self.settings = settings
        where = f"{settings.host}:{settings.port}"
        context = ssl.create_default_context(cafile=str(settings.cafile)) if settings.cafile \
            else ssl.create_default_context()
        oauth2 = settings.auth == "oauth2"
        if oauth2:  # an access token from token_command, fresh for every connection
            secret = password or credentials.token(settings.token_command)
        else:
            secret = password or credentials.password(settings.keyring_user,
                                                      settings.password_command)
        kwargs: dict[str, object] = {"timeout": 30}
        if settings.security == "ssl":
            kwargs["context"] = context
        self.yag = yagmail.SMTP(
            user=settings.username,
            password=None if oauth2 else secret,
            host=settings.host,
            port=settings.port,
            smtp_ssl=settings.security == "ssl",
            smtp_starttls={"context": context} if settings.security == "starttls" else False,
            # With OAuth2 yagmail only connects (and does STARTTLS with our context); the
            # XOAUTH2 exchange below is ours, since yagmail's own wants a client secret.
            smtp_skip_login=oauth2,
            soft_email_validation=False,  # usernames need not be addresses
            **kwargs,
        )
        try:
            self.yag.login()
            if oauth2:
                from base64 import b64encode

                smtp = self.yag.smtp
                smtp.ehlo_or_helo_if_needed()  # yagmail says EHLO only around STARTTLS
                if "XOAUTH2" not in smtp.esmtp_features.get("auth", "").upper().split():
                    self.close()
                    raise LoginFailed(
                        f"{where} does not offer OAuth2 (XOAUTH2) login",
                        hint="set auth = password in [smtp] and use an app password",
                    )
                blob = b64encode(credentials.xoauth2_string(settings.username, secret).encode())
                code, reply = smtp.docmd("AUTH", "XOAUTH2 " + blob.decode("ascii"))
                if code == 334:
                    # A refused token comes back as a challenge holding an error JSON
                    # ({"status": "401", ...}); the client must answer with an empty
                    # line, and only then does the server send the final 5xx.
                    code, reply = smtp.docmd("")
                if code != 235:
                    text = reply.decode("utf-8", "replace").replace("\n", " ").strip()
                    self.close()
                    raise LoginFailed(
                        f"{settings.host} refused the OAuth2 access token for "
                        f"{settings.username} (SMTP): {code} {text}".rstrip(),
                        hint="the token may have expired or lack the SMTP scope: run "
                        "token_command by hand to refresh it (Microsoft 365 also needs "
                        "SMTP AUTH allowed for the mailbox)",
                    )
        except smtplib.SMTPAuthenticationError:
            raise LoginFailed(
                f"{settings.host} refused the SMTP login for {settings.username}",
                hint="check the username and password (Gmail and Microsoft 365 want an app "
                "password or OAuth2)",
            ) from None
        except ssl.SSLCertVerificationError as exc:
            raise TLSFailure(f"the certificate of {where} could not be verified: "
                             f"{exc.verify_message}") from None
        except ssl.SSLError as exc:
            raise TLSFailure(f"TLS with {where} failed: {exc.reason or exc}") from None
        except smtplib.SMTPNotSupportedError:
            raise TLSFailure(f"{where} offers no login on this connection",
                             hint="check security in [smtp] (starttls or ssl)") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectionFailed(f"cannot reach the SMTP server {where}: "
                                   f"{exc.__class__.__name__}") from None

    def send(self, msg: EmailMessage, sender: str, recipient: str) -> None:
        """One SMTP transaction, phase by phase (see the module docstring)."""
        smtp = self.yag.smtp
        data = msg.as_bytes()
        try:
            self._envelope_and_data(smtp, data, sender, recipient)
        except (SendRetry, SendRejected):
            # The server refused a step: end the transaction so the connection can carry
            # the next message (otherwise: "503 nested MAIL command").
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.rset()
            raise
        try:
            code, reply = smtp.getreply()
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            raise SendUnknown(
                "the connection broke after the message was sent, before the server "
                f"confirmed it ({exc.__class__.__name__})",
                hint="look in your Sent folder or ask the recipient; approve again to resend",
            ) from None
        _check(code, reply, "the end of the message")

    @staticmethod
    def _envelope_and_data(smtp: smtplib.SMTP, data: bytes, sender: str, recipient: str) -> None:
        try:
            code, reply = smtp.mail(sender)
            _check(code, reply, "MAIL FROM")
            code, reply = smtp.rcpt(recipient)
            _check(code, reply, "RCPT TO")
            code, reply = smtp.docmd("DATA")
            if code != 354:
                _check(code, reply, "DATA")
                raise SendRetry(f"the server answered DATA with {code}")
            smtp.send(_dot_stuff(data) + b"\r\n.\r\n")
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            raise SendRetry(f"the connection broke before the message was sent "
                            f"({exc.__class__.__name__})") from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.yag.close()

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check(code: int, reply: bytes, stage: str) -> None:
    text = reply.decode("utf-8", "replace").replace("\n", " ")
    if 200 <= code < 400:
        return
    if 400 <= code < 500:
        raise SendRetry(f"the server deferred the message at {stage}: {code} {text}")
    raise SendRejected(f"the server refused the message at {stage}: {code} {text}")


def _dot_stuff(data: bytes) -> bytes:
    """CRLF line endings and leading dots doubled (RFC 5321 4.5.2), as smtplib.data does."""
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return b"\r\n".join(b"." + line if line.startswith(b".") else line for line in lines)
