"""Telling the user that drafts wait for review: a desktop notification and/or a digest email.

Both are best-effort side channels next to the run's own output; neither may stop a run.

`notify()` runs the user's `notify_command` (for example `notify-send`) with the title and
body as two extra argv items, never through a shell: a draft's subject comes from a
stranger's email and must not become shell syntax.

`digest()` composes the one message mailflow may send without review, and it may only ever
go to the user: From and To are both the user's own address, checked on the finished
message (see `check_only_to_user`), so no caller can turn it into mail to someone else.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import signal
import subprocess
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mailflow.errors import SettingsError

if TYPE_CHECKING:
    from email.headerregistry import Address
    from email.message import EmailMessage

# The email package (10-15 ms to import) is loaded only when a digest is composed: a
# scheduled run that has nothing to say must stay fast (see bench/run.py).

log = logging.getLogger("mailflow.notify")

NOTIFY_TIMEOUT = 10.0  # seconds; a notifier that hangs (no desktop session) must not stall a run
DIGEST_MAX_LISTED = 20  # a digest is a nudge, not a report: the rest is "... and N more"
_STDERR_TAIL = 300


def notify(command: str, title: str, body: str) -> None:
    """Run `command` (shell-like words, no shell) with `title` and `body` appended.

    Failures (not found, non-zero exit, timeout) are logged as warnings and never raised.
    """
    try:
        argv = shlex.split(command)
    except ValueError as exc:  # an unclosed quote in the settings
        log.warning("notify_command %r cannot be split into words: %s", command, exc)
        return
    if not argv:
        log.warning("notify_command is empty; no notification sent")
        return
    argv += [_argument(title), _argument(body)]
    try:
        # A session of its own, so a timeout kills the whole group: a wrapper script's
        # children would otherwise outlive it and hold our pipe open.
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, start_new_session=True,
        )
    except (OSError, ValueError) as exc:  # not found, not executable; NUL or bad text in argv
        log.warning("notify_command %s could not be started: %s", argv[0], exc)
        return
    try:
        _, err = proc.communicate(timeout=NOTIFY_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        log.warning("notify_command %s did not finish within %g s and was stopped",
                    argv[0], NOTIFY_TIMEOUT)
        return
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip()[-_STDERR_TAIL:]
        log.warning("notify_command %s failed with exit status %d%s", argv[0],
                    proc.returncode, f": {tail}" if tail else "")


def _argument(text: str) -> str:
    # argv cannot hold NUL. And a leading "-" would be read as an option by the notifier
    # (notify-send, ntfy ... take options like --attach=FILE), letting a hostile subject
    # pick options; a leading space makes it plain text for every option parser.
    text = text.replace("\x00", "")
    return " " + text if text.startswith("-") else text


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        # A grandchild that left the group may still hold stderr: do not wait for it.
        proc.communicate(timeout=1)
    if proc.stderr is not None:
        proc.stderr.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=1)


def digest(
    drafts: Sequence[Mapping[str, Any]], user_name: str, user_email: str, now: datetime
) -> EmailMessage:
    """A short plain-text email to the user listing the drafts that wait for review.

    `drafts` are draft rows as dicts (`dict(row)` of the store's drafts table); the keys
    used are id, subject, proposed_to and expires_at, each optional. `now` should be in
    the user's zone: expiry times are shown in it. Raises SettingsError
    when `user_email` is not one plain address (the digest has nowhere safe to go) and
    ValueError for an empty list or a `now` without a time zone.
    """
    import secrets
    from email.message import EmailMessage
    from email.policy import SMTP as SMTP_POLICY
    from email.utils import format_datetime

    if not drafts:
        raise ValueError("no drafts wait for review: there is nothing to send a digest about")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must carry a time zone (the Date header needs one)")
    me = _user_address(user_name, user_email)

    count = len(drafts)
    waits = "1 draft waits" if count == 1 else f"{count} drafts wait"
    lines = [f"{waits} for your review:", ""]
    for draft in drafts[:DIGEST_MAX_LISTED]:
        lines.append("  " + _draft_line(draft, now))
    if count > DIGEST_MAX_LISTED:
        lines.append(f"  ... and {count - DIGEST_MAX_LISTED} more")
    lines += [
        "",
        "Nothing is sent until you approve it. To read, edit and approve them, run:",
        "",
        "  mailflow review",
        "",
        "-- ",
        f"mailflow sends this note only to you ({me.addr_spec}).",
    ]

    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = me
    msg["To"] = me
    msg["Subject"] = f"mailflow: {waits} for your review"
    msg["Date"] = format_datetime(now)
    # Short, so the header stays on one line; random, so two digests never share an ID.
    msg["Message-ID"] = f"<mailflow-digest.{secrets.token_hex(10)}@{_msgid_domain(me.domain)}>"
    # Vacation responders must not answer it (RFC 3834); Precedence: bulk is what older
    # responders, and mailflow's own screening (classify.worth_fetching), go by, so a poll
    # does not even download the digest.
    msg["Auto-Submitted"] = "auto-generated"
    msg["Precedence"] = "bulk"
    msg["X-Mailflow-Digest"] = str(count)
    msg.set_content("\n".join(lines) + "\n")
    check_only_to_user(msg, me.addr_spec)
    return msg


def check_only_to_user(msg: EmailMessage, user_email: str) -> None:
    """Raise ValueError unless `msg` goes from the user to the user and nobody else.

    Checked on the message as it will go on the wire, parsed back (not on what we meant to
    write), and meant to be called again right before handing the digest to SMTP, whose
    envelope recipient must be `user_email` too.
    """
    from email.parser import BytesParser
    from email.policy import SMTP as SMTP_POLICY

    try:
        want = _ascii_domain(user_email.strip()).lower()
    except UnicodeError:
        raise ValueError(f"the digest may only go to the user, and {user_email!r} is not "
                         "an address") from None
    wire = BytesParser(policy=SMTP_POLICY).parsebytes(msg.as_bytes())
    for name in ("From", "To"):
        values = wire.get_all(name) or []
        addresses = [a for v in values for a in getattr(v, "addresses", ())]
        if len(values) != 1 or len(addresses) != 1 or addresses[0].addr_spec.lower() != want:
            found = ", ".join(str(v) for v in values) or "nothing"
            raise ValueError(f"the digest may only go to the user ({user_email}); "
                             f"its {name} is {found}")
    for name in ("Cc", "Bcc", "Reply-To", "Sender", "Resent-To", "Resent-Cc", "Resent-Bcc"):
        if name in wire:
            raise ValueError(f"the digest may only go to the user ({user_email}); "
                             f"it has a {name} header")


def _user_address(user_name: str, user_email: str) -> Address:
    # Address() parses addr_spec strictly: "me@x, boss@y" or "Me <me@x>" is refused here,
    # so a malformed [user] email can never add a recipient.
    from email.errors import MessageError
    from email.headerregistry import Address

    name = " ".join(user_name.replace("\x00", "").split())  # no line breaks in a header
    try:
        return Address(display_name=name, addr_spec=_ascii_domain(user_email.strip()))
    except (ValueError, IndexError, MessageError) as exc:  # UnicodeError is a ValueError
        raise SettingsError(
            f"[user] email {user_email!r} is not one plain address, so no digest was sent",
            hint=f"write it like alex@example.com ({exc})",
        ) from None


def _ascii_domain(address: str) -> str:
    """alex@bücher.de as alex@xn--bcher-kva.de: the stdlib would write the domain as an
    RFC 2047 encoded word, which no server delivers to. Raises UnicodeError."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def _draft_line(draft: Mapping[str, Any], now: datetime) -> str:
    # Subjects and names come from other people's mail: one line each, whatever they hold.
    subject = _one_line(draft.get("subject")) or "(no subject)"
    parts = [f"#{draft['id']}  {subject}" if draft.get("id") is not None else subject]
    to = _one_line(draft.get("proposed_to") or draft.get("recipient"))
    if to:
        parts.append(f"to {to}")
    expires = _when(draft.get("expires_at"), now)
    if expires:
        parts.append(f"expires {expires}")
    return ", ".join(parts)


def _one_line(value: object, limit: int = 120) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _when(value: object, now: datetime) -> str:
    """An expiry in the user's zone (that of `now`), as "Wed 25 Nov 15:00"."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return _one_line(value, 40)
    if not isinstance(value, datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=now.tzinfo)
    return f"{value.astimezone(now.tzinfo):%a %d %b %H:%M}"


def _msgid_domain(domain: str) -> str:
    # Not this host's FQDN (make_msgid's default: a DNS query, seconds when the resolver is
    # slow, and it names the machine); the user's own mail domain (already ASCII, see
    # _ascii_domain) is a fine right-hand side.
    return domain if domain.isascii() and domain else "mailflow.invalid"
