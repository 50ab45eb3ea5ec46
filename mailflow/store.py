"""SQLite: the only memory mailflow has between runs.

Everything a run learns is committed in explicit transactions, one per fetched batch, with
the folder's cursor in the same transaction as the messages it covers. A run killed at any
point therefore resumes from the last committed batch: nothing is missed (the cursor never
runs ahead of the data) and nothing is duplicated (messages are unique per account and
Message-ID).

Mail is private: the state directory is created 0700 and the database 0600. The schema has a
version in `meta`; `MIGRATIONS[n]` takes version n to n+1 inside the same transaction that
records the new version, so a failed migration leaves the old schema intact.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mailflow import threads as threads_mod
from mailflow.errors import RunInProgress, StoreError
from mailflow.threads import Candidate, Event, State, Thread

DB_NAME = "mailflow.sqlite3"
LOCK_NAME = "lock"

MIGRATIONS: list[str] = [
    # 0 -> 1: the poller's tables.
    """
    CREATE TABLE accounts (
        name TEXT PRIMARY KEY,
        first_poll_at TEXT,           -- the history baseline: the first successful poll
        last_success_at TEXT,
        last_error TEXT,
        last_error_at TEXT
    );
    CREATE TABLE cursors (
        account TEXT NOT NULL,
        folder TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        last_uid INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (account, folder)
    );
    CREATE TABLE threads (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        state TEXT NOT NULL,
        counterpart_email TEXT,
        counterpart_name TEXT,
        reply_to TEXT,
        company TEXT,
        role TEXT,
        subject TEXT NOT NULL DEFAULT '',
        subject_key TEXT NOT NULL DEFAULT '',
        gm_thrid TEXT,
        interview_start TEXT,
        interview_end TEXT,
        interview_zone TEXT,
        medium TEXT,
        phone TEXT,
        respond_by TEXT,
        rescheduled INTEGER NOT NULL DEFAULT 0,
        last_in TEXT,
        last_out TEXT,
        updated TEXT,
        history INTEGER NOT NULL DEFAULT 0,  -- imported on the first run, all in the past
        created_at TEXT NOT NULL
    );
    CREATE INDEX threads_account ON threads(account);
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        message_id TEXT NOT NULL,
        thread_id INTEGER REFERENCES threads(id),
        folder TEXT NOT NULL,
        uid INTEGER,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        sender TEXT,
        recipients TEXT,
        subject TEXT,
        date TEXT,
        kind TEXT NOT NULL,
        facts TEXT NOT NULL DEFAULT '{}',
        refs TEXT NOT NULL DEFAULT '[]',
        excerpt TEXT NOT NULL DEFAULT '',
        size INTEGER,
        body_skipped INTEGER NOT NULL DEFAULT 0,
        defects TEXT NOT NULL DEFAULT '[]',
        seen_at TEXT NOT NULL,
        UNIQUE (account, message_id)
    );
    CREATE INDEX messages_thread ON messages(thread_id);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        thread_id INTEGER NOT NULL REFERENCES threads(id),
        at TEXT NOT NULL,
        name TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}',
        message_id INTEGER REFERENCES messages(id)
    );
    CREATE INDEX events_thread ON events(thread_id);
    CREATE TABLE maildir_seen (
        account TEXT NOT NULL,
        folder TEXT NOT NULL,
        key TEXT NOT NULL,
        PRIMARY KEY (account, folder, key)
    ) WITHOUT ROWID;
    CREATE TABLE problems (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        folder TEXT NOT NULL,
        uid INTEGER,
        message_id TEXT,
        subject TEXT,
        what TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (account, folder, uid, what)
    );
    """,
    # 1 -> 2: the timeline: the state machine's facts on threads, and drafts.
    """
    ALTER TABLE threads ADD COLUMN missed_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE threads ADD COLUMN marked_at TEXT;
    ALTER TABLE threads ADD COLUMN held_at TEXT;
    ALTER TABLE threads ADD COLUMN follow_ups INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE threads ADD COLUMN last_follow_up_at TEXT;
    ALTER TABLE threads ADD COLUMN back_on TEXT;
    ALTER TABLE threads ADD COLUMN sent_kinds TEXT NOT NULL DEFAULT '[]';
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        thread_id INTEGER NOT NULL REFERENCES threads(id),
        kind TEXT NOT NULL,
        key TEXT NOT NULL,             -- the occasion; one draft per (thread, key), ever
        state TEXT NOT NULL,           -- pending, approved, sending, sent, failed, unknown,
                                       -- discarded, expired, obsolete
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        in_reply_to TEXT,
        refs TEXT NOT NULL DEFAULT '[]',
        proposed_to TEXT,              -- the counterpart; bound only at approval
        notes TEXT NOT NULL DEFAULT '[]',
        not_before TEXT NOT NULL,
        expires_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        edited_at TEXT,
        recipient TEXT,
        approved_at TEXT,
        approved_fingerprint TEXT,
        send_after TEXT,
        message_id TEXT,
        sent_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        mirror_uid INTEGER,
        UNIQUE (thread_id, key)
    );
    CREATE INDEX drafts_state ON drafts(state);
    """,
    # 2 -> 3: the mirror of a draft in the IMAP Drafts folder knows which text it shows.
    """
    ALTER TABLE drafts ADD COLUMN mirror_hash TEXT;
    """,
    # 3 -> 4: since when an account's polls have been failing (for `alert_after`).
    """
    ALTER TABLE accounts ADD COLUMN failing_since TEXT;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def iso(value: datetime | date | None) -> str | None:
    """Instants are stored in UTC so that text order is time order."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (executescript would commit mid-transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete statement in a migration: {buffer.strip()[:60]}")


@dataclass(frozen=True)
class Cursor:
    uidvalidity: int
    last_uid: int


class RunLock:
    """One run at a time per state directory: an exclusive, non-blocking flock.

    The lock is released by the kernel when the process dies, so a crashed run never
    leaves a stale lock behind.
    """

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / LOCK_NAME
        self.fd: int | None = None

    def __enter__(self) -> RunLock:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            self.fd = None
            raise RunInProgress(
                "another mailflow run is in progress for this state directory",
                hint="it will finish on its own; cron will run this one again",
            ) from None
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def prepare_state_dir(state_dir: Path) -> None:
    try:
        state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(state_dir, 0o700)
    except OSError as exc:
        raise StoreError(f"cannot create the state directory {state_dir}: {exc.strerror}") from None


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, state_dir: Path) -> Store:
        prepare_state_dir(state_dir)
        path = state_dir / DB_NAME
        try:
            # Create the file 0600 ourselves: sqlite would honour the umask, often 0644.
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
            os.chmod(path, 0o600)
            conn = sqlite3.connect(path, isolation_level=None, timeout=10)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            store = cls(conn, path)
            store.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"the state database {path} is unusable: {exc}",
                hint="move it aside and run again to start afresh",
            ) from None
        return store

    def close(self) -> None:
        self.conn.close()

    # ---- schema -----------------------------------------------------------------------------

    def version(self) -> int:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        if not exists:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        current = self.version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"the state database {self.path} was written by a newer mailflow "
                f"(schema {current}, this one knows {SCHEMA_VERSION})",
                hint="upgrade mailflow",
            )
        for version in range(current, SCHEMA_VERSION):
            with self.transaction():
                # Two processes opening a new state directory at once both read version 0;
                # BEGIN IMMEDIATE lets one migrate, and the other finds the work done here.
                if self.version() > version:
                    continue
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)"
                )
                for statement in _statements(MIGRATIONS[version]):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (version + 1,)
                )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # ---- small facts worth remembering between runs -------------------------------------------

    def remembered(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def remember(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def forget(self, key: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM meta WHERE key=?", (key,))

    # ---- accounts and cursors ---------------------------------------------------------------

    def account_row(self, name: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM accounts WHERE name=?", (name,)).fetchone()

    def baseline(self, account: str, now: datetime) -> datetime:
        """The moment of this account's first poll: mail before it is history."""
        row = self.account_row(account)
        if row and row["first_poll_at"]:
            return instant(row["first_poll_at"])  # type: ignore[return-value]
        with self.transaction():
            self.conn.execute(
                "INSERT INTO accounts(name, first_poll_at) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET first_poll_at=excluded.first_poll_at",
                (account, iso(now)),
            )
        return now

    def record_poll(self, account: str, now: datetime, error: str | None = None) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO accounts(name) VALUES (?) ON CONFLICT(name) DO NOTHING", (account,)
            )
            if error is None:
                self.conn.execute(
                    "UPDATE accounts SET last_success_at=?, last_error=NULL, last_error_at=NULL, "
                    "failing_since=NULL WHERE name=?",
                    (iso(now), account),
                )
            else:
                self.conn.execute(
                    "UPDATE accounts SET last_error=?, last_error_at=?, "
                    "failing_since=COALESCE(failing_since, ?) WHERE name=?",
                    (error, iso(now), iso(now), account),
                )

    def cursor(self, account: str, folder: str) -> Cursor | None:
        row = self.conn.execute(
            "SELECT uidvalidity, last_uid FROM cursors WHERE account=? AND folder=?",
            (account, folder),
        ).fetchone()
        return Cursor(row[0], row[1]) if row else None

    def save_cursor(
        self, account: str, folder: str, cursor: Cursor, now: datetime
    ) -> None:
        """Call inside the batch's transaction, so the cursor moves with the data."""
        self.conn.execute(
            "INSERT INTO cursors VALUES (?, ?, ?, ?, ?) ON CONFLICT(account, folder) DO "
            "UPDATE SET uidvalidity=excluded.uidvalidity, last_uid=excluded.last_uid, "
            "updated_at=excluded.updated_at",
            (account, folder, cursor.uidvalidity, cursor.last_uid, iso(now)),
        )

    def maildir_seen(self, account: str, folder: str) -> set[str]:
        return {
            key
            for (key,) in self.conn.execute(
                "SELECT key FROM maildir_seen WHERE account=? AND folder=?", (account, folder)
            )
        }

    def mark_maildir_seen(self, account: str, folder: str, keys: list[str]) -> None:
        """Call inside the batch's transaction, like save_cursor."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO maildir_seen VALUES (?, ?, ?)",
            [(account, folder, k) for k in keys],
        )

    # ---- messages and threads ----------------------------------------------------------------

    def known_message_ids(self, account: str) -> set[str]:
        """Message-IDs that belong to tracked threads, for the poller's header screen."""
        ids: set[str] = set()
        for mid, refs in self.conn.execute(
            "SELECT message_id, refs FROM messages WHERE account=? AND thread_id IS NOT NULL",
            (account,),
        ):
            ids.add(mid)
            ids.update(json.loads(refs))
        return ids

    def has_message(self, account: str, message_id: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM messages WHERE account=? AND message_id=?", (account, message_id)
            ).fetchone()
            is not None
        )

    def candidates(self, account: str) -> list[Candidate]:
        rows = self.conn.execute(
            "SELECT id, gm_thrid, subject_key, counterpart_email, reply_to, updated "
            "FROM threads WHERE account=?",
            (account,),
        ).fetchall()
        ids: dict[int, set[str]] = {r["id"]: set() for r in rows}
        for tid, mid, refs in self.conn.execute(
            "SELECT thread_id, message_id, refs FROM messages WHERE account=? AND thread_id "
            "IS NOT NULL",
            (account,),
        ):
            ids[tid].add(mid)
            ids[tid].update(json.loads(refs))
        return [
            Candidate(
                thread_id=r["id"],
                message_ids=frozenset(ids[r["id"]]),
                gm_thrid=r["gm_thrid"],
                subject_key=r["subject_key"],
                counterparts=frozenset(
                    e for e in (r["counterpart_email"], *json.loads(r["reply_to"] or "[]")) if e
                ),
                last_activity=instant(r["updated"]),
            )
            for r in rows
        ]

    def create_thread(self, account: str, fields: dict[str, Any], now: datetime) -> int:
        fields = {**fields, "account": account, "created_at": iso(now)}
        fields.setdefault("state", State.NEW.value)
        cols = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        cur = self.conn.execute(f"INSERT INTO threads ({cols}) VALUES ({marks})", tuple(fields.values()))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def update_thread(self, thread_id: int, fields: dict[str, Any]) -> None:
        if not fields:
            return
        sets = ", ".join(f"{k}=?" for k in fields)
        self.conn.execute(f"UPDATE threads SET {sets} WHERE id=?", (*fields.values(), thread_id))

    def add_message(self, fields: dict[str, Any]) -> int:
        cols = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        cur = self.conn.execute(
            f"INSERT INTO messages ({cols}) VALUES ({marks})", tuple(fields.values())
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def add_event(self, thread_id: int, event: Event, message_row: int | None = None) -> None:
        name, at, data = threads_mod.to_record(event)
        self.conn.execute(
            "INSERT INTO events(thread_id, at, name, data, message_id) VALUES (?, ?, ?, ?, ?)",
            (thread_id, iso(at), name, json.dumps(data, sort_keys=True), message_row),
        )

    def thread_events(self, thread_id: int) -> list[Event]:
        return [
            threads_mod.from_record(r["name"], instant(r["at"]), json.loads(r["data"]))  # type: ignore[arg-type]
            for r in self.events(thread_id)
        ]

    def replay(self, thread_id: int, now: datetime) -> Thread:
        """Recompute a thread's state from its events and save it (inside a transaction)."""
        value, _skipped = threads_mod.replay(self.thread_events(thread_id), now)
        self.update_thread(thread_id, {
            "state": value.state.value,
            "interview_start": iso(value.interview_start),
            "interview_end": iso(value.interview_end),
            "rescheduled": value.rescheduled,
            "last_in": iso(value.last_in),
            "last_out": iso(value.last_out),
            "updated": iso(value.updated),
            "missed_count": value.missed_count,
            "marked_at": iso(value.marked_at),
            "held_at": iso(value.held_at),
            "respond_by": iso(value.respond_by),
            "follow_ups": value.follow_ups,
            "last_follow_up_at": iso(value.last_follow_up_at),
            "back_on": iso(value.back_on),
            "sent_kinds": json.dumps(sorted(value.sent_kinds)),
        })
        return value

    def record_problem(
        self, account: str, folder: str, uid: int | None, message_id: str | None,
        subject: str, what: str, now: datetime,
    ) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO problems(account, folder, uid, message_id, subject, what, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (account, folder, uid, message_id, subject, what, iso(now)),
        )

    # ---- reading back --------------------------------------------------------------------------

    def thread_value(self, row: sqlite3.Row) -> Thread:
        return Thread(
            state=State(row["state"]),
            interview_start=instant(row["interview_start"]),
            interview_end=instant(row["interview_end"]),
            rescheduled=row["rescheduled"],
            last_in=instant(row["last_in"]),
            last_out=instant(row["last_out"]),
            updated=instant(row["updated"]),
            missed_count=row["missed_count"],
            marked_at=instant(row["marked_at"]),
            held_at=instant(row["held_at"]),
            respond_by=date.fromisoformat(row["respond_by"]) if row["respond_by"] else None,
            follow_ups=row["follow_ups"],
            last_follow_up_at=instant(row["last_follow_up_at"]),
            back_on=date.fromisoformat(row["back_on"]) if row["back_on"] else None,
            sent_kinds=frozenset(json.loads(row["sent_kinds"])),
        )

    def threads(self) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM threads ORDER BY COALESCE(updated, created_at) DESC, id"
        ).fetchall()

    def thread(self, thread_id: int) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM threads WHERE id=?", (thread_id,)).fetchone()

    def messages(self, thread_id: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM messages WHERE thread_id=? ORDER BY date, id", (thread_id,)
        ).fetchall()

    def events(self, thread_id: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM events WHERE thread_id=? ORDER BY at, id", (thread_id,)
        ).fetchall()

    # ---- drafts ----------------------------------------------------------------------------------

    def draft_keys(self) -> set[tuple[int, str]]:
        return {(r[0], r[1]) for r in self.conn.execute("SELECT thread_id, key FROM drafts")}

    def insert_draft(self, fields: dict[str, Any]) -> int:
        cols = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        cur = self.conn.execute(f"INSERT INTO drafts ({cols}) VALUES ({marks})",
                                tuple(fields.values()))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def update_draft(self, draft_id: int, fields: dict[str, Any]) -> None:
        sets = ", ".join(f"{k}=?" for k in fields)
        self.conn.execute(f"UPDATE drafts SET {sets} WHERE id=?", (*fields.values(), draft_id))

    def drafts(self, states: tuple[str, ...] | None = None) -> list[sqlite3.Row]:
        if states:
            marks = ", ".join("?" for _ in states)
            return self.conn.execute(
                f"SELECT * FROM drafts WHERE state IN ({marks}) ORDER BY not_before, id", states
            ).fetchall()
        return self.conn.execute("SELECT * FROM drafts ORDER BY not_before, id").fetchall()

    def draft(self, draft_id: int) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM drafts WHERE id=?", (draft_id,)).fetchone()

    def latest_message(self, thread_id: int) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT * FROM messages WHERE thread_id=? ORDER BY date DESC, id DESC LIMIT 1",
            (thread_id,),
        ).fetchone()

    def problems(self) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM problems ORDER BY at, id").fetchall()

    def accounts(self) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM accounts ORDER BY name").fetchall()
