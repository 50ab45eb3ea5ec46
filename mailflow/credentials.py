"""Passwords and tokens, fetched at the moment they are needed and never kept.

Order: $MAILFLOW_PASSWORD (for containers and tests), the account's `password_command`
(like msmtp's passwordeval: `pass show mail/imap`, a token helper), then the OS keyring
under the service name "mailflow". With `auth = oauth2` the secret is an OAuth2 access
token instead: `token()` runs the account's `token_command` (oama, a mutt_oauth2.py-style
helper) every time a connection is made, since access tokens live about an hour and the
helper refreshes them. Nothing here logs or stores a secret, and the errors never include
one.
"""

from __future__ import annotations

import os
import shlex
import subprocess

from mailflow.errors import SecretError

KEYRING_SERVICE = "mailflow"


def password(keyring_user: str, password_command: str | None) -> str:
    env = os.environ.get("MAILFLOW_PASSWORD")
    if env:
        return env
    if password_command:
        return run_password_command(password_command)
    secret = _from_keyring(keyring_user)
    if secret:
        return secret
    raise SecretError(
        f"no password for {keyring_user}",
        hint="run `mailflow init` to store one in the keyring, or set password_command",
    )


def run_password_command(command: str) -> str:
    return _run(command, "password_command")


def token(token_command: str | None) -> str:
    """An OAuth2 access token: the first line `token_command` prints (run on every login)."""
    if not token_command:
        raise SecretError("auth = oauth2 needs a token_command",
                          hint="set token_command to a command that prints an access token")
    secret = _run(token_command, "token_command").strip()
    if not secret:
        raise SecretError("token_command printed nothing")
    return secret


def xoauth2_string(user: str, access_token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64), as Gmail and Microsoft 365 want it."""
    return "user=" + user + "\x01auth=Bearer " + access_token + "\x01\x01"


def _run(command: str, what: str) -> str:
    try:
        result = subprocess.run(
            shlex.split(command), capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, ValueError) as exc:
        raise SecretError(f"{what} could not be run: {exc}") from None
    except subprocess.TimeoutExpired:
        raise SecretError(f"{what} did not finish within 60 s") from None
    if result.returncode != 0:
        # stderr may help ("gpg: decryption failed"); stdout may hold the secret: never shown.
        detail = result.stderr.strip().splitlines()[-1:] or [""]
        raise SecretError(
            f"{what} failed with exit code {result.returncode}: {detail[0]}".rstrip(": ")
        )
    secret = result.stdout.splitlines()[0] if result.stdout else ""
    if not secret:
        raise SecretError(f"{what} printed nothing")
    return secret


def store_in_keyring(keyring_user: str, secret: str) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_user, secret)
    except keyring.errors.KeyringError as exc:
        raise SecretError(
            f"the system keyring refused the password: {exc}",
            hint="use password_command or $MAILFLOW_PASSWORD instead",
        ) from None


def _from_keyring(keyring_user: str) -> str | None:
    try:
        import keyring
        import keyring.errors
    except ImportError:  # pragma: no cover - keyring is a dependency, but may be broken
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_user)
    except keyring.errors.KeyringError:
        return None  # no backend on a headless server: fall through to the clear error
    except Exception:
        return None
