"""Test messages as bytes, and settings for a test mailbox."""

from __future__ import annotations

import itertools
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ME = "alex.candidate@example.com"
_seq = itertools.count(1)


def mail(
    subject: str = "Hello",
    body: str = "Hi.",
    *,
    sender: str = "Priya Shah <priya.shah@northwind.example>",
    to: str = f"Alex Candidate <{ME}>",
    date: datetime,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["Message-ID"] = message_id or f"<m{next(_seq)}@test.example>"
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = " ".join(references or [in_reply_to])
    for k, v in (headers or {}).items():
        msg[k] = v
    msg.set_content(body)
    return bytes(msg)


def settings_text(account_lines: str, state_dir: Path, extra: str = "") -> str:
    return (
        "[user]\nname = Alex Candidate\n"
        f"email = {ME}\nphone = +1 212-555-0142\ntimezone = America/New_York\n\n"
        f"[account]\n{account_lines}\n\n[paths]\nstate_dir = {state_dir}\n{extra}"
    )
