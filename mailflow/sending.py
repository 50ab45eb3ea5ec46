"""`mailflow send`: deliver what was approved and is due, exactly once.

Every step is committed before the next action, so a run killed anywhere can be resumed
without losing or duplicating a message:

  approved --(commit)--> sending --SMTP--> (commit) sent --> copy in Sent
                                      \\--> approved again (temporary error, with backoff)
                                      \\--> failed (the server refused it: 5xx)

A draft found in "sending" at the start of a run belongs to a run that died between the
commit and the SMTP answer. It is never resent on a guess: its Message-ID (fixed at
approval) is looked up in the Sent folder; found, it is marked sent; not found, it becomes
"unknown", is shown in `status`, and goes out again only after a new approval.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mailflow import outbox, threads
from mailflow.errors import MailflowError
from mailflow.outbox import DraftView
from mailflow.settings import Account, Settings
from mailflow.store import Store, instant, iso

log = logging.getLogger(__name__)

GMAIL_HOSTS = ("gmail.com", "googlemail.com")


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)  # back to review: they wrote
    retry: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    reconciled: list[int] = field(default_factory=list)  # found in Sent after a crash
    waiting: list[tuple[int, str]] = field(default_factory=list)  # (id, refusal name)


def view(row) -> DraftView:  # type: ignore[no-untyped-def]
    return DraftView(
        id=row["id"], thread_id=row["thread_id"], kind=row["kind"], state=row["state"],
        subject=row["subject"], body=row["body"], in_reply_to=row["in_reply_to"],
        references=tuple(json.loads(row["refs"])), not_before=instant(row["not_before"]),  # type: ignore[arg-type]
        expires_at=instant(row["expires_at"]), created_at=instant(row["created_at"]),  # type: ignore[arg-type]
        edited_at=instant(row["edited_at"]), recipient=row["recipient"],
        approved_at=instant(row["approved_at"]), approved_fingerprint=row["approved_fingerprint"],
        send_after=instant(row["send_after"]), message_id=row["message_id"],
        attempts=row["attempts"], next_attempt_at=instant(row["next_attempt_at"]),
    )


class SentFolder:
    """Where the account keeps sent mail: for the reconcile and for saving a copy."""

    def __init__(self, account: Account) -> None:
        self.account = account

    def contains(self, message_id: str) -> bool:
        if self.account.source == "maildir":
            from mailflow.maildir import MaildirSource

            assert self.account.maildir is not None
            src = MaildirSource(self.account.maildir)
            folder = self.account.sent_folder or src.sent_folder()
            return bool(folder) and src.has_message_id(folder, message_id)  # type: ignore[arg-type]
        from mailflow.imap import ImapSource

        with ImapSource(self.account) as src:
            folder = src.sent_folder()
            return bool(folder) and src.search_message_id(folder, message_id)  # type: ignore[arg-type]

    def save_copy(self, raw: bytes) -> None:
        if self.account.source != "imap":
            return  # a local Maildir is filled by the user's own sync tool
        from mailflow.imap import ImapSource

        with ImapSource(self.account) as src:
            folder = src.sent_folder()
            if folder:
                src.append(folder, raw, [b"\\Seen"])


def send_due(
    store: Store, settings: Settings, now: datetime,
    connect: Callable[[], object] | None = None,
) -> SendReport:
    """Send what is approved and due. The caller polls first, so replies are known."""
    report = SendReport()
    # Each thread belongs to one account: its Sent folder is where its mail is looked for.
    folders = {a.name: SentFolder(a) for a in settings.accounts}

    def folder_of(d: DraftView) -> SentFolder:
        thread = store.thread(d.thread_id)
        return folders.get(thread["account"] if thread else "", folders[settings.account.name])

    reconcile(store, folder_of, now, report)
    connection = None
    try:
        for row in store.drafts(("approved",)):
            d = view(row)
            thread = store.thread(d.thread_id)
            assert thread is not None
            refusal = outbox.send_refusal(
                d, now=now, rules=settings.policy,
                recruiter_wrote_at=instant(thread["last_in"]),
                recruiter_zone=thread["interview_zone"] or settings.user.timezone,
                sent_this_run=len(report.sent), sent_to_thread_today=_sent_today(store, d, now),
            )
            if refusal is not None:
                _apply_refusal(store, d, refusal, now, report)
                continue
            if connection is None:
                connection = (connect or (lambda: _connect(settings)))()
            _send_one(store, settings, d, connection, folder_of(d), now, report)
    finally:
        if connection is not None:
            connection.close()  # type: ignore[attr-defined]
    return report


def reconcile(store: Store, folder_of: Callable[[DraftView], SentFolder], now: datetime,
              report: SendReport) -> None:
    for row in store.drafts(("sending",)):
        d = view(row)
        assert d.message_id is not None
        try:
            found = folder_of(d).contains(d.message_id)
        except MailflowError as exc:
            log.warning("draft %s: cannot check the Sent folder yet: %s", d.id, exc)
            continue  # stays "sending": checked again next run, never resent meanwhile
        with store.transaction():
            if found:
                _mark_sent(store, d, now)
                report.reconciled.append(d.id)
            else:
                store.update_draft(d.id, {
                    "state": "unknown", "updated_at": iso(now),
                    "last_error": "a run stopped while sending and the message is not in "
                                  "Sent: approve it again to send it",
                })
                report.unknown.append(d.id)


def _send_one(store: Store, settings: Settings, d: DraftView, connection, folder: SentFolder,  # type: ignore[no-untyped-def]
              now: datetime, report: SendReport) -> None:
    from mailflow import smtp

    assert d.recipient and d.message_id
    message = smtp.compose(smtp.Outgoing(
        from_name=settings.user.name, from_address=settings.user.email, to=d.recipient,
        subject=d.subject, body=d.body, message_id=d.message_id, in_reply_to=d.in_reply_to,
        references=d.references, date=now,
    ))
    with store.transaction():
        store.update_draft(d.id, {"state": "sending", "attempts": d.attempts + 1,
                                  "updated_at": iso(now)})
    try:
        connection.send(message, settings.user.email, d.recipient)
    except smtp.SendUnknown as exc:
        # Left in "sending": the next run's reconcile decides, from the Sent folder.
        with store.transaction():
            store.update_draft(d.id, {"last_error": str(exc), "updated_at": iso(now)})
        report.unknown.append(d.id)
        return
    except smtp.SendRetry as exc:
        with store.transaction():
            if d.attempts + 1 >= outbox.MAX_ATTEMPTS:
                store.update_draft(d.id, {"state": "failed", "last_error": str(exc),
                                          "updated_at": iso(now)})
                report.failed.append(d.id)
            else:
                store.update_draft(d.id, {
                    "state": "approved", "last_error": str(exc), "updated_at": iso(now),
                    "next_attempt_at": iso(now + outbox.backoff(d.attempts + 1)),
                })
                report.retry.append(d.id)
        return
    except smtp.SendRejected as exc:
        with store.transaction():
            store.update_draft(d.id, {"state": "failed", "last_error": str(exc),
                                      "updated_at": iso(now)})
        report.failed.append(d.id)
        return
    with store.transaction():
        _mark_sent(store, d, now)
    report.sent.append(d.id)
    if _save_copy(settings):
        try:
            folder.save_copy(message.as_bytes())
        except MailflowError as exc:
            log.warning("draft %s was sent, but no copy could be saved in Sent: %s", d.id, exc)


def _mark_sent(store: Store, d: DraftView, now: datetime) -> None:
    store.update_draft(d.id, {"state": "sent", "sent_at": iso(now), "updated_at": iso(now),
                              "last_error": None})
    store.add_event(d.thread_id, threads.DraftSent(now, d.kind))
    store.replay(d.thread_id, now)


def _apply_refusal(store: Store, d: DraftView, refusal: outbox.Refusal, now: datetime,
                   report: SendReport) -> None:
    if refusal.name == "they-wrote" or refusal.name == "edited":
        note = ("they wrote since you approved it: read their message first"
                if refusal.name == "they-wrote" else "it changed after approval")
        with store.transaction():
            row = store.draft(d.id)
            notes = json.loads(row["notes"]) if row else []
            store.update_draft(d.id, {
                "state": "pending", "approved_at": None, "approved_fingerprint": None,
                "send_after": None, "recipient": None, "updated_at": iso(now),
                "notes": json.dumps([*notes, note]),
            })
        report.held.append(d.id)
    elif refusal.name == "expired":
        with store.transaction():
            store.update_draft(d.id, {"state": "expired", "updated_at": iso(now)})
    else:
        report.waiting.append((d.id, refusal.name))


def _sent_today(store: Store, d: DraftView, now: datetime) -> int:
    since = iso(now - timedelta(days=1))
    row = store.conn.execute(
        "SELECT COUNT(*) FROM drafts WHERE thread_id=? AND state='sent' AND sent_at>?",
        (d.thread_id, since),
    ).fetchone()
    return int(row[0])


def _save_copy(settings: Settings) -> bool:
    assert settings.smtp is not None
    mode = settings.smtp.save_sent
    if mode == "auto":
        # Gmail files a copy of every SMTP send itself; another would be a duplicate.
        return not settings.smtp.host.lower().endswith(GMAIL_HOSTS)
    return mode == "yes"


def _connect(settings: Settings):  # type: ignore[no-untyped-def]
    from mailflow.errors import SettingsError
    from mailflow.smtp import SmtpConnection

    if settings.smtp is None:
        raise SettingsError(f"{settings.path}: [smtp]: section missing (needed to send)")
    return SmtpConnection(settings.smtp)
