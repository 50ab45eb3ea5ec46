"""The real CLI, in-process with CliRunner, against a Maildir and the real Dovecot."""

from __future__ import annotations

import json
import mailbox
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from mailflow.cli import cli
from mailflow.store import RunLock

from factories import mail, settings_text

NOW = "2026-11-24T12:00:00-05:00"
T = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


@pytest.fixture
def config(tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", factory=None, create=True)
    box.add(mail("Phone interview for the Data Engineer role",
                 "Hi Alex, can we do a phone interview on Tuesday, November 24 at 3:00 PM ET? "
                 "I'll call you.\nPriya", date=T - timedelta(days=4),
                 message_id="<inv@northwind.example>"))
    box.add(mail("Garden news", "Tomatoes", sender="news@garden.example",
                 date=T - timedelta(days=1)))
    path = tmp_path / "settings.ini"
    path.write_text(settings_text(f"source = maildir:{tmp_path / 'Maildir'}", tmp_path / "state"))
    return path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_poll_status_show(config):
    r = run("--config", str(config), "--now", NOW, "poll")
    assert r.exit_code == 0, r.output
    assert r.output == ""  # quiet under cron when all is well
    r = run("--config", str(config), "--now", NOW, "status")
    assert r.exit_code == 0
    assert "Priya Shah" in r.output and "Northwind" in r.output
    assert "Garden" not in r.output
    r = run("--config", str(config), "--now", NOW, "status", "--json")
    data = json.loads(r.output)
    (thread,) = data["threads"]
    r = run("--config", str(config), "show", str(thread["id"]))
    assert r.exit_code == 0
    assert "Phone interview for the Data Engineer role" in r.output
    assert "<-" in r.output


def test_show_unknown_thread_is_a_usage_error(config):
    run("--config", str(config), "--now", NOW, "poll")
    r = CliRunner().invoke(cli, ["--config", str(config), "show", "999"])
    assert r.exit_code == 2
    assert r.output.strip() == "mailflow: there is no thread 999 (see `mailflow status`)"


def test_bad_settings_exit_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.ini"
    bad.write_text("[user]\nname = A\nemail = nope\n[account]\nsource = pop3\n")
    r = CliRunner().invoke(cli, ["--config", str(bad), "poll"])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1
    assert str(bad) in lines[0] and "[user] email" in lines[0] and "[account] source" in lines[0]


def test_a_second_run_exits_75(config, tmp_path):
    (tmp_path / "state").mkdir(mode=0o700)
    with RunLock(tmp_path / "state"):
        r = CliRunner().invoke(cli, ["--config", str(config), "--now", NOW, "poll"])
    assert r.exit_code == 75
    assert "another mailflow run is in progress" in r.output


def test_bad_now_is_a_usage_error(config):
    r = CliRunner().invoke(cli, ["--config", str(config), "--now", "yesterday", "poll"])
    assert r.exit_code == 2 and "ISO 8601" in r.output


def test_wrong_password_exit_1_and_never_prints_it(imap_user, tmp_path, monkeypatch):
    monkeypatch.setenv("MAILFLOW_PASSWORD", "s3cret-wrong")
    u = imap_user
    path = tmp_path / "s.ini"
    path.write_text(settings_text(
        f"host = 127.0.0.1\nport = {u.port}\nsecurity = starttls\nusername = {u.username}\n"
        f"cafile = {u.cafile}", tmp_path / "state"))
    r = CliRunner().invoke(cli, ["--config", str(path), "poll"])
    assert r.exit_code == 1
    assert "refused the login" in r.output and "s3cret-wrong" not in r.output
    r = CliRunner().invoke(cli, ["--config", str(path), "status"])
    assert "last poll failed" in r.output and "s3cret-wrong" not in r.output


def test_password_command_is_used(imap_user, tmp_path):
    u = imap_user
    path = tmp_path / "s.ini"
    path.write_text(settings_text(
        f"host = 127.0.0.1\nport = {u.port}\nsecurity = starttls\nusername = {u.username}\n"
        f"cafile = {u.cafile}\npassword_command = echo {u.password}", tmp_path / "state"))
    r = CliRunner().invoke(cli, ["--config", str(path), "poll"])
    assert r.exit_code == 0, r.output
    path.write_text(path.read_text().replace(f"echo {u.password}", "false"))
    r = CliRunner().invoke(cli, ["--config", str(path), "poll"])
    assert r.exit_code == 1 and "password_command failed" in r.output


def test_init_writes_a_valid_private_file_and_logs_in(imap_user, tmp_path):
    u = imap_user
    target = tmp_path / "cfg" / "settings.ini"
    answers = "\n".join([
        "Alex Candidate", "alex@example.com", "+1 212-555-0142", "America/New_York",
        "127.0.0.1", "starttls", str(u.port), u.username, u.password, "127.0.0.1",
    ]) + "\n"
    # The test server's certificate is self-signed: trust it the way a user would (cafile).
    import os
    os.environ["SSL_CERT_FILE"] = str(u.cafile)
    try:
        r = CliRunner().invoke(cli, ["init", "--path", str(target)], input=answers)
    finally:
        del os.environ["SSL_CERT_FILE"]
    assert r.exit_code == 0, r.output
    assert "Logged in to 127.0.0.1" in r.output and "Sent folder: Sent" in r.output
    assert (target.stat().st_mode & 0o777) == 0o600
    text = target.read_text()
    assert u.password not in text
    assert "password_command" in text  # no keyring on this machine: told how instead


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command):
    r = run(command, "--help")
    assert r.exit_code == 0
    assert "Example:" in r.output and "mailflow" in r.output


def test_inspect_prints_json(tmp_path):
    path = tmp_path / "m.eml"
    path.write_bytes(mail("Interview invitation", "Can you do a phone interview on Monday, "
                          "November 30 at 10am ET?", date=T))
    r = run("inspect", "--json", "--tz", "America/New_York", "--me", "alex@example.com", str(path))
    assert r.exit_code == 0
    assert json.loads(r.output)["kind"] in ("invite", "reply")


def test_python_dash_m_works():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "mailflow", "--help"], capture_output=True,
                       text=True, check=False)
    assert r.returncode == 0 and "Exit codes" in r.stdout


def test_run_is_quiet_until_polling_has_failed_for_alert_after(tmp_path, monkeypatch):
    from servers.dovecot import free_port

    monkeypatch.setenv("MAILFLOW_PASSWORD", "x")
    path = tmp_path / "s.ini"
    path.write_text(settings_text(f"host = 127.0.0.1\nport = {free_port()}\n"
                                  "security = starttls\nusername = u", tmp_path / "state"))
    first = CliRunner().invoke(cli, ["--config", str(path), "--now", NOW, "run"])
    assert first.exit_code == 0 and first.output == ""  # a blip: no mail from cron
    later = "2026-11-24T14:01:00-05:00"  # two hours and a minute later
    second = CliRunner().invoke(cli, ["--config", str(path), "--now", later, "run"])
    assert second.exit_code == 1
    assert "polling default has failed for 2.0 h" in second.output
    assert "refused the connection" in second.output
    log = (tmp_path / "state" / "mailflow.log").read_text()
    assert "poll failed" in log


def test_a_second_run_under_cron_is_silent(config, tmp_path):
    (tmp_path / "state").mkdir(mode=0o700)
    with RunLock(tmp_path / "state"):
        r = CliRunner().invoke(cli, ["--config", str(config), "--now", NOW, "-q", "run"])
    assert r.exit_code == 75 and r.output == ""


def test_schedule_prints_units_for_these_settings(config):
    r = CliRunner().invoke(cli, ["--config", str(config), "schedule", "cron", "--every", "5"])
    assert r.exit_code == 0
    line = r.output.splitlines()[0]
    assert line.startswith("*/5 * * * * ") and line.endswith(f"--config {config} -q run")
    r = CliRunner().invoke(cli, ["--config", str(config), "schedule", "systemd"])
    assert "[Timer]" in r.output and "OnUnitActiveSec=10min" in r.output
    assert "ExecStart=" in r.output and str(config) in r.output


def test_report_and_calendar_write_private_files(config, tmp_path):
    run("--config", str(config), "--now", NOW, "poll")
    html = tmp_path / "out" / "report.html"
    html.parent.mkdir()
    r = run("--config", str(config), "--now", NOW, "report", "--html", str(html))
    assert r.exit_code == 0 and html.exists() and (html.stat().st_mode & 0o777) == 0o600
    assert "Priya Shah" in html.read_text()
    r = run("--config", str(config), "--now", NOW, "report", "--json")
    assert json.loads(r.output)["summary"]["threads"] == 1
    r = run("--config", str(config), "--now", NOW, "calendar")
    assert r.output.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in r.output
    r = run("--config", str(config), "--now", NOW, "report")
    assert "Priya Shah" in r.output  # without --html: the terminal table
