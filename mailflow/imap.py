"""IMAP, read-only: the adapter between imapclient and the poller.

Reading never changes the user's mailbox: folders are opened with EXAMINE (imapclient's
`select_folder(readonly=True)`) and every fetch uses BODY.PEEK, so not even \\Seen moves.
Messages come out as `(uid, raw bytes)`; everything after that is pure code.

Every library or socket error is translated here into a `MailflowError` the user can act
on. Facts about the server that shape this code (Dovecot 2.3, imapclient 4.1): fetching
"1:*" raises after the server has answered, so UIDs are always passed as explicit lists in
batches; `UID SEARCH UID n:*` returns the last UID even when nothing is above n, so the
result is filtered.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import socket
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from mailflow import credentials
from mailflow.errors import ConnectionFailed, LoginFailed, MailflowError, ServerError, TLSFailure
from mailflow.settings import Account

# Common names for the Sent and Drafts folders, for servers without RFC 6154 SPECIAL-USE.
SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail",
              "INBOX.Sent", "Gesendet", "Envoyés", "Enviados")
DRAFTS_NAMES = ("Drafts", "[Gmail]/Drafts", "INBOX.Drafts", "Entwürfe", "Brouillons", "Borradores")


_APPENDUID = re.compile(rb"APPENDUID \d+ (\d+)")


# The header fields the poller's screen and thread matching read (messages.parse_headers).
SCREEN_FIELDS = ("FROM", "SUBJECT", "MESSAGE-ID", "IN-REPLY-TO", "REFERENCES", "DATE",
                 "CONTENT-TYPE", "LIST-ID", "LIST-UNSUBSCRIBE", "PRECEDENCE", "AUTO-SUBMITTED",
                 "X-AUTOREPLY", "X-AUTORESPOND")


@dataclass(frozen=True)
class FolderState:
    name: str
    uidvalidity: int
    uidnext: int | None
    exists: int


@dataclass(frozen=True)
class Header:
    uid: int
    raw: bytes
    size: int
    gm_thrid: str | None


@contextlib.contextmanager
def translated(account: Account, doing: str) -> Iterator[None]:
    """Turn socket, TLS and IMAP errors into one-line errors that name the server."""
    from imapclient.exceptions import LoginError

    where = f"{account.host}:{account.port}"
    try:
        yield
    except (LoginFailed, ConnectionFailed, ServerError):
        raise
    except LoginError:
        raise LoginFailed(
            f"{account.host} refused the login for {account.username}",
            hint="check the username and password (Gmail and Microsoft 365 want an app "
            "password or OAuth2)",
        ) from None
    except ssl.SSLCertVerificationError as exc:
        raise TLSFailure(
            f"the certificate of {where} could not be verified: {exc.verify_message}",
            hint="check the host name; for a self-signed server set cafile in [account]",
        ) from None
    except ssl.SSLError as exc:
        raise TLSFailure(f"TLS with {where} failed while {doing}: {exc.reason or exc}") from None
    except socket.gaierror:
        raise ConnectionFailed(
            f"cannot find the mail server {account.host}", hint="check host in [account]"
        ) from None
    except ConnectionRefusedError:
        raise ConnectionFailed(
            f"{where} refused the connection", hint="check host, port and security in [account]"
        ) from None
    except TimeoutError:
        raise ConnectionFailed(f"{where} did not answer in time while {doing}") from None
    except (imaplib.IMAP4.abort, ConnectionError, EOFError, OSError) as exc:
        raise ConnectionFailed(
            f"the connection to {where} was lost while {doing} ({exc.__class__.__name__})",
            hint="nothing was lost; the next run continues from the last saved batch",
        ) from None
    except imaplib.IMAP4.error as exc:
        text = str(exc)
        raise ServerError(f"{where} refused {doing}: {text}") from None


def tls_context(cafile: str | None) -> ssl.SSLContext:
    """A verifying context: the system's CAs, or only `cafile` when the settings name one.

    Certificates and host names are always checked; `cafile` replaces the trust anchors (as
    curl's --cacert does) and never turns checking off. Loading the system store costs
    about 25 ms, most of a no-op poll, which is another reason to let a private CA skip it.
    """
    return ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()


class ImapSource:
    """A logged-in, read-only IMAP connection for one account."""

    def __init__(self, account: Account, password: str | None = None) -> None:
        import imapclient

        self.account = account
        context = tls_context(str(account.cafile) if account.cafile else None)
        with translated(account, "connecting"):
            self.client = imapclient.IMAPClient(
                account.host,
                port=account.port,
                ssl=account.security == "ssl",
                ssl_context=context,
                timeout=account.timeout,
            )
        with translated(account, "starting TLS"):
            if account.security == "starttls":
                self.client.starttls(context)
        try:
            if account.auth == "oauth2":
                # XOAUTH2 with a fresh access token from token_command (never logged).
                token = password or credentials.token(account.token_command)
                with translated(account, "logging in"):
                    offered = self.client.has_capability("AUTH=XOAUTH2")
                if not offered:
                    raise LoginFailed(
                        f"{account.host} does not offer OAuth2 (XOAUTH2) login",
                        hint="set auth = password in [account] and use an app password",
                    )
                try:
                    with translated(account, "logging in"):
                        self.client.oauth2_login(account.username, token)
                except LoginFailed:
                    raise LoginFailed(
                        f"{account.host} refused the OAuth2 access token for "
                        f"{account.username}",
                        hint="the token may have expired or lack mail access: run "
                        "token_command by hand to refresh it (or authorize again)",
                    ) from None
            else:
                secret = password or credentials.password(account.keyring_user,
                                                          account.password_command)
                with translated(account, "logging in"):
                    self.client.login(account.username, secret)
        except MailflowError:  # a refused login, or a password/token command that failed
            with contextlib.suppress(Exception):
                self.client.shutdown()
            raise
        self.gmail = self.client.has_capability("X-GM-EXT-1")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.logout()

    def __enter__(self) -> ImapSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- folders -----------------------------------------------------------------------------

    def special_folder(self, flag: bytes, names: Sequence[str]) -> str | None:
        """A folder by its RFC 6154 attribute, falling back to the usual names."""
        with translated(self.account, "listing folders"):
            listing = self.client.list_folders()
        for flags, _delim, name in listing:
            if flag in flags:
                return str(name)
        present = {str(name).casefold(): str(name) for _f, _d, name in listing}
        for candidate in names:
            if candidate.casefold() in present:
                return present[candidate.casefold()]
        return None

    def sent_folder(self) -> str | None:
        return self.account.sent_folder or self.special_folder(b"\\Sent", SENT_NAMES)

    def drafts_folder(self) -> str | None:
        return self.account.drafts_folder or self.special_folder(b"\\Drafts", DRAFTS_NAMES)

    def examine(self, folder: str) -> FolderState:
        """Open a folder read-only."""
        with translated(self.account, f"opening {folder}"):
            info = self.client.select_folder(folder, readonly=True)
        return FolderState(
            name=folder,
            uidvalidity=int(info[b"UIDVALIDITY"]),
            uidnext=int(info[b"UIDNEXT"]) if b"UIDNEXT" in info else None,
            exists=int(info.get(b"EXISTS", 0)),
        )

    # ---- searching and fetching ----------------------------------------------------------------

    def uids_since(self, since: date | None) -> list[int]:
        """UIDs of messages that arrived on or after `since` (all when None), ascending."""
        criteria: list[object] = ["SINCE", since] if since else ["ALL"]
        with translated(self.account, "searching"):
            return sorted(int(u) for u in self.client.search(criteria))

    def uids_above(self, last_uid: int) -> list[int]:
        with translated(self.account, "searching"):
            found = self.client.search(["UID", f"{last_uid + 1}:*"])
        return sorted(int(u) for u in found if int(u) > last_uid)

    def headers(self, uids: Sequence[int]) -> list[Header]:
        # Only the fields the screen reads: Received and DKIM lines are most of a header's
        # bytes, and every byte costs transfer and parsing time on a full scan.
        items = [f"BODY.PEEK[HEADER.FIELDS ({' '.join(SCREEN_FIELDS)})]", "RFC822.SIZE"]
        if self.gmail:
            items.append("X-GM-THRID")
        with translated(self.account, "fetching headers"):
            data = self.client.fetch(list(uids), items)
        out = []
        for uid in uids:
            entry = data.get(uid)
            if entry is None:  # expunged between SEARCH and FETCH
                continue
            thrid = entry.get(b"X-GM-THRID")
            raw = next((v for k, v in entry.items() if k.startswith(b"BODY[HEADER")), b"")
            out.append(
                Header(
                    uid=uid,
                    raw=raw or b"",
                    size=int(entry.get(b"RFC822.SIZE") or 0),
                    gm_thrid=str(thrid) if thrid is not None else None,
                )
            )
        return out

    def bodies(self, uids: Sequence[int]) -> dict[int, bytes]:
        if not uids:
            return {}
        with translated(self.account, "fetching messages"):
            data = self.client.fetch(list(uids), ["BODY.PEEK[]"])
        return {uid: entry.get(b"BODY[]") or b"" for uid, entry in data.items()}

    def append(self, folder: str, raw: bytes, flags: Sequence[bytes]) -> int | None:
        """One of the two writes: a sent message's copy into Sent, a draft into Drafts.

        Returns the new message's UID when the server says it (UIDPLUS's APPENDUID).
        """
        with translated(self.account, f"saving a copy in {folder}"):
            response = self.client.append(folder, raw, flags=tuple(flags))
        found = _APPENDUID.search(response or b"")
        return int(found.group(1)) if found else None

    def remove(self, folder: str, uids: Sequence[int]) -> None:
        """The other write: take mailflow's own copies out of Drafts (by UID, never others).

        Only with UIDPLUS can exactly these be expunged; without it they are only flagged
        \\Deleted, since a plain EXPUNGE would also remove whatever else the user deleted.
        """
        if not uids:
            return
        with translated(self.account, f"removing mailflow's copy from {folder}"):
            self.client.select_folder(folder)  # read-write: Drafts only, on request
            self.client.delete_messages(list(uids))
            if self.client.has_capability("UIDPLUS"):
                self.client.uid_expunge(list(uids))

    def search_message_id(self, folder: str, message_id: str) -> bool:
        """Whether a message with this Message-ID is in `folder` (the outbox's reconcile)."""
        self.examine(folder)
        with translated(self.account, "searching"):
            if self.gmail:
                found = self.client.gmail_search(f"rfc822msgid:{message_id.strip('<>')}")
            else:
                found = self.client.search(["HEADER", "Message-ID", message_id])
        return bool(found)
