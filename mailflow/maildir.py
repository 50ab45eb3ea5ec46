"""A local Maildir (mbsync, offlineimap, the bundled example), read like an IMAP folder.

Maildir has no UIDs: a message is known by its key, the unique part of its file name, which
survives flag changes and moves between new/ and cur/. The poller keeps the keys it has
processed, so each run reads only files it has not seen. Nothing here writes to the
Maildir: flags stay as the mail client left them.
"""

from __future__ import annotations

import mailbox
from pathlib import Path

from mailflow.errors import ConnectionFailed

SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail].Sent Mail",
              "[Gmail]/Sent Mail")
DRAFTS_NAMES = ("Drafts", "[Gmail].Drafts", "[Gmail]/Drafts")


class MaildirSource:
    def __init__(self, root: Path) -> None:
        if not (root / "cur").is_dir() and not (root / "new").is_dir():
            raise ConnectionFailed(f"{root} is not a Maildir (no cur/ or new/ inside)")
        self.root = root
        # factory=None: we want raw bytes, not mailbox's own message objects.
        self.inbox = mailbox.Maildir(root, factory=None, create=False)

    def _folder(self, name: str) -> mailbox.Maildir:
        if name.upper() == "INBOX":
            return self.inbox
        try:
            return self.inbox.get_folder(name)
        except mailbox.NoSuchMailboxError:
            # Some sync tools lay folders out as plain sub-directories instead of Maildir++.
            plain = self.root / name
            if (plain / "cur").is_dir():
                return mailbox.Maildir(plain, factory=None, create=False)
            raise ConnectionFailed(f"no folder {name!r} in the Maildir {self.root}") from None

    def folders(self) -> list[str]:
        return ["INBOX", *self.inbox.list_folders()]

    def sent_folder(self) -> str | None:
        present = {f.casefold(): f for f in self.inbox.list_folders()}
        for name in SENT_NAMES:
            if name.casefold() in present:
                return present[name.casefold()]
        return None

    def keys(self, folder: str) -> list[str]:
        box = self._folder(folder)
        # Python before 3.13 lists dot-files (a .gitkeep in new/) as messages.
        return sorted(k for k in box.iterkeys() if not k.startswith("."))

    def read(self, folder: str, key: str) -> bytes | None:
        """The message's bytes, or None if it was moved or deleted since it was listed."""
        try:
            return self._folder(folder).get_bytes(key)
        except (KeyError, FileNotFoundError):
            return None

    def has_message_id(self, folder: str, message_id: str) -> bool:
        """Whether `folder` holds a message with this Message-ID (the outbox's reconcile)."""
        from mailflow.messages import parse_headers

        for key in self.keys(folder):
            raw = self.read(folder, key)
            if raw is not None and parse_headers(raw).message_id == message_id:
                return True
        return False

    def close(self) -> None:
        pass

    def __enter__(self) -> MaildirSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
