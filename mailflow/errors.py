"""The errors a user can see, and the exit codes that go with them.

Every failure that reaches the command line is one of these. Each carries a message
written for the person reading cron's mail (what happened) and, where there is one, a hint
(what to do next). Library exceptions (imaplib, ssl, sqlite3, smtplib) are translated into
these in the adapters, so the CLI has exactly one place that prints and exits.
"""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Exit codes, documented in `mailflow --help` and the README."""

    OK = 0
    RUN_ERROR = 1  # the run failed: server unreachable, login refused, a send failed
    USAGE = 2  # bad settings file or bad command-line usage: fix and run again
    LOCKED = 75  # EX_TEMPFAIL: another run holds the lock; cron will try again


class MailflowError(Exception):
    """Base of every error mailflow reports to the user."""

    exit_status = ExitStatus.RUN_ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class SettingsError(MailflowError):
    """The settings file is missing, unreadable or invalid."""

    exit_status = ExitStatus.USAGE


class UsageError(MailflowError):
    """The command line asks for something that cannot be done (unknown thread, bad date)."""

    exit_status = ExitStatus.USAGE


class SecretError(MailflowError):
    """No password or token could be obtained (keyring empty, password_command failed)."""


class ConnectionFailed(MailflowError):
    """The mail server could not be reached, or dropped the connection."""


class TLSFailure(ConnectionFailed):
    """The server's certificate could not be verified or TLS could not be negotiated."""


class LoginFailed(MailflowError):
    """The server refused the username and password (or token)."""


class ServerError(MailflowError):
    """The server answered a command with an error we cannot work around."""


class StoreError(MailflowError):
    """The local state database is unusable (corrupt, from a newer version, not writable)."""


class RunInProgress(MailflowError):
    """Another mailflow run holds the lock on this state directory."""

    exit_status = ExitStatus.LOCKED
