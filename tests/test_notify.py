"""Notifications: notify_command gets title and body as exact argv items (never a shell),
and failing or hanging notifiers never stop a run; the digest goes only to the user."""

from __future__ import annotations

import email
import email.policy
import json
import logging
import os
import re
import shlex
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailflow import notify as notify_mod
from mailflow.classify import worth_fetching
from mailflow.errors import SettingsError
from mailflow.messages import parse_headers
from mailflow.notify import check_only_to_user, digest, notify

HOSTILE_TITLE = "Re: \"Offer\" it's; rm -rf \"$HOME\" # $(touch pwned) `touch pwned2`"
HOSTILE_BODY = "line one\nline two; rm -rf / && echo 'x' | sh\r\n\ttabbed \\ back \"q\" %s *"


@pytest.fixture
def warnings_seen() -> Iterator[list[str]]:
    # The CLI sets propagate=False on the "mailflow" logger, so caplog (on the root logger)
    # may see nothing after a CLI test: listen on the module's own logger.
    seen: list[str] = []

    class ListHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                seen.append(record.getMessage())

    handler = ListHandler()
    logger = logging.getLogger("mailflow.notify")
    logger.addHandler(handler)
    yield seen
    logger.removeHandler(handler)


def script(path: Path, code: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!{sys.executable}\nimport json, os, sys, time\n{code}\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[Path, Path]:
    """A notifier, in a directory with a space in its name, that writes its argv as JSON."""
    out = tmp_path / "argv.json"
    exe = script(tmp_path / "my bin" / "notifier",
                 "json.dump(sys.argv[1:], open(sys.argv[1], 'w'))")
    return exe, out


def test_title_and_body_arrive_as_exact_argv_items(recorder, tmp_path, monkeypatch,
                                                   warnings_seen):
    exe, out = recorder
    monkeypatch.chdir(tmp_path)  # where `touch pwned` would land if a shell ever ran
    notify(f"{shlex.quote(str(exe))} {shlex.quote(str(out))} --urgency=low", HOSTILE_TITLE,
           HOSTILE_BODY)
    assert json.loads(out.read_text()) == [str(out), "--urgency=low", HOSTILE_TITLE,
                                           HOSTILE_BODY]
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    assert warnings_seen == []


def test_text_that_looks_like_an_option_cannot_pick_the_notifiers_options(recorder):
    exe, out = recorder
    notify(f"'{exe}' '{out}'", "--attach=/home/alex/.ssh/id_rsa", "-u critical\0")
    title, body = json.loads(out.read_text())[1:]
    assert title == " --attach=/home/alex/.ssh/id_rsa"  # a leading space: plain text
    assert body == " -u critical"  # and NUL, which argv cannot hold, dropped


def test_text_that_cannot_be_an_argument_is_a_warning_not_an_error(recorder, warnings_seen):
    exe, out = recorder
    notify(f"'{exe}' '{out}'", "lone surrogate \udc00\ud800", "b")  # as bad decoding leaves
    notify(f"'{exe}' '{out}' 'nul\0in the setting'", "t", "b")
    assert len(warnings_seen) == 2  # neither can be encoded into argv: warned, not raised


def test_a_failing_notifier_is_a_warning_not_an_error(tmp_path, warnings_seen):
    exe = script(tmp_path / "fails", "sys.stderr.write('no display\\n'); sys.exit(3)")
    notify(str(exe), "t", "b")
    assert len(warnings_seen) == 1
    assert "exit status 3" in warnings_seen[0] and "no display" in warnings_seen[0]


@pytest.mark.parametrize("command", [
    "/nonexistent/notify-send",
    "notify-send-that-is-not-installed-anywhere",
    '"unclosed',
    "   ",
    str(Path(__file__)),  # not executable
])
def test_a_notifier_that_cannot_run_is_a_warning(command, warnings_seen):
    notify(command, "t", "b")
    assert len(warnings_seen) == 1


def test_a_hanging_notifier_is_stopped_with_its_children(tmp_path, monkeypatch, warnings_seen):
    monkeypatch.setattr(notify_mod, "NOTIFY_TIMEOUT", 0.5)
    pidfile = tmp_path / "child.pid"
    # A wrapper whose own child holds our stderr pipe: killing only the wrapper would
    # leave the child, and a wait for end-of-output would last as long as it does.
    exe = script(tmp_path / "hangs", (
        "import subprocess\n"
        "child = subprocess.Popen(['sleep', '30'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(30)"
    ))
    started = time.monotonic()
    notify(str(exe), "t", "b")
    assert time.monotonic() - started < 5
    assert len(warnings_seen) == 1 and "did not finish within 0.5 s" in warnings_seen[0]
    child = int(pidfile.read_text())
    for _ in range(50):  # the kill is sent; give the kernel a moment to reap
        if not _alive(child):
            break
        time.sleep(0.05)
    assert not _alive(child)


def test_sleep_as_the_notifier_times_out_too(monkeypatch, warnings_seen):
    monkeypatch.setattr(notify_mod, "NOTIFY_TIMEOUT", 0.3)
    started = time.monotonic()
    notify("sleep 30", "t", "b")  # sleep gets "t" and "b" too: it fails or hangs, either way
    assert time.monotonic() - started < 5
    assert len(warnings_seen) == 1


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (killed, not yet reaped by its dead parent's reaper) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return True


# --- the digest ------------------------------------------------------------------------

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=ZONE)
DRAFTS = [
    {"id": 12, "subject": "Re: Phone screen with Northwind", "proposed_to":
     "priya.shah@northwind.example", "expires_at": "2026-11-24T20:00:00+00:00"},
    {"id": 13, "subject": "Thank you\r\nBcc: boss@evil.example", "proposed_to": None,
     "expires_at": None},
]


def wire(msg: email.message.EmailMessage) -> email.message.EmailMessage:
    """The digest as the SMTP server will see it, parsed back."""
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def test_the_digest_is_a_short_plain_note_to_the_user_only():
    msg = wire(digest(DRAFTS, "Alex Doe", "alex@example.com", NOW))
    assert [a.addr_spec for a in msg["From"].addresses] == ["alex@example.com"]
    assert [a.addr_spec for a in msg["To"].addresses] == ["alex@example.com"]
    assert msg["From"].addresses[0].display_name == "Alex Doe"
    for absent in ("Cc", "Bcc", "Reply-To", "Sender"):
        assert absent not in msg
    assert msg["Subject"] == "mailflow: 2 drafts wait for your review"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Date"].datetime == NOW
    assert re.fullmatch(r"<mailflow-digest\.[0-9a-f]{20}@example\.com>", msg["Message-ID"])
    assert msg.get_content_type() == "text/plain" and not msg.is_multipart()

    body = msg.get_content().replace("\r\n", "\n")  # CRLF on the wire, as SMTP wants
    assert body.startswith("2 drafts wait for your review:\n")
    assert "mailflow review" in body
    assert "#12  Re: Phone screen with Northwind, to priya.shah@northwind.example, " \
           "expires Tue 24 Nov 15:00" in body  # in the user's zone
    # A subject with a line break stays on its line: nothing in the body looks like a header.
    assert "#13  Thank you Bcc: boss@evil.example\n" in body
    assert "boss@evil.example" not in str(msg["To"])


def test_an_international_domain_is_written_so_servers_can_deliver_it():
    msg = digest(DRAFTS, "Zoë Müller", "zoe@bücher.de", NOW)
    raw = msg.as_bytes()
    assert b"<zoe@xn--bcher-kva.de>" in raw and b"@=?" not in raw
    assert wire(msg)["To"].addresses[0].display_name == "Zoë Müller"
    check_only_to_user(msg, "zoe@bücher.de")  # the user's spelling matches too


def test_each_digest_has_its_own_message_id():
    one = digest(DRAFTS, "Alex", "alex@example.com", NOW)
    two = digest(DRAFTS, "Alex", "alex@example.com", NOW)
    assert one["Message-ID"] != two["Message-ID"]


def test_one_draft_and_many_drafts_read_right():
    one = digest(DRAFTS[:1], "Alex", "alex@example.com", NOW)
    assert one["Subject"] == "mailflow: 1 draft waits for your review"
    many = [{"id": n, "subject": f"Draft {n}"} for n in range(1, 26)]
    body = digest(many, "Alex", "alex@example.com", NOW).get_content()
    assert "#20  Draft 20" in body and "#21" not in body and "... and 5 more" in body


@pytest.mark.parametrize("user_email", [
    "alex@example.com, boss@example.com",
    "Alex <alex@example.com>",
    "alex@example.com\r\nBcc: boss@example.com",
    "alex",
    "",
])
def test_the_digest_refuses_any_address_that_is_not_one_plain_user_address(user_email):
    with pytest.raises(SettingsError):
        digest(DRAFTS, "Alex", user_email, NOW)


def test_a_hostile_user_name_cannot_add_a_recipient():
    name = 'Alex "Boss" <boss@example.com>,\r\nBcc: boss@example.com'
    msg = wire(digest(DRAFTS, name, "alex@example.com", NOW))
    assert [a.addr_spec for a in msg["To"].addresses] == ["alex@example.com"]
    assert "Bcc" not in msg


def test_a_digest_changed_to_reach_someone_else_is_refused():
    msg = digest(DRAFTS, "Alex", "alex@example.com", NOW)
    check_only_to_user(msg, "ALEX@example.com")  # case does not matter

    for tamper in (
        lambda m: m.replace_header("To", "boss@example.com"),
        lambda m: m.replace_header("To", "alex@example.com, boss@example.com"),
        lambda m: m.replace_header("From", "boss@example.com"),
        lambda m: m.__setitem__("Cc", "boss@example.com"),
        lambda m: m.__setitem__("Bcc", "boss@example.com"),
        lambda m: m.set_raw("To", "boss@example.com"),  # a second To header
    ):
        changed = digest(DRAFTS, "Alex", "alex@example.com", NOW)
        tamper(changed)
        with pytest.raises(ValueError, match="only go to the user"):
            check_only_to_user(changed, "alex@example.com")


def test_the_digest_needs_drafts_and_a_zoned_time():
    with pytest.raises(ValueError):
        digest([], "Alex", "alex@example.com", NOW)
    with pytest.raises(ValueError):
        digest(DRAFTS, "Alex", "alex@example.com", datetime(2026, 11, 24, 12, 0))


def test_the_digest_works_with_utc_and_datetime_expiries():
    drafts = [{"id": 1, "subject": "S", "expires_at": NOW + timedelta(hours=1)}]
    body = digest(drafts, "Alex", "alex@example.com", NOW.astimezone(UTC)).get_content()
    assert "expires Tue 24 Nov 18:00" in body


def test_mailflows_own_screen_does_not_fetch_the_digest():
    raw = digest(DRAFTS, "Alex", "alex@example.com", NOW).as_bytes()
    assert not worth_fetching(parse_headers(raw), known_thread=False)
