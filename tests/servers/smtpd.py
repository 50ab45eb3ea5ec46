"""A real SMTP submission server (aiosmtpd) on 127.0.0.1 for mailflow's sender.

Behaves like a strict submission server: STARTTLS is mandatory before anything
but EHLO/NOOP/QUIT, AUTH is only offered over TLS and is required before MAIL,
and exactly one username/password is accepted, or (AUTH XOAUTH2) a bearer token
from :meth:`SMTPServer.issue_token`, refused the way Gmail refuses one: a 334
challenge carrying an error JSON, answered by the client with an empty line,
then 535. Tests can script failures
(:meth:`SMTPServer.fail_next`, :meth:`SMTPServer.drop_next`) to exercise retry
and error handling against a real protocol exchange.
"""

from __future__ import annotations

import binascii
import email
import email.policy
import json
import secrets
import tempfile
import threading
from base64 import b64decode
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from shutil import rmtree
from types import TracebackType
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, SMTP, AuthResult, Envelope, LoginPassword, Session

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
class Bearer:
    """auth_data of a session that logged in with AUTH XOAUTH2."""

    login: bytes


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

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:  # noqa: N802
        """AUTH XOAUTH2 as Gmail and Microsoft 365 implement it.

        The initial response is ``user=U^Aauth=Bearer T^A^A`` (base64), given on the
        AUTH line or after an empty 334. A refused token gets ``334 <base64 JSON
        error>``; the client must answer with an empty line, then gets 535.
        """
        if len(args) == 1:
            blob = await server.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        else:
            try:
                blob = b64decode(args[1].encode(), validate=True)
            except binascii.Error:
                await server.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        assert isinstance(blob, bytes)
        user, token = _parse_xoauth2(blob)
        if user is not None and token is not None and self._owner._token_ok(user, token):
            return AuthResult(success=True, auth_data=Bearer(user.encode()))
        error = {"status": "401", "schemes": "Bearer", "scope": "mail"}
        answer = await server.challenge_auth(json.dumps(error))
        if answer is MISSING:  # "*" or bad base64: challenge_auth already replied
            return AuthResult(success=False, handled=True)
        assert isinstance(answer, bytes)
        self._owner.xoauth2_answers.append(answer)
        return AuthResult(
            success=False, handled=False, message="535 5.7.8 Username and token not accepted"
        )

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


def _parse_xoauth2(blob: bytes) -> tuple[str | None, str | None]:
    user = token = None
    for part in blob.decode("utf-8", "replace").split("\x01"):
        if part.startswith("user="):
            user = part[len("user="):]
        elif part.lower().startswith("auth=bearer "):
            token = part[len("auth=bearer "):]
    return user, token


def _received(session: Session, envelope: Envelope) -> Received:
    data = envelope.original_content
    if data is None:  # pragma: no cover - aiosmtpd always sets it before DATA hook
        raise RuntimeError("aiosmtpd gave no original_content")
    # auth_data, not the deprecated login_data (warns on every access).
    auth = session.auth_data
    login = auth.login.decode() if isinstance(auth, (LoginPassword, Bearer)) else None
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
        self._tokens: dict[str, str] = {}
        # What clients sent back after an XOAUTH2 error challenge (b"" is right).
        self.xoauth2_answers: list[bytes] = []
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

    def issue_token(self, username: str | None = None) -> str:
        """A bearer token that AUTH XOAUTH2 accepts for *username* (default: ours)."""
        token = "ya29." + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = username or self.username
        return token

    def revoke_token(self, token: str) -> None:
        with self._lock:
            self._tokens.pop(token, None)

    def _token_ok(self, user: str, token: str) -> bool:
        with self._lock:
            owner = self._tokens.get(token)
        return owner is not None and secrets.compare_digest(owner.encode(), user.encode())

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
            self.xoauth2_answers.clear()

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
