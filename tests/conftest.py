"""Shared fixtures: a real Dovecot for the whole session, a fresh mailbox per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers.dovecot import Account, Dovecot, dovecot_available  # noqa: E402


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if not dovecot_available():
        pytest.skip("Dovecot is not installed: run the README's test command (bash .ci/test)")
    with Dovecot() as server:
        yield server


@pytest.fixture
def imap_user(dovecot: Dovecot) -> Account:
    """A fresh, empty mailbox on the shared server."""
    return dovecot.add_user()


@pytest.fixture(autouse=True)
def _no_real_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests never read the developer's keyring or config; each passes what it needs.
    monkeypatch.delenv("MAILFLOW_PASSWORD", raising=False)
    monkeypatch.delenv("MAILFLOW_CONFIG", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
