"""A real SMTP submission server (aiosmtpd) on 127.0.0.1 for mailflow's sender.

Behaves like a strict submission server: STARTTLS is mandatory before anything
but EHLO/NOOP/QUIT, AUTH is only offered over TLS and is required before MAIL,
and exactly one username/password is accepted. Tests can script failures
(:meth:`SMTPServer.fail_next`, :meth:`SMTPServer.drop_next`) to exercise retry
and error handling against a real protocol exchange.
"""

from __future__ import annotations

import email
import email.policy
import secrets
import tempfile
import threading
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from shutil import rmtree
from types import TracebackType
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from .dovecot import free_port
from .tls import make_cert, server_context

HOST = "127.0.0.1"
Stage = Literal["MAIL", "RCPT", "DATA"]


@dataclass(frozen=True)
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    # Exactly the bytes of the DATA phase after SMTP dot-unstuffing (CRLF line
    # endings as sent): what a byte-for-byte "nothing was re-encoded" check needs.
    data: bytes
    message: EmailMessage
    # Login name used in AUTH; lets tests check which account sent it.
    login: str | None


@dataclass(frozen=True)
class _Fault:
    stage: Stage
    code: int
    text: str
    # Close the connection instead of replying (only at DATA).
    drop: bool = False


class _Handler:
    """aiosmtpd hooks; runs on the Controller's event-loop thread."""

    def __init__(self, owner: SMTPServer) -> None:
        self._owner = owner

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        fault = self._owner._take_fault("MAIL")
        if fault is not None:
            return f"{fault.code} {fault.text}"
        # Implementing the hook means doing aiosmtpd's default work ourselves.
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        fault = self._owner._take_fault("RCPT")
        if fault is not None:
            return f"{fault.code} {fault.text}"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        received = _received(session, envelope)
        fault = self._owner._take_fault("DATA")
        if fault is None:
            self._owner.messages.append(received)
            return "250 OK"
        self._owner.rejected.append(received)
        if fault.drop and server.transport is not None:
            # Abort (not close): no reply and no orderly TLS shutdown, like a
            # server process dying after reading the message. aiosmtpd writes
            # our return value into the dead transport, which is a no-op.
            server.transport.abort()
        return f"{fault.code} {fault.text}"


def _received(session: Session, envelope: Envelope) -> Received:
    data = envelope.original_content
    if data is None:  # pragma: no cover - aiosmtpd always sets it before DATA hook
        raise RuntimeError("aiosmtpd gave no original_content")
    # auth_data, not the deprecated login_data (warns on every access).
    auth = session.auth_data
    login = auth.login.decode() if isinstance(auth, LoginPassword) else None
    return Received(
        mail_from=envelope.mail_from or "",
        rcpt_tos=tuple(envelope.rcpt_tos),
        data=bytes(data),
        message=email.message_from_bytes(data, _class=EmailMessage, policy=email.policy.default),
        login=login,
    )


class SMTPServer:
    """aiosmtpd on a free loopback port; STARTTLS and AUTH are mandatory."""

    def __init__(self, username: str = "sender@example.test", password: str | None = None) -> None:
        self.host = HOST
        self.port = free_port()
        self.username = username
        self.password = password or secrets.token_urlsafe(12)
        self._dir = Path(tempfile.mkdtemp(prefix="mailflow-smtpd-"))
        self.cafile, keyfile = make_cert(self._dir)
        self.messages: list[Received] = []
        # DATA-stage failures and drops: a retry test can see each attempt.
        self.rejected: list[Received] = []
        self._faults: deque[_Fault] = deque()
        self._lock = threading.Lock()
        self._keyfile = keyfile
        self._controller: Controller | None = None

    def _make_controller(self) -> Controller:
        # A fresh Controller per start(): aiosmtpd closes its event loop on
        # stop(), so one instance cannot be started twice.
        return Controller(
            _Handler(self),
            hostname=self.host,
            port=self.port,
            # Name used in the banner/EHLO; also stops aiosmtpd calling
            # socket.getfqdn(), which can block on DNS.
            server_hostname="localhost",
            tls_context=server_context(self.cafile, self._keyfile),
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=self._authenticate,
            # Like real submission servers; keeps DATA bytes untouched either way
            # because decode_data stays False.
            enable_SMTPUTF8=True,
            # Controller.start() proves readiness by connecting and reading the
            # greeting. That works despite require_starttls (the 220 banner is
            # sent before any TLS); ssl_context must stay None since this is
            # STARTTLS, not implicit TLS.
            ready_timeout=5.0,
        )

    def _authenticate(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        # handled=False on failure: aiosmtpd's default (True) means "the
        # authenticator already replied", which would leave the client hanging.
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = secrets.compare_digest(auth_data.login, self.username.encode()) and (
            secrets.compare_digest(auth_data.password, self.password.encode())
        )
        if not ok:
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=auth_data)

    def _take_fault(self, stage: Stage) -> _Fault | None:
        with self._lock:
            if self._faults and self._faults[0].stage == stage:
                return self._faults.popleft()
        return None

    def fail_next(
        self,
        code: int = 451,
        text: str = "4.3.0 try again later",
        count: int = 1,
        stage: Stage = "DATA",
    ) -> None:
        """Answer the next *count* transactions with ``code text`` at *stage*.

        At "DATA" (default) the message is fully transferred and then refused,
        which smtplib reports as SMTPDataError; "MAIL" gives SMTPSenderRefused,
        "RCPT" SMTPRecipientsRefused. Faults queue up in call order.
        """
        if not 400 <= code <= 599:
            raise ValueError("fail_next needs a 4xx or 5xx code")
        with self._lock:
            self._faults.extend(_Fault(stage, code, text) for _ in range(count))

    def drop_next(self, count: int = 1) -> None:
        """Cut the connection after the next *count* messages' DATA, before replying.

        The sender cannot know whether the message was accepted: the case where
        a careless retry sends a duplicate.
        """
        with self._lock:
            self._faults.extend(
                _Fault("DATA", 421, "4.4.2 dropped", drop=True) for _ in range(count)
            )

    def reset(self) -> None:
        """Forget received mail and pending faults (for a server shared by tests)."""
        with self._lock:
            self._faults.clear()
            self.messages.clear()
            self.rejected.clear()

    def start(self) -> None:
        """Listen on the same port each time (stop()/start() simulates an outage)."""
        if self._controller is not None:
            raise RuntimeError("SMTP server already running")
        controller = self._make_controller()
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def close(self) -> None:
        self.stop()
        rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> SMTPServer:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
