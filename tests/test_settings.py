from datetime import timedelta
from pathlib import Path

import pytest

from mailflow.errors import ExitStatus, SettingsError
from mailflow.settings import load, locate, read

ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """
[user]
name = Alex
email = alex@example.com
timezone = Europe/Berlin

[account]
host = imap.example.com
username = alex
"""


def test_the_example_file_loads_and_documents_every_key():
    settings = read(ROOT / "settings.example.ini")
    assert settings.user.timezone == "America/New_York"
    assert settings.account.lookback_days == 30
    assert settings.policy.grace == timedelta(minutes=15)
    assert settings.smtp is not None and settings.smtp.save_sent == "auto"
    # Every Policy field is in the example, so the example cannot fall behind the code.
    text = (ROOT / "settings.example.ini").read_text()
    from mailflow.settings import Policy

    for name in Policy._fields:
        assert f"\n{name} = " in text, name


def test_defaults_fill_in(tmp_path):
    s = load(MINIMAL, tmp_path / "s.ini")
    assert s.account.port == 993 and s.account.security == "ssl"
    assert s.account.folders == ("INBOX",)
    assert s.smtp is None
    assert s.policy.confirm_before == timedelta(hours=2)


def test_every_problem_is_reported_at_once_with_section_and_key(tmp_path):
    text = MINIMAL.replace("timezone = Europe/Berlin", "timezone = Mars/Olympus") + (
        "port = abc\nlookback_day = 3\n"
    )
    with pytest.raises(SettingsError) as err:
        load(text, tmp_path / "s.ini")
    msg = str(err.value)
    assert str(tmp_path / "s.ini") in msg
    assert "[user] timezone: 'Mars/Olympus' is not a time zone name" in msg
    assert "[account] port: 'abc' is not a whole number" in msg
    assert "[account] lookback_day: unknown key" in msg
    assert "\n" not in msg
    assert err.value.exit_status == ExitStatus.USAGE


def test_security_none_is_refused_for_remote_hosts(tmp_path):
    with pytest.raises(SettingsError, match=r"\[account\] security: none sends your password"):
        load(MINIMAL + "security = none\n", tmp_path / "s.ini")
    ok = load(MINIMAL.replace("imap.example.com", "127.0.0.1") + "security = none\n",
              tmp_path / "s.ini")
    assert ok.account.port == 143


def test_lookback_all_and_durations(tmp_path):
    s = load(MINIMAL + "lookback_days = all\n[policy]\ngrace = 20 min\nundo_window = 90s\n",
             tmp_path / "s.ini")
    assert s.account.lookback_days is None
    assert s.policy.grace == timedelta(minutes=20)
    assert s.policy.undo_window == timedelta(seconds=90)


def test_maildir_source_is_relative_to_the_file(tmp_path):
    (tmp_path / "mail" / "cur").mkdir(parents=True)
    s = load(MINIMAL.replace("host = imap.example.com\nusername = alex\n", "source = maildir:mail\n"),
             tmp_path / "s.ini")
    assert s.account.source == "maildir"
    assert s.account.maildir == tmp_path / "mail"


def test_several_accounts(tmp_path):
    text = MINIMAL + "\n[account work]\nhost = mail.work.example\nusername = a\n"
    s = load(text, tmp_path / "s.ini")
    assert [a.name for a in s.accounts] == ["default", "work"]


def test_broken_syntax_is_one_line(tmp_path):
    with pytest.raises(SettingsError, match="not a valid settings file") as err:
        load("[user\nname = x", tmp_path / "s.ini")
    assert "\n" not in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(SettingsError, match="no settings file"):
        read(tmp_path / "nope.ini")


def test_locate_order(monkeypatch, tmp_path):
    monkeypatch.setenv("MAILFLOW_CONFIG", str(tmp_path / "env.ini"))
    assert locate("x.ini") == Path("x.ini")
    assert locate(None) == tmp_path / "env.ini"
    monkeypatch.delenv("MAILFLOW_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert locate(None) == tmp_path / "mailflow" / "settings.ini"
