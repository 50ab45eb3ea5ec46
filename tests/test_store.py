import multiprocessing
import os
import sqlite3
import stat
from datetime import UTC, datetime

import pytest

from mailflow.errors import RunInProgress, StoreError
from mailflow.store import DB_NAME, SCHEMA_VERSION, Cursor, RunLock, Store

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def test_new_store_is_private_and_at_the_latest_schema(tmp_path):
    state = tmp_path / "state"
    store = Store.open(state)
    assert store.version() == SCHEMA_VERSION
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(state / DB_NAME).st_mode) == 0o600
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    Store.open(state).close()  # reopening migrates nothing and keeps the data


def test_a_newer_schema_is_refused(tmp_path):
    store = Store.open(tmp_path)
    store.conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (SCHEMA_VERSION + 1,))
    store.close()
    with pytest.raises(StoreError, match="newer mailflow"):
        Store.open(tmp_path)


def test_a_corrupt_database_is_a_clear_error(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="unusable"):
        Store.open(tmp_path)


def test_a_failed_transaction_keeps_neither_data_nor_cursor(tmp_path):
    store = Store.open(tmp_path)
    with pytest.raises(RuntimeError), store.transaction():
        store.save_cursor("a", "INBOX", Cursor(1, 50), NOW)
        raise RuntimeError("killed mid-batch")
    assert store.cursor("a", "INBOX") is None
    with store.transaction():
        store.save_cursor("a", "INBOX", Cursor(1, 50), NOW)
    assert store.cursor("a", "INBOX") == Cursor(1, 50)


def test_baseline_is_set_once(tmp_path):
    store = Store.open(tmp_path)
    assert store.baseline("a", NOW) == NOW
    later = datetime(2026, 12, 1, tzinfo=UTC)
    assert store.baseline("a", later) == NOW


def _try_lock(path, queue):
    try:
        with RunLock(path):
            queue.put("got it")
    except RunInProgress as exc:
        queue.put(f"refused: {exc.exit_status}")


def test_one_run_at_a_time(tmp_path):
    queue = multiprocessing.get_context("fork").Queue()
    with RunLock(tmp_path):
        p = multiprocessing.get_context("fork").Process(target=_try_lock, args=(tmp_path, queue))
        p.start()
        p.join(10)
        assert queue.get(timeout=5) == "refused: 75"
    p = multiprocessing.get_context("fork").Process(target=_try_lock, args=(tmp_path, queue))
    p.start()
    p.join(10)
    assert queue.get(timeout=5) == "got it"


def test_a_killed_lock_holder_leaves_no_stale_lock(tmp_path):
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()

    def hold():
        with RunLock(tmp_path):
            ready.set()
            os.kill(os.getpid(), 9)

    p = ctx.Process(target=hold)
    p.start()
    p.join(10)
    assert ready.is_set() and p.exitcode == -9
    with RunLock(tmp_path):
        pass


def test_messages_are_unique_per_account(tmp_path):
    store = Store.open(tmp_path)
    row = dict(account="a", message_id="<x@y>", folder="INBOX", direction="in", kind="reply",
               seen_at=NOW.isoformat())
    with store.transaction():
        store.add_message(row)
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.add_message(row)
    assert store.has_message("a", "<x@y>") and not store.has_message("b", "<x@y>")


def test_opening_a_state_directory_another_process_just_migrated(tmp_path):
    # Two processes open a brand-new state directory at once: both read schema version 0
    # before either migrates. The second must find the work done, not re-create tables.
    Store.open(tmp_path).close()  # the other process, first to take the write lock
    s = Store.open(tmp_path)
    real = s.version
    stale = [0]
    s.version = lambda: stale.pop() if stale else real()  # type: ignore[method-assign]
    try:
        s.migrate()
        assert s.version() == SCHEMA_VERSION
    finally:
        s.close()
