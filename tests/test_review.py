"""`mailflow review` in a real pseudo-terminal (pexpect), as a person would use it."""

from __future__ import annotations

import sys

import pexpect
import pytest
from click.testing import CliRunner
from conftest import NOW, PRIYA

from mailflow import service
from mailflow.cli import cli

NOW_TEXT = "2026-11-24T12:00:00-05:00"


def spawn(world, *args, env=None):
    cmd = [sys.executable, "-m", "mailflow", "--config", str(world.settings.path),
           "--now", NOW_TEXT, *args]
    return pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", timeout=20, env=env,
                         dimensions=(50, 200))


def test_review_edit_then_approve(world, monkeypatch):
    import os

    env = dict(os.environ, EDITOR="sed -i 's/Best regards/Warm regards/'")
    child = spawn(world, "review", env=env)
    child.expect("Draft 1")
    child.expect("exactly as it will leave")
    child.expect(r"To: \(bound when you approve; proposed: " + PRIYA)
    child.expect("Best regards")
    child.expect(r"\[a\]pprove, \[e\]dit, \[s\]kip, \[d\]iscard, \[q\]uit")
    child.sendline("e")
    child.expect("changed; any approval was withdrawn")
    child.expect("Warm regards")
    child.expect(r"\[a\]pprove")
    child.sendline("a")
    child.expect(r"Send to \[" + PRIYA + r"\]")
    child.sendline("")
    child.expect("Approved draft 1 to " + PRIYA)
    child.expect("mailflow cancel 1")
    child.expect(pexpect.EOF)
    (d,) = service.list_drafts(world.settings)
    assert d["state"] == "approved" and "Warm regards" in d["body"]
    assert d["recipient"] == PRIYA


def test_review_asks_again_for_an_address_outside_the_thread(world):
    child = spawn(world, "review")
    child.expect(r"\[a\]pprove")
    child.sendline("a")
    child.expect("Send to")
    child.sendline("boss@elsewhere.example")
    child.expect("took no part in this thread")
    child.expect("Type the address again, in full, to confirm")
    child.sendline("boss@elsewhere.exampl")  # a typo: refused
    child.expect("The addresses differ; not approved.")
    child.expect(r"\[a\]pprove")
    child.sendline("q")
    child.expect(pexpect.EOF)
    (d,) = service.list_drafts(world.settings)
    assert d["state"] == "pending"


def test_review_refuses_without_a_terminal(world):
    r = CliRunner().invoke(cli, ["--config", str(world.settings.path), "review"], input="a\n")
    assert r.exit_code == 2
    assert "review needs a terminal" in r.output
    (d,) = service.list_drafts(world.settings)
    assert d["state"] == "pending"


def test_scripted_approval_needs_the_fingerprint_of_what_was_seen(world):
    path = str(world.settings.path)
    shown = CliRunner().invoke(cli, ["--config", path, "--now", NOW_TEXT, "drafts", "show", "1"])
    assert shown.exit_code == 0, shown.output
    fingerprint = shown.output.strip().splitlines()[-1].split()[-1]
    bad = CliRunner().invoke(cli, ["--config", path, "--now", NOW_TEXT, "approve", "1",
                                   "--fingerprint", "0" * 64])
    assert bad.exit_code == 2 and "changed since you looked" in bad.output
    ok = CliRunner().invoke(cli, ["--config", path, "--now", NOW_TEXT, "approve", "1",
                                  "--fingerprint", fingerprint])
    assert ok.exit_code == 0 and "Approved draft 1" in ok.output
    again = CliRunner().invoke(cli, ["--config", path, "--now", NOW_TEXT, "cancel", "1"])
    assert again.exit_code == 0 and "back in review" in again.output


@pytest.mark.parametrize("answer, state", [("yes", "held"), ("no", "missed_by_them")])
def test_a_missed_call_note_first_asks_whether_the_call_happened(world, answer, state):
    from datetime import timedelta

    from mailflow.store import Store

    later = NOW + timedelta(hours=3, minutes=20)  # 15:20 in New York: Priya did not call
    service.plan(world.settings, later)
    cmd = [sys.executable, "-m", "mailflow", "--config", str(world.settings.path), "--now",
           later.isoformat(), "review"]
    child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", timeout=20, dimensions=(50, 200))
    child.expect("Did the call take place?")
    child.sendline(answer)
    if answer == "yes":
        child.expect("Marked as held; the missed-call note is discarded.")
    else:
        child.expect("until 3:50 PM")  # rendered at 15:20: available 30 more minutes
        child.expect(r"\[a\]pprove")
        child.sendline("q")
    child.expect(pexpect.EOF)
    store = Store.open(world.settings.state_dir)
    assert store.threads()[0]["state"] == state
