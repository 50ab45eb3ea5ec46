"""A real Dovecot IMAP server on 127.0.0.1, run from a throw-away directory.

One server is meant to be shared by many tests: each test calls
:meth:`Dovecot.add_user` and gets a fresh, isolated mailbox. Nothing is mocked;
mailflow's IMAP code talks to the same Dovecot that real users run.

Besides passwords (PLAIN, LOGIN) the server takes OAuth2 bearer tokens (XOAUTH2,
OAUTHBEARER) through Dovecot's own oauth2 passdb, which checks each token with a
small RFC 7662 introspection endpoint run by this harness:
:meth:`Dovecot.issue_token` hands out tokens it will accept.
"""

from __future__ import annotations

import contextlib
import datetime
import grp
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

import imapclient

from .tls import client_context, make_cert

HOST = "127.0.0.1"
DOVECOT_BINARY = "/usr/sbin/dovecot"
START_TIMEOUT = 10.0
# Client sockets time out so a wedged server fails a test instead of hanging CI.
CLIENT_TIMEOUT = 10.0
# Used by start() to prove that authentication and mail storage work, not just
# that the port accepts TCP connections.
PROBE_USER = "harness-probe"

_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]", re.IGNORECASE)
# passwd-file is colon separated and line based; anything else would corrupt it.
_SAFE_CREDENTIAL = re.compile(r"^[A-Za-z0-9._@+=-]+$")
# write_maildir hands out strictly increasing "<secs>.M<usecs>" name prefixes:
# Dovecot gives newly found files UIDs in that order (maildir_filename_sort_cmp),
# so messages get UIDs in the order written, even across calls in one second.
_stamp_lock = threading.Lock()
_last_stamp_us = 0


def _next_stamp() -> str:
    global _last_stamp_us
    _last_stamp_us = max(_last_stamp_us + 1, time.time_ns() // 1000)
    secs, usecs = divmod(_last_stamp_us, 1_000_000)
    # Zero-padded so sorting the files by name also gives the message order
    # (callers do that to set per-message mtimes); Dovecot parses it the same.
    return f"{secs}.M{usecs:06d}"


def _spread(index: int) -> str:
    """8 hex digits that differ wildly between neighbouring indexes.

    Dovecot keeps a folder's Maildir files in a hash table keyed by the weak
    ELF/ASU hash of the name up to ":" (maildir_filename_base_hash). Names
    whose only varying parts repeat the same counter (e.g. ".M<i>...Q<i>")
    collide heavily: in a model of that hash, 100k such names put up to 2,700
    in one bucket; ending the name with a scrambled counter (Knuth's
    multiplicative hash) keeps every bucket under ~10. Measured on a 100k
    folder, the first EXAMINE went from ~1.3 s to ~0.5 s.
    """
    return f"{(index * 2654435761) & 0xFFFFFFFF:08x}"


def _maildir_name(stamp: str, batch: str, index: int, size: int, info: str) -> str:
    # S=<size> lets Dovecot answer RFC822.SIZE without a stat() per message.
    return f"{stamp}{batch}.mailflow.{_spread(index)},S={size}{info}"


def dovecot_available() -> bool:
    """True when the Dovecot binary is installed (tests skip with a reason otherwise)."""
    return Path(DOVECOT_BINARY).is_file() or shutil.which("dovecot") is not None


def _dovecot_binary() -> str:
    if Path(DOVECOT_BINARY).is_file():
        return DOVECOT_BINARY
    found = shutil.which("dovecot")
    if found is None:
        raise RuntimeError("dovecot is not installed (apt-get install dovecot-imapd)")
    return found


def free_port() -> int:
    """A TCP port that was free a moment ago (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"({path.name}: missing)"
    return f"--- {path.name} ---\n" + "\n".join(text.splitlines()[-lines:])


def _mailbox_path(maildir: Path, folder: str) -> Path:
    # Maildir++ (Dovecot's default for maildir:): INBOX is the root, every other
    # mailbox is a dot-prefixed sibling directory, hierarchy separated by ".".
    if folder.upper() == "INBOX":
        return maildir
    return maildir / f".{folder}"


@dataclass(frozen=True)
class _Owner:
    """uid/gid that mail files must belong to: mail processes run as this user."""

    uid: int
    gid: int

    def chown(self, path: Path) -> None:
        # Only root may chown; as an ordinary user the files are already ours.
        if os.geteuid() == 0:
            os.chown(path, self.uid, self.gid)


@dataclass
class Account:
    """One user on a running :class:`Dovecot`, with helpers to seed and inspect mail."""

    host: str
    port: int
    ssl_port: int
    username: str
    password: str
    cafile: Path
    maildir: Path
    _owner: _Owner = field(repr=False)

    def client(self, ssl: bool = False, starttls: bool = False) -> imapclient.IMAPClient:
        """A logged-in IMAPClient. TLS (implicit or STARTTLS) verifies the test cert."""
        if ssl and starttls:
            raise ValueError("choose ssl (implicit TLS) or starttls, not both")
        context = client_context(self.cafile) if (ssl or starttls) else None
        client = imapclient.IMAPClient(
            self.host,
            port=self.ssl_port if ssl else self.port,
            ssl=ssl,
            ssl_context=context,
            timeout=CLIENT_TIMEOUT,
        )
        try:
            if starttls:
                client.starttls(context)
            client.login(self.username, self.password)
        except BaseException:
            # Don't leak the socket (and a Dovecot connection slot) on failure.
            with contextlib.suppress(Exception):
                client.shutdown()
            raise
        return client

    def append(
        self,
        folder: str,
        raw: bytes,
        flags: Iterable[str | bytes] = (),
        msg_time: datetime.datetime | None = None,
    ) -> int:
        """APPEND *raw* to *folder* (created if missing) and return its new UID."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=tuple(flags), msg_time=msg_time)
        match = _APPENDUID.search(response)
        if match is None:
            raise RuntimeError(f"no APPENDUID in APPEND response: {response!r}")
        return int(match.group(1))

    def flags(self, folder: str) -> dict[int, tuple[bytes, ...]]:
        """UID -> flags of every message in *folder*, read without changing anything.

        Uses EXAMINE, so nothing is marked \\Seen or expunged by looking. \\Recent
        is dropped from the result: it is a per-session attribute, not a stored
        flag, and whichever session sees a message first claims it, so it would
        make before/after snapshots differ for reasons unrelated to mailflow.
        """
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return {}
            fetched = client.fetch(uids, ["FLAGS"])
        return {
            uid: tuple(flag for flag in data[b"FLAGS"] if flag != imapclient.RECENT)
            for uid, data in fetched.items()
        }

    def write_maildir(
        self,
        folder: str,
        messages: Iterable[bytes],
        maildir_flags: str = "",
        msg_time: datetime.datetime | None = None,
    ) -> int:
        """Drop *messages* straight into the user's Maildir; returns how many.

        For bulk fills (100,000 messages in seconds, where APPEND would take
        minutes). Files go to ``cur/`` with info ``:2,<maildir_flags>`` (e.g. "S"
        for \\Seen). UIDs follow the order given. *msg_time* sets the file mtime,
        which Dovecot reports as INTERNALDATE (default: now). Dovecot notices the
        files on the next SELECT/EXAMINE/NOOP because writing bumps ``cur/``'s
        mtime; no trick needed there.
        """
        mailbox = _mailbox_path(self.maildir, folder)
        if not mailbox.exists():
            self._create_maildir(mailbox, is_subfolder=mailbox != self.maildir)
        cur = mailbox / "cur"
        info = ":2," + "".join(sorted(set(maildir_flags)))
        batch = f"P{os.getpid()}R{secrets.token_hex(3)}"
        root = os.geteuid() == 0
        mtime = None if msg_time is None else msg_time.timestamp()
        count = 0
        with _stamp_lock:
            for raw in messages:
                name = _maildir_name(_next_stamp(), batch, count, len(raw), info)
                # One fd for open/write/fchown/utime: ~3x faster than by-path
                # calls, which matters at 100k files.
                fd = os.open(cur / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                try:
                    os.write(fd, raw)
                    if root:
                        os.fchown(fd, self._owner.uid, self._owner.gid)
                    if mtime is not None:
                        os.utime(fd, (mtime, mtime))
                finally:
                    os.close(fd)
                count += 1
        return count

    def _create_maildir(self, mailbox: Path, is_subfolder: bool) -> None:
        for path in (mailbox, mailbox / "cur", mailbox / "new", mailbox / "tmp"):
            path.mkdir(mode=0o700, exist_ok=True)
            self._owner.chown(path)
        if is_subfolder:
            # Maildir++ marker Dovecot itself writes into folders it creates.
            marker = mailbox / "maildirfolder"
            marker.touch()
            self._owner.chown(marker)


class _Introspection:
    """An RFC 7662 token introspection endpoint for Dovecot's oauth2 passdb.

    Dovecot POSTs ``token=<access token>`` (introspection_mode = post) and reads
    ``active`` and ``username`` from the JSON answer. Tokens are the ones
    :meth:`issue` handed out and not revoked; anything else is inactive.
    """

    PATH = "/introspect"

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()
        # Every token Dovecot asked about, so tests can prove which path was used.
        self.asked: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
                token = (form.get("token") or [""])[0]
                body = json.dumps(owner.answer(token)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # keep test output clean (and tokens out of it)

        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://{HOST}:{self._server.server_address[1]}{self.PATH}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="dovecot-introspection", daemon=True
        )
        self._thread.start()

    def answer(self, token: str) -> dict[str, object]:
        with self._lock:
            self.asked.append(token)
            username = self._tokens.get(token)
        if username is None:
            return {"active": False}
        return {"active": True, "username": username, "token_type": "Bearer"}

    def issue(self, username: str) -> str:
        token = "ya29." + secrets.token_urlsafe(24)  # shaped like a provider's token
        with self._lock:
            self._tokens[token] = username
        return token

    def revoke(self, token: str) -> None:
        with self._lock:
            self._tokens.pop(token, None)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class Dovecot:
    """A Dovecot instance listening on 127.0.0.1 (plain+STARTTLS and IMAPS).

    ``stop()``/``start()`` keep ports and data (reconnect tests), ``kill()``
    simulates a crash, ``close()`` stops and deletes everything.
    """

    def __init__(self) -> None:
        # Not pytest's tmp_path: that lives under a 0700 directory the
        # unprivileged dovecot/dovenull users cannot traverse.
        self.dir = Path(tempfile.mkdtemp(prefix="mailflow-dovecot-", dir="/tmp"))
        self._introspection: _Introspection | None = None
        try:
            self._prepare()
        except BaseException:
            if self._introspection is not None:
                self._introspection.close()
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    def _prepare(self) -> None:
        self.dir.chmod(0o755)
        self.host = HOST
        self.port = free_port()
        self.ssl_port = free_port()
        while self.ssl_port == self.port:
            self.ssl_port = free_port()
        self.cafile, self.keyfile = make_cert(self.dir / "tls")
        self.config_path = self.dir / "dovecot.conf"
        self.oauth2_config_path = self.dir / "dovecot-oauth2.conf.ext"
        # One passwd-file per user (see add_user for why not one shared file).
        self.passwd_dir = self.dir / "passwd.d"
        self.home_root = self.dir / "home"
        self.log_path = self.dir / "dovecot.log"
        self.info_log_path = self.dir / "dovecot-info.log"
        self.stderr_path = self.dir / "dovecot-stderr.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._root = os.geteuid() == 0
        if self._root:
            # Mail processes refuse uid 0, so mail belongs to the packaged user.
            entry = pwd.getpwnam("dovecot")
            self._owner = _Owner(entry.pw_uid, entry.pw_gid)
        else:
            self._owner = _Owner(os.getuid(), os.getgid())
        for sub in ("run", "state"):
            (self.dir / sub).mkdir(mode=0o755)
        self.home_root.mkdir(mode=0o755)
        # Dovecot's auth process runs unprivileged and must read these files.
        self.passwd_dir.mkdir(mode=0o755)
        self._introspection = _Introspection()
        self.oauth2_config_path.write_text(self._oauth2_config())
        self.oauth2_config_path.chmod(0o644)  # read by the unprivileged auth process
        self.config_path.write_text(self._config())
        self._probe = self.add_user(PROBE_USER, secrets.token_hex(8))

    # -- configuration ---------------------------------------------------

    def _config(self) -> str:
        d = self.dir
        if self._root:
            identity = ""
            userdb = f"uid={self._owner.uid} gid={self._owner.gid}"
        else:
            # Without root Dovecot cannot switch users or chroot, so everything
            # runs as whoever started the tests.
            user = pwd.getpwuid(os.getuid()).pw_name
            group = grp.getgrgid(os.getgid()).gr_name
            identity = (
                f"default_login_user = {user}\n"
                f"default_internal_user = {user}\n"
                f"default_internal_group = {group}\n"
                "service anvil {\n  chroot =\n}\n"
            )
            userdb = f"uid={os.getuid()} gid={os.getgid()}"
        chroot = "" if self._root else "  chroot =\n"
        return f"""# Generated by tests/servers/dovecot.py; not a production config.
protocols = imap
listen = {self.host}
base_dir = {d}/run
state_dir = {d}/state
log_path = {self.log_path}
info_log_path = {self.info_log_path}
{identity}
ssl = yes
ssl_cert = <{self.cafile}
ssl_key = <{self.keyfile}
# Tests log in over plain IMAP on loopback too, not only over TLS.
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
# Default 2 s delay after a bad password would make negative tests slow.
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:~/Maildir
# Data is thrown away after the run; fsync only slows bulk fills down.
mail_fsync = never
# A test may legitimately hold several connections for one user.
mail_max_userip_connections = 50

# %u in the path: a separate file per user, each opened fresh on first use.
# Each passdb serves only its own mechanisms: a password is never sent to the
# token endpoint, and a token is never compared with a password.
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {self.passwd_dir}/%u
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {self.oauth2_config_path}
}}
userdb {{
  driver = static
  args = {userdb} home={self.home_root}/%u
}}

service imap-login {{
{chroot}  inet_listener imap {{
    address = {self.host}
    port = {self.port}
  }}
  inet_listener imaps {{
    address = {self.host}
    port = {self.ssl_port}
    ssl = yes
  }}
}}
# Every test connects from 127.0.0.1, so after one wrong-password test the
# per-IP auth penalty (2 s, doubling) would slow every later login on the shared
# server. login_trusted_networks does not exempt from it in 2.3; the auth process
# only skips penalties when it cannot reach this socket at startup, so make the
# socket unusable (mode 0; auth runs unprivileged).
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
# Only IMAP is wanted; keep the other listeners off so nothing else binds.
service lmtp {{
  unix_listener lmtp {{
    mode = 0
  }}
}}

namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \\Trash
  }}
  mailbox Junk {{
    special_use = \\Junk
  }}
}}
"""

    def _oauth2_config(self) -> str:
        assert self._introspection is not None
        return f"""# Generated by tests/servers/dovecot.py: tokens are checked by the harness.
introspection_mode = post
introspection_url = {self._introspection.url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 5000
"""

    # -- OAuth2 --------------------------------------------------------------

    def issue_token(self, username: str) -> str:
        """A new access token that logs *username* in with XOAUTH2 or OAUTHBEARER.

        The user need not have a password entry for the token to be accepted, but
        has one (from :meth:`add_user`) in every test that reads mail.
        """
        assert self._introspection is not None
        return self._introspection.issue(username)

    def revoke_token(self, token: str) -> None:
        """Make *token* inactive, as a provider does when it expires or is revoked."""
        assert self._introspection is not None
        self._introspection.revoke(token)

    @property
    def tokens_checked(self) -> list[str]:
        """Every token Dovecot asked the introspection endpoint about, in order."""
        assert self._introspection is not None
        return list(self._introspection.asked)

    # -- users -------------------------------------------------------------

    def add_user(self, name: str | None = None, password: str | None = None) -> Account:
        """Create a user with an empty Maildir; a random name unless *name* is given."""
        name = name or f"user-{secrets.token_hex(6)}"
        password = password or secrets.token_urlsafe(12)
        for value in (name, password):
            if not _SAFE_CREDENTIAL.match(value):
                raise ValueError(f"unsupported character in {value!r} for passwd-file")
        if name.startswith("."):
            # The name becomes a path component (home dir, passwd file).
            raise ValueError(f"user name must not start with '.': {name!r}")
        home = self.home_root / name
        if home.exists():
            raise ValueError(f"user {name!r} already exists")
        account = Account(
            host=self.host,
            port=self.port,
            ssl_port=self.ssl_port,
            username=name,
            password=password,
            cafile=self.cafile,
            maildir=home / "Maildir",
            _owner=self._owner,
        )
        # Create home and INBOX up front so write_maildir works before the
        # first login (Dovecot would create them lazily otherwise).
        home.mkdir(mode=0o700)
        self._owner.chown(home)
        account._create_maildir(account.maildir, is_subfolder=False)
        # Not appended to one shared passwd-file: Dovecot stat()s a passwd-file
        # at most once per second (db-passwd-file.c, passwd_file_sync), so a user
        # added in the same second as the previous login would be "unknown".
        # A per-user file (path with %u) has no cached copy to go stale.
        # Written under a temporary name and renamed so auth never sees half of it.
        passwd = self.passwd_dir / name
        partial = self.passwd_dir / f".{name}.tmp"
        partial.write_text(f"{name}:{{PLAIN}}{password}::::::\n")
        partial.chmod(0o644)
        partial.rename(passwd)
        return account

    # -- lifecycle ---------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start Dovecot and block until a real IMAP LOGIN succeeds."""
        if self.running:
            raise RuntimeError("dovecot is already running")
        with self.stderr_path.open("ab") as stderr:
            self._process = subprocess.Popen(
                [_dovecot_binary(), "-F", "-c", str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                # Own process group, so kill() can take out the master and every
                # child at once, as a crash or OOM kill would.
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        last_error: BaseException | None = None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"dovecot exited with {self._process.returncode} during start\n" + self.logs()
                )
            try:
                self._check_login()
                return
            except (OSError, imapclient.exceptions.IMAPClientError) as error:
                last_error = error
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(
            f"dovecot not ready after {START_TIMEOUT:.0f}s (last error: {last_error!r})\n"
            + self.logs()
        )

    def _check_login(self) -> None:
        # Connect first with a short timeout so a not-yet-listening port costs
        # milliseconds, then prove auth + mail storage with a LOGIN/SELECT.
        with socket.create_connection((self.host, self.port), timeout=1.0):
            pass
        with self._probe.client() as client:
            client.select_folder("INBOX", readonly=True)

    def stop(self) -> None:
        """Stop gracefully (SIGTERM, then SIGKILL); keeps ports and mail."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._kill_group(process)
        # The master is gone, but children (imap, imap-login) may take a moment
        # to notice; make sure none still holds the listening ports.
        self._kill_group(process)
        self._process = None

    def kill(self) -> None:
        """SIGKILL the whole process group: the server dies without any goodbye."""
        process = self._process
        if process is None:
            return
        self._kill_group(process)
        self._process = None

    @staticmethod
    def _kill_group(process: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)

    def restart(self) -> None:
        """Stop and start on the same ports, keeping all mail."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop and delete the server directory (mail, logs, certs)."""
        # kill(), not stop(): Dovecot's graceful shutdown always takes ~1 s, and
        # there is nothing to be graceful about when the data is deleted next.
        self.kill()
        if self._introspection is not None:
            self._introspection.close()
            self._introspection = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def logs(self) -> str:
        """Tails of Dovecot's logs, for assertion messages."""
        return "\n".join(
            _tail(path) for path in (self.stderr_path, self.log_path, self.info_log_path)
        )

    def __enter__(self) -> Dovecot:
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
