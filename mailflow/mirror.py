"""Drafts waiting for review, mirrored into the IMAP Drafts folder (`mirror_drafts = yes`).

The mailbox is the user's: this is one of only two places mailflow writes to it, and only
when asked. Each pending draft has at most one copy, flagged \\Draft (and \\Seen, so it
does not look like new mail). When the draft's text changes the copy is replaced; when it
is approved, sent, discarded or expires, the copy is removed. The copy carries no To: the
recipient is bound at approval, never before. Edits made to the copy in a mail client are
not read back; `mailflow edit` is the way to change a draft.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr, make_msgid

from mailflow.errors import MailflowError
from mailflow.settings import Settings
from mailflow.store import Store, iso

log = logging.getLogger(__name__)


def text_hash(row) -> str:  # type: ignore[no-untyped-def]
    payload = json.dumps([row["subject"], row["body"], row["in_reply_to"], row["refs"]])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def compose(row, settings: Settings, now: datetime) -> EmailMessage:  # type: ignore[no-untyped-def]
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = formataddr((settings.user.name, settings.user.email))
    msg["Subject"] = row["subject"]
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(idstring=f"mailflow-draft.{row['id']}",
                                   domain=settings.user.email.rsplit("@", 1)[-1])
    if row["in_reply_to"]:
        msg["In-Reply-To"] = row["in_reply_to"]
    refs = json.loads(row["refs"])
    if refs:
        msg["References"] = " ".join(refs)
    msg["X-Mailflow-Draft"] = str(row["id"])
    msg.set_content(row["body"])
    return msg


def sync(store: Store, settings: Settings, now: datetime, source_factory=None) -> int:  # type: ignore[no-untyped-def]
    """Bring the Drafts folder in line with the pending drafts; returns copies changed."""
    account = settings.account
    if not account.mirror_drafts or account.source != "imap":
        return 0
    wanted = {r["id"]: r for r in store.drafts(("pending",))}
    # A copy whose UID the server did not tell (no UIDPLUS) cannot be removed later; its
    # hash still records that it was made, so it is never made twice.
    mirrored = [r for r in store.drafts() if r["mirror_uid"] is not None]
    stale = [r for r in mirrored
             if r["id"] not in wanted or r["mirror_hash"] != text_hash(wanted[r["id"]])]
    missing = [r for r in wanted.values() if r["mirror_hash"] != text_hash(r)]
    if not stale and not missing:
        return 0
    from mailflow.imap import ImapSource

    changed = 0
    try:
        with (source_factory or ImapSource)(account) as src:
            folder = src.drafts_folder()
            if folder is None:
                log.warning("no Drafts folder found: set drafts_folder in [account]")
                return 0
            if stale:
                src.remove(folder, [r["mirror_uid"] for r in stale])
                with store.transaction():
                    for r in stale:
                        store.update_draft(r["id"], {"mirror_uid": None, "mirror_hash": None})
                changed += len(stale)
            for r in missing:
                uid = src.append(folder, compose(r, settings, now).as_bytes(),
                                 [b"\\Draft", b"\\Seen"])
                with store.transaction():
                    store.update_draft(r["id"], {"mirror_uid": uid, "mirror_hash": text_hash(r),
                                                 "updated_at": iso(now)})
                changed += 1
    except MailflowError as exc:
        # The mirror is a convenience: a failure here never stops polling or sending.
        log.warning("could not update the Drafts folder: %s", exc)
    return changed
